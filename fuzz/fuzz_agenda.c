/*
 * libFuzzer target: an agenda read back from JSON (an issued version's
 * stored text, agenda_from_json), then every renderer of a model that
 * reads back: the canonical JSON, HTML, CSV, ICS and PDF.  Their text
 * comes from outside (agency names, officers, references, venues), so
 * each must print whatever a model may hold.
 *
 * Besides the sanitizers: a failed read leaves the agenda empty; the
 * canonical JSON is a fixed point (what agenda_to_json wrote reads back
 * and writes the same bytes, or an issued version's hash would change);
 * and the PDF, which has no clock and no ID, is the same bytes twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/agenda.h"
#include "core/render/agenda.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
canonical(const struct agenda *a)
{
	cJSON *j = agenda_to_json(a);
	char *s;

	if (j == NULL)
		abort();
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (s == NULL)
		abort();
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agenda a, again;
	struct buf out, pdf1, pdf2;
	char *one, *two;
	cJSON *j;

	if ((j = cJSON_ParseWithLength((const char *)data, size)) == NULL)
		return 0;
	if (agenda_from_json(j, &a, NULL) != 0) {
		if (a.ncases != 0 || a.ngroups != 0 || a.area != NULL)
			abort();	/* a failed read is left empty */
		cJSON_Delete(j);
		return 0;
	}
	cJSON_Delete(j);
	one = canonical(&a);
	if ((j = cJSON_Parse(one)) == NULL || agenda_from_json(j, &again, NULL) != 0)
		abort();
	cJSON_Delete(j);
	two = canonical(&again);
	if (strcmp(one, two) != 0)
		abort();
	buf_init(&out);
	buf_init(&pdf1);
	buf_init(&pdf2);
	if (render_agenda_html(&a, &out) != 0)
		abort();
	buf_reset(&out);
	if (render_agenda_csv(&a, &out) != 0)
		abort();
	buf_reset(&out);
	if (render_agenda_ics(&a, 1796803200, "maracd.example", &out) != 0)
		abort();
	if (render_agenda_pdf(&a, &pdf1) != 0 || render_agenda_pdf(&a, &pdf2) != 0 ||
	    pdf1.len != pdf2.len || memcmp(pdf1.data, pdf2.data, pdf1.len) != 0)
		abort();
	buf_free(&out);
	buf_free(&pdf1);
	buf_free(&pdf2);
	free(one);
	free(two);
	agenda_free(&a);
	agenda_free(&again);
	return 0;
}

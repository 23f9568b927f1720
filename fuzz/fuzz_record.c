/*
 * libFuzzer target: a decision record read back from JSON (maracctl
 * record --verify reads a file someone kept), then everything done with
 * a record that builds: its canonical JSON, and the JSON, CSV, HTML and
 * PDF renderers.
 *
 * Besides the sanitizers, the canonical form must be a fixed point: the
 * record rebuilt from its own canonical JSON writes the same bytes, or
 * the hash of a re-read export would not match.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/record.h"
#include "core/render/record.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record rec, again;
	struct buf one, two, out;
	cJSON *j;

	if ((j = cJSON_ParseWithLength((const char *)data, size)) == NULL)
		return 0;
	if (record_build(j, &rec, NULL) != 0) {
		if (rec.nsittings != 0 || rec.forum != NULL)
			abort();	/* a failed build is left empty */
		cJSON_Delete(j);
		return 0;
	}
	cJSON_Delete(j);
	buf_init(&one);
	buf_init(&two);
	buf_init(&out);
	if (record_canonical(&rec, &one) != 0)
		abort();
	if ((j = cJSON_Parse(buf_str(&one))) == NULL)
		abort();	/* the canonical form is JSON */
	if (record_build(j, &again, NULL) != 0)
		abort();
	cJSON_Delete(j);
	if (record_canonical(&again, &two) != 0 || one.len != two.len ||
	    memcmp(one.data, two.data, one.len) != 0)
		abort();
	if (render_record_json(&rec, SHA, &out) != 0)
		abort();
	buf_reset(&out);
	if (render_record_csv(&rec, SHA, &out) != 0)
		abort();
	buf_reset(&out);
	if (render_record_html(&rec, SHA, &out) != 0)
		abort();
	buf_reset(&out);
	if (render_record_pdf(&rec, SHA, &out) != 0)
		abort();
	record_free(&again);
	record_free(&rec);
	buf_free(&one);
	buf_free(&two);
	buf_free(&out);
	return 0;
}

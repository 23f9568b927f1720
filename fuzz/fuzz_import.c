/*
 * libFuzzer target: the CSV import (POST /v1/referrals/import, maracctl
 * import): csvread, the column mapping of referral_csv and the same
 * intake as the JSON path, through import.h, with the database played
 * here.  The bytes are fed in chunks whose size depends on the input's
 * length, so that records split at every kind of place.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the database would do with a pending row, varied by its line. */
static void
play_database(struct import *imp)
{
	struct intake_facts f;
	const char *params[2];
	struct buf out;
	bool stored;
	unsigned long line = imp->row.line;

	import_facts_params(imp, params);
	if (params[0] == NULL)
		abort();
	memset(&f, 0, sizeof(f));
	strcpy(f.received_at, "2026-06-15T10:00:00.000000+01:00");
	f.received_date = imp->today;
	f.has_previous_marac = line % 2 == 1;
	f.previous_marac = imp->today - 300;
	if (!import_route(imp, &f))
		return;
	buf_init(&out);
	stored = import_store_json(imp, &out);
	/* What the store statement gets: [the referral, the decision]. */
	if (stored && (out.len < 2 || out.data[0] != '[' ||
	    out.data[out.len - 1] != ']'))
		abort();
	buf_free(&out);
	if (!stored)
		return;
	switch (line % 3) {
	case 0:
		import_stored(imp, true, "{\"id\":42,\"reference\":\"MARAC-2026-0042\","
		    "\"forum\":\"marac\",\"status\":\"listed\"}");
		break;
	case 1:
		import_stored(imp, false, "{\"id\":7,\"reference\":\"REF-2026-0007\","
		    "\"forum\":null}");
		break;
	default:
		import_store_failed(imp, "23503");
		break;
	}
}

static void
report(const struct import_row *row)
{
	struct buf text;
	char *s;
	cJSON *j;

	if (row->status == IMPORT_PENDING)
		abort();	/* every row must be finished by now */
	j = import_row_json(row);
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	cJSON_free(s);
	buf_init(&text);
	import_row_text(row, &text);
	buf_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import imp;
	size_t off = 0, end = 0, chunk = 1 + size % 61, used;
	enum import_event ev;
	unsigned long rows = 0;

	import_init(&imp, date_from_ymd(2026, 6, 15), "fuzzshire", NULL);
	for (;;) {
		if (off == end && end < size)
			end = end + chunk < size ? end + chunk : size;
		if (off < end) {
			ev = import_feed(&imp, data + off, end - off, &used);
			if (used > end - off)
				abort();
			off += used;
		} else {
			ev = import_end(&imp);
		}
		if (ev == IMPORT_MORE) {
			if (off != end)
				abort();	/* "every byte used" */
			continue;
		}
		if (ev != IMPORT_ROW)
			break;
		rows++;
		if (imp.row.status == IMPORT_PENDING)
			play_database(&imp);
		report(&imp.row);
	}
	if (ev == IMPORT_END && imp.totals.rows != rows)
		abort();
	import_free(&imp);
	return 0;
}

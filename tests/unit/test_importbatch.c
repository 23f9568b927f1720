/*
 * An import's batch in waves: no two rows of a wave share a victim, a
 * victim's rows go in file order one wave after another, rows that need
 * no database are in no wave, the last wave is known before it is stored,
 * and the statements' parameters and results line up with the wave's rows.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/importbatch.h"
#include "unit.h"

#define HEADER "external_ref,referring_agency,domestic_abuse,stalking," \
	"victim_name,victim_dob,dash_version,dash_1,lawful_basis,consent\r\n"
#define ROW(ref, name) ref ",police,yes,no," name ",1990-02-01,dash-2009,yes," \
	"common_law,not_sought\r\n"

static const char file[] = HEADER
	ROW("A-1", "Jane Doe")		/* line 2: wave 1 */
	ROW("A-2", "Ann Roe")		/* 3: wave 1 */
	ROW("A-3", "Jane Doe")		/* 4: wave 2, after A-1 */
	"A-4,police,maybe,no,Zed,1990-02-01,dash-2009,yes,common_law,given\r\n"
	ROW("A-5", "Jane Doe")		/* 6: wave 3 */
	ROW("A-6", "Bea Poe");		/* 7: wave 1 */

static void
load(struct import *imp, struct import_batch *b)
{
	enum import_event	ev;
	size_t			used, off = 0;

	import_init(imp, date_from_ymd(2026, 11, 20), "cumbria", NULL);
	ck_assert(import_batch_init(b, 6));
	while ((ev = import_feed(imp, file + off, sizeof(file) - 1 - off,
	    &used)) == IMPORT_ROW) {
		off += used;
		import_batch_add(b, imp);
	}
	ck_assert_int_eq(ev, IMPORT_MORE);
	while ((ev = import_end(imp)) == IMPORT_ROW)
		import_batch_add(b, imp);
	ck_assert_int_eq(ev, IMPORT_END);
}

/* One wave through "the database": facts, routing, store, results. */
static void
wave(struct import *imp, struct import_batch *b, const char *want, bool last)
{
	struct intake_facts	 f = { .received_at = "2026-11-20T10:00:00Z" };
	struct buf		 param;
	char			 got[64] = "";

	ck_assert(import_batch_wave(b));
	for (size_t i = 0; i < b->nwave; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%zu",
		    i > 0 ? "," : "", b->wave[i]);
	ck_assert_str_eq(got, want);
	buf_init(&param);
	import_batch_facts_param(b, "2026-11-20T10:00:00.000001Z", &param);
	ck_assert_ptr_nonnull(strstr(buf_str(&param), ",null,\"2026-11-20T10:00:00.000001Z\"]"));
	f.received_date = date_from_ymd(2026, 11, 20);
	for (size_t i = 0; i < b->nwave; i++)
		import_batch_route(b, imp, i, &f);
	ck_assert(import_batch_store_param(b, imp, &param));
	ck_assert_int_eq(b->nsent, b->nwave);
	/* Whether its COMMIT may go behind its store statement. */
	ck_assert(import_batch_last_wave(b) == last);
	ck_assert(buf_str(&param)[0] == '[' && buf_str(&param)[1] == '[');
	for (size_t k = 0; k < b->nsent; k++)
		import_batch_stored(b, imp, k, true, (long long)b->sent[k] + 100,
		    "REF-2026-0001", NULL, "below_threshold");
	buf_free(&param);
}

START_TEST(test_waves)
{
	struct import		imp;
	struct import_batch	b;

	load(&imp, &b);
	ck_assert(import_batch_full(&b));
	ck_assert_int_eq(b.n, 6);
	ck_assert_int_eq(b.rows[3].status, IMPORT_INVALID);
	ck_assert_int_eq(b.rows[3].line, 5);
	wave(&imp, &b, "0,1,5", false);
	wave(&imp, &b, "2", false);
	wave(&imp, &b, "4", true);
	ck_assert(!import_batch_wave(&b));
	for (size_t i = 0; i < b.n; i++) {
		if (i == 3)
			continue;
		ck_assert_int_eq(b.rows[i].status, IMPORT_CREATED);
		ck_assert_int_eq(b.rows[i].id, (long long)i + 100);
	}
	ck_assert_int_eq(imp.totals.imported, 5);
	ck_assert_int_eq(imp.totals.invalid, 1);
	import_batch_clear(&b);
	ck_assert_int_eq(b.n, 0);
	ck_assert(!import_batch_wave(&b));
	import_batch_free(&b);
	import_free(&imp);
}
END_TEST

/* A row the database refuses is invalid on its column; the rest stand. */
START_TEST(test_failed_row)
{
	struct import		imp;
	struct import_batch	b;
	struct intake_facts	f = { .received_at = "2026-11-20T10:00:00Z" };
	struct buf		param;

	load(&imp, &b);
	buf_init(&param);
	ck_assert(import_batch_wave(&b));
	f.received_date = date_from_ymd(2026, 11, 20);
	for (size_t i = 0; i < b.nwave; i++)
		import_batch_route(&b, &imp, i, &f);
	ck_assert(import_batch_store_param(&b, &imp, &param));
	import_batch_store_failed(&b, &imp, 1, "23503");
	import_batch_stored(&b, &imp, 0, false, 9, "REF-2026-0009", NULL,
	    "below_threshold");
	import_batch_stored(&b, &imp, 2, true, 10, "REF-2026-0010", NULL,
	    "below_threshold");
	ck_assert_int_eq(b.rows[0].status, IMPORT_DUPLICATE);
	ck_assert_int_eq(b.rows[1].status, IMPORT_INVALID);
	ck_assert_str_eq(b.rows[1].errs.items[0].field, "referring_agency");
	ck_assert_int_eq(b.rows[5].status, IMPORT_CREATED);
	ck_assert_int_eq(imp.totals.duplicates, 1);
	buf_free(&param);
	import_batch_free(&b);
	import_free(&imp);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("importbatch", &tc);

	tcase_add_test(tc, test_waves);
	tcase_add_test(tc, test_failed_row);
	return unit_run(s);
}

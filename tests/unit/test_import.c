/*
 * An import's rows through the intake, with the database played by the
 * test: events, row numbers (CSV lines), outcomes, totals and the
 * per-row answer, whatever the chunks the file comes in.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "unit_date.h"

static date_t today;

#define HEADER "external_ref,referring_agency,domestic_abuse,stalking," \
	"victim_name,victim_dob,dash_version,dash_1,lawful_basis,consent," \
	"summary\r\n"
#define ROW(ref, dob, summary) ref ",police,yes,no,Jane Doe," dob \
	",dash-2009,yes,common_law,not_sought," summary "\r\n"

static const char file[] =
	"\xef\xbb\xbf" HEADER
	ROW("A-1", "1990-02-01", "\"two\nlines\"")		/* line 2 */
	",,,,,,,,,,\r\n"					/* 4: blank */
	"\r\n"							/* 5: blank */
	ROW("A-2", "1990-02-30", "bad date")			/* 6 */
	ROW("A-3", "2015-01-01", "under 16")			/* 7 */
	"A-4,police,yes,no,Jane,1990-01-01,x\"y\r\n"		/* 8: bad CSV */
	ROW("A-5", "1991-03-04", "unknown agency")		/* 9 */
	"A-6,police,yes,no,Jo,1980-01-01,dash-2009,no,common_law,given,end";

struct seen {
	char	text[2048];
	size_t	len;
};

/* Plays the database for one row and notes what became of it. */
static void
handle(struct import *imp, struct seen *s)
{
	struct import_row	*row = &imp->row;
	struct intake_facts	 f = { .received_at = "2026-11-20T10:00:00Z" };
	const char		*p[2];
	struct buf		 out;
	const char		*req;

	if (row->status == IMPORT_PENDING) {
		import_facts_params(imp, p);
		ck_assert_ptr_nonnull(strstr(p[0], "|"));
		ck_assert_ptr_null(p[1]);
		f.received_date = D("2026-11-20");
		if (import_route(imp, &f)) {
			buf_init(&out);
			ck_assert(import_store_json(imp, &out));
			req = buf_str(&out);
			/* [the referral, the decision] */
			ck_assert_int_eq(req[0], '[');
			ck_assert_int_eq(req[strlen(req) - 1], ']');
			ck_assert_ptr_nonnull(strstr(req, "\"external_ref\""));
			ck_assert_ptr_nonnull(strstr(strstr(req, "},{"),
			    "\"victim_key\""));
			if (strstr(req, "A-5") != NULL)
				import_store_failed(imp, "23503");
			else
				import_stored(imp, strstr(req, "A-6") != NULL,
				    "{\"id\":7,\"reference\":\"REF-2026-0007\","
				    "\"forum\":null}");
			buf_free(&out);
		}
	}
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
	    "%lu:%d:%s:%s\n", row->line, row->status,
	    row->errs.count > 0 ? row->errs.items[0].field : "",
	    row->status == IMPORT_REFUSED ? row->error : "");
}

static void
run(size_t chunk, struct seen *s, struct import_totals *t)
{
	struct import		 imp;
	enum import_event	 ev;
	size_t			 len = sizeof(file) - 1, off = 0, n, used;

	memset(s, 0, sizeof(*s));
	import_init(&imp, today, "cumbria", NULL);
	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		for (size_t k = 0; k < n; k += used) {
			ev = import_feed(&imp, file + off + k, n - k, &used);
			if (ev == IMPORT_MORE)
				break;
			ck_assert_int_eq(ev, IMPORT_ROW);
			handle(&imp, s);
		}
		off += n;
	}
	while ((ev = import_end(&imp)) != IMPORT_END) {
		ck_assert_int_eq(ev, IMPORT_ROW);
		handle(&imp, s);
	}
	*t = imp.totals;
	import_free(&imp);
}

START_TEST(test_rows)
{
	struct seen		s, again;
	struct import_totals	t;
	char			want[512];

	snprintf(want, sizeof(want),
	    "2:%d::\n6:%d:victim_dob:\n7:%d::victim_under_16\n8:%d::\n"
	    "9:%d:referring_agency:\n10:%d::\n",
	    IMPORT_DUPLICATE, IMPORT_INVALID, IMPORT_REFUSED, IMPORT_INVALID,
	    IMPORT_INVALID, IMPORT_CREATED);
	run(sizeof(file), &s, &t);
	ck_assert_str_eq(s.text, want);
	ck_assert_uint_eq(t.rows, 6);
	ck_assert_uint_eq(t.imported, 1);
	ck_assert_uint_eq(t.duplicates, 1);
	ck_assert_uint_eq(t.refused, 1);
	ck_assert_uint_eq(t.invalid, 3);
	for (size_t chunk = 1; chunk < 64; chunk++) {
		run(chunk, &again, &t);
		ck_assert_str_eq(again.text, want);
	}
}
END_TEST

START_TEST(test_row_json)
{
	struct import_row	 row;
	cJSON			*o, *want;

	memset(&row, 0, sizeof(row));
	row.line = 9;
	row.status = IMPORT_INVALID;
	field_errors_init(&row.errs);
	field_errors_add(&row.errs, "victim_dob", "is required");
	field_errors_add(&row.errs, "", "has 3 cells; the header has 4");
	o = import_row_json(&row);
	want = cJSON_Parse("{\"row\":9,\"status\":\"invalid\",\"id\":null,"
	    "\"reference\":null,\"forum\":null,\"errors\":[{\"field\":"
	    "\"victim_dob\",\"reason\":\"is required\"},{\"field\":null,"
	    "\"reason\":\"has 3 cells; the header has 4\"}]}");
	ck_assert(cJSON_Compare(o, want, true));
	cJSON_Delete(o);
	cJSON_Delete(want);

	memset(&row, 0, sizeof(row));
	row.line = 2;
	row.status = IMPORT_CREATED;
	row.id = 42;
	strcpy(row.reference, "MASC-2026-0042");
	strcpy(row.forum, "masc");
	strcpy(row.referral_status, "waiting");
	o = import_row_json(&row);
	want = cJSON_Parse("{\"row\":2,\"status\":\"created\",\"id\":42,"
	    "\"reference\":\"MASC-2026-0042\",\"referral_status\":\"waiting\","
	    "\"forum\":\"masc\",\"errors\":[]}");
	ck_assert(cJSON_Compare(o, want, true));
	cJSON_Delete(o);
	cJSON_Delete(want);
}
END_TEST

/* A row for an area or forum without sittings would be heard nowhere. */
START_TEST(test_unserved)
{
	struct intake_decision	d;
	struct intake_served	srv = { "cumbria", true, false };
	char			why[FIELD_REASON_MAX];
	const char		*got;

	memset(&d, 0, sizeof(d));
	d.area = "cumbria";
	d.route.outcome = ROUTING_LISTED;
	d.route.forum = FORUM_MASC;
	ck_assert_int_eq(intake_unserved(&d, &srv, why, sizeof(why)), 0);
	d.route.forum = FORUM_MARAC;
	ck_assert_int_eq(intake_unserved(&d, &srv, why, sizeof(why)), -1);
	got = why;
	ck_assert_ptr_nonnull(strstr(got, "no MARAC sittings"));
	srv.marac = true;
	ck_assert_int_eq(intake_unserved(&d, &srv, why, sizeof(why)), 0);
	d.area = "westmorland";
	ck_assert_int_eq(intake_unserved(&d, &srv, why, sizeof(why)), -1);
	got = why;
	ck_assert_ptr_nonnull(strstr(got, "cumbria only"));
	/* Below threshold: no sitting needed, but the area must be served. */
	d.route.outcome = ROUTING_BELOW_THRESHOLD;
	ck_assert_int_eq(intake_unserved(&d, &srv, why, sizeof(why)), -1);
	d.area = "cumbria";
	srv.masc = srv.marac = false;
	ck_assert_int_eq(intake_unserved(&d, &srv, why, sizeof(why)), 0);
}
END_TEST

static enum import_event
first_event(const char *text, struct import *imp)
{
	enum import_event	ev;
	size_t			used;

	import_init(imp, today, "cumbria", NULL);
	ev = import_feed(imp, text, strlen(text), &used);
	if (ev == IMPORT_MORE)
		ev = import_end(imp);
	return ev;
}

/*
 * The deployment's [referrals] numbers reach every row: a 17-year-old
 * victim and a DASH score of 1, by the defaults and by a deployment that
 * refers from 18 and calls a score of 1 medium.
 */
static void
route_one(const struct intake_params *p, struct import *imp)
{
	static const char text[] = HEADER
	    ROW("P-1", "2009-01-01", "seventeen");
	struct intake_facts	f = { .received_at = "2026-11-20T10:00:00Z" };
	size_t			used;

	import_init(imp, today, "cumbria", p);
	ck_assert_int_eq(import_feed(imp, text, sizeof(text) - 1, &used),
	    IMPORT_ROW);
	ck_assert_int_eq(imp->row.status, IMPORT_PENDING);
	f.received_date = D("2026-11-20");
	(void)import_route(imp, &f);
}

START_TEST(test_params)
{
	struct intake_params	p;
	struct import		imp;

	route_one(NULL, &imp);
	ck_assert_int_eq(imp.row.status, IMPORT_PENDING);
	ck_assert_int_eq(imp.row.d.risk.level, RISK_STANDARD);
	ck_assert_int_eq(imp.row.d.route.outcome, ROUTING_BELOW_THRESHOLD);
	import_free(&imp);

	intake_params_default(&p);
	p.risk.dash_medium_min = 1;
	p.risk.dash_high_min = 2;
	route_one(&p, &imp);
	ck_assert_int_eq(imp.row.d.risk.level, RISK_MEDIUM);
	import_free(&imp);

	p.routing.min_victim_age = 18;
	route_one(&p, &imp);
	ck_assert_int_eq(imp.row.status, IMPORT_REFUSED);
	ck_assert_str_eq(imp.row.error, "victim_under_16");
	ck_assert_ptr_nonnull(strstr(imp.row.message, "under 18"));
	import_free(&imp);
}
END_TEST

START_TEST(test_bad_header)
{
	struct import imp;

	ck_assert_int_eq(first_event("", &imp), IMPORT_BAD_HEADER);
	ck_assert_ptr_nonnull(strstr(imp.row.errs.items[0].reason,
	    "no header"));
	ck_assert_int_eq(import_end(&imp), IMPORT_END);
	import_free(&imp);

	ck_assert_int_eq(first_event("\n\n", &imp), IMPORT_BAD_HEADER);
	import_free(&imp);

	ck_assert_int_eq(first_event("victim_name,victim_age\nx,y\n", &imp),
	    IMPORT_BAD_HEADER);
	ck_assert_ptr_nonnull(field_errors_find(&imp.row.errs, "victim_age"));
	ck_assert_ptr_nonnull(field_errors_find(&imp.row.errs, "victim_dob"));
	import_free(&imp);

	ck_assert_int_eq(first_event("a\"b\n", &imp), IMPORT_BAD_HEADER);
	ck_assert_uint_eq(imp.row.line, 1);
	import_free(&imp);

	/* A header alone is an empty import. */
	ck_assert_int_eq(first_event(HEADER, &imp), IMPORT_END);
	ck_assert_uint_eq(imp.totals.rows, 0);
	import_free(&imp);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite	*s = suite_create("import");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_row_json);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_bad_header);
	tcase_add_test(tc, test_unserved);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(import_suite());
	int	 failed;

	today = date_from_ymd(2026, 11, 25);	/* outside a test: no ck_assert */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * Sitting series and their cutoffs.  Expected dates were worked out by
 * hand from the gov.uk holiday list, not from the code under test.  Which
 * sitting a referral joins is the database's rule (referral_sitting_for),
 * tested through HTTP in tests/integration/test_calendar.py.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/sittings.h"
#include "core/workdays.h"
#include "unit_date.h"

static struct calendar cal;
static struct sitting_series masc;

static void
setup(void)
{
	ck_assert_int_eq(workdays_init(&cal, workdays_known_overrides,
	    workdays_nknown_overrides, NULL), 0);
	masc = (struct sitting_series){
		.anchor = D(SITTINGS_MASC_ANCHOR),
		.interval_days = SITTINGS_MASC_INTERVAL,
		.cutoff_workdays = SITTINGS_MASC_CUTOFF_WORKDAYS,
		.cutoff_seconds = SITTINGS_END_OF_DAY,
		.policy = SITTING_MOVE,
	};
}

START_TEST(test_series_valid)
{
	struct sitting_series s = masc;

	ck_assert(sittings_series_valid(&masc));
	ck_assert_int_eq(date_weekday(masc.anchor), 1);
	s.interval_days = 0;
	ck_assert(!sittings_series_valid(&s));
	s = masc;
	s.interval_days = SITTINGS_INTERVAL_MAX + 1;
	ck_assert(!sittings_series_valid(&s));
	s = masc;
	s.cutoff_workdays = -1;
	ck_assert(!sittings_series_valid(&s));
	s = masc;
	s.cutoff_workdays = SITTINGS_CUTOFF_WORKDAYS_MAX + 1;
	ck_assert(!sittings_series_valid(&s));
	s = masc;
	s.cutoff_seconds = SITTINGS_DAY_SECONDS;
	ck_assert(!sittings_series_valid(&s));
	s.cutoff_seconds = -1;
	ck_assert(!sittings_series_valid(&s));
	s = masc;
	s.policy = 9;
	ck_assert(!sittings_series_valid(&s));
	s = masc;
	s.anchor = date_from_ymd(1899, 1, 1);
	ck_assert(!sittings_series_valid(&s));
}
END_TEST

/* The domain's example: Monday 2026-12-07, 3 working days -> Wed 2026-12-02. */
START_TEST(test_cutoff_example)
{
	char buf[DATE_STRLEN];
	struct sitting_series s = masc;

	ck_assert_str_eq(date_format(sittings_cutoff_date(&cal, &masc,
	    D("2026-12-07")), buf), "2026-12-02");
	s.cutoff_workdays = 0;
	ck_assert_str_eq(date_format(sittings_cutoff_date(&cal, &s,
	    D("2026-12-07")), buf), "2026-12-07");
}
END_TEST

/*
 * Every MASC Monday from the anchor that falls on a bank holiday between
 * 2025 and 2027, where it is held instead, and its cutoff.
 */
static const struct {
	const char *scheduled, *held, *cutoff;
} masc_moved[] = {
	{ "2025-08-25", "2025-08-26", "2025-08-20" },	/* Summer */
	{ "2026-04-06", "2026-04-07", "2026-03-31" },	/* Easter Monday */
	{ "2026-05-04", "2026-05-05", "2026-04-29" },	/* Early May */
	{ "2026-12-28", "2026-12-29", "2026-12-22" },	/* Boxing substitute */
	{ "2027-05-03", "2027-05-04", "2027-04-28" },	/* Early May */
	{ "2027-05-31", "2027-06-01", "2027-05-26" },	/* Spring */
	{ "2027-12-27", "2027-12-29", "2027-12-22" },	/* Christmas substitute */
};
#define NMOVED (sizeof(masc_moved) / sizeof(masc_moved[0]))

START_TEST(test_masc_over_bank_holidays)
{
	struct sitting_date out[128];
	char buf[DATE_STRLEN];
	size_t n, k = 0;

	n = sittings_generate(&cal, &masc, D("2025-01-01"), D("2027-12-31"),
	    out, 128);
	ck_assert_uint_le(n, 128);
	ck_assert_str_eq(date_format(out[0].date, buf), "2025-06-16");
	ck_assert_str_eq(date_format(out[0].cutoff, buf), "2025-06-11");
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(out[i].scheduled, masc.anchor + 14 * (date_t)i);
		ck_assert(workdays_is_working_day(&cal, out[i].date));
		if (out[i].scheduled == out[i].date) {
			ck_assert_int_eq(date_weekday(out[i].date), 1);
			continue;
		}
		ck_assert_uint_lt(k, NMOVED);
		ck_assert_str_eq(date_format(out[i].scheduled, buf),
		    masc_moved[k].scheduled);
		ck_assert_str_eq(date_format(out[i].date, buf),
		    masc_moved[k].held);
		ck_assert_str_eq(date_format(out[i].cutoff, buf),
		    masc_moved[k].cutoff);
		k++;
	}
	ck_assert_uint_eq(k, NMOVED);
	/* 2025-06-16 .. 2027-12-27 is 66 fortnights. */
	ck_assert_uint_eq(n, 67);
}
END_TEST

START_TEST(test_masc_first_weeks)
{
	static const char *want[][2] = {
		{ "2025-06-16", "2025-06-11" },
		{ "2025-06-30", "2025-06-25" },
		{ "2025-07-14", "2025-07-09" },
		{ "2025-07-28", "2025-07-23" },
		{ "2025-08-11", "2025-08-06" },
		{ "2025-08-26", "2025-08-20" },
		{ "2025-09-08", "2025-09-03" },
	};
	struct sitting_date out[7];
	char buf[DATE_STRLEN];

	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2025-06-01"),
	    D("2025-09-08"), out, 7), 7);
	for (size_t i = 0; i < 7; i++) {
		ck_assert_str_eq(date_format(out[i].date, buf), want[i][0]);
		ck_assert_str_eq(date_format(out[i].cutoff, buf), want[i][1]);
	}
}
END_TEST

/* A window holds sittings by the date they are held on. */
START_TEST(test_window_edges)
{
	struct sitting_date out[4];
	char buf[DATE_STRLEN];

	/* Scheduled before the window, held inside it. */
	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2026-04-07"),
	    D("2026-04-07"), out, 4), 1);
	ck_assert_str_eq(date_format(out[0].scheduled, buf), "2026-04-06");
	/* Scheduled inside the window, held after it. */
	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2026-04-01"),
	    D("2026-04-06"), out, 4), 0);
	/* An empty or inverted window. */
	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2026-04-08"),
	    D("2026-04-19"), out, 4), 0);
	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2026-05-01"),
	    D("2026-04-01"), out, 4), 0);
	/* Nothing before the anchor. */
	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2025-01-01"),
	    D("2025-06-15"), out, 4), 0);
	/* A small buffer still gets the full count. */
	ck_assert_uint_eq(sittings_generate(&cal, &masc, D("2026-01-01"),
	    D("2026-12-31"), out, 4), 26);
	ck_assert_str_eq(date_format(out[3].date, buf), "2026-02-23");
}
END_TEST

START_TEST(test_skip_policy)
{
	struct sitting_series s = masc;
	struct sitting_date out[8];
	char buf[DATE_STRLEN];

	s.policy = SITTING_SKIP;
	ck_assert_uint_eq(sittings_generate(&cal, &s, D("2026-03-20"),
	    D("2026-05-20"), out, 8), 3);
	ck_assert_str_eq(date_format(out[0].date, buf), "2026-03-23");
	ck_assert_str_eq(date_format(out[1].date, buf), "2026-04-20");
	ck_assert_str_eq(date_format(out[2].date, buf), "2026-05-18");
}
END_TEST

/* A weekly Thursday MARAC over Christmas 2025 and New Year 2026. */
START_TEST(test_weekly_marac)
{
	struct sitting_series s = {
		.anchor = D("2025-12-04"),
		.interval_days = SITTINGS_MARAC_INTERVAL,
		.cutoff_workdays = 2,
		.cutoff_seconds = 12 * 3600,
		.policy = SITTING_MOVE,
	};
	static const char *want[][3] = {
		{ "2025-12-18", "2025-12-18", "2025-12-16" },
		{ "2025-12-25", "2025-12-29", "2025-12-23" },
		{ "2026-01-01", "2026-01-02", "2025-12-30" },
		{ "2026-01-08", "2026-01-08", "2026-01-06" },
	};
	struct sitting_date out[4];
	char buf[DATE_STRLEN];

	ck_assert_uint_eq(sittings_generate(&cal, &s, D("2025-12-15"),
	    D("2026-01-10"), out, 4), 4);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(date_format(out[i].scheduled, buf), want[i][0]);
		ck_assert_str_eq(date_format(out[i].date, buf), want[i][1]);
		ck_assert_str_eq(date_format(out[i].cutoff, buf), want[i][2]);
	}
}
END_TEST

/* A daily series: three non-working days must not give three sittings. */
START_TEST(test_moves_do_not_collide)
{
	struct sitting_series s = masc;
	struct sitting_date out[8];
	char buf[DATE_STRLEN];
	static const char *want[] = {
		"2026-04-01", "2026-04-02", "2026-04-07", "2026-04-08"
	};

	s.anchor = D("2026-03-01");
	s.interval_days = 1;
	ck_assert_uint_eq(sittings_generate(&cal, &s, D("2026-04-01"),
	    D("2026-04-08"), out, 8), 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(date_format(out[i].date, buf), want[i]);
	ck_assert_str_eq(date_format(out[2].scheduled, buf), "2026-04-03");
}
END_TEST

static Suite *
sittings_suite(void)
{
	Suite *s = suite_create("sittings");
	TCase *tc;

	tc = tcase_create("series");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_series_valid);
	tcase_add_test(tc, test_cutoff_example);
	tcase_add_test(tc, test_masc_over_bank_holidays);
	tcase_add_test(tc, test_masc_first_weeks);
	tcase_add_test(tc, test_window_edges);
	tcase_add_test(tc, test_skip_policy);
	tcase_add_test(tc, test_weekly_marac);
	tcase_add_test(tc, test_moves_do_not_collide);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sittings_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

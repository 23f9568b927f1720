/*
 * Bank holidays and working-day arithmetic.  The expected holidays are
 * the published gov.uk list for England and Wales, typed in by hand, not
 * derived from the code under test.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/workdays.h"
#include "unit_date.h"

static struct calendar cal;

static void
setup(void)
{
	ck_assert_int_eq(workdays_init(&cal, workdays_known_overrides,
	    workdays_nknown_overrides, NULL), 0);
}

static const struct {
	const char *date, *name;
} govuk[] = {
	{ "2019-01-01", "New Year's Day" },
	{ "2019-04-19", "Good Friday" },
	{ "2019-04-22", "Easter Monday" },
	{ "2019-05-06", "Early May bank holiday" },
	{ "2019-05-27", "Spring bank holiday" },
	{ "2019-08-26", "Summer bank holiday" },
	{ "2019-12-25", "Christmas Day" },
	{ "2019-12-26", "Boxing Day" },

	{ "2020-01-01", "New Year's Day" },
	{ "2020-04-10", "Good Friday" },
	{ "2020-04-13", "Easter Monday" },
	{ "2020-05-08", "Early May bank holiday (VE day)" },
	{ "2020-05-25", "Spring bank holiday" },
	{ "2020-08-31", "Summer bank holiday" },
	{ "2020-12-25", "Christmas Day" },
	{ "2020-12-28", "Boxing Day (substitute day)" },

	{ "2021-01-01", "New Year's Day" },
	{ "2021-04-02", "Good Friday" },
	{ "2021-04-05", "Easter Monday" },
	{ "2021-05-03", "Early May bank holiday" },
	{ "2021-05-31", "Spring bank holiday" },
	{ "2021-08-30", "Summer bank holiday" },
	{ "2021-12-27", "Christmas Day (substitute day)" },
	{ "2021-12-28", "Boxing Day (substitute day)" },

	{ "2022-01-03", "New Year's Day (substitute day)" },
	{ "2022-04-15", "Good Friday" },
	{ "2022-04-18", "Easter Monday" },
	{ "2022-05-02", "Early May bank holiday" },
	{ "2022-06-02", "Spring bank holiday" },
	{ "2022-06-03", "Platinum Jubilee bank holiday" },
	{ "2022-08-29", "Summer bank holiday" },
	{ "2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II" },
	{ "2022-12-26", "Boxing Day" },
	{ "2022-12-27", "Christmas Day (substitute day)" },

	{ "2023-01-02", "New Year's Day (substitute day)" },
	{ "2023-04-07", "Good Friday" },
	{ "2023-04-10", "Easter Monday" },
	{ "2023-05-01", "Early May bank holiday" },
	{ "2023-05-08", "Bank holiday for the coronation of King Charles III" },
	{ "2023-05-29", "Spring bank holiday" },
	{ "2023-08-28", "Summer bank holiday" },
	{ "2023-12-25", "Christmas Day" },
	{ "2023-12-26", "Boxing Day" },

	{ "2024-01-01", "New Year's Day" },
	{ "2024-03-29", "Good Friday" },
	{ "2024-04-01", "Easter Monday" },
	{ "2024-05-06", "Early May bank holiday" },
	{ "2024-05-27", "Spring bank holiday" },
	{ "2024-08-26", "Summer bank holiday" },
	{ "2024-12-25", "Christmas Day" },
	{ "2024-12-26", "Boxing Day" },

	{ "2025-01-01", "New Year's Day" },
	{ "2025-04-18", "Good Friday" },
	{ "2025-04-21", "Easter Monday" },
	{ "2025-05-05", "Early May bank holiday" },
	{ "2025-05-26", "Spring bank holiday" },
	{ "2025-08-25", "Summer bank holiday" },
	{ "2025-12-25", "Christmas Day" },
	{ "2025-12-26", "Boxing Day" },

	{ "2026-01-01", "New Year's Day" },
	{ "2026-04-03", "Good Friday" },
	{ "2026-04-06", "Easter Monday" },
	{ "2026-05-04", "Early May bank holiday" },
	{ "2026-05-25", "Spring bank holiday" },
	{ "2026-08-31", "Summer bank holiday" },
	{ "2026-12-25", "Christmas Day" },
	{ "2026-12-28", "Boxing Day (substitute day)" },

	{ "2027-01-01", "New Year's Day" },
	{ "2027-03-26", "Good Friday" },
	{ "2027-03-29", "Easter Monday" },
	{ "2027-05-03", "Early May bank holiday" },
	{ "2027-05-31", "Spring bank holiday" },
	{ "2027-08-30", "Summer bank holiday" },
	{ "2027-12-27", "Christmas Day (substitute day)" },
	{ "2027-12-28", "Boxing Day (substitute day)" },

	{ "2028-01-03", "New Year's Day (substitute day)" },
	{ "2028-04-14", "Good Friday" },
	{ "2028-04-17", "Easter Monday" },
	{ "2028-05-01", "Early May bank holiday" },
	{ "2028-05-29", "Spring bank holiday" },
	{ "2028-08-28", "Summer bank holiday" },
	{ "2028-12-25", "Christmas Day" },
	{ "2028-12-26", "Boxing Day" },

	{ "2029-01-01", "New Year's Day" },
	{ "2029-03-30", "Good Friday" },
	{ "2029-04-02", "Easter Monday" },
	{ "2029-05-07", "Early May bank holiday" },
	{ "2029-05-28", "Spring bank holiday" },
	{ "2029-08-27", "Summer bank holiday" },
	{ "2029-12-25", "Christmas Day" },
	{ "2029-12-26", "Boxing Day" },

	{ "2030-01-01", "New Year's Day" },
	{ "2030-04-19", "Good Friday" },
	{ "2030-04-22", "Easter Monday" },
	{ "2030-05-06", "Early May bank holiday" },
	{ "2030-05-27", "Spring bank holiday" },
	{ "2030-08-26", "Summer bank holiday" },
	{ "2030-12-25", "Christmas Day" },
	{ "2030-12-26", "Boxing Day" },
};
#define NGOVUK (sizeof(govuk) / sizeof(govuk[0]))

/* Loop index _i is the year: its list must equal the table's, in order. */
START_TEST(test_year_matches_govuk)
{
	struct holiday h[WORKDAYS_YEAR_MAX];
	char buf[DATE_STRLEN], prefix[6];
	size_t n, k = 0;

	n = workdays_year(&cal, _i, h);
	snprintf(prefix, sizeof(prefix), "%d-", _i);
	for (size_t i = 0; i < NGOVUK; i++) {
		if (strncmp(govuk[i].date, prefix, 5) != 0)
			continue;
		ck_assert_msg(k < n, "%d: missing %s", _i, govuk[i].date);
		ck_assert_str_eq(date_format(h[k].date, buf), govuk[i].date);
		ck_assert_str_eq(h[k].name, govuk[i].name);
		k++;
	}
	ck_assert_uint_eq(n, k);
}
END_TEST

START_TEST(test_each_govuk_day)
{
	date_t d = D(govuk[_i].date);

	ck_assert(workdays_is_holiday(&cal, d));
	ck_assert(!workdays_is_working_day(&cal, d));
	ck_assert_str_eq(workdays_holiday_name(&cal, d), govuk[_i].name);
}
END_TEST

START_TEST(test_holidays_in_range)
{
	struct holiday h[NGOVUK + 1];
	char buf[DATE_STRLEN];
	size_t n;

	n = workdays_holidays_in(&cal, D("2019-01-01"), D("2030-12-31"), h,
	    NGOVUK + 1);
	ck_assert_uint_eq(n, NGOVUK);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(date_format(h[i].date, buf), govuk[i].date);

	/* Too small a buffer: filled, and the full count returned. */
	n = workdays_holidays_in(&cal, D("2026-01-01"), D("2026-12-31"), h, 3);
	ck_assert_uint_eq(n, 8);
	ck_assert_str_eq(date_format(h[2].date, buf), "2026-04-06");

	/* Inclusive at both ends. */
	n = workdays_holidays_in(&cal, D("2026-12-25"), D("2026-12-28"), h, 4);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(workdays_holidays_in(&cal, D("2026-12-26"),
	    D("2026-12-27"), h, 4), 0);
	ck_assert_uint_eq(workdays_holidays_in(&cal, D("2026-12-28"),
	    D("2026-12-25"), h, 4), 0);
}
END_TEST

/* The constant table's dates must be the dates its comments say. */
START_TEST(test_known_overrides)
{
	const struct holiday_override *o = workdays_known_overrides;

	ck_assert_uint_eq(workdays_nknown_overrides, 5);
	ck_assert_int_eq(o[0].kind, HOLIDAY_MOVE);
	ck_assert_int_eq(o[0].date, D("2020-05-08"));
	ck_assert_int_eq(o[0].from, D("2020-05-04"));
	ck_assert_int_eq(o[1].kind, HOLIDAY_MOVE);
	ck_assert_int_eq(o[1].date, D("2022-06-02"));
	ck_assert_int_eq(o[1].from, D("2022-05-30"));
	ck_assert_int_eq(o[2].kind, HOLIDAY_ADD);
	ck_assert_int_eq(o[2].date, D("2022-06-03"));
	ck_assert_int_eq(o[3].kind, HOLIDAY_ADD);
	ck_assert_int_eq(o[3].date, D("2022-09-19"));
	ck_assert_int_eq(o[4].kind, HOLIDAY_ADD);
	ck_assert_int_eq(o[4].date, D("2023-05-08"));
}
END_TEST

/* Without the overrides only the rules apply. */
START_TEST(test_rules_only)
{
	struct calendar bare;

	ck_assert_int_eq(workdays_init(&bare, NULL, 0, NULL), 0);
	ck_assert_str_eq(workdays_holiday_name(&bare, D("2020-05-04")),
	    "Early May bank holiday");
	ck_assert(!workdays_is_holiday(&bare, D("2020-05-08")));
	ck_assert_str_eq(workdays_holiday_name(&bare, D("2022-05-30")),
	    "Spring bank holiday");
	ck_assert(!workdays_is_holiday(&bare, D("2022-06-02")));
	ck_assert(!workdays_is_holiday(&bare, D("2022-06-03")));
	ck_assert(!workdays_is_holiday(&bare, D("2022-09-19")));
	ck_assert(!workdays_is_holiday(&bare, D("2023-05-08")));

	ck_assert(workdays_is_working_day(&cal, D("2020-05-04")));
	ck_assert(workdays_is_working_day(&cal, D("2022-05-30")));
}
END_TEST

START_TEST(test_override_semantics)
{
	struct holiday_override o[] = {
		{ HOLIDAY_REMOVE, D("2025-12-26"), 0, NULL },
		/* A move across a year end keeps the rule's name. */
		{ HOLIDAY_MOVE, D("2026-01-02"), D("2025-12-25"), NULL },
		/* An add on a holiday renames it rather than doubling it. */
		{ HOLIDAY_ADD, D("2026-04-06"), 0, "Renamed" },
		/* Later entries win: removed, then added back. */
		{ HOLIDAY_REMOVE, D("2026-08-31"), 0, NULL },
		{ HOLIDAY_ADD, D("2026-08-31"), 0, "Back again" },
	};
	struct holiday h[WORKDAYS_YEAR_MAX];
	struct calendar c;

	ck_assert_int_eq(workdays_init(&c, o, 5, NULL), 0);
	ck_assert(!workdays_is_holiday(&c, D("2025-12-25")));
	ck_assert(!workdays_is_holiday(&c, D("2025-12-26")));
	ck_assert_str_eq(workdays_holiday_name(&c, D("2026-01-02")),
	    "Christmas Day");
	ck_assert_str_eq(workdays_holiday_name(&c, D("2026-04-06")), "Renamed");
	ck_assert_str_eq(workdays_holiday_name(&c, D("2026-08-31")),
	    "Back again");
	ck_assert_uint_eq(workdays_year(&c, 2025, h), 6);
	ck_assert_uint_eq(workdays_year(&c, 2026, h), 9);
	for (size_t i = 1; i < 9; i++)
		ck_assert_int_lt(h[i - 1].date, h[i].date);
}
END_TEST

START_TEST(test_init_rejects)
{
	struct holiday_override o[WORKDAYS_YEAR_MAX];
	struct calendar c;
	size_t bad = 99;

	o[0] = (struct holiday_override){ HOLIDAY_ADD, D("2026-06-01"), 0, "x" };
	o[1] = (struct holiday_override){ HOLIDAY_ADD, D("2026-06-02"), 0, NULL };
	ck_assert_int_eq(workdays_init(&c, o, 2, &bad), -1);
	ck_assert_uint_eq(bad, 1);

	o[1] = (struct holiday_override){ HOLIDAY_ADD, D("2026-06-02"), 0, "" };
	ck_assert_int_eq(workdays_init(&c, o, 2, &bad), -1);

	o[1] = (struct holiday_override){ 7, D("2026-06-02"), 0, "x" };
	ck_assert_int_eq(workdays_init(&c, o, 2, &bad), -1);

	o[1] = (struct holiday_override){ HOLIDAY_REMOVE,
	    date_from_ymd(1899, 12, 31), 0, NULL };
	ck_assert_int_eq(workdays_init(&c, o, 2, &bad), -1);

	o[1] = (struct holiday_override){ HOLIDAY_MOVE, D("2026-06-02"),
	    date_from_ymd(2201, 1, 1), NULL };
	ck_assert_int_eq(workdays_init(&c, o, 2, &bad), -1);

	/* One year can take WORKDAYS_YEAR_MAX - 8 added days, no more. */
	for (int i = 0; i < WORKDAYS_YEAR_MAX; i++)
		o[i] = (struct holiday_override){ HOLIDAY_ADD,
		    D("2026-07-01") + i, 0, "x" };
	ck_assert_int_eq(workdays_init(&c, o, WORKDAYS_YEAR_MAX - 8, &bad), 0);
	ck_assert_int_eq(workdays_init(&c, o, WORKDAYS_YEAR_MAX - 7, &bad), -1);
	ck_assert_uint_eq(bad, WORKDAYS_YEAR_MAX - 8);
}
END_TEST

static const struct {
	const char	*from;
	int		 n;
	const char	*want;
} adds[] = {
	/* Christmas 2026: Fri 25, Boxing substitute Mon 28. */
	{ "2026-12-24", 1, "2026-12-29" },
	{ "2026-12-29", -1, "2026-12-24" },
	{ "2026-12-25", 1, "2026-12-29" },
	{ "2026-12-26", -1, "2026-12-24" },
	{ "2026-12-31", 1, "2027-01-04" },
	{ "2027-01-04", -3, "2026-12-29" },
	{ "2026-12-18", 8, "2027-01-04" },
	/* Christmas 2027: Sat and Sun, substitutes Mon 27 and Tue 28. */
	{ "2027-12-24", 1, "2027-12-29" },
	{ "2027-12-23", 2, "2027-12-29" },
	{ "2027-12-29", -1, "2027-12-24" },
	/* Christmas 2022: Boxing Mon 26, Christmas substitute Tue 27. */
	{ "2022-12-23", 1, "2022-12-28" },
	/* Easter 2026: Good Friday 3 April, Easter Monday 6 April. */
	{ "2026-04-02", 1, "2026-04-07" },
	{ "2026-04-07", -1, "2026-04-02" },
	{ "2026-04-03", 1, "2026-04-07" },
	{ "2026-04-03", -1, "2026-04-02" },
	{ "2026-04-09", -5, "2026-03-31" },
	/* Easter 2024 straddling a month end. */
	{ "2024-03-28", 1, "2024-04-02" },
	/* The domain's cutoff example. */
	{ "2026-12-07", -3, "2026-12-02" },
	/* One-off days. */
	{ "2022-06-01", 1, "2022-06-06" },
	{ "2022-09-16", 1, "2022-09-20" },
	{ "2020-05-07", 1, "2020-05-11" },
	{ "2020-05-01", 1, "2020-05-04" },
	/* n = 0 is d, working or not. */
	{ "2026-12-26", 0, "2026-12-26" },
	{ "2026-12-24", 0, "2026-12-24" },
	/* An ordinary week. */
	{ "2026-06-12", 5, "2026-06-19" },
	{ "2026-06-13", 1, "2026-06-15" },
	{ "2026-06-14", -1, "2026-06-12" },
};

START_TEST(test_add)
{
	char buf[DATE_STRLEN];
	date_t got;

	got = workdays_add(&cal, D(adds[_i].from), adds[_i].n);
	ck_assert_msg(strcmp(date_format(got, buf), adds[_i].want) == 0,
	    "%s %+d: got %s, want %s", adds[_i].from, adds[_i].n, buf,
	    adds[_i].want);
}
END_TEST

START_TEST(test_next)
{
	char buf[DATE_STRLEN];

	ck_assert_str_eq(date_format(workdays_next(&cal, D("2026-12-24")), buf),
	    "2026-12-24");
	ck_assert_str_eq(date_format(workdays_next(&cal, D("2026-12-25")), buf),
	    "2026-12-29");
	ck_assert_str_eq(date_format(workdays_next(&cal, D("2027-12-25")), buf),
	    "2027-12-29");
	ck_assert_str_eq(date_format(workdays_next(&cal, D("2026-04-03")), buf),
	    "2026-04-07");
	ck_assert_str_eq(date_format(workdays_next(&cal, D("2026-06-13")), buf),
	    "2026-06-15");
	ck_assert_str_eq(date_format(workdays_next(&cal, D("2022-06-02")), buf),
	    "2022-06-06");
}
END_TEST

START_TEST(test_count_between)
{
	/* 261 weekdays in 2026, all 8 holidays on weekdays. */
	ck_assert_int_eq(workdays_count_between(&cal, D("2025-12-31"),
	    D("2026-12-31")), 253);
	ck_assert_int_eq(workdays_count_between(&cal, D("2026-12-18"),
	    D("2027-01-04")), 8);
	ck_assert_int_eq(workdays_count_between(&cal, D("2027-01-04"),
	    D("2026-12-18")), -8);
	ck_assert_int_eq(workdays_count_between(&cal, D("2026-12-24"),
	    D("2026-12-29")), 1);
	ck_assert_int_eq(workdays_count_between(&cal, D("2026-12-24"),
	    D("2026-12-28")), 0);
	ck_assert_int_eq(workdays_count_between(&cal, D("2026-04-02"),
	    D("2026-04-02")), 0);
	ck_assert_int_eq(workdays_count_between(&cal, D("2026-04-01"),
	    D("2026-04-07")), 2);
}
END_TEST

/* add and count agree on every pair in a stretch with both holidays. */
START_TEST(test_add_count_agree)
{
	date_t a, b, start = D("2026-03-20"), end = D("2026-04-20");

	for (a = start; a <= end; a++)
		for (b = a + 1; b <= end; b++) {
			if (!workdays_is_working_day(&cal, b))
				continue;
			ck_assert_int_eq(workdays_add(&cal, a,
			    workdays_count_between(&cal, a, b)), b);
		}
	start = D("2027-12-15");
	end = D("2028-01-10");
	for (a = start; a <= end; a++)
		for (b = a + 1; b <= end; b++)
			if (workdays_is_working_day(&cal, b))
				ck_assert_int_eq(workdays_add(&cal, a,
				    workdays_count_between(&cal, a, b)), b);
}
END_TEST

/* Easter by computus over its whole 35-day range of dates. */
START_TEST(test_easter_far)
{
	static const struct {
		const char *good_friday;
	} far[] = {
		{ "1913-03-21" },	/* Easter 23 March, earliest in range */
		{ "1943-04-23" },	/* Easter 25 April, latest */
		{ "2008-03-21" },
		{ "2038-04-23" },
		{ "2100-03-26" },
		{ "2160-03-21" },
	};
	date_t gf;

	for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		gf = D(far[i].good_friday);
		ck_assert_str_eq(workdays_holiday_name(&cal, gf), "Good Friday");
		ck_assert_str_eq(workdays_holiday_name(&cal, gf + 3),
		    "Easter Monday");
	}
}
END_TEST

static Suite *
workdays_suite(void)
{
	Suite *s = suite_create("workdays");
	TCase *tc;

	tc = tcase_create("holidays");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_year_matches_govuk, 2019, 2031);
	tcase_add_loop_test(tc, test_each_govuk_day, 0, (int)NGOVUK);
	tcase_add_test(tc, test_holidays_in_range);
	tcase_add_test(tc, test_known_overrides);
	tcase_add_test(tc, test_rules_only);
	tcase_add_test(tc, test_override_semantics);
	tcase_add_test(tc, test_init_rejects);
	tcase_add_test(tc, test_easter_far);
	suite_add_tcase(s, tc);

	tc = tcase_create("arithmetic");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_add, 0, (int)(sizeof(adds) / sizeof(adds[0])));
	tcase_add_test(tc, test_next);
	tcase_add_test(tc, test_count_between);
	tcase_add_test(tc, test_add_count_agree);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(workdays_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

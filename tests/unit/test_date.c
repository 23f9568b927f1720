/*
 * Civil dates: parsing, weekdays, ages, month arithmetic.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "unit_date.h"

static const struct {
	const char	*s;
	bool		 ok;
} parses[] = {
	{ "2026-02-28", true },
	{ "2024-02-29", true },
	{ "2000-02-29", true },
	{ "1900-01-01", true },
	{ "2200-12-31", true },
	{ "2026-02-30", false },
	{ "2023-02-29", false },
	{ "1900-02-29", false },	/* 1900 was not a leap year */
	{ "2026-2-01", false },
	{ "2026-02-1", false },
	{ "26-02-01", false },
	{ "2026-02-01x", false },
	{ "2026-02-01 ", false },
	{ "2026-02-01T00:00:00Z", false },
	{ " 2026-02-01", false },
	{ "2026/02/01", false },
	{ "2026-13-01", false },
	{ "2026-00-10", false },
	{ "2026-01-00", false },
	{ "2026-01-32", false },
	{ "+026-01-01", false },
	{ "2026-0a-01", false },
	{ "1899-12-31", false },
	{ "2201-01-01", false },
	{ "", false },
	{ "2026-02", false },
};

START_TEST(test_parse)
{
	date_t d = -12345;
	bool ok = date_parse(parses[_i].s, &d);

	ck_assert_msg(ok == parses[_i].ok, "\"%s\": got %d", parses[_i].s, ok);
	if (!ok)
		ck_assert_int_eq(d, -12345);	/* untouched on failure */
}
END_TEST

START_TEST(test_parse_null)
{
	date_t d;

	ck_assert(!date_parse(NULL, &d));
}
END_TEST

START_TEST(test_epoch_and_format)
{
	char buf[DATE_STRLEN];

	ck_assert_int_eq(D("1970-01-01"), 0);
	ck_assert_int_eq(D("1970-01-02"), 1);
	ck_assert_int_eq(D("1969-12-31"), -1);
	ck_assert_int_eq(D("2000-03-01"), 11017);
	ck_assert_str_eq(date_format(D("1900-01-01"), buf), "1900-01-01");
	ck_assert_str_eq(date_format(date_from_ymd(2026, 12, 7), buf),
	    "2026-12-07");
}
END_TEST

/* Every day in the accepted range survives a round trip. */
START_TEST(test_round_trip)
{
	date_t d, first = date_from_ymd(DATE_MIN_YEAR, 1, 1);
	date_t last = date_from_ymd(DATE_MAX_YEAR, 12, 31);
	char buf[DATE_STRLEN];
	int y, m, day, wd = date_weekday(first);

	for (d = first; d <= last; d++) {
		date_to_ymd(d, &y, &m, &day);
		ck_assert(date_valid_ymd(y, m, day));
		ck_assert_int_eq(date_from_ymd(y, m, day), d);
		ck_assert_int_eq(date_weekday(d), wd);
		wd = wd % 7 + 1;
		if (day == 1 || d == last) {
			date_t back;

			ck_assert(date_parse(date_format(d, buf), &back));
			ck_assert_int_eq(back, d);
		}
	}
}
END_TEST

static const struct {
	const char	*s;
	int		 weekday;
} weekdays[] = {
	{ "1970-01-01", 4 },
	{ "1969-12-28", 7 },
	{ "1900-01-01", 1 },
	{ "2000-01-01", 6 },
	{ "2025-06-16", 1 },	/* first MASC sitting */
	{ "2026-12-02", 3 },
	{ "2026-12-07", 1 },
	{ "2026-12-25", 5 },
	{ "2026-12-26", 6 },
	{ "2027-12-25", 6 },
	{ "2022-12-25", 7 },
};

START_TEST(test_weekday)
{
	ck_assert_int_eq(date_weekday(D(weekdays[_i].s)), weekdays[_i].weekday);
}
END_TEST

START_TEST(test_leap_and_month_length)
{
	ck_assert(date_is_leap(2024));
	ck_assert(date_is_leap(2000));
	ck_assert(!date_is_leap(1900));
	ck_assert(!date_is_leap(2100));
	ck_assert(!date_is_leap(2026));
	ck_assert_int_eq(date_days_in_month(2024, 2), 29);
	ck_assert_int_eq(date_days_in_month(2026, 2), 28);
	ck_assert_int_eq(date_days_in_month(2026, 4), 30);
	ck_assert_int_eq(date_days_in_month(2026, 12), 31);
	ck_assert_int_eq(date_days_in_month(2026, 0), 0);
	ck_assert_int_eq(date_days_in_month(2026, 13), 0);
	ck_assert(!date_valid_ymd(2026, 4, 31));
	ck_assert(!date_valid_ymd(1899, 12, 31));
}
END_TEST

static const struct {
	const char	*birth, *on;
	int		 age;
} ages[] = {
	/* The 16th birthday and the day before: routing's age test. */
	{ "2010-03-15", "2026-03-15", 16 },
	{ "2010-03-15", "2026-03-14", 15 },
	{ "2010-12-31", "2026-12-31", 16 },
	{ "2010-12-31", "2026-12-30", 15 },
	{ "2011-01-01", "2026-12-31", 15 },
	/* Born 29 February: a new age on 1 March in a common year. */
	{ "2008-02-29", "2024-02-29", 16 },
	{ "2008-02-29", "2024-02-28", 15 },
	{ "2008-02-29", "2023-02-28", 14 },
	{ "2008-02-29", "2023-03-01", 15 },
	{ "2008-02-29", "2008-02-29", 0 },
	{ "2008-02-29", "2009-02-28", 0 },
	{ "2008-02-29", "2009-03-01", 1 },
	/* Before birth is not an age. */
	{ "2026-03-15", "2026-03-14", -1 },
};

START_TEST(test_age_on)
{
	ck_assert_msg(date_age_on(D(ages[_i].birth), D(ages[_i].on)) ==
	    ages[_i].age, "born %s, on %s", ages[_i].birth, ages[_i].on);
}
END_TEST

static const struct {
	const char	*from;
	int		 months;
	const char	*want;
} months[] = {
	{ "2026-01-15", 1, "2026-02-15" },
	{ "2026-01-31", 1, "2026-02-28" },
	{ "2024-01-31", 1, "2024-02-29" },
	{ "2026-03-31", 1, "2026-04-30" },
	{ "2024-03-31", -1, "2024-02-29" },
	{ "2026-03-31", -1, "2026-02-28" },
	{ "2024-02-29", 12, "2025-02-28" },
	{ "2024-02-29", 48, "2028-02-29" },
	{ "2026-12-31", 1, "2027-01-31" },
	{ "2026-01-31", -1, "2025-12-31" },
	{ "2026-01-01", -12, "2025-01-01" },
	{ "2026-05-31", -36, "2023-05-31" },
	{ "2026-08-31", 0, "2026-08-31" },
	{ "2026-10-31", 13, "2027-11-30" },
};

START_TEST(test_add_months)
{
	char buf[DATE_STRLEN];

	date_format(date_add_months(D(months[_i].from), months[_i].months),
	    buf);
	ck_assert_msg(strcmp(buf, months[_i].want) == 0, "%s %+d: got %s",
	    months[_i].from, months[_i].months, buf);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc;

	tc = tcase_create("date");
	tcase_add_loop_test(tc, test_parse, 0, N(parses));
	tcase_add_test(tc, test_parse_null);
	tcase_add_test(tc, test_epoch_and_format);
	tcase_add_test(tc, test_round_trip);
	tcase_add_loop_test(tc, test_weekday, 0, N(weekdays));
	tcase_add_test(tc, test_leap_and_month_length);
	tcase_add_loop_test(tc, test_age_on, 0, N(ages));
	tcase_add_loop_test(tc, test_add_months, 0, N(months));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(date_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

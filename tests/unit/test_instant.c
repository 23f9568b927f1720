/*
 * RFC 3339 instants: the one parser in its three forms (maracd's own UTC
 * text, an offset, anything RFC 3339 allows) and the formatter, which
 * reads back through the strictest form.
 */
#include <string.h>

#include "unit.h"

#include "core/instant.h"

static const struct {
	const char	*s;
	long long	 t;
	const char	*day;		/* as written */
	int		 form;		/* the strictest form that takes it */
} good[] = {
	{ "1970-01-01T00:00:00Z", 0, "1970-01-01", INSTANT_UTC },
	{ "1969-12-31T23:59:59Z", -1, "1969-12-31", INSTANT_UTC },
	{ "2026-12-07T09:00:00Z", 1796634000LL, "2026-12-07", INSTANT_UTC },
	{ "2028-02-29T23:59:59Z", 1835481599LL, "2028-02-29", INSTANT_UTC },
	{ "2026-12-07T10:00:00+01:00", 1796634000LL, "2026-12-07",
	    INSTANT_OFFSET },
	{ "2026-12-07T00:30:00+01:00", 1796599800LL, "2026-12-07",
	    INSTANT_OFFSET },
	{ "2026-12-06T23:00:00-10:00", 1796634000LL, "2026-12-06",
	    INSTANT_OFFSET },
	{ "2026-12-07t09:00:00z", 1796634000LL, "2026-12-07", INSTANT_RFC3339 },
	{ "2026-12-07T09:00:00.5Z", 1796634000LL, "2026-12-07",
	    INSTANT_RFC3339 },
	{ "2026-12-07T09:00:00.123456789+00:00", 1796634000LL, "2026-12-07",
	    INSTANT_RFC3339 },
};

static const char *const bad[] = {
	"", "2026-12-07", "2026-12-07T09:00:00", "2026-12-07 09:00:00Z",
	"2026-12-07T09:00Z", "2026-12-07T09:00:00ZZ", "2026-12-07T09:00:00+1",
	"2026-12-07T09:00:00+0100", "2026-12-07T09:00:00+01:00x",
	"2026-12-07T09:00:00+24:00", "2026-12-07T09:00:00+01:60",
	"2026-02-30T09:00:00Z", "2027-02-29T09:00:00Z", "2026-13-01T09:00:00Z",
	"2026-12-07T24:00:00Z", "2026-12-07T09:60:00Z", "2026-12-07T09:00:60Z",
	"+026-12-07T09:00:00Z", "2026-+1-07T09:00:00Z", " 2026-12-07T09:00:00Z",
	"2026-12-07T9 :00:00Z", "2026-12-07T09:00:00.Z",
	"2026-12-07T09:00:00.1234567890Z", "1899-12-31T23:59:59Z",
	"2201-01-01T00:00:00Z",
};

START_TEST(test_good)
{
	char day[DATE_STRLEN];
	int64_t t;
	date_t d;

	for (int form = INSTANT_UTC; form <= INSTANT_RFC3339; form++) {
		bool want = form >= good[_i].form;

		t = 42;
		ck_assert_msg(instant_parse(good[_i].s, (enum instant_form)form,
		    &t, &d) == want, "%s in form %d", good[_i].s, form);
		if (!want) {
			ck_assert_int_eq(t, 42);
			continue;
		}
		ck_assert_msg(t == good[_i].t, "%s: %lld", good[_i].s,
		    (long long)t);
		ck_assert_str_eq(date_format(d, day), good[_i].day);
	}
	ck_assert(instant_parse(good[_i].s, INSTANT_RFC3339, NULL, NULL));
}
END_TEST

START_TEST(test_bad)
{
	int64_t t = 42;
	date_t d = 7;

	for (int form = INSTANT_UTC; form <= INSTANT_RFC3339; form++)
		ck_assert_msg(!instant_parse(bad[_i], (enum instant_form)form,
		    &t, &d), "\"%s\" in form %d", bad[_i], form);
	ck_assert_int_eq(t, 42);
	ck_assert_int_eq(d, 7);
}
END_TEST

START_TEST(test_format_reads_back)
{
	static const long long ts[] = {
		0, -1, 59, 86399, 86400, 1796634000LL, 1835481599LL,
		-2208988800LL,				/* 1900-01-01 */
		7258118399LL,				/* 2199-12-31T23:59:59 */
	};
	char buf[INSTANT_STRLEN];
	int64_t t;

	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		instant_format(ts[i], buf);
		ck_assert_uint_eq(strlen(buf), INSTANT_STRLEN - 1);
		ck_assert_msg(instant_parse(buf, INSTANT_UTC, &t, NULL), "%s", buf);
		ck_assert_int_eq(t, ts[i]);
		ck_assert(instant_in_range(ts[i]));
	}
	ck_assert_str_eq(instant_format(1796634000LL, buf),
	    "2026-12-07T09:00:00Z");
	/* Outside the years date.c accepts: clamped, still four digits. */
	ck_assert_str_eq(instant_format(INT64_MIN, buf), "1900-01-01T00:00:00Z");
	ck_assert_str_eq(instant_format(INT64_MAX, buf), "2200-12-31T23:59:59Z");
	ck_assert(!instant_in_range(-2208988801LL));
	ck_assert(instant_in_range(7289654399LL));	/* 2200-12-31T23:59:59 */
	ck_assert(!instant_in_range(7289654400LL));
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("instant", &tc);

	tcase_add_loop_test(tc, test_good, 0, N(good));
	tcase_add_loop_test(tc, test_bad, 0, N(bad));
	tcase_add_test(tc, test_format_reads_back);
	return unit_run(s);
}

/*
 * MARACD_CLOCK's instants (clock_parse_instant), and clock_init refusing
 * a malformed one or, in a build without the test clock, any.
 */
#include "shell/clock.h"

#include "unit.h"


static const struct {
	const char	*s;
	long long	 want;		/* seconds since the epoch */
} good[] = {
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2026-12-09T10:00:00Z", 1796810400LL },
	{ "2026-12-09T10:00:00+00:00", 1796810400LL },
	{ "2026-12-09T11:00:00+01:00", 1796810400LL },
	{ "2026-12-09T04:30:00-05:30", 1796810400LL },
	/* The last Sunday of October 2026: 01:00 UTC is when BST ends. */
	{ "2026-10-25T01:00:00Z", 1792890000LL },
	{ "2028-02-29T23:59:59Z", 1835481599LL },
};

static const char *const bad[] = {
	"", "2026-12-09", "2026-12-09T10:00:00", "2026-12-09 10:00:00Z",
	"2026-12-09t10:00:00Z", "2026-12-09T10:00:00z", "2026-12-09T10:00Z",
	"2026-12-09T10:00:00.5Z", "2026-12-09T10:00:00ZZ", "2026-12-09T10:00:00+1",
	"2026-12-09T10:00:00+0100", "2026-12-09T10:00:00+01:00x",
	"2026-12-09T10:00:00+24:00", "2026-02-30T10:00:00Z", "2027-02-29T10:00:00Z",
	"2026-13-01T10:00:00Z", "2026-12-09T24:00:00Z", "2026-12-09T10:60:00Z",
	"2026-12-09T10:00:60Z", "+026-12-09T10:00:00Z", "2026-+1-09T10:00:00Z",
	" 2026-12-09T10:00:00Z", "2026-12-09T1 :00:00Z",
};

START_TEST(test_good)
{
	time_t t = -1;

	ck_assert_msg(clock_parse_instant(good[_i].s, &t) == 0, "%s", good[_i].s);
	ck_assert_msg((long long)t == good[_i].want, "%s: %lld", good[_i].s,
	    (long long)t);
}
END_TEST

START_TEST(test_bad)
{
	time_t t = 42;

	ck_assert_msg(clock_parse_instant(bad[_i], &t) == -1, "\"%s\"", bad[_i]);
	ck_assert_int_eq((long long)t, 42);
}
END_TEST

START_TEST(test_init)
{
	char why[256];

	unsetenv("MARACD_CLOCK");
	ck_assert_int_eq(clock_init(why, sizeof(why)), 0);
	ck_assert(!clock_is_test());
	setenv("MARACD_CLOCK", "2026-12-13T09:00", 1);
	ck_assert_int_eq(clock_init(why, sizeof(why)), -1);
	setenv("MARACD_CLOCK", "2026-12-13T09:00:00Z", 1);
#ifdef MARACD_TEST_CLOCK
	ck_assert_int_eq(clock_init(why, sizeof(why)), 0);
	ck_assert(clock_is_test());
	ck_assert(clock_time() - 1797152400LL < 60);
	ck_assert_int_eq(clock_today(), date_from_ymd(2026, 12, 13));
#else
	/* A build without the test clock refuses to live at another time. */
	ck_assert_int_eq(clock_init(why, sizeof(why)), -1);
	ck_assert(!clock_is_test());
#endif
	unsetenv("MARACD_CLOCK");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("clock", &tc);

	tcase_add_loop_test(tc, test_good, 0, N(good));
	tcase_add_loop_test(tc, test_bad, 0, N(bad));
	tcase_add_test(tc, test_init);
	return unit_run(s);
}

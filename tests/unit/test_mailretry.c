/*
 * Outbox retry policy: which refusals are final, what an attempt leads
 * to, how long to wait, what is kept of an error.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mailretry.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	int	 code;
	bool	 auth;
	bool	 permanent;
} codes[] = {
	{ 550, false, true },		/* mailbox unavailable */
	{ 553, false, true },
	{ 554, false, true },		/* transaction failed */
	{ 552, false, true },		/* too big */
	{ 450, false, false },		/* mailbox busy */
	{ 421, false, false },		/* service closing */
	{ 451, false, false },
	{ 0, false, false },		/* no reply: connection refused */
	{ 250, false, false },
	{ 535, false, false },		/* our credentials, not the message */
	{ 530, false, false },
	{ 550, true, false },
};

START_TEST(test_permanent)
{
	ck_assert_msg(mailretry_permanent(codes[_i].code, codes[_i].auth) ==
	    codes[_i].permanent, "%d", codes[_i].code);
}
END_TEST

static const struct {
	bool	 delivered, permanent;
	int	 attempts, max;
	enum mail_outcome want;
} outcomes[] = {
	{ true, false, 1, 10, MAIL_SENT },
	{ true, false, 12, 10, MAIL_SENT },	/* a late success still counts */
	{ false, false, 1, 10, MAIL_RETRY },
	{ false, false, 9, 10, MAIL_RETRY },
	{ false, false, 10, 10, MAIL_FAILED },
	{ false, false, 11, 10, MAIL_FAILED },	/* reclaimed after a crash */
	{ false, true, 1, 10, MAIL_FAILED },
	{ false, false, 1, 1, MAIL_FAILED },
};

START_TEST(test_outcome)
{
	ck_assert_int_eq(mailretry_outcome(outcomes[_i].delivered,
	    outcomes[_i].permanent, outcomes[_i].attempts, outcomes[_i].max),
	    outcomes[_i].want);
}
END_TEST

static const struct {
	int	 attempts, base, max;
	double	 u;
	long	 want;
} delays[] = {
	{ 1, 60, 3600, 0.5, 60000 },
	{ 2, 60, 3600, 0.5, 120000 },
	{ 3, 60, 3600, 0.5, 240000 },
	{ 7, 60, 3600, 0.5, 3600000 },		/* capped */
	{ 100, 60, 3600, 0.5, 3600000 },	/* no overflow */
	{ 1, 60, 3600, 0.0, 48000 },		/* -20% */
	{ 2, 60, 3600, 0.999999, 143999 },	/* almost +20% */
	{ 7, 60, 3600, 0.999999, 3600000 },	/* jitter never passes the cap */
	{ 1, 1, 2, 0.0, 1000 },			/* never under a second */
	{ 2, 1, 2, 0.5, 2000 },
	{ 1, 60, 3600, 7.0, 60000 },		/* u out of range: the middle */
};

START_TEST(test_delay)
{
	ck_assert_int_eq(mailretry_delay_ms(delays[_i].attempts, delays[_i].base,
	    delays[_i].max, delays[_i].u), delays[_i].want);
}
END_TEST

START_TEST(test_delay_grows_with_attempts)
{
	long prev = 0;

	for (int a = 1; a <= 20; a++) {
		long d = mailretry_delay_ms(a, 5, 1800, 0.5);

		ck_assert_int_ge(d, prev);
		ck_assert_int_le(d, 1800000);
		prev = d;
	}
}
END_TEST

START_TEST(test_error_text)
{
	char out[48];

	mailretry_error(out, sizeof(out), 550, 55);
	ck_assert_str_eq(out, "smtp 550 curl 55");
	mailretry_error(out, sizeof(out), 0, 7);
	ck_assert_str_eq(out, "smtp 0 curl 7");
}
END_TEST

static Suite *
mailretry_suite(void)
{
	Suite *s = suite_create("mailretry");
	TCase *tc = tcase_create("mailretry");

	tcase_add_loop_test(tc, test_permanent, 0, N(codes));
	tcase_add_loop_test(tc, test_outcome, 0, N(outcomes));
	tcase_add_loop_test(tc, test_delay, 0, N(delays));
	tcase_add_test(tc, test_delay_grows_with_attempts);
	tcase_add_test(tc, test_error_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mailretry_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * What every check suite shares: run a suite, report, exit status.
 */
#ifndef MARACD_TESTS_UNIT_H
#define MARACD_TESTS_UNIT_H

#include <check.h>
#include <stdlib.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Runs s (CK_ENV decides the verbosity) and answers main's exit status. */
static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A suite of one test case named like the suite. */
static inline Suite *
unit_suite(const char *name, TCase **tc)
{
	Suite *s = suite_create(name);

	*tc = tcase_create(name);
	suite_add_tcase(s, *tc);
	return s;
}

#endif

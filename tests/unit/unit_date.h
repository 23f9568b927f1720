/*
 * Dates in test tables: D("2026-12-09") reads like the date it is, and a
 * malformed one fails the test that wrote it instead of becoming day 0.
 * Inside a test only (ck_assert): main() uses date_from_ymd().
 */
#ifndef MARACD_TESTS_UNIT_DATE_H
#define MARACD_TESTS_UNIT_DATE_H

#include <check.h>

#include "core/date.h"

static inline date_t
D(const char *s)
{
	date_t d = 0;

	ck_assert_msg(date_parse(s, &d), "bad date in test table: %s", s);
	return d;
}

#endif

/*
 * England and Wales bank holidays and working-day arithmetic.
 *
 * Holidays come from the statutory rules plus a list of overrides that
 * the shell loads from the database, because one-off changes are made by
 * royal proclamation and must be data, not code.  Everything here is pure:
 * no clock, no I/O, no allocation, and a calendar is never modified after
 * workdays_init(), so one can be shared freely.
 */
#ifndef MARACD_CORE_WORKDAYS_H
#define MARACD_CORE_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

/* Most holidays one year can hold: 8 by rule, the rest by override. */
#define WORKDAYS_YEAR_MAX 24

enum holiday_change {
	HOLIDAY_ADD,		/* date becomes a holiday called name */
	HOLIDAY_MOVE,		/* the holiday on from moves to date */
	HOLIDAY_REMOVE		/* date is no longer a holiday */
};

struct holiday_override {
	enum holiday_change	 kind;
	date_t			 date;
	date_t			 from;	/* HOLIDAY_MOVE only */
	const char		*name;	/* ADD: required; MOVE: NULL keeps the old name */
};

struct holiday {
	date_t		 date;
	const char	*name;		/* static, or borrowed from an override */
};

/*
 * The overrides are borrowed, not copied: they, and their names, must
 * outlive the calendar.  They apply in array order, so a later entry wins.
 */
struct calendar {
	const struct holiday_override	*overrides;
	size_t				 noverrides;
};

/* The one-off changes proclaimed so far, for the SQL seed and the tests. */
extern const struct holiday_override workdays_known_overrides[];
extern const size_t workdays_nknown_overrides;

/*
 * Checks the overrides (known kind, dates in range, a name where one is
 * needed, no year over WORKDAYS_YEAR_MAX) and sets up cal.  Returns 0, or
 * -1 with *bad set to the index of the first offending override.
 */
int	workdays_init(struct calendar *cal,
	    const struct holiday_override *overrides, size_t n, size_t *bad);

/* The holidays of one year in date order; out holds WORKDAYS_YEAR_MAX. */
size_t	workdays_year(const struct calendar *cal, int year,
	    struct holiday *out);

/*
 * Holidays in [from, to] in date order.  Writes at most max and returns
 * how many there are, so a return above max means out was too small.
 */
size_t	workdays_holidays_in(const struct calendar *cal, date_t from,
	    date_t to, struct holiday *out, size_t max);

/* The holiday's name, or NULL when d is not a bank holiday. */
const char *workdays_holiday_name(const struct calendar *cal, date_t d);
bool	workdays_is_holiday(const struct calendar *cal, date_t d);
/* Monday to Friday and not a bank holiday. */
bool	workdays_is_working_day(const struct calendar *cal, date_t d);

/*
 * The n-th working day after d (n > 0) or before it (n < 0); d itself
 * need not be a working day and never counts.  n = 0 gives d.
 */
date_t	workdays_add(const struct calendar *cal, date_t d, int n);
/* d when it is a working day, else the first working day after it. */
date_t	workdays_next(const struct calendar *cal, date_t d);
/*
 * Working days in (a, b]: a excluded, b included, so that
 * workdays_add(cal, a, workdays_count_between(cal, a, b)) == b whenever
 * b is a working day after a.  When b < a it is -count_between(b, a).
 */
int	workdays_count_between(const struct calendar *cal, date_t a, date_t b);

#endif

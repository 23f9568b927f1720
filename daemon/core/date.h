/*
 * Civil dates as day numbers, for the pure core.
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar, so date arithmetic is integer arithmetic and comparisons are
 * plain comparisons.  Dates here are *local* calendar dates (Europe/London
 * by default); turning an instant into a local date is the shell's job,
 * done through the time zone database, never here.
 */
#ifndef MARACD_CORE_DATE_H
#define MARACD_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t date_t;

#define DATE_STRLEN 11		/* "YYYY-MM-DD" and its NUL */

/* Years this code accepts; outside them a date is refused as absurd. */
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2200

date_t	date_from_ymd(int year, int month, int day);
void	date_to_ymd(date_t d, int *year, int *month, int *day);
bool	date_valid_ymd(int year, int month, int day);
int	date_days_in_month(int year, int month);
bool	date_is_leap(int year);

/* 1 = Monday ... 7 = Sunday (ISO 8601). */
int	date_weekday(date_t d);

/* The n decimal digits at s as a number, or -1 if any is not a digit. */
int	date_digits(const char *s, int n);
/* Strict "YYYY-MM-DD": exactly ten characters, a real calendar date. */
bool	date_parse(const char *s, date_t *out);
/* Writes "YYYY-MM-DD"; buf must hold DATE_STRLEN bytes. Returns buf. */
char   *date_format(date_t d, char *buf);

/*
 * Whole years from birth to on.  Someone born on 29 February attains a
 * new age on 1 March in a common year (the usual English reading).
 * Returns -1 when on is before birth.
 */
int	date_age_on(date_t birth, date_t on);

/* The same day n months later, clamped to the month's last day. */
date_t	date_add_months(date_t d, int months);

#endif

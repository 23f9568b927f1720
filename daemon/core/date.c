/*
 * Civil date arithmetic.  The day-number conversions are Howard Hinnant's
 * days_from_civil / civil_from_days, exact for every Gregorian date.
 */
#include "core/date.h"

#include <stdio.h>

bool
date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && date_is_leap(y))
		return 29;
	return days[m - 1];
}

bool
date_valid_ymd(int y, int m, int d)
{
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
		return false;
	if (m < 1 || m > 12)
		return false;
	return d >= 1 && d <= date_days_in_month(y, m);
}

date_t
date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(date_t z, int *year, int *month, int *day)
{
	int era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	*year = y + (m <= 2);
	*month = m;
	*day = d;
}

int
date_weekday(date_t d)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((d % 7 + 7) % 7);

	return (w + 3) % 7 + 1;
}

int
date_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
date_parse(const char *s, date_t *out)
{
	int y, m, d;

	if (s == NULL)
		return false;
	for (int i = 0; i < 10; i++)
		if (s[i] == '\0')
			return false;
	if (s[10] != '\0' || s[4] != '-' || s[7] != '-')
		return false;
	y = date_digits(s, 4);
	m = date_digits(s + 5, 2);
	d = date_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

char *
date_format(date_t dt, char *buf)
{
	int y, m, d;

	date_to_ymd(dt, &y, &m, &d);
	snprintf(buf, DATE_STRLEN, "%04d-%02d-%02d", y, m, d);
	return buf;
}

int
date_age_on(date_t birth, date_t on)
{
	int by, bm, bd, oy, om, od, age;

	if (on < birth)
		return -1;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(on, &oy, &om, &od);
	age = oy - by;
	/* Birthday not reached yet this year?  29 Feb falls to 1 Mar. */
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

date_t
date_add_months(date_t dt, int months)
{
	int y, m, d, idx, dim;

	date_to_ymd(dt, &y, &m, &d);
	idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	dim = date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return date_from_ymd(y, m, d);
}

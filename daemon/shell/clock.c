/*
 * The clock: real time, or real time moved by MARACD_CLOCK in builds made
 * for tests (clock.h says why it is the only one).
 */
#include "shell/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds added to the real clock; non-zero only under a test clock. */
static time_t	offset;
static int	moved;

/*
 * "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM" / "-HH:MM", whole
 * seconds: the forms a test writes.  Pure, so that tests/unit/test_clock
 * can try it in any build; only clock_init decides whether it is used.
 */
int
clock_parse_instant(const char *s, time_t *out)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, off = 0;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	y = date_digits(s, 4);
	mo = date_digits(s + 5, 2);
	d = date_digits(s + 8, 2);
	h = date_digits(s + 11, 2);
	mi = date_digits(s + 14, 2);
	se = date_digits(s + 17, 2);
	if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0)
		return -1;
	s += 19;
	if (strcmp(s, "Z") != 0) {
		if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
		    (oh = date_digits(s + 1, 2)) < 0 || (om = date_digits(s + 4, 2)) < 0)
			return -1;
		off = (oh * 3600 + om * 60) * (s[0] == '+' ? 1 : -1);
	}
	if (!date_valid_ymd(y, mo, d) || h > 23 || mi > 59 || se > 59 ||
	    oh > 23 || om > 59)
		return -1;
	*out = (time_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se - off;
	return 0;
}

int
clock_init(char *why, size_t len)
{
	const char *v = getenv("MARACD_CLOCK");

	offset = 0;
	moved = 0;
	if (v == NULL || *v == '\0')
		return 0;
#ifdef MARACD_TEST_CLOCK
	time_t at;

	if (clock_parse_instant(v, &at) != 0) {
		snprintf(why, len, "MARACD_CLOCK must be an RFC 3339 instant such as "
		    "2026-12-13T09:00:00Z");
		return -1;
	}
	offset = at - time(NULL);
	moved = 1;
	return 0;
#else
	snprintf(why, len, "MARACD_CLOCK is set, but this build has no test clock "
	    "(configure --enable-test-clock is for tests only)");
	return -1;
#endif
}

int
clock_is_test(void)
{
	return moved;
}

struct timespec
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += offset;
	return ts;
}

time_t
clock_time(void)
{
	return clock_now().tv_sec;
}

char *
clock_rfc3339(char *buf, size_t len)
{
	struct timespec ts = clock_now();
	struct tm tm;
	char s[24];

	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ldZ", s, (long)(ts.tv_nsec / 1000));
	return buf;
}

date_t
clock_local_date(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

date_t
clock_today(void)
{
	return clock_local_date(clock_time());
}

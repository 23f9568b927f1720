/*
 * The clock: real time, or real time moved by MARACD_CLOCK in builds made
 * for tests (clock.h says why it is the only one).
 */
#include "shell/clock.h"
#include "core/instant.h"

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
	int64_t t;

	if (!instant_parse(s, INSTANT_OFFSET, &t, NULL))
		return -1;
	*out = (time_t)t;
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

/* RFC 3339 instants: see instant.h. */
#include "core/instant.h"

#include <stdio.h>
#include <string.h>

/* "hh:mm" with hh <= 23 and mm <= 59, into *h and *m. */
static bool
hour_minute(const char *s, int *h, int *m)
{
	if ((*h = date_digits(s, 2)) < 0 || s[2] != ':' ||
	    (*m = date_digits(s + 3, 2)) < 0)
		return false;
	return *h <= 23 && *m <= 59;
}

bool
instant_parse(const char *s, enum instant_form form, int64_t *t,
    date_t *day)
{
	bool		 loose = form == INSTANT_RFC3339;
	char		 ymd[DATE_STRLEN];
	const char	*p;
	date_t		 d;
	int		 hh, mm, ss, oh, om, off = 0;

	if (strlen(s) < 20)
		return false;
	memcpy(ymd, s, DATE_STRLEN - 1);
	ymd[DATE_STRLEN - 1] = '\0';
	if (!date_parse(ymd, &d) || !(s[10] == 'T' || (loose && s[10] == 't')))
		return false;
	if (!hour_minute(s + 11, &hh, &mm) || s[16] != ':' ||
	    (ss = date_digits(s + 17, 2)) < 0 || ss > 59)
		return false;
	p = s + 19;
	if (loose && *p == '.') {
		const char *f = ++p;

		while (*p >= '0' && *p <= '9' && p - f < 9)
			p++;
		if (p == f)
			return false;
	}
	if ((*p == 'Z' || (loose && *p == 'z')) && p[1] == '\0')
		off = 0;
	else if (form != INSTANT_UTC && (*p == '+' || *p == '-') &&
	    strlen(p) == 6 && hour_minute(p + 1, &oh, &om))
		off = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
	else
		return false;
	if (t != NULL)
		*t = (int64_t)d * DAY_SECONDS + hh * 3600 + mm * 60 + ss - off;
	if (day != NULL)
		*day = d;
	return true;
}

static int64_t
instant_min(void)
{
	return (int64_t)date_from_ymd(DATE_MIN_YEAR, 1, 1) * DAY_SECONDS;
}

static int64_t
instant_max(void)
{
	return (int64_t)date_from_ymd(DATE_MAX_YEAR + 1, 1, 1) * DAY_SECONDS -
	    1;
}

bool
instant_in_range(int64_t t)
{
	return t >= instant_min() && t <= instant_max();
}

char *
instant_format(int64_t t, char *buf)
{
	int64_t	days, secs;
	int	y, m, d;

	/* Clamped: far outside, the day number would not fit a date_t. */
	if (t < instant_min())
		t = instant_min();
	if (t > instant_max())
		t = instant_max();
	days = t / DAY_SECONDS;
	secs = t % DAY_SECONDS;
	if (secs < 0) {
		secs += DAY_SECONDS;
		days--;
	}
	date_to_ymd((date_t)days, &y, &m, &d);
	snprintf(buf, INSTANT_STRLEN, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60));
	return buf;
}

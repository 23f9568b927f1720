/*
 * Sittings of a series and their cutoffs.  Dates and seconds are local;
 * see sittings.h for why.
 */
#include "core/sittings.h"

/*
 * How far before a window a scheduled sitting may lie and still be held
 * inside it: more than the longest run of non-working days (four at
 * Christmas), with room for proclaimed ones.
 */
#define MOVE_SLACK 31

static bool
in_years(date_t d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR;
}

bool
sittings_series_valid(const struct sitting_series *s)
{
	if (!in_years(s->anchor))
		return false;
	if (s->interval_days < 1 || s->interval_days > SITTINGS_INTERVAL_MAX)
		return false;
	if (s->cutoff_workdays < 0 ||
	    s->cutoff_workdays > SITTINGS_CUTOFF_WORKDAYS_MAX)
		return false;
	if (s->cutoff_seconds < 0 || s->cutoff_seconds >= SITTINGS_DAY_SECONDS)
		return false;
	return s->policy == SITTING_MOVE || s->policy == SITTING_SKIP;
}

/* The first scheduled sitting on or after d; none precede the anchor. */
static date_t
first_scheduled(const struct sitting_series *s, date_t d)
{
	date_t k;

	if (d <= s->anchor)
		return s->anchor;
	k = (d - s->anchor + s->interval_days - 1) / s->interval_days;
	return s->anchor + k * s->interval_days;
}

size_t
sittings_generate(const struct calendar *cal, const struct sitting_series *s,
    date_t from, date_t to, struct sitting_date *out, size_t max)
{
	size_t total = 0;
	date_t held, last = from - 1;

	if (!sittings_series_valid(s) || to < from)
		return 0;
	for (date_t sched = first_scheduled(s, from - MOVE_SLACK); sched <= to;
	    sched += s->interval_days) {
		held = sched;
		if (!workdays_is_working_day(cal, held)) {
			if (s->policy == SITTING_SKIP)
				continue;
			held = workdays_next(cal, held);
		}
		/* A short interval could move one sitting onto the next. */
		if (held <= last || held > to)
			continue;
		if (total < max) {
			out[total].scheduled = sched;
			out[total].date = held;
			out[total].cutoff = sittings_cutoff_date(cal, s, held);
		}
		total++;
		last = held;
	}
	return total;
}

date_t
sittings_cutoff_date(const struct calendar *cal,
    const struct sitting_series *s, date_t sitting)
{
	return workdays_add(cal, sitting, -s->cutoff_workdays);
}

/*
 * Meeting series, referral cutoffs, and which sitting a referral joins.
 *
 * Local time only.  The shell turns an instant into a local date and a
 * wall-clock second of the day through the time zone database
 * (PostgreSQL's AT TIME ZONE, Europe/London by default) and hands the core
 * those two numbers, never a fixed offset: the core cannot get summer time
 * wrong because it never sees it.  A cutoff is a local date and a
 * wall-clock second; on the two clock-change days that second is the
 * reading of the clock, not seconds elapsed since midnight.
 */
#ifndef MARACD_CORE_SITTINGS_H
#define MARACD_CORE_SITTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/workdays.h"

#define SITTINGS_DAY_SECONDS	86400
#define SITTINGS_END_OF_DAY	86399		/* 23:59:59 */

/* Defaults from the domain rules; maracd.conf may change them. */
#define SITTINGS_MASC_ANCHOR		"2025-06-16"	/* a Monday */
#define SITTINGS_MASC_INTERVAL		14
#define SITTINGS_MASC_CUTOFF_WORKDAYS	3
#define SITTINGS_MARAC_INTERVAL		7
#define SITTINGS_MARAC_CUTOFF_WORKDAYS	2

/* Ranges a series is checked against; beyond them it is a typo. */
#define SITTINGS_INTERVAL_MAX		366
#define SITTINGS_CUTOFF_WORKDAYS_MAX	60

enum sitting_policy {
	SITTING_MOVE,		/* a sitting on a non-working day moves to the next working day */
	SITTING_SKIP		/* ... or is not held */
};

/*
 * The rule part of a series.  Which forum and area it serves is the
 * shell's key for it; the weekday is the anchor's, since the interval is
 * a whole number of weeks in practice (any interval is accepted).
 */
struct sitting_series {
	date_t			anchor;		/* first scheduled sitting */
	int			interval_days;	/* >= 1 */
	int			cutoff_workdays;	/* >= 0 */
	int			cutoff_seconds;	/* local, 0 .. 86399 */
	enum sitting_policy	policy;
};

/* A generated sitting. */
struct sitting_date {
	date_t	scheduled;	/* where the series puts it */
	date_t	date;		/* where it is held, after the holiday policy */
	date_t	cutoff;		/* last local day to refer into it */
};

/* A sitting as stored: generated, moved or added by hand. */
struct sitting {
	int64_t	id;
	date_t	date;
	bool	cancelled;
	date_t	cutoff_date;
	int	cutoff_seconds;	/* local wall-clock second of cutoff_date */
};

bool	sittings_series_valid(const struct sitting_series *s);

/*
 * The series' sittings held in [from, to] (by held date), in date order.
 * Writes at most max and returns how many there are; 0 for an invalid
 * series.
 */
size_t	sittings_generate(const struct calendar *cal,
	    const struct sitting_series *s, date_t from, date_t to,
	    struct sitting_date *out, size_t max);

/* The sitting date minus the series' cutoff working days. */
date_t	sittings_cutoff_date(const struct calendar *cal,
	    const struct sitting_series *s, date_t sitting);

/*
 * Whether a referral received on local date received at local second
 * seconds is in time for sitting: at or before the cutoff instant.
 */
bool	sittings_meets_cutoff(const struct sitting *sitting, date_t received,
	    int seconds);

/*
 * The sitting such a referral joins: the earliest (by date, then id)
 * sitting still to come (held on today or later; one before today has
 * been held) that is not cancelled and whose cutoff it meets, or NULL
 * when there is none yet.  A late referral (received in the past) thus
 * joins the first sitting still to come.  The list may be in any order
 * and may include sittings added by hand.
 */
const struct sitting *sittings_next_for(const struct sitting *list, size_t n,
	    date_t received, int seconds, date_t today);

#endif

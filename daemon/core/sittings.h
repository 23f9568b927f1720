/*
 * Meeting series and their cutoffs: where each sitting of a series is
 * held and the last local day (and wall-clock second) a referral may
 * reach it.  Which stored sitting a referral joins is decided by the
 * database against the cutoff instants stored from these
 * (referral_sitting_for, sql/004_referrals.sql), in the transaction that
 * stores the referral; docs/architecture.md says why there.
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

#endif

/*
 * DRIVE screening between the database and the rules: the input the
 * screening SQL gives (drive_sitting_input / drive_referral_input in
 * sql/007_drive.sql) in, the results drive_store() takes out.  Pure: the
 * JSON is text in and text out, every rule is drive.c's.
 *
 * Input:  {"date": "YYYY-MM-DD", "perpetrators": [{"identity", "name",
 *	    "dob", "referral_ids": [..], "in_custody", "mappa_level",
 *	    "on_drive", "in_area", "at_marac", "history": [{"id",
 *	    "received", "victim", "checklist", "yes": [question, ..]}]}]}
 *	   (optional fields may be null or absent: unknown)
 * Output: [{"identity", "initials", "referral_ids", "history_ids",
 *	    "eligible",
 *	    "reasons": [{"code", "excludes", "text"}], "components":
 *	    {"recency", "frequency", "gravity", "victims"}, "score",
 *	    "threshold", "candidate", "basis": {"age", "recency_days",
 *	    "referrals", "victims", "gravity": [key, ..], "window_start"}}]
 * Names go in (for initials and age) and never come out.
 */
#ifndef MARACD_CORE_DRIVEJSON_H
#define MARACD_CORE_DRIVEJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/drive.h"
#include "core/workdays.h"

#define DRIVEJSON_WHY_MAX	128

/*
 * Screen every perpetrator of input.  on_demand: the screening of one
 * referral's perpetrator outside a sitting (not_at_marac waived).
 * Returns the output as a malloc'ed string, or NULL with why set when
 * the input is not what the SQL gives (or memory ran out).
 */
char   *drivejson_screen(const char *input, const struct drive_rubric *r,
	    bool on_demand, char *why, size_t whylen);

/*
 * The local date on which a sitting is screened: screen_workdays working
 * days before it (0: the sitting day).
 */
date_t	drivejson_screen_day(const struct calendar *cal, date_t sitting,
	    int screen_workdays);
/*
 * Whether the scheduled job screens the sitting today: from its screen
 * day up to and including the sitting day.
 */
bool	drivejson_due(const struct calendar *cal, date_t sitting,
	    int screen_workdays, date_t today);

#endif

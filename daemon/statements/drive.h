/*
 * The statements of DRIVE screening (sql/007_drive.sql), shared by maracd
 * (asynchronous: daemon/shell/drivejob.c, api_drive.c) and maracctl
 * (blocking: ctl_drive.c), so that both screen a sitting the same way:
 *
 *	input = DRIVE_SQL_SITTING_INPUT (sitting, window months)
 *	out = drivejson_screen(input, rubric, false)	(core/drivejson.h)
 *	DRIVE_SQL_STORE (sitting, NULL, date, version, settings, out)
 *
 * Each answers one text column; NULL means "no such thing, or not for
 * you" (the functions check who may screen: a coordinator, the MARAC
 * chair on demand, maracd's job or maracctl).  Dates are local dates in
 * the session's TimeZone, which both set from [calendar] timezone.
 */
#ifndef MARACD_STATEMENTS_DRIVE_H
#define MARACD_STATEMENTS_DRIVE_H

/* $1 sitting id, $2 window months. */
#define DRIVE_SQL_SITTING_INPUT \
	"SELECT drive_sitting_input($1::bigint, $2::int)::text"

/* $1 referral id, $2 the date screened against, $3 window months. */
#define DRIVE_SQL_REFERRAL_INPUT \
	"SELECT drive_referral_input($1::bigint, $2::date, $3::int)::text"

/*
 * $1 sitting id or NULL, $2 referral id (on demand) or NULL, $3 the date
 * screened against, $4 rubric version, $5 rubric settings
 * (drive_rubric_format), $6 drivejson_screen's output.  Answers the
 * stored screening as GET /v1/sittings/{id}/drive shows it.
 */
#define DRIVE_SQL_STORE \
	"SELECT drive_store($1::bigint, $2::bigint, $3::date, $4, $5, $6::jsonb)::text"

/*
 * $1 sitting id, $2 rubric settings, $3 window months: must it be
 * screened (again)?
 */
#define DRIVE_SQL_STALE \
	"SELECT drive_sitting_stale($1::bigint, $2, $3::int)"

/* $1 sitting id: its screening (audited), NULL for no MARAC sitting. */
#define DRIVE_SQL_GET \
	"SELECT drive_sitting_get($1::bigint, NULL)::text"

/* The same, of case $2 only (its perpetrators) when $2 is not NULL. */
#define DRIVE_SQL_GET_CASE \
	"SELECT drive_sitting_get($1::bigint, $2::bigint)::text"

/*
 * The MARAC sittings the job may have to screen ($1 today): those still
 * to be held within the longest lead [drive] screen_workdays allows (20
 * working days, with holidays, is well inside 62 days).
 */
#define DRIVE_SQL_UPCOMING \
	"SELECT id, to_char(date, 'YYYY-MM-DD') FROM sittings " \
	"WHERE forum = 'marac' AND status = 'scheduled' " \
	"AND date >= $1::date AND date <= $1::date + 62 ORDER BY date, id"

/* Referrals $1 and $2 name the same perpetrator. */
#define DRIVE_SQL_MERGE \
	"SELECT perpetrator_merge($1::bigint, $2::bigint)::text"

/* Referral $1 names a perpetrator of its own again. */
#define DRIVE_SQL_SPLIT "SELECT perpetrator_split($1::bigint)::text"

#endif

/*
 * The calendar's tables (sql/003_calendar.sql) as the core sees them:
 * the statements that read and write them, their rows turned into core
 * structs, and the sittings plan turned into statement parameters.
 *
 * Shared by maracd (asynchronous, daemon/shell/calendar.c) and maracctl
 * (blocking), so that both refresh sittings the same way.  Nothing here
 * talks to the database: callers run the statements and hand in results.
 * Every statement reads local dates in the session's TimeZone, which both
 * set from [calendar] timezone.
 */
#ifndef MARACD_STATEMENTS_CALENDAR_H
#define MARACD_STATEMENTS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

#include "core/date.h"
#include "core/sittings.h"
#include "core/workdays.h"

#define CALENDAR_FORUM_MAX	8
#define CALENDAR_AREA_MAX	33
#define CALENDAR_WHY_MAX	160

/*
 * Every writer of sittings (the job, admin routes, maracctl) holds this
 * transaction-scoped lock, so that plans are made and applied one at a
 * time across processes.  The job only tries it (the scheduler's
 * pg_try_advisory_xact_lock on the same key); others wait for it.
 */
#define CALENDAR_LOCK_KEY	"maracd.job.sittings"
#define CALENDAR_SQL_LOCK \
	"SELECT pg_advisory_xact_lock(hashtext('" CALENDAR_LOCK_KEY "'))"

/* Overrides in the order they apply. */
#define CALENDAR_SQL_OVERRIDES \
	"SELECT kind, to_char(date, 'YYYY-MM-DD'), " \
	"to_char(from_date, 'YYYY-MM-DD'), name " \
	"FROM holiday_overrides ORDER BY id"

/*
 * Today's local date ($1: the clock's, clock_today(), never PostgreSQL's
 * now(): it decides which sittings have been held), with every series (or
 * one row of NULLs).
 */
#define CALENDAR_SQL_SERIES \
	"SELECT to_char($1::date, 'YYYY-MM-DD'), s.forum, s.area, to_char(s.anchor, 'YYYY-MM-DD'), " \
	"s.interval_days, s.cutoff_workdays, " \
	"extract(epoch FROM s.cutoff_time)::int, s.policy " \
	"FROM (SELECT 1) one LEFT JOIN series s ON true ORDER BY s.forum, s.area"

/* The stored sittings a plan may touch ($1: today, $2: now by the clock). */
#define CALENDAR_SQL_ROWS \
	"SELECT forum, area, id, origin = 'generated', " \
	"to_char(scheduled_date, 'YYYY-MM-DD'), pinned, cutoff_at > $2::timestamptz, " \
	"to_char(date, 'YYYY-MM-DD'), status = 'cancelled', " \
	"to_char(cutoff_date, 'YYYY-MM-DD'), extract(epoch FROM " \
	"(cutoff_at AT TIME ZONE current_setting('TimeZone'))::time)::int " \
	"FROM sittings WHERE date >= $1::date OR scheduled_date >= $1::date " \
	"ORDER BY forum, area, id"

/*
 * New generated sittings ($1..$5: forum, area, slot, date, cutoff date
 * arrays); answers how many were inserted.  Generation is not audited: it
 * follows from the series and the holidays, whose changes are.
 */
#define CALENDAR_SQL_INSERT \
	"WITH i AS (INSERT INTO sittings (forum, area, date, scheduled_date, " \
	"cutoff_date, cutoff_at, origin) " \
	"SELECT v.forum, v.area, v.date, v.slot, v.cutoff, " \
	"calendar_instant(v.cutoff, s.cutoff_time), 'generated' " \
	"FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::date[]) " \
	"AS v(forum, area, slot, date, cutoff) " \
	"JOIN series s ON s.forum = v.forum AND s.area = v.area " \
	"ON CONFLICT DO NOTHING RETURNING id) " \
	"SELECT count(*) FROM i"

/*
 * Changed sittings ($1..$6: id, date, cancelled, cutoff date, cutoff
 * second, recut arrays), one audit row each; answers how many changed.
 */
#define CALENDAR_SQL_UPDATE \
	"WITH u AS (UPDATE sittings t SET date = v.date, " \
	"status = CASE WHEN v.cancelled THEN 'cancelled' ELSE 'scheduled' END, " \
	"cutoff_date = v.cutoff, cutoff_at = CASE WHEN v.recut THEN " \
	"calendar_instant(v.cutoff, make_interval(secs => v.secs)::time) " \
	"ELSE t.cutoff_at END, updated_at = now() " \
	"FROM unnest($1::bigint[], $2::date[], $3::bool[], $4::date[], " \
	"$5::int[], $6::bool[]) AS v(id, date, cancelled, cutoff, secs, recut) " \
	"WHERE t.id = v.id RETURNING t.id, v.cancelled), " \
	"a AS (INSERT INTO audit_log (action, object_type, object_id) " \
	"SELECT CASE WHEN cancelled THEN 'sitting.cancel' ELSE 'sitting.reschedule' " \
	"END, 'sitting', id::text FROM u RETURNING 1) " \
	"SELECT count(*) FROM u"

/*
 * Holiday changes, with their audit row.  Add ($1 date, $2 name, $3 the
 * day whose holiday moves to $1, or NULL): it supersedes an earlier
 * addition or removal of the same day, and an earlier move of the same
 * holiday, so the table keeps one row per change however often the same
 * thing is edited.  Remove ($1 date) likewise.
 */
#define CALENDAR_SQL_HOLIDAY_ADD \
	"WITH d AS (DELETE FROM holiday_overrides WHERE " \
	"(date = $1::date AND kind IN ('add', 'remove')) " \
	"OR (kind = 'move' AND from_date = $3::date)), " \
	"i AS (INSERT INTO holiday_overrides (kind, date, from_date, name) " \
	"VALUES (CASE WHEN $3::date IS NULL THEN 'add' ELSE 'move' END, " \
	"$1::date, $3::date, $2) RETURNING id) " \
	"INSERT INTO audit_log (action, object_type, object_id) " \
	"SELECT CASE WHEN $3::date IS NULL THEN 'holiday.add' ELSE 'holiday.move' END, " \
	"'holiday', $1 FROM i"
#define CALENDAR_SQL_HOLIDAY_REMOVE \
	"WITH d AS (DELETE FROM holiday_overrides WHERE date = $1::date " \
	"AND kind IN ('add', 'remove')), " \
	"i AS (INSERT INTO holiday_overrides (kind, date) " \
	"VALUES ('remove', $1::date) RETURNING id) " \
	"INSERT INTO audit_log (action, object_type, object_id) " \
	"SELECT 'holiday.remove', 'holiday', $1 FROM i"

/*
 * The referral hook for sittings that changed ($1: id array, $2: today,
 * $3: [reminders] coordinator_email, told of a case left waiting).
 */
#define CALENDAR_SQL_REASSIGN \
	"SELECT coalesce(sum(sitting_reassign(id, $2::date, $3)), 0) " \
	"FROM unnest($1::bigint[]) AS id"

/*
 * Waiting referrals join the sittings that now exist ($1: today); run
 * after every refresh, so that the job lists them as soon as it has
 * generated their sitting.  Answers how many were listed.
 */
#define CALENDAR_SQL_RESOLVE \
	"SELECT referral_resolve_waiting($1::date)"

struct calendar_stmt_series {
	char			forum[CALENDAR_FORUM_MAX];
	char			area[CALENDAR_AREA_MAX];
	struct sitting_series	rule;
};

/* The holidays and series of the deployment, and today's local date. */
struct calendar_stmt {
	struct holiday_override	*overrides;	/* their names are owned */
	size_t			 noverrides;
	struct calendar		 cal;
	struct calendar_stmt_series	*series;
	size_t			 nseries;
	date_t			 today;
};

void	calendar_stmt_init(struct calendar_stmt *cs);
void	calendar_stmt_free(struct calendar_stmt *cs);
/*
 * Read a CALENDAR_SQL_OVERRIDES or CALENDAR_SQL_SERIES result.  -1 with
 * a reason in why (no data values) when the rows make no calendar: an
 * override the core refuses (too many holidays in one year, say).
 */
int	calendar_stmt_read_overrides(struct calendar_stmt *cs, const PGresult *res,
	    char *why, size_t whylen);
int	calendar_stmt_read_series(struct calendar_stmt *cs, const PGresult *res,
	    char *why, size_t whylen);
/*
 * The name of the holiday on day from, as a new move of it would find it:
 * earlier moves of the same day are superseded (CALENDAR_SQL_HOLIDAY_ADD
 * deletes them), so they are left out.  NULL when from is no holiday.
 * The name is borrowed from cs.
 */
const char *calendar_stmt_movable(const struct calendar_stmt *cs, date_t from);
const struct calendar_stmt_series *calendar_stmt_series_find(const struct calendar_stmt *cs,
	    const char *forum, const char *area);

/*
 * A refresh of every series over [today, today + horizon_days], as the
 * text parameters of CALENDAR_SQL_INSERT, _UPDATE and _REASSIGN.
 */
struct calendar_stmt_plan {
	size_t	 ninsert, nupdate, nreassign;
	char	*insert[5];
	char	*update[6];
	char	*reassign[1];
};

/* rows: a CALENDAR_SQL_ROWS result.  -1 when out of memory. */
int	calendar_stmt_plan_make(struct calendar_stmt_plan *plan, const struct calendar_stmt *cs,
	    const PGresult *rows, int horizon_days);
void	calendar_stmt_plan_free(struct calendar_stmt_plan *plan);

/*
 * The rule is the database's alone: referral_sitting_for
 * (sql/004_referrals.sql), which intake, import, transfers and every
 * re-assignment ask in the transaction that writes the referral.  Asking
 * the same function here makes GET /v1/sittings/for answer what intake
 * would do, to the second.  $3 is the received instant, $4 the clock's
 * local date (a sitting before it has been held).
 */
#define CALENDAR_SQL_ASSIGN \
	"SELECT to_char(($3::timestamptz AT TIME ZONE " \
	"current_setting('TimeZone'))::date, 'YYYY-MM-DD'), " \
	"s.id, to_char(s.date, 'YYYY-MM-DD'), calendar_rfc3339(s.cutoff_at) " \
	"FROM (SELECT referral_sitting_for($1, $2, $3::timestamptz, " \
	"$4::date) AS id) x LEFT JOIN sittings s ON s.id = x.id"

/*
 * The series of this deployment's area, from maracd.conf.  An empty
 * marac_anchor removes the MARAC series (its sittings stay, as history).
 */
#define CALENDAR_SQL_SERIES_UPSERT \
	"WITH d AS (DELETE FROM series WHERE forum = 'marac' AND area = $1 " \
	"AND $5::date IS NULL) " \
	"INSERT INTO series AS s (forum, area, anchor, interval_days, " \
	"cutoff_workdays, cutoff_time, policy) " \
	"SELECT v.forum, $1, v.anchor, v.iv, v.wd, $8::time, $9 FROM (VALUES " \
	"('masc', $2::date, $3::int, $4::int), " \
	"('marac', $5::date, $6::int, $7::int)) AS v(forum, anchor, iv, wd) " \
	"WHERE v.anchor IS NOT NULL " \
	"ON CONFLICT (forum, area) DO UPDATE SET anchor = EXCLUDED.anchor, " \
	"interval_days = EXCLUDED.interval_days, " \
	"cutoff_workdays = EXCLUDED.cutoff_workdays, " \
	"cutoff_time = EXCLUDED.cutoff_time, policy = EXCLUDED.policy, " \
	"updated_at = now() " \
	"WHERE (s.anchor, s.interval_days, s.cutoff_workdays, s.cutoff_time, " \
	"s.policy) IS DISTINCT FROM (EXCLUDED.anchor, EXCLUDED.interval_days, " \
	"EXCLUDED.cutoff_workdays, EXCLUDED.cutoff_time, EXCLUDED.policy)"

#endif

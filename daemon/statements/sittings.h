/*
 * Sittings as the API shows and changes them; the job's
 * refresh of the calendar is statements/calendar.h.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_SITTINGS_H
#define MARACD_STATEMENTS_SITTINGS_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

/*
 * The columns of a sitting as the API shows it.  cases counts the
 * referrals listed at the sitting that the caller may see (row-level
 * security applies): all of them for a coordinator, an agency's own for
 * an agency.
 */
#define SITTINGS_SQL_COLUMNS \
	"s.id, s.forum, s.area, to_char(s.date, 'YYYY-MM-DD'), " \
	"calendar_rfc3339(s.cutoff_at), to_char(s.cutoff_date, 'YYYY-MM-DD'), " \
	"s.status, s.origin, s.venue, " \
	"(SELECT count(*) FROM referrals r WHERE r.sitting_id = s.id) AS cases"

/*
 * From today (local, $5: the clock's, api_today) and a year on, unless the
 * caller says otherwise.
 */
#define SITTINGS_SQL_LIST \
	"WITH b AS (SELECT coalesce($3::date, $5::date) AS f) " \
	"SELECT " SITTINGS_SQL_COLUMNS " FROM sittings s, b " \
	"WHERE ($1::text IS NULL OR s.forum = $1) AND ($2::text IS NULL OR s.area = $2) " \
	"AND s.date >= b.f AND s.date <= coalesce($4::date, b.f + 366) " \
	"ORDER BY s.date, s.forum, s.area, s.id"

/* The first $6 of SITTINGS_SQL_LIST, as maracctl calendar prints them. */
#define SITTINGS_SQL_LIST_ROWS \
	"SELECT l.date, l.forum, l.area, 'cutoff ' || l.cutoff_at, l.status " \
	"FROM (" SITTINGS_SQL_LIST ") AS l (id, forum, area, date, cutoff_at, " \
	"cutoff_date, status) ORDER BY l.date, l.forum, l.area, l.id LIMIT $6"

/*
 * A sitting added by hand ($1 forum, $2 area, $3 date, $4 cutoff date,
 * $5 venue), pinned, with its audit row.
 */
#define SITTINGS_SQL_ADD \
	"WITH i AS (INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, " \
	"origin, pinned, venue) SELECT $1, $2, $3::date, $4::date, " \
	"calendar_instant($4::date, x.cutoff_time), 'manual', true, $5 " \
	"FROM series x WHERE x.forum = $1 AND x.area = $2 RETURNING *), " \
	"a AS (INSERT INTO audit_log (action, object_type, object_id) " \
	"SELECT 'sitting.add', 'sitting', id::text FROM i) " \
	"SELECT " SITTINGS_SQL_COLUMNS " FROM i s"

/* The sitting as it is, locked until the transaction ends. */
#define SITTINGS_SQL_GET_LOCKED \
	"SELECT s.forum, s.area, to_char(s.date, 'YYYY-MM-DD'), " \
	"s.status = 'cancelled' FROM sittings s WHERE s.id = $1 FOR UPDATE"

/*
 * The cutoff follows the date whenever the date changes or the sitting
 * is reinstated: an admin's explicit change, unlike the job's, may
 * re-open a cutoff that had passed.
 */
#define SITTINGS_SQL_UPDATE \
	"WITH u AS (UPDATE sittings s SET date = $2::date, status = $3, " \
	"cutoff_date = coalesce($4::date, s.cutoff_date), " \
	"cutoff_at = CASE WHEN $4::date IS NULL THEN s.cutoff_at ELSE " \
	"calendar_instant($4::date, (SELECT x.cutoff_time FROM series x " \
	"WHERE x.forum = s.forum AND x.area = s.area)) END, " \
	"venue = CASE WHEN $6::bool THEN $5 ELSE s.venue END, " \
	"pinned = s.pinned OR $8::bool, updated_at = now() " \
	"WHERE s.id = $1 RETURNING s.*), " \
	"a AS (INSERT INTO audit_log (action, object_type, object_id) " \
	"SELECT $7, 'sitting', id::text FROM u) " \
	"SELECT " SITTINGS_SQL_COLUMNS " FROM u s"

/*
 * After sitting $1 moved or was cancelled: its referrals follow the rule
 * again, waiting ones join the sittings that now exist ($2 today, $3
 * [reminders] coordinator_email, told of a case left waiting).
 */
#define SITTINGS_SQL_REASSIGN \
	"SELECT sitting_reassign($1::bigint, $2::date, $3), " \
	"referral_resolve_waiting($2::date)"

/*
 * Row i of a result with SITTINGS_SQL_COLUMNS, as the API shows a
 * sitting.
 */
cJSON	*sittings_row_json(const PGresult *res, int i);

#endif

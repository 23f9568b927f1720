/*
 * Actions: what each agency does after a decision.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_ACTIONS_H
#define MARACD_STATEMENTS_ACTIONS_H

/*
 * A new action ($1 case, $2 sitting or NULL, $3 agency, $4 area,
 * $5 description, $6 due date or NULL: the next sitting's, $7 today).
 */
#define ACTIONS_SQL_CREATE \
	"SELECT action_create($1::bigint, $2::bigint, $3, $4, $5, " \
	"$6::date, $7::date)::text"

/* The forum of case $1, which says whether actions may name a sitting. */
#define ACTIONS_SQL_CASE_FORUM \
	"SELECT forum FROM referrals WHERE id = $1::bigint"

/*
 * Action $1, with its audit row (row-level security decides whether it
 * is seen at all).
 */
#define ACTIONS_SQL_GET \
	"WITH audit AS (INSERT INTO audit_log (action, object_type, " \
	"object_id) SELECT 'read', 'action', a.id::text FROM actions a " \
	"WHERE a.id = $1::bigint) SELECT action_json(a, true)::text FROM actions a " \
	"WHERE a.id = $1::bigint"

/*
 * Action $1 changed: $2 status, $3 due, $4 description, $5 note (NULL:
 * unchanged); the function checks who may change what.
 */
#define ACTIONS_SQL_UPDATE \
	"SELECT action_update($1::bigint, $2, $3::date, $4, $5)::text"

/*
 * A page of actions, audited as one list: $1 agency, $2 status or
 * "outstanding" / "overdue", $3 case, $4 sitting (NULL: any), $5 today,
 * $6 the last id of the page before, $7 the page size.  Answers the
 * page, the id to go on after (NULL on the last page) and $5.
 */
#define ACTIONS_SQL_LIST \
	"WITH audit AS (INSERT INTO audit_log (action, object_type) " \
	"VALUES ('list', 'action')), " \
	"page AS (SELECT * FROM actions a WHERE ($1::text IS NULL OR agency = $1) " \
	"AND ($2::text IS NULL OR CASE $2 WHEN 'outstanding' THEN status IN " \
	"('open', 'in_progress') WHEN 'overdue' THEN status IN ('open', " \
	"'in_progress') AND due < $5::date ELSE status = $2 END) " \
	"AND ($3::bigint IS NULL OR referral_id = $3) " \
	"AND ($4::bigint IS NULL OR sitting_id = $4) AND id > coalesce($6::bigint, 0) " \
	"ORDER BY id LIMIT $7::int) " \
	"SELECT coalesce(json_agg(action_fields_json(page, $5::date) ORDER BY id), " \
	"'[]')::text, CASE WHEN count(*) = $7::int THEN max(id) END, $5::text FROM page"

#endif

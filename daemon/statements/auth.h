/*
 * Who is calling (sql/002_access.sql, sql/012_accounts.sql): each
 * request's transaction begins by authenticating its caller, and each of
 * maracd's own jobs by authenticating as the job token, so that row-level
 * security and the audit see a caller in every transaction.
 *
 * The text of each statement, once: the shell sends it and reads its rows.
 */
#ifndef MARACD_STATEMENTS_AUTH_H
#define MARACD_STATEMENTS_AUTH_H

/*
 * A bearer token's check: the caller's token id, role, agency, forum,
 * areas, user and whether the CSRF token is good (the HTTP_PREFETCH_COL
 * columns before a route's prefetched ones), or no row.  $1 the token's
 * hex SHA-256, $2 the request id, $3 the peer's address.
 */
#define AUTH_SQL_COLUMNS \
	"SELECT token_id, role, coalesce(agency, ''), coalesce(forum, ''), " \
	"coalesce(array_to_string(areas, ','), ''), NULL::bigint, true"
#define AUTH_SQL_FROM "maracd_authenticate($1, $2, $3)"
/*
 * The same for a session, with the user and whether the CSRF token is the
 * session's (a token has no user and needs none).  Its parameters are
 * packed into $1 ("session-hash csrf-hash idle-seconds") so that a route's
 * prefetched subquery numbers its own from $4 either way.
 */
#define AUTH_SQL_SESSION_COLUMNS \
	"SELECT a.token_id, a.role, coalesce(a.agency, ''), coalesce(a.forum, ''), " \
	"coalesce(array_to_string(a.areas, ','), ''), a.user_id, a.csrf_ok"
#define AUTH_SQL_SESSION_FROM "maracd_authenticate_session(split_part($1, ' ', 1), " \
	"nullif(split_part($1, ' ', 2), '-'), split_part($1, ' ', 3)::integer, $2, $3) a"

/*
 * A FROM item that authenticates the statement's transaction as the job
 * HASH (a parameter) named NAME (a parameter: "job:sittings"), with one
 * row (role) when the token is a live job token and none otherwise
 * (shell/jobauth.h).
 */
#define JOBAUTH_FROM(HASH, NAME) \
	"(SELECT role FROM maracd_authenticate(" HASH ", " NAME ", NULL) " \
	"WHERE role = 'job') jobauth"

/*
 * A scheduled run's first statement: $1 the job's lock key, $2 the job
 * token's hash, $3 the job's name.  true when this process holds the
 * job's lock for the transaction, false when another runs it; no row
 * when the job token was revoked.
 */
#define AUTH_SQL_JOB_LOCK \
	"SELECT pg_try_advisory_xact_lock(hashtext($1)) FROM " \
	JOBAUTH_FROM("$2", "$3")

#endif

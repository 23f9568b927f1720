/*
 * The schema: its version (sql/, applied by maracctl migrate) and owner.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_SCHEMA_H
#define MARACD_STATEMENTS_SCHEMA_H

/*
 * Every migration applied, with the SHA-256 of its file (/readyz checks
 * them; an error 42P01 when none ever was).
 */
#define SCHEMA_SQL_APPLIED \
	"SELECT version, name, sha256 FROM schema_migrations ORDER BY version"

/* maracctl migrate: two runs take turns instead of racing. */
#define SCHEMA_SQL_LOCK "SELECT pg_advisory_lock(hashtext('maracd.migrate'))"
/*
 * The table, made before the first migration.  A table made before
 * checksums were recorded gains the column, empty: its rows are then
 * refused (migrations_check_applied), not misread.
 */
#define SCHEMA_SQL_TABLE "CREATE TABLE IF NOT EXISTS schema_migrations " \
	"(version integer PRIMARY KEY, name text NOT NULL, " \
	"applied_at timestamptz NOT NULL DEFAULT now())"
#define SCHEMA_SQL_TABLE_SHA256 "ALTER TABLE schema_migrations ADD COLUMN " \
	"IF NOT EXISTS sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$')"
/* Migration $1 (name $2, its file's SHA-256 $3) applied. */
#define SCHEMA_SQL_RECORD "INSERT INTO schema_migrations (version, name, " \
	"sha256) VALUES ($1, $2, $3)"

/*
 * Whether the connection is the schema owner (or above row-level
 * security): anyone else sees no referral and stores none.
 */
#define SCHEMA_SQL_IS_OWNER "SELECT (SELECT rolsuper OR rolbypassrls " \
	"FROM pg_roles WHERE rolname = current_user) OR EXISTS (SELECT 1 " \
	"FROM pg_policies WHERE tablename = 'referrals' AND policyname = " \
	"'referrals_owner' AND current_user = ANY (roles))"

/*
 * maracctl's session, as maracd's: $1 the [calendar] timezone, $2 the
 * command the audit names as its "who" (maracd.system).
 */
#define SCHEMA_SQL_CTL_SESSION "SELECT set_config('TimeZone', $1, false), " \
	"set_config('maracd.system', $2, false)"

#endif

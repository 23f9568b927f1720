/*
 * The schema's version (sql/, applied by maracctl migrate).
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

#endif

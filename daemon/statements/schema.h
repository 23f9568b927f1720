/*
 * The schema's version (sql/, applied by maracctl migrate).
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_SCHEMA_H
#define MARACD_STATEMENTS_SCHEMA_H

/* The highest migration applied (an error 42P01 when none ever was). */
#define SCHEMA_SQL_VERSION \
	"SELECT coalesce(max(version), 0) FROM schema_migrations"

#endif

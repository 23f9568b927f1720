/*
 * The schema migrations, embedded at build time from sql/NNN_name.sql so
 * that maracd knows which version it needs and maracctl can apply them
 * without finding files at run time.
 *
 * Each carries the SHA-256 of its file.  maracctl migrate records it in
 * schema_migrations with the version it applied, and refuses to run
 * against a database whose applied migrations are not this build's files
 * unchanged; maracd's /readyz refuses the same database (maracctl(1),
 * maracd(8)).  A migration is never edited once applied anywhere: a
 * change is a new file.
 */
#ifndef MARACD_MIGRATIONS_H
#define MARACD_MIGRATIONS_H

#include <stddef.h>
#include <libpq-fe.h>

struct migration {
	int		 version;
	const char	*name;
	const char	*sha256;	/* of the file, 64 lower-case hex digits */
	const char	*sql;
};

extern const struct migration migrations[];
extern const size_t migrations_count;

/* The highest version this build knows. */
int	migrations_latest(void);

/*
 * Whether the migrations a database records as applied (the rows of
 * SCHEMA_SQL_APPLIED: version, name and the SHA-256 of the file each was
 * applied from, NULL or "" when none was recorded) are this build's files
 * of those versions, unchanged.  The highest version applied (0: none);
 * -1 with a one-line reason in why (at most len bytes) when this build
 * does not have one of them, has another file under it, or cannot tell.
 */
int	migrations_check_applied(const PGresult *rows, char *why,
	    size_t len);

#endif

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
 * Whether a migration the database records as applied (a row of
 * schema_migrations: its version, name and the SHA-256 of the file it was
 * applied from, NULL or "" when none was recorded) is this build's file of
 * that version, unchanged.  0 when it is; -1 with a one-line reason in
 * why (at most len bytes) when this build does not have that version, has
 * another file under it, or cannot tell.
 */
int	migrations_check_applied(int version, const char *name,
	    const char *sha256, char *why, size_t len);

#endif

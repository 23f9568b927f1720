/*
 * The schema migrations, embedded at build time from sql/NNN_name.sql so
 * that maracd knows which version it needs and maracctl can apply them
 * without finding files at run time.
 */
#ifndef MARACD_MIGRATIONS_H
#define MARACD_MIGRATIONS_H

#include <stddef.h>

struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

extern const struct migration migrations[];
extern const size_t migrations_count;

/* The highest version this build knows. */
int	migrations_latest(void);

#endif

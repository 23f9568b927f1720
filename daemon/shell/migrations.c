#include "shell/migrations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
migrations_latest(void)
{
	int v = 0;

	for (size_t i = 0; i < migrations_count; i++)
		if (migrations[i].version > v)
			v = migrations[i].version;
	return v;
}

static const struct migration *
find(int version)
{
	for (size_t i = 0; i < migrations_count; i++)
		if (migrations[i].version == version)
			return &migrations[i];
	return NULL;
}

/* One row of SCHEMA_SQL_APPLIED: 0, or -1 saying why. */
static int
check(int version, const char *name, const char *sha256, char *why, size_t len)
{
	const struct migration *m = find(version);

	if (m == NULL) {
		snprintf(why, len, "the database has migration %03d_%s, which this "
		    "build does not have (a newer maracctl migrated it)", version, name);
		return -1;
	}
	if (strcmp(name, m->name) != 0) {
		snprintf(why, len, "the database's migration %03d_%s is not this "
		    "build's sql/%03d_%s.sql", version, name, m->version, m->name);
		return -1;
	}
	if (sha256 == NULL || sha256[0] == '\0') {
		snprintf(why, len, "migration %03d_%s was applied without a recorded "
		    "SHA-256, so whether sql/%03d_%s.sql changed since cannot be told",
		    version, name, m->version, m->name);
		return -1;
	}
	if (strcmp(sha256, m->sha256) != 0) {
		snprintf(why, len, "sql/%03d_%s.sql changed after it was applied "
		    "(SHA-256 %.12s... applied, %.12s... in this build)",
		    m->version, m->name, sha256, m->sha256);
		return -1;
	}
	return 0;
}

int
migrations_check_applied(const PGresult *rows, char *why, size_t len)
{
	int version = 0;

	for (int i = 0; i < PQntuples(rows); i++) {
		version = atoi(PQgetvalue(rows, i, 0));
		if (check(version, PQgetvalue(rows, i, 1),
		    PQgetvalue(rows, i, 2), why, len) != 0)
			return -1;
	}
	return version;
}

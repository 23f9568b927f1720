/*
 * maracctl migrate: apply the embedded sql/NNN_name.sql files in order,
 * each in its own transaction, recorded in schema_migrations with the
 * SHA-256 of its file.  An advisory lock makes two concurrent runs take
 * turns instead of racing.  Nothing is applied to a database whose applied
 * migrations are not this build's files unchanged (migrations.h): the
 * schema it has is then not the one these files describe, and applying
 * more would only hide that.
 */
#include "ctl.h"
#include "shell/migrations.h"

#include <stdio.h>
#include <stdlib.h>

static bool
applied(const PGresult *rows, int version)
{
	for (int i = 0; i < PQntuples(rows); i++)
		if (atoi(PQgetvalue(rows, i, 0)) == version)
			return true;
	return false;
}

static int
apply(struct ctl *ctl, const struct migration *m)
{
	char v[16];
	const char *p[3] = { v, m->name, m->sha256 };
	PGresult *res;

	snprintf(v, sizeof(v), "%d", m->version);
	if (!ctl_do(ctl, "BEGIN", 0, NULL))
		return CTL_FAIL;
	/* Simple-query protocol: a migration may hold many statements. */
	res = PQexec(ctl->db, m->sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		ctl_fail("migration %03d_%s failed: %s", m->version, m->name,
		    PQresultErrorMessage(res));
		PQclear(res);
		return CTL_FAIL;	/* rolled back as the connection closes */
	}
	PQclear(res);
	if (!ctl_do(ctl, "INSERT INTO schema_migrations (version, name, sha256) "
	    "VALUES ($1, $2, $3)", 3, p) || !ctl_do(ctl, "COMMIT", 0, NULL))
		return CTL_FAIL;
	printf("applied %03d_%s\n", m->version, m->name);
	return CTL_OK;
}

int
ctl_migrate(struct ctl *ctl)
{
	PGresult *rows;
	char why[256];
	int n = 0;

	/*
	 * A table made before checksums were recorded gains the column, empty:
	 * its rows are then refused below, not misread.
	 */
	if (!ctl_do(ctl, "SELECT pg_advisory_lock(hashtext('maracd.migrate'))",
	    0, NULL) || !ctl_do(ctl, "CREATE TABLE IF NOT EXISTS "
	    "schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL) ||
	    !ctl_do(ctl, "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS "
	    "sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$')", 0, NULL) ||
	    (rows = ctl_exec(ctl, "SELECT version, name, sha256 FROM "
	    "schema_migrations ORDER BY version", 0, NULL)) == NULL)
		return CTL_FAIL;
	for (int i = 0; i < PQntuples(rows); i++) {
		if (migrations_check_applied(atoi(PQgetvalue(rows, i, 0)),
		    PQgetvalue(rows, i, 1), PQgetvalue(rows, i, 2), why,
		    sizeof(why)) != 0) {
			PQclear(rows);
			return ctl_fail("refusing to migrate: %s; restore the file as "
			    "it was applied, or migrate a new database", why);
		}
	}
	for (size_t i = 0; i < migrations_count; i++) {
		if (applied(rows, migrations[i].version))
			continue;
		if (apply(ctl, &migrations[i]) != CTL_OK) {
			PQclear(rows);
			return CTL_FAIL;
		}
		n++;
	}
	PQclear(rows);
	printf("schema at version %d (%d applied now)\n", migrations_latest(), n);
	return CTL_OK;
}

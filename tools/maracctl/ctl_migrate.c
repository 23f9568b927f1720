/*
 * maracctl migrate: the embedded sql/NNN_name.sql files in order, each in
 * its own transaction, recorded with its file's SHA-256.  Nothing is
 * applied to a database whose applied migrations are not this build's
 * files unchanged (migrations.h): its schema is then not the one these
 * files describe, and applying more would only hide that.
 */
#include "ctl.h"
#include "shell/db.h"
#include "shell/migrations.h"
#include "statements/schema.h"

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
	bool ok;

	snprintf(v, sizeof(v), "%d", m->version);
	if (!ctl_do(ctl, "BEGIN", 0, NULL))
		return CTL_FAIL;
	/* Simple-query protocol: a migration may hold many statements. */
	if (!(ok = db_ok(res = PQexec(ctl->db, m->sql))))	/* rolled back as the connection closes */
		ctl_fail("migration %03d_%s failed: %s", m->version, m->name,
		    PQresultErrorMessage(res));
	PQclear(res);
	if (!ok || !ctl_do(ctl, SCHEMA_SQL_RECORD, 3, p) ||
	    !ctl_do(ctl, "COMMIT", 0, NULL))
		return CTL_FAIL;
	printf("applied %03d_%s\n", m->version, m->name);
	return CTL_OK;
}

int
ctl_migrate(struct ctl *ctl)
{
	PGresult *rows;
	char why[256];
	int n = 0, rc = CTL_OK;

	if (!ctl_do(ctl, SCHEMA_SQL_LOCK, 0, NULL) ||
	    !ctl_do(ctl, SCHEMA_SQL_TABLE, 0, NULL) ||
	    !ctl_do(ctl, SCHEMA_SQL_TABLE_SHA256, 0, NULL) ||
	    (rows = ctl_exec(ctl, SCHEMA_SQL_APPLIED, 0, NULL)) == NULL)
		return CTL_FAIL;
	if (migrations_check_applied(rows, why, sizeof(why)) < 0)
		rc = ctl_fail("refusing to migrate: %s; restore the file as it "
		    "was applied, or migrate a new database", why);
	for (size_t m = 0; m < migrations_count && rc == CTL_OK; m++)
		if (!applied(rows, migrations[m].version)) {
			rc = apply(ctl, &migrations[m]);
			n++;
		}
	PQclear(rows);
	if (rc == CTL_OK)
		printf("schema at version %d (%d applied now)\n",
		    migrations_latest(), n);
	return rc;
}

/*
 * maracctl migrate: apply the embedded sql/NNN_name.sql files in order,
 * each in its own transaction, recorded in schema_migrations.  An advisory
 * lock makes two concurrent runs take turns instead of racing.
 */
#include "ctl.h"
#include "shell/migrations.h"

#include <stdio.h>
#include <stdlib.h>

static bool
applied(struct ctl *ctl, int version)
{
	char v[16];
	const char *p[1] = { v };
	PGresult *res;
	bool yes;

	snprintf(v, sizeof(v), "%d", version);
	res = ctl_exec(ctl, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, p);
	yes = res != NULL && PQntuples(res) == 1;
	PQclear(res);
	return yes;
}

static int
apply(struct ctl *ctl, const struct migration *m)
{
	char v[16];
	const char *p[2] = { v, m->name };
	PGresult *res;

	snprintf(v, sizeof(v), "%d", m->version);
	if ((res = ctl_exec(ctl, "BEGIN", 0, NULL)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	/* Simple-query protocol: a migration may hold many statements. */
	res = PQexec(ctl->db, m->sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		ctl_fail("migration %03d_%s failed: %s", m->version, m->name,
		    PQresultErrorMessage(res));
		PQclear(res);
		PQclear(PQexec(ctl->db, "ROLLBACK"));
		return CTL_FAIL;
	}
	PQclear(res);
	res = ctl_exec(ctl, "INSERT INTO schema_migrations (version, name) "
	    "VALUES ($1, $2)", 2, p);
	if (res == NULL) {
		PQclear(PQexec(ctl->db, "ROLLBACK"));
		return CTL_FAIL;
	}
	PQclear(res);
	if ((res = ctl_exec(ctl, "COMMIT", 0, NULL)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	printf("applied %03d_%s\n", m->version, m->name);
	return CTL_OK;
}

int
ctl_migrate(struct ctl *ctl, int argc, char **argv)
{
	PGresult *res;
	int n = 0;

	(void)argv;
	if (argc != 0)
		return ctl_usage("migrate");
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if ((res = ctl_exec(ctl, "SELECT pg_advisory_lock(hashtext('maracd.migrate'))",
	    0, NULL)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	res = ctl_exec(ctl, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL);
	if (res == NULL)
		return CTL_FAIL;
	PQclear(res);
	for (size_t i = 0; i < migrations_count; i++) {
		if (applied(ctl, migrations[i].version))
			continue;
		if (apply(ctl, &migrations[i]) != CTL_OK)
			return CTL_FAIL;
		n++;
	}
	printf("schema at version %d (%d applied now)\n", migrations_latest(), n);
	return CTL_OK;
}

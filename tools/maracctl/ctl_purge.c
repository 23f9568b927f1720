/*
 * maracctl purge [--dry-run] [--batch N]: what maracd's purge job does
 * (sql/013_retention.sql, maracd.conf(5) RETENTION), by hand and at once.
 *
 * --dry-run lists what is due and why, one line per object: category,
 * object type, id, reason (ids and dates, never personal data).  Without
 * it the purge runs batch after batch, one transaction each, until a
 * batch finds nothing left; each batch waits for the job's lock, so that
 * it never overlaps a batch of maracd's job.  Interrupted (a crash,
 * kill -9), it loses the batch in flight only: run it again.  Both are
 * audited, named "maracctl purge".  It purges even with [retention]
 * purge = no: the operator asked.
 */
#include "ctl.h"
#include "statements/retention.h"

#include <stdio.h>
#include <stdlib.h>

/* What is due, in one statement: its own transaction. */
static int
dry_run(struct ctl *ctl, const struct retention_params *p)
{
	PGresult *res;
	int n;

	if ((res = ctl_exec(ctl, RETENTION_SQL_DUE, 3, p->values)) == NULL)
		return CTL_FAIL;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		buf_printf(&ctl->out, "would-purge %s %s %s %s\n",
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
	PQclear(res);
	fprintf(stderr, "maracctl: as of %s: %d object%s would be purged (dry run)\n",
	    p->today, n, n == 1 ? "" : "s");
	return CTL_OK;
}

static int
purge(struct ctl *ctl, const struct retention_params *p)
{
	struct retention_batch b;
	PGresult *res;
	long total = 0;
	int batches = 0;

	do {
		if (!ctl_do(ctl, "BEGIN", 0, NULL) ||
		    !ctl_do(ctl, RETENTION_SQL_LOCK, 0, NULL) ||
		    (res = ctl_exec(ctl, RETENTION_SQL_BATCH, 4, p->values)) == NULL)
			return CTL_FAIL;
		if (retention_batch_parse(PQgetvalue(res, 0, 0), &b) != 0) {
			PQclear(res);
			return ctl_fail("the purge answered something unexpected");
		}
		PQclear(res);
		if (!ctl_do(ctl, "COMMIT", 0, NULL))
			return CTL_FAIL;
		/* Said at once: a batch committed stays purged. */
		if (b.total > 0)
			printf("purged %ld %s\n", b.total, b.counts);
		total += b.total;
		batches++;
	} while (b.more);
	fprintf(stderr, "maracctl: as of %s: %ld object%s purged in %d batch%s\n",
	    p->today, total, total == 1 ? "" : "s", batches, batches == 1 ? "" : "es");
	return CTL_OK;
}

int
ctl_purge(struct ctl *ctl)
{
	const char *batch = ctl_arg(ctl, "batch");
	struct retention_params p;
	char *end;
	long n;

	if (batch != NULL) {
		n = strtol(batch, &end, 10);
		if (*end != '\0' || n < 1 || n > 100000)
			return ctl_fail("--batch must be a number from 1 to 100000");
		ctl->cfg.retention_batch = (int)n;
	}
	if (retention_params_make(&p, &ctl->cfg) != 0)
		return ctl_fail("[retention] settings do not fit");
	return ctl_arg(ctl, "dry-run") != NULL ? dry_run(ctl, &p) : purge(ctl, &p);
}

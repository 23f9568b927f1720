/*
 * maracctl import FILE: referrals from a CSV file (maracctl(1), COLUMNS),
 * imported by maracd's own code (shell/importjob.h), as POST
 * /v1/referrals/import imports them.
 *
 * The file is read in chunks, so a file of any size imports in bounded
 * memory: this is the way for files larger than maracd's [server]
 * max_body_size.  It connects as the schema owner, whose row-level
 * security policies come from sql/004_referrals.sql, and its audit rows say
 * "maracctl import".  Each batch is committed, so a failure part way
 * keeps what was done; running the import again is then safe, since rows
 * already stored come back as duplicates.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/db.h"
#include "shell/importjob.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK		65536
/* Rows a batch and a transaction: memory is about 25 kB a row. */
#define BATCH_ROWS	500

struct run {
	struct ctl		*ctl;
	const char		*path;
	FILE			*f;
	char			*chunk;
	struct importjob	*job;
	unsigned long		 committed;	/* rows committed so far */
	unsigned long		 pending;	/* in the batch being committed */
	bool			 analysed;	/* the first batch's statistics taken */
	struct import_totals	 totals;
};

static int
chunk(void *arg, const char **data, size_t *len)
{
	struct run *run = arg;

	*len = fread(run->chunk, 1, CHUNK, run->f);
	*data = run->chunk;
	return ferror(run->f) ? -1 : 0;
}

static void
acquired(struct db_txn *txn, void *arg)
{
	struct run *run = arg;

	run->ctl->txn = txn;
	importjob_resume(run->job, txn);
}

static void
committed(bool ok, void *arg)
{
	struct run *run = arg;

	run->ctl->txn = NULL;
	if (ok)
		run->committed += run->pending;
	if (!ok || db_acquire(run->ctl->pool, true, acquired, run) != 0)
		importjob_resume(run->job, NULL);
}

/*
 * The first batch (committed) is followed by ANALYZE (the owner may; maracd's role
 * may not): a table that starts empty has no statistics until autovacuum
 * gets round to it, which on a busy machine is after the import, and
 * until then the planner took the referral's agency index for "is this
 * external_ref stored?", a scan of every referral of the agency for every
 * row: an import of N rows cost N scans of a table growing to N rows.
 * The statements' plans are made again with the new figures.
 */
static void
analysed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *run = arg;

	(void)res;	/* had it failed, db_finish rolls back and says so */
	db_finish(txn, true, committed, run);
}

/* Its refused and invalid rows said, the batch is committed. */
static void
batch(struct importjob *j, const struct import_batch *b, void *arg)
{
	struct run *run = arg;
	struct buf text;

	buf_init(&text);
	for (size_t i = 0; i < b->n; i++) {
		const struct import_row *r = &b->rows[i];

		if (r->status == IMPORT_INVALID || r->status == IMPORT_REFUSED) {
			buf_reset(&text);
			import_row_text(r, &text);
			printf("row %lu: %s\n", r->line, buf_str(&text));
		}
	}
	buf_free(&text);
	run->job = j;
	run->pending = b->n;
	if (!run->analysed) {
		run->analysed = true;
		if (db_query(run->ctl->txn, "ANALYZE referrals, referral_people, "
		    "audit_log", 0, NULL, analysed, run) == 0)
			return;
	}
	db_finish(run->ctl->txn, true, committed, run);
}

static int
db_failed(struct run *run, const struct importjob_end *e)
{
	char msg[256];
	const struct import_batch *b = e->batch;

	snprintf(msg, sizeof(msg), "%s", e->res != NULL ?
	    PQresultErrorMessage(e->res) : "the transaction could not be committed");
	msg[strcspn(msg, "\n")] = '\0';
	return ctl_fail("%s: rows %lu to %lu: %s (%lu rows before them were "
	    "stored; importing the file again is safe)", run->path,
	    b->n > 0 ? b->rows[0].line : 0, b->n > 0 ? b->rows[b->n - 1].line : 0,
	    msg, run->committed);
}

static void
end(const struct importjob_end *e, void *arg)
{
	struct run *run = arg;
	const struct field_errors *fe = &e->imp->row.errs;
	int rc = CTL_OK;

	run->totals = e->imp->totals;
	switch (e->outcome) {
	case IMPORTJOB_DONE:
	case IMPORTJOB_STOPPED:
		break;
	case IMPORTJOB_BAD_HEADER:
		for (size_t i = 0; i < fe->count; i++)
			fprintf(stderr, "maracctl: %s: line 1: %s%s%s\n",
			    run->path, fe->items[i].field,
			    fe->items[i].field[0] != '\0' ? ": " : "",
			    fe->items[i].reason);
		rc = ctl_fail("%s: the header row is wrong; nothing was "
		    "imported", run->path);
		break;
	case IMPORTJOB_NOMEM:
		rc = ctl_fail("out of memory");
		break;
	case IMPORTJOB_UNREADABLE:
		rc = ctl_fail("%s: %s", run->path, strerror(errno));
		break;
	case IMPORTJOB_DB_FAILED:
		rc = db_failed(run, e);
		break;
	}
	ctl_done(run->ctl, rc);
}

static void
start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	static const struct importjob_io io = { chunk, NULL, batch, end, true };

	/* Today is the clock's, as maracd's: no row joins a held sitting. */
	if (importjob_start(ctl->base, txn, &ctl->cfg, clock_today(), BATCH_ROWS,
	    &io, arg) != 0)
		ctl_done(ctl, ctl_fail("out of memory"));
}

/* Anyone else would see no referral and store none (RLS, forced). */
static int
owner_check(struct ctl *ctl)
{
	PGresult *res;
	bool ok;

	if ((res = ctl_exec(ctl, "SELECT (SELECT rolsuper OR rolbypassrls "
	    "FROM pg_roles WHERE rolname = current_user) OR EXISTS (SELECT 1 "
	    "FROM pg_policies WHERE tablename = 'referrals' AND policyname = "
	    "'referrals_owner' AND current_user = ANY (roles))", 0, NULL)) == NULL)
		return CTL_FAIL;
	ok = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return ok ? CTL_OK : ctl_fail("import must connect as the schema owner "
	    "(MARACCTL_OWNER_DSN) of a migrated schema (maracctl migrate)");
}

int
ctl_import(struct ctl *ctl)
{
	struct run run = { .ctl = ctl };
	const struct import_totals *t = &run.totals;
	int rc;

	if ((run.path = ctl->pos[0])[0] == '\0')
		return ctl_usage(ctl);
	if (strcmp(run.path, "-") == 0)
		run.f = stdin;
	else if ((run.f = fopen(run.path, "rb")) == NULL)
		return ctl_fail("%s: %s", run.path, strerror(errno));
	if ((run.chunk = malloc(CHUNK)) == NULL)
		rc = ctl_fail("out of memory");
	else if ((rc = owner_check(ctl)) == CTL_OK)
		rc = ctl_run(ctl, start, &run);
	if (run.f != stdin)
		fclose(run.f);
	free(run.chunk);
	if (rc == CTL_OK && t->waiting > 0)
		printf("import: %lu of the referrals imported wait for a sitting "
		    "(none exists yet that they can join); the coordinator has "
		    "been told, and each will be listed at the first sitting that "
		    "exists (GET /v1/attention lists them)\n", t->waiting);
	if (rc == CTL_OK)
		printf("import: %lu rows, %lu imported, %lu duplicates, "
		    "%lu refused, %lu invalid\n", t->rows, t->imported,
		    t->duplicates, t->refused, t->invalid);
	return rc;
}

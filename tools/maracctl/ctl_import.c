/*
 * maracctl import FILE: referrals from a CSV file, imported by maracd's
 * own code (shell/importjob.h) as POST /v1/referrals/import imports them,
 * but read in chunks, so that a file of any size imports in bounded
 * memory.  Each batch is committed (importjob_start's pool): a failure
 * part way keeps what was done, and importing the file again is safe
 * (stored rows come back as duplicates).
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/importjob.h"
#include "statements/schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CHUNK		65536
/* Rows a batch and a transaction: memory is about 25 kB a row of two. */
#define BATCH_ROWS	500

struct run {
	struct ctl		*ctl;
	const char		*path;
	FILE			*f;
	char			 chunk[CHUNK];
};

static int
chunk(void *arg, const char **data, size_t *len)
{
	struct run *run = arg;

	*len = fread(run->chunk, 1, CHUNK, run->f);
	*data = run->chunk;
	return ferror(run->f) ? -1 : 0;
}

/* Its refused and invalid rows said at once, before the batch is committed. */
static void
batch(const struct import_batch *b, void *arg)
{
	struct buf text;

	(void)arg;
	buf_init(&text);
	for (const struct import_row *r = b->rows; r < b->rows + b->n; r++) {
		if (r->status == IMPORT_INVALID || r->status == IMPORT_REFUSED) {
			buf_reset(&text);
			import_row_text(r, &text);
			printf("row %lu: %s\n", r->line, buf_str(&text));
		}
	}
	buf_free(&text);
}

/* The totals follow the rows already printed, once the end is committed. */
static void
end(const struct importjob_end *e, void *arg)
{
	struct run *run = arg;
	const struct import_totals *t = &e->imp->totals;
	const struct field_errors *fe = &e->imp->row.errs;
	const struct import_batch *b = e->batch;
	const char *why;
	int rc = CTL_OK;

	if (e->outcome == IMPORTJOB_BAD_HEADER) {
		for (size_t i = 0; i < fe->count; i++)
			fprintf(stderr, "maracctl: %s: line 1: %s%s%s\n",
			    run->path, fe->items[i].field,
			    fe->items[i].field[0] != '\0' ? ": " : "",
			    fe->items[i].reason);
		rc = ctl_fail("%s: the header row is wrong; nothing was "
		    "imported", run->path);
	} else if (e->outcome == IMPORTJOB_NOMEM)
		rc = ctl_fail("out of memory");
	else if (e->outcome == IMPORTJOB_UNREADABLE)
		rc = ctl_fail("%s: %s", run->path, strerror(errno));
	else if (e->outcome == IMPORTJOB_DB_FAILED) {
		why = e->res != NULL ? PQresultErrorMessage(e->res) :
		    "the transaction could not be committed";
		rc = ctl_fail("%s: rows %lu to %lu: %.*s (%lu rows before them "
		    "were stored; importing the file again is safe)", run->path,
		    b->n > 0 ? b->rows[0].line : 0, b->n > 0 ?
		    b->rows[b->n - 1].line : 0, (int)strcspn(why, "\n"), why,
		    e->committed);
	} else {
		if (t->waiting > 0)
			buf_printf(&run->ctl->out, "import: %lu of the referrals "
			    "imported wait for a sitting (none exists yet that "
			    "they can join); the coordinator has been told, and "
			    "each will be listed at the first sitting that exists "
			    "(GET /v1/attention lists them)\n", t->waiting);
		buf_printf(&run->ctl->out, "import: %lu rows, %lu imported, "
		    "%lu duplicates, %lu refused, %lu invalid\n", t->rows,
		    t->imported, t->duplicates, t->refused, t->invalid);
	}
	/* ctl_done ends the transaction the import ended in, not ctl_begin's. */
	run->ctl->txn = e->txn;
	ctl_done(run->ctl, rc);
}

int
ctl_import(struct ctl *ctl)
{
	static const struct importjob_io io = { chunk, NULL, batch, end };
	struct run run = { .ctl = ctl, .path = ctl->pos[0] };
	const char *owner = NULL;
	int rc = CTL_FAIL;

	if (run.path[0] == '\0')
		return ctl_usage(ctl);
	if (strcmp(run.path, "-") == 0)
		run.f = stdin;
	else if ((run.f = fopen(run.path, "rb")) == NULL)
		return ctl_fail("%s: %s", run.path, strerror(errno));
	/* owner stays NULL when the question failed (said why). */
	if (ctl_value(ctl, &owner, SCHEMA_SQL_IS_OWNER, 0, NULL) &&
	    (owner == NULL || owner[0] != 't'))
		ctl_fail("import must connect as the schema owner "
		    "(MARACCTL_OWNER_DSN) of a migrated schema "
		    "(maracctl migrate)");
	else if (owner != NULL && ctl_begin(ctl)) {
		/* Today as maracd's clock says: no row joins a held sitting. */
		if (importjob_start(ctl->base, ctl->txn, ctl->pool, &ctl->cfg,
		    clock_today(), BATCH_ROWS, &io, &run) != 0)
			ctl_done(ctl, ctl_fail("out of memory"));
		rc = ctl_wait(ctl);
	}
	if (run.f != stdin)
		fclose(run.f);
	return rc;
}

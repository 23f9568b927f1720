/*
 * maracctl import FILE: referrals from a CSV file (maracctl(1), COLUMNS),
 * through the same validation and rules as POST /v1/referrals
 * (core/import.c) and stored the same way as POST /v1/referrals/import
 * (statements/import.h).
 *
 * The file is read in chunks and its rows are taken a batch at a time
 * (core/importbatch.h), so a file of any size imports in bounded memory:
 * this is the way for files larger than maracd's [server] max_body_size.
 * It connects as the schema owner, whose row-level security policies come
 * from sql/004_referrals.sql, and its audit rows say "maracctl import".  A
 * batch is two statements a wave (the facts of its rows, then the rows
 * stored set-based by referral_import_rows(), which stores them one at a
 * time when the database refuses any), and each batch is committed, so a
 * failure part way keeps what was done; running the import again is then
 * safe, since rows already stored come back as duplicates.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "core/buf.h"
#include "core/import.h"
#include "core/importbatch.h"
#include "statements/import.h"

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
	struct import		 imp;
	struct import_batch	 batch;
	unsigned long		 committed;	/* rows committed so far */
	struct buf		 text;
	struct buf		 param;
};

static bool
run_sql(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	PGresult *res = ctl_exec(ctl, sql, n, p);

	PQclear(res);
	return res != NULL;
}

static bool
prepare(struct ctl *ctl, const char *name, const char *sql)
{
	PGresult	*res = PQprepare(ctl->db, name, sql, 1, NULL);
	bool		 ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok;
}

/* Local dates in the configured zone, as maracd's sessions. */
static int
setup(struct ctl *ctl)
{
	const char	*p[1] = { ctl->cfg.timezone };
	PGresult	*res;
	bool		 ok;

	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if (!run_sql(ctl, "SELECT set_config('TimeZone', $1, false), "
	    "set_config('maracd.system', 'maracctl import', false)", 1, p))
		return CTL_FAIL;
	/* Anyone else would see no referral and store none (RLS, forced). */
	if ((res = ctl_exec(ctl, "SELECT (SELECT rolsuper OR rolbypassrls "
	    "FROM pg_roles WHERE rolname = current_user) OR EXISTS (SELECT 1 "
	    "FROM pg_policies WHERE tablename = 'referrals' AND policyname = "
	    "'referrals_owner' AND current_user = ANY (roles))", 0, NULL)) == NULL)
		return CTL_FAIL;
	ok = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!ok)
		return ctl_fail("import must connect as the schema owner "
		    "(MARACCTL_OWNER_DSN) of a migrated schema "
		    "(maracctl migrate)");
	if (!prepare(ctl, "facts", IMPORTSTORE_SQL_WAVE_FACTS) ||
	    !prepare(ctl, "store", IMPORTSTORE_SQL_WAVE_STORE))
		return ctl_fail("cannot prepare the import's statements: %s "
		    "(is the schema migrated? maracctl migrate)",
		    PQerrorMessage(ctl->db));
	return run_sql(ctl, "BEGIN", 0, NULL) ? CTL_OK : CTL_FAIL;
}

static int
db_failed(struct run *run, PGresult *res)
{
	char	 msg[256];
	const char *why = res != NULL && PQresultErrorMessage(res)[0] != '\0' ?
	    PQresultErrorMessage(res) : PQerrorMessage(run->ctl->db);
	const struct import_batch *b = &run->batch;

	snprintf(msg, sizeof(msg), "%s", why);
	msg[strcspn(msg, "\n")] = '\0';
	PQclear(res);
	return ctl_fail("%s: rows %lu to %lu: %s (%lu rows before them were "
	    "stored; importing the file again is safe)", run->path,
	    b->n > 0 ? b->rows[0].line : 0, b->n > 0 ? b->rows[b->n - 1].line : 0,
	    msg, run->committed);
}

/* One statement with the wave's parameter; NULL (and said) on failure. */
static PGresult *
wave_exec(struct run *run, const char *name)
{
	const char *p[1] = { buf_str(&run->param) };

	if (buf_failed(&run->param)) {
		ctl_fail("out of memory");
		return NULL;
	}
	return PQexecPrepared(run->ctl->db, name, 1, p, NULL, NULL, 0);
}

/* The batch's rows to the database, wave by wave; then reported, committed. */
static int
flush(struct run *run)
{
	struct import_batch	*b = &run->batch;
	char			 now[CLOCK_RFC3339_MAX];
	PGresult		*res;

	while (import_batch_wave(b)) {
		import_batch_facts_param(b, clock_rfc3339(now, sizeof(now)),
		    &run->param);
		if ((res = wave_exec(run, "facts")) == NULL)
			return CTL_FAIL;
		if (!importstore_read_wave_facts(res, 0, b, &run->imp))
			return db_failed(run, res);
		PQclear(res);
		if (!import_batch_store_param(b, &run->imp, &run->param))
			continue;
		if ((res = wave_exec(run, "store")) == NULL)
			return CTL_FAIL;
		if (!importstore_read_wave_store(res, b, &run->imp))
			return db_failed(run, res);
		PQclear(res);
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct import_row *r = &b->rows[i];

		if (r->status == IMPORT_INVALID || r->status == IMPORT_REFUSED) {
			buf_reset(&run->text);
			import_row_text(r, &run->text);
			printf("row %lu: %s\n", r->line, buf_str(&run->text));
		}
	}
	if (!run_sql(run->ctl, "COMMIT", 0, NULL) ||
	    !run_sql(run->ctl, "BEGIN", 0, NULL))
		return db_failed(run, NULL);
	run->committed += b->n;
	import_batch_clear(b);
	return CTL_OK;
}

static int
row(struct run *run)
{
	import_batch_add(&run->batch, &run->imp);
	return import_batch_full(&run->batch) ? flush(run) : CTL_OK;
}

static int
event(struct run *run, enum import_event ev)
{
	const struct field_errors *fe = &run->imp.row.errs;

	switch (ev) {
	case IMPORT_ROW:
		return row(run);
	case IMPORT_BAD_HEADER:
		for (size_t i = 0; i < fe->count; i++)
			fprintf(stderr, "maracctl: %s: line 1: %s%s%s\n",
			    run->path, fe->items[i].field,
			    fe->items[i].field[0] != '\0' ? ": " : "",
			    fe->items[i].reason);
		return ctl_fail("%s: the header row is wrong; nothing was "
		    "imported", run->path);
	case IMPORT_NOMEM:
		return ctl_fail("out of memory");
	case IMPORT_MORE:
	case IMPORT_END:
		break;
	}
	return CTL_OK;
}

static int
import_file(struct run *run, FILE *f)
{
	enum import_event	 ev;
	char			*chunk = malloc(CHUNK);
	size_t			 n, off, used;
	int			 rc = CTL_OK;

	if (chunk == NULL)
		return ctl_fail("out of memory");
	while (rc == CTL_OK && (n = fread(chunk, 1, CHUNK, f)) > 0) {
		for (off = 0; rc == CTL_OK && off < n; off += used) {
			ev = import_feed(&run->imp, chunk + off, n - off, &used);
			rc = event(run, ev);
		}
	}
	free(chunk);
	if (rc == CTL_OK && ferror(f))
		return ctl_fail("%s: %s", run->path, strerror(errno));
	while (rc == CTL_OK && (ev = import_end(&run->imp)) != IMPORT_END)
		rc = event(run, ev);
	return rc == CTL_OK && run->batch.n > 0 ? flush(run) : rc;
}

int
ctl_import(struct ctl *ctl, int argc, char **argv)
{
	struct run		 run = { .ctl = ctl };
	struct import_totals	*t = &run.imp.totals;
	struct intake_served	 srv = { ctl->cfg.area, true,
				    ctl->cfg.marac_anchor[0] != '\0' };
	FILE			*f;
	int			 rc;

	if (argc != 1 || argv[0][0] == '\0')
		return ctl_usage("import FILE.csv");
	run.path = argv[0];
	if (strcmp(run.path, "-") == 0)
		f = stdin;
	else if ((f = fopen(run.path, "rb")) == NULL)
		return ctl_fail("%s: %s", run.path, strerror(errno));
	if ((rc = setup(ctl)) != CTL_OK) {
		if (f != stdin)
			fclose(f);
		return rc;
	}
	buf_init(&run.text);
	buf_init(&run.param);
	if (!import_batch_init(&run.batch, BATCH_ROWS)) {
		if (f != stdin)
			fclose(f);
		return ctl_fail("out of memory");
	}
	/* Today is the clock's, as maracd's: no row joins a held sitting. */
	import_init(&run.imp, clock_today(), ctl->cfg.area, &ctl->cfg.intake);
	import_serve(&run.imp, &srv, ctl->cfg.reminders_coordinator_email);
	rc = import_file(&run, f);
	if (f != stdin)
		fclose(f);
	if (rc == CTL_OK && !run_sql(ctl, "COMMIT", 0, NULL))
		rc = db_failed(&run, NULL);
	import_batch_free(&run.batch);
	buf_free(&run.param);
	if (rc == CTL_OK && t->waiting > 0)
		printf("import: %lu of the referrals imported wait for a sitting "
		    "(none exists yet that they can join); the coordinator has "
		    "been told, and each will be listed at the first sitting that "
		    "exists (GET /v1/attention lists them)\n", t->waiting);
	if (rc == CTL_OK)
		printf("import: %lu rows, %lu imported, %lu duplicates, "
		    "%lu refused, %lu invalid\n", t->rows, t->imported,
		    t->duplicates, t->refused, t->invalid);
	import_free(&run.imp);
	buf_free(&run.text);
	return rc;
}

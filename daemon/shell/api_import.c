/*
 * POST /v1/referrals/import: a CSV file of referrals (text/csv, admin),
 * one referral a row, columns as maracctl(1) documents them.
 *
 * evhttp has the whole body in memory before a handler runs, bounded by
 * [server] max_body_size: this endpoint is for files up to that size, and
 * maracctl import, which streams, for larger ones.  Rows go through
 * core/import.c (the same validation and rules as POST /v1/referrals) in
 * the request's transaction, a batch at a time, exactly as maracctl
 * import takes them (core/importbatch.h, statements/import.h): per wave of a
 * batch, one statement reads the facts of its rows and one stores them
 * set-based (referral_import_rows(), sql/004_referrals.sql), which stores
 * them one at a time, each in a savepoint, when the database refuses any,
 * so that a row the database refuses costs that row only.  The answer
 * says what became of every row, and the valid rows are committed even
 * when others are not: an import is not all or nothing.
 *
 * A wave is a chain of two callbacks (facts, then store), each of which
 * comes back from the event loop, so the stack never grows with the
 * number of rows.  Rows are read and checked IMPORT_READ at a time, and
 * then the loop gets a turn, so that a large file does not hold it up.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/config.h"
#include "core/import.h"
#include "core/importbatch.h"
#include "statements/import.h"
#include "shell/clock.h"
#include "shell/log.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

/* Rows read and checked before the loop gets a turn. */
#define IMPORT_READ	256
/* Rows a batch (maracctl import's size): memory is about 25 kB a row. */
#define IMPORT_BATCH	500

struct job {
	struct http_req	*r;
	struct import	 imp;
	struct import_batch batch;
	struct buf	 param;		/* the wave's statement parameter */
	size_t		 off;		/* bytes of the body read */
	bool		 at_end;	/* all of them */
	bool		 ended;		/* and every row taken */
	char		*area;		/* [calendar] area, as the import began */
	char		*coordinator;	/* [reminders] coordinator_email, likewise */
	cJSON		*results;
};

static void	next_row(struct job *);

static void
job_free(struct job *j)
{
	import_free(&j->imp);
	import_batch_free(&j->batch);
	buf_free(&j->param);
	cJSON_Delete(j->results);
	free(j->area);
	free(j->coordinator);
	free(j);
}

static void
fail_db(struct job *j, const PGresult *res)
{
	api_reply_db_error(j->r, res);
	job_free(j);
}

static void	next_wave(struct job *);

static void
stored(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!importstore_read_wave_store(res, &j->batch, &j->imp)) {
		fail_db(j, res);
		return;
	}
	next_wave(j);
}

static void
got_facts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job	*j = arg;
	const char	*params[1];

	if (!importstore_read_wave_facts(res, 0, &j->batch, &j->imp)) {
		fail_db(j, res);
		return;
	}
	if (!import_batch_store_param(&j->batch, &j->imp, &j->param)) {
		next_wave(j);		/* nothing to store, or out of memory */
		return;
	}
	params[0] = buf_str(&j->param);
	/* libpq copies the parameters when it sends. */
	db_query(txn, IMPORTSTORE_SQL_WAVE_STORE, 1, params, stored, j);
}

/*
 * The batch's next wave to the database, or, when none is left, its rows
 * into the answer and on with the file.
 */
static void
next_wave(struct job *j)
{
	char		 now[CLOCK_RFC3339_MAX];
	const char	*params[1];

	if (import_batch_wave(&j->batch)) {
		import_batch_facts_param(&j->batch,
		    clock_rfc3339(now, sizeof(now)), &j->param);
		params[0] = buf_str(&j->param);
		db_query(j->r->txn, IMPORTSTORE_SQL_WAVE_FACTS, 1, params,
		    got_facts, j);
		return;
	}
	for (size_t i = 0; i < j->batch.n; i++) {
		cJSON *o = import_row_json(&j->batch.rows[i]);

		if (o != NULL)
			cJSON_AddItemToArray(j->results, o);
	}
	import_batch_clear(&j->batch);
	next_row(j);
}

static void
reply_header(struct job *j)
{
	const struct field_errors	*fe = &j->imp.row.errs;
	cJSON				*fields = cJSON_CreateArray();

	for (size_t i = 0; i < fe->count; i++) {
		cJSON *f = cJSON_CreateObject();

		if (fe->items[i].field[0] != '\0')
			cJSON_AddStringToObject(f, "field", fe->items[i].field);
		else
			cJSON_AddNullToObject(f, "field");
		cJSON_AddStringToObject(f, "reason", fe->items[i].reason);
		cJSON_AddItemToArray(fields, f);
	}
	http_reply_fields(j->r, 422, "invalid_header", "the header row (line 1) "
	    "is wrong; nothing was imported", fields);
	job_free(j);
}

static void
reply_done(struct job *j)
{
	const struct import_totals	*t = &j->imp.totals;
	struct http_req			*r = j->r;
	cJSON				*o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "rows", (double)t->rows);
	cJSON_AddNumberToObject(o, "imported", (double)t->imported);
	cJSON_AddNumberToObject(o, "duplicates", (double)t->duplicates);
	cJSON_AddNumberToObject(o, "refused", (double)t->refused);
	cJSON_AddNumberToObject(o, "invalid", (double)t->invalid);
	cJSON_AddNumberToObject(o, "waiting", (double)t->waiting);
	if (t->waiting > 0)
		cJSON_AddStringToObject(o, "notice", "some referrals wait for a "
		    "sitting (referral_status \"waiting\"): none exists yet that "
		    "they can join. The coordinator has been told; each will be "
		    "listed at the first sitting that exists and whose cutoff it "
		    "meets.");
	cJSON_AddItemToObject(o, "results", j->results);
	j->results = NULL;
	log_info("import %s: %lu rows, %lu imported, %lu duplicates, "
	    "%lu refused, %lu invalid, %lu waiting", r->id, t->rows, t->imported,
	    t->duplicates, t->refused, t->invalid, t->waiting);
	job_free(j);
	http_reply_commit(r, 200, o);
}

static void
resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	next_row(arg);
}

/* Rows until the batch is full, the reading's turn is up, or the end. */
static void
next_row(struct job *j)
{
	static const struct timeval now = { 0, 0 };
	struct http_req		*r = j->r;
	enum import_event	 ev;
	size_t			 used;

	for (int read = 0;; read++) {
		if (r->ev == NULL || r->app->stopping) {
			/* Nobody to tell, or no time: roll it all back. */
			http_reply_error(r, 503, "shutting_down",
			    "the import was stopped; nothing was saved; retry");
			job_free(j);
			return;
		}
		if (import_batch_full(&j->batch) ||
		    (j->ended && j->batch.n > 0)) {
			next_wave(j);
			return;
		}
		if (j->ended) {
			reply_done(j);
			return;
		}
		if (read == IMPORT_READ &&
		    event_base_once(r->app->base, -1, EV_TIMEOUT, resume, j,
		    &now) == 0)
			return;
		if (j->at_end)
			ev = import_end(&j->imp);
		else {
			ev = import_feed(&j->imp, r->body + j->off,
			    r->body_len - j->off, &used);
			j->off += used;
		}
		switch (ev) {
		case IMPORT_MORE:
			j->at_end = true;
			continue;
		case IMPORT_END:
			j->ended = true;
			continue;
		case IMPORT_BAD_HEADER:
			reply_header(j);
			return;
		case IMPORT_NOMEM:
			http_reply_error(r, 503, "out_of_memory", "retry later");
			job_free(j);
			return;
		case IMPORT_ROW:
			break;
		}
		import_batch_add(&j->batch, &j->imp);
	}
}

void
api_referrals_import(struct http_req *r)
{
	const struct config *cfg = r->app->cfg;
	struct job *j = calloc(1, sizeof(*j));
	struct intake_served srv;

	if (j == NULL || !import_batch_init(&j->batch, IMPORT_BATCH) ||
	    (j->results = cJSON_CreateArray()) == NULL ||
	    (j->area = strdup(cfg->area)) == NULL ||
	    (j->coordinator = strdup(cfg->reminders_coordinator_email)) == NULL) {
		if (j != NULL) {
			import_batch_free(&j->batch);
			cJSON_Delete(j->results);
			free(j->area);
		}
		free(j);
		http_reply_error(r, 503, "out_of_memory", "retry later");
		return;
	}
	j->r = r;
	buf_init(&j->param);
	/* Admin only (routes.c): back-dated received_at is allowed. */
	import_init(&j->imp, api_today(), j->area, &r->app->cfg->intake);
	srv = (struct intake_served){ j->area, true, cfg->marac_anchor[0] != '\0' };
	import_serve(&j->imp, &srv, j->coordinator);
	next_row(j);
}

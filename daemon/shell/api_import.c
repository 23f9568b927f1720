/*
 * POST /v1/referrals/import: a CSV file of referrals (text/csv, admin),
 * one referral a row, columns as maracctl(1) documents them.
 *
 * evhttp has the whole body in memory before a handler runs, bounded by
 * [server] max_body_size: this endpoint is for files up to that size, and
 * maracctl import, which streams, for larger ones.  Rows go through
 * core/import.c (the same validation and rules as POST /v1/referrals) one
 * after another in the request's transaction; a valid row is stored by
 * referral_import() (sql/007_import.sql) in a savepoint of its own, so a
 * row the database refuses costs that row only.  The answer says what
 * became of every row, and the valid rows are committed even when others
 * are not: an import is not all or nothing.
 *
 * A row that needs the database is a chain of two callbacks (facts, then
 * store), each of which comes back to next_row() from the event loop, so
 * the stack never grows with the number of rows.  Rows that need no
 * database (invalid ones) are taken a batch at a time, and then the loop
 * gets a turn, so that a large file of bad rows does not hold it up.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "config.h"
#include "core/import.h"
#include "importstore.h"
#include "clock.h"
#include "log.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

/* Rows handled without the database before the loop gets a turn. */
#define IMPORT_BATCH	256

struct job {
	struct http_req	*r;
	struct import	 imp;
	size_t		 off;		/* bytes of the body read */
	bool		 at_end;	/* all of them */
	char		*area;		/* [calendar] area, as the import began */
	char		*coordinator;	/* [reminders] coordinator_email, likewise */
	cJSON		*results;
};

static void	next_row(struct job *);

static void
job_free(struct job *j)
{
	import_free(&j->imp);
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

static void
add_result(struct job *j)
{
	cJSON *o = import_row_json(&j->imp.row);

	if (o != NULL)
		cJSON_AddItemToArray(j->results, o);
}

static void
stored(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!importstore_read_store(&j->imp, res)) {
		fail_db(j, res);
		return;
	}
	add_result(j);
	next_row(j);
}

static void
got_facts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job		*j = arg;
	struct intake_facts	 f;
	const char		*params[2];
	char			*req, *dec;

	if (!importstore_read_facts(res, 0, &f)) {
		fail_db(j, res);
		return;
	}
	if (!import_route(&j->imp, &f) ||
	    !import_store_params(&j->imp, &req, &dec)) {
		add_result(j);		/* refused, or out of memory */
		next_row(j);
		return;
	}
	params[0] = req;
	params[1] = dec;
	/* libpq copies the parameters when it sends. */
	db_query(txn, IMPORTSTORE_SQL_STORE, 2, params, stored, j);
	cJSON_free(req);
	cJSON_free(dec);
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

/* Rows until one needs the database, the batch is used up, or the end. */
static void
next_row(struct job *j)
{
	static const struct timeval now = { 0, 0 };
	struct http_req		*r = j->r;
	enum import_event	 ev;
	const char		*params[3];
	char			 at[CLOCK_RFC3339_MAX];
	size_t			 used;

	for (int quick = 0;; quick++) {
		if (r->ev == NULL || r->app->stopping) {
			/* Nobody to tell, or no time: roll it all back. */
			http_reply_error(r, 503, "shutting_down",
			    "the import was stopped; nothing was saved; retry");
			job_free(j);
			return;
		}
		if (quick == IMPORT_BATCH &&
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
			reply_done(j);
			return;
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
		if (j->imp.row.status != IMPORT_PENDING) {
			add_result(j);
			continue;
		}
		import_facts_params(&j->imp, params);
		params[2] = clock_rfc3339(at, sizeof(at));
		db_query(r->txn, IMPORTSTORE_SQL_FACTS, 3, params, got_facts, j);
		return;
	}
}

void
api_referrals_import(struct http_req *r)
{
	const struct config *cfg = r->app->cfg;
	struct job *j = calloc(1, sizeof(*j));
	struct intake_served srv;

	if (j == NULL || (j->results = cJSON_CreateArray()) == NULL ||
	    (j->area = strdup(cfg->area)) == NULL ||
	    (j->coordinator = strdup(cfg->reminders_coordinator_email)) == NULL) {
		if (j != NULL) {
			cJSON_Delete(j->results);
			free(j->area);
		}
		free(j);
		http_reply_error(r, 503, "out_of_memory", "retry later");
		return;
	}
	j->r = r;
	/* Admin only (routes.c): back-dated received_at is allowed. */
	import_init(&j->imp, api_today(), j->area, &r->app->cfg->intake);
	srv = (struct intake_served){ j->area, true, cfg->marac_anchor[0] != '\0' };
	import_serve(&j->imp, &srv, j->coordinator);
	next_row(j);
}

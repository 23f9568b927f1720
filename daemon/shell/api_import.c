/*
 * POST /v1/referrals/import: a CSV file of referrals (text/csv, admin),
 * one referral a row, columns as maracctl(1) documents them.
 *
 * evhttp has the whole body in memory before a handler runs, bounded by
 * [server] max_body_size: this endpoint is for files up to that size, and
 * maracctl import, which streams, for larger ones.  Rows go through
 * shell/importjob.c (as for maracctl import) in the request's
 * transaction, a batch at a time.  The answer says what became of every
 * row, and the valid rows are committed even when others are not: an
 * import is not all or nothing.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/importjob.h"
#include "shell/log.h"

#include <stdlib.h>

/* Rows a batch (maracctl import's size): memory is about 25 kB a row of two. */
#define IMPORT_BATCH	500

struct upload {
	struct http_req	*r;
	bool		 given;		/* the body went to the import */
	cJSON		*results;
};

static int
body(void *arg, const char **data, size_t *len)
{
	struct upload *u = arg;

	*data = u->given ? NULL : u->r->body;
	*len = u->given ? 0 : u->r->body_len;
	u->given = true;
	return 0;
}

static bool
alive(void *arg)
{
	struct upload *u = arg;

	/* Nobody to tell, or no time: roll it all back. */
	return u->r->ev != NULL && !u->r->app->stopping;
}

static void
batch(const struct import_batch *b, void *arg)
{
	struct upload *u = arg;

	for (size_t i = 0; i < b->n; i++) {
		cJSON *o = import_row_json(&b->rows[i]);

		if (o != NULL)
			cJSON_AddItemToArray(u->results, o);
	}
}

static void
reply_header(struct http_req *r, const struct field_errors *fe)
{
	cJSON *fields = cJSON_CreateArray();

	for (size_t i = 0; i < fe->count; i++) {
		cJSON *f = cJSON_CreateObject();

		if (fe->items[i].field[0] != '\0')
			cJSON_AddStringToObject(f, "field", fe->items[i].field);
		else
			cJSON_AddNullToObject(f, "field");
		cJSON_AddStringToObject(f, "reason", fe->items[i].reason);
		cJSON_AddItemToArray(fields, f);
	}
	http_reply_fields(r, 422, "invalid_header", "the header row (line 1) "
	    "is wrong; nothing was imported", fields);
}

static void
reply_done(struct upload *u, const struct import_totals *t)
{
	struct http_req *r = u->r;
	cJSON *o = cJSON_CreateObject();

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
	cJSON_AddItemToObject(o, "results", u->results);
	u->results = NULL;
	log_info("import %s: %lu rows, %lu imported, %lu duplicates, "
	    "%lu refused, %lu invalid, %lu waiting", r->id, t->rows, t->imported,
	    t->duplicates, t->refused, t->invalid, t->waiting);
	http_reply_commit(r, 200, o);
}

static void
end(const struct importjob_end *e, void *arg)
{
	struct upload *u = arg;
	struct http_req *r = u->r;

	switch (e->outcome) {
	case IMPORTJOB_DONE:
		reply_done(u, &e->imp->totals);
		break;
	case IMPORTJOB_BAD_HEADER:
		reply_header(r, &e->imp->row.errs);
		break;
	case IMPORTJOB_STOPPED:
		http_reply_error(r, 503, "shutting_down",
		    "the import was stopped; nothing was saved; retry");
		break;
	case IMPORTJOB_DB_FAILED:
		api_reply_db_error(r, e->res);
		break;
	case IMPORTJOB_NOMEM:
	case IMPORTJOB_UNREADABLE:
		http_reply_error(r, 503, "out_of_memory", "retry later");
		break;
	}
	cJSON_Delete(u->results);
	free(u);
}

void
api_referrals_import(struct http_req *r)
{
	static const struct importjob_io io = { body, alive, batch, end };
	struct upload *u = calloc(1, sizeof(*u));

	if (u != NULL)
		u->r = r;
	if (u == NULL || (u->results = cJSON_CreateArray()) == NULL ||
	    importjob_start(r->app->base, r->txn, NULL, r->app->cfg,
	    api_today(), IMPORT_BATCH, &io, u) != 0) {
		if (u != NULL)
			cJSON_Delete(u->results);
		free(u);
		http_reply_error(r, 503, "out_of_memory", "retry later");
	}
}

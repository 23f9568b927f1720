/*
 * GET /v1/sittings/{id}/agenda and POST /v1/sittings/{id}/agenda/issue.
 *
 * The agenda is read and issued by shell/agendajob.c, as for maracctl
 * agenda, and rendered by the core (core/render/).  This file decides
 * what the caller gets:
 *   - the latest issued version, or the one ?version=N names;
 *   - when none is issued yet, or with ?version=draft, a draft built now
 *     from the cases listed at the sitting: admin and the forum's chair
 *     only, since under row-level security an agency would see a draft of
 *     its own cases alone, and drafts are the coordinator's work;
 *   - agencies get the issued versions they were invited to.
 * Which one it is shows in the JSON ("status") and in the X-Agenda-Status
 * and X-Agenda-Version headers.  Reads and issues are audited by the SQL
 * functions of sql/008_agenda.sql.
 */
#include "shell/api.h"
#include "shell/agendajob.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "statements/agenda.h"
#include "shell/config.h"
#include "shell/log.h"
#include "core/sqlstate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct agreq {
	struct http_req			*r;
	enum agenda_stmt_format		 fmt;
};

static void
fail_internal(struct agreq *q, const char *why)
{
	log_error("http: %s agenda of sitting %s: %s", q->r->id,
	    q->r->params[0], why);
	http_reply_error(q->r, 500, "internal_error",
	    "maracd could not build this agenda");
}

/* The answer to each outcome but AGENDAJOB_OK and _FAILED */
static const struct {
	int		 status;
	const char	*code;
} answers[] = {
	[AGENDAJOB_NO_SITTING] = { 404, "not_found" },
	[AGENDAJOB_NO_VERSION] = { 404, "not_found" },
	[AGENDAJOB_NONE_ISSUED] = { 404, "not_found" },
	[AGENDAJOB_NO_DRAFT] = { 403, "forbidden" },
	[AGENDAJOB_CANCELLED] = { 409, "sitting_cancelled" },
	[AGENDAJOB_HELD] = { 409, "sitting_held" },
	[AGENDAJOB_CONFLICT] = { 409, "conflict" },
	[AGENDAJOB_UNCHANGED] = { 409, "agenda_unchanged" },
};

/* Answers a failure of g; false when g is no failure. */
static bool
failed(struct agreq *q, const struct agendajob_got *g)
{
	if (g->outcome == AGENDAJOB_OK)
		return false;
	if (g->outcome == AGENDAJOB_FAILED && g->why != NULL)
		fail_internal(q, g->why);
	else if (g->outcome == AGENDAJOB_FAILED)
		api_reply_db_error(q->r, g->res);
	else
		http_reply_error(q->r, answers[g->outcome].status,
		    answers[g->outcome].code, agendajob_outcome_text(g->outcome));
	free(q);
	return true;
}

static void
add_headers(struct agreq *q, const struct agenda *a)
{
	char v[16], disp[AGENDA_FILENAME_SIZE + 32], name[AGENDA_FILENAME_SIZE];

	http_add_header(q->r, "X-Agenda-Status", agenda_is_draft(a) ? "draft" :
	    "issued");
	if (!agenda_is_draft(a)) {
		snprintf(v, sizeof(v), "%d", a->version);
		http_add_header(q->r, "X-Agenda-Version", v);
	}
	if (q->fmt == AGENDA_FORMAT_CSV || q->fmt == AGENDA_FORMAT_ICS ||
	    q->fmt == AGENDA_FORMAT_PDF) {
		agenda_filename(a, agenda_stmt_extension(q->fmt), name);
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
		http_add_header(q->r, "Content-Disposition", disp);
	}
}

/*
 * Answers with the agenda got: rendered from the model, or, for an
 * issued version in JSON, its stored bytes plus three members, with no
 * model built (the stored text is what agenda_to_json printed).
 */
static void
got(const struct agendajob_got *g, void *arg)
{
	struct agreq *q = arg;
	struct buf b;

	if (failed(q, g))
		return;
	buf_init(&b);
	if (agendajob_render(g, q->fmt, q->r->app->cfg, &b) != 0 ||
	    b.data == NULL) {
		buf_free(&b);
		if (g->a == NULL)
			fail_internal(q, "a stored version cannot be read back");
		else
			http_reply_error(q->r, 503, "out_of_memory",
			    "try again later");
		free(q);
		return;
	}
	if (g->a == NULL) {
		http_add_header(q->r, "X-Agenda-Status", "issued");
		http_add_header(q->r, "X-Agenda-Version",
		    PQgetvalue(g->stored, 0, 0));
	} else
		add_headers(q, g->a);
	/* The reply takes the bytes over. */
	http_reply_commit_body(q->r, 200, agenda_stmt_content_type(q->fmt),
	    b.data, b.len);
	free(q);
}

static struct agreq *
agreq_new(struct http_req *r, long long *id)
{
	struct agreq *q;

	if (!api_parse_id(r->params[0], id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		http_reply_error(r, 503, "out_of_memory", "try again later");
	else
		q->r = r;
	return q;
}

void
api_agenda_get(struct http_req *r)
{
	const char *format = http_query_get(r, "format");
	const char *version = http_query_get(r, "version");
	struct agendajob_ask ask = { .may_draft = r->caller.role != ROLE_AGENCY };
	struct field_errors errs;
	struct agreq *q;
	long long v;

	if ((q = agreq_new(r, &ask.sitting)) == NULL)
		return;
	field_errors_init(&errs);
	if (format != NULL && !agenda_stmt_format(format, &q->fmt))
		field_errors_add(&errs, "format", "must be json, html, csv, ics or pdf");
	if (version != NULL && strcmp(version, "draft") == 0)
		ask.draft = true;
	else if (version != NULL && (!api_parse_id(version, &v) || v > INT_MAX))
		field_errors_add(&errs, "version", "must be a version number "
		    "(1, 2, ...) or draft");
	else if (version != NULL)
		ask.version = (int)v;
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		free(q);
		return;
	}
	ask.stored_json = q->fmt == AGENDA_FORMAT_JSON;
	agendajob_get(r->txn, r->app->cfg, &ask, got, q);
}

/* Issue. */

static void
issued(const struct agendajob_got *g, void *arg)
{
	struct agreq *q = arg;
	const struct agenda *a = g->a;
	cJSON *o;
	char loc[96], v[16];

	if (failed(q, g))
		return;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "sitting_id", (double)g->s->id);
	cJSON_AddNumberToObject(o, "version", a->version);
	cJSON_AddStringToObject(o, "issued_at", a->issued_at);
	cJSON_AddNumberToObject(o, "case_count", (double)a->ncases);
	cJSON_AddItemToObject(o, "changes", cJSON_Parse(g->iss->diff));
	cJSON_AddItemToObject(o, "invited", cJSON_Parse(PQgetvalue(g->issued, 0, 0)));
	cJSON_AddItemToObject(o, "mailed", cJSON_Parse(PQgetvalue(g->issued, 0, 1)));
	snprintf(loc, sizeof(loc), "/v1/sittings/%lld/agenda?version=%d",
	    g->s->id, a->version);
	snprintf(v, sizeof(v), "%d", a->version);
	http_add_header(q->r, "Location", loc);
	http_add_header(q->r, "X-Agenda-Status", "issued");
	http_add_header(q->r, "X-Agenda-Version", v);
	log_info("agenda of sitting %lld issued as version %d (%zu cases), "
	    "request %s", g->s->id, a->version, a->ncases, q->r->id);
	http_reply_commit(q->r, 201, o);
	free(q);
}

void
api_agenda_issue(struct http_req *r)
{
	struct agreq *q;
	long long id;

	if ((q = agreq_new(r, &id)) != NULL)
		agendajob_issue(r->txn, r->app->cfg, id, issued, q);
}

static void
agendas_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_page(arg, res, "agendas");
}

/*
 * GET /v1/agendas: the sittings with an issued agenda the caller may read
 * (an agency: those it was invited to, by agenda_versions' row-level
 * security), newest sitting first, each with its latest version the
 * caller may read.  No case data: dates, forums, counts.  Audited once.
 */
void
api_agendas_list(struct http_req *r)
{
	const char *after = http_query_get(r, "after");
	const char *limit = http_query_get(r, "limit");
	struct field_errors errs;
	const char *params[2];
	long long n;

	field_errors_init(&errs);
	if (after != NULL && !api_parse_id(after, &n))
		field_errors_add(&errs, "after", "must be the next_after of the previous page");
	if (limit != NULL && (!api_parse_id(limit, &n) || n > 1000))
		field_errors_add(&errs, "limit", "must be a whole number from 1 to 1000");
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	params[0] = after;
	params[1] = limit != NULL ? limit : "100";
	/* Pages by sitting id, descending: "after" is the last id seen. */
	db_query(r->txn, AGENDA_SQL_LIST, 2, params, agendas_listed, r);
}

/*
 * GET /v1/sittings/{id}/agenda and POST /v1/sittings/{id}/agenda/issue.
 *
 * The agenda is built and rendered by the core (core/agenda.c,
 * core/render/); agendastore.c turns the database's rows into the core's
 * model and back, the same way for maracctl.  This file decides what the
 * caller gets:
 *   - the latest issued version, or the one ?version=N names;
 *   - when none is issued yet, or with ?version=draft, a draft built now
 *     from the cases listed at the sitting: admin and the forum's chair
 *     only, since under row-level security an agency would see a draft of
 *     its own cases alone, and drafts are the coordinator's work;
 *   - agencies get the issued versions they were invited to.
 * Which one it is shows in the JSON ("status") and in the X-Agenda-Status
 * and X-Agenda-Version headers.  Reads and issues are audited by the SQL
 * functions of sql/009_agenda.sql.
 */
#include "shell/api.h"
#include "clock.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "agendastore.h"
#include "config.h"
#include "log.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct agreq {
	struct http_req			*r;
	enum agendastore_format		 fmt;
	int				 version;	/* asked for; 0: latest */
	bool				 draft;		/* asked for a draft */
	struct agendastore_sitting	 s;
	char				*prev;		/* issue: latest content */
	struct agenda			 a;
	struct agendastore_issue	 iss;
};

static struct agreq *
agreq_new(struct http_req *r)
{
	struct agreq *q = calloc(1, sizeof(*q));

	if (q == NULL)
		http_reply_error(r, 503, "out_of_memory", "try again later");
	else
		q->r = r;
	return q;
}

static void
agreq_free(struct agreq *q)
{
	free(q->prev);
	agenda_free(&q->a);
	agendastore_issue_free(&q->iss);
	free(q);
}

static void
fail(struct agreq *q, int status, const char *code, const char *message)
{
	http_reply_error(q->r, status, code, message);
	agreq_free(q);
}

static void
fail_db(struct agreq *q, const PGresult *res)
{
	api_reply_db_error(q->r, res);
	agreq_free(q);
}

static void
fail_internal(struct agreq *q, const char *why)
{
	log_error("http: %s agenda of sitting %lld: %s", q->r->id, q->s.id, why);
	fail(q, 500, "internal_error", "maracd could not build this agenda");
}

/* The sitting row into q->s; false when the answer is already given. */
static bool
read_sitting(struct agreq *q, const PGresult *res)
{
	if (!db_ok(res)) {
		fail_db(q, res);
		return false;
	}
	switch (agendastore_read_sitting(res, &q->s)) {
	case 0:
		fail(q, 404, "not_found", "no such sitting");
		return false;
	case -1:
		fail_internal(q, "the sitting cannot be read");
		return false;
	}
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
	if (q->fmt == AGENDA_FORMAT_CSV || q->fmt == AGENDA_FORMAT_ICS) {
		agenda_filename(a, agendastore_extension(q->fmt), name);
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
		http_add_header(q->r, "Content-Disposition", disp);
	}
}

/* Renders a and answers with it; ends q. */
static void
reply_agenda(struct agreq *q, const struct agenda *a, const char *diff,
    const char *sha256)
{
	struct buf b;

	buf_init(&b);
	if (agendastore_render(a, q->fmt, diff, sha256, (int64_t)clock_time(),
	    q->r->app->cfg, &b) != 0 || b.data == NULL) {
		buf_free(&b);
		fail(q, 503, "out_of_memory", "try again later");
		return;
	}
	add_headers(q, a);
	/* The reply takes the bytes over. */
	http_reply_commit_body(q->r, 200, agendastore_content_type(q->fmt),
	    b.data, b.len);
	agreq_free(q);
}

/*
 * An issued version in JSON: its stored bytes plus three members, with no
 * model built (the stored text is what agenda_to_json printed).
 */
static void
reply_stored(struct agreq *q, const PGresult *res)
{
	struct buf b;

	buf_init(&b);
	if (agendastore_stored_json(PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
	    PQgetvalue(res, 0, 5), &b) != 0 || b.data == NULL) {
		buf_free(&b);
		fail_internal(q, "a stored version cannot be read back");
		return;
	}
	http_add_header(q->r, "X-Agenda-Status", "issued");
	http_add_header(q->r, "X-Agenda-Version", PQgetvalue(res, 0, 0));
	http_reply_commit_body(q->r, 200, agendastore_content_type(q->fmt),
	    b.data, b.len);
	agreq_free(q);
}

static void
got_draft(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;

	(void)txn;
	if (!db_ok(res)) {
		fail_db(q, res);
		return;
	}
	if (agendastore_build(res, &q->s, 0, NULL, q->r->app->cfg, &q->a) != 0) {
		fail_internal(q, "the listed cases do not make an agenda");
		return;
	}
	reply_agenda(q, &q->a, NULL, NULL);
}

static void
draft(struct agreq *q)
{
	const char *params[1];
	char id[24];

	if (q->r->caller.role == ROLE_AGENCY) {
		if (q->draft)
			fail(q, 403, "forbidden", "drafts are for the coordinator "
			    "and the chair; agencies read issued agendas");
		else
			fail(q, 404, "not_found", "no agenda has been issued "
			    "for this sitting yet");
		return;
	}
	snprintf(id, sizeof(id), "%lld", q->s.id);
	params[0] = id;
	db_query(q->r->txn, AGENDASTORE_SQL_DRAFT, 1, params, got_draft, q);
}

static void
got_version(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;

	(void)txn;
	if (!db_ok(res)) {
		fail_db(q, res);
		return;
	}
	if (PQntuples(res) == 0) {
		if (q->version > 0)
			fail(q, 404, "not_found", "no such version of this agenda");
		else
			draft(q);
		return;
	}
	if (q->fmt == AGENDA_FORMAT_JSON) {
		reply_stored(q, res);
		return;
	}
	if (agendastore_load(PQgetvalue(res, 0, 1), &q->a) != 0) {
		fail_internal(q, "a stored version cannot be read back");
		return;
	}
	reply_agenda(q, &q->a, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 5));
}

static void
got_sitting(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;
	const char *params[2];
	char id[24], v[16];

	(void)txn;
	if (!read_sitting(q, res))
		return;
	if (q->draft || (q->version == 0 && q->s.latest == 0 &&
	    q->r->caller.role != ROLE_AGENCY)) {
		draft(q);
		return;
	}
	snprintf(id, sizeof(id), "%lld", q->s.id);
	snprintf(v, sizeof(v), "%d", q->version);
	params[0] = id;
	params[1] = q->version > 0 ? v : NULL;
	db_query(q->r->txn, AGENDASTORE_SQL_VERSION, 2, params, got_version, q);
}

void
api_agenda_get(struct http_req *r)
{
	const char *format = http_query_get(r, "format");
	const char *version = http_query_get(r, "version");
	struct field_errors errs;
	struct agreq *q;
	long long id, v;
	const char *params[3];
	char now[CLOCK_RFC3339_MAX];

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	if ((q = agreq_new(r)) == NULL)
		return;
	field_errors_init(&errs);
	if (format != NULL && !agendastore_format(format, &q->fmt))
		field_errors_add(&errs, "format", "must be json, html, csv or ics");
	if (version != NULL && strcmp(version, "draft") == 0)
		q->draft = true;
	else if (version != NULL && (!api_parse_id(version, &v) || v > INT_MAX))
		field_errors_add(&errs, "version", "must be a version number "
		    "(1, 2, ...) or draft");
	else if (version != NULL)
		q->version = (int)v;
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		agreq_free(q);
		return;
	}
	params[0] = r->params[0];
	params[1] = "false";
	params[2] = clock_rfc3339(now, sizeof(now));
	db_query(r->txn, AGENDASTORE_SQL_SITTING, 3, params, got_sitting, q);
}

/* Issue. */

static void
issued(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;
	cJSON *o;
	char loc[96], v[16];

	(void)txn;
	if (!db_ok(res)) {
		if (strcmp(db_sqlstate(res), "23505") == 0)
			fail(q, 409, "conflict", "another issue of this agenda "
			    "came first; read it and issue again if need be");
		else
			fail_db(q, res);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "sitting_id", (double)q->s.id);
	cJSON_AddNumberToObject(o, "version", q->a.version);
	cJSON_AddStringToObject(o, "issued_at", q->a.issued_at);
	cJSON_AddNumberToObject(o, "case_count", (double)q->a.ncases);
	cJSON_AddItemToObject(o, "changes", cJSON_Parse(q->iss.diff));
	cJSON_AddItemToObject(o, "invited", cJSON_Parse(PQgetvalue(res, 0, 0)));
	cJSON_AddItemToObject(o, "mailed", cJSON_Parse(PQgetvalue(res, 0, 1)));
	snprintf(loc, sizeof(loc), "/v1/sittings/%lld/agenda?version=%d",
	    q->s.id, q->a.version);
	snprintf(v, sizeof(v), "%d", q->a.version);
	http_add_header(q->r, "Location", loc);
	http_add_header(q->r, "X-Agenda-Status", "issued");
	http_add_header(q->r, "X-Agenda-Version", v);
	log_info("agenda of sitting %lld issued as version %d (%zu cases), "
	    "request %s", q->s.id, q->a.version, q->a.ncases, q->r->id);
	http_reply_commit(q->r, 201, o);
	agreq_free(q);
}

static void
issue_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;
	const char *params[9], *why;
	char id[24];

	if (!db_ok(res)) {
		fail_db(q, res);
		return;
	}
	if (agendastore_build(res, &q->s, q->s.latest + 1, q->s.now_utc,
	    q->r->app->cfg, &q->a) != 0) {
		fail_internal(q, "the listed cases do not make an agenda");
		return;
	}
	if (agendastore_issue_prepare(&q->a, q->prev, q->r->app->cfg,
	    (int64_t)clock_time(), &q->iss, &why) != 0) {
		fail_internal(q, why);
		return;
	}
	snprintf(id, sizeof(id), "%lld", q->s.id);
	agendastore_issue_params(&q->iss, id, q->s.now_utc, params);
	db_query(txn, AGENDASTORE_SQL_ISSUE, 9, params, issued, q);
}

static void
rows(struct agreq *q, struct db_txn *txn)
{
	const char *params[1];
	char id[24];

	snprintf(id, sizeof(id), "%lld", q->s.id);
	params[0] = id;
	db_query(txn, AGENDASTORE_SQL_ROWS, 1, params, issue_rows, q);
}

static void
issue_prev(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;

	if (!db_ok(res)) {
		fail_db(q, res);
		return;
	}
	if (PQntuples(res) != 1 ||
	    (q->prev = strdup(PQgetvalue(res, 0, 1))) == NULL) {
		fail_internal(q, "the latest version cannot be read");
		return;
	}
	rows(q, txn);
}

static void
issue_sitting(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct agreq *q = arg;
	const char *params[2];
	char id[24];

	if (!read_sitting(q, res))
		return;
	if (q->s.cancelled) {
		fail(q, 409, "sitting_cancelled", "the sitting is cancelled; "
		    "its cases have moved to the next sitting");
		return;
	}
	if (q->s.held) {
		fail(q, 409, "sitting_held", "the sitting has been held; its "
		    "agenda can no longer be issued");
		return;
	}
	if (q->s.latest == 0) {
		rows(q, txn);
		return;
	}
	snprintf(id, sizeof(id), "%lld", q->s.id);
	params[0] = id;
	params[1] = NULL;
	db_query(txn, AGENDASTORE_SQL_VERSION, 2, params, issue_prev, q);
}

void
api_agenda_issue(struct http_req *r)
{
	struct agreq *q;
	long long id;
	const char *params[3];
	char now[CLOCK_RFC3339_MAX];

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	if ((q = agreq_new(r)) == NULL)
		return;
	params[0] = r->params[0];
	params[1] = "true";
	params[2] = clock_rfc3339(now, sizeof(now));
	db_query(r->txn, AGENDASTORE_SQL_SITTING, 3, params, issue_sitting, q);
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
	db_query(r->txn,
	    "WITH audit AS (INSERT INTO audit_log (action, object_type) "
	    "VALUES ('list', 'agenda')), "
	    "page AS (SELECT DISTINCT ON (v.sitting_id) v.sitting_id AS id, v.version, "
	    "v.issued_at, v.case_count FROM agenda_versions v "
	    "WHERE $1::bigint IS NULL OR v.sitting_id < $1::bigint "
	    "ORDER BY v.sitting_id DESC, v.version DESC LIMIT $2::int) "
	    "SELECT coalesce(jsonb_agg(jsonb_build_object('sitting_id', p.id, "
	    "'forum', s.forum, 'area', s.area, 'date', to_char(s.date, 'YYYY-MM-DD'), "
	    "'sitting_status', s.status, 'version', p.version, 'case_count', p.case_count, "
	    "'issued_at', to_char(p.issued_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')) "
	    "ORDER BY p.id DESC), '[]')::text, "
	    "CASE WHEN count(*) = $2::int THEN min(p.id) END "
	    "FROM page p JOIN sittings s ON s.id = p.id",
	    2, params, agendas_listed, r);
}

/*
 * Referral drafts: GET and POST /v1/drafts, GET, PUT and DELETE
 * /v1/drafts/{id}.  POST /v1/drafts/{id}/submit is intake's
 * (api_referrals.c): a draft becomes a referral only through it.
 *
 * A draft is unfinished by definition, so nothing in it is validated but
 * its being a JSON object: the rules speak when it is checked (POST
 * /v1/referrals/check) or submitted.  Whose drafts a caller sees, and the
 * audit of every read and change, are the database's (sql/016_drafts.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell/clock.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "statements/drafts.h"

static void
reply_draft(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no such draft");
}

static void
draft_created(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	const cJSON *id;
	char loc[64];
	cJSON *d;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		api_reply_doc(r, res, 201, "no such draft");
		return;
	}
	if ((d = cJSON_Parse(PQgetvalue(res, 0, 0))) == NULL) {
		api_reply_db_error(r, NULL);
		return;
	}
	if (cJSON_IsNumber(id = cJSON_GetObjectItem(d, "id"))) {
		snprintf(loc, sizeof(loc), "/v1/drafts/%.0f", id->valuedouble);
		http_add_header(r, "Location", loc);
	}
	http_reply_commit(r, 201, d);
}

/* The body, when it is a JSON object, as text for jsonb; else answered. */
static bool
draft_body_ok(struct http_req *r)
{
	cJSON *body = api_body_json(r);

	if (body == NULL)
		return false;
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		api_reply_field(r, "$", "must be a JSON object: the referral as far as it goes");
		return false;
	}
	cJSON_Delete(body);
	return true;
}

static void
draft_save(struct http_req *r, const char *id, db_result_cb done)
{
	char now[CLOCK_RFC3339_MAX];
	const char *params[3];

	if (!draft_body_ok(r))
		return;
	params[0] = id;
	params[1] = r->body;
	params[2] = clock_rfc3339(now, sizeof(now));
	db_query_commit(r->txn, DRAFTS_SQL_SAVE, 3, params, done, r);
}

/* POST /v1/drafts: a new draft of the caller's. */
void
api_drafts_create(struct http_req *r)
{
	draft_save(r, NULL, draft_created);
}

/* PUT /v1/drafts/{id}: the draft replaced by what the body says now. */
void
api_drafts_put(struct http_req *r)
{
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such draft");
		return;
	}
	draft_save(r, r->params[0], reply_draft);
}

/* GET /v1/drafts/{id}: the draft with its body. */
void
api_drafts_get(struct http_req *r)
{
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such draft");
		return;
	}
	/*
	 * Not db_query_commit: a page reads the draft and goes on in the same
	 * transaction (shell/web.h), which the reply commits.
	 */
	db_query(r->txn, DRAFTS_SQL_GET, 1,
	    (const char **)r->params, reply_draft, r);
}

static void
deleted(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *body;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQgetvalue(res, 0, 0)[0] != 't') {
		http_reply_error(r, 404, "not_found", "no such draft");
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "id", atof(r->params[0]));
	cJSON_AddBoolToObject(body, "deleted", true);
	http_reply_commit(r, 200, body);
}

/* DELETE /v1/drafts/{id}: the author gives up on it. */
void
api_drafts_delete(struct http_req *r)
{
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such draft");
		return;
	}
	db_query_commit(r->txn, DRAFTS_SQL_DELETE, 1,
	    (const char **)r->params, deleted, r);
}

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_page(arg, res, "drafts");
}

/*
 * GET /v1/drafts: the caller's drafts, last saved first, without their
 * bodies.  A person keeps a handful; the list is not paged beyond a
 * first 200.
 */
void
api_drafts_list(struct http_req *r)
{
	db_query(r->txn, DRAFTS_SQL_LIST, 0, NULL, listed, r);
}

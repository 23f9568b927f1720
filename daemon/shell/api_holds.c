/*
 * Legal holds (admin: the coordinator): POST /v1/referrals/{id}/hold
 * {"reason"}, DELETE /v1/referrals/{id}/hold, GET /v1/holds.  A referral
 * under a hold in force keeps its victim's every referral out of the
 * purge (sql/013_retention.sql).  Each is one statement of
 * sql/013_retention.sql that writes its own audit row; the reason is
 * free text and is never logged.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "core/jsonfield.h"
#include "statements/retention.h"

#include <stdlib.h>
#include <string.h>

/* A hold's reason: a review's name, a court order's reference, a sentence. */
#define HOLD_REASON_MAX	2000

static void
placed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (db_ok(res) && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    strcmp(PQgetvalue(res, 0, 0), "{\"conflict\": true}") == 0) {
		http_reply_error(r, 409, "held", "this referral is already under a "
		    "legal hold (DELETE /v1/referrals/{id}/hold lifts it)");
		return;
	}
	api_reply_doc(r, res, 201, "no such referral");
}

void
api_holds_place(struct http_req *r)
{
	static const char *const known[] = { "reason", NULL };
	struct field_errors errs;
	char *reason = NULL;
	const char *params[2];
	long long id;
	cJSON *body;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	if ((body = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	if (!cJSON_IsObject(body)) {
		field_errors_add(&errs, "$", "must be a JSON object");
	} else {
		jsonfield_members(body, "", known, &errs);
		jsonfield_string(body, "", "reason", JSONFIELD_REQUIRED | JSONFIELD_MULTILINE,
		    HOLD_REASON_MAX, &reason, &errs);
	}
	cJSON_Delete(body);
	if (field_errors_any(&errs)) {
		free(reason);
		api_reply_invalid(r, &errs);
		return;
	}
	/* Freed with the request. */
	r->pre = reason;
	r->pre_free = free;
	params[0] = r->params[0];
	params[1] = reason;
	db_query(r->txn, RETENTION_SQL_HOLD_PLACE, 2, params, placed, r);
}

static void
lifted(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "this referral has no legal hold in force");
}

void
api_holds_lift(struct http_req *r)
{
	const char *params[1] = { r->params[0] };
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	db_query(r->txn, RETENTION_SQL_HOLD_LIFT, 1, params, lifted, r);
}

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no list");
}

void
api_holds_list(struct http_req *r)
{
	db_query(r->txn, RETENTION_SQL_HOLD_LIST, 0, NULL, listed, r);
}

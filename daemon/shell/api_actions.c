/*
 * Actions: a sitting gives one to an agency (chair, coordinator); the
 * agency moves it along; anyone entitled lists them.  Row-level security
 * on actions lets an agency see and change only its own, and a trigger
 * lets it change only the status (sql/006_decisions_actions.sql); the
 * checks here are for clear answers, the database's are the guarantee.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/config.h"
#include "core/action.h"
#include "core/decision.h"
#include "core/jsonfield.h"
#include "core/listquery.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "statements/actions.h"
#include "core/forum.h"
#include "core/sqlstate.h"

static void
reply_action(struct http_req *r, const PGresult *res, int status)
{
	const char *state = res != NULL ? db_sqlstate(res) : "";

	if (strcmp(state, SQLSTATE_FOREIGN_KEY_VIOLATION) == 0) {
		api_reply_field(r, "agency", "is not an agency maracd knows");
	} else if (strcmp(state, SQLSTATE_ACTION_NO_SITTING) == 0) {
		api_reply_field(r, "due", "is required: no later sitting of this "
		    "forum is scheduled to default it to");
	} else if (strcmp(state, SQLSTATE_ACTION_NOTE_NEEDED) == 0) {
		api_reply_field(r, "note", "is required to close an action");
	} else if (strcmp(state, SQLSTATE_ACTION_FORUM) == 0) {
		api_reply_field(r, "sitting", "is not a sitting of this case's forum");
	} else if (strcmp(state, SQLSTATE_INSUFFICIENT_PRIVILEGE) == 0) {
		http_reply_error(r, 403, "forbidden",
		    "an agency may change only the status of its own actions");
	} else if (db_ok(res) && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		cJSON *a = cJSON_Parse(PQgetvalue(res, 0, 0));

		if (a == NULL) {
			api_reply_db_error(r, NULL);
			return;
		}
		action_json_add_rag(a, api_today());
		http_reply_commit(r, status, a);
	} else
		api_reply_doc(r, res, status, "no such action or case");
}

static void
created(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	reply_action(arg, res, 201);
}

static void
case_forum(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	struct decision_areas areas;
	struct field_errors errs;
	const char *params[7];
	cJSON *body, *norm;
	char sitting[24], today[DATE_STRLEN];

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) != 1) {
		http_reply_error(r, 404, "not_found", "no such case");
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		http_reply_error(r, 409, "not_listed",
		    "this referral was below the threshold: no forum gives it actions");
		return;
	}
	if (forum_of(PQgetvalue(res, 0, 0)) != FORUM_MARAC ||
	    !decision_areas_parse(r->app->cfg->marac_areas, &areas))
		areas = decision_masc_areas;
	if ((body = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	norm = action_create_normalise(body, &areas, api_today(), &errs);
	cJSON_Delete(body);
	if (norm == NULL) {
		api_reply_invalid(r, &errs);
		return;
	}
	params[0] = r->params[0];
	if (cJSON_IsNumber(cJSON_GetObjectItem(norm, "sitting"))) {
		snprintf(sitting, sizeof(sitting), "%d",
		    cJSON_GetObjectItem(norm, "sitting")->valueint);
		params[1] = sitting;
	} else
		params[1] = NULL;
	params[2] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "agency"));
	params[3] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "area"));
	params[4] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "description"));
	params[5] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "due"));
	params[6] = date_format(api_today(), today);
	db_query(txn, ACTIONS_SQL_CREATE, 7, params, created, r);
	cJSON_Delete(norm);
}

/* POST /v1/referrals/{id}/actions */
void
api_actions_create(struct http_req *r)
{
	const char *params[1];
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such case");
		return;
	}
	params[0] = r->params[0];
	db_query(r->txn, ACTIONS_SQL_CASE_FORUM, 1, params, case_forum, r);
}

static void
fetched(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	reply_action(arg, res, 200);
}

/* GET /v1/actions/{id}: the action and its history. */
void
api_actions_get(struct http_req *r)
{
	const char *params[1];
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such action");
		return;
	}
	params[0] = r->params[0];
	db_query(r->txn, ACTIONS_SQL_GET, 1, params, fetched, r);
}

/* PATCH /v1/actions/{id}: status with a note, or (chair, admin) due date and text. */
void
api_actions_update(struct http_req *r)
{
	struct field_errors errs;
	const char *params[5];
	cJSON *body, *norm;
	bool forbidden;
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such action");
		return;
	}
	if ((body = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	norm = action_update_normalise(body, r->caller.role == ROLE_AGENCY,
	    api_today(), &forbidden, &errs);
	cJSON_Delete(body);
	if (forbidden) {
		http_reply_error(r, 403, "forbidden", "an agency may change only the "
		    "status of its actions and add notes; the due date and the "
		    "description are the sitting's");
		return;
	}
	if (norm == NULL) {
		api_reply_invalid(r, &errs);
		return;
	}
	params[0] = r->params[0];
	params[1] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "status"));
	params[2] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "due"));
	params[3] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "description"));
	params[4] = cJSON_GetStringValue(cJSON_GetObjectItem(norm, "note"));
	db_query(r->txn, ACTIONS_SQL_UPDATE, 5, params, fetched, r);
	cJSON_Delete(norm);
}

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *o, *a;
	date_t as_of;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	o = api_page(res, "actions");
	/* The RAG of each, as of the list's day (the caller's, or today). */
	if (date_parse(PQgetvalue(res, 0, 2), &as_of))
		cJSON_ArrayForEach(a, cJSON_GetObjectItem(o, "actions"))
			action_json_add_rag(a, as_of);
	cJSON_AddStringToObject(o, "as_of", PQgetvalue(res, 0, 2));
	http_reply_commit(r, 200, o);
}

/*
 * GET /v1/actions?agency=&status=&referral=&sitting=&as_of=&after=&limit=
 * "outstanding" is open or in progress; "overdue" is outstanding and due
 * before as_of (default: today, local), the rule of core/action.c.
 */
void
api_actions_list(struct http_req *r)
{
	const char *agency = http_query_get(r, "agency");
	const char *status = http_query_get(r, "status");
	const char *referral = http_query_get(r, "referral");
	const char *sitting = http_query_get(r, "sitting");
	const char *as_of = http_query_get(r, "as_of");
	const char *after = http_query_get(r, "after");
	const char *limit = http_query_get(r, "limit");
	const struct action_list_query q = { agency, status, referral, sitting,
	    as_of, after, limit };
	struct field_errors errs;
	char today[DATE_STRLEN];
	const char *params[8];

	field_errors_init(&errs);
	listquery_actions(&q, &errs);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	params[0] = agency;
	params[1] = status;
	params[2] = referral;
	params[3] = sitting;
	params[4] = as_of != NULL ? as_of : date_format(api_today(), today);
	params[5] = after;
	params[6] = limit != NULL ? limit : "200";
	db_query(r->txn,
	    ACTIONS_SQL_LIST, 7, params, listed, r);
}

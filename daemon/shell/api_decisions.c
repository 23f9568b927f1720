/*
 * What a sitting decides: the decision of each case (written, signed off,
 * amended), and the sitting's minutes.  Chairs of the forum and
 * coordinators only (routes.c); row-level security and the SQL functions
 * of sql/008_decisions_actions.sql decide what exists for the caller.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/config.h"
#include "core/decision.h"
#include "core/jsonfield.h"
#include "core/minutes.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "statements/decisions.h"

static bool
ids(struct http_req *r, int n)
{
	long long id;

	for (int i = 0; i < n; i++)
		if (!api_parse_id(r->params[i], &id)) {
			http_reply_error(r, 404, "not_found", "no such sitting or case");
			return false;
		}
	return true;
}

/* Run sql with the path's n ids as its parameters. */
static void
by_ids(struct http_req *r, int n, const char *sql, db_result_cb cb)
{
	if (ids(r, n))
		db_query(r->txn, sql, n, (const char **)r->params, cb, r);
}

static void
decision_written(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	const char *state = res != NULL ? db_sqlstate(res) : "";
	char path[FIELD_PATH_MAX];

	(void)txn;
	if (strcmp(state, "MD003") == 0) {
		http_reply_error(r, 409, "not_heard_here",
		    "this case is not listed at this sitting and has no earlier "
		    "decision to review");
	} else if (strcmp(state, "MD004") == 0) {
		http_reply_fields(r, 409, "signed_off", "the decision is signed "
		    "off: a change is an amendment and needs its reason",
		    cJSON_Parse("[{\"field\":\"amendment_reason\","
		    "\"reason\":\"is required once the decision is signed off\"}]"));
	} else if (strcmp(state, "MD006") == 0) {
		api_reply_field(r, "attendees", "names an agency maracd does not know");
	} else if (strcmp(state, "MD007") == 0) {
		snprintf(path, sizeof(path), "reviews[%d].action",
		    atoi(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)));
		api_reply_field(r, path, "is not an action of this case you can see");
	} else
		api_reply_doc(r, res, 200, "no such sitting or case");
}

static void
decision_forum(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	struct decision_areas areas;
	struct field_errors errs;
	const char *params[4];
	cJSON *body, *norm;
	bool marac;
	char *text;

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) != 1) {
		http_reply_error(r, 404, "not_found", "no such sitting or case");
		return;
	}
	marac = strcmp(PQgetvalue(res, 0, 0), "marac") == 0;
	if (!marac || !decision_areas_parse(r->app->cfg->marac_areas, &areas))
		areas = decision_masc_areas;
	if ((body = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	norm = decision_normalise(body, marac, &areas, &errs);
	cJSON_Delete(body);
	if (norm == NULL) {
		api_reply_invalid(r, &errs);
		return;
	}
	text = cJSON_PrintUnformatted(norm);
	cJSON_Delete(norm);
	params[0] = r->params[0];
	params[1] = r->params[1];
	params[2] = text;
	params[3] = r->app->cfg->drive_team_address;
	db_query(txn, DECISIONS_SQL_RECORD, 4, params, decision_written, r);
	free(text);
}

/*
 * PUT /v1/sittings/{sid}/cases/{rid}/decision.  The sitting's forum says
 * which areas apply and whether the DRIVE question is asked, so it is
 * read first (a chair sees only the chair's forum: another forum's
 * sitting answers 404 from decision_record).
 */
void
api_decision_put(struct http_req *r)
{
	if (ids(r, 2))
		db_query(r->txn, DECISIONS_SQL_SITTING_FORUM, 1,
		    (const char **)r->params, decision_forum, r);
}

static void
decision_fetched(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no such sitting or case");
}

/* GET /v1/sittings/{sid}/cases/{rid}/decision: with earlier actions to review. */
void
api_decision_get(struct http_req *r)
{
	by_ids(r, 2, DECISIONS_SQL_GET, decision_fetched);
}

static void
signed_off(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (res != NULL && strcmp(db_sqlstate(res), "MD005") == 0) {
		http_reply_error(r, 409, "signed_off",
		    "the decision is already signed off; change it by amendment");
		return;
	}
	api_reply_doc(r, res, 200, "no decision for this case at this sitting");
}

/* POST /v1/sittings/{sid}/cases/{rid}/decision/sign-off */
void
api_decision_sign_off(struct http_req *r)
{
	by_ids(r, 2, DECISIONS_SQL_SIGN_OFF, signed_off);
}

static void
minutes_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no such sitting");
}

/* GET /v1/sittings/{id}/minutes */
void
api_minutes_get(struct http_req *r)
{
	by_ids(r, 1, DECISIONS_SQL_MINUTES_GET, minutes_done);
}

/* PUT /v1/sittings/{id}/minutes: the whole minutes, replaced. */
void
api_minutes_put(struct http_req *r)
{
	struct field_errors errs;
	const char *params[2];
	cJSON *body, *norm;
	char *text;

	if (!ids(r, 1) || (body = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	norm = minutes_normalise(body, &errs);
	cJSON_Delete(body);
	if (norm == NULL) {
		api_reply_invalid(r, &errs);
		return;
	}
	text = cJSON_PrintUnformatted(norm);
	cJSON_Delete(norm);
	params[0] = r->params[0];
	params[1] = text;
	db_query(r->txn, DECISIONS_SQL_MINUTES_PUT, 2, params, minutes_done, r);
	free(text);
}

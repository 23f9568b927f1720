/*
 * DRIVE screening over HTTP:
 *	GET  /v1/sittings/{id}/drive		the sitting's list (chair of
 *						MARAC, admin; audited;
 *						?referral=: one case's)
 *	POST /v1/sittings/{id}/drive/screen	screen it again now (admin)
 *	POST /v1/drive/screen			one referral's perpetrator on
 *						demand (chair of MARAC, admin)
 *	POST /v1/drive/identities/merge		two referrals' perpetrators are
 *						one person (admin)
 *	POST /v1/drive/identities/split		undo: this referral's
 *						perpetrator stands alone (admin)
 * The lists are suggestions to the perpetrator panel, never decisions.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/drivejob.h"
#include "shell/config.h"
#include "statements/drive.h"
#include "core/jsonfield.h"
#include "core/listquery.h"
#include "shell/log.h"
#include "core/forum.h"
#include "core/sqlstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The list is the MARAC chair's: a MASC chair is told so, not shown nothing. */
static bool
marac_chair_or_admin(struct http_req *r)
{
	if (r->caller.role == ROLE_CHAIR && forum_of(r->caller.forum) != FORUM_MARAC) {
		http_reply_error(r, 403, "forbidden",
		    "DRIVE screening is for the MARAC chair and coordinators");
		return false;
	}
	return true;
}

/* Answer a text column as JSON, or 404 with message when it is NULL. */
static void
reply_text(struct http_req *r, const PGresult *res, const char *message)
{
	char *text;

	if (!db_ok(res) || PQntuples(res) != 1) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		http_reply_error(r, 404, "not_found", message);
		return;
	}
	if ((text = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	http_reply_commit_body(r, 200, "application/json", text, strlen(text));
}

static void
got_list(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	reply_text(arg, res, "no such MARAC sitting");
}

void
api_drive_get(struct http_req *r)
{
	long long id;
	const char *p[2];
	struct field_errors errs;

	if (!marac_chair_or_admin(r))
		return;
	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such MARAC sitting");
		return;
	}
	field_errors_init(&errs);
	listquery_case(http_query_get(r, "referral"), &errs);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	p[0] = r->params[0];
	p[1] = http_query_get(r, "referral");
	db_query(r->txn, DRIVE_SQL_GET_CASE, 2, p, got_list, r);
}

static void
screened(const struct drivejob_done *d, void *arg)
{
	struct http_req *r = arg;
	char *text;

	if (!d->ok) {
		if (d->why != NULL)
			log_error("DRIVE screening, request %s: %s", r->id, d->why);
		api_reply_db_error(r, d->res);
		return;
	}
	if (d->json == NULL) {
		http_reply_error(r, 404, "not_found", r->nparams > 0 ?
		    "no such MARAC sitting" : "no such referral naming a perpetrator");
		return;
	}
	if ((text = strdup(d->json)) == NULL) {
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	log_info("DRIVE screening stored, request %s", r->id);
	http_reply_commit_body(r, 200, "application/json", text, strlen(text));
}

void
api_drive_screen_sitting(struct http_req *r)
{
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such MARAC sitting");
		return;
	}
	drivejob_screen_sitting(r->txn, id, &r->app->cfg->drive_rubric,
	    screened, r);
}

/* A body of one object with the members known; NULL after replying. */
static cJSON *
read_body(struct http_req *r, const char *const *known,
    struct field_errors *errs)
{
	cJSON *body;

	if ((body = jsonfield_parse(r->body, r->body_len)) == NULL) {
		http_reply_error(r, 400, "malformed_json", "the body is not valid JSON");
		return NULL;
	}
	field_errors_init(errs);
	if (!cJSON_IsObject(body))
		field_errors_add(errs, "$", "must be a JSON object");
	else
		jsonfield_members(body, "", known, errs);
	return body;
}

/* A referral id member; 0 after an error was added. */
static long long
read_id(const cJSON *value, const char *field, struct field_errors *errs)
{
	if (!cJSON_IsNumber(value) || value->valuedouble < 1 ||
	    value->valuedouble > 1e15 ||
	    value->valuedouble != (double)(long long)value->valuedouble) {
		field_errors_add(errs, field, "must be a referral id");
		return 0;
	}
	return (long long)value->valuedouble;
}

void
api_drive_screen_referral(struct http_req *r)
{
	static const char *const known[] = { "referral_id", NULL };
	struct field_errors errs;
	long long id = 0;
	cJSON *body;

	if (!marac_chair_or_admin(r))
		return;
	if ((body = read_body(r, known, &errs)) == NULL)
		return;
	if (cJSON_IsObject(body))
		id = read_id(cJSON_GetObjectItemCaseSensitive(body, "referral_id"),
		    "referral_id", &errs);
	cJSON_Delete(body);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	drivejob_screen_referral(r->txn, id, api_today(),
	    &r->app->cfg->drive_rubric, screened, r);
}

static void
identity_changed(struct http_req *r, const PGresult *res, const char *field,
    const char *verb)
{
	if (!db_ok(res) && strcmp(db_sqlstate(res), SQLSTATE_INVALID_PARAMETER) == 0) {
		api_reply_field(r, field, "names no perpetrator with a date of "
		    "birth: nothing to match");
		return;
	}
	if (db_ok(res))
		log_info("perpetrator identity %s, request %s", verb, r->id);
	reply_text(r, res, "no such referral");
}

static void
merged(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	identity_changed(arg, res, "referral_ids", "merge");
}

static void
split(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	identity_changed(arg, res, "referral_id", "split");
}

void
api_drive_merge(struct http_req *r)
{
	static const char *const known[] = { "referral_ids", NULL };
	struct field_errors errs;
	const cJSON *ids = NULL;
	char a[24], b[24];
	const char *p[2] = { a, b };
	long long ia = 0, ib = 0;
	cJSON *body;

	if ((body = read_body(r, known, &errs)) == NULL)
		return;
	if (cJSON_IsObject(body) && jsonfield_array(body, "", "referral_ids",
	    JSONFIELD_REQUIRED, &ids, &errs) == JSONFIELD_OK) {
		if (cJSON_GetArraySize(ids) != 2)
			field_errors_add(&errs, "referral_ids",
			    "must be two referral ids");
		else {
			ia = read_id(cJSON_GetArrayItem(ids, 0), "referral_ids[0]", &errs);
			ib = read_id(cJSON_GetArrayItem(ids, 1), "referral_ids[1]", &errs);
		}
	}
	cJSON_Delete(body);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	snprintf(a, sizeof(a), "%lld", ia);
	snprintf(b, sizeof(b), "%lld", ib);
	db_query(r->txn, DRIVE_SQL_MERGE, 2, p, merged, r);
}

void
api_drive_split(struct http_req *r)
{
	static const char *const known[] = { "referral_id", NULL };
	struct field_errors errs;
	char a[24];
	const char *p[1] = { a };
	long long id = 0;
	cJSON *body;

	if ((body = read_body(r, known, &errs)) == NULL)
		return;
	if (cJSON_IsObject(body))
		id = read_id(cJSON_GetObjectItemCaseSensitive(body, "referral_id"),
		    "referral_id", &errs);
	cJSON_Delete(body);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	snprintf(a, sizeof(a), "%lld", id);
	db_query(r->txn, DRIVE_SQL_SPLIT, 1, p, split, r);
}

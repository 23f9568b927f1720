/*
 * The coordinator's views (admin, coordinator): GET /v1/dashboard, the
 * next sittings of each forum and area (up to the one taking referrals)
 * with their cutoff, cases, research, agenda and DRIVE state, the
 * needs-attention list and overdue actions by agency; GET /v1/sittings/{id}, one sitting with its cases and who has
 * returned research; and POST /v1/referrals/{id}/link, a further referral
 * of a victim joined to the case by hand (DELETE undoes it).  Each is one
 * statement of sql/022_coordination.sql, run as the caller and audited.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/clock.h"
#include "shell/db.h"
#include "core/date.h"
#include "core/jsonfield.h"
#include "statements/coordination.h"

#include <stdio.h>
#include <string.h>

/* A reference is "MARAC-2026-0001": far shorter than this. */
#define REFERENCE_MAX	40

static void
doc_got(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no such sitting in the caller's areas");
}

/* GET /v1/dashboard */
void
api_dashboard(struct http_req *r)
{
	char today[DATE_STRLEN], at[CLOCK_RFC3339_MAX];
	const char *p[2] = { date_format(api_today(), today),
	    clock_rfc3339(at, sizeof(at)) };

	db_query(r->txn, COORD_SQL_DASHBOARD, 2, p, doc_got, r);
}

/* GET /v1/sittings/{id} */
void
api_sittings_get(struct http_req *r)
{
	char today[DATE_STRLEN], at[CLOCK_RFC3339_MAX];
	const char *p[3] = { r->params[0], date_format(api_today(), today),
	    clock_rfc3339(at, sizeof(at)) };
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	db_query(r->txn, COORD_SQL_SITTING, 3, p, doc_got, r);
}

/* Each refusal of referral_link(), as the API says it. */
static const struct {
	const char	*why;
	int		 status;
	const char	*field;		/* NULL: not a field's fault */
	const char	*reason;
} refusals[] = {
	{ "no_referral", 404, NULL, "no such referral" },
	{ "no_case", 422, "to", "is not a referral" },
	{ "same", 422, "to", "must be another referral" },
	{ "not_open", 409, NULL, "only a referral listed or waiting, and not linked "
	    "already, can be linked to a case" },
	{ "has_linked", 409, NULL, "other referrals are linked to this one: unlink "
	    "them first" },
	{ "case_not_open", 422, "to", "must be a case still to be heard (listed at "
	    "a sitting to come, or waiting)" },
	{ "other_forum", 422, "to", "must be a case of the same forum and area" },
};

static void
linked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *doc;
	const char *why;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		api_reply_db_error(r, res);
		return;
	}
	doc = cJSON_Parse(PQgetvalue(res, 0, 0));
	why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "refused"));
	if (doc == NULL) {
		api_reply_db_error(r, NULL);
		return;
	}
	if (why == NULL) {
		http_reply_commit(r, 200, doc);
		return;
	}
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		if (strcmp(why, refusals[i].why) != 0)
			continue;
		cJSON_Delete(doc);
		if (refusals[i].field != NULL)
			api_reply_field(r, refusals[i].field, refusals[i].reason);
		else
			http_reply_error(r, refusals[i].status, refusals[i].status == 404 ?
			    "not_found" : "conflict", refusals[i].reason);
		return;
	}
	cJSON_Delete(doc);
	api_reply_db_error(r, NULL);
}

/*
 * POST /v1/referrals/{id}/link {"to": the case's id, or its reference}:
 * the referral heard as part of that case.
 */
void
api_referrals_link(struct http_req *r)
{
	static const char *const known[] = { "to", NULL };
	char today[DATE_STRLEN], to[24];
	const char *p[4] = { r->params[0], NULL, NULL, NULL };
	struct field_errors errs;
	long long id, target = 0;
	cJSON *o;
	const cJSON *t;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	if ((o = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(o, "", known, &errs);
	t = cJSON_GetObjectItemCaseSensitive(o, "to");
	if (t == NULL || (cJSON_IsString(t) && t->valuestring[0] == '\0'))
		field_errors_add(&errs, "to", "is required");
	else if (cJSON_IsNumber(t) && t->valuedouble >= 1 && t->valuedouble < 1e15 &&
	    (double)(long long)t->valuedouble == t->valuedouble)
		target = (long long)t->valuedouble;
	else if (cJSON_IsString(t) && api_parse_id(t->valuestring, &target))
		;
	else if (!cJSON_IsString(t) || strlen(t->valuestring) > REFERENCE_MAX)
		field_errors_add(&errs, "to", "must be a referral's id or reference");
	if (field_errors_any(&errs)) {
		cJSON_Delete(o);
		api_reply_invalid(r, &errs);
		return;
	}
	if (target > 0) {
		snprintf(to, sizeof(to), "%lld", target);
		p[1] = to;
	} else {
		p[2] = t->valuestring;
	}
	p[3] = date_format(api_today(), today);
	/* db_query copies its parameters before o goes. */
	db_query(r->txn, COORD_SQL_LINK, 4, p, linked, r);
	cJSON_Delete(o);
}

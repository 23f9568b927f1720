/*
 * POST /v1/referrals, GET /v1/referrals/{id}, GET /v1/referrals,
 * POST /v1/referrals/{id}/transfer and DELETE /v1/referrals/{id}/link.
 *
 * The rules live in the core: core/referral.c validates, core/dash.c
 * scores, core/routing.c routes.  This file moves data: it asks the
 * database for the two facts the rules need (the local received date and
 * the victim's last MARAC referral), runs the rules, and hands the result
 * to referral_create() (sql/004_referrals.sql), which stores everything
 * and writes the audit row in the same transaction.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/config.h"
#include "statements/import.h"
#include "shell/clock.h"
#include "core/intake.h"
#include "core/jsonfield.h"
#include "core/listquery.h"
#include "core/referral.h"
#include "core/repeat.h"
#include "shell/clock.h"
#include "shell/log.h"
#include "statements/referrals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct intake {
	struct http_req		*r;
	struct referral		 ref;
	enum referral_parse_result parsed;
	struct field_errors	 errs;
	struct intake_decision	 d;
	struct intake_facts	 f;
	char			 now[CLOCK_RFC3339_MAX];	/* a pre_param */
};

static void
intake_free(struct intake *in)
{
	referral_free(&in->ref);
	free(in);
}

static void
created(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct intake *in = arg;
	struct http_req *r = in->r;
	const cJSON *st;
	bool is_new;
	cJSON *body;
	char loc[64];

	(void)txn;
	if (!db_ok(res)) {
		if (strcmp(db_sqlstate(res), "23503") == 0)
			api_reply_field(r, "referring_agency", "is not an agency of this deployment");
		else
			api_reply_db_error(r, res);
		intake_free(in);
		return;
	}
	is_new = PQgetvalue(res, 0, 0)[0] == 't';
	body = cJSON_Parse(PQgetvalue(res, 0, 1));
	if (body == NULL) {
		api_reply_db_error(r, NULL);
		intake_free(in);
		return;
	}
	if (is_new) {
		snprintf(loc, sizeof(loc), "/v1/referrals/%d",
		    cJSON_GetObjectItem(body, "id")->valueint);
		http_add_header(r, "Location", loc);
		st = cJSON_GetObjectItem(body, "status");
		log_info("referral %d created (%s), request %s",
		    cJSON_GetObjectItem(body, "id")->valueint,
		    cJSON_IsString(st) ? st->valuestring : "?", r->id);
	}
	http_reply_commit(r, is_new ? 201 : 200, body);
	intake_free(in);
}

static void
intake_free_pre(void *in)
{
	intake_free(in);
}

/*
 * With the local date and the victim's history known (the token check's
 * result, from its prefetched columns on), apply the rules.
 */
static void
decide(struct intake *in, const PGresult *res)
{
	struct http_req *r = in->r;
	const struct config *cfg = r->app->cfg;
	const struct intake_served srv = { cfg->area, true,
	    cfg->marac_anchor[0] != '\0' };
	const char *params[2];
	char *dec_text, why[FIELD_REASON_MAX];
	cJSON *dec;

	if (!importstore_read_facts(res, HTTP_PREFETCH_COL, &in->f)) {
		api_reply_db_error(r, res);
		intake_free(in);
		return;
	}
	intake_route(&in->ref, &in->f, &in->d);
	if (in->d.route.outcome == ROUTING_REFUSED) {
		/* Nothing identifying is kept: the transaction is rolled back. */
		http_reply_error(r, 422, in->d.route.error, in->d.route.message);
		intake_free(in);
		return;
	}
	/* An area or forum without sittings would be heard nowhere. */
	if (intake_unserved(&in->d, &srv, why, sizeof(why)) != NULL) {
		api_reply_field(r, "area", why);
		intake_free(in);
		return;
	}
	/* Told, through the outbox, when no sitting exists for it yet. */
	in->d.coordinator = cfg->reminders_coordinator_email;
	dec = intake_decision_json(&in->d, &in->f);
	dec_text = cJSON_PrintUnformatted(dec);
	cJSON_Delete(dec);
	params[0] = r->body;
	params[1] = dec_text;
	/*
	 * Stored or found again, the answer commits: COMMIT goes with the
	 * statement (db_query_commit), and a failed statement commits nothing.
	 */
	db_query_commit(r->txn, REFERRALS_SQL_CREATE, 2, params, created, in);
	cJSON_free(dec_text);
}

static bool
authorise_intake(struct intake *in)
{
	struct http_req *r = in->r;
	char msg[160];

	if (r->caller.role == ROLE_AGENCY &&
	    strcmp(in->ref.referring_agency, r->caller.agency) != 0) {
		snprintf(msg, sizeof(msg), "an agency token refers as its own agency "
		    "(%s) only", r->caller.agency);
		http_reply_error(r, 403, "forbidden", msg);
		return false;
	}
	if ((r->caller.role & ROLES_STAFF) == 0 && in->ref.received_at != NULL) {
		api_reply_field(r, "received_at", "only a coordinator (admin) may set "
		    "the received time; leave it out and maracd records now");
		return false;
	}
	return true;
}

/*
 * Before the token check (http.h, struct http_route): the body is parsed
 * here, once, and a valid one has its two facts asked for in the check's
 * own round trip, so that a referral costs two round trips, not three.
 * What is wrong with a body is said by the handler, once the caller is
 * known: a bad token is still a 401 first.
 */
void
api_referrals_prefetch(struct http_req *r)
{
	struct intake *in = calloc(1, sizeof(*in));

	if (in == NULL)
		return;		/* the handler answers 503 */
	in->r = r;
	referral_init(&in->ref);
	field_errors_init(&in->errs);
	r->pre = in;
	r->pre_free = intake_free_pre;
	in->parsed = referral_parse(r->body, r->body_len, api_today(), &in->ref,
	    &in->errs);
	if (in->parsed != REFERRAL_OK)
		return;
	intake_prepare(&in->ref, r->app->cfg->area, api_today(), &r->app->cfg->intake, &in->d);
	/* The same two facts, asked the same way, as every import row. */
	r->pre_sql = IMPORTSTORE_FACTS("$4", "$5", "$6");
	r->pre_params[0] = in->d.victim_key;
	r->pre_params[1] = in->ref.received_at;
	r->pre_params[2] = clock_rfc3339(in->now, sizeof(in->now));
	r->pre_nparams = 3;
}

void
api_referrals_create(struct http_req *r)
{
	struct intake *in = r->pre;
	const PGresult *res = r->prefetched;

	r->pre = NULL;
	r->prefetched = NULL;
	if (in == NULL) {
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	switch (in->parsed) {
	case REFERRAL_MALFORMED:
		http_reply_error(r, 400, "malformed_json", "the body is not valid JSON");
		intake_free(in);
		return;
	case REFERRAL_INVALID:
		api_reply_invalid(r, &in->errs);
		intake_free(in);
		return;
	case REFERRAL_OK:
		break;
	}
	if (authorise_intake(in))
		decide(in, res);
	else
		intake_free(in);
}

static void
got_referral(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	/* Absent and not yours look the same. */
	api_reply_doc(arg, res, 200, "no such referral");
}

void
api_referrals_get(struct http_req *r)
{
	long long id;
	const char *params[1];

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	params[0] = r->params[0];
	/* The read's audit row commits with it, in the same round trip. */
	db_query_commit(r->txn, REFERRALS_SQL_GET, 1, params, got_referral, r);
}

/*
 * A transfer or an unlink changes what the repeat rule says: it is asked
 * again, with the core's rule (core/repeat.c), for the forum the case is
 * now in.  So both take two statements: the rule's facts
 * (referral_repeat_facts), then the change, with the flag.
 */
struct recase {
	struct http_req	*r;
	const char	*forum;		/* the new forum; NULL: unlink */
	char		*reason;
};

static void
recase_free(void *arg)
{
	struct recase *rc = arg;

	free(rc->reason);
	free(rc);
}

/*
 * The repeat flag from the facts row (res), for forum ("marac", "masc");
 * false with nothing set when res is not that row.
 */
static bool
recase_repeat(const PGresult *res, const char *forum, bool *repeat)
{
	struct routing_params rp;
	date_t received, previous;
	const char *prev;
	bool has_prev;

	if (PQntuples(res) != 1 || PQnfields(res) != 3 ||
	    !date_parse(PQgetvalue(res, 0, 0), &received))
		return false;
	prev = PQgetvalue(res, 0, 1);
	has_prev = prev[0] != '\0';
	if (has_prev && !date_parse(prev, &previous))
		return false;
	/* The intake's window (routing_params), so that both agree. */
	routing_params_default(&rp);
	*repeat = repeat_for_forum(strcmp(forum, "marac") == 0 ? FORUM_MARAC :
	    FORUM_MASC, received, has_prev ? &previous : NULL, rp.repeat_months);
	return true;
}

static void
transferred(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct recase *rc = arg;
	struct http_req *r = rc->r;
	const char *state = res != NULL ? db_sqlstate(res) : "";
	char *text;

	(void)txn;
	if (strcmp(state, "MR001") == 0) {
		http_reply_error(r, 409, "already_transferred", "this record was "
		    "transferred already: transfer the case it became (its "
		    "transferred_to)");
		return;
	} else if (strcmp(state, "MR002") == 0) {
		api_reply_field(r, "forum", "is the forum the case is already in");
		return;
	} else if (strcmp(state, "MR003") == 0) {
		http_reply_error(r, 409, "linked", "the case has linked referrals, "
		    "or is linked to a case: unlink them first "
		    "(DELETE /v1/referrals/{id}/link)");
		return;
	}
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	if ((text = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	log_info("referral %s transferred, request %s", r->params[0], r->id);
	http_reply_commit_body(r, 200, "application/json", text, strlen(text));
}

static void
transfer_facts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct recase *rc = arg;
	struct http_req *r = rc->r;
	const char *params[6];
	char now[48], today[DATE_STRLEN];
	bool repeat;

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) == 0) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	if (!recase_repeat(res, rc->forum, &repeat)) {
		api_reply_db_error(r, NULL);
		return;
	}
	params[0] = r->params[0];
	params[1] = rc->forum;
	params[2] = rc->reason;
	params[3] = repeat ? "true" : "false";
	params[4] = clock_rfc3339(now, sizeof(now));
	params[5] = date_format(api_today(), today);
	db_query(txn, REFERRALS_SQL_TRANSFER, 6, params, transferred, rc);
}

void
api_referrals_transfer(struct http_req *r)
{
	static const char *const known[] = { "forum", "reason", NULL };
	static const char *const forums[] = { "marac", "masc", NULL };
	struct field_errors errs;
	struct recase *rc;
	char *reason = NULL;
	int forum = 0;
	long long id;
	cJSON *body;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	if ((body = jsonfield_parse(r->body, r->body_len)) == NULL) {
		http_reply_error(r, 400, "malformed_json", "the body is not valid JSON");
		return;
	}
	field_errors_init(&errs);
	if (!cJSON_IsObject(body)) {
		field_errors_add(&errs, "$", "must be a JSON object");
	} else {
		jsonfield_members(body, "", known, &errs);
		jsonfield_choice(body, "", "forum", JSONFIELD_REQUIRED, forums, &forum, &errs);
		jsonfield_string(body, "", "reason", JSONFIELD_REQUIRED | JSONFIELD_MULTILINE,
		    REFERRAL_REASON_MAX, &reason, &errs);
	}
	cJSON_Delete(body);
	if (field_errors_any(&errs)) {
		free(reason);
		api_reply_invalid(r, &errs);
		return;
	}
	if ((rc = calloc(1, sizeof(*rc))) == NULL) {
		free(reason);
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	rc->r = r;
	rc->forum = forums[forum];
	rc->reason = reason;
	/* Freed with the request, whichever step answers. */
	r->pre = rc;
	r->pre_free = recase_free;
	db_query(r->txn, REFERRALS_SQL_REPEAT_FACTS, 1, (const char **)r->params,
	    transfer_facts, rc);
}

static void
unlinked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct recase *rc = arg;
	struct http_req *r = rc->r;

	(void)txn;
	if (res != NULL && strcmp(db_sqlstate(res), "MR004") == 0) {
		http_reply_error(r, 409, "not_linked",
		    "this referral is not linked to a case");
		return;
	}
	if (db_ok(res) && !PQgetisnull(res, 0, 0))
		log_info("referral %s unlinked, request %s", r->params[0], r->id);
	api_reply_doc(r, res, 200, "no such referral");
}

static void
unlink_facts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct recase *rc = arg;
	struct http_req *r = rc->r;
	const char *params[3];
	char today[DATE_STRLEN];
	bool repeat;

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) == 0) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	/* A record with no forum is not linked: the statement says so. */
	if (PQgetisnull(res, 0, 2))
		repeat = false;
	else if (!recase_repeat(res, PQgetvalue(res, 0, 2), &repeat)) {
		api_reply_db_error(r, NULL);
		return;
	}
	params[0] = r->params[0];
	params[1] = repeat ? "true" : "false";
	params[2] = date_format(api_today(), today);
	db_query(txn, REFERRALS_SQL_UNLINK, 3, params, unlinked, rc);
}

/*
 * DELETE /v1/referrals/{id}/link: the coordinator says the linked
 * referral is not the waiting case's victim after all.
 */
void
api_referrals_unlink(struct http_req *r)
{
	struct recase *rc;
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such referral");
		return;
	}
	if ((rc = calloc(1, sizeof(*rc))) == NULL) {
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	rc->r = r;
	r->pre = rc;
	r->pre_free = recase_free;
	db_query(r->txn, REFERRALS_SQL_REPEAT_FACTS, 1, (const char **)r->params,
	    unlink_facts, rc);
}

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	http_reply_commit(r, 200, api_page(res, "referrals"));
}

/*
 * The list carries no personal data: references, agencies, forums, risk.
 * Row-level security decides which rows a caller sees; the read of the
 * list is audited once.
 */
void
api_referrals_list(struct http_req *r)
{
	const char *forum = http_query_get(r, "forum");
	const char *status = http_query_get(r, "status");
	const char *sitting = http_query_get(r, "sitting");
	const char *after = http_query_get(r, "after");
	const char *limit = http_query_get(r, "limit");
	const struct referral_list_query q = { forum, status, sitting, after, limit };
	struct field_errors errs;
	const char *params[5];

	field_errors_init(&errs);
	listquery_referrals(&q, &errs);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	params[0] = forum;
	params[1] = sitting;
	params[2] = status;
	params[3] = after;
	params[4] = limit != NULL ? limit : "100";
	db_query(r->txn,
	    REFERRALS_SQL_LIST, 5, params, listed, r);
}

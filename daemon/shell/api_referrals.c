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
#include "statements/drafts.h"
#include "core/forum.h"
#include "core/sqlstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One intake, three ends (enum intake_end): the same parsing, rules and
 * referral_create(), whether the referral is made, checked (stored
 * nothing: referral_check() rolls referral_create() back) or made from a
 * draft (draft_submit() deletes the draft with it).
 */
enum intake_end {
	INTAKE_CREATE,		/* POST /v1/referrals */
	INTAKE_CHECK,		/* POST /v1/referrals/check */
	INTAKE_DRAFT,		/* POST /v1/drafts/{id}/submit */
};

struct intake {
	struct http_req		*r;
	enum intake_end		 end;
	const char		*body;		/* r->body, or the draft's */
	char			*draft_body;	/* owned, for INTAKE_DRAFT */
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
	free(in->draft_body);
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
		if (strcmp(db_sqlstate(res), SQLSTATE_FOREIGN_KEY_VIOLATION) == 0)
			api_reply_field(r, "referring_agency", "is not an agency of this deployment");
		else if (strcmp(db_sqlstate(res), "MR010") == 0)
			http_reply_error(r, 404, "not_found", "no such draft");
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
 * The dry run's answer: what the referral would be, or 409 when the
 * agency referred it already (the stored one's id and reference then).
 */
static void
checked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct intake *in = arg;
	struct http_req *r = in->r;
	const cJSON *ref;
	char msg[200];
	cJSON *body;

	if (!db_ok(res)) {
		created(txn, res, in);	/* the same errors, answered the same */
		return;
	}
	body = cJSON_Parse(PQgetvalue(res, 0, 1));
	if (body == NULL) {
		api_reply_db_error(r, NULL);
	} else if (PQgetvalue(res, 0, 0)[0] == 't') {
		ref = cJSON_GetObjectItem(body, "reference");
		snprintf(msg, sizeof(msg), "this agency referred %s already: it is %s",
		    in->ref.external_ref, cJSON_IsString(ref) ? ref->valuestring : "stored");
		cJSON_Delete(body);
		http_reply_error(r, 409, "already_referred", msg);
	} else
		http_reply_commit(r, 200, body);
	intake_free(in);
}

/*
 * With the local date and the victim's history known (the token check's
 * result, from its prefetched columns on), apply the rules.
 */
static void
decide(struct intake *in, const PGresult *res, int col)
{
	struct http_req *r = in->r;
	const struct config *cfg = r->app->cfg;
	const struct intake_served srv = { cfg->area, true,
	    cfg->marac_anchor[0] != '\0' };
	const char *params[3];
	char *dec_text, why[FIELD_REASON_MAX];
	cJSON *dec;

	if (!importstore_read_facts(res, col, &in->f)) {
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
	if (intake_unserved(&in->d, &srv, why, sizeof(why)) != 0) {
		api_reply_field(r, "area", why);
		intake_free(in);
		return;
	}
	/* Told, through the outbox, when no sitting exists for it yet. */
	in->d.coordinator = cfg->reminders_coordinator_email;
	dec = intake_decision_json(&in->d, &in->f);
	dec_text = cJSON_PrintUnformatted(dec);
	cJSON_Delete(dec);
	params[0] = in->body;
	params[1] = dec_text;
	params[2] = r->params[0];
	/*
	 * Stored or found again, the answer commits: COMMIT goes with the
	 * statement (db_query_commit), and a failed statement commits nothing.
	 */
	switch (in->end) {
	case INTAKE_CREATE:
		db_query_commit(r->txn, REFERRALS_SQL_CREATE, 2, params, created, in);
		break;
	case INTAKE_CHECK:
		/* Only the audit row of the check commits. */
		db_query_commit(r->txn, REFERRALS_SQL_CHECK, 2, params, checked, in);
		break;
	case INTAKE_DRAFT:
		db_query_commit(r->txn, REFERRALS_SQL_DRAFT_SUBMIT, 3, params, created, in);
		break;
	}
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
 * A new intake of body (borrowed; it must outlive the intake): parsed,
 * and when valid, scored and keyed, ready for its two facts.
 */
static struct intake *
intake_start(struct http_req *r, enum intake_end end, const char *body, size_t len)
{
	struct intake *in = calloc(1, sizeof(*in));

	if (in == NULL)
		return NULL;
	in->r = r;
	in->end = end;
	in->body = body;
	referral_init(&in->ref);
	field_errors_init(&in->errs);
	in->parsed = referral_parse(body, len, api_today(), &in->ref, &in->errs);
	if (in->parsed == REFERRAL_OK)
		intake_prepare(&in->ref, r->app->cfg->area, api_today(),
		    &r->app->cfg->intake, &in->d);
	return in;
}

/* The facts statement of in, with its parameters at $n from first on. */
static void
intake_facts_params(struct intake *in, const char **params)
{
	params[0] = in->d.victim_key;
	params[1] = in->ref.received_at;
	params[2] = clock_rfc3339(in->now, sizeof(in->now));
}

/*
 * Before the token check (http.h, struct http_route): the body is parsed
 * here, once, and a valid one has its two facts asked for in the check's
 * own round trip, so that a referral costs two round trips, not three.
 * What is wrong with a body is said by the handler, once the caller is
 * known: a bad token is still a 401 first.  The check of POST
 * /v1/referrals/check is the same intake, ended otherwise.
 */
void
api_referrals_prefetch(struct http_req *r)
{
	struct intake *in = intake_start(r, INTAKE_CREATE, r->body, r->body_len);

	if (in == NULL)
		return;		/* the handler answers 503 */
	r->pre = in;
	r->pre_free = intake_free_pre;
	if (in->parsed != REFERRAL_OK)
		return;
	/* The same two facts, asked the same way, as every import row. */
	r->pre_sql = IMPORTSTORE_FACTS("$4", "$5", "$6");
	intake_facts_params(in, r->pre_params);
	r->pre_nparams = 3;
}

/* What is wrong with the body, who may refer it, then the rules. */
static void
intake_answer(struct intake *in, const PGresult *facts, int col)
{
	struct http_req *r = in->r;

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
		decide(in, facts, col);
	else
		intake_free(in);
}

static void
intake_facts(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	intake_answer(arg, res, 0);
}

/*
 * The intake of a body no prefetch saw (a draft's, or a page's call of
 * the handler: shell/web.h): its facts in a round trip of their own.
 */
static void
intake_unprefetched(struct http_req *r, enum intake_end end, const char *body,
    size_t len, char *owned)
{
	const char *params[3];
	struct intake *in;

	if ((in = intake_start(r, end, body, len)) == NULL) {
		free(owned);
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	in->draft_body = owned;
	if (in->parsed != REFERRAL_OK) {
		intake_answer(in, NULL, 0);	/* what is wrong with it */
		return;
	}
	intake_facts_params(in, params);
	if (db_query(r->txn, IMPORTSTORE_SQL_FACTS, 3, params, intake_facts, in) != 0) {
		intake_free(in);
		api_reply_db_error(r, NULL);
	}
}

static void
intake_prefetched(struct http_req *r, enum intake_end end)
{
	/* Only what api_referrals_prefetch left is an intake. */
	struct intake *in = r->pre_free == intake_free_pre ? r->pre : NULL;
	const PGresult *res = r->prefetched;

	if (in != NULL)
		r->pre = NULL;
	r->prefetched = NULL;
	if (in == NULL || r->body != in->body) {
		/* Called by a page, with a body of its own. */
		if (in != NULL)
			intake_free(in);
		intake_unprefetched(r, end, r->body, r->body_len, NULL);
		return;
	}
	in->end = end;
	intake_answer(in, res, HTTP_PREFETCH_COL);
}

void
api_referrals_create(struct http_req *r)
{
	intake_prefetched(r, INTAKE_CREATE);
}

/*
 * POST /v1/referrals/check: the same validation and rules as POST
 * /v1/referrals, and the same referral_create(), rolled back; the answer
 * is the decision without id or reference.
 */
void
api_referrals_check(struct http_req *r)
{
	intake_prefetched(r, INTAKE_CHECK);
}

static void
draft_read(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	char *body;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) != 1) {
		http_reply_error(r, 404, "not_found", "no such draft");
		return;
	}
	if ((body = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(r, 503, "out_of_memory", "retry");
		return;
	}
	intake_unprefetched(r, INTAKE_DRAFT, body, strlen(body), body);
}

/*
 * POST /v1/drafts/{id}/submit: the caller's draft, read under its
 * row-level security, goes through the one intake as if it had been
 * POSTed to /v1/referrals, and is deleted when the referral is stored.
 */
void
api_drafts_submit(struct http_req *r)
{
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such draft");
		return;
	}
	db_query(r->txn, DRAFTS_SQL_BODY,
	    1, (const char **)r->params, draft_read, r);
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
	*repeat = repeat_for_forum(forum_of(forum) == FORUM_MARAC ? FORUM_MARAC :
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
	if (strcmp(state, SQLSTATE_REFERRAL_TRANSFERRED) == 0) {
		http_reply_error(r, 409, "already_transferred", "this record was "
		    "transferred already: transfer the case it became (its "
		    "transferred_to)");
		return;
	} else if (strcmp(state, SQLSTATE_REFERRAL_SAME_FORUM) == 0) {
		api_reply_field(r, "forum", "is the forum the case is already in");
		return;
	} else if (strcmp(state, SQLSTATE_REFERRAL_LINKED) == 0) {
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
		jsonfield_choice(body, "", "forum", JSONFIELD_REQUIRED, forum_codes, &forum, &errs);
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
	rc->forum = forum_codes[forum];
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
	if (res != NULL && strcmp(db_sqlstate(res), SQLSTATE_REFERRAL_NOT_LINKED) == 0) {
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
	(void)txn;
	api_reply_page(arg, res, "referrals");
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
	const char *area = http_query_get(r, "area");
	const char *agency = http_query_get(r, "agency");
	const char *from = http_query_get(r, "from");
	const char *to = http_query_get(r, "to");
	const struct referral_list_query q = { forum, status, sitting, after, limit,
	    area, agency, from, to };
	struct field_errors errs;
	const char *params[9];

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
	params[5] = area;
	params[6] = agency;
	params[7] = from;
	params[8] = to;
	db_query(r->txn, REFERRALS_SQL_LIST, 9, params, listed, r);
}

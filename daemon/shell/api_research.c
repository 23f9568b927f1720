/*
 * Agencies' research before a sitting:
 *   GET /v1/research                            the caller's sittings with
 *                                               research open, with counts
 *   GET /v1/sittings/{id}/research              the research list (?referral=:
 *                                               one case's)
 *   PUT /v1/sittings/{id}/research              {"due": date|null} (staff)
 *   PUT /v1/sittings/{id}/research/{referral}   an agency's return
 * Who sees which cases and returns, and until when, is the database's
 * decision (sql/014_research.sql); this file reads the body and moves
 * the answer along.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "core/jsonfield.h"
#include "core/listquery.h"
#include "statements/research.h"

#include <stdlib.h>
#include <string.h>

/* What a return may hold: the length sql/014_research.sql allows. */
#define RESEARCH_TEXT_MAX 20000

static void
research_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	api_reply_doc(r, res, 200, "no such sitting, or none this caller researches "
	    "(an agency sees the sittings whose issued agenda invited it)");
}

static void
overview_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no research");
}

void
api_research_overview(struct http_req *r)
{
	char today[DATE_STRLEN];
	const char *p[1] = { date_format(api_today(), today) };

	db_query(r->txn, RESEARCH_SQL_OVERVIEW, 1, p, overview_listed, r);
}

/* GET /v1/sittings/{id}/research[?referral=]: ?referral= one case's only. */
void
api_research_get(struct http_req *r)
{
	char today[DATE_STRLEN];
	const char *p[3];
	struct field_errors errs;
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	field_errors_init(&errs);
	listquery_case(http_query_get(r, "referral"), &errs);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	p[0] = r->params[0];
	p[1] = date_format(api_today(), today);
	p[2] = http_query_get(r, "referral");
	db_query(r->txn, RESEARCH_SQL_LIST, 3, p, research_listed, r);
}

/* The function's one-word verdict, as an answer. */
static void
research_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	const char *v;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	v = PQgetvalue(res, 0, 0);
	if (strcmp(v, "returned") == 0 || strcmp(v, "set") == 0)
		http_reply_commit(r, 200, cJSON_CreateObject());
	else if (strcmp(v, "held") == 0)
		http_reply_error(r, 409, "held", "the sitting has been held: research "
		    "returns are closed");
	else if (strcmp(v, "no_case") == 0)
		http_reply_error(r, 404, "not_found", "no such case at this sitting");
	else if (strcmp(v, "after_sitting") == 0)
		api_reply_field(r, "due", "must be on or before the sitting's date");
	else
		http_reply_error(r, 404, "not_found", "no such sitting, or none this "
		    "caller may change the research of");
}

void
api_research_set_due(struct http_req *r)
{
	static const char *const known[] = { "due", NULL };
	struct field_errors errs;
	char due[DATE_STRLEN];
	const char *p[2];
	bool set = false;
	long long id;
	date_t d;
	cJSON *b;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	if ((b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	if (jsonfield_get(b, "due") == NULL)
		field_errors_add(&errs, "due", "is required (null clears the deadline)");
	else if (!cJSON_IsNull(jsonfield_get(b, "due")))
		set = jsonfield_date(b, "", "due", JSONFIELD_REQUIRED,
		    date_from_ymd(9999, 12, 31), &d, &errs) == JSONFIELD_OK;
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	p[0] = r->params[0];
	p[1] = set ? date_format(d, due) : NULL;
	db_query(r->txn, RESEARCH_SQL_SET_DUE, 2, p, research_done, r);
}

void
api_research_return(struct http_req *r)
{
	static const char *const known[] = { "nothing_known", "text", NULL };
	struct field_errors errs;
	char today[DATE_STRLEN], *text = NULL;
	bool nothing = false;
	const char *p[5];
	long long id;
	cJSON *b;

	if (!api_parse_id(r->params[0], &id) || !api_parse_id(r->params[1], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting or case");
		return;
	}
	if ((b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	jsonfield_bool(b, "", "nothing_known", 0, &nothing, &errs);
	jsonfield_string(b, "", "text", JSONFIELD_MULTILINE, RESEARCH_TEXT_MAX, &text, &errs);
	cJSON_Delete(b);
	/* One or the other: what the records hold, or that they hold nothing. */
	if (!field_errors_any(&errs) && nothing == (text != NULL))
		field_errors_add(&errs, "text", nothing ? "must be left out when nothing "
		    "is known" : "is required unless nothing_known is true");
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		free(text);
		return;
	}
	p[0] = r->params[0];
	p[1] = r->params[1];
	p[2] = nothing ? "t" : "f";
	p[3] = text;
	p[4] = date_format(api_today(), today);
	db_query(r->txn, RESEARCH_SQL_RETURN, 5, p, research_done, r);
	free(text);
}

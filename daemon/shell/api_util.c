#include "shell/api_util.h"
#include "shell/clock.h"
#include "core/jsonfield.h"
#include "core/listquery.h"
#include "shell/db.h"
#include "shell/log.h"
#include "core/sqlstate.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

bool
api_parse_id(const char *s, long long *out)
{
	return listquery_id(s, out);
}

void
api_reply_invalid(struct http_req *r, const struct field_errors *errs)
{
	cJSON *fields = cJSON_CreateArray();

	for (size_t i = 0; i < errs->count; i++) {
		cJSON *f = cJSON_CreateObject();

		cJSON_AddStringToObject(f, "field", errs->items[i].field);
		cJSON_AddStringToObject(f, "reason", errs->items[i].reason);
		cJSON_AddItemToArray(fields, f);
	}
	http_reply_fields(r, 422, "invalid", errs->overflow ?
	    "the request has errors (only the first are listed)" :
	    "the request has errors; nothing was saved", fields);
}

void
api_reply_field(struct http_req *r, const char *field, const char *reason)
{
	struct field_errors errs;

	field_errors_init(&errs);
	field_errors_add(&errs, field, "%s", reason);
	api_reply_invalid(r, &errs);
}

void
api_reply_db_error(struct http_req *r, const PGresult *res)
{
	const char *state = db_sqlstate(res);

	if (res == NULL || strncmp(state, SQLSTATE_CLASS_CONNECTION, 2) == 0 || strncmp(state, SQLSTATE_CLASS_OPERATOR, 2) == 0 ||
	    strcmp(state, SQLSTATE_SERIALIZATION_FAILURE) == 0 || strcmp(state, SQLSTATE_DEADLOCK_DETECTED) == 0) {
		http_reply_error(r, 503, "database_unavailable",
		    "the database could not complete this; nothing was saved; retry");
		return;
	}
	/*
	 * Row-level security refused a row (WITH CHECK) or a function refused
	 * its caller: the caller is outside its scope (another area, say).
	 */
	if (strcmp(state, SQLSTATE_INSUFFICIENT_PRIVILEGE) == 0) {
		log_info("http: %s refused by the database for this caller", r->id);
		http_reply_error(r, 403, "forbidden",
		    "this caller may not do this here (outside its areas or role); nothing was saved");
		return;
	}
	log_error("http: %s statement failed, SQLSTATE %s", r->id, state);
	http_reply_error(r, 500, "internal_error",
	    "maracd could not complete this; nothing was saved");
}

date_t
api_today(void)
{
	return clock_today();
}

cJSON *
api_body_json(struct http_req *r)
{
	cJSON *body = jsonfield_parse(r->body != NULL ? r->body : "", r->body_len);

	if (body == NULL)
		http_reply_error(r, 400, "malformed_json", "the body is not valid JSON");
	return body;
}

void
api_reply_doc(struct http_req *r, const PGresult *res, int status,
    const char *not_found)
{
	char *doc;

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(r, 404, "not_found", not_found);
		return;
	}
	if ((doc = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	http_reply_commit_body(r, status, "application/json", doc,
	    (size_t)PQgetlength(res, 0, 0));
}

void
api_reply_member(struct http_req *r, const PGresult *res, const char *key)
{
	cJSON *o;

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, key, cJSON_Parse(PQgetvalue(res, 0, 0)));
	http_reply_commit(r, 200, o);
}

cJSON *
api_page(const PGresult *res, const char *key)
{
	cJSON *o = cJSON_CreateObject(), *list;

	list = cJSON_Parse(PQgetvalue(res, 0, 0));
	cJSON_AddItemToObject(o, key, list != NULL ? list : cJSON_CreateArray());
	if (!PQgetisnull(res, 0, 1))
		cJSON_AddNumberToObject(o, "next_after", atof(PQgetvalue(res, 0, 1)));
	else
		cJSON_AddNullToObject(o, "next_after");
	return o;
}

void
api_reply_page(struct http_req *r, const PGresult *res, const char *key)
{
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	http_reply_commit(r, 200, api_page(res, key));
}

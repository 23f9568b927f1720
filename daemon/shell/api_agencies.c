/*
 * Who the caller is, and the agencies of the deployment: what a client
 * needs to fill its own forms.  Neither holds case data.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/auth.h"
#include "shell/db.h"
#include "statements/accounts.h"
#include "statements/agencies.h"

#include <string.h>

static void
whoami_person(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "the session has ended");
}

/* A token's role and scope; for a person, who they are and what they act as. */
void
api_whoami(struct http_req *r)
{
	cJSON *o;

	if (r->caller.user_id != 0) {
		db_query(r->txn, ACCOUNTS_SQL_WHOAMI, 0, NULL, whoami_person, r);
		return;
	}
	o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "token_id", (double)r->caller.token_id);
	cJSON_AddStringToObject(o, "role", auth_role_name(r->caller.role));
	if (r->caller.agency[0] != '\0')
		cJSON_AddStringToObject(o, "agency", r->caller.agency);
	else
		cJSON_AddNullToObject(o, "agency");
	if (r->caller.forum[0] != '\0')
		cJSON_AddStringToObject(o, "forum", r->caller.forum);
	else
		cJSON_AddNullToObject(o, "forum");
	/* null: every area the deployment serves. */
	if (r->caller.areas[0] != '\0') {
		cJSON *a = cJSON_AddArrayToObject(o, "areas");
		char buf[sizeof(r->caller.areas)], *p = buf, *s;

		snprintf(buf, sizeof(buf), "%s", r->caller.areas);
		while ((s = strsep(&p, ",")) != NULL)
			cJSON_AddItemToArray(a, cJSON_CreateString(s));
	} else
		cJSON_AddNullToObject(o, "areas");
	http_reply_commit(r, 200, o);
}

static void
agencies_result(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *o, *list;

	(void)txn;
	if (!db_ok(res)) {
		http_reply_error(r, 503, "database_unavailable", "retry");
		return;
	}
	o = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(o, "agencies");
	for (int i = 0; i < PQntuples(res); i++) {
		cJSON *a = cJSON_CreateObject();

		cJSON_AddStringToObject(a, "code", PQgetvalue(res, i, 0));
		cJSON_AddStringToObject(a, "name", PQgetvalue(res, i, 1));
		cJSON_AddItemToArray(list, a);
	}
	http_reply_commit(r, 200, o);
}

void
api_agencies_list(struct http_req *r)
{
	db_query(r->txn, AGENCIES_SQL_LIST, 0, NULL, agencies_result, r);
}

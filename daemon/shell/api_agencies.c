/*
 * Who the caller is, and the agencies of the deployment: what a client
 * needs to fill its own forms.  Neither holds case data.  An admin adds
 * and changes agencies; who may, and the audit, are the database's
 * (agency_save, sql/018_admin.sql), as for maracctl agency add.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/auth.h"
#include "shell/db.h"
#include "statements/accounts.h"
#include "statements/agencies.h"
#include "core/buf.h"
#include "core/forum.h"
#include "core/jsonfield.h"
#include "core/sqlstate.h"

#include <stdlib.h>
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
	(void)txn;
	api_reply_member(arg, res, "agencies");
}

/* GET /v1/agencies: each with its reminder address and the forums it is core to. */
void
api_agencies_list(struct http_req *r)
{
	db_query(r->txn, AGENCIES_SQL_LIST, 0, NULL, agencies_result, r);
}

/* The database's refusals, as answers: the table's checks name the field. */
static void
agency_saved(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	const char *state = db_sqlstate(res);
	const char *cons = db_ok(res) ? NULL :
	    PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);

	(void)txn;
	/* Made (no code in the path) or changed: a page posts either. */
	if (db_ok(res))
		api_reply_doc(r, res, r->nparams == 0 ? 201 : 200, "no such agency");
	else if (strcmp(state, SQLSTATE_INSUFFICIENT_PRIVILEGE) == 0)
		http_reply_error(r, 403, "forbidden", "only an admin changes agencies");
	else if (strcmp(state, SQLSTATE_UNIQUE_VIOLATION) == 0)
		api_reply_field(r, "code", "an agency with this code exists");
	else if (strcmp(state, SQLSTATE_CHECK_VIOLATION) == 0 && cons != NULL &&
	    strstr(cons, "reminder_email") != NULL)
		api_reply_field(r, "email", "must be an email address (name@example.org)");
	else if (strcmp(state, SQLSTATE_CHECK_VIOLATION) == 0 && cons != NULL &&
	    strstr(cons, "name") != NULL)
		api_reply_field(r, "name", "must be from 1 to 200 characters");
	else
		api_reply_db_error(r, res);
}

/*
 * core_of: a list of forum codes, as "marac,masc" into out; absent leaves
 * out empty and *given false.
 */
static void
core_of_read(const cJSON *body, struct buf *out, bool *given, struct field_errors *errs)
{
	const cJSON *a = NULL, *x;
	int i = 0, f;
	char path[FIELD_PATH_MAX];

	*given = false;
	if (jsonfield_array(body, "", "core_of", 0, &a, errs) != JSONFIELD_OK)
		return;
	*given = true;
	cJSON_ArrayForEach(x, a) {
		snprintf(path, sizeof(path), "core_of[%d]", i++);
		if (jsonfield_choice_value(x, path, forum_codes, &f, errs) == JSONFIELD_OK) {
			buf_puts(out, out->len > 0 ? "," : "");
			buf_puts(out, forum_codes[f]);
		}
	}
}

/*
 * POST /v1/agencies {code, name, email, core_of} and PATCH
 * /v1/agencies/{code} {name, email, core_of}: a change leaves out what it
 * does not change; its email null clears the address.
 */
static void
agency_write(struct http_req *r, bool creating)
{
	static const char *const known_new[] = { "code", "name", "email", "core_of", NULL };
	static const char *const known_change[] = { "name", "email", "core_of", NULL };
	struct field_errors errs;
	char *code = NULL, *name = NULL, *email = NULL;
	const cJSON *e;
	struct buf core;
	bool core_given, set_email;
	const char *p[6];
	cJSON *b;

	if (!creating && (strlen(r->params[0]) > 32 ||
	    strspn(r->params[0], "abcdefghijklmnopqrstuvwxyz0123456789_") !=
	    strlen(r->params[0]))) {
		http_reply_error(r, 404, "not_found", "no such agency");
		return;
	}
	if ((b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	buf_init(&core);
	jsonfield_members(b, "", creating ? known_new : known_change, &errs);
	if (creating)
		jsonfield_code(b, "", "code", JSONFIELD_REQUIRED, 32, &code, &errs);
	jsonfield_string(b, "", "name", creating ? JSONFIELD_REQUIRED : 0, 200, &name, &errs);
	jsonfield_string(b, "", "email", 0, 254, &email, &errs);
	e = cJSON_GetObjectItemCaseSensitive(b, "email");
	set_email = e != NULL;
	core_of_read(b, &core, &core_given, &errs);
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		goto out;
	}
	p[0] = creating ? code : r->params[0];
	p[1] = name;
	p[2] = email;
	p[3] = set_email ? "true" : "false";
	p[4] = core_given ? buf_str(&core) : NULL;
	p[5] = creating ? "true" : "false";
	db_query(r->txn, AGENCIES_SQL_SAVE, 6, p, agency_saved, r);
out:
	free(code);
	free(name);
	free(email);
	buf_free(&core);
}

void
api_agencies_create(struct http_req *r)
{
	agency_write(r, true);
}

void
api_agencies_update(struct http_req *r)
{
	agency_write(r, false);
}

/*
 * GET/POST /v1/users and PATCH /v1/users/{id}: named accounts, for admins
 * and for coordinators within their areas (agency members only).  Who may
 * see or change whom is the database's decision (account_may_manage in
 * sql/017_accounts.sql); an invitation's mail, with its one-time link, is
 * written by the database into the outbox in the same transaction.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/config.h"
#include "shell/log.h"
#include "core/buf.h"
#include "core/jsonfield.h"
#include "core/token.h"
#include "statements/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
users_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *o;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "users", cJSON_Parse(PQgetvalue(res, 0, 0)));
	http_reply_commit(r, 200, o);
}

void
api_users_list(struct http_req *r)
{
	db_query(r->txn, ACCOUNTS_SQL_USERS, 0, NULL, users_listed, r);
}

/* The database's refusals, as answers. */
static bool
users_refused(struct http_req *r, const PGresult *res)
{
	const char *state = db_sqlstate(res);

	if (db_ok(res))
		return false;
	if (strcmp(state, "42501") == 0)
		http_reply_error(r, 403, "forbidden", "this caller may not manage "
		    "this account or give this role");
	else if (strcmp(state, "23505") == 0)
		api_reply_field(r, "email", "an account with this address exists");
	else if (strcmp(state, "23503") == 0)
		api_reply_field(r, "agency", "no such agency");
	else if (strcmp(state, "23514") == 0)
		http_reply_error(r, 422, "invalid", "the role needs its agency (agency) "
		    "or forum (chair), and the address must be a plain one");
	else
		api_reply_db_error(r, res);
	return true;
}

static void
user_invited(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *o;

	(void)txn;
	if (users_refused(r, res))
		return;
	log_info("http: %s user %s invited", r->id, PQgetvalue(res, 0, 0));
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", atof(PQgetvalue(res, 0, 0)));
	cJSON_AddStringToObject(o, "state", "invited");
	http_reply_commit(r, 201, o);
}

/* areas: a JSON array of area codes, as "a,b,c" into out; false on error. */
static bool
areas_read(const cJSON *body, struct buf *out, struct field_errors *errs)
{
	const cJSON *a = NULL, *x;
	int n = 0;

	if (jsonfield_array(body, "", "areas", 0, &a, errs) != JSONFIELD_OK)
		return true;
	cJSON_ArrayForEach(x, a) {
		const char *s = cJSON_GetStringValue(x);
		/* As api_tokens and user_roles hold them (sql/017_accounts.sql). */
		bool ok = s != NULL && s[0] != '\0' && strlen(s) <= 32 && n < 12;

		for (const char *c = s; ok && *c != '\0'; c++)
			ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
		if (!ok) {
			field_errors_add(errs, "areas", "must be a list of up to 12 area codes "
			    "(lower-case letters, digits and _)");
			return false;
		}
		buf_puts(out, n++ ? "," : "");
		buf_puts(out, s);
	}
	if (n == 0)
		field_errors_add(errs, "areas", "must not be empty (leave it out for all areas)");
	return n > 0;
}

void
api_users_create(struct http_req *r)
{
	static const char *const known[] = { "email", "display_name", "role", "agency",
	    "forum", "areas", NULL };
	static const char *const roles[] = { "admin", "coordinator", "chair", "agency", NULL };
	static const char *const forums[] = { "marac", "masc", NULL };
	struct config *cfg = r->app->cfg;
	struct field_errors errs;
	char *email = NULL, *name = NULL, *agency = NULL, hours[16];
	char tok[TOKEN_LEN + 1];
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	int role = -1, forum = -1;
	struct buf areas;
	const char *p[9];
	cJSON *b;

	if (cfg->accounts.public_origin[0] == '\0') {
		http_reply_error(r, 503, "not_configured", "[accounts] public_origin is "
		    "not set, so an invitation's link would lead nowhere");
		return;
	}
	if ((b = api_body_json(r)) == NULL)
		return;
	buf_init(&areas);
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	jsonfield_string(b, "", "email", JSONFIELD_REQUIRED, 254, &email, &errs);
	jsonfield_string(b, "", "display_name", JSONFIELD_REQUIRED, 200, &name, &errs);
	jsonfield_choice(b, "", "role", JSONFIELD_REQUIRED, roles, &role, &errs);
	jsonfield_code(b, "", "agency", 0, 32, &agency, &errs);
	jsonfield_choice(b, "", "forum", 0, forums, &forum, &errs);
	areas_read(b, &areas, &errs);
	cJSON_Delete(b);
	if (role == 3 && agency == NULL && !field_errors_find(&errs, "agency"))
		field_errors_add(&errs, "agency", "an agency member needs an agency");
	if (role == 2 && forum < 0 && !field_errors_find(&errs, "forum"))
		field_errors_add(&errs, "forum", "a chair needs a forum");
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		goto out;
	}
	randombytes_buf(rnd, sizeof(rnd));
	token_format(rnd, tok);
	snprintf(hours, sizeof(hours), "%d", cfg->accounts.invitation_hours);
	p[0] = email;
	p[1] = name;
	p[2] = roles[role];
	p[3] = agency;
	p[4] = forum >= 0 ? forums[forum] : NULL;
	p[5] = areas.len > 0 ? buf_str(&areas) : NULL;
	p[6] = tok;
	p[7] = cfg->accounts.public_origin;
	p[8] = hours;
	db_query(r->txn, ACCOUNTS_SQL_INVITE, 9, p, user_invited, r);
	sodium_memzero(tok, sizeof(tok));
out:
	free(email);
	free(name);
	free(agency);
	buf_free(&areas);
}

static void
user_updated(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (users_refused(r, res))
		return;
	api_reply_doc(r, res, 200, "no such user, or not one this caller manages");
}

void
api_users_update(struct http_req *r)
{
	static const char *const known[] = { "state", "display_name", NULL };
	static const char *const states[] = { "active", "disabled", NULL };
	struct field_errors errs;
	char *name = NULL;
	int state = -1;
	long long id;
	const char *p[3];
	cJSON *b;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such user");
		return;
	}
	if ((b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	jsonfield_choice(b, "", "state", 0, states, &state, &errs);
	jsonfield_string(b, "", "display_name", 0, 200, &name, &errs);
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		free(name);
		return;
	}
	p[0] = r->params[0];
	p[1] = state >= 0 ? states[state] : NULL;
	p[2] = name;
	db_query(r->txn, ACCOUNTS_SQL_USER_UPDATE, 3, p, user_updated, r);
	free(name);
}

/*
 * GET/POST /v1/users, PATCH /v1/users/{id} and POST
 * /v1/users/{id}/reset-second-factor: named accounts, for admins and for
 * coordinators within their areas (agency members only).  Who may
 * see or change whom is the database's decision (account_may_manage in
 * sql/012_accounts.sql); an invitation's mail, with its one-time link, is
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
#include "shell/accountlink.h"
#include "statements/accounts.h"
#include "core/forum.h"
#include "core/sqlstate.h"
#include "shell/membership.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
users_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_member(arg, res, "users");
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
	if (strcmp(state, SQLSTATE_INSUFFICIENT_PRIVILEGE) == 0)
		http_reply_error(r, 403, "forbidden", "this caller may not manage "
		    "this account or give this role");
	else if (strcmp(state, SQLSTATE_UNIQUE_VIOLATION) == 0)
		api_reply_field(r, "email", "an account with this address exists");
	else if (strcmp(state, SQLSTATE_FOREIGN_KEY_VIOLATION) == 0)
		api_reply_field(r, "agency", "no such agency");
	else if (strcmp(state, SQLSTATE_ACCOUNT_LAST_ADMIN) == 0)
		http_reply_error(r, 409, "last_admin", "the last active admin must stay "
		    "an active admin");
	else if (strcmp(state, SQLSTATE_CHECK_VIOLATION) == 0)
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
areas_read(const cJSON *body, const char *prefix, struct buf *out,
    struct field_errors *errs)
{
	const cJSON *a = NULL, *x;
	char path[FIELD_PATH_MAX];
	int n = 0;

	if (jsonfield_array(body, prefix, "areas", 0, &a, errs) != JSONFIELD_OK)
		return true;
	jsonfield_path(path, prefix, "areas");
	cJSON_ArrayForEach(x, a) {
		const char *s = cJSON_GetStringValue(x);
		/* As api_tokens and user_roles hold them (sql/001_foundation.sql). */
		bool ok = s != NULL && s[0] != '\0' && strlen(s) <= 32 && n < 12;

		for (const char *c = s; ok && *c != '\0'; c++)
			ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
		if (!ok) {
			field_errors_add(errs, path, "must be a list of up to 12 area codes "
			    "(lower-case letters, digits and _)");
			return false;
		}
		buf_puts(out, n++ ? "," : "");
		buf_puts(out, s);
	}
	if (n == 0)
		field_errors_add(errs, path, "must not be empty (leave it out for all areas)");
	return n > 0;
}

/*
 * One membership: a role, with the agency an agency member needs, the
 * forum a chair needs, and the areas it is bounded to (none: all).  The
 * same reading for an invitation (the body's own fields), for each of
 * PATCH's roles, and for an API token (api_tokens.c).
 */
const char *const membership_roles[] = { "admin", "coordinator", "chair", "agency", NULL };

void
membership_read(const cJSON *o, const char *prefix, struct membership *m,
    struct field_errors *errs)
{
	char path[FIELD_PATH_MAX];

	m->role = m->forum = -1;
	m->agency = NULL;
	buf_init(&m->areas);
	jsonfield_choice(o, prefix, "role", JSONFIELD_REQUIRED, membership_roles, &m->role, errs);
	jsonfield_code(o, prefix, "agency", 0, 32, &m->agency, errs);
	jsonfield_choice(o, prefix, "forum", 0, forum_codes, &m->forum, errs);
	areas_read(o, prefix, &m->areas, errs);
	jsonfield_path(path, prefix, "agency");
	if (m->role == MEMBERSHIP_AGENCY && m->agency == NULL && !field_errors_find(errs, path))
		field_errors_add(errs, path, "an agency member needs an agency");
	jsonfield_path(path, prefix, "forum");
	if (m->role == MEMBERSHIP_CHAIR && m->forum < 0 && !field_errors_find(errs, path))
		field_errors_add(errs, path, "a chair needs a forum");
}

void
membership_free(struct membership *m)
{
	free(m->agency);
	buf_free(&m->areas);
}

/*
 * An invitation's link; false, having answered 503, when [accounts]
 * public_origin is not set (the link would lead nowhere) or no token
 * could be made.
 */
static bool
invitation_link(struct http_req *r, struct accountlink *l)
{
	if (r->app->cfg->accounts.public_origin[0] == '\0') {
		http_reply_error(r, 503, "not_configured", "[accounts] public_origin is "
		    "not set, so an invitation's link would lead nowhere");
		return false;
	}
	if (accountlink_new(l, r->app->cfg) != 0) {
		http_reply_error(r, 503, "busy", "no randomness available; retry");
		return false;
	}
	return true;
}

void
api_users_create(struct http_req *r)
{
	static const char *const known[] = { "email", "display_name", "role", "agency",
	    "forum", "areas", NULL };
	struct field_errors errs;
	char *email = NULL, *name = NULL;
	struct accountlink l;
	struct membership m;
	const char *p[9];
	cJSON *b;

	if (!invitation_link(r, &l) || (b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	jsonfield_string(b, "", "email", JSONFIELD_REQUIRED, 254, &email, &errs);
	jsonfield_string(b, "", "display_name", JSONFIELD_REQUIRED, 200, &name, &errs);
	membership_read(b, "", &m, &errs);
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		goto out;
	}
	p[0] = email;
	p[1] = name;
	p[2] = membership_roles[m.role];
	p[3] = m.agency;
	p[4] = m.forum >= 0 ? forum_codes[m.forum] : NULL;
	p[5] = m.areas.len > 0 ? buf_str(&m.areas) : NULL;
	p[6] = l.token;
	p[7] = l.origin;
	p[8] = l.hours;
	db_query(r->txn, ACCOUNTS_SQL_INVITE, 9, p, user_invited, r);
out:
	sodium_memzero(l.token, sizeof(l.token));
	free(email);
	free(name);
	membership_free(&m);
}

/*
 * PATCH's roles: the whole new set of memberships, each read as an
 * invitation's, as the JSON the database takes (account_user_update);
 * NULL when absent or wrong (errs says which).
 */
static cJSON *
memberships_read(const cJSON *body, struct field_errors *errs)
{
	static const char *const known[] = { "role", "agency", "forum", "areas", NULL };
	const cJSON *a = NULL, *x;
	char prefix[FIELD_PATH_MAX];
	cJSON *out;
	int i = 0;

	if (jsonfield_array(body, "", "roles", 0, &a, errs) != JSONFIELD_OK)
		return NULL;
	if (cJSON_GetArraySize(a) == 0 || cJSON_GetArraySize(a) > 8) {
		field_errors_add(errs, "roles", "must hold from 1 to 8 memberships "
		    "(disable the account to take every role away)");
		return NULL;
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(x, a) {
		struct membership m;
		cJSON *o;

		snprintf(prefix, sizeof(prefix), "roles[%d]", i++);
		if (!cJSON_IsObject(x)) {
			field_errors_add(errs, prefix, "must be an object");
			continue;
		}
		jsonfield_members(x, prefix, known, errs);
		membership_read(x, prefix, &m, errs);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "role", m.role >= 0 ? membership_roles[m.role] : "");
		/* As an invitation gives them: an agency to a member, a forum to a chair. */
		if (m.role == MEMBERSHIP_AGENCY && m.agency != NULL)
			cJSON_AddStringToObject(o, "agency", m.agency);
		if (m.role == MEMBERSHIP_CHAIR && m.forum >= 0)
			cJSON_AddStringToObject(o, "forum", forum_codes[m.forum]);
		if (m.areas.len > 0) {
			char *save = NULL, *tok, *list = strdup(buf_str(&m.areas));
			cJSON *areas = cJSON_AddArrayToObject(o, "areas");

			for (tok = strtok_r(list, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save))
				cJSON_AddItemToArray(areas, cJSON_CreateString(tok));
			free(list);
		}
		cJSON_AddItemToArray(out, o);
		membership_free(&m);
	}
	return out;
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
	static const char *const known[] = { "state", "display_name", "roles", NULL };
	static const char *const states[] = { "active", "disabled", NULL };
	struct field_errors errs;
	char *name = NULL, *set = NULL;
	cJSON *b, *members;
	int state = -1;
	long long id;
	const char *p[4];

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
	members = memberships_read(b, &errs);
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		goto out;
	}
	if (members != NULL && (set = cJSON_PrintUnformatted(members)) == NULL) {
		http_reply_error(r, 500, "internal", "out of memory");
		goto out;
	}
	p[0] = r->params[0];
	p[1] = state >= 0 ? states[state] : NULL;
	p[2] = name;
	p[3] = set;
	db_query(r->txn, ACCOUNTS_SQL_USER_UPDATE, 4, p,
	    user_updated, r);
out:
	cJSON_Delete(members);
	cJSON_free(set);
	free(name);
}

static void
second_factor_reset(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	cJSON *o;

	(void)txn;
	if (users_refused(r, res))
		return;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		http_reply_error(r, 404, "not_found", "no such enabled user");
		return;
	}
	log_info("http: %s user %s must enrol a second factor again", r->id, r->params[0]);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", atof(r->params[0]));
	cJSON_AddStringToObject(o, "state", "invited");
	http_reply_commit(r, 200, o);
}

/*
 * POST /v1/users/{id}/reset-second-factor: the key and recovery codes go,
 * every session ends, and a new invitation is mailed (the database's
 * account_reset_2fa, as maracctl user reset-2fa).  Admins only.
 */
void
api_users_reset_second_factor(struct http_req *r)
{
	struct accountlink l;
	const char *p[4];
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such user");
		return;
	}
	if (!invitation_link(r, &l))
		return;
	p[0] = r->params[0];
	p[1] = l.token;
	p[2] = l.origin;
	p[3] = l.hours;
	db_query(r->txn, ACCOUNTS_SQL_RESET_2FA, 4, p, second_factor_reset, r);
	sodium_memzero(l.token, sizeof(l.token));
}

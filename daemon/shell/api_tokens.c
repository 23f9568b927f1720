/*
 * GET/POST /v1/tokens and DELETE /v1/tokens/{id}: the API tokens, for
 * admins.  A token is 256 random bits with check digits (core/token.h),
 * made here and shown once, in the answer that makes it; the database
 * keeps only its SHA-256 (tokenhash.h).  Who may, what a new token gets
 * (its expiry, its areas, its owner) and the audit are the database's
 * (sql/018_admin.sql), the same for maracctl token.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "shell/log.h"
#include "shell/membership.h"
#include "shell/tokenhash.h"
#include "core/forum.h"
#include "core/jsonfield.h"
#include "core/sqlstate.h"
#include "core/token.h"
#include "statements/tokens.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The database's refusals, as answers; true when res is one. */
static bool
tokens_refused(struct http_req *r, const PGresult *res)
{
	const char *state = db_sqlstate(res);

	if (db_ok(res))
		return false;
	if (strcmp(state, SQLSTATE_INSUFFICIENT_PRIVILEGE) == 0)
		http_reply_error(r, 403, "forbidden", "only an admin manages API tokens "
		    "(and maracd's job token only by maracctl)");
	else if (strcmp(state, SQLSTATE_INVALID_PARAMETER) == 0)
		api_reply_field(r, "areas", "this deployment serves several areas: give "
		    "the areas, or all_areas");
	else if (strcmp(state, SQLSTATE_FOREIGN_KEY_VIOLATION) == 0)
		api_reply_field(r, "agency", "no such agency");
	else if (strcmp(state, SQLSTATE_CHECK_VIOLATION) == 0)
		api_reply_field(r, "areas", "an agency token is bounded by its agency: "
		    "leave areas out");
	else
		api_reply_db_error(r, res);
	return true;
}

static void
tokens_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (!tokens_refused(r, res))
		api_reply_member(r, res, "tokens");
}

void
api_tokens_list(struct http_req *r)
{
	db_query(r->txn, TOKENS_SQL_LIST, 0, NULL, tokens_listed, r);
}

/* The token's secret, until its answer goes (held by r->pre). */
struct token_made {
	char	 secret[TOKEN_LEN + 1];
};

static void
token_made_free(void *arg)
{
	sodium_memzero(arg, sizeof(struct token_made));
	free(arg);
}

static void
token_created(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	struct token_made *t = r->pre;
	cJSON *o;

	(void)txn;
	if (tokens_refused(r, res))
		return;
	if ((o = cJSON_Parse(PQgetvalue(res, 0, 0))) == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	/* Shown this once: only its hash is kept. */
	cJSON_AddStringToObject(o, "token", t->secret);
	log_info("http: %s token %.0f created", r->id,
	    cJSON_GetNumberValue(cJSON_GetObjectItem(o, "id")));
	http_reply_commit(r, 201, o);
}

/*
 * POST /v1/tokens {name, role, agency, forum, areas, all_areas, days}: a
 * token answerable to the caller.  Its role is a person's (a job token is
 * maracctl's to make).
 */
void
api_tokens_create(struct http_req *r)
{
	static const char *const known[] = { "name", "role", "agency", "forum", "areas",
	    "all_areas", "days", NULL };
	char hash[TOKENHASH_HEX], days_s[16];
	struct field_errors errs;
	struct token_made *t;
	struct membership m;
	char *name = NULL;
	bool all = false;
	int days = 0;
	const char *p[9];
	cJSON *b;

	if ((b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	jsonfield_string(b, "", "name", JSONFIELD_REQUIRED, 200, &name, &errs);
	membership_read(b, "", &m, &errs);
	jsonfield_bool(b, "", "all_areas", 0, &all, &errs);
	jsonfield_int(b, "", "days", 0, 1, 3650, &days, &errs);
	if (all && m.areas.len > 0)
		field_errors_add(&errs, "all_areas", "give areas or all_areas, not both");
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		goto out;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		goto out;
	}
	if (tokenhash_new(t->secret) != 0 || tokenhash_hex(t->secret, hash) != 0) {
		token_made_free(t);
		http_reply_error(r, 500, "internal", "cannot make the token");
		goto out;
	}
	r->pre = t;
	r->pre_free = token_made_free;
	snprintf(days_s, sizeof(days_s), "%d", days);
	p[0] = name;
	p[1] = membership_roles[m.role];
	p[2] = m.agency;
	p[3] = m.forum >= 0 ? forum_codes[m.forum] : NULL;
	p[4] = hash;
	p[5] = m.areas.len > 0 ? buf_str(&m.areas) : NULL;
	p[6] = all ? "true" : "false";
	p[7] = NULL;
	p[8] = days > 0 ? days_s : NULL;
	db_query(r->txn, TOKENS_SQL_CREATE, 9, p, token_created, r);
out:
	free(name);
	membership_free(&m);
}

static void
token_revoked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (tokens_refused(r, res))
		return;
	api_reply_doc(r, res, 200, "no such token in force");
}

/* DELETE /v1/tokens/{id}: revoked at once; its next request is refused. */
void
api_tokens_revoke(struct http_req *r)
{
	const char *p[1];
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such token in force");
		return;
	}
	p[0] = r->params[0];
	db_query(r->txn, TOKENS_SQL_REVOKE, 1, p, token_revoked, r);
}

/*
 * maracd hashes the bearer token (tokenhash.h: the token never reaches
 * PostgreSQL or its logs); the database finds the hash
 * (maracd_authenticate in sql/002_access.sql) and records the caller for
 * the policies of this transaction.  maracd cannot read the token table:
 * a bug here cannot list or forge other callers.
 *
 * Before any of that costs a database connection, a token must have the
 * shape maracctl gives tokens (core/token.h), and its client's address
 * must not be over its budget of failed checks (auth_failures_per_minute):
 * a flood of bogus tokens is answered from memory.
 */
#include "shell/auth.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/ratelimit.h"
#include "log.h"
#include "tokenhash.h"
#include "core/token.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The check: the caller's token id, role, agency and forum (the
 * HTTP_PREFETCH_COL columns before a route's prefetched ones), or no row.
 */
#define AUTH_SQL \
	"SELECT token_id, role, coalesce(agency, ''), coalesce(forum, ''), " \
	"coalesce(array_to_string(areas, ','), '')"
#define AUTH_FROM "maracd_authenticate($1, $2, $3)"

const char *
auth_role_name(enum role role)
{
	switch (role) {
	case ROLE_ADMIN:	return "admin";
	case ROLE_COORDINATOR:	return "coordinator";
	case ROLE_CHAIR:	return "chair";
	case ROLE_AGENCY:	return "agency";
	}
	return "";
}

static bool
role_parse(const char *s, enum role *out)
{
	static const enum role all[] = { ROLE_ADMIN, ROLE_COORDINATOR,
	    ROLE_CHAIR, ROLE_AGENCY };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, auth_role_name(all[i])) == 0)
			return *out = all[i], true;
	return false;
}

/* "Bearer <token>" with a plausible token, or NULL. */
static const char *
bearer_token(struct http_req *r)
{
	const char *h, *t;

	if (r->ev == NULL)
		return NULL;
	h = evhttp_find_header(evhttp_request_get_input_headers(r->ev),
	    "Authorization");
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	t = h + 7;
	while (*t == ' ')
		t++;
	return token_well_formed(t) ? t : NULL;
}

/* The client's address as a rate-limit key (never 0, a free bucket). */
static long long
address_key(const struct http_req *r)
{
	unsigned long long h = 14695981039346656037ull;	/* FNV-1a */

	for (const char *p = r->peer; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (long long)(h >> 1) | 1;
}

static void
unauthorized(struct http_req *r)
{
	http_reply_error(r, 401, "unauthorized",
	    "a valid bearer token is required (Authorization: Bearer ...)");
}

static void
authenticated(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	struct caller *c = &r->caller;
	char retry[16];
	int wait;

	(void)txn;
	if (res == NULL) {
		http_reply_error(r, 503, "database_unavailable",
		    "the database did not answer; retry");
		return;
	}
	if (!db_ok(res)) {	/* the check itself, or a prefetched subquery */
		api_reply_db_error(r, res);
		return;
	}
	if (PQntuples(res) != 1 || !role_parse(PQgetvalue(res, 0, 1), &c->role)) {
		log_info("http: %s unknown or revoked token from %s", r->id, r->peer);
		ratelimit_take(r->app->authfail, address_key(r));
		unauthorized(r);
		return;
	}
	c->token_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(c->agency, sizeof(c->agency), "%s", PQgetvalue(res, 0, 2));
	snprintf(c->forum, sizeof(c->forum), "%s", PQgetvalue(res, 0, 3));
	snprintf(c->areas, sizeof(c->areas), "%s", PQgetvalue(res, 0, 4));
	if ((c->role & r->roles) == 0) {
		log_info("http: %s token %lld (%s) refused %s", r->id, c->token_id,
		    auth_role_name(c->role), r->path);
		http_reply_error(r, 403, "forbidden",
		    "this token's role may not do this");
		return;
	}
	if ((wait = ratelimit_take(r->app->limiter, c->token_id)) > 0) {
		snprintf(retry, sizeof(retry), "%d", wait);
		http_add_header(r, "Retry-After", retry);
		http_reply_error(r, 429, "too_many_requests",
		    "this token is over its request rate; retry later");
		return;
	}
	log_debug("http: %s token %lld role %s", r->id, c->token_id,
	    auth_role_name(c->role));
	/*
	 * res is freed when this returns, and r may be gone once the handler
	 * has answered: the handler takes prefetched and clears it.
	 */
	r->prefetched = r->pre_sql != NULL ? res : NULL;
	r->handler(r);
}

static void
acquired(struct db_txn *txn, void *arg)
{
	struct http_req *r = arg;
	const char *params[3 + HTTP_PREFETCH_PARAMS], *token;
	char hash[TOKENHASH_HEX], *sql = NULL;

	if (txn == NULL) {
		http_reply_error(r, 503, "database_unavailable",
		    "no database connection is open; retry");
		return;
	}
	r->txn = txn;
	if ((token = bearer_token(r)) == NULL ||	/* the client left meanwhile */
	    tokenhash_hex(token, hash) != 0) {
		unauthorized(r);
		return;
	}
	params[0] = hash;
	params[1] = r->id;
	params[2] = r->peer[0] != '\0' ? r->peer : NULL;
	if (r->pre_sql == NULL) {
		db_query(txn, AUTH_SQL " FROM " AUTH_FROM, 3, params,
		    authenticated, r);
		return;
	}
	/*
	 * A LEFT JOIN with no join clause can only be a nested loop with the
	 * check as its outer side: the subquery runs after the check has set
	 * the caller, once for a valid token and never for a bad one.
	 */
	for (int i = 0; i < r->pre_nparams; i++)
		params[3 + i] = r->pre_params[i];
	if (asprintf(&sql, "%s, p.* FROM %s LEFT JOIN LATERAL (%s) p ON true", AUTH_SQL,
	    AUTH_FROM, r->pre_sql) == -1) {
		http_reply_error(r, 503, "out_of_memory", "try again later");
		return;
	}
	db_query(txn, sql, 3 + r->pre_nparams, params, authenticated, r);
	free(sql);
}

void
auth_request(struct http_req *r)
{
	long long key = address_key(r);
	char retry[16];
	int wait;

	if ((wait = ratelimit_peek(r->app->authfail, key)) > 0) {
		snprintf(retry, sizeof(retry), "%d", wait);
		http_add_header(r, "Retry-After", retry);
		http_reply_error(r, 429, "too_many_failures",
		    "too many failed token checks from this address; retry later");
		return;
	}
	if (bearer_token(r) == NULL) {
		ratelimit_take(r->app->authfail, key);
		unauthorized(r);
		return;
	}
	if (db_acquire(r->app->db, true, acquired, r) != 0)
		http_reply_error(r, 503, "database_unavailable",
		    "no database connection is open; retry");
}

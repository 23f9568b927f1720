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
 *
 * A browser signed in with a named account (api_auth.c) presents instead
 * the session cookie, __Host-maracd_session; the database finds the
 * session the same way (maracd_authenticate_session in
 * sql/012_accounts.sql), and the caller is then the person under the
 * membership the session acts under.  A cookie travels with every request
 * the browser makes, including those another site provokes, so every
 * state-changing request with the cookie must also carry the session's
 * CSRF token (X-CSRF-Token, a synchronizer token the page learnt at
 * sign-in, or a page's form field csrf_token) and an Origin equal to
 * [accounts] public_origin: else 403.  The token is derived from the
 * session id (core/websession.h), so that the pages can render it.
 *
 * Pages (shell/web.c) authenticate by the cookie only: a bearer token
 * is for machines, and a page is for people.
 */
#include "shell/auth.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/ratelimit.h"
#include "shell/config.h"
#include "shell/log.h"
#include "shell/tokenhash.h"
#include "core/token.h"
#include "core/websession.h"
#include "statements/auth.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* A request header, or NULL (also once the client has gone). */
static const char *
header(struct http_req *r, const char *name)
{
	if (r->ev == NULL)
		return NULL;
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

/*
 * The session cookie: OK with its id in out, NO_COOKIE, or BAD (sent but
 * malformed: a browser's request all the same, and refused).
 */
static enum websession_cookie
session_cookie(struct http_req *r, char out[WEBSESSION_ID_LEN + 1])
{
	return websession_cookie_parse(header(r, "Cookie"), out);
}

int
auth_session_cookie_hash(struct http_req *r, char out[TOKENHASH_HEX])
{
	char id[WEBSESSION_ID_LEN + 1];

	return session_cookie(r, id) == WEBSESSION_COOKIE_OK ?
	    tokenhash_hex(id, out) : -1;
}

int
auth_csrf_hash(struct http_req *r, char out[TOKENHASH_HEX])
{
	const char *h = header(r, "X-CSRF-Token");

	if (h == NULL)
		h = r->csrf_form;
	return h != NULL && websession_id_well_formed(h) ? tokenhash_hex(h, out) : -1;
}

int
auth_session_csrf(struct http_req *r, char out[WEBSESSION_ID_LEN + 1])
{
	char id[WEBSESSION_ID_LEN + 1];

	if (session_cookie(r, id) != WEBSESSION_COOKIE_OK)
		return -1;
	websession_csrf_derive(id, out);
	return 0;
}

bool
auth_has_session_cookie(struct http_req *r)
{
	char id[WEBSESSION_ID_LEN + 1];

	return session_cookie(r, id) != WEBSESSION_NO_COOKIE;
}

bool
auth_origin_ok(struct http_req *r)
{
	return websession_origin_ok(header(r, "Origin"),
	    r->app->cfg->accounts.public_origin);
}

bool
auth_origin_foreign(struct http_req *r)
{
	return header(r, "Origin") != NULL && !auth_origin_ok(r);
}

void
auth_set_session_cookie(struct http_req *r, const char *id)
{
	char v[WEBSESSION_SET_COOKIE_MAX];

	websession_set_cookie(id, v);
	http_add_header(r, "Set-Cookie", v);
}

void
auth_clear_session_cookie(struct http_req *r)
{
	char v[WEBSESSION_SET_COOKIE_MAX];

	websession_clear_cookie(v);
	http_add_header(r, "Set-Cookie", v);
}

void
auth_reply_csrf(struct http_req *r)
{
	http_reply_error(r, 403, "csrf", "a change made with a session cookie needs "
	    "the session's X-CSRF-Token and this service's own Origin");
}

/* Reads only: the methods a cross-site request may make without a token. */
static bool
safe_method(const struct http_req *r)
{
	return r->method == HTTP_GET;
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
	    "a valid bearer token (Authorization: Bearer ...) or a signed-in "
	    "session is required");
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
		log_info("http: %s unknown, revoked or expired %s from %s", r->id,
		    r->session ? "session" : "token", r->peer);
		ratelimit_take(r->app->authfail, address_key(r));
		unauthorized(r);
		return;
	}
	c->token_id = PQgetisnull(res, 0, 0) ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	c->user_id = 0;
	if (r->session) {
		c->user_id = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
		if (!safe_method(r) && strcmp(PQgetvalue(res, 0, 6), "t") != 0) {
			log_info("http: %s user %lld: no CSRF token for %s", r->id,
			    c->user_id, r->path);
			auth_reply_csrf(r);
			return;
		}
	}
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
	/* A person's budget is their own; ids of users are kept apart from tokens'. */
	if ((wait = ratelimit_take(r->app->limiter, c->user_id != 0 ?
	    -c->user_id : c->token_id)) > 0) {
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

/* "session-hash csrf-hash|- idle-seconds": AUTH_SQL_SESSION_FROM's $1. */
static int
session_params(struct http_req *r, char out[2 * TOKENHASH_HEX + 16])
{
	char sh[TOKENHASH_HEX], ch[TOKENHASH_HEX];

	if (auth_session_cookie_hash(r, sh) != 0)
		return -1;
	if (auth_csrf_hash(r, ch) != 0)
		strcpy(ch, "-");
	snprintf(out, 2 * TOKENHASH_HEX + 16, "%s %s %d", sh, ch,
	    r->app->cfg->accounts.idle_timeout);
	return 0;
}

static void
acquired(struct db_txn *txn, void *arg)
{
	struct http_req *r = arg;
	const char *params[3 + HTTP_PREFETCH_PARAMS], *token;
	char hash[TOKENHASH_HEX], packed[2 * TOKENHASH_HEX + 16], *sql = NULL;

	if (txn == NULL) {
		http_reply_error(r, 503, "database_unavailable",
		    "no database connection is open; retry");
		return;
	}
	r->txn = txn;
	if (r->session) {
		if (session_params(r, packed) != 0) {	/* the client left meanwhile */
			unauthorized(r);
			return;
		}
		params[0] = packed;
	} else if ((token = bearer_token(r)) == NULL ||
	    tokenhash_hex(token, hash) != 0) {
		unauthorized(r);
		return;
	} else
		params[0] = hash;
	params[1] = r->id;
	params[2] = r->peer[0] != '\0' ? r->peer : NULL;
	if (r->pre_sql == NULL) {
		db_query(txn, r->session ?
		    AUTH_SQL_SESSION_COLUMNS " FROM " AUTH_SQL_SESSION_FROM :
		    AUTH_SQL_COLUMNS " FROM " AUTH_SQL_FROM, 3, params, authenticated, r);
		return;
	}
	/*
	 * A LEFT JOIN with no join clause can only be a nested loop with the
	 * check as its outer side: the subquery runs after the check has set
	 * the caller, once for a valid token and never for a bad one.
	 */
	for (int i = 0; i < r->pre_nparams; i++)
		params[3 + i] = r->pre_params[i];
	if (asprintf(&sql, "%s, p.* FROM %s LEFT JOIN LATERAL (%s) p ON true",
	    r->session ? AUTH_SQL_SESSION_COLUMNS : AUTH_SQL_COLUMNS,
	    r->session ? AUTH_SQL_SESSION_FROM : AUTH_SQL_FROM, r->pre_sql) == -1) {
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
	/* A page request (r->page set by http.c) ignores a bearer token. */
	if (r->page != NULL || bearer_token(r) == NULL) {
		char id[WEBSESSION_ID_LEN + 1];

		if (session_cookie(r, id) != WEBSESSION_COOKIE_OK) {
			ratelimit_take(r->app->authfail, key);
			unauthorized(r);
			return;
		}
		r->session = true;
		/* Another site can make the browser send the cookie; not the Origin. */
		if (!safe_method(r) && !auth_origin_ok(r)) {
			auth_reply_csrf(r);
			return;
		}
	}
	if (db_acquire(r->app->db, true, acquired, r) != 0)
		http_reply_error(r, 503, "database_unavailable",
		    "no database connection is open; retry");
}

/*
 * Signing in, and the one-time links that come before it (maracd(8),
 * ACCOUNTS): POST /v1/auth/signin, /v1/auth/totp, /v1/auth/signout[-
 * everywhere], the invitation, TOTP enrolment and password reset.
 *
 * The database decides every step (sql/012_accounts.sql); maracd does
 * what the database cannot: Argon2id (hashpool, off the event loop, so a
 * burst of sign-ins never stalls other requests), TOTP codes (core/totp)
 * and the random ids of sessions and links, and the sessions' CSRF
 * tokens (derived from their ids), of which the database keeps only
 * SHA-256 hashes (tokenhash.h).
 *
 * The pages (shell/web_account.c) call these same handlers with a form
 * decoded into the JSON body, and render their answers.
 *
 * None of these routes takes a token: each finds its own footing (a
 * recorded attempt, a half-signed-in session, a link) and opens its own
 * transaction.
 */
#include "shell/api.h"
#include "shell/accountlink.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/auth.h"
#include "shell/db.h"
#include "shell/hashpool.h"
#include "shell/clock.h"
#include "shell/config.h"
#include "shell/log.h"
#include "shell/tokenhash.h"
#include "core/buf.h"
#include "core/jsonfield.h"
#include "core/password.h"
#include "core/qrsvg.h"
#include "core/recovery.h"
#include "core/token.h"
#include "core/totp.h"
#include "core/websession.h"
#include "statements/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMAIL_MAX	254
#define PASSWORD_MAX	1024	/* bytes: bounds what Argon2id is given */

/*
 * A fresh random secret and its SHA-256: a session id or CSRF token
 * (core/websession.h), or a link's token (core/token.h's shape, as
 * maracctl makes them).
 */
struct secret {
	char	token[TOKEN_LEN + 1];
	char	hash[TOKENHASH_HEX];
};

static int
secret_make(struct secret *s, bool link)
{
	unsigned char rnd[WEBSESSION_RANDOM_BYTES];

	randombytes_buf(rnd, sizeof(rnd));
	if (link)
		token_format(rnd, s->token);
	else
		websession_id_format(rnd, s->token);
	sodium_memzero(rnd, sizeof(rnd));
	return tokenhash_hex(s->token, s->hash);
}

static int
secret_new(struct secret *s)
{
	return secret_make(s, false);
}

/* Ten recovery codes (core/recovery.h: 80 bits each) and their hashes. */
struct recovery {
	char	code[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	char	hash[RECOVERY_CODES][RECOVERY_HASH_HEX];
};

/* A request's state across the hash pool and the database. */
struct flow {
	struct http_req	*r;
	char		*email;
	char		*password;
	char		*link;		/* the path's link token */
	char		 cookie_hash[TOKENHASH_HEX];	/* "" without a cookie */
	char		 csrf_hash[TOKENHASH_HEX];	/* "" without the header */
	char		*code;
	bool		 recovery;
	bool		 password_ok;
	long long	 attempt;
	int		 wait;		/* seconds a throttled attempt waits */
	char		*encoded;	/* the Argon2id hash made or stored */
	struct recovery	*codes;		/* made at enrolment, shown once */
	struct secret	 session, csrf;
};

/*
 * A new session id and its CSRF token, derived from it (core/websession.h)
 * so that a page can put the token into its forms.
 */
static int
session_new(struct flow *f)
{
	if (secret_new(&f->session) != 0)
		return -1;
	websession_csrf_derive(f->session.token, f->csrf.token);
	return tokenhash_hex(f->csrf.token, f->csrf.hash);
}

static void
flow_free(void *arg)
{
	struct flow *f = arg;

	if (f->password != NULL) {
		sodium_memzero(f->password, strlen(f->password));
		free(f->password);
	}
	free(f->email);
	free(f->link);
	free(f->code);
	free(f->encoded);
	if (f->codes != NULL) {
		sodium_memzero(f->codes, sizeof(*f->codes));
		free(f->codes);
	}
	sodium_memzero(f, sizeof(*f));
	free(f);
}

/* The request's flow, freed with the request. */
static struct flow *
flow_new(struct http_req *r)
{
	struct flow *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return NULL;
	}
	f->r = r;
	r->pre = f;
	r->pre_free = flow_free;
	/*
	 * No other site's page may sign a browser in (into the attacker's
	 * account), set its password or enrol its key: a browser's request
	 * says where it comes from.  A client that is no browser sends no
	 * Origin.
	 */
	if (r->method != HTTP_GET && auth_origin_foreign(r)) {
		auth_reply_csrf(r);
		return NULL;
	}
	if (r->nparams > 0 && (f->link = strdup(r->params[0])) == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return NULL;
	}
	if (auth_session_cookie_hash(r, f->cookie_hash) != 0)
		f->cookie_hash[0] = '\0';
	if (auth_csrf_hash(r, f->csrf_hash) != 0)
		f->csrf_hash[0] = '\0';
	return f;
}

/* Did the statement fail?  Then the answer has been given. */
static bool
flow_failed(struct flow *f, const PGresult *res)
{
	if (db_ok(res))
		return false;
	api_reply_db_error(f->r, res);
	return true;
}

/*
 * Commit what the transaction recorded although the answer may be a
 * refusal (a failed attempt must count), and only then go on in next: the
 * next step's transaction, on another connection, must see the attempt,
 * and a client told "refused" must find the refusal counted.
 */
static void
flow_commit_then(struct flow *f, db_done_cb next)
{
	struct db_txn *txn = f->r->txn;

	f->r->txn = NULL;
	db_finish(txn, true, next, f);
}

/* The commit of a recorded attempt failed: nothing was counted. */
static bool
flow_uncommitted(struct flow *f, bool ok)
{
	if (ok)
		return false;
	http_reply_error(f->r, 503, "database_unavailable",
	    "the attempt could not be recorded; retry");
	return true;
}

static void
busy(struct http_req *r)
{
	http_reply_error(r, 503, "busy", "maracd is busy; retry");
}

/* Open the flow's transaction and go on in next. */
static void
flow_begin(struct flow *f, db_acquire_cb next)
{
	if (db_acquire(f->r->app->db, true, next, f) != 0)
		http_reply_error(f->r, 503, "database_unavailable",
		    "no database connection is open; retry");
}

/* Common to every acquired callback: the transaction, or the answer. */
static bool
flow_txn(struct flow *f, struct db_txn *txn)
{
	if (txn == NULL) {
		http_reply_error(f->r, 503, "database_unavailable",
		    "no database connection is open; retry");
		return false;
	}
	f->r->txn = txn;
	return true;
}

/* The body's string fields; false after answering 400/422. */
static bool
body_strings(struct http_req *r, const char *const known[], const char *names[],
    char **out[], const size_t max[], int n, int required)
{
	struct field_errors errs;
	cJSON *b = api_body_json(r);

	if (b == NULL)
		return false;
	field_errors_init(&errs);
	if (!cJSON_IsObject(b))
		field_errors_add(&errs, "$", "must be an object");
	else {
		jsonfield_members(b, "", known, &errs);
		for (int i = 0; i < n; i++)
			jsonfield_string(b, "", names[i], (required & (1 << i)) ?
			    JSONFIELD_REQUIRED : 0, max[i], out[i], &errs);
	}
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return false;
	}
	return true;
}

/*
 * A signed-in session starts: its cookie, and its CSRF token in the body
 * (the one place a page's script or form can learn it).
 */
static void
reply_session(struct flow *f, int status, cJSON *o)
{
	auth_set_session_cookie(f->r, f->session.token);
	cJSON_AddStringToObject(o, "csrf_token", f->csrf.token);
	http_reply_commit(f->r, status, o);
}

/*
 * POST /v1/auth/signin {email, password}.  One answer for every wrong
 * pair, known address or not, after the same Argon2id work.
 */
static void
signin_failed(struct http_req *r)
{
	http_reply_error(r, 401, "signin_failed",
	    "the email address or the password is wrong");
}

static void
signin_refused(bool ok, void *arg)
{
	struct flow *f = arg;

	if (flow_uncommitted(f, ok))
		return;
	log_info("http: %s sign-in refused from %s", f->r->id, f->r->peer);
	signin_failed(f->r);
}

static void
signin_recorded(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		/* The failure counts against the account: it is kept. */
		flow_commit_then(f, signin_refused);
		return;
	}
	log_info("http: %s password accepted from %s; second factor awaited",
	    f->r->id, f->r->peer);
	auth_set_session_cookie(f->r, f->session.token);
	http_reply_commit(f->r, 200, cJSON_Parse("{\"second_factor\":\"totp\"}"));
}

static void
signin_verdict_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	char attempt[24];
	const char *p[3];

	if (!flow_txn(f, txn))
		return;
	snprintf(attempt, sizeof(attempt), "%lld", f->attempt);
	p[0] = attempt;
	p[1] = f->password_ok ? "t" : "f";
	p[2] = f->session.hash;
	db_query(txn, ACCOUNTS_SQL_SIGNIN_PASSWORD, 3, p, signin_recorded, f);
}

static void
signin_hashed(int ok, const char *result, void *arg)
{
	struct flow *f = arg;

	(void)result;
	f->password_ok = ok == 1;
	if (secret_new(&f->session) != 0) {
		busy(f->r);
		return;
	}
	flow_begin(f, signin_verdict_acquired);
}

/* The attempt is committed: wait if throttled, else check the password. */
static void
signin_attempt_kept(bool ok, void *arg)
{
	struct flow *f = arg;
	struct app *app = f->r->app;
	char retry[16];
	int rc;

	if (flow_uncommitted(f, ok))
		return;
	if (f->wait > 0) {
		snprintf(retry, sizeof(retry), "%d", f->wait);
		http_add_header(f->r, "Retry-After", retry);
		http_reply_error(f->r, 429, "too_many_attempts",
		    "too many failed sign-ins for this account or from this address; "
		    "retry later");
		return;
	}
	if (f->encoded == NULL)
		rc = hashpool_verify_dummy(app->hashpool, f->password, signin_hashed, f);
	else
		rc = hashpool_verify(app->hashpool, f->encoded, f->password,
		    signin_hashed, f);
	if (rc != 0)
		busy(f->r);
}

static void
signin_begun(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		api_reply_db_error(f->r, res);
		return;
	}
	f->attempt = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	f->wait = atoi(PQgetvalue(res, 0, 2));
	if (!PQgetisnull(res, 0, 1) &&
	    (f->encoded = strdup(PQgetvalue(res, 0, 1))) == NULL) {
		busy(f->r);
		return;
	}
	/* The attempt is recorded whatever happens next. */
	flow_commit_then(f, signin_attempt_kept);
}

static void
signin_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	struct config *cfg = f->r->app->cfg;
	char fails[16], lock[16];
	const char *p[5];

	if (!flow_txn(f, txn))
		return;
	snprintf(fails, sizeof(fails), "%d", cfg->accounts.signin_failures_before_lock);
	snprintf(lock, sizeof(lock), "%d", cfg->accounts.lock_minutes);
	p[0] = f->email;
	p[1] = f->r->peer[0] != '\0' ? f->r->peer : NULL;
	p[2] = f->r->id;
	p[3] = fails;
	p[4] = lock;
	db_query(txn, ACCOUNTS_SQL_SIGNIN_BEGIN, 5, p, signin_begun, f);
}

void
api_auth_signin(struct http_req *r)
{
	static const char *const known[] = { "email", "password", NULL };
	static const char *names[] = { "email", "password" };
	static const size_t max[] = { EMAIL_MAX, PASSWORD_MAX };
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	if (!body_strings(r, known, names, (char **[]){ &f->email, &f->password },
	    max, 2, 3))
		return;
	flow_begin(f, signin_acquired);
}

/*
 * POST /v1/auth/totp {code} or {recovery_code}: the second step, with the
 * cookie of the first.  The session gets a new id.
 */
static void
second_refused(bool ok, void *arg)
{
	struct flow *f = arg;

	if (flow_uncommitted(f, ok))
		return;
	log_info("http: %s second factor refused from %s", f->r->id, f->r->peer);
	http_reply_error(f->r, 401, "second_factor_failed",
	    "the code is wrong, used already, or the sign-in has expired; "
	    "sign in again if it keeps failing");
}

static void
second_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	cJSON *o;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (PQgetisnull(res, 0, 0)) {
		/* A wrong code is recorded against the account: commit that. */
		flow_commit_then(f, second_refused);
		return;
	}
	log_info("http: %s user %s signed in from %s", f->r->id,
	    PQgetvalue(res, 0, 0), f->r->peer);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "user_id", atof(PQgetvalue(res, 0, 0)));
	reply_session(f, 200, o);
}


static void
second_key(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	struct config *cfg = f->r->app->cfg;
	unsigned char secret[64];
	char stepbuf[24], rhash[RECOVERY_HASH_HEX], abs[16];
	const char *p[7];
	uint64_t step = 0;
	size_t len;
	unsigned char *raw;

	if (flow_failed(f, res))
		return;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		http_reply_error(f->r, 401, "second_factor_failed",
		    "no sign-in is waiting for a code (it lasts five minutes); sign in again");
		return;
	}
	p[1] = NULL;
	p[2] = NULL;
	if (f->recovery) {
		if (recovery_code_hash(f->code, rhash))
			p[2] = rhash;
	} else {
		raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), &len);
		if (raw != NULL && len <= sizeof(secret)) {
			memcpy(secret, raw, len);
			if (totp_verify(secret, len, (int64_t)clock_time(), f->code,
			    strtoull(PQgetvalue(res, 0, 2), NULL, 10), &step) == TOTP_OK) {
				snprintf(stepbuf, sizeof(stepbuf), "%llu",
				    (unsigned long long)step);
				p[1] = stepbuf;
			}
			sodium_memzero(secret, sizeof(secret));
		}
		if (raw != NULL) {
			sodium_memzero(raw, len);
			PQfreemem(raw);
		}
	}
	if (session_new(f) != 0) {
		busy(f->r);
		return;
	}
	snprintf(abs, sizeof(abs), "%d", cfg->accounts.absolute_lifetime);
	p[0] = f->cookie_hash;
	p[3] = f->session.hash;
	p[4] = f->csrf.hash;
	p[5] = abs;
	p[6] = f->r->id;
	db_query(txn, ACCOUNTS_SQL_SIGNIN_SECOND, 7, p, second_done, f);
}

static void
second_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	const char *p[1];

	if (!flow_txn(f, txn))
		return;
	p[0] = f->cookie_hash;
	db_query(txn, ACCOUNTS_SQL_SIGNIN_KEY, 1, p, second_key, f);
}

void
api_auth_totp(struct http_req *r)
{
	static const char *const known[] = { "code", "recovery_code", NULL };
	static const char *names[] = { "code", "recovery_code" };
	static const size_t max[] = { 16, 40 };
	char *rc = NULL;
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	if (!body_strings(r, known, names, (char **[]){ &f->code, &rc }, max, 2, 0))
		return;
	if (rc != NULL) {
		free(f->code);
		f->code = rc;
		f->recovery = true;
	}
	if (f->code == NULL) {
		api_reply_field(r, "code", "a code from the authenticator app, or "
		    "recovery_code, is required");
		return;
	}
	if (f->cookie_hash[0] == '\0' || !auth_origin_ok(r)) {
		http_reply_error(r, 401, "second_factor_failed",
		    "no sign-in is waiting for a code; sign in first");
		return;
	}
	flow_begin(f, second_acquired);
}

/* POST /v1/auth/signout and /v1/auth/signout-everywhere (signed in). */
static void
signed_out(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;

	(void)txn;
	if (db_ok(res))
		auth_clear_session_cookie(r);
	api_reply_member(r, res, "sessions_ended");
}

void
api_auth_signout(struct http_req *r)
{
	db_query(r->txn, ACCOUNTS_SQL_SIGNOUT, 0, NULL, signed_out, r);
}

void
api_auth_signout_everywhere(struct http_req *r)
{
	db_query(r->txn, ACCOUNTS_SQL_SIGNOUT_ALL, 0, NULL, signed_out, r);
}

/*
 * POST /v1/auth/membership {membership}: a person with several roles acts
 * under another (whoami lists them).  A change of privilege, so the
 * session gets a new id and CSRF token.
 */
static void
membership_switched(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	cJSON *o;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (PQgetisnull(res, 0, 0)) {
		api_reply_field(f->r, "membership", "not one of this person's memberships");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "role", PQgetvalue(res, 0, 0));
	reply_session(f, 200, o);
}

void
api_auth_membership(struct http_req *r)
{
	static const char *const known[] = { "membership", NULL };
	struct field_errors errs;
	struct flow *f;
	char id[24];
	const char *p[3];
	int m = 0;
	cJSON *b;

	if (r->caller.user_id == 0) {
		http_reply_error(r, 403, "forbidden", "a token has one role; memberships "
		    "are a signed-in person's");
		return;
	}
	if ((f = flow_new(r)) == NULL || (b = api_body_json(r)) == NULL)
		return;
	field_errors_init(&errs);
	jsonfield_members(b, "", known, &errs);
	jsonfield_int(b, "", "membership", JSONFIELD_REQUIRED, 1, 2000000000, &m, &errs);
	cJSON_Delete(b);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	if (session_new(f) != 0) {
		busy(r);
		return;
	}
	snprintf(id, sizeof(id), "%d", m);
	p[0] = id;
	p[1] = f->session.hash;
	p[2] = f->csrf.hash;
	db_query(r->txn, ACCOUNTS_SQL_SWITCH_MEMBERSHIP, 3, p,
	    membership_switched, f);
}

/*
 * The password rule (NCSC, NIST SP 800-63B): long enough, not on the
 * deployment's breached list, nothing else.  False after answering 422.
 */
static bool
password_acceptable(struct http_req *r, const char *pw)
{
	enum password_verdict v = password_check(pw, r->app->breached);

	switch (v) {
	case PASSWORD_OK:
		return true;
	case PASSWORD_TOO_SHORT:
		api_reply_field(r, "password", "too_short: at least 12 characters "
		    "(a few unrelated words make a good one)");
		return false;
	case PASSWORD_BREACHED:
		api_reply_field(r, "password", "breached: this password is on a list "
		    "of passwords known to attackers; choose another");
		return false;
	default:
		api_reply_field(r, "password", password_verdict_name(v));
		return false;
	}
}

/* GET /v1/auth/invitations/{token}: whose invitation this is. */
static void
invitation_found(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;

	(void)txn;
	api_reply_doc(f->r, res, 200, "this invitation is unknown, used or expired; "
	    "ask for a new one");
}

static void
invitation_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	const char *p[1] = { f->link };

	if (!flow_txn(f, txn))
		return;
	db_query(txn, ACCOUNTS_SQL_INVITATION, 1, p, invitation_found, f);
}

void
api_auth_invitation_get(struct http_req *r)
{
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	flow_begin(f, invitation_acquired);
}

/*
 * POST /v1/auth/invitations/{token} {password}: the password is set, a
 * TOTP key made, and an enrolling session starts (GET /v1/auth/enrol).
 */
static void
invitation_accepted(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	cJSON *o;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (PQgetisnull(res, 0, 0)) {
		http_reply_error(f->r, 404, "not_found", "this invitation is unknown, "
		    "used or expired; ask for a new one");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "next", "/v1/auth/enrol");
	reply_session(f, 200, o);
}

static void
invitation_accept_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	unsigned char secret[TOTP_SECRET_BYTES];
	char hex[2 * TOTP_SECRET_BYTES + 1];
	const char *p[6];

	if (!flow_txn(f, txn))
		return;
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	sodium_memzero(secret, sizeof(secret));
	p[0] = f->link;
	p[1] = f->encoded;
	p[2] = hex;
	p[3] = f->session.hash;
	p[4] = f->csrf.hash;
	p[5] = f->r->peer[0] != '\0' ? f->r->peer : NULL;
	db_query(txn, ACCOUNTS_SQL_INVITATION_ACCEPT, 6, p, invitation_accepted, f);
	sodium_memzero(hex, sizeof(hex));
}

/* After hashing a new password: on to next with f->encoded set. */
static void
password_hashed(struct flow *f, int ok, const char *result, db_acquire_cb next)
{
	if (!ok || result == NULL || (f->encoded = strdup(result)) == NULL ||
	    session_new(f) != 0) {
		busy(f->r);
		return;
	}
	flow_begin(f, next);
}

static void
invitation_hashed(int ok, const char *result, void *arg)
{
	password_hashed(arg, ok, result, invitation_accept_acquired);
}

/* Read {password}, check the rule and hash it; then cb. */
static void
new_password(struct http_req *r, hashpool_cb cb)
{
	static const char *const known[] = { "password", NULL };
	static const char *names[] = { "password" };
	static const size_t max[] = { PASSWORD_MAX };
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	if (!body_strings(r, known, names, (char **[]){ &f->password }, max, 1, 1) ||
	    !password_acceptable(r, f->password))
		return;
	if (hashpool_hash(r->app->hashpool, f->password, cb, f) != 0)
		busy(r);
}

void
api_auth_invitation_accept(struct http_req *r)
{
	new_password(r, invitation_hashed);
}

/*
 * GET /v1/auth/enrol: the key to enrol, as an otpauth:// URI, as text to
 * type and as a QR code (SVG), for the session an invitation started.
 */
static void
enrol_shown(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	unsigned char secret[TOTP_SECRET_BYTES];
	char key[TOTP_KEY_LEN + 1];
	struct buf uri, svg;
	unsigned char *raw;
	size_t len = 0;
	cJSON *o;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (PQntuples(res) != 1) {
		http_reply_error(f->r, 401, "unauthorized", "no enrolment is under way "
		    "for this browser; open the invitation link again");
		return;
	}
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 2), &len);
	if (raw == NULL || len != TOTP_SECRET_BYTES) {
		if (raw != NULL)
			PQfreemem(raw);
		busy(f->r);
		return;
	}
	memcpy(secret, raw, len);
	sodium_memzero(raw, len);
	PQfreemem(raw);
	buf_init(&uri);
	buf_init(&svg);
	totp_key_encode(secret, key);
	if (!totp_uri(&uri, "MARAC", PQgetvalue(res, 0, 1), secret) ||
	    !qrsvg_render(&svg, buf_str(&uri), "Scan with the authenticator app", NULL) ||
	    buf_failed(&uri) || buf_failed(&svg)) {
		sodium_memzero(secret, sizeof(secret));
		buf_free(&uri);
		buf_free(&svg);
		busy(f->r);
		return;
	}
	sodium_memzero(secret, sizeof(secret));
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "otpauth_uri", buf_str(&uri));
	cJSON_AddStringToObject(o, "key", key);
	cJSON_AddStringToObject(o, "qr_svg", buf_str(&svg));
	buf_free(&uri);
	buf_free(&svg);
	http_reply_commit(f->r, 200, o);
}

static void
enrol_show_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	const char *p[1] = { f->cookie_hash };

	if (!flow_txn(f, txn))
		return;
	db_query(txn, ACCOUNTS_SQL_ENROL_KEY, 1, p, enrol_shown, f);
}

void
api_auth_enrol_get(struct http_req *r)
{
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	if (f->cookie_hash[0] == '\0') {
		http_reply_error(r, 401, "unauthorized", "no enrolment is under way "
		    "for this browser; open the invitation link again");
		return;
	}
	flow_begin(f, enrol_show_acquired);
}

/*
 * POST /v1/auth/enrol {code}: the first code from the app proves the key
 * is in it.  The account is active, ten recovery codes are shown (once:
 * only their hashes are kept), and the session is signed in under a new
 * id.
 */

static int
recovery_new(struct recovery *rc)
{
	unsigned char rnd[RECOVERY_RANDOM_BYTES];

	for (int i = 0; i < RECOVERY_CODES; i++) {
		randombytes_buf(rnd, sizeof(rnd));
		recovery_code_format(rnd, rc->code[i]);
		if (!recovery_code_hash(rc->code[i], rc->hash[i]))
			return -1;
	}
	sodium_memzero(rnd, sizeof(rnd));
	return 0;
}

static void
enrolled(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	struct recovery *rc = f->codes;
	cJSON *o, *list;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (PQgetisnull(res, 0, 0)) {
		http_reply_error(f->r, 401, "unauthorized", "no enrolment is under way "
		    "for this browser; open the invitation link again");
		return;
	}
	log_info("http: %s user %s enrolled a second factor", f->r->id,
	    PQgetvalue(res, 0, 0));
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "user_id", atof(PQgetvalue(res, 0, 0)));
	list = cJSON_AddArrayToObject(o, "recovery_codes");
	for (int i = 0; i < RECOVERY_CODES; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(rc->code[i]));
	reply_session(f, 200, o);
}

static void
enrol_check(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;
	struct config *cfg = f->r->app->cfg;
	struct recovery *rc;
	unsigned char *raw;
	uint64_t step = 0;
	size_t len = 0;
	enum totp_result v = TOTP_WRONG;
	char stepbuf[24], abs[16];
	const char *arr;
	const char *p[6];
	struct buf b;

	if (flow_failed(f, res))
		return;
	if (PQntuples(res) != 1) {
		http_reply_error(f->r, 401, "unauthorized", "no enrolment is under way "
		    "for this browser; open the invitation link again");
		return;
	}
	if (strcmp(PQgetvalue(res, 0, 3), "t") != 0) {
		auth_reply_csrf(f->r);
		return;
	}
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 2), &len);
	if (raw != NULL) {
		v = totp_verify(raw, len, (int64_t)clock_time(), f->code, 0, &step);
		sodium_memzero(raw, len);
		PQfreemem(raw);
	}
	if (v != TOTP_OK) {
		api_reply_field(f->r, "code", "the code does not match the key: check "
		    "the phone's clock and try the next code");
		return;
	}
	if ((rc = calloc(1, sizeof(*rc))) == NULL || recovery_new(rc) != 0 ||
	    session_new(f) != 0) {
		free(rc);
		busy(f->r);
		return;
	}
	f->codes = rc;
	buf_init(&b);
	buf_puts(&b, "{");
	for (int i = 0; i < RECOVERY_CODES; i++) {
		buf_puts(&b, i ? "," : "");
		buf_puts(&b, rc->hash[i]);
	}
	buf_puts(&b, "}");
	arr = buf_str(&b);
	snprintf(stepbuf, sizeof(stepbuf), "%llu", (unsigned long long)step);
	snprintf(abs, sizeof(abs), "%d", cfg->accounts.absolute_lifetime);
	p[0] = f->cookie_hash;
	p[1] = stepbuf;
	p[2] = arr;
	p[3] = f->session.hash;
	p[4] = f->csrf.hash;
	p[5] = abs;
	db_query(txn, ACCOUNTS_SQL_ENROL_FINISH, 6, p, enrolled, f);
	buf_free(&b);
}

static void
enrol_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	const char *p[2] = { f->cookie_hash, f->csrf_hash[0] != '\0' ? f->csrf_hash : NULL };

	if (!flow_txn(f, txn))
		return;
	db_query(txn, ACCOUNTS_SQL_ENROL_KEY_CSRF, 2, p, enrol_check, f);
}

void
api_auth_enrol(struct http_req *r)
{
	static const char *const known[] = { "code", NULL };
	static const char *names[] = { "code" };
	static const size_t max[] = { 16 };
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	if (!body_strings(r, known, names, (char **[]){ &f->code }, max, 1, 1))
		return;
	if (f->cookie_hash[0] == '\0') {
		http_reply_error(r, 401, "unauthorized", "no enrolment is under way "
		    "for this browser; open the invitation link again");
		return;
	}
	if (!auth_origin_ok(r)) {
		auth_reply_csrf(r);
		return;
	}
	flow_begin(f, enrol_acquired);
}

/*
 * POST /v1/auth/reset {email}: 202 whatever the address, so that nobody
 * learns from it who has an account; the mail goes only to an active one.
 */
static void
reset_requested(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;

	(void)txn;
	if (flow_failed(f, res))
		return;
	http_reply_commit(f->r, 202, cJSON_Parse("{\"status\":\"if the address has an "
	    "account, a link to reset its password has been sent to it\"}"));
}

static void
reset_request_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	struct accountlink l;	/* its token is the session's */
	const char *p[4];

	if (!flow_txn(f, txn))
		return;
	accountlink_settings(&l, f->r->app->cfg);
	p[0] = f->email;
	p[1] = f->session.token;
	p[2] = l.origin;
	p[3] = l.hours;
	db_query(txn, ACCOUNTS_SQL_RESET_REQUEST, 4, p, reset_requested, f);
}

void
api_auth_reset_request(struct http_req *r)
{
	static const char *const known[] = { "email", NULL };
	static const char *names[] = { "email" };
	static const size_t max[] = { EMAIL_MAX };
	struct flow *f;

	if ((f = flow_new(r)) == NULL)
		return;
	if (!body_strings(r, known, names, (char **[]){ &f->email }, max, 1, 1))
		return;
	/* The link's token: made here, mailed by the database, kept hashed. */
	if (secret_make(&f->session, true) != 0) {
		busy(r);
		return;
	}
	flow_begin(f, reset_request_acquired);
}

/* POST /v1/auth/reset/{token} {password}: every session of the account ends. */
static void
reset_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct flow *f = arg;

	(void)txn;
	if (flow_failed(f, res))
		return;
	if (PQgetisnull(res, 0, 0)) {
		http_reply_error(f->r, 404, "not_found", "this link is unknown, used or "
		    "expired; ask for a new one");
		return;
	}
	http_reply_commit(f->r, 200, cJSON_Parse("{\"status\":\"the password is "
	    "changed; sign in with it\"}"));
}

static void
reset_acquired(struct db_txn *txn, void *arg)
{
	struct flow *f = arg;
	const char *p[2] = { f->link, f->encoded };

	if (!flow_txn(f, txn))
		return;
	db_query(txn, ACCOUNTS_SQL_RESET_FINISH, 2, p, reset_done, f);
}

static void
reset_hashed(int ok, const char *result, void *arg)
{
	password_hashed(arg, ok, result, reset_acquired);
}

void
api_auth_reset(struct http_req *r)
{
	new_password(r, reset_hashed);
}

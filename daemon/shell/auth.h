/*
 * Bearer-token authentication.  The database checks the token (it keeps
 * only hashes) inside the request's transaction and, in the same step,
 * tells row-level security who the caller is; the handler then runs in
 * that transaction.
 */
#ifndef MARACD_AUTH_H
#define MARACD_AUTH_H

#include "shell/http.h"

/* Authenticate r against r->roles, then call r->handler (or answer). */
void	auth_request(struct http_req *r);
const char *auth_role_name(enum role role);

/*
 * Browser sessions (api_auth.c makes them): the SHA-256 of the session
 * cookie's value, or of the request's CSRF token (the X-CSRF-Token
 * header, else a form's csrf_token field: r->csrf_form), into out (0), or
 * -1 when the request has none of the right shape.
 */
int	auth_session_cookie_hash(struct http_req *r, char out[65]);
int	auth_csrf_hash(struct http_req *r, char out[65]);
/*
 * The CSRF token of the request's session (derived from the cookie,
 * core/websession.h), for a page's forms: 0, or -1 without a cookie.
 */
int	auth_session_csrf(struct http_req *r, char out[44]);
/* The request carries the session cookie, well formed or not. */
bool	auth_has_session_cookie(struct http_req *r);
/* The Origin header is [accounts] public_origin (never when that is ""). */
bool	auth_origin_ok(struct http_req *r);
/* The request has an Origin, and it is not public_origin's. */
bool	auth_origin_foreign(struct http_req *r);
/* Set-Cookie for a new session id, or to forget it. */
void	auth_set_session_cookie(struct http_req *r, const char *token);
void	auth_clear_session_cookie(struct http_req *r);
/* 403 csrf. */
void	auth_reply_csrf(struct http_req *r);

#endif

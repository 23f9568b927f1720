/*
 * Browser sessions, the parts that are pure text and arithmetic: the
 * session cookie (parsed from a Cookie header, formatted for Set-Cookie),
 * the form of session ids and CSRF tokens, the Origin check, a
 * constant-time compare for CSRF tokens, and when a session has expired.
 *
 * The cookie is "__Host-maracd_session": the __Host- prefix makes a
 * browser refuse it unless it is Secure, has Path=/ and no Domain, so no
 * other host (a sibling subdomain) can set or shadow it.  HttpOnly keeps
 * it from scripts; SameSite=Strict keeps it off requests started by other
 * sites.  It has no Max-Age: it dies with the browser, and the server ends
 * the session earlier still (idle timeout, absolute lifetime).
 */
#ifndef MARACD_CORE_WEBSESSION_H
#define MARACD_CORE_WEBSESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEBSESSION_COOKIE	"__Host-maracd_session"
#define WEBSESSION_RANDOM_BYTES	32	/* 256 bits */
#define WEBSESSION_ID_LEN	43	/* unpadded base64url of 32 bytes */
/* Room for either Set-Cookie value below and its NUL. */
#define WEBSESSION_SET_COOKIE_MAX 192

/*
 * The text of a session id or CSRF token made of 32 random bytes (the
 * shell's randombytes_buf): unpadded base64url, WEBSESSION_ID_LEN
 * characters; out has WEBSESSION_ID_LEN + 1 bytes.  The database stores
 * only a hash of a session id.
 */
void	websession_id_format(const unsigned char rnd[WEBSESSION_RANDOM_BYTES],
	    char out[WEBSESSION_ID_LEN + 1]);
/* WEBSESSION_ID_LEN characters of the base64url alphabet. */
bool	websession_id_well_formed(const char *s);

/*
 * The session's CSRF token, derived from its id (HMAC-SHA-256 keyed with
 * the id, in the same form as an id), so that a page can put it into its
 * forms without the server keeping it anywhere: the database keeps its
 * hash, as before, and the token says nothing of the id it came from.
 * A new session id (sign-in, change of membership) means a new token.
 */
void	websession_csrf_derive(const char *session_id,
	    char out[WEBSESSION_ID_LEN + 1]);

enum websession_cookie {
	WEBSESSION_NO_COOKIE,	/* no session cookie: not a browser session */
	WEBSESSION_COOKIE_OK,	/* out holds a well-formed id */
	WEBSESSION_COOKIE_BAD,	/* present but malformed, or sent twice */
};

/*
 * Finds the session cookie in a Cookie header ("a=1; b=2"; NULL: no
 * header).  Other cookies are ignored.  BAD still means a cookie was
 * sent: a request carrying one is treated as a browser's (CSRF rules
 * apply) and, having no valid session, is refused.
 */
enum websession_cookie websession_cookie_parse(const char *header,
	    char out[WEBSESSION_ID_LEN + 1]);

/* Set-Cookie value that gives the browser session id. */
void	websession_set_cookie(const char *id, char out[WEBSESSION_SET_COOKIE_MAX]);
/* Set-Cookie value that makes the browser forget it (sign-out). */
void	websession_clear_cookie(char out[WEBSESSION_SET_COOKIE_MAX]);

/*
 * True when an Origin header equals the configured public origin
 * ([accounts] public_origin): scheme and host compared without regard to
 * case, an explicit default port (:443 for https, :80 for http) the same
 * as none.  False for a missing or "null" Origin and when no public
 * origin is configured: such a request may not change anything.
 */
bool	websession_origin_ok(const char *origin, const char *public_origin);

/*
 * A CSRF token as sent (header or form field) against the session's: both
 * well formed and equal, compared in constant time (sodium_memcmp), so
 * the time taken says nothing about how much of a guess was right.
 */
bool	websession_token_equal(const char *sent, const char *expected);

enum websession_age {
	WEBSESSION_LIVE,
	WEBSESSION_IDLE,	/* no request for idle_timeout seconds */
	WEBSESSION_EXPIRED,	/* absolute_lifetime since sign-in */
};

/*
 * Whether a session signed in at created and last used at last_seen is
 * still live at now (Unix seconds; [accounts] idle_timeout and
 * absolute_lifetime).  The lifetime is judged first: an old session is
 * EXPIRED even if also idle.
 */
enum websession_age websession_age(int64_t created, int64_t last_seen,
	    int64_t now, int idle_timeout, int absolute_lifetime);

#endif

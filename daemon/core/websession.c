/* Browser session cookies, ids, Origin and CSRF checks: see websession.h. */
#include "core/websession.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ATTRS "; Path=/; Secure; HttpOnly; SameSite=Strict"

void
websession_id_format(const unsigned char rnd[WEBSESSION_RANDOM_BYTES],
    char out[WEBSESSION_ID_LEN + 1])
{
	sodium_bin2base64(out, WEBSESSION_ID_LEN + 1, rnd, WEBSESSION_RANDOM_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
websession_id_well_formed(const char *s)
{
	return s != NULL && strlen(s) == WEBSESSION_ID_LEN &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == WEBSESSION_ID_LEN;
}

void
websession_csrf_derive(const char *session_id, char out[WEBSESSION_ID_LEN + 1])
{
	static const char label[] = "maracd CSRF token";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)session_id,
	    strlen(session_id));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label,
	    sizeof(label) - 1);
	crypto_auth_hmacsha256_final(&st, mac);
	websession_id_format(mac, out);
	sodium_memzero(mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

enum websession_cookie
websession_cookie_parse(const char *header, char out[WEBSESSION_ID_LEN + 1])
{
	static const char name[] = WEBSESSION_COOKIE "=";
	const size_t namelen = sizeof(name) - 1;
	enum websession_cookie found = WEBSESSION_NO_COOKIE;
	const char *p = header;

	if (header == NULL)
		return WEBSESSION_NO_COOKIE;
	while (*p != '\0') {
		size_t len;

		p += strspn(p, " \t;");
		len = strcspn(p, ";");
		/* Cookie names are case-sensitive (RFC 6265). */
		if (len >= namelen && strncmp(p, name, namelen) == 0) {
			size_t vlen = len - namelen;

			while (vlen > 0 && (p[namelen + vlen - 1] == ' ' ||
			    p[namelen + vlen - 1] == '\t'))
				vlen--;
			if (found != WEBSESSION_NO_COOKIE) {
				/* Sent twice: which one is meant is anyone's guess. */
				found = WEBSESSION_COOKIE_BAD;
				break;
			}
			found = WEBSESSION_COOKIE_BAD;
			if (vlen == WEBSESSION_ID_LEN) {
				memcpy(out, p + namelen, vlen);
				out[vlen] = '\0';
				if (websession_id_well_formed(out))
					found = WEBSESSION_COOKIE_OK;
			}
		}
		p += len;
	}
	if (found != WEBSESSION_COOKIE_OK)
		out[0] = '\0';
	return found;
}

void
websession_set_cookie(const char *id, char out[WEBSESSION_SET_COOKIE_MAX])
{
	snprintf(out, WEBSESSION_SET_COOKIE_MAX, "%s=%.*s" ATTRS,
	    WEBSESSION_COOKIE, WEBSESSION_ID_LEN, id);
}

void
websession_clear_cookie(char out[WEBSESSION_SET_COOKIE_MAX])
{
	snprintf(out, WEBSESSION_SET_COOKIE_MAX, "%s=" ATTRS
	    "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT", WEBSESSION_COOKIE);
}

/* Length of o without an explicit default port for its scheme. */
static size_t
origin_len(const char *o)
{
	size_t n = strlen(o);

	if (strncasecmp(o, "https://", 8) == 0 && n > 12 &&
	    strcmp(o + n - 4, ":443") == 0)
		return n - 4;
	if (strncasecmp(o, "http://", 7) == 0 && n > 10 &&
	    strcmp(o + n - 3, ":80") == 0)
		return n - 3;
	return n;
}

bool
websession_origin_ok(const char *origin, const char *public_origin)
{
	size_t n;

	if (origin == NULL || public_origin == NULL || public_origin[0] == '\0' ||
	    strcmp(origin, "null") == 0)
		return false;
	n = origin_len(origin);
	return n > 0 && n == origin_len(public_origin) &&
	    strncasecmp(origin, public_origin, n) == 0;
}

bool
websession_token_equal(const char *sent, const char *expected)
{
	/* The length is public (always WEBSESSION_ID_LEN); the bytes are not. */
	return websession_id_well_formed(sent) && websession_id_well_formed(expected) &&
	    sodium_memcmp(sent, expected, WEBSESSION_ID_LEN) == 0;
}

enum websession_age
websession_age(int64_t created, int64_t last_seen, int64_t now,
    int idle_timeout, int absolute_lifetime)
{
	if (now - created >= absolute_lifetime)
		return WEBSESSION_EXPIRED;
	if (now - last_seen >= idle_timeout)
		return WEBSESSION_IDLE;
	return WEBSESSION_LIVE;
}

/*
 * TOTP codes through liboath; base32 (core/radix) and the otpauth URI by
 * hand (they are a few lines, and liboath's base32 allocates and pads).
 */
#include "core/totp.h"
#include "core/radix.h"

#include <liboath/oath.h>
#include <string.h>

void
totp_key_encode(const unsigned char secret[TOTP_SECRET_BYTES], char *out)
{
	/* 160 bits are 32 groups of 5: no padding, nothing left over. */
	(void)base32_encode(secret, TOTP_SECRET_BYTES, out);
}

bool
totp_key_decode(const char *key, unsigned char secret[TOTP_SECRET_BYTES])
{
	unsigned int acc = 0;
	int bits = 0;
	size_t n = 0;

	for (const char *p = key; *p != '\0'; p++) {
		char c = *p;
		const char *at;

		if (c == ' ' || c == '-' || c == '=')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((at = strchr(base32_alphabet, c)) == NULL || c == '\0')
			return false;
		acc = ((acc << 5) | (unsigned int)(at - base32_alphabet)) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (n == TOTP_SECRET_BYTES)
				return false;
			secret[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n == TOTP_SECRET_BYTES && bits == 0;
}

/* RFC 3986 percent-encoding of all but the unreserved characters. */
static void
put_encoded(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf_putc(out, (char)*p);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		}
	}
}

bool
totp_uri(struct buf *out, const char *issuer, const char *email,
    const unsigned char secret[TOTP_SECRET_BYTES])
{
	char key[TOTP_KEY_LEN + 1];

	if (issuer[0] == '\0' || email[0] == '\0' || strchr(issuer, ':') != NULL)
		return false;
	totp_key_encode(secret, key);
	buf_puts(out, "otpauth://totp/");
	put_encoded(out, issuer);
	buf_putc(out, ':');
	put_encoded(out, email);
	buf_printf(out, "?secret=%s&issuer=", key);
	put_encoded(out, issuer);
	buf_printf(out, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
	    TOTP_PERIOD);
	return !buf_failed(out);
}

uint64_t
totp_step(int64_t t)
{
	return t < 0 ? 0 : (uint64_t)t / TOTP_PERIOD;
}

bool
totp_code(const unsigned char *secret, size_t len, int64_t t, unsigned digits,
    char *out)
{
	/* Only sets up liboath's own (built-in) crypto; safe to repeat. */
	if (oath_init() != OATH_OK)
		return false;
	return oath_totp_generate((const char *)secret, len, (time_t)t,
	    TOTP_PERIOD, OATH_TOTP_DEFAULT_START_TIME, digits, out) == OATH_OK;
}

/* Equal without an early exit: how much of a code was right stays unsaid. */
static bool
same_code(const char *a, const char *b)
{
	unsigned char diff = 0;

	for (int i = 0; i < TOTP_DIGITS; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

enum totp_result
totp_verify(const unsigned char *secret, size_t len, int64_t t,
    const char *code, uint64_t last_step, uint64_t *step)
{
	char typed[TOTP_DIGITS + 1], want[TOTP_DIGITS + 1];
	uint64_t now = totp_step(t), found = 0;
	bool stale = false;
	size_t n = 0;

	for (const char *p = code; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
			return TOTP_MALFORMED;
		typed[n++] = *p;
	}
	if (n != TOTP_DIGITS)
		return TOTP_MALFORMED;
	typed[n] = '\0';
	/* Every step of the window is computed, matched or not. */
	for (int d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
		uint64_t s = now + (uint64_t)(int64_t)d;

		if (d < 0 && now < (uint64_t)-d)
			continue;
		if (!totp_code(secret, len, (int64_t)s * TOTP_PERIOD, TOTP_DIGITS, want))
			return TOTP_WRONG;
		if (!same_code(typed, want))
			continue;
		if (s <= last_step)
			stale = true;
		else if (found == 0)
			found = s;
	}
	if (found != 0) {
		*step = found;
		return TOTP_OK;
	}
	return stale ? TOTP_REPLAYED : TOTP_WRONG;
}

const char *
totp_result_name(enum totp_result r)
{
	switch (r) {
	case TOTP_OK:		return "ok";
	case TOTP_WRONG:	return "wrong";
	case TOTP_REPLAYED:	return "replayed";
	case TOTP_MALFORMED:	return "malformed";
	}
	return "unknown";
}

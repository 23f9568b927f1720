/*
 * libFuzzer target: what a browser or a person sends the accounts code.
 *
 * The input, as text, goes to each parser of outside input in the
 * accounts core: the Cookie header (websession_cookie_parse), the Origin
 * check, a CSRF token compare, a password (password_check against a small
 * breached list), a TOTP code (totp_verify) and a typed TOTP key
 * (totp_key_decode).  Beyond not crashing, the target checks what the
 * callers rely on: an accepted cookie is a well-formed id, an accepted
 * password is 12 to 1024 bytes of valid UTF-8 with at least 12 code
 * points, a code that is not 6 digits (spaces aside) is malformed, and a
 * decoded key encodes back to the same letters.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/password.h"
#include "core/utf8.h"
#include "core/totp.h"
#include "core/websession.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_accounts: %s\n", #c); abort(); } } while (0)

static struct breached *list;

static void
check_cookie(const char *s)
{
	char id[WEBSESSION_ID_LEN + 1];

	switch (websession_cookie_parse(s, id)) {
	case WEBSESSION_COOKIE_OK:
		CHECK(websession_id_well_formed(id));
		CHECK(strstr(s, WEBSESSION_COOKIE "=") != NULL);
		CHECK(websession_token_equal(id, id));
		break;
	case WEBSESSION_COOKIE_BAD:
		CHECK(id[0] == '\0');
		CHECK(strstr(s, WEBSESSION_COOKIE "=") != NULL);
		break;
	case WEBSESSION_NO_COOKIE:
		break;
	}
}

static void
check_password(const char *s)
{
	size_t len = strlen(s);

	switch (password_check(s, list)) {
	case PASSWORD_OK:
	case PASSWORD_BREACHED:
		CHECK(len <= PASSWORD_MAX_BYTES);
		CHECK(utf8_count(s, len) >= PASSWORD_MIN_CHARS);
		break;
	case PASSWORD_TOO_SHORT:
		CHECK(utf8_count(s, len) >= 0 && utf8_count(s, len) < PASSWORD_MIN_CHARS);
		break;
	case PASSWORD_TOO_LONG:
		CHECK(len > PASSWORD_MAX_BYTES);
		break;
	case PASSWORD_INVALID_UTF8:
		CHECK(utf8_count(s, len) < 0);
		break;
	}
}

static void
check_totp(const char *s)
{
	static const unsigned char secret[TOTP_SECRET_BYTES] = "12345678901234567890";
	unsigned char back[TOTP_SECRET_BYTES];
	char key[TOTP_KEY_LEN + 1];
	uint64_t step = 0;
	size_t digits = 0, others = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ' ')
			others++;
	}
	if (totp_verify(secret, sizeof(secret), 1796810400, s, 0, &step) != TOTP_MALFORMED)
		CHECK(digits == TOTP_DIGITS && others == 0);
	if (totp_key_decode(s, back)) {
		totp_key_encode(back, key);
		/* The same letters, less what people add: case, spaces, dashes. */
		size_t k = 0;
		for (const char *p = s; *p != '\0'; p++) {
			char c = *p;

			if (c == ' ' || c == '-' || c == '=')
				continue;
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			CHECK(k < TOTP_KEY_LEN && key[k++] == c);
		}
		CHECK(k == TOTP_KEY_LEN);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (list == NULL) {
		list = breached_new(16);
		breached_add_line(list, "letmein-letmein", 15);
		breached_add_line(list, "ABF7AAD6438836DBE526AA231ABDE2D0EEF74D42:3", 42);
		breached_seal(list);
	}
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_cookie(s);
	check_password(s);
	check_totp(s);
	if (websession_origin_ok(s, "https://maracd.example"))
		CHECK(strncasecmp(s, "https://maracd.example", 22) == 0);
	free(s);
	return 0;
}

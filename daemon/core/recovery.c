#include "core/recovery.h"
#include "core/radix.h"

#include <sodium.h>
#include <string.h>

void
recovery_code_format(const unsigned char rnd[RECOVERY_RANDOM_BYTES],
    char out[RECOVERY_CODE_LEN + 1])
{
	char raw[RECOVERY_CHARS + 1];
	size_t n = 0;

	(void)base32_encode(rnd, RECOVERY_RANDOM_BYTES, raw);
	for (int i = 0; i < RECOVERY_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[n++] = '-';
		out[n++] = raw[i];
	}
	out[n] = '\0';
}

bool
recovery_code_normalize(const char *typed, char out[RECOVERY_CHARS + 1])
{
	size_t n = 0;

	for (const char *p = typed; *p != '\0'; p++) {
		char c = *p;

		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		c = c == '0' ? 'O' : c == '1' ? 'I' : c == '8' ? 'B' : c;
		if (strchr(base32_alphabet, c) == NULL || n == RECOVERY_CHARS)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == RECOVERY_CHARS;
}

bool
recovery_code_hash(const char *code, char out[RECOVERY_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char norm[RECOVERY_CHARS + 1];

	if (!recovery_code_normalize(code, norm))
		return false;
	crypto_hash_sha256(h, (const unsigned char *)norm, RECOVERY_CHARS);
	sodium_bin2hex(out, RECOVERY_HASH_HEX, h, sizeof(h));
	return true;
}

#include "core/token.h"
#include "core/radix.h"

#include <stdint.h>
#include <string.h>

#define PREFIX "mrc_"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Unpadded base64url of len bytes; returns the characters written. */
static size_t
base64url(const unsigned char *in, size_t len, char *out)
{
	return radix_encode(in, len, 6, alphabet, out);
}

static int
base64url_value(char c)
{
	const char *p = c != '\0' ? strchr(alphabet, c) : NULL;

	return p == NULL ? -1 : (int)(p - alphabet);
}

/* CRC-32 (IEEE 802.3, reflected), bit by bit: 32 bytes do not need a table. */
static uint32_t
crc32(const unsigned char *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void
check_digits(const unsigned char rnd[TOKEN_RANDOM_BYTES], char out[7])
{
	uint32_t c = crc32(rnd, TOKEN_RANDOM_BYTES);
	unsigned char b[4] = { (unsigned char)(c >> 24), (unsigned char)(c >> 16),
	    (unsigned char)(c >> 8), (unsigned char)c };

	out[base64url(b, sizeof(b), out)] = '\0';
}

void
token_format(const unsigned char rnd[TOKEN_RANDOM_BYTES], char *out)
{
	size_t n = strlen(PREFIX);

	memcpy(out, PREFIX, n);
	n += base64url(rnd, TOKEN_RANDOM_BYTES, out + n);
	out[n++] = '_';
	check_digits(rnd, out + n);
}

bool
token_well_formed(const char *s)
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	unsigned int acc = 0;
	int bits = 0, v;
	size_t n = 0;
	char want[7];

	if (strlen(s) != TOKEN_LEN || strncmp(s, PREFIX, 4) != 0 || s[4 + 43] != '_')
		return false;
	for (const char *p = s + 4; p < s + 4 + 43; p++) {
		if ((v = base64url_value(*p)) < 0)
			return false;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			rnd[n++] = (unsigned char)(acc >> bits);
		}
	}
	/* 43 characters carry 258 bits: the last 2 must be zero (canonical). */
	if (n != TOKEN_RANDOM_BYTES || (acc & ((1u << bits) - 1)) != 0)
		return false;
	check_digits(rnd, want);
	return strcmp(s + 4 + 43 + 1, want) == 0;
}

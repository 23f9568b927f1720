/*
 * The password rule and the breached list.  SHA-1 here is not protecting
 * anything: it is only the key the Pwned Passwords list is published
 * under, so a password is looked up by its SHA-1 (OpenSSL's EVP).
 */
#include "core/password.h"
#include "core/utf8.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct breached {
	uint64_t	*keys;
	size_t		 n, cap, max;
};

/* The list's key of some bytes: the first 8 bytes of their SHA-1. */
static bool
key_of(const void *data, size_t len, uint64_t *key)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		return false;
	*key = 0;
	for (int i = 0; i < 8; i++)
		*key = (*key << 8) | md[i];
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 40 hex digits, alone or before ":count": the key is the first 16. */
static bool
sha1_line(const char *line, size_t len, uint64_t *key)
{
	if (len < 40 || (len > 40 && line[40] != ':'))
		return false;
	for (size_t i = 0; i < 40; i++)
		if (hexval(line[i]) < 0)
			return false;
	*key = 0;
	for (size_t i = 0; i < 16; i++)
		*key = (*key << 4) | (uint64_t)hexval(line[i]);
	return true;
}

enum password_verdict
password_check(const char *pw, const struct breached *list)
{
	size_t len = strlen(pw);
	long chars;

	if (len > PASSWORD_MAX_BYTES)
		return PASSWORD_TOO_LONG;
	if ((chars = utf8_count(pw, len)) < 0)
		return PASSWORD_INVALID_UTF8;
	if (chars < PASSWORD_MIN_CHARS)
		return PASSWORD_TOO_SHORT;
	if (list != NULL && breached_contains(list, pw))
		return PASSWORD_BREACHED;
	return PASSWORD_OK;
}

const char *
password_verdict_name(enum password_verdict v)
{
	switch (v) {
	case PASSWORD_OK:		return "ok";
	case PASSWORD_TOO_SHORT:	return "too_short";
	case PASSWORD_TOO_LONG:		return "too_long";
	case PASSWORD_INVALID_UTF8:	return "invalid_utf8";
	case PASSWORD_BREACHED:		return "breached";
	}
	return "unknown";
}

struct breached *
breached_new(size_t max)
{
	struct breached *b = calloc(1, sizeof(*b));

	if (b != NULL)
		b->max = max;
	return b;
}

int
breached_add_line(struct breached *b, const char *line, size_t len)
{
	uint64_t key;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return 0;
	if (!sha1_line(line, len, &key) && !key_of(line, len, &key))
		return -1;
	if (b->n == b->max)
		return -1;
	if (b->n == b->cap) {
		/* Doubling, from 4096, never past max. */
		size_t cap = b->cap == 0 ? 4096 : b->cap * 2;
		uint64_t *k;

		if (cap > b->max)
			cap = b->max;
		if ((k = realloc(b->keys, cap * sizeof(*k))) == NULL)
			return -1;
		b->keys = k;
		b->cap = cap;
	}
	b->keys[b->n++] = key;
	return 0;
}

static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void
breached_seal(struct breached *b)
{
	size_t w = 0;

	if (b->n == 0)
		return;
	qsort(b->keys, b->n, sizeof(*b->keys), key_cmp);
	for (size_t r = 1; r < b->n; r++)
		if (b->keys[r] != b->keys[w])
			b->keys[++w] = b->keys[r];
	b->n = w + 1;
}

bool
breached_contains(const struct breached *b, const char *pw)
{
	uint64_t key;

	if (b->n == 0 || !key_of(pw, strlen(pw), &key))
		return false;
	return bsearch(&key, b->keys, b->n, sizeof(*b->keys), key_cmp) != NULL;
}

size_t
breached_count(const struct breached *b)
{
	return b->n;
}

void
breached_free(struct breached *b)
{
	if (b == NULL)
		return;
	free(b->keys);
	free(b);
}

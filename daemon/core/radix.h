/*
 * Bytes as text, a fixed number of bits per character, unpadded: base32
 * (RFC 4648: A-Z, 2-7) for TOTP keys and recovery codes, which people
 * type (no 0/O or 1/I pairs, no lowercase), and base64url for API tokens.
 */
#ifndef MARACD_CORE_RADIX_H
#define MARACD_CORE_RADIX_H

#include <stddef.h>

extern const char base32_alphabet[33];

/*
 * Writes len bytes as characters of alphabet, bits (5 or 6) each, the
 * last one zero-filled, to out, and a NUL after them; returns the
 * characters written: (len * 8 + bits - 1) / bits.
 */
size_t	radix_encode(const unsigned char *in, size_t len, int bits,
	    const char *alphabet, char *out);
/* radix_encode with 5 bits and base32_alphabet. */
size_t	base32_encode(const unsigned char *in, size_t len, char *out);

#endif

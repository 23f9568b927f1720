/*
 * RFC 4648 base32 (A-Z, 2-7), unpadded: what authenticator apps take as a
 * TOTP key, and the alphabet of recovery codes (no 0/O or 1/I pairs to
 * confuse, no lowercase to mistype).
 */
#ifndef MARACD_CORE_BASE32_H
#define MARACD_CORE_BASE32_H

#include <stddef.h>

extern const char base32_alphabet[33];

/*
 * Writes the base32 of len bytes to out (room for (len * 8 + 4) / 5
 * characters and a NUL); returns the characters written.
 */
size_t	base32_encode(const unsigned char *in, size_t len, char *out);

#endif

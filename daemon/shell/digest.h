/*
 * SHA-256 of a decision record's canonical JSON, for maracd and maracctl
 * alike (one function, so both print the same hash for the same record).
 *
 * It lives outside the core on purpose: the core links nothing but cJSON
 * (the unit tests and the fuzzers depend on that), and the hash is
 * OpenSSL's, not one of our own making.
 */
#ifndef MARACD_DIGEST_H
#define MARACD_DIGEST_H

#include <stddef.h>

/* 64 lower-case hex digits and a NUL in hex.  Returns 0, or -1. */
int	digest_sha256_hex(const void *data, size_t len, char hex[65]);

#endif

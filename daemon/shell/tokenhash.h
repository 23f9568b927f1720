/*
 * Tokens made, and the SHA-256 of a bearer token, in hex, computed where
 * the token is: maracd hashes what a client presents and maracctl what
 * it creates, so the token itself never reaches PostgreSQL, whose logs
 * may keep bind parameters (log_statement, auto_explain, a slow-query
 * log).
 */
#ifndef MARACD_TOKENHASH_H
#define MARACD_TOKENHASH_H

#include "core/token.h"

#define TOKENHASH_HEX 65	/* 64 hex digits and the NUL */

/*
 * A new token (core/token.h) from 256 random bits, for an API token, an
 * invitation or a reset link: 0, or -1 when no randomness could be had.
 */
int	tokenhash_new(char secret[TOKEN_LEN + 1]);

/* 0, or -1 when the digest could not be computed. */
int	tokenhash_hex(const char *token, char out[TOKENHASH_HEX]);

#endif

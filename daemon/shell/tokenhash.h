/*
 * The SHA-256 of a bearer token, in hex, computed where the token is:
 * maracd hashes what a client presents and maracctl what it creates, so
 * the token itself never reaches PostgreSQL, whose logs may keep bind
 * parameters (log_statement, auto_explain, a slow-query log).
 */
#ifndef MARACD_TOKENHASH_H
#define MARACD_TOKENHASH_H

#define TOKENHASH_HEX 65	/* 64 hex digits and the NUL */

/* 0, or -1 when the digest could not be computed. */
int	tokenhash_hex(const char *token, char out[TOKENHASH_HEX]);

#endif

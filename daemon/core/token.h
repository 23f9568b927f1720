/*
 * The shape of an API token: "mrc_", 43 base64url characters of 256
 * random bits, "_", and 6 base64url characters of their CRC-32.
 *
 * The check digits let maracd refuse a typed-wrong, truncated or made-up
 * token before it costs a database connection (a flood of garbage tokens
 * then costs nothing but parsing); they say nothing about whether the
 * token exists, which only the database can tell.  Tokens are created by
 * maracctl (token_format) and checked by maracd (token_well_formed).
 */
#ifndef MARACD_CORE_TOKEN_H
#define MARACD_CORE_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_RANDOM_BYTES	32
#define TOKEN_LEN		(4 + 43 + 1 + 6)	/* without the NUL */

/* Writes the token for rnd into out (TOKEN_LEN + 1 bytes). */
void	token_format(const unsigned char rnd[TOKEN_RANDOM_BYTES], char *out);
/* True when s has the shape above and its check digits agree. */
bool	token_well_formed(const char *s);

#endif

/*
 * Second-factor recovery codes: ten per person, each usable once, for the
 * day the phone is lost.  A code is 80 random bits (the shell's
 * randombytes_buf) as 16 base32 characters in groups of four,
 * "ABCD-EFGH-IJKL-MNOP", easy to read off paper and type.
 *
 * Only a hash is stored.  80 bits is far beyond guessing, even offline
 * from a stolen table, so a plain SHA-256 is enough (no Argon2id, no
 * salt): the database finds a typed code by its hash in one indexed
 * lookup and deletes it in the same statement, which also makes "usable
 * once" the database's to enforce.
 */
#ifndef MARACD_CORE_RECOVERY_H
#define MARACD_CORE_RECOVERY_H

#include <stdbool.h>

#define RECOVERY_CODES		10	/* issued at a time */
#define RECOVERY_RANDOM_BYTES	10	/* 80 bits */
#define RECOVERY_CHARS		16	/* base32 of 10 bytes */
#define RECOVERY_CODE_LEN	19	/* as shown: 4 groups of 4 and 3 dashes */
#define RECOVERY_HASH_HEX	65	/* SHA-256 in lowercase hex, and its NUL */

/* The code to show for rnd: "ABCD-EFGH-IJKL-MNOP"; out has 20 bytes. */
void	recovery_code_format(const unsigned char rnd[RECOVERY_RANDOM_BYTES],
	    char out[RECOVERY_CODE_LEN + 1]);
/*
 * A typed code, as the 16 characters its hash is taken of: case, spaces
 * and dashes do not matter, and 0, 1 and 8 are read as O, I and B (the
 * alphabet has none of them; they are what a person reads those letters
 * as).  False unless exactly 16 base32 characters remain.
 */
bool	recovery_code_normalize(const char *typed, char out[RECOVERY_CHARS + 1]);
/*
 * The stored form of a code, shown or typed: SHA-256 (libsodium) of its
 * normalized characters, in hex.  False if typed does not normalize.
 */
bool	recovery_code_hash(const char *code, char out[RECOVERY_HASH_HEX]);

#endif

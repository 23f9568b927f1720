/*
 * The second factor: RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps,
 * counted from the Unix epoch), the parameters every authenticator app
 * assumes when an otpauth:// URI says nothing else.
 *
 * Pure: the caller gives the random bytes of a new secret (the shell reads
 * them from randombytes_buf) and the time of a check, so every answer here
 * can be tested against RFC 6238's vectors.  The codes themselves are
 * liboath's (oath_totp_generate, oath_totp_validate3_callback).
 */
#ifndef MARACD_CORE_TOTP_H
#define MARACD_CORE_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define TOTP_SECRET_BYTES	20	/* 160 bits, RFC 4226's recommended size */
#define TOTP_KEY_LEN		32	/* base32 of 20 bytes, no padding */
#define TOTP_DIGITS		6
#define TOTP_PERIOD		30	/* seconds per step */
#define TOTP_WINDOW		1	/* steps either side of now accepted */

/*
 * The base32 key (RFC 4648 alphabet, uppercase, no padding) of a secret
 * of TOTP_SECRET_BYTES; out has TOTP_KEY_LEN + 1 bytes.  The same text
 * is what a person types into an app that cannot scan the QR code.
 */
void	totp_key_encode(const unsigned char secret[TOTP_SECRET_BYTES], char *out);
/*
 * The secret back from its key; tolerant of what people type: lowercase,
 * spaces and dashes.  False unless it decodes to exactly
 * TOTP_SECRET_BYTES.
 */
bool	totp_key_decode(const char *key, unsigned char secret[TOTP_SECRET_BYTES]);

/*
 * otpauth://totp/ISSUER:EMAIL?secret=KEY&issuer=ISSUER&algorithm=SHA1&
 * digits=6&period=30, issuer and email percent-encoded (RFC 3986
 * unreserved characters kept), appended to out.  False if issuer holds a
 * colon (apps would split the label there) or either is empty.
 */
bool	totp_uri(struct buf *out, const char *issuer, const char *email,
	    const unsigned char secret[TOTP_SECRET_BYTES]);

/* The step that time t (Unix seconds) falls in. */
uint64_t totp_step(int64_t t);

/*
 * The code of secret (len bytes) at time t: digits (6..8) decimal digits
 * into out (digits + 1 bytes).  False on a liboath error.
 */
bool	totp_code(const unsigned char *secret, size_t len, int64_t t,
	    unsigned digits, char *out);

enum totp_result {
	TOTP_OK,		/* matched; *step is the step it matched */
	TOTP_WRONG,		/* well formed, matches no step of the window */
	TOTP_REPLAYED,		/* matched a step at or before last_step */
	TOTP_MALFORMED,		/* not TOTP_DIGITS decimal digits */
};

/*
 * Checks a TOTP_DIGITS code typed at time t against the steps t's step
 * -1, 0 and +1 (clock drift between phone and server, and the time it
 * took to type).  A code is usable once: the caller keeps the last step
 * it accepted for the person and passes it as last_step (0 when none), and
 * stores *step after TOTP_OK.  Spaces in the code (apps show "123 456")
 * are ignored.  The comparison does not stop at the first differing digit.
 */
enum totp_result totp_verify(const unsigned char *secret, size_t len,
	    int64_t t, const char *code, uint64_t last_step, uint64_t *step);

/* "ok", "wrong", "replayed", "malformed": for logs and API reasons. */
const char *totp_result_name(enum totp_result r);

#endif

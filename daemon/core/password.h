/*
 * What makes a password acceptable, after NCSC and NIST SP 800-63B: long
 * enough (12 characters, counted as Unicode code points, so that a
 * passphrase in any script counts what a person sees), not absurdly long
 * (1024 bytes: Argon2id cost does not depend on it, but a request body
 * should not carry megabytes of password), valid UTF-8, and not on the
 * deployment's list of breached passwords.  No composition rules: they
 * make passwords harder to remember, not to guess.
 *
 * The breached list is a sorted array of the first 64 bits of each
 * password's SHA-1: 8 bytes an entry whichever form the file has (plain
 * text or the Pwned Passwords SHA-1 hex), bounded by the caller, looked up
 * by binary search.  A false "breached" needs a 64-bit collision with one
 * of at most a few million entries: about 1 in 10^12.  Building it is
 * pure; reading the file is the shell's (breachfile.h).
 */
#ifndef MARACD_CORE_PASSWORD_H
#define MARACD_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS	12
#define PASSWORD_MAX_BYTES	1024

enum password_verdict {
	PASSWORD_OK,
	PASSWORD_TOO_SHORT,
	PASSWORD_TOO_LONG,
	PASSWORD_INVALID_UTF8,
	PASSWORD_BREACHED,
};

struct breached;

/*
 * The verdict on pw (NUL-terminated): too_long is judged first (on bytes),
 * then invalid_utf8 (overlong forms, surrogates and code points past
 * U+10FFFF are invalid), then too_short, then the list (NULL: none).
 */
enum password_verdict password_check(const char *pw, const struct breached *list);
/* "ok", "too_short", "too_long", "invalid_utf8", "breached": API reasons. */
const char *password_verdict_name(enum password_verdict v);

/* An empty list that will hold at most max entries; NULL without memory. */
struct breached *breached_new(size_t max);
/*
 * Adds one line of the file (without its newline; a trailing CR is
 * dropped): 40 hexadecimal digits, optionally ":count", are a SHA-1; any
 * other non-empty line is a password.  0, or -1 when the list is full
 * (max entries) or memory ran out.  Empty lines are skipped.
 */
int	breached_add_line(struct breached *, const char *line, size_t len);
/* Sorts and removes repeats; call once after the last line, before lookups. */
void	breached_seal(struct breached *);
bool	breached_contains(const struct breached *, const char *pw);
size_t	breached_count(const struct breached *);
void	breached_free(struct breached *);

#endif

/*
 * UTF-8 as maracd takes it: well formed (RFC 3629) or not at all.  No
 * overlong forms, no surrogates, nothing past U+10FFFF, no truncated
 * sequence.  One decoder, so that every reader of outside text (JSON
 * fields, passwords, mail subjects, decision records, agenda initials)
 * draws the line at the same bytes.
 */
#ifndef MARACD_CORE_UTF8_H
#define MARACD_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* U+FFFD, what a broken byte becomes where text is repaired, not refused. */
#define UTF8_REPLACEMENT	"\xef\xbf\xbd"

/*
 * Length (1 to 4) of the well-formed sequence at s, which has avail bytes
 * (SIZE_MAX for a NUL-terminated string: the bytes are read in order and
 * the NUL ends any sequence), with its code point in *cp unless cp is
 * NULL; 0 when the sequence is broken or avail is 0.  NUL is a one-byte
 * sequence like any ASCII.
 */
size_t	utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp);
/* Whether the NUL-terminated s is well formed throughout. */
bool	utf8_valid(const char *s);
/* Code points in the len bytes at s, or -1 when they are not well formed. */
long	utf8_count(const char *s, size_t len);

#endif

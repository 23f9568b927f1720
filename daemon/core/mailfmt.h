/*
 * The pieces of an Internet message that curl does not make for us:
 * header values (Subject in RFC 2047 words, To, Date), text with CRLF line
 * ends for the quoted-printable encoder, and attachment bytes from base64.
 *
 * Everything that goes into a header passes through here, so that no
 * value from the outbox can end a header line early and start another.
 */
#ifndef MARACD_CORE_MAILFMT_H
#define MARACD_CORE_MAILFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Longest encoded word (RFC 2047 section 2) and folded line we write. */
#define MAILFMT_WORD_MAX	75
#define MAILFMT_LINE_MAX	78

/* "Day, DD Mon YYYY HH:MM:SS +0000" and its NUL. */
#define MAILFMT_DATELEN		32

/*
 * A bare address as RCPT TO and To take it: local@domain with nothing that
 * could separate recipients or end a line.  The same rule as the outbox
 * table's CHECK.
 */
bool	mailfmt_address_ok(const char *addr);

/*
 * Appends the value of a Subject header.  Printable ASCII is kept as it
 * is; anything else becomes UTF-8 "B" encoded words of at most
 * MAILFMT_WORD_MAX characters, folded onto continuation lines, never
 * splitting a character.  Control characters become spaces and bytes
 * that are not UTF-8 become '?', so a decoder cannot recover a CR or LF.
 */
void	mailfmt_subject(struct buf *out, const char *subject);

/* Appends "a, b, c" folded before MAILFMT_LINE_MAX; prefix is the header
 * name already on the line ("To: "), counted in the first line's width. */
void	mailfmt_address_list(struct buf *out, const char *prefix,
	    const char *const *addrs, size_t n);

/* RFC 5322 date-time of a UTC instant (seconds since the epoch). */
char   *mailfmt_date(long long unix_seconds, char out[MAILFMT_DATELEN]);

/* Appends text with every line end (LF, CR or CRLF) as CRLF. */
void	mailfmt_crlf(struct buf *out, const char *text);

/* Appends the bytes of base64 text (white space ignored); false if it is
 * not base64, in which case out holds a partial result. */
bool	mailfmt_base64_decode(struct buf *out, const char *in);

/* An attachment file name safe inside a quoted header parameter: quotes,
 * backslashes, slashes and control characters become '_'; never empty. */
void	mailfmt_filename(char *out, size_t outlen, const char *name);

#endif

/*
 * Log lines that cannot be forged.  Anything a client sends (a request
 * path with "%0A" in it, a header) may end up in a log line; a newline or
 * another control character there could start a line of its own that a
 * reader, or a log shipper, takes for maracd's.  Every line is passed
 * through logline_escape before it is written.
 */
#ifndef MARACD_CORE_LOGLINE_H
#define MARACD_CORE_LOGLINE_H

#include <stddef.h>

/*
 * Copies in to out (len bytes, always NUL-terminated, truncated if need
 * be), writing each control character (0x00-0x1f, 0x7f) as \xNN and a
 * backslash as \\, so that an escaped line reads back unambiguously.
 * Bytes of 0x80 and above pass as they are (UTF-8 text is not altered).
 * Returns out.
 */
char	*logline_escape(const char *in, char *out, size_t len);

#endif

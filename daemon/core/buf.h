/*
 * A growable byte buffer for the renderers.
 *
 * Renderers append many small pieces, and checking each append would bury
 * what they write under error handling, so a failed allocation is sticky:
 * the buffer remembers it, later appends do nothing, and the renderer
 * reports buf_failed() once at the end.  The bytes are always followed by
 * a NUL (not counted in len), so a buffer of text can be used as a string.
 * No I/O here: the shell decides where the bytes go.
 */
#ifndef MARACD_CORE_BUF_H
#define MARACD_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

void	buf_init(struct buf *);
void	buf_free(struct buf *);
/* Empties the buffer but keeps its memory; clears a failure. */
void	buf_reset(struct buf *);

void	buf_add(struct buf *, const void *data, size_t len);
void	buf_puts(struct buf *, const char *s);
void	buf_putc(struct buf *, char c);
void	buf_printf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Room for need more bytes at the end, for a writer that writes in place
 * (NULL: out of memory); buf_grew then counts the len it wrote.
 */
char	*buf_room(struct buf *, size_t need);
void	buf_grew(struct buf *, size_t len);
/* Back to its first len bytes (len at most its length). */
void	buf_truncate(struct buf *, size_t len);

bool	buf_failed(const struct buf *);
/* The text so far: "" for an empty buffer, never NULL. */
const char *buf_str(const struct buf *);

#endif

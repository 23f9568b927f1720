/*
 * Growable byte buffer; see buf.h for why failure is sticky.
 */
#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN 256

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Room for need more bytes and the NUL. */
static bool
reserve(struct buf *b, size_t need)
{
	size_t	 cap;
	char	*p;

	if (b->failed)
		return false;
	if (need > SIZE_MAX - b->len - 1)
		goto fail;
	if (b->len + need + 1 <= b->cap)
		return true;
	cap = b->cap < BUF_MIN ? BUF_MIN : b->cap;
	while (cap < b->len + need + 1) {
		if (cap > SIZE_MAX / 2) {
			cap = b->len + need + 1;
			break;
		}
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = cap;
	return true;
fail:
	b->failed = true;
	return false;
}

void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (!reserve(b, len))
		return;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
buf_room(struct buf *b, size_t need)
{
	return reserve(b, need) ? b->data + b->len : NULL;
}

void
buf_grew(struct buf *b, size_t len)
{
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (b->data != NULL && len <= b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

bool
buf_failed(const struct buf *b)
{
	return b->failed;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

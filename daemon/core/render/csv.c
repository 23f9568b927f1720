/*
 * RFC 4180 fields with formula neutralising; see csv.h.
 */
#include "core/render/csv.h"

#include <string.h>

void
csv_init(struct csv *c, struct buf *out)
{
	c->out = out;
	c->column = 0;
}

void
csv_field(struct csv *c, const char *s)
{
	const char *q;

	if (c->column++ > 0)
		buf_putc(c->out, ',');
	buf_putc(c->out, '"');
	if (s == NULL)
		s = "";
	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		buf_putc(c->out, '\'');
	while ((q = strchr(s, '"')) != NULL) {
		buf_add(c->out, s, (size_t)(q - s + 1));
		buf_putc(c->out, '"');
		s = q + 1;
	}
	buf_puts(c->out, s);
	buf_putc(c->out, '"');
}

void
csv_end_row(struct csv *c)
{
	buf_puts(c->out, "\r\n");
	c->column = 0;
}

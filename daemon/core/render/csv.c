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

/* Length of the blank that starts s (one character), or 0. */
static size_t
blank_len(const unsigned char *s)
{
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')
		return 1;
	if (s[0] == 0xc2 && s[1] == 0xa0)			/* U+00A0 */
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] <= 0x8a || s[2] == 0xaf))
		return 3;					/* U+2000-200A, 202F */
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)	/* U+205F */
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)	/* U+3000 */
		return 3;
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)	/* U+FEFF */
		return 3;
	return 0;
}

bool
csv_is_formula(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	if (s[0] == '\t' || s[0] == '\r')
		return true;
	while ((n = blank_len(s)) > 0)
		s += n;
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		return true;
	/* Full-width = + - @: EF BC 9D, EF BC 8B, EF BC 8D, EF BC A0. */
	return s[0] == 0xef && s[1] == 0xbc &&
	    (s[2] == 0x9d || s[2] == 0x8b || s[2] == 0x8d || s[2] == 0xa0);
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
	if (csv_is_formula(s))
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

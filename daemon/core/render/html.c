/*
 * HTML escaping.
 */
#include "core/render/html.h"

#include <string.h>

void
html_escape(struct buf *b, const char *s)
{
	const char *run;

	/* Copy runs of ordinary bytes whole: names are mostly ordinary. */
	while (*s != '\0') {
		run = s;
		s += strcspn(s, "&<>\"'");
		buf_add(b, run, (size_t)(s - run));
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			return;		/* the NUL */
		}
		s++;
	}
}

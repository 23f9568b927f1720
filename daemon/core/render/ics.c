/*
 * iCalendar content lines: TEXT escaping and folding; see ics.h.
 */
#include "core/render/ics.h"

#include <string.h>

#include "core/agenda.h"
#include "core/instant.h"

void
ics_escape_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case ';':
			buf_puts(b, "\\;");
			break;
		case ',':
			buf_puts(b, "\\,");
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			/* FALLTHROUGH */
		case '\n':
			buf_puts(b, "\\n");
			break;
		default:
			/* Other controls are not allowed in TEXT (3.3.11). */
			if ((unsigned char)*s < 0x20 && *s != '\t')
				break;
			if (*s == 0x7f)
				break;
			buf_putc(b, *s);
		}
	}
}

static bool
continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

void
ics_fold(struct buf *b, const char *line, size_t len)
{
	size_t	at = 0, room = ICS_LINE_MAX, end;

	while (len - at > room) {
		end = at + room;
		/* Back up to the start of the character the limit cuts. */
		while (end > at && continuation((unsigned char)line[end]))
			end--;
		if (end == at)		/* not UTF-8: cut anyway, but cut */
			end = at + room;
		buf_add(b, line + at, end - at);
		buf_puts(b, "\r\n ");
		at = end;
		room = ICS_LINE_MAX - 1;	/* the space counts */
	}
	buf_add(b, line + at, len - at);
	buf_puts(b, "\r\n");
}

static void
fold_buf(struct buf *b, struct buf *line)
{
	if (buf_failed(line)) {
		b->failed = true;
		return;
	}
	ics_fold(b, buf_str(line), line->len);
}

void
ics_line(struct buf *b, const char *name, const char *value)
{
	struct buf line;

	buf_init(&line);
	buf_puts(&line, name);
	buf_putc(&line, ':');
	buf_puts(&line, value);
	fold_buf(b, &line);
	buf_free(&line);
}

void
ics_line_text(struct buf *b, const char *name, const char *text)
{
	struct buf line;

	buf_init(&line);
	buf_puts(&line, name);
	buf_putc(&line, ':');
	ics_escape_text(&line, text);
	fold_buf(b, &line);
	buf_free(&line);
}

/* Copies s without its separators. */
static void
squeeze(char *out, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != '-' && *s != ':')
			*out++ = *s;
	*out = '\0';
}

void
ics_date(char buf[9], date_t d)
{
	char s[DATE_STRLEN];

	squeeze(buf, date_format(d, s));
}

void
ics_utc(char buf[17], int64_t t)
{
	char s[INSTANT_STRLEN];

	squeeze(buf, instant_format(t, s));
}

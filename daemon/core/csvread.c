/*
 * The CSV reader: a byte-at-a-time state machine, so that a chunk may end
 * anywhere (inside a quoted field, between the CR and the LF of a line
 * break, inside the byte order mark) and reading resumes where it stopped.
 */
#include "core/csvread.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum state {
	S_FIELD,	/* at the start of a field */
	S_UNQUOTED,	/* inside a field without quotes */
	S_QUOTED,	/* inside quotes */
	S_QUOTE,	/* a quote inside quotes: closing, or the first of "" */
	S_CR		/* a CR outside quotes: only LF may follow */
};

static const unsigned char bom_bytes[3] = { 0xef, 0xbb, 0xbf };

void
csvread_init(struct csvread *c, size_t field_max, size_t fields_max)
{
	memset(c, 0, sizeof(*c));
	c->field_max = field_max;
	c->fields_max = fields_max > 0 ? fields_max : 1;
	c->cur_line = 1;
}

void
csvread_free(struct csvread *c)
{
	free(c->buf);
	free(c->starts);
	free(c->fields);
	csvread_init(c, c->field_max, c->fields_max);
}

/* The first problem of a record is the one reported. */
static void __attribute__((format(printf, 2, 3)))
fail(struct csvread *c, const char *fmt, ...)
{
	va_list ap;

	if (c->bad)
		return;
	c->bad = true;
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
}

static void
nomem(struct csvread *c)
{
	fail(c, "out of memory");
	c->nomem = true;
}

static bool
reserve(struct csvread *c, size_t more)
{
	size_t	 cap = c->cap > 0 ? c->cap : 256;
	char	*p;

	if (c->len + more <= c->cap)
		return true;
	while (cap < c->len + more)
		cap *= 2;
	if ((p = realloc(c->buf, cap)) == NULL) {
		nomem(c);
		return false;
	}
	c->buf = p;
	c->cap = cap;
	return true;
}

static void
field_begin(struct csvread *c)
{
	if (c->bad)
		return;
	if (c->nfields == c->fields_max) {
		fail(c, "more than %zu fields", c->fields_max);
		return;
	}
	c->field_start = c->len;
}

static void
field_add(struct csvread *c, unsigned char ch)
{
	if (c->bad)
		return;
	if (ch == '\0') {
		fail(c, "field %zu: a NUL byte", c->nfields + 1);
		return;
	}
	if (c->len - c->field_start >= c->field_max) {
		fail(c, "field %zu is longer than %zu bytes", c->nfields + 1,
		    c->field_max);
		return;
	}
	if (reserve(c, 1))
		c->buf[c->len++] = (char)ch;
}

static void
field_end(struct csvread *c)
{
	if (c->bad || !reserve(c, 1))
		return;
	c->buf[c->len++] = '\0';
	if (c->nfields == c->slots) {
		size_t		 n = c->slots > 0 ? c->slots * 2 : 16;
		size_t		*s;
		const char	**f;

		if (n > c->fields_max)
			n = c->fields_max;
		if ((s = realloc(c->starts, n * sizeof(*s))) == NULL) {
			nomem(c);
			return;
		}
		c->starts = s;
		if ((f = realloc(c->fields, n * sizeof(*f))) == NULL) {
			nomem(c);
			return;
		}
		c->fields = f;
		c->slots = n;
	}
	c->starts[c->nfields++] = c->field_start;
}

static void
record_begin(struct csvread *c)
{
	c->in_record = true;
	c->bad = false;
	c->error[0] = '\0';
	c->len = 0;
	c->nfields = 0;
	c->line = c->cur_line;
	c->state = S_FIELD;
	field_begin(c);
}

static enum csvread_result
record_end(struct csvread *c)
{
	c->in_record = false;
	if (c->nomem)
		return CSVREAD_NOMEM;
	if (c->bad) {
		c->nfields = 0;
		return CSVREAD_BAD;
	}
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->starts[i];
	return CSVREAD_RECORD;
}

/* One byte of input; true when it ended a record. */
static bool
byte(struct csvread *c, unsigned char ch)
{
	if (!c->in_record)
		record_begin(c);
	switch (c->state) {
	case S_CR:
		if (ch == '\n')
			break;
		fail(c, "field %zu: a carriage return without a line feed",
		    c->nfields + 1);
		c->state = S_UNQUOTED;
		return byte(c, ch);
	case S_QUOTED:
		if (ch == '"')
			c->state = S_QUOTE;
		else {
			if (ch == '\n')
				c->cur_line++;
			field_add(c, ch);
		}
		return false;
	case S_QUOTE:
		if (ch == '"') {
			field_add(c, ch);
			c->state = S_QUOTED;
			return false;
		}
		c->state = S_UNQUOTED;
		if (ch == ',' || ch == '\r' || ch == '\n')
			return byte(c, ch);
		fail(c, "field %zu: text after the closing quote",
		    c->nfields + 1);
		return false;
	case S_FIELD:
		if (ch == '"') {
			c->state = S_QUOTED;
			c->quote_line = c->cur_line;
			return false;
		}
		c->state = S_UNQUOTED;
		return byte(c, ch);
	case S_UNQUOTED:
	default:
		switch (ch) {
		case ',':
			field_end(c);
			field_begin(c);
			c->state = S_FIELD;
			return false;
		case '\r':
			c->state = S_CR;
			return false;
		case '\n':
			break;
		case '"':
			fail(c, "field %zu: a quote inside a field that does not "
			    "start with one (quote the field and double the quote)",
			    c->nfields + 1);
			return false;
		default:
			field_add(c, ch);
			return false;
		}
		break;
	}
	/* A line break outside quotes ends the record. */
	field_end(c);
	c->cur_line++;
	return true;
}

/* Bytes that looked like the start of a byte order mark but were not. */
static void
bom_replay(struct csvread *c)
{
	int n = c->bom;

	c->bom = -1;
	for (int i = 0; i < n; i++)
		(void)byte(c, bom_bytes[i]);	/* none of them ends a record */
}

enum csvread_result
csvread_feed(struct csvread *c, const void *data, size_t len, size_t *used)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		if (c->bom >= 0) {
			if (p[i] == bom_bytes[c->bom]) {
				if (++c->bom == 3)
					c->bom = -1;
				continue;
			}
			bom_replay(c);
		}
		if (byte(c, p[i])) {
			*used = i + 1;
			return record_end(c);
		}
	}
	*used = len;
	return c->nomem ? CSVREAD_NOMEM : CSVREAD_MORE;
}

enum csvread_result
csvread_finish(struct csvread *c)
{
	if (c->bom > 0)
		bom_replay(c);
	c->bom = -1;
	if (!c->in_record)
		return CSVREAD_END;
	if (c->state == S_QUOTED)
		fail(c, "field %zu: the quote opened on line %lu is never closed",
		    c->nfields + 1, c->quote_line);
	field_end(c);
	return record_end(c);
}

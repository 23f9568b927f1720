/*
 * Identity keys and initials.  Both walk a name one unit (an ASCII byte or
 * a whole UTF-8 sequence) at a time through classify(), so they agree on
 * what a token is.
 */
#include "core/identity.h"

#include <stdio.h>
#include <string.h>

enum unit {
	UNIT_KEEP,		/* part of a token */
	UNIT_JOIN,		/* dropped without ending the token */
	UNIT_SEPARATE		/* ends the token */
};

static int
is_ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Length of the UTF-8 sequence at p: the lead byte and its continuations. */
static size_t
sequence_length(const unsigned char *p)
{
	size_t n = 1;

	while (n < 4 && (p[n] & 0xc0) == 0x80)
		n++;
	return n;
}

static enum unit
classify(const unsigned char *p, size_t *len)
{
	*len = 1;
	if (p[0] < 0x80) {
		if (is_ascii_alnum(p[0]))
			return UNIT_KEEP;
		return p[0] == '\'' || p[0] == '`' ? UNIT_JOIN : UNIT_SEPARATE;
	}
	*len = sequence_length(p);
	if (*len == 2 && p[0] == 0xca && p[1] == 0xbc)		/* U+02BC */
		return UNIT_JOIN;
	if (*len == 2 && p[0] == 0xc2 && p[1] == 0xa0)		/* U+00A0 */
		return UNIT_SEPARATE;
	if (*len == 3 && p[0] == 0xe2 && p[1] == 0x80) {
		if (p[2] == 0x98 || p[2] == 0x99)		/* U+2018/9 */
			return UNIT_JOIN;
		if (p[2] >= 0x90 && p[2] <= 0x95)		/* U+2010..5 */
			return UNIT_SEPARATE;
	}
	return UNIT_KEEP;
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static unsigned char
upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

bool
identity_key(const char *name, date_t dob, char *buf, size_t size)
{
	const unsigned char	*p = (const unsigned char *)name;
	char			 date[DATE_STRLEN];
	size_t			 n = 0, len;
	bool			 gap = false;

	if (size == 0)
		return false;
	buf[0] = '\0';
	while (*p != '\0') {
		switch (classify(p, &len)) {
		case UNIT_SEPARATE:
			gap = n > 0;
			break;
		case UNIT_JOIN:
			break;
		case UNIT_KEEP:
			/* Room for this unit, a gap, and "|YYYY-MM-DD\0". */
			if (n + gap + len + DATE_STRLEN + 1 > size)
				goto fail;
			if (gap)
				buf[n++] = ' ';
			gap = false;
			for (size_t i = 0; i < len; i++)
				buf[n++] = (char)lower(p[i]);
			break;
		}
		p += len;
	}
	if (n == 0)
		goto fail;
	snprintf(buf + n, size - n, "|%s", date_format(dob, date));
	return true;
fail:
	buf[0] = '\0';
	return false;
}

char *
identity_initials(const char *name, char *buf, size_t size)
{
	const unsigned char	*p = (const unsigned char *)name;
	size_t			 n = 0, len;
	bool			 start = true;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	while (*p != '\0') {
		switch (classify(p, &len)) {
		case UNIT_SEPARATE:
			start = true;
			break;
		case UNIT_JOIN:
			break;
		case UNIT_KEEP:
			if (!start)
				break;
			start = false;
			if (n + len + 2 > size)		/* initial, '.', NUL */
				return buf;
			for (size_t i = 0; i < len; i++)
				buf[n++] = (char)upper(p[i]);
			buf[n++] = '.';
			buf[n] = '\0';
			break;
		}
		p += len;
	}
	return buf;
}

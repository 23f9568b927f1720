/*
 * UTF-8 to WinAnsi; see winansi.h.
 */
#include "core/render/winansi.h"

#include <stdint.h>

/* Code page 1252's bytes 0x80-0x9f (0: unassigned). */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/* U+0100-U+017F without their accents. */
static const char latin_ext_a[] =
	"AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi"
	"IiIiJjKkkLlLlLlL" "lLlNnNnNnnNnOoOo" "OoOoRrRrRrSsSsSs"
	"SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

/* Decodes one UTF-8 character; returns its length, 0 if invalid. */
static size_t
decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return n;
}

/* The byte for cp, 0 to drop it, or -1 for none. */
static int
map(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r' || (cp < 0x20) ||
	    (cp >= 0x7f && cp < 0xa0))
		return ' ';
	if (cp < 0x7f || (cp >= 0xa0 && cp <= 0xff))
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return 0x80 + i;
	if (cp >= 0x100 && cp <= 0x17f)
		return (unsigned char)latin_ext_a[cp - 0x100];
	switch (cp) {
	case 0x0218:			/* S and T with comma below */
		return 'S';
	case 0x0219:
		return 's';
	case 0x021a:
		return 'T';
	case 0x021b:
		return 't';
	case 0x2010: case 0x2011: case 0x2012: case 0x2212: case 0x2043:
		return '-';
	case 0x2015:
		return 0x97;			/* em dash */
	case 0x2032:
		return '\'';
	case 0x2033:
		return '"';
	case 0x2002: case 0x2003: case 0x2004: case 0x2005: case 0x2006:
	case 0x2007: case 0x2008: case 0x2009: case 0x200a: case 0x202f:
	case 0x205f: case 0x3000: case 0x2028: case 0x2029:
		return ' ';
	case 0x200b: case 0x200c: case 0x200d: case 0x2060: case 0xfeff:
		return 0;
	}
	return -1;
}

size_t
winansi_encode(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t replaced = 0, n;
	uint32_t cp;
	int c;

	while (*p != '\0') {
		if ((n = decode(p, &cp)) == 0) {
			buf_putc(out, '?');
			replaced++;
			p++;
			continue;
		}
		p += n;
		if ((c = map(cp)) < 0) {
			buf_putc(out, '?');
			replaced++;
		} else if (c > 0) {
			buf_putc(out, (char)c);
		}
	}
	return replaced;
}

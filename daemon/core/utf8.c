/* Well-formed UTF-8: see utf8.h. */
#include "core/utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
	size_t		n;
	uint32_t	c, min;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80) {
		if (cp != NULL)
			*cp = s[0];
		return 1;
	}
	/* C0, C1 and F5..FF lead nothing well formed; 80..BF lead nothing. */
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	/* In order, so that a NUL stops the walk before the next byte. */
	for (size_t i = 1; i < n; i++) {
		if (i >= avail || (s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = c;
	return n;
}

bool
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p != '\0'; p += n)
		if ((n = utf8_decode(p, SIZE_MAX, NULL)) == 0)
			return false;
	return true;
}

long
utf8_count(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	long count = 0;
	size_t n;

	for (; p < end; p += n, count++)
		if ((n = utf8_decode(p, (size_t)(end - p), NULL)) == 0)
			return -1;
	return count;
}

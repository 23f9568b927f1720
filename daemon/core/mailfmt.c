/*
 * Message header values and body text for the mailer; see mailfmt.h.
 */
#include "core/mailfmt.h"
#include "core/date.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool
mailfmt_address_ok(const char *a)
{
	const char *at = strchr(a, '@');
	size_t local, domain;

	if (at == NULL || strchr(at + 1, '@') != NULL)
		return false;
	local = (size_t)(at - a);
	domain = strlen(at + 1);
	if (local < 1 || local > 64 || domain < 1 || domain > 190)
		return false;
	for (const char *p = a; p < at; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>(),;:\"\\[]", *p) != NULL)
			return false;
	for (const char *p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return false;
	return true;
}

/* Subject text made harmless: see mailfmt.h.  Returns true if any byte
 * is outside printable ASCII afterwards. */
static bool
subject_clean(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool wide = false;
	uint32_t cp;
	size_t n;

	while (*p != '\0') {
		if ((n = utf8_decode(p, SIZE_MAX, &cp)) == 0) {
			buf_putc(out, '?');
			p++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			buf_putc(out, ' ');
		else {
			buf_add(out, p, n);
			if (cp >= 0x80)
				wide = true;
		}
		p += n;
	}
	return wide;
}

static void
b64_append(struct buf *out, const unsigned char *in, size_t len)
{
	char q[4];

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		q[0] = b64[(v >> 18) & 63];
		q[1] = b64[(v >> 12) & 63];
		q[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < len ? b64[v & 63] : '=';
		buf_add(out, q, 4);
	}
}

void
mailfmt_subject(struct buf *out, const char *subject)
{
	/* Bytes per word: "=?UTF-8?B?" + 4/3 of them + "?=" fits the limit. */
	const size_t chunk = (MAILFMT_WORD_MAX - 12) / 4 * 3;
	const unsigned char *p;
	struct buf clean;
	size_t left, take, n;
	uint32_t cp;

	buf_init(&clean);
	/*
	 * Plain ASCII goes as it is, unless it holds "=?", which a reader
	 * could take for the start of an encoded word.
	 */
	if (!subject_clean(&clean, subject) && strstr(buf_str(&clean), "=?") == NULL) {
		buf_puts(out, buf_str(&clean));
		buf_free(&clean);
		return;
	}
	p = (const unsigned char *)buf_str(&clean);
	left = clean.len;
	while (left > 0) {
		/* Whole characters only: a word must decode on its own. */
		take = 0;
		while (take < left && (n = utf8_decode(p + take, left - take, &cp)) != 0 &&
		    take + n <= chunk)
			take += n;
		if (take == 0)		/* cannot happen after subject_clean */
			take = 1;
		if (p != (const unsigned char *)buf_str(&clean))
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		b64_append(out, p, take);
		buf_puts(out, "?=");
		p += take;
		left -= take;
	}
	if (clean.failed)
		out->failed = true;
	buf_free(&clean);
}

void
mailfmt_address_list(struct buf *out, const char *prefix,
    const char *const *addrs, size_t n)
{
	size_t col = strlen(prefix), len;

	for (size_t i = 0; i < n; i++) {
		len = strlen(addrs[i]) + (i + 1 < n ? 1 : 0);
		if (i > 0) {
			if (col + 1 + len > MAILFMT_LINE_MAX) {
				buf_puts(out, "\r\n");
				col = 0;
			}
			buf_putc(out, ' ');
			col++;
		}
		buf_puts(out, addrs[i]);
		if (i + 1 < n)
			buf_putc(out, ',');
		col += len;
	}
}

char *
mailfmt_date(long long t, char out[MAILFMT_DATELEN])
{
	static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	long long d = t / 86400, s = t % 86400;
	int y, m, dd;

	if (s < 0) {
		s += 86400;
		d--;
	}
	date_to_ymd((date_t)d, &y, &m, &dd);
	snprintf(out, MAILFMT_DATELEN, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[date_weekday((date_t)d) - 1], dd, months[m - 1], y,
	    (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	return out;
}

void
mailfmt_crlf(struct buf *out, const char *text)
{
	const char *p = text, *start = text;

	for (; *p != '\0'; p++) {
		if (*p != '\r' && *p != '\n')
			continue;
		buf_add(out, start, (size_t)(p - start));
		buf_puts(out, "\r\n");
		if (p[0] == '\r' && p[1] == '\n')
			p++;
		start = p + 1;
	}
	buf_add(out, start, (size_t)(p - start));
}

static int
b64_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

bool
mailfmt_base64_decode(struct buf *out, const char *in)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0, v;
	unsigned char byte;

	for (const char *p = in; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (*p == '=') {
			pad++;
			continue;
		}
		/* Nothing but padding may follow padding. */
		if (pad > 0 || (v = b64_value(*p)) < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			byte = (unsigned char)((acc >> bits) & 0xff);
			buf_add(out, &byte, 1);
		}
	}
	/* Leftover bits are the padding's zeros: 0, 2 or 4 of them. */
	if (pad > 2 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0)
		return false;
	return !out->failed;
}

void
mailfmt_filename(char *out, size_t outlen, const char *name)
{
	size_t i = 0;

	if (outlen == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)name;
	    *p != '\0' && i + 1 < outlen; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '/')
			out[i++] = '_';
		else
			out[i++] = (char)*p;
	}
	out[i] = '\0';
	if (i == 0)
		snprintf(out, outlen, "attachment");
}

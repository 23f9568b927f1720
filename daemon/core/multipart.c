/*
 * multipart/form-data, as browsers send it (core/multipart.h).
 */
#include "core/multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool
multipart_is_form(const char *ct)
{
	size_t n = strlen("multipart/form-data");

	return ct != NULL && strncasecmp(ct, "multipart/form-data", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The boundary parameter, quoted or not; false when absent or too long. */
static bool
boundary_of(const char *ct, char out[MULTIPART_BOUNDARY_MAX + 1])
{
	const char *b = ct;
	size_t n;

	while (*b != '\0' && strncasecmp(b, "boundary=", 9) != 0)
		b++;
	if (*b == '\0')
		return false;
	b += strlen("boundary=");
	if (*b == '"') {
		b++;
		n = strcspn(b, "\"");
		if (b[n] != '"')
			return false;
	} else
		n = strcspn(b, "; \t");
	if (n == 0 || n > MULTIPART_BOUNDARY_MAX)
		return false;
	memcpy(out, b, n);
	out[n] = '\0';
	return true;
}

/* The first occurrence of needle (n bytes) in hay (len bytes), or NULL. */
static const char *
find(const char *hay, size_t len, const char *needle, size_t n)
{
	if (n == 0 || len < n)
		return NULL;
	for (size_t i = 0; i + n <= len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

/*
 * A Content-Disposition parameter's quoted value (name="x"), copied to
 * out; false when absent.  Browsers escape a quote in a file name as %22.
 */
static bool
param(const char *hdr, size_t len, const char *key, char *out, size_t outlen)
{
	char pat[32];
	const char *v, *end;
	size_t n;

	snprintf(pat, sizeof(pat), "; %s=\"", key);
	if ((v = find(hdr, len, pat, strlen(pat))) == NULL)
		return false;
	v += strlen(pat);
	if ((end = memchr(v, '"', len - (size_t)(v - hdr))) == NULL)
		return false;
	n = (size_t)(end - v);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

static bool
name_ok(const char *s)
{
	return s[0] != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(s);
}

/* One part: its headers (up to a blank line), then the value. */
static const char *
part(cJSON *form, const char *p, size_t len, bool *file_seen)
{
	const char *sep = find(p, len, "\r\n\r\n", 4), *disp;
	char name[129], filename[256], key[160];
	size_t hlen, vlen;
	char *value;
	bool is_file;

	if (sep == NULL)
		return "a part has no end to its headers";
	hlen = (size_t)(sep - p);
	disp = find(p, hlen, "Content-Disposition: form-data", 30);
	if (disp == NULL)
		disp = find(p, hlen, "content-disposition: form-data", 30);
	if (disp == NULL)
		return "a part is not form-data";
	if (!param(disp, hlen - (size_t)(disp - p), "name", name, sizeof(name)) ||
	    !name_ok(name))
		return "a part has no name, or a name that is not a field's";
	is_file = param(disp, hlen - (size_t)(disp - p), "filename", filename,
	    sizeof(filename));
	vlen = len - hlen - 4;
	if (memchr(sep + 4, '\0', vlen) != NULL)
		return is_file ? "the file is not a text file" :
		    "a field holds a NUL byte";
	if (cJSON_GetObjectItemCaseSensitive(form, name) != NULL)
		return "a field is sent twice";
	if (is_file && *file_seen)
		return "more than one file was sent";
	*file_seen = *file_seen || is_file;
	if ((value = malloc(vlen + 1)) == NULL)
		return "out of memory";
	memcpy(value, sep + 4, vlen);
	value[vlen] = '\0';
	/* An empty text field is left out, as formdecode does. */
	if (vlen > 0 || is_file)
		cJSON_AddStringToObject(form, name, value);
	free(value);
	if (is_file && filename[0] != '\0') {
		snprintf(key, sizeof(key), "%s.filename", name);
		cJSON_AddStringToObject(form, key, filename);
	}
	return NULL;
}

cJSON *
multipart_decode(const char *ct, const char *body, size_t len, const char **why)
{
	char b[MULTIPART_BOUNDARY_MAX + 1], delim[MULTIPART_BOUNDARY_MAX + 5];
	const char *p, *end = body + len, *next;
	size_t dlen;
	bool file_seen = false;
	int parts = 0;
	cJSON *form;

	*why = NULL;
	if (!multipart_is_form(ct) || !boundary_of(ct, b)) {
		*why = "the body is not multipart/form-data with a boundary";
		return NULL;
	}
	/* Every delimiter but the first follows a CRLF. */
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", b);
	if (len < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0) {
		*why = "the body does not start with the boundary";
		return NULL;
	}
	if ((form = cJSON_CreateObject()) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	p = body + dlen - 2;
	for (;;) {
		/* After a delimiter: "--" ends the body, CRLF starts a part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return form;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			*why = "a boundary is not followed by a line end";
			break;
		}
		p += 2;
		if ((next = find(p, (size_t)(end - p), delim, dlen)) == NULL) {
			*why = "the body ends inside a part";
			break;
		}
		if (++parts > MULTIPART_PARTS_MAX) {
			*why = "too many parts";
			break;
		}
		if ((*why = part(form, p, (size_t)(next - p), &file_seen)) != NULL)
			break;
		p = next + dlen;
	}
	cJSON_Delete(form);
	return NULL;
}

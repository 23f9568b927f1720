/*
 * Typed field readers over cJSON.  cJSON checks syntax only: it passes
 * invalid UTF-8 through, cuts strings at "\u0000", keeps duplicate keys
 * and reads numbers as doubles.  Each of those is dealt with here.
 */
#include "core/jsonfield.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_SHOWN_MAX	48	/* bytes of an unknown key quoted in a path */
#define KNOWN_MAX	32	/* members one object schema may have */

cJSON *
jsonfield_parse(const char *text, size_t len)
{
	char	*copy;
	cJSON	*root;

	/* A raw NUL would end a string early inside cJSON: not JSON anyway. */
	if (len == SIZE_MAX || memchr(text, '\0', len) != NULL)
		return NULL;
	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* Backslashes occur only in strings, each escaping the next byte. */
	for (size_t i = 0; i + 1 < len; i++) {
		if (copy[i] != '\\')
			continue;
		if (i + 5 < len && strncmp(copy + i + 1, "u0000", 5) == 0)
			copy[i + 5] = '1';
		i++;
	}
	root = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	return root;
}

void
jsonfield_path(char buf[FIELD_PATH_MAX], const char *prefix, const char *key)
{
	size_t	 n = 0, k;

	/*
	 * By hand, not snprintf: a path is made for every member read, and a
	 * bulk import reads about ninety a row.
	 */
	if (prefix[0] != '\0') {
		n = strnlen(prefix, FIELD_PATH_MAX - 2);
		memcpy(buf, prefix, n);
		buf[n++] = '.';
	}
	for (k = 0; key[k] != '\0' && k < KEY_SHOWN_MAX &&
	    n < FIELD_PATH_MAX - 1; k++) {
		unsigned char c = (unsigned char)key[k];

		buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (key[k] != '\0' && k == KEY_SHOWN_MAX)
		for (int dot = 0; dot < 3 && n < FIELD_PATH_MAX - 1; dot++)
			buf[n++] = '.';
	buf[n] = '\0';
}

void
jsonfield_members(const cJSON *obj, const char *path,
    const char *const known[], struct field_errors *fe)
{
	unsigned char	 seen[KNOWN_MAX] = { 0 };
	char		 p[FIELD_PATH_MAX];
	const cJSON	*m;
	size_t		 i;

	for (m = obj->child; m != NULL; m = m->next) {
		if (m->string == NULL)		/* built by hand, not parsed */
			continue;
		for (i = 0; i < KNOWN_MAX && known[i] != NULL; i++)
			if (strcmp(m->string, known[i]) == 0)
				break;
		if (i == KNOWN_MAX || known[i] == NULL) {
			jsonfield_path(p, path, m->string);
			field_errors_add(fe, p, "is not a known field");
		} else if (seen[i] < 2 && ++seen[i] == 2) {	/* say it once */
			jsonfield_path(p, path, m->string);
			field_errors_add(fe, p, "appears more than once");
		}
	}
}

const cJSON *
jsonfield_get(const cJSON *obj, const char *key)
{
	const cJSON *m;

	if (obj == NULL)
		return NULL;
	m = cJSON_GetObjectItemCaseSensitive(obj, key);
	return m == NULL || cJSON_IsNull(m) ? NULL : m;
}

/* The member, or NULL having said "is required" when it must be there. */
static const cJSON *
lookup(const cJSON *obj, const char *prefix, const char *key, int flags,
    char path[FIELD_PATH_MAX], struct field_errors *fe)
{
	const cJSON *m = jsonfield_get(obj, key);

	jsonfield_path(path, prefix, key);
	if (m == NULL && (flags & JSONFIELD_REQUIRED))
		field_errors_add(fe, path, "is required");
	return m;
}

static enum jsonfield_result
absent(int flags)
{
	return (flags & JSONFIELD_REQUIRED) ? JSONFIELD_INVALID :
	    JSONFIELD_ABSENT;
}

static enum jsonfield_result
invalid(struct field_errors *fe, const char *path, const char *reason)
{
	field_errors_add(fe, path, "%s", reason);
	return JSONFIELD_INVALID;
}

enum jsonfield_result
jsonfield_object(const cJSON *obj, const char *prefix, const char *key,
    int flags, const cJSON **out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	if (!cJSON_IsObject(m))
		return invalid(fe, path, "must be an object");
	*out = m;
	return JSONFIELD_OK;
}

enum jsonfield_result
jsonfield_array(const cJSON *obj, const char *prefix, const char *key,
    int flags, const cJSON **out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	if (!cJSON_IsArray(m))
		return invalid(fe, path, "must be an array");
	*out = m;
	return JSONFIELD_OK;
}

enum jsonfield_result
jsonfield_bool(const cJSON *obj, const char *prefix, const char *key,
    int flags, bool *out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	if (!cJSON_IsBool(m))
		return invalid(fe, path, "must be true or false");
	*out = cJSON_IsTrue(m);
	return JSONFIELD_OK;
}

enum jsonfield_result
jsonfield_int(const cJSON *obj, const char *prefix, const char *key,
    int flags, int min, int max, int *out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;
	double		 d;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	/* A non-number gets 0.5, which no whole-number test passes. */
	d = cJSON_IsNumber(m) ? m->valuedouble : 0.5;
	/* Range first, so that the cast below is defined. */
	if (!(d >= min && d <= max) || (double)(int)d != d) {
		field_errors_add(fe, path,
		    "must be a whole number from %d to %d", min, max);
		return JSONFIELD_INVALID;
	}
	*out = (int)d;
	return JSONFIELD_OK;
}

static bool
control_free(const char *s, int flags)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((flags & JSONFIELD_MULTILINE) &&
		    (c == '\t' || c == '\n' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* The string member, checked as text; NULL when an error was added. */
static const char *
text(const cJSON *m, const char *path, int flags, size_t max,
    struct field_errors *fe)
{
	const char *s;

	if (!cJSON_IsString(m)) {
		field_errors_add(fe, path, "must be a string");
		return NULL;
	}
	s = m->valuestring;
	if (strlen(s) > max)
		field_errors_add(fe, path, "must be at most %zu bytes", max);
	else if (!utf8_valid(s))
		field_errors_add(fe, path, "must be valid UTF-8");
	else if (!control_free(s, flags))
		field_errors_add(fe, path,
		    "must not contain NUL or control characters");
	else if (s[0] == '\0')
		field_errors_add(fe, path, "must not be empty");
	else if (blank(s))
		field_errors_add(fe, path, "must not be blank");
	else
		return s;
	return NULL;
}

static enum jsonfield_result
copy_out(const char *s, const char *path, char **out, struct field_errors *fe)
{
	size_t	 n = strlen(s) + 1;
	char	*c;

	if ((c = malloc(n)) == NULL)
		return invalid(fe, path, "could not be stored: out of memory");
	memcpy(c, s, n);
	*out = c;
	return JSONFIELD_OK;
}

enum jsonfield_result
jsonfield_string(const cJSON *obj, const char *prefix, const char *key,
    int flags, size_t max, char **out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;
	const char	*s;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	if ((s = text(m, path, flags, max, fe)) == NULL)
		return JSONFIELD_INVALID;
	return copy_out(s, path, out, fe);
}

static bool
code_valid(const char *s, size_t max)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n >= 1 && n <= max;
}

enum jsonfield_result
jsonfield_code(const cJSON *obj, const char *prefix, const char *key,
    int flags, size_t max, char **out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	if (!cJSON_IsString(m) || !code_valid(m->valuestring, max)) {
		field_errors_add(fe, path,
		    "must be a code of 1 to %zu characters a-z, 0-9 or _", max);
		return JSONFIELD_INVALID;
	}
	return copy_out(m->valuestring, path, out, fe);
}

enum jsonfield_result
jsonfield_choice_value(const cJSON *m, const char *path,
    const char *const names[], int *out, struct field_errors *fe)
{
	char	 list[FIELD_REASON_MAX];
	size_t	 len = 0;

	for (int i = 0; cJSON_IsString(m) && names[i] != NULL; i++)
		if (strcmp(m->valuestring, names[i]) == 0) {
			*out = i;
			return JSONFIELD_OK;
		}
	list[0] = '\0';
	for (int i = 0; names[i] != NULL; i++) {
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
			    "%s%s", i > 0 ? ", " : "", names[i]);
	}
	field_errors_add(fe, path, "must be one of: %s", list);
	return JSONFIELD_INVALID;
}

enum jsonfield_result
jsonfield_choice(const cJSON *obj, const char *prefix, const char *key,
    int flags, const char *const names[], int *out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	return jsonfield_choice_value(m, path, names, out, fe);
}

enum jsonfield_result
jsonfield_date(const cJSON *obj, const char *prefix, const char *key,
    int flags, date_t today, date_t *out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;
	date_t		 d;

	if ((m = lookup(obj, prefix, key, flags, path, fe)) == NULL)
		return absent(flags);
	if (!cJSON_IsString(m) || !date_parse(m->valuestring, &d))
		return invalid(fe, path,
		    "must be a real calendar date written YYYY-MM-DD");
	if (d > today)
		return invalid(fe, path, "must not be after today");
	*out = d;
	return JSONFIELD_OK;
}

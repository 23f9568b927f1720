/*
 * Form posts to JSON (formdecode.h): each pair is decoded, its name taken
 * apart into parts, and its value put where the parts say, creating the
 * objects and arrays on the way.  Everything is checked before anything
 * is kept, and any mistake refuses the whole form: a browser posting one
 * of maracd's own forms makes none of them.
 */
#include "core/formdecode.h"
#include "core/utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum part_kind {
	PART_KEY,		/* name */
	PART_APPEND,		/* name[] */
	PART_INDEX,		/* name[n] */
};

struct part {
	char		key[FORMDECODE_NAME_MAX + 1];
	enum part_kind	kind;
	int		index;
};

static int
hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum unescaped {
	UNESCAPED_OK,
	UNESCAPED_BAD_ESCAPE,
	UNESCAPED_TOO_LONG,
	UNESCAPED_NOT_UTF8,
};

/* Decodes in[0..n) into out (max bytes and a NUL); *outlen the bytes. */
static enum unescaped
unescape(const char *in, size_t n, char *out, size_t max, size_t *outlen)
{
	size_t k = 0;
	int hi, lo;

	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (n - i < 3 || (hi = hex(in[i + 1])) < 0 ||
			    (lo = hex(in[i + 2])) < 0)
				return UNESCAPED_BAD_ESCAPE;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		/* A NUL, sent raw or as %00, would cut the string short. */
		if (c == '\0')
			c = '\001';
		if (k == max)
			return UNESCAPED_TOO_LONG;
		out[k++] = c;
	}
	out[k] = '\0';
	*outlen = k;
	return utf8_count(out, k) < 0 ? UNESCAPED_NOT_UTF8 : UNESCAPED_OK;
}

static const char *
unescape_why(enum unescaped u, bool name)
{
	switch (u) {
	case UNESCAPED_OK:
		break;
	case UNESCAPED_BAD_ESCAPE:
		return "a %-escape is not two hexadecimal digits";
	case UNESCAPED_TOO_LONG:
		return name ? "a field's name is too long" : "a field's value is too long";
	case UNESCAPED_NOT_UTF8:
		return name ? "a field's name is not valid UTF-8" :
		    "a field's value is not valid UTF-8";
	}
	return NULL;
}

static bool
key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* The name's parts into parts; their number, or -1 with *why. */
static int
split_name(const char *name, struct part parts[FORMDECODE_PARTS_MAX],
    const char **why)
{
	static const char bad[] = "a field's name is not dotted parts of letters, "
	    "digits, '_' and '-', each optionally with [] or [n]";
	const char *p = name;
	int n = 0;

	for (;;) {
		struct part *pt;
		size_t k = 0;

		if (n == FORMDECODE_PARTS_MAX) {
			*why = "a field's name has too many dotted parts";
			return -1;
		}
		pt = &parts[n++];
		while (key_char(*p))
			pt->key[k++] = *p++;
		pt->key[k] = '\0';
		pt->kind = PART_KEY;
		pt->index = 0;
		if (k == 0) {
			*why = bad;
			return -1;
		}
		if (p[0] == '[' && p[1] == ']') {
			pt->kind = PART_APPEND;
			p += 2;
		} else if (p[0] == '[') {
			long v = 0;

			p++;
			if (*p < '0' || *p > '9') {
				*why = bad;
				return -1;
			}
			while (*p >= '0' && *p <= '9') {
				v = v * 10 + (*p++ - '0');
				if (v > FORMDECODE_INDEX_MAX) {
					*why = "a field's index is too large";
					return -1;
				}
			}
			if (*p++ != ']') {
				*why = bad;
				return -1;
			}
			pt->kind = PART_INDEX;
			pt->index = (int)v;
		}
		if (*p == '\0')
			return n;
		/* [] ends a name: what follows would have no element to go in. */
		if (*p != '.' || pt->kind == PART_APPEND) {
			*why = bad;
			return -1;
		}
		p++;
	}
}

static const char conflict[] = "a field's name is used both for a value and for "
    "a group of fields";

/*
 * Does array a hold elements of type (cJSON_String: values, cJSON_Object:
 * groups)?  The first that is not a hole says; an array of holes may
 * become either.
 */
static bool
array_holds(const cJSON *a, int type)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, a)
		if (!cJSON_IsNull(e))
			return (e->type & 0xff) == type;
	return true;
}

/*
 * Adds value under key of obj: a new string, or one more of a repeated
 * name (the string becomes an array), or an element of name[].
 */
static const char *
add_value(cJSON *obj, const char *key, bool array, const char *value)
{
	cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, key), *v, *a;

	if ((v = cJSON_CreateString(value)) == NULL)
		return "out of memory";
	if (old == NULL) {
		if (!array) {
			cJSON_AddItemToObject(obj, key, v);
			return NULL;
		}
		if ((a = cJSON_AddArrayToObject(obj, key)) == NULL) {
			cJSON_Delete(v);
			return "out of memory";
		}
		cJSON_AddItemToArray(a, v);
		return NULL;
	}
	if (cJSON_IsString(old)) {
		/* A repeated name: [the first value, this one]. */
		if ((a = cJSON_CreateArray()) == NULL) {
			cJSON_Delete(v);
			return "out of memory";
		}
		cJSON_AddItemToArray(a, cJSON_DetachItemViaPointer(obj, old));
		cJSON_AddItemToArray(a, v);
		cJSON_AddItemToObject(obj, key, a);
		return NULL;
	}
	if (cJSON_IsArray(old) && array_holds(old, cJSON_String)) {
		cJSON_AddItemToArray(old, v);
		return NULL;
	}
	cJSON_Delete(v);
	return conflict;
}

/* The element n of array a, null elements added up to it. */
static cJSON *
element(cJSON *a, int n)
{
	while (cJSON_GetArraySize(a) <= n) {
		cJSON *z = cJSON_CreateNull();

		if (z == NULL)
			return NULL;
		cJSON_AddItemToArray(a, z);
	}
	return cJSON_GetArrayItem(a, n);
}

static const char *
insert(cJSON *root, const struct part *parts, int n, const char *value)
{
	cJSON *node = root;

	for (int i = 0; i < n; i++) {
		const struct part *pt = &parts[i];
		bool last = i == n - 1;
		cJSON *child = cJSON_GetObjectItemCaseSensitive(node, pt->key), *e, *fresh;

		if (pt->kind != PART_INDEX) {
			if (last)
				return add_value(node, pt->key, pt->kind == PART_APPEND, value);
			if (child == NULL && (child = cJSON_AddObjectToObject(node,
			    pt->key)) == NULL)
				return "out of memory";
			if (!cJSON_IsObject(child))
				return conflict;
			node = child;
			continue;
		}
		if (child == NULL && (child = cJSON_AddArrayToObject(node, pt->key)) == NULL)
			return "out of memory";
		if (!cJSON_IsArray(child) ||
		    !array_holds(child, last ? cJSON_String : cJSON_Object))
			return conflict;
		if ((e = element(child, pt->index)) == NULL)
			return "out of memory";
		if (!cJSON_IsNull(e)) {
			if (last || !cJSON_IsObject(e))
				return conflict;
			node = e;
			continue;
		}
		fresh = last ? cJSON_CreateString(value) : cJSON_CreateObject();
		if (fresh == NULL)
			return "out of memory";
		cJSON_ReplaceItemInArray(child, pt->index, fresh);
		if (last)
			return NULL;
		node = fresh;
	}
	return NULL;
}

/* Drops the nulls that indexes left in arrays, everywhere below v. */
static void
close_holes(cJSON *v)
{
	cJSON *e, *next;

	for (e = v->child; e != NULL; e = next) {
		next = e->next;
		if (cJSON_IsArray(v) && cJSON_IsNull(e))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, e));
		else if (cJSON_IsArray(e) || cJSON_IsObject(e))
			close_holes(e);
	}
}

cJSON *
formdecode(const char *body, size_t len, const char **why)
{
	char name[FORMDECODE_NAME_MAX + 1], *value;
	struct part parts[FORMDECODE_PARTS_MAX];
	size_t vmax = len < FORMDECODE_VALUE_MAX ? len : FORMDECODE_VALUE_MAX;
	cJSON *root = cJSON_CreateObject();
	const char *p = body, *end = body + len, *e;
	enum unescaped u;
	int fields = 0;

	*why = "out of memory";
	/* A value is never longer than the body. */
	if (root == NULL || (value = malloc(vmax + 1)) == NULL) {
		cJSON_Delete(root);
		return NULL;
	}
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;
		size_t nlen, vlen = 0;
		int nparts;

		if (amp == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (++fields > FORMDECODE_FIELDS_MAX) {
			*why = "the form has too many fields";
			goto fail;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		u = unescape(p, (size_t)(eq - p), name, FORMDECODE_NAME_MAX, &nlen);
		if (u != UNESCAPED_OK) {
			*why = unescape_why(u, true);
			goto fail;
		}
		if ((nparts = split_name(name, parts, why)) < 0)
			goto fail;
		if (eq < amp && (u = unescape(eq + 1, (size_t)(amp - eq - 1), value,
		    vmax, &vlen)) != UNESCAPED_OK) {
			*why = unescape_why(u, false);
			goto fail;
		}
		p = amp;
		if (vlen == 0)
			continue;
		if ((e = insert(root, parts, nparts, value)) != NULL) {
			*why = e;
			goto fail;
		}
	}
	free(value);
	close_holes(root);
	*why = NULL;
	return root;
fail:
	free(value);
	cJSON_Delete(root);
	return NULL;
}

void
formdecode_field_id(const char *path, char out[FORMDECODE_ID_MAX])
{
	size_t k = 0;

	for (const char *p = path; *p != '\0' && k < FORMDECODE_ID_MAX - 1; p++) {
		if (*p == ']')
			continue;
		out[k++] = *p == '.' || *p == '[' ? '-' : *p;
	}
	out[k] = '\0';
}

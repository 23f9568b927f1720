/* The canonical JSON writer: see canonjson.h. */
#include "core/canonjson.h"

#include <math.h>
#include <string.h>

void
canonjson_init(struct canonjson *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void
sep(struct canonjson *w)
{
	if (w->depth > 0 && !w->first[w->depth])
		buf_putc(w->out, ',');
	w->first[w->depth] = false;
}

static void
value_sep(struct canonjson *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	sep(w);
}

static void
string_raw(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run;

	buf_putc(out, '"');
	/* Only what JSON requires is escaped (as RFC 8785 does). */
	while (*s != '\0') {
		run = s;
		while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
			s++;
		buf_add(out, run, (size_t)(s - run));
		switch (*s) {
		case '\0':
			break;
		case '"':
			buf_puts(out, "\\\"");
			break;
		case '\\':
			buf_puts(out, "\\\\");
			break;
		case '\b':
			buf_puts(out, "\\b");
			break;
		case '\f':
			buf_puts(out, "\\f");
			break;
		case '\n':
			buf_puts(out, "\\n");
			break;
		case '\r':
			buf_puts(out, "\\r");
			break;
		case '\t':
			buf_puts(out, "\\t");
			break;
		default:
			buf_puts(out, "\\u00");
			buf_putc(out, hex[(unsigned char)*s >> 4]);
			buf_putc(out, hex[*s & 0xf]);
			break;
		}
		if (*s != '\0')
			s++;
	}
	buf_putc(out, '"');
}

void
canonjson_open(struct canonjson *w, char c)
{
	value_sep(w);
	buf_putc(w->out, c);
	if (w->depth == CANONJSON_DEPTH_MAX) {
		w->too_deep = true;
		return;
	}
	w->depth++;
	w->first[w->depth] = true;
}

void
canonjson_close(struct canonjson *w, char c)
{
	buf_putc(w->out, c);
	if (w->depth > 0)
		w->depth--;
}

void
canonjson_key(struct canonjson *w, const char *key)
{
	sep(w);
	string_raw(w->out, key);
	buf_putc(w->out, ':');
	w->after_key = true;
}

void
canonjson_str(struct canonjson *w, const char *s)
{
	value_sep(w);
	if (s == NULL)
		buf_puts(w->out, "null");
	else
		string_raw(w->out, s);
}

void
canonjson_int(struct canonjson *w, int64_t n)
{
	value_sep(w);
	buf_printf(w->out, "%lld", (long long)n);
}

void
canonjson_bool(struct canonjson *w, bool b)
{
	value_sep(w);
	buf_puts(w->out, b ? "true" : "false");
}

void
canonjson_null(struct canonjson *w)
{
	value_sep(w);
	buf_puts(w->out, "null");
}

/* Whole numbers a double holds exactly: |n| <= 2^53. */
#define WHOLE_MAX	9007199254740992.0

static bool
tree(struct canonjson *w, const cJSON *v)
{
	const cJSON *e;
	double d;

	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool obj = cJSON_IsObject(v);

		canonjson_open(w, obj ? '{' : '[');
		cJSON_ArrayForEach(e, v) {
			if (obj)
				canonjson_key(w, e->string != NULL ? e->string : "");
			if (!tree(w, e))
				return false;
		}
		canonjson_close(w, obj ? '}' : ']');
		return !w->too_deep;
	}
	if (cJSON_IsString(v))
		canonjson_str(w, v->valuestring);
	else if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (!(d == floor(d) && fabs(d) <= WHOLE_MAX))
			return false;
		canonjson_int(w, (int64_t)d);
	} else if (cJSON_IsBool(v))
		canonjson_bool(w, cJSON_IsTrue(v));
	else if (cJSON_IsNull(v))
		canonjson_null(w);
	else
		return false;
	return true;
}

int
canonjson_tree(struct buf *out, const cJSON *v, const char **why)
{
	struct canonjson w;

	canonjson_init(&w, out);
	if (!tree(&w, v))
		return why_fail(why, CANONJSON_WHY_TREE);
	if (buf_failed(out))
		return why_fail(why, WHY_NOMEM);
	return 0;
}

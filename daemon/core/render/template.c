/*
 * The template engine (template.h): a parser that turns a template's
 * text into a tree of nodes once, and a renderer that walks the tree
 * with a stack of contexts.  Text nodes point into the template's own
 * copy of its source; tag names are split into their dotted parts when
 * parsed, so rendering only looks them up.
 */
#include "core/render/template.h"
#include "core/render/html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind {
	NODE_TEXT,
	NODE_VALUE,		/* {{a}} */
	NODE_SECTION,		/* {{#a}} */
	NODE_INVERTED,		/* {{^a}} */
	NODE_PARTIAL,		/* {{>name}} */
	NODE_DYNAMIC,		/* {{>*a}} */
};

struct node;

struct block {
	struct node	*nodes;
	size_t		 n, cap;
};

struct node {
	enum node_kind	 kind;
	int		 line;
	const char	*text;		/* NODE_TEXT: into the source */
	size_t		 len;
	/*
	 * A tag's name: its dotted parts one after another, each with its
	 * NUL ("a\0b\0" for a.b); "." alone is the current context (nparts 0).
	 */
	char		*name;
	int		 nparts;
	struct block	 body;		/* sections */
};

struct template {
	char		*name;
	char		*source;
	struct block	 root;
};

struct template_set {
	struct template	*t;
	size_t		 n, cap;
};

static void
block_free(struct block *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->nodes[i].name);
		block_free(&b->nodes[i].body);
	}
	free(b->nodes);
	b->nodes = NULL;
	b->n = b->cap = 0;
}

/*
 * The array p of *cap elements of size, with room for one more than n:
 * p itself, or where it moved; NULL without memory (p is left alone).
 */
static void *
grow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? 2 * *cap : 8;

	if (n < *cap)
		return p;
	if ((p = realloc(p, want * size)) != NULL)
		*cap = want;
	return p;
}

static struct node *
block_add(struct block *b, enum node_kind kind, int line)
{
	struct node *n = grow(b->nodes, &b->cap, b->n, sizeof(*n));

	if (n == NULL)
		return NULL;
	b->nodes = n;
	n = &b->nodes[b->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = line;
	return n;
}

struct template_set *
template_set_new(void)
{
	return calloc(1, sizeof(struct template_set));
}

void
template_set_free(struct template_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->t[i].name);
		free(set->t[i].source);
		block_free(&set->t[i].root);
	}
	free(set->t);
	free(set);
}

static const struct template *
find(const struct template_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0)
			return &set->t[i];
	return NULL;
}

bool
template_exists(const struct template_set *set, const char *name)
{
	return find(set, name) != NULL;
}

static void
errorf(char *err, const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
errorf(char *err, const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return;
	n = snprintf(err, TEMPLATE_ERR_MAX, "%s:%d: ", name, line);
	if (n < 0 || n >= TEMPLATE_ERR_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, TEMPLATE_ERR_MAX - (size_t)n, fmt, ap);
	va_end(ap);
}

static bool
name_char(char c, bool slash)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || (slash && c == '/');
}

/* A template's name: 1..TEMPLATE_NAME_MAX of [A-Za-z0-9_/-]. */
static bool
template_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > TEMPLATE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i], true))
			return false;
	return true;
}

/*
 * A tag's name into n: "." or dotted parts of [A-Za-z0-9_-].  NULL on
 * success, else what is wrong with it.
 */
static const char *
tag_name(struct node *n, const char *s, size_t len)
{
	char *p;

	if (len == 0)
		return "the tag has no name";
	if (len > TEMPLATE_NAME_MAX)
		return "the name is too long";
	if ((n->name = malloc(len + 1)) == NULL)
		return "out of memory";
	if (len == 1 && s[0] == '.') {
		n->name[0] = '\0';
		n->nparts = 0;
		return NULL;
	}
	p = n->name;
	n->nparts = 1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (i == 0 || i == len - 1 || s[i - 1] == '.')
				return "a name has an empty part";
			*p++ = '\0';
			n->nparts++;
		} else if (name_char(s[i], false))
			*p++ = s[i];
		else
			return "a name may have only letters, digits, '_', '-' and '.'";
	}
	*p = '\0';
	return NULL;
}

/* Bytes of a parsed name, its NULs included. */
static size_t
name_size(const struct node *n)
{
	size_t k = 0;

	if (n->nparts == 0)
		return 1;
	for (int i = 0; i < n->nparts; i++)
		k += strlen(n->name + k) + 1;
	return k;
}

static int
lines_in(const char *s, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* Parses t->source (len bytes) into t->root; false with err. */
static bool
parse(struct template *t, size_t len, char *err)
{
	struct node *open[TEMPLATE_DEPTH_MAX];
	struct block *cur = &t->root;
	const char *src = t->source, *end = src + len, *p = src, *tag, *close;
	int depth = 0, line = 1;

	while (p < end) {
		const char *body, *what;
		enum node_kind kind;
		struct node *n;
		size_t blen;
		char sigil;

		tag = memmem(p, (size_t)(end - p), "{{", 2);
		if (tag == NULL)
			tag = end;
		if (tag > p) {
			if ((n = block_add(cur, NODE_TEXT, line)) == NULL)
				goto oom;
			n->text = p;
			n->len = (size_t)(tag - p);
			line += lines_in(p, n->len);
		}
		if (tag == end)
			break;
		close = memmem(tag + 2, (size_t)(end - tag - 2), "}}", 2);
		if (close == NULL) {
			errorf(err, t->name, line, "'{{' is not closed by '}}'");
			return false;
		}
		body = tag + 2;
		sigil = body < close ? *body : '\0';
		if (sigil == '!') {	/* a comment: may span lines */
			line += lines_in(tag, (size_t)(close - tag));
			p = close + 2;
			continue;
		}
		if (sigil == '{' || sigil == '&') {
			errorf(err, t->name, line, "unescaped output ({{{...}}}, {{&...}}) "
			    "is not supported");
			return false;
		}
		if (sigil == '=') {
			errorf(err, t->name, line, "changing delimiters is not supported");
			return false;
		}
		if (lines_in(tag, (size_t)(close - tag)) != 0) {
			errorf(err, t->name, line, "a tag may not span lines");
			return false;
		}
		kind = NODE_VALUE;
		switch (sigil) {
		case '#': kind = NODE_SECTION; body++; break;
		case '^': kind = NODE_INVERTED; body++; break;
		case '/': body++; break;
		case '>':
			kind = NODE_PARTIAL;
			body++;
			while (body < close && (*body == ' ' || *body == '\t'))
				body++;
			if (body < close && *body == '*') {
				kind = NODE_DYNAMIC;
				body++;
			}
			break;
		}
		while (body < close && (*body == ' ' || *body == '\t'))
			body++;
		blen = (size_t)(close - body);
		while (blen > 0 && (body[blen - 1] == ' ' || body[blen - 1] == '\t'))
			blen--;
		p = close + 2;
		if (sigil == '/') {
			struct node *o = depth > 0 ? open[depth - 1] : NULL;
			struct node tmp = { 0 };
			bool same;

			what = tag_name(&tmp, body, blen);
			same = what == NULL && o != NULL && tmp.nparts == o->nparts &&
			    name_size(&tmp) == name_size(o) &&
			    memcmp(tmp.name, o->name, name_size(o)) == 0;
			free(tmp.name);
			if (what != NULL) {
				errorf(err, t->name, line, "%s", what);
				return false;
			}
			if (o == NULL) {
				errorf(err, t->name, line, "{{/%.*s}} closes no section",
				    (int)blen, body);
				return false;
			}
			if (!same) {
				errorf(err, t->name, line, "{{/%.*s}} does not close the "
				    "section opened on line %d", (int)blen, body, o->line);
				return false;
			}
			depth--;
			cur = depth > 0 ? &open[depth - 1]->body : &t->root;
			continue;
		}
		if ((n = block_add(cur, kind, line)) == NULL)
			goto oom;
		if (kind == NODE_PARTIAL) {
			if (!template_name_ok(body, blen)) {
				errorf(err, t->name, line, "a partial's name is 1 to %d "
				    "letters, digits, '_', '-' or '/'", TEMPLATE_NAME_MAX);
				return false;
			}
			if ((n->name = strndup(body, blen)) == NULL)
				goto oom;
			continue;
		}
		if ((what = tag_name(n, body, blen)) != NULL) {
			errorf(err, t->name, line, "%s", what);
			return false;
		}
		if (kind == NODE_SECTION || kind == NODE_INVERTED) {
			if (depth == TEMPLATE_DEPTH_MAX) {
				errorf(err, t->name, line, "sections nest deeper than %d",
				    TEMPLATE_DEPTH_MAX);
				return false;
			}
			open[depth++] = n;
			cur = &n->body;
		}
	}
	if (depth > 0) {
		errorf(err, t->name, open[depth - 1]->line, "the section opened here "
		    "is not closed");
		return false;
	}
	return true;
oom:
	errorf(err, t->name, line, "out of memory");
	return false;
}

bool
template_set_add(struct template_set *set, const char *name, const char *text,
    size_t len, char err[TEMPLATE_ERR_MAX])
{
	struct template t = { 0 }, *grown;

	if (!template_name_ok(name, strlen(name))) {
		errorf(err, "?", 0, "a template's name is 1 to %d letters, digits, "
		    "'_', '-' or '/'", TEMPLATE_NAME_MAX);
		return false;
	}
	if (find(set, name) != NULL) {
		errorf(err, name, 0, "a template of this name exists already");
		return false;
	}
	if ((grown = grow(set->t, &set->cap, set->n, sizeof(*grown))) == NULL)
		goto oom;
	set->t = grown;
	if ((t.name = strdup(name)) == NULL || (t.source = malloc(len + 1)) == NULL)
		goto oom;
	memcpy(t.source, text, len);
	t.source[len] = '\0';
	if (!parse(&t, len, err)) {
		free(t.name);
		free(t.source);
		block_free(&t.root);
		return false;
	}
	set->t[set->n++] = t;
	return true;
oom:
	free(t.name);
	errorf(err, name, 0, "out of memory");
	return false;
}

static bool
check_block(const struct template_set *set, const struct template *t,
    const struct block *b, char *err)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct node *n = &b->nodes[i];

		if (n->kind == NODE_PARTIAL && find(set, n->name) == NULL) {
			errorf(err, t->name, n->line, "no template called %s", n->name);
			return false;
		}
		if (!check_block(set, t, &n->body, err))
			return false;
	}
	return true;
}

bool
template_set_check(const struct template_set *set, char err[TEMPLATE_ERR_MAX])
{
	for (size_t i = 0; i < set->n; i++)
		if (!check_block(set, &set->t[i], &set->t[i].root, err))
			return false;
	return true;
}

/* --- rendering ---------------------------------------------------------- */

struct render {
	const struct template_set *set;
	struct buf	*out;
	const cJSON	*stack[TEMPLATE_DEPTH_MAX];
	int		 depth;		/* contexts on the stack */
	int		 nesting;	/* contexts and partials, for the limit */
	long		 steps;
	char		*err;
};

/* A part of 1 to 4 digits as an array index (errors.0), else -1. */
static int
index_of(const char *part)
{
	size_t n = strspn(part, "0123456789");

	return n > 0 && n <= 4 && part[n] == '\0' ? atoi(part) : -1;
}

static const cJSON *
lookup(const struct render *rd, const struct node *n)
{
	const cJSON *v = NULL;
	const char *part = n->name;

	if (n->nparts == 0)
		return rd->stack[rd->depth - 1];
	for (int i = rd->depth - 1; i >= 0 && v == NULL; i--)
		if (cJSON_IsObject(rd->stack[i]))
			v = cJSON_GetObjectItemCaseSensitive(rd->stack[i], part);
	for (int k = 1; k < n->nparts && v != NULL; k++) {
		part += strlen(part) + 1;
		if (cJSON_IsObject(v))
			v = cJSON_GetObjectItemCaseSensitive(v, part);
		else if (cJSON_IsArray(v) && index_of(part) >= 0)
			v = cJSON_GetArrayItem(v, index_of(part));
		else
			v = NULL;
	}
	return v;
}

static void
value(struct buf *out, const cJSON *v)
{
	double d;

	if (cJSON_IsString(v))
		html_escape(out, v->valuestring);
	else if (cJSON_IsBool(v))
		buf_puts(out, cJSON_IsTrue(v) ? "true" : "false");
	else if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
			buf_printf(out, "%lld", (long long)d);
		else
			buf_printf(out, "%.15g", d);
	}
}

/* Does {{#a}} render its body for v? */
static bool
truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return false;
	if (cJSON_IsArray(v))
		return cJSON_GetArraySize(v) > 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	return true;
}

static bool	render_block(struct render *, const struct template *,
		    const struct block *);

static bool
push(struct render *rd, const struct template *t, const struct node *n,
    const cJSON *v)
{
	if (rd->nesting == TEMPLATE_DEPTH_MAX) {
		errorf(rd->err, t->name, n->line, "contexts and partials nest deeper "
		    "than %d", TEMPLATE_DEPTH_MAX);
		return false;
	}
	rd->stack[rd->depth++] = v;
	rd->nesting++;
	return true;
}

static void
pop(struct render *rd)
{
	rd->depth--;
	rd->nesting--;
}

static bool
section(struct render *rd, const struct template *t, const struct node *n)
{
	const cJSON *v = lookup(rd, n), *e;
	bool ok = true;

	if (n->kind == NODE_INVERTED)
		return truthy(v) ? true : render_block(rd, t, &n->body);
	if (!truthy(v))
		return true;
	if (!cJSON_IsArray(v)) {
		if (!push(rd, t, n, v))
			return false;
		ok = render_block(rd, t, &n->body);
		pop(rd);
		return ok;
	}
	cJSON_ArrayForEach(e, v) {
		if (!push(rd, t, n, e))
			return false;
		ok = render_block(rd, t, &n->body);
		pop(rd);
		if (!ok)
			return false;
	}
	return true;
}

static bool
partial(struct render *rd, const struct template *t, const struct node *n)
{
	const struct template *p;
	const cJSON *v;
	bool ok;

	if (n->kind == NODE_PARTIAL)
		p = find(rd->set, n->name);
	else {
		v = lookup(rd, n);
		p = cJSON_IsString(v) ? find(rd->set, v->valuestring) : NULL;
	}
	if (p == NULL) {
		errorf(rd->err, t->name, n->line, "no template called %s",
		    n->kind == NODE_PARTIAL ? n->name : "by this value");
		return false;
	}
	if (rd->nesting == TEMPLATE_DEPTH_MAX) {
		errorf(rd->err, t->name, n->line, "contexts and partials nest deeper "
		    "than %d", TEMPLATE_DEPTH_MAX);
		return false;
	}
	rd->nesting++;
	ok = render_block(rd, p, &p->root);
	rd->nesting--;
	return ok;
}

static bool
render_block(struct render *rd, const struct template *t, const struct block *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct node *n = &b->nodes[i];

		if (rd->steps-- <= 0) {
			errorf(rd->err, t->name, n->line, "the page is too much work "
			    "(over the limit of steps)");
			return false;
		}
		switch (n->kind) {
		case NODE_TEXT:
			buf_add(rd->out, n->text, n->len);
			break;
		case NODE_VALUE:
			value(rd->out, lookup(rd, n));
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			if (!section(rd, t, n))
				return false;
			break;
		case NODE_PARTIAL:
		case NODE_DYNAMIC:
			if (!partial(rd, t, n))
				return false;
			break;
		}
		if (buf_failed(rd->out)) {
			errorf(rd->err, t->name, n->line, "out of memory");
			return false;
		}
	}
	return true;
}

bool
template_render_steps(const struct template_set *set, const char *name,
    const cJSON *ctx, struct buf *out, long max_steps, char err[TEMPLATE_ERR_MAX])
{
	const struct template *t = find(set, name);
	struct render rd = { .set = set, .out = out, .steps = max_steps, .err = err };

	if (t == NULL) {
		errorf(err, name, 0, "no such template");
		return false;
	}
	rd.stack[0] = ctx;
	rd.depth = rd.nesting = 1;
	return render_block(&rd, t, &t->root);
}

bool
template_render(const struct template_set *set, const char *name,
    const cJSON *ctx, struct buf *out, char err[TEMPLATE_ERR_MAX])
{
	return template_render_steps(set, name, ctx, out, TEMPLATE_STEPS_MAX, err);
}

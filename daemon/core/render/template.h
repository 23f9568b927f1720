/*
 * Templates for the web pages: a subset of Mustache, parsed once into a
 * tree when maracd starts, rendered against a cJSON context with every
 * value HTML-escaped.
 *
 *   {{a.b}}          the value, escaped (& < > " '); a string, number or
 *                    true/false; anything else, or nothing, renders empty
 *   {{#a}}...{{/a}}  an array: once per element, the element the context;
 *                    an object, true, a non-empty string or a non-zero
 *                    number: once, the value the context; else not at all
 *   {{^a}}...{{/a}}  once exactly when {{#a}} would render nothing
 *   {{>name}}        the template called name, in the same context
 *   {{>*a}}          the template whose name is the value of a (the
 *                    layout renders the page it is given this way)
 *   {{! comment }}   nothing
 *   {{.}}            the current context
 *
 * A name is looked up as Mustache does: its first part in the innermost
 * context that has it, walking outward; the other parts inside that.  A
 * part of digits after the first indexes an array: {{#errors.0}} is true
 * when the list has an element.
 *
 * There is no unescaped output ({{{a}}}, {{&a}}): nothing a template
 * prints can become markup.  Delimiters cannot be changed and standalone
 * tag lines are kept as they are (HTML does not mind the white space).
 *
 * Limits keep a template and its data from costing unbounded work:
 * sections nest at most TEMPLATE_DEPTH_MAX deep in one template, and a
 * render gives up past TEMPLATE_DEPTH_MAX contexts and partials in all,
 * or past TEMPLATE_STEPS_MAX tags and texts visited.
 */
#ifndef MARACD_CORE_RENDER_TEMPLATE_H
#define MARACD_CORE_RENDER_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/buf.h"

#define TEMPLATE_DEPTH_MAX	32
#define TEMPLATE_NAME_MAX	64	/* bytes of a name in a tag or of a template */
#define TEMPLATE_STEPS_MAX	(1L << 22)
#define TEMPLATE_ERR_MAX	256	/* "name:line: what", with its NUL */

struct template_set;

struct template_set *template_set_new(void);
void	template_set_free(struct template_set *);

/*
 * Parses len bytes of text (no NUL needed) as the template called name
 * (letters, digits, '_', '-', '/'; at most TEMPLATE_NAME_MAX bytes).
 * False, with err "name:line: what is wrong" and the set unchanged, for a
 * mistake in the text, a bad or repeated name, or no memory.
 */
bool	template_set_add(struct template_set *, const char *name,
	    const char *text, size_t len, char err[TEMPLATE_ERR_MAX]);
/*
 * Every template named by a {{>name}} is in the set: call once the last
 * is added.  False with err naming the first missing, and where.
 */
bool	template_set_check(const struct template_set *, char err[TEMPLATE_ERR_MAX]);
bool	template_exists(const struct template_set *, const char *name);

/*
 * Appends the template called name, rendered against ctx, to out.  False,
 * with err (if not NULL) saying why, for an unknown template, a
 * {{>*a}} that names none, a limit passed, or a failed allocation; out
 * then holds a part of the page, which the caller throws away.
 */
bool	template_render(const struct template_set *, const char *name,
	    const cJSON *ctx, struct buf *out, char err[TEMPLATE_ERR_MAX]);
/* The same with another bound on the work (the fuzz target's). */
bool	template_render_steps(const struct template_set *, const char *name,
	    const cJSON *ctx, struct buf *out, long max_steps,
	    char err[TEMPLATE_ERR_MAX]);

#endif

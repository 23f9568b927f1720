/*
 * Field errors: what a parser of outside input found wrong, by path.
 *
 * A client fixing a rejected request wants every mistake at once, so
 * parsers collect errors here instead of stopping at the first.  The list
 * is a fixed array: hostile input with a million bad keys costs a bounded
 * amount of memory, and the overflow flag says that some were left out.
 * Paths look like "victim.dob", "dash.answers.29", "children[1].dob"; the
 * root of the document is "$".
 */
#ifndef MARACD_CORE_FIELDERR_H
#define MARACD_CORE_FIELDERR_H

#include <stdbool.h>
#include <stddef.h>

#define FIELD_ERRORS_MAX	64
#define FIELD_PATH_MAX		128
#define FIELD_REASON_MAX	192

struct field_error {
	char	 field[FIELD_PATH_MAX];
	char	 reason[FIELD_REASON_MAX];
};

struct field_errors {
	struct field_error	 items[FIELD_ERRORS_MAX];
	size_t			 count;		/* kept in items */
	size_t			 total;		/* added, kept or not */
	bool			 overflow;	/* some were not kept */
};

void	field_errors_init(struct field_errors *);
/* Adds one error; the reason is a printf format.  Long texts are cut. */
void	field_errors_add(struct field_errors *, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool	field_errors_any(const struct field_errors *);
/* The first error on exactly this path, or NULL. */
const struct field_error *
	field_errors_find(const struct field_errors *, const char *field);

#endif

/*
 * One export of a decision record, as maracd (GET .../record) and
 * maracctl record both make it: the source the database gathered ->
 * core/record.c's model -> canonical JSON -> SHA-256 -> the asked-for
 * format.  Shared so that the two can never disagree on a hash.
 */
#ifndef MARACD_RECORDEXPORT_H
#define MARACD_RECORDEXPORT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/record.h"

enum recordexport_format {
	RECORDEXPORT_JSON = 0,
	RECORDEXPORT_HTML,
	RECORDEXPORT_CSV,
	RECORDEXPORT_PDF
};

struct recordexport {
	enum recordexport_format format;
	char		 sha256[RECORD_SHA256_HEXLEN];
	char		 forum[8];
	struct buf	 body;		/* the rendered bytes */
};

/* "json", "html", "csv", "pdf" (NULL: json); false for anything else. */
bool	recordexport_format_parse(const char *s, enum recordexport_format *f);
const char *recordexport_format_name(enum recordexport_format f);
/* The HTTP Content-Type of a format (a static string). */
const char *recordexport_content_type(enum recordexport_format f);

/*
 * Builds the export from the source text.  Returns 0, or -1 with a
 * static reason in *why (the source is not a record, out of memory, the
 * renderer failed).  x->body must be freed with recordexport_free either
 * way.
 */
int	recordexport_make(const char *source, enum recordexport_format f,
	    struct recordexport *x, const char **why);
void	recordexport_free(struct recordexport *x);

/* What a JSON export says of itself, and what its content hashes to. */
struct recordexport_check {
	char		 stated[RECORD_SHA256_HEXLEN];	/* its "sha256" */
	char		 computed[RECORD_SHA256_HEXLEN];
	enum record_kind kind;
	long long	 id;
};

/*
 * Reads a JSON export back (len bytes of text), rebuilds the record from
 * it and hashes its canonical form: the export is unaltered exactly when
 * stated and computed are equal.  Returns 0, or -1 with a static reason
 * (not JSON, not a record, no sha256 member).
 */
int	recordexport_check(const char *text, size_t len,
	    struct recordexport_check *c, const char **why);

#endif

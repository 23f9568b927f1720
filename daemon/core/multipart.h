/*
 * A browser's file upload (multipart/form-data, RFC 7578) as the page
 * layer's form: each part's name and its value, the file's bytes in the
 * one file part a page takes.
 *
 * Only what a browser's form sends is read: a boundary from the
 * Content-Type, parts with a Content-Disposition of form-data and a name
 * (of letters, digits, '_', '-' and '.'), at most MULTIPART_PARTS_MAX of
 * them; other headers of a part (its Content-Type) are ignored.  Text
 * fields are kept as strings; the file part's bytes too, and refused when
 * they hold a NUL (a CSV file holds none) or when two parts carry a file.
 * The body is bounded before this is called ([server] max_body_size).
 */
#ifndef MARACD_CORE_MULTIPART_H
#define MARACD_CORE_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define MULTIPART_PARTS_MAX	16
#define MULTIPART_BOUNDARY_MAX	70	/* RFC 2046 */

/* Is content_type multipart/form-data (any parameters)? */
bool	multipart_is_form(const char *content_type);

/*
 * The fields as {"name": "value", ...}; the file part's value is its
 * bytes, and "<name>.filename" its file name when one was given.  NULL
 * with why set (a static string) when the body is not such a form.
 */
cJSON  *multipart_decode(const char *content_type, const char *body,
	    size_t len, const char **why);

#endif

/*
 * Canonical JSON: the one writer of the bytes maracd hashes.  A decision
 * record's SHA-256 (record_canonical) and an issued agenda's
 * content_sha256 (canonjson_tree of agenda_to_json) are taken over its
 * output, so that the same content always gives the same hash.
 *
 * No white space; members in the order written; strings as UTF-8 with
 * only what JSON requires escaped (", \, and controls: \b \f \n \r \t,
 * the rest as \u00xx), as RFC 8785 does; numbers as whole numbers.  The
 * text is what cJSON_PrintUnformatted gives for the same tree of strings,
 * whole numbers, booleans and nulls, so versions stored before this
 * writer existed read and hash the same.
 *
 * Errors stick in the struct buf (buf_failed), as everywhere in the core.
 */
#ifndef MARACD_CORE_CANONJSON_H
#define MARACD_CORE_CANONJSON_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/why.h"

#define CANONJSON_DEPTH_MAX	15

/*
 * A writer that puts the commas in: each member or element after the
 * first is preceded by one; a value right after its key is not.
 */
struct canonjson {
	struct buf	*out;
	bool		 first[CANONJSON_DEPTH_MAX + 1];
	int		 depth;
	bool		 after_key;	/* the next value follows a key */
	bool		 too_deep;
};

void	canonjson_init(struct canonjson *, struct buf *out);
/* '{' or '[', and the matching '}' or ']'. */
void	canonjson_open(struct canonjson *, char c);
void	canonjson_close(struct canonjson *, char c);
void	canonjson_key(struct canonjson *, const char *key);
/* A string, or null for NULL. */
void	canonjson_str(struct canonjson *, const char *s);
void	canonjson_int(struct canonjson *, int64_t n);
void	canonjson_bool(struct canonjson *, bool b);
void	canonjson_null(struct canonjson *);

/*
 * A whole cJSON tree appended to out.  0, or -1 with why (core/why.h):
 * CANONJSON_WHY_TREE when the tree nests deeper than CANONJSON_DEPTH_MAX
 * or holds a number that is not whole, WHY_NOMEM when out ran out of
 * memory.
 */
#define CANONJSON_WHY_TREE \
	"the JSON nests too deep or holds a number that is not whole"
int	canonjson_tree(struct buf *out, const cJSON *tree, const char **why);

#endif

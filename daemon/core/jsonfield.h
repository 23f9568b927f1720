/*
 * Typed, bounded reading of fields from a cJSON tree, with errors by path.
 *
 * Shared by every parser of outside JSON (referrals first).  Each reader
 * looks up one member of an object, checks its type and limits, and on a
 * mistake adds exactly one field error naming the path, so a document with
 * five mistakes gives five errors.  JSON null counts as absent: optional
 * fields may be sent as null, required ones may not.  Readers never descend
 * into members they were not asked for, so a document can be no deeper than
 * the schema its parser walks.
 */
#ifndef MARACD_CORE_JSONFIELD_H
#define MARACD_CORE_JSONFIELD_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/date.h"
#include "core/fielderr.h"

enum jsonfield_flags {
	JSONFIELD_REQUIRED	= 1 << 0,
	JSONFIELD_MULTILINE	= 1 << 1	/* strings: allow \t \n \r */
};

enum jsonfield_result {
	JSONFIELD_ABSENT,	/* missing or null (an error if required) */
	JSONFIELD_OK,
	JSONFIELD_INVALID	/* an error was added */
};

/*
 * Parses len bytes of text (not necessarily NUL-terminated) as one JSON
 * value with nothing after it.  cJSON would silently cut a string at a
 * "\u0000" escape, so those escapes are read as U+0001 instead: string
 * readers then reject the control character with the field's path.
 * Returns NULL for malformed JSON or no memory; free with cJSON_Delete.
 */
cJSON  *jsonfield_parse(const char *text, size_t len);

/* "prefix.key", or "key" when prefix is "".  Odd bytes in key become '?'. */
void	jsonfield_path(char buf[FIELD_PATH_MAX], const char *prefix,
	    const char *key);

/*
 * Every member of obj must be one of known[] (NULL-terminated) and appear
 * once: a typo must not silently drop data.
 */
void	jsonfield_members(const cJSON *obj, const char *path,
	    const char *const known[], struct field_errors *);

/* The member, or NULL when it is missing or null. */
const cJSON *jsonfield_get(const cJSON *obj, const char *key);

enum jsonfield_result jsonfield_object(const cJSON *obj, const char *prefix,
	    const char *key, int flags, const cJSON **out,
	    struct field_errors *);
enum jsonfield_result jsonfield_array(const cJSON *obj, const char *prefix,
	    const char *key, int flags, const cJSON **out,
	    struct field_errors *);
enum jsonfield_result jsonfield_bool(const cJSON *obj, const char *prefix,
	    const char *key, int flags, bool *out, struct field_errors *);
/* A whole number in [min, max]; 2.5, 1e400 and NaN are refused. */
enum jsonfield_result jsonfield_int(const cJSON *obj, const char *prefix,
	    const char *key, int flags, int min, int max, int *out,
	    struct field_errors *);
/*
 * Valid UTF-8 of 1..max bytes, no control characters (but for \t \n \r
 * with JSONFIELD_MULTILINE), not only white space.  *out is a copy that
 * the caller frees; it is left alone unless the result is JSONFIELD_OK.
 */
enum jsonfield_result jsonfield_string(const cJSON *obj, const char *prefix,
	    const char *key, int flags, size_t max, char **out,
	    struct field_errors *);
/* A short code: [a-z0-9_]{1,max}.  *out is a copy, as above. */
enum jsonfield_result jsonfield_code(const cJSON *obj, const char *prefix,
	    const char *key, int flags, size_t max, char **out,
	    struct field_errors *);
/* One of names[] (NULL-terminated); *out is its index. */
enum jsonfield_result jsonfield_choice(const cJSON *obj, const char *prefix,
	    const char *key, int flags, const char *const names[], int *out,
	    struct field_errors *);
/* The same for a value already in hand, such as an array element. */
enum jsonfield_result jsonfield_choice_value(const cJSON *value,
	    const char *path, const char *const names[], int *out,
	    struct field_errors *);
/* A real calendar date "YYYY-MM-DD", not after today. */
enum jsonfield_result jsonfield_date(const cJSON *obj, const char *prefix,
	    const char *key, int flags, date_t today, date_t *out,
	    struct field_errors *);

#endif

/*
 * A browser's form post (application/x-www-form-urlencoded) as the JSON
 * body the API handler behind a page reads, so that a page and the API
 * share one validation.
 *
 *   name=Jo                      {"name": "Jo"}
 *   victim.name=Jo               {"victim": {"name": "Jo"}}
 *   tag[]=a  (once or more)      {"tag": ["a"]}
 *   tag=a&tag=b  (repeated)      {"tag": ["a", "b"]}
 *   children[0].name=A           {"children": [{"name": "A"}]}
 *
 * Values are strings ('+' is a space, %hh a byte), valid UTF-8; a NUL
 * byte (raw or %00) becomes U+0001, as core/jsonfield does with \u0000,
 * so that the API's string check refuses it with the field's name
 * instead of the value being cut short.  An empty value is left out, as
 * if the field had not been sent: the API then says what it says of a
 * missing field ("required"), and an optional field left blank is not an
 * empty string.  Holes left in an indexed array by rows left blank close
 * up.
 *
 * Names are dotted parts of letters, digits, '_' and '-', the last (or
 * any, for [n]) optionally followed by [] or [n]; anything else is refused,
 * as is a name used both for a value and for a group (x=1&x.y=2).
 *
 * The id of a field's input, where a page's error summary links to, is
 * its name with '.' and '[' as '-' and ']' left out (victim.name:
 * "victim-name", children[1].dob: "children-1-dob"); the API's error
 * paths have the same form, so they map the same way.
 */
#ifndef MARACD_CORE_FORMDECODE_H
#define MARACD_CORE_FORMDECODE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define FORMDECODE_FIELDS_MAX	1000	/* name=value pairs */
#define FORMDECODE_NAME_MAX	128	/* bytes of a decoded name */
#define FORMDECODE_VALUE_MAX	65536	/* bytes of a decoded value */
#define FORMDECODE_PARTS_MAX	8	/* dotted parts of a name */
#define FORMDECODE_INDEX_MAX	999	/* the n of name[n] */
#define FORMDECODE_ID_MAX	(FORMDECODE_NAME_MAX + 1)

/*
 * The object that len bytes of body decode to (free with cJSON_Delete),
 * or NULL with *why saying what is wrong (a sentence, static).
 */
cJSON  *formdecode(const char *body, size_t len, const char **why);

/*
 * The id of the input for a field name or error path, into out (always
 * NUL-terminated; a longer path is cut).
 */
void	formdecode_field_id(const char *path, char out[FORMDECODE_ID_MAX]);

#endif

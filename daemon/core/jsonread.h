/*
 * Typed reading of JSON that maracd or its database wrote: a stored
 * agenda version, a decision record's source, a DRIVE screening's input.
 * Unlike jsonfield.h (outside input, every mistake a field error for the
 * caller), a mistake here is a defect or a version of the data this code
 * does not know: the first one sticks in the reader and the whole read
 * fails, saying why: JSONREAD_WRONG, or WHY_NOMEM when memory ran out at
 * any point (core/why.h).
 *
 * JSON null counts as absent.  What a member must be:
 *	JSONREAD_OPTIONAL	absent is fine (the reader answers 0 / NULL)
 *	JSONREAD_PRESENT	there, but null is fine
 *	JSONREAD_REQUIRED	there and not null
 * A member of the wrong type is an error whatever the need.
 */
#ifndef MARACD_CORE_JSONREAD_H
#define MARACD_CORE_JSONREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/why.h"

#include <cjson/cJSON.h>

enum jsonread_need {
	JSONREAD_OPTIONAL = 0,
	JSONREAD_PRESENT,
	JSONREAD_REQUIRED
};

#define JSONREAD_WRONG	"a member is missing or of the wrong type"

struct jsonread {
	const char *why;	/* NULL while nothing has failed */
};

/* Records a failure: the first reason stays, unless memory runs out. */
void	jsonread_fail(struct jsonread *, const char *why);
/* Whether nothing has failed so far. */
bool	jsonread_ok(const struct jsonread *);

/* The member key of object o, or NULL when it is absent or null. */
const cJSON *jsonread_member(struct jsonread *, const cJSON *o,
	    const char *key, enum jsonread_need);
/* A string member, borrowed from the tree; NULL when absent or null. */
const char *jsonread_str(struct jsonread *, const cJSON *o, const char *key,
	    enum jsonread_need);
/* A whole number in [min, max]; 0 when absent (or wrong). */
int64_t	jsonread_int(struct jsonread *, const cJSON *o, const char *key,
	    int64_t min, int64_t max, enum jsonread_need);
/* A boolean; false when absent (or wrong). */
bool	jsonread_bool(struct jsonread *, const cJSON *o, const char *key,
	    enum jsonread_need);
/* An array member; NULL when absent or null. */
const cJSON *jsonread_array(struct jsonread *, const cJSON *o,
	    const char *key, enum jsonread_need);

#endif

/* Typed reading of JSON maracd wrote: see jsonread.h. */
#include "core/jsonread.h"

#include <string.h>
#include <math.h>

void
jsonread_fail(struct jsonread *rd, const char *why)
{
	if (rd->why == NULL || strcmp(why, WHY_NOMEM) == 0)
		rd->why = why;
}

bool
jsonread_ok(const struct jsonread *rd)
{
	return rd->why == NULL;
}

const cJSON *
jsonread_member(struct jsonread *rd, const cJSON *o, const char *key,
    enum jsonread_need need)
{
	const cJSON *v = NULL;

	if (cJSON_IsObject(o))
		v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (v == NULL) {
		if (need != JSONREAD_OPTIONAL)
			jsonread_fail(rd, JSONREAD_WRONG);
		return NULL;
	}
	if (cJSON_IsNull(v)) {
		if (need == JSONREAD_REQUIRED)
			jsonread_fail(rd, JSONREAD_WRONG);
		return NULL;
	}
	return v;
}

const char *
jsonread_str(struct jsonread *rd, const cJSON *o, const char *key,
    enum jsonread_need need)
{
	const cJSON *v = jsonread_member(rd, o, key, need);

	if (v == NULL)
		return NULL;
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return NULL;
	}
	return v->valuestring;
}

int64_t
jsonread_int(struct jsonread *rd, const cJSON *o, const char *key,
    int64_t min, int64_t max, enum jsonread_need need)
{
	const cJSON	*v = jsonread_member(rd, o, key, need);
	double		 d;

	if (v == NULL)
		return 0;
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || !(d >= (double)min && d <= (double)max) ||
	    d != floor(d)) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return 0;
	}
	return (int64_t)d;
}

bool
jsonread_bool(struct jsonread *rd, const cJSON *o, const char *key,
    enum jsonread_need need)
{
	const cJSON *v = jsonread_member(rd, o, key, need);

	if (v == NULL)
		return false;
	if (!cJSON_IsBool(v)) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return false;
	}
	return cJSON_IsTrue(v);
}

const cJSON *
jsonread_array(struct jsonread *rd, const cJSON *o, const char *key,
    enum jsonread_need need)
{
	const cJSON *v = jsonread_member(rd, o, key, need);

	if (v != NULL && !cJSON_IsArray(v)) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return NULL;
	}
	return v;
}

/*
 * DRIVE screening input and output as JSON; see drivejson.h.
 */
#include "core/drivejson.h"
#include "core/identity.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUESTION_MAX	63	/* bits of drive_referral.yes */

static void
say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* true/false, or unknown for null, absent or anything else. */
static enum drive_flag
flag_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsTrue(v))
		return DRIVE_YES;
	if (cJSON_IsFalse(v))
		return DRIVE_NO;
	return DRIVE_UNKNOWN;
}

static const char *
string_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool
date_of(const cJSON *o, const char *key, date_t *out)
{
	const char *s = string_of(o, key);

	return s != NULL && date_parse(s, out);
}

static bool
read_history(const cJSON *list, struct drive_referral **out, size_t *nout)
{
	struct drive_referral *h;
	const cJSON *item, *q;
	size_t n = 0;

	*out = NULL;
	*nout = 0;
	if (!cJSON_IsArray(list))
		return false;
	if (cJSON_GetArraySize(list) == 0)
		return true;
	h = calloc((size_t)cJSON_GetArraySize(list), sizeof(*h));
	if (h == NULL)
		return false;
	cJSON_ArrayForEach(item, list) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");

		if (!cJSON_IsNumber(id) || !date_of(item, "received", &h[n].received)) {
			free(h);
			return false;
		}
		h[n].id = (int64_t)id->valuedouble;
		h[n].victim_key = string_of(item, "victim");
		h[n].checklist = string_of(item, "checklist");
		cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(item, "yes"))
			if (cJSON_IsNumber(q) && q->valuedouble >= 1 &&
			    q->valuedouble <= QUESTION_MAX &&
			    q->valuedouble == (double)q->valueint)
				h[n].yes |= UINT64_C(1) << q->valueint;
		n++;
	}
	*out = h;
	*nout = n;
	return true;
}

static cJSON *
result_json(const cJSON *in, const struct drive_result *res)
{
	cJSON *o = cJSON_CreateObject(), *a, *c, *b;
	const cJSON *h;
	char initials[IDENTITY_INITIALS_MAX], day[DATE_STRLEN];
	const char *name = string_of(in, "name");
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(in, "referral_ids");

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "identity", string_of(in, "identity") != NULL ?
	    string_of(in, "identity") : "");
	identity_initials(name != NULL ? name : "", initials, sizeof(initials));
	cJSON_AddStringToObject(o, "initials", initials);
	cJSON_AddItemToObject(o, "referral_ids", ids != NULL ?
	    cJSON_Duplicate(ids, true) : cJSON_CreateArray());
	/* What was seen, for telling later whether the history changed. */
	a = cJSON_AddArrayToObject(o, "history_ids");
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(in, "history"))
		if (a != NULL)
			cJSON_AddItemToArray(a, cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(h, "id"), false));
	cJSON_AddBoolToObject(o, "eligible", res->eligible);
	a = cJSON_AddArrayToObject(o, "reasons");
	for (size_t i = 0; a != NULL && i < res->nreasons; i++) {
		cJSON *rs = cJSON_CreateObject();

		cJSON_AddStringToObject(rs, "code", res->reasons[i].code);
		cJSON_AddBoolToObject(rs, "excludes", res->reasons[i].excludes);
		cJSON_AddStringToObject(rs, "text", res->reasons[i].text);
		cJSON_AddItemToArray(a, rs);
	}
	c = cJSON_AddObjectToObject(o, "components");
	for (int i = 0; c != NULL && i < DRIVE_COMPONENTS; i++)
		cJSON_AddNumberToObject(c, drive_component_name(i),
		    res->component[i]);
	cJSON_AddNumberToObject(o, "score", res->score);
	cJSON_AddNumberToObject(o, "threshold", res->threshold);
	cJSON_AddBoolToObject(o, "candidate", res->candidate);
	b = cJSON_AddObjectToObject(o, "basis");
	if (b != NULL) {
		if (res->age >= 0)
			cJSON_AddNumberToObject(b, "age", res->age);
		else
			cJSON_AddNullToObject(b, "age");
		if (res->recency_days >= 0)
			cJSON_AddNumberToObject(b, "recency_days", res->recency_days);
		else
			cJSON_AddNullToObject(b, "recency_days");
		cJSON_AddNumberToObject(b, "referrals", res->referrals);
		cJSON_AddNumberToObject(b, "victims", res->victims);
		a = cJSON_AddArrayToObject(b, "gravity");
		for (int k = 0; a != NULL && k < DRIVE_GRAVITY_KEYS; k++)
			if (res->gravity_keys & (1u << k))
				cJSON_AddItemToArray(a, cJSON_CreateString(
				    drive_gravity_key_name(k)));
		cJSON_AddStringToObject(b, "window_start",
		    date_format(res->window_start, day));
	}
	return o;
}

static bool
screen_one(const cJSON *in, date_t day, const struct drive_rubric *r,
    bool on_demand, cJSON *out, char *why, size_t whylen)
{
	struct drive_perpetrator p;
	struct drive_case c;
	struct drive_referral *h;
	struct drive_result res;
	const cJSON *mappa = cJSON_GetObjectItemCaseSensitive(in, "mappa_level");
	size_t n;
	cJSON *o;

	if (!cJSON_IsObject(in) ||
	    !read_history(cJSON_GetObjectItemCaseSensitive(in, "history"), &h, &n)) {
		say(why, whylen, "a perpetrator's history is not a list of "
		    "referrals");
		return false;
	}
	memset(&p, 0, sizeof(p));
	p.has_dob = date_of(in, "dob", &p.dob);
	p.in_custody = flag_of(in, "in_custody");
	p.mappa_level = cJSON_IsNumber(mappa) ? mappa->valueint : -1;
	p.on_drive = flag_of(in, "on_drive");
	p.in_area = flag_of(in, "in_area");
	memset(&c, 0, sizeof(c));
	c.sitting = day;
	c.at_marac = flag_of(in, "at_marac") == DRIVE_YES;
	c.on_demand = on_demand;
	drive_screen(r, &p, &c, h, n, &res);
	free(h);
	if ((o = result_json(in, &res)) == NULL) {
		say(why, whylen, "out of memory");
		return false;
	}
	cJSON_AddItemToArray(out, o);
	return true;
}

char *
drivejson_screen(const char *input, const struct drive_rubric *r,
    bool on_demand, char *why, size_t whylen)
{
	cJSON *in, *out = NULL, *item;
	char *text = NULL;
	date_t day;

	if (input == NULL || (in = cJSON_Parse(input)) == NULL) {
		say(why, whylen, "the screening input is not JSON");
		return NULL;
	}
	if (!date_of(in, "date", &day) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(in, "perpetrators"))) {
		say(why, whylen, "the screening input has no date or no "
		    "perpetrators");
		goto done;
	}
	if ((out = cJSON_CreateArray()) == NULL) {
		say(why, whylen, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(in, "perpetrators"))
		if (!screen_one(item, day, r, on_demand, out, why, whylen))
			goto done;
	if ((text = cJSON_PrintUnformatted(out)) == NULL)
		say(why, whylen, "out of memory");
done:
	cJSON_Delete(out);
	cJSON_Delete(in);
	return text;
}

date_t
drivejson_screen_day(const struct calendar *cal, date_t sitting,
    int screen_workdays)
{
	return workdays_add(cal, sitting, -screen_workdays);
}

bool
drivejson_due(const struct calendar *cal, date_t sitting, int screen_workdays,
    date_t today)
{
	return drivejson_screen_day(cal, sitting, screen_workdays) <= today &&
	    today <= sitting;
}

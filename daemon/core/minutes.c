/*
 * Minutes: each list is checked member by member so that a mistake names
 * its place ("observers[2].confidentiality_signed").
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/jsonfield.h"
#include "core/minutes.h"

const char minutes_default_statement[] =
    "Information shared at this meeting is confidential. It is shared to "
    "protect the people discussed and must be used only for that purpose, "
    "held securely, and not passed on without the agreement of the agency "
    "that gave it, except where the law requires.";

enum kind { ATTENDEE, OBSERVER, APOLOGY };

static void
copy_string(const cJSON *e, const char *path, const char *key, int flags,
    size_t max, cJSON *to, struct field_errors *errs)
{
	char *s = NULL;

	if (jsonfield_string(e, path, key, flags, max, &s, errs) == JSONFIELD_OK)
		cJSON_AddStringToObject(to, key, s);
	else
		cJSON_AddNullToObject(to, key);
	free(s);
}

static void
people(const cJSON *body, const char *key, enum kind kind, cJSON *out,
    struct field_errors *errs)
{
	static const char *const attendee[] = { "agency", "name", NULL };
	static const char *const observer[] = { "name", "organisation",
	    "confidentiality_signed", NULL };
	static const char *const apology[] = { "agency", "information_sent", NULL };
	const char *const *known = kind == ATTENDEE ? attendee :
	    kind == OBSERVER ? observer : apology;
	cJSON *list = cJSON_AddArrayToObject(out, key);
	const cJSON *arr, *e;
	int i = 0;

	if (jsonfield_array(body, "", key, 0, &arr, errs) != JSONFIELD_OK)
		return;
	if (cJSON_GetArraySize(arr) > MINUTES_PEOPLE_MAX) {
		field_errors_add(errs, key, "must list at most %d", MINUTES_PEOPLE_MAX);
		return;
	}
	cJSON_ArrayForEach(e, arr) {
		char path[FIELD_PATH_MAX];
		cJSON *o;
		char *code = NULL;
		bool b = false;

		snprintf(path, sizeof(path), "%s[%d]", key, i++);
		if (!cJSON_IsObject(e)) {
			field_errors_add(errs, path, "must be an object");
			continue;
		}
		jsonfield_members(e, path, known, errs);
		o = cJSON_CreateObject();
		if (kind != OBSERVER) {
			if (jsonfield_code(e, path, "agency", JSONFIELD_REQUIRED, 32,
			    &code, errs) == JSONFIELD_OK)
				cJSON_AddStringToObject(o, "agency", code);
			free(code);
		}
		if (kind == ATTENDEE)
			copy_string(e, path, "name", 0, 200, o, errs);
		if (kind == OBSERVER) {
			copy_string(e, path, "name", JSONFIELD_REQUIRED, 200, o, errs);
			copy_string(e, path, "organisation", 0, 200, o, errs);
			jsonfield_bool(e, path, "confidentiality_signed",
			    JSONFIELD_REQUIRED, &b, errs);
			cJSON_AddBoolToObject(o, "confidentiality_signed", b);
		}
		if (kind == APOLOGY) {
			jsonfield_bool(e, path, "information_sent", JSONFIELD_REQUIRED,
			    &b, errs);
			cJSON_AddBoolToObject(o, "information_sent", b);
		}
		cJSON_AddItemToArray(list, o);
	}
}

cJSON *
minutes_normalise(const cJSON *body, struct field_errors *errs)
{
	static const char *const members[] = { "venue", "chair", "attendees",
	    "observers", "apologies", "confidentiality_statement", NULL };
	size_t before = errs->total;
	cJSON *out, *st;

	if (!cJSON_IsObject(body)) {
		field_errors_add(errs, "$", "must be a JSON object");
		return NULL;
	}
	out = cJSON_CreateObject();
	jsonfield_members(body, "", members, errs);
	copy_string(body, "", "venue", 0, 500, out, errs);
	copy_string(body, "", "chair", 0, 200, out, errs);
	people(body, "attendees", ATTENDEE, out, errs);
	people(body, "observers", OBSERVER, out, errs);
	people(body, "apologies", APOLOGY, out, errs);
	copy_string(body, "", "confidentiality_statement", JSONFIELD_MULTILINE,
	    10000, out, errs);
	st = cJSON_GetObjectItemCaseSensitive(out, "confidentiality_statement");
	if (cJSON_IsNull(st))
		cJSON_ReplaceItemInObjectCaseSensitive(out,
		    "confidentiality_statement",
		    cJSON_CreateString(minutes_default_statement));
	if (errs->total != before) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

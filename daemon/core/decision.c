/*
 * Decisions: the assessment areas of a forum and the checking of a chair's
 * decision.  The areas are MASC's (docs/domain.md); MARAC's list is
 * configuration, defaulting to the same five.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decision.h"
#include "core/jsonfield.h"

const struct decision_areas decision_masc_areas = {
	5, { "victim", "offender", "children", "location", "referral" }
};

/*
 * completed and change_in_circumstance settle the action; not_undertaken
 * and carried_forward leave it outstanding (and chased).
 */
const char *const decision_review_results[] = { "completed",
    "change_in_circumstance", "not_undertaken", "carried_forward", NULL };

/* In the order an order goes through them, which is the order shown. */
const char *const decision_spo_stages[] = { "considered", "applied_for",
    "interim_granted", "full_granted", "breached", NULL };

const char *const decision_onward_referrals[] = { "mappa", "stalking_clinic",
    "isac_idva", "perpetrator_programme", NULL };

static bool
code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool
decision_areas_parse(const char *list, struct decision_areas *out)
{
	const char *p = list;

	memset(out, 0, sizeof(*out));
	for (;;) {
		size_t n = 0;
		char name[DECISION_AREA_LEN + 1];

		while (*p == ' ' || *p == '\t')
			p++;
		while (code_char(p[n]))
			n++;
		if (n == 0 || n > DECISION_AREA_LEN || out->n == DECISION_AREAS_MAX)
			return false;
		memcpy(name, p, n);
		name[n] = '\0';
		if (decision_areas_has(out, name))
			return false;
		memcpy(out->name[out->n++], name, n + 1);
		p += n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return true;
		if (*p++ != ',')
			return false;
	}
}

bool
decision_areas_has(const struct decision_areas *a, const char *name)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->name[i], name) == 0)
			return true;
	return false;
}

static void
attendees(const cJSON *body, cJSON *out, struct field_errors *errs)
{
	const cJSON *arr, *e;
	cJSON *list = cJSON_AddArrayToObject(out, "attendees");
	char path[FIELD_PATH_MAX];
	int i = 0;

	if (jsonfield_array(body, "", "attendees", 0, &arr, errs) != JSONFIELD_OK)
		return;
	if (cJSON_GetArraySize(arr) > DECISION_ATTENDEES_MAX) {
		field_errors_add(errs, "attendees", "must list at most %d agencies",
		    DECISION_ATTENDEES_MAX);
		return;
	}
	cJSON_ArrayForEach(e, arr) {
		bool ok = cJSON_IsString(e) && e->valuestring[0] != '\0' &&
		    strlen(e->valuestring) <= 32;
		const cJSON *seen;

		for (const char *c = ok ? e->valuestring : ""; *c != '\0'; c++)
			ok &= code_char(*c);
		snprintf(path, sizeof(path), "attendees[%d]", i++);
		if (!ok) {
			field_errors_add(errs, path, "must be an agency code");
			continue;
		}
		cJSON_ArrayForEach(seen, list)
			if (strcmp(seen->valuestring, e->valuestring) == 0)
				ok = false;
		if (!ok)
			field_errors_add(errs, path, "lists an agency twice");
		else
			cJSON_AddItemToArray(list, cJSON_CreateString(e->valuestring));
	}
}

static void
areas(const cJSON *body, const struct decision_areas *known, cJSON *out,
    struct field_errors *errs)
{
	const cJSON *obj, *m;
	cJSON *o = cJSON_AddObjectToObject(out, "areas");

	if (jsonfield_object(body, "", "areas", 0, &obj, errs) != JSONFIELD_OK)
		return;
	cJSON_ArrayForEach(m, obj) {
		char path[FIELD_PATH_MAX];
		char *text = NULL;

		jsonfield_path(path, "areas", m->string);
		if (!decision_areas_has(known, m->string)) {
			field_errors_add(errs, path, "is not an assessment area of "
			    "this forum");
			continue;
		}
		if (jsonfield_string(obj, "areas", m->string, JSONFIELD_MULTILINE,
		    DECISION_TEXT_MAX, &text, errs) == JSONFIELD_OK) {
			cJSON_AddStringToObject(o, m->string, text);
			free(text);
		}
	}
}

static void
reviews(const cJSON *body, cJSON *out, struct field_errors *errs)
{
	const cJSON *arr, *e;
	cJSON *list = cJSON_AddArrayToObject(out, "reviews");
	int i = 0;

	if (jsonfield_array(body, "", "reviews", 0, &arr, errs) != JSONFIELD_OK)
		return;
	if (cJSON_GetArraySize(arr) > DECISION_REVIEWS_MAX) {
		field_errors_add(errs, "reviews", "must list at most %d reviews",
		    DECISION_REVIEWS_MAX);
		return;
	}
	cJSON_ArrayForEach(e, arr) {
		static const char *const known[] = { "action", "result", "note", NULL };
		char path[FIELD_PATH_MAX], npath[FIELD_PATH_MAX];
		int id = 0, result = -1;
		char *note = NULL;
		cJSON *rv;

		snprintf(path, sizeof(path), "reviews[%d]", i++);
		if (!cJSON_IsObject(e)) {
			field_errors_add(errs, path, "must be an object");
			continue;
		}
		jsonfield_members(e, path, known, errs);
		jsonfield_int(e, path, "action", JSONFIELD_REQUIRED, 1, 2147483647,
		    &id, errs);
		jsonfield_choice(e, path, "result", JSONFIELD_REQUIRED,
		    decision_review_results, &result, errs);
		jsonfield_string(e, path, "note", JSONFIELD_MULTILINE,
		    DECISION_NOTE_MAX, &note, errs);
		/* A missed action needs its why: the steering group reads it. */
		if (note == NULL && result >= 1 && result <= 2) {
			jsonfield_path(npath, path, "note");
			field_errors_add(errs, npath, "is required when the action "
			    "was not done");
		}
		rv = cJSON_CreateObject();
		cJSON_AddNumberToObject(rv, "action", id);
		cJSON_AddStringToObject(rv, "result", result >= 0 ?
		    decision_review_results[result] : "");
		if (note != NULL)
			cJSON_AddStringToObject(rv, "note", note);
		else
			cJSON_AddNullToObject(rv, "note");
		cJSON_AddItemToArray(list, rv);
		free(note);
	}
}

/*
 * masc_outcomes.KEY: an array of distinct names[], normalised to names[]'s
 * order (so that two decisions saying the same are the same JSON).
 */
static void
outcome_list(const cJSON *mo, const char *key, const char *const names[],
    cJSON *out, struct field_errors *errs)
{
	const cJSON *arr, *e;
	cJSON *list;
	char path[FIELD_PATH_MAX];
	bool seen[16] = { false };
	int i = 0, k;

	list = cJSON_AddArrayToObject(out, key);
	if (jsonfield_array(mo, "masc_outcomes", key, 0, &arr, errs) != JSONFIELD_OK)
		return;
	cJSON_ArrayForEach(e, arr) {
		snprintf(path, sizeof(path), "masc_outcomes.%s[%d]", key, i++);
		if (jsonfield_choice_value(e, path, names, &k, errs) != JSONFIELD_OK)
			continue;
		if (seen[k])
			field_errors_add(errs, path, "is listed twice");
		seen[k] = true;
	}
	for (k = 0; names[k] != NULL; k++)
		if (seen[k])
			cJSON_AddItemToArray(list, cJSON_CreateString(names[k]));
}

/* MASC's structured outcomes: absent or null is nothing recorded. */
static void
masc_outcomes(const cJSON *body, bool marac, cJSON *out,
    struct field_errors *errs)
{
	static const char *const members[] = { "spo", "onward_referrals", NULL };
	const cJSON *mo;
	cJSON *o;

	if (jsonfield_object(body, "", "masc_outcomes", 0, &mo, errs) !=
	    JSONFIELD_OK) {
		cJSON_AddNullToObject(out, "masc_outcomes");
		return;
	}
	if (marac) {
		field_errors_add(errs, "masc_outcomes", "is recorded at MASC only");
		return;
	}
	o = cJSON_AddObjectToObject(out, "masc_outcomes");
	jsonfield_members(mo, "masc_outcomes", members, errs);
	outcome_list(mo, "spo", decision_spo_stages, o, errs);
	outcome_list(mo, "onward_referrals", decision_onward_referrals, o, errs);
}

static void
text_member(const cJSON *body, const char *key, size_t max, cJSON *out,
    struct field_errors *errs)
{
	char *s = NULL;

	if (jsonfield_string(body, "", key, JSONFIELD_MULTILINE, max, &s,
	    errs) == JSONFIELD_OK)
		cJSON_AddStringToObject(out, key, s);
	else
		cJSON_AddNullToObject(out, key);
	free(s);
}

cJSON *
decision_normalise(const cJSON *body, bool marac,
    const struct decision_areas *known, struct field_errors *errs)
{
	static const char *const members[] = { "attendees", "areas", "outcome",
	    "drive_increases_risk", "amendment_reason", "reviews", "masc_outcomes",
	    NULL };
	cJSON *out;
	bool drive;
	size_t before = errs->total;

	if (!cJSON_IsObject(body)) {
		field_errors_add(errs, "$", "must be a JSON object");
		return NULL;
	}
	out = cJSON_CreateObject();
	jsonfield_members(body, "", members, errs);
	attendees(body, out, errs);
	areas(body, known, out, errs);
	text_member(body, "outcome", DECISION_TEXT_MAX, out, errs);
	text_member(body, "amendment_reason", DECISION_NOTE_MAX, out, errs);
	switch (jsonfield_bool(body, "", "drive_increases_risk", 0, &drive, errs)) {
	case JSONFIELD_OK:
		if (!marac)
			field_errors_add(errs, "drive_increases_risk",
			    "is asked at MARAC only");
		cJSON_AddBoolToObject(out, "drive_increases_risk", drive);
		break;
	default:
		cJSON_AddNullToObject(out, "drive_increases_risk");
		break;
	}
	reviews(body, out, errs);
	masc_outcomes(body, marac, out, errs);
	if (errs->total != before) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

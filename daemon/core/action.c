/*
 * Actions: statuses and the rules on them.  "Overdue" is the rule the
 * reminders and GET /v1/actions?status=overdue share: outstanding, and
 * its due date is before today.
 */
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/jsonfield.h"

const char *const action_statuses[] = { "open", "in_progress", "completed",
    "no_longer_relevant", NULL };
const char *const action_filters[] = { "open", "in_progress", "completed",
    "no_longer_relevant", "outstanding", "overdue", NULL };

/* jsonfield_date refuses dates after this: a due date may be any day. */
#define NO_LIMIT	date_from_ymd(9999, 12, 31)

bool
action_outstanding(enum action_status s)
{
	return s == ACTION_OPEN || s == ACTION_IN_PROGRESS;
}

bool
action_overdue(enum action_status s, date_t due, date_t today)
{
	return action_outstanding(s) && due < today;
}

enum action_rag
action_rag(enum action_status s, date_t due, date_t today)
{
	if (!action_outstanding(s))
		return ACTION_RAG_NONE;
	if (action_overdue(s, due, today))
		return ACTION_RAG_RED;
	if (due - today <= ACTION_AMBER_DAYS)
		return ACTION_RAG_AMBER;
	return ACTION_RAG_GREEN;
}

const char *
action_rag_name(enum action_rag rag)
{
	switch (rag) {
	case ACTION_RAG_RED:
		return "red";
	case ACTION_RAG_AMBER:
		return "amber";
	case ACTION_RAG_GREEN:
		return "green";
	case ACTION_RAG_NONE:
		break;
	}
	return NULL;
}

void
action_json_add_rag(cJSON *action, date_t today)
{
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(action, "status"));
	const char *due = cJSON_GetStringValue(cJSON_GetObjectItem(action, "due"));
	const char *name;
	date_t d;
	int i;

	if (status == NULL || due == NULL || !date_parse(due, &d))
		return;
	for (i = 0; action_statuses[i] != NULL; i++)
		if (strcmp(action_statuses[i], status) == 0)
			break;
	if (action_statuses[i] == NULL)
		return;
	name = action_rag_name(action_rag((enum action_status)i, d, today));
	cJSON_DeleteItemFromObject(action, "rag");
	if (name != NULL)
		cJSON_AddStringToObject(action, "rag", name);
	else
		cJSON_AddNullToObject(action, "rag");
}

bool
action_needs_note(enum action_status s)
{
	return s == ACTION_COMPLETED || s == ACTION_NO_LONGER_RELEVANT;
}

static void
put_string(cJSON *out, const char *key, char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(out, key, s);
	else
		cJSON_AddNullToObject(out, key);
	free(s);
}

static void
put_date(cJSON *out, const char *key, enum jsonfield_result got, date_t d)
{
	char buf[DATE_STRLEN];

	if (got == JSONFIELD_OK) {
		date_format(d, buf);
		cJSON_AddStringToObject(out, key, buf);
	} else
		cJSON_AddNullToObject(out, key);
}

cJSON *
action_create_normalise(const cJSON *body, const struct decision_areas *areas,
    date_t today, struct field_errors *errs)
{
	static const char *const members[] = { "agency", "area", "description",
	    "due", "sitting", NULL };
	char *agency = NULL, *area = NULL, *descr = NULL;
	enum jsonfield_result got;
	date_t due = 0;
	int sitting = 0;
	size_t before = errs->total;
	cJSON *out;

	if (!cJSON_IsObject(body)) {
		field_errors_add(errs, "$", "must be a JSON object");
		return NULL;
	}
	jsonfield_members(body, "", members, errs);
	jsonfield_code(body, "", "agency", JSONFIELD_REQUIRED, 32, &agency, errs);
	if (jsonfield_code(body, "", "area", JSONFIELD_REQUIRED, DECISION_AREA_LEN,
	    &area, errs) == JSONFIELD_OK && !decision_areas_has(areas, area))
		field_errors_add(errs, "area", "is not an assessment area of this forum");
	jsonfield_string(body, "", "description", JSONFIELD_REQUIRED |
	    JSONFIELD_MULTILINE, ACTION_TEXT_MAX, &descr, errs);
	got = jsonfield_date(body, "", "due", 0, NO_LIMIT, &due, errs);
	if (got == JSONFIELD_OK && due < today)
		field_errors_add(errs, "due", "must not be before today");
	jsonfield_int(body, "", "sitting", 0, 1, 2147483647, &sitting, errs);
	out = cJSON_CreateObject();
	put_string(out, "agency", agency);
	put_string(out, "area", area);
	put_string(out, "description", descr);
	put_date(out, "due", got, due);
	if (sitting > 0)
		cJSON_AddNumberToObject(out, "sitting", sitting);
	else
		cJSON_AddNullToObject(out, "sitting");
	if (errs->total != before) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

cJSON *
action_update_normalise(const cJSON *body, bool by_agency, date_t today,
    bool *forbidden, struct field_errors *errs)
{
	static const char *const members[] = { "status", "note", "due",
	    "description", NULL };
	char *note = NULL, *descr = NULL;
	enum jsonfield_result got, st;
	int status = -1;
	date_t due = 0;
	size_t before = errs->total;
	cJSON *out;

	*forbidden = false;
	if (!cJSON_IsObject(body)) {
		field_errors_add(errs, "$", "must be a JSON object");
		return NULL;
	}
	jsonfield_members(body, "", members, errs);
	st = jsonfield_choice(body, "", "status", 0, action_statuses, &status, errs);
	jsonfield_string(body, "", "note", JSONFIELD_MULTILINE, ACTION_TEXT_MAX,
	    &note, errs);
	got = jsonfield_date(body, "", "due", 0, NO_LIMIT, &due, errs);
	if (got == JSONFIELD_OK && due < today)
		field_errors_add(errs, "due", "must not be before today");
	jsonfield_string(body, "", "description", JSONFIELD_MULTILINE,
	    ACTION_TEXT_MAX, &descr, errs);
	if (st == JSONFIELD_OK && action_needs_note(status) && note == NULL)
		field_errors_add(errs, "note", "is required to mark an action %s",
		    action_statuses[status]);
	if (st != JSONFIELD_OK && got != JSONFIELD_OK && descr == NULL &&
	    note == NULL && errs->total == before)
		field_errors_add(errs, "$", "must change the status, due date or "
		    "description, or add a note");
	if (by_agency && (jsonfield_get(body, "due") != NULL ||
	    jsonfield_get(body, "description") != NULL))
		*forbidden = true;
	out = cJSON_CreateObject();
	if (st == JSONFIELD_OK)
		cJSON_AddStringToObject(out, "status", action_statuses[status]);
	else
		cJSON_AddNullToObject(out, "status");
	put_string(out, "note", note);
	put_date(out, "due", got, due);
	put_string(out, "description", descr);
	if (errs->total != before || *forbidden) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/*
 * Checklist wording: the deployment's file, checked against the
 * checklists maracd scores (core/dash.c), and maracd's own labels for
 * what it does not word.
 */
#include "core/checklist.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dash.h"

/* The checklists, in the order every answer lists them. */
static const enum dash_version dash_order[] = { DASH_2009, DASH_SAFELIVES_RIC,
    DASH_GLOS_2018 };
#define NDASH		(sizeof(dash_order) / sizeof(dash_order[0]))
#define NCHECKLISTS	(NDASH + 1)			/* and S-DASH, last */

struct checklist_wording {
	/* [checklist][question], 1-based; NULL: maracd's label. */
	char	*text[NCHECKLISTS][DASH_QUESTIONS_MAX + 1];
	int	 count;
};

static const char *
checklist_name(size_t c)
{
	return c < NDASH ? dash_version_name(dash_order[c]) : CHECKLIST_SDASH;
}

static int
checklist_questions(size_t c)
{
	return c < NDASH ? dash_version_questions(dash_order[c]) : SDASH_QUESTIONS;
}

static bool
checklist_find(const char *name, size_t *c)
{
	for (*c = 0; *c < NCHECKLISTS; (*c)++)
		if (strcmp(checklist_name(*c), name) == 0)
			return true;
	return false;
}

/* "1".."n" exactly: no sign, no leading zero, no space. */
static int
question_number(const char *s, int n)
{
	int q = 0;

	if (s[0] < '1' || s[0] > '9' || strlen(s) > 2)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		q = q * 10 + (*s - '0');
	}
	return q <= n ? q : 0;
}

void
checklist_wording_free(struct checklist_wording *w)
{
	if (w == NULL)
		return;
	for (size_t c = 0; c < NCHECKLISTS; c++)
		for (int q = 0; q <= DASH_QUESTIONS_MAX; q++)
			free(w->text[c][q]);
	free(w);
}

static bool
wording_add(struct checklist_wording *w, size_t c, const cJSON *qs, char *err,
    size_t errlen)
{
	const cJSON *t;
	int q;

	if (!cJSON_IsObject(qs)) {
		snprintf(err, errlen, "%s: must be an object of question numbers to text",
		    checklist_name(c));
		return false;
	}
	cJSON_ArrayForEach(t, qs) {
		if ((q = question_number(t->string, checklist_questions(c))) == 0) {
			snprintf(err, errlen, "%s: no question \"%.8s\" (1 to %d)",
			    checklist_name(c), t->string, checklist_questions(c));
			return false;
		}
		if (!cJSON_IsString(t) || t->valuestring[0] == '\0' ||
		    strlen(t->valuestring) > CHECKLIST_TEXT_MAX) {
			snprintf(err, errlen, "%s question %d: must be text of 1 to %d bytes",
			    checklist_name(c), q, CHECKLIST_TEXT_MAX);
			return false;
		}
		free(w->text[c][q]);
		if ((w->text[c][q] = strdup(t->valuestring)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return false;
		}
		w->count++;
	}
	return true;
}

struct checklist_wording *
checklist_wording_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct checklist_wording *w;
	const cJSON *m;
	cJSON *doc;
	size_t c;

	if ((doc = cJSON_ParseWithLength(text, len)) == NULL || !cJSON_IsObject(doc)) {
		snprintf(err, errlen, "not a JSON object of checklists");
		cJSON_Delete(doc);
		return NULL;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		snprintf(err, errlen, "out of memory");
		cJSON_Delete(doc);
		return NULL;
	}
	cJSON_ArrayForEach(m, doc) {
		if (!checklist_find(m->string, &c)) {
			snprintf(err, errlen, "no checklist \"%.32s\" (dash-2009, "
			    "safelives-ric, glos-2018, sdash)", m->string);
			goto fail;
		}
		if (!wording_add(w, c, m, err, errlen))
			goto fail;
	}
	cJSON_Delete(doc);
	return w;
fail:
	cJSON_Delete(doc);
	checklist_wording_free(w);
	return NULL;
}

int
checklist_wording_count(const struct checklist_wording *w)
{
	return w != NULL ? w->count : 0;
}

cJSON *
checklist_json(const struct checklist_wording *w)
{
	cJSON *o = cJSON_CreateObject(), *list, *one, *qs, *q;
	char label[32];
	const char *t;

	list = cJSON_AddArrayToObject(o, "checklists");
	for (size_t c = 0; c < NCHECKLISTS; c++) {
		one = cJSON_CreateObject();
		cJSON_AddStringToObject(one, "checklist", checklist_name(c));
		qs = cJSON_AddArrayToObject(one, "questions");
		for (int n = 1; n <= checklist_questions(c); n++) {
			t = w != NULL ? w->text[c][n] : NULL;
			/* maracd's label: the number, which is all it stores. */
			snprintf(label, sizeof(label), "Question %d", n);
			q = cJSON_CreateObject();
			cJSON_AddNumberToObject(q, "number", n);
			cJSON_AddStringToObject(q, "text", t != NULL ? t : label);
			cJSON_AddStringToObject(q, "source", t != NULL ? "deployment" : "maracd");
			cJSON_AddItemToArray(qs, q);
		}
		cJSON_AddItemToArray(list, one);
	}
	return o;
}

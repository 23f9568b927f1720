/*
 * The referral form's steps: one thing per page, as GOV.UK's pattern
 * asks, in the order a referrer knows them.
 */
#include "core/referralform.h"

#include <stdlib.h>
#include <string.h>

static const char *const victim_paths[] = { "external_ref", "referrer", "victim", NULL };
static const char *const perpetrator_paths[] = { "perpetrator.name", "perpetrator.dob",
    "perpetrator.gender", "perpetrator.in_custody", "perpetrator.mappa_level",
    "perpetrator.on_drive", "perpetrator.in_area", NULL };
static const char *const children_paths[] = { "children", NULL };
static const char *const relationship_paths[] = { "perpetrator.relationship",
    "domestic_abuse", "stalking", "urgent", "forum_requested", NULL };
static const char *const checklist_paths[] = { "dash", "sdash", "professional_judgement",
    "escalation", "police_callouts_12m", NULL };
static const char *const sharing_paths[] = { "lawful_basis", "consent", "summary", NULL };

const struct referralform_step referralform_steps[] = {
	{ "victim",		"The victim",			victim_paths },
	{ "perpetrator",	"The perpetrator",		perpetrator_paths },
	{ "children",		"Children",			children_paths },
	{ "relationship",	"Their relationship",		relationship_paths },
	{ "checklist",		"The risk checklist",		checklist_paths },
	{ "sharing",		"Lawful basis and consent",	sharing_paths },
	{ NULL, NULL, NULL },
};

const struct referralform_step *
referralform_step(const char *name)
{
	for (const struct referralform_step *s = referralform_steps; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

const struct referralform_step *
referralform_next(const struct referralform_step *s)
{
	return s[1].name != NULL ? s + 1 : NULL;
}

/* "yes"/"true" and "no"/"false" as JSON; anything else as it is. */
static void
to_bool(cJSON *item)
{
	const char *v = cJSON_GetStringValue(item);
	bool yes;

	if (v == NULL)
		return;
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		yes = true;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		yes = false;
	else
		return;
	/* In place: the member keeps its name and its place. */
	cJSON_free(item->valuestring);
	item->valuestring = NULL;
	item->type = yes ? cJSON_True : cJSON_False;
}

/* Up to six digits as a number; anything else as it is. */
static void
to_int(cJSON *item)
{
	const char *v = cJSON_GetStringValue(item);
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0 || n > 6 || strspn(v, "0123456789") != n)
		return;
	item->valueint = atoi(v);
	item->valuedouble = item->valueint;
	cJSON_free(item->valuestring);
	item->valuestring = NULL;
	item->type = cJSON_Number;
}

static void
member(cJSON *o, const char *key, void (*conv)(cJSON *))
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsObject(o) && item != NULL)
		conv(item);
}

static void
each(cJSON *o, void (*conv)(cJSON *))
{
	cJSON *item;

	if (!cJSON_IsObject(o))
		return;
	for (item = o->child; item != NULL; item = item->next)
		conv(item);
}

void
referralform_types(cJSON *form)
{
	static const char *const bools[] = { "domestic_abuse", "stalking", "urgent",
	    "escalation", NULL };
	static const char *const perp_bools[] = { "in_custody", "on_drive", "in_area", NULL };
	cJSON *perp = cJSON_GetObjectItemCaseSensitive(form, "perpetrator");
	cJSON *child;

	for (size_t i = 0; bools[i] != NULL; i++)
		member(form, bools[i], to_bool);
	member(form, "police_callouts_12m", to_int);
	for (size_t i = 0; perp_bools[i] != NULL; i++)
		member(perp, perp_bools[i], to_bool);
	member(perp, "mappa_level", to_int);
	cJSON_ArrayForEach(child, cJSON_GetObjectItemCaseSensitive(form, "children"))
		member(child, "resident", to_bool);
	each(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(form,
	    "dash"), "answers"), to_bool);
	each(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(form,
	    "sdash"), "answers"), to_bool);
}

/* The object at the first part of path and the last part's key. */
static cJSON *
path_parent(cJSON *root, const char *path, char *key, size_t keylen, bool make)
{
	const char *dot = strchr(path, '.');
	cJSON *o;
	size_t n;

	if (dot == NULL) {
		strncpy(key, path, keylen - 1);
		key[keylen - 1] = '\0';
		return root;
	}
	n = (size_t)(dot - path) < keylen - 1 ? (size_t)(dot - path) : keylen - 1;
	memcpy(key, path, n);
	key[n] = '\0';
	o = cJSON_GetObjectItemCaseSensitive(root, key);
	if (!cJSON_IsObject(o)) {
		if (!make)
			return NULL;
		cJSON_DeleteItemFromObjectCaseSensitive(root, key);
		o = cJSON_AddObjectToObject(root, key);
	}
	strncpy(key, dot + 1, keylen - 1);
	key[keylen - 1] = '\0';
	return o;
}

void
referralform_merge(cJSON *body, const cJSON *form, const struct referralform_step *step)
{
	const cJSON *from;
	cJSON *src, *dst;
	char key[64];

	for (size_t i = 0; step->paths[i] != NULL; i++) {
		src = path_parent((cJSON *)form, step->paths[i], key, sizeof(key), false);
		from = src != NULL ? cJSON_GetObjectItemCaseSensitive(src, key) : NULL;
		dst = path_parent(body, step->paths[i], key, sizeof(key), from != NULL);
		if (dst == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(dst, key);
		if (from != NULL)
			cJSON_AddItemToObject(dst, key, cJSON_Duplicate(from, true));
		/* A group left empty was not given at all (no perpetrator). */
		if (dst != body && dst->child == NULL)
			cJSON_Delete(cJSON_DetachItemViaPointer(body, dst));
	}
}

const struct referralform_step *
referralform_step_of(const char *path)
{
	size_t n;

	for (const struct referralform_step *s = referralform_steps; s->name != NULL; s++)
		for (size_t i = 0; s->paths[i] != NULL; i++) {
			n = strlen(s->paths[i]);
			/* The path itself, or one below it: victim.dob, children[1].dob. */
			if (strncmp(path, s->paths[i], n) == 0 &&
			    (path[n] == '\0' || path[n] == '.' || path[n] == '['))
				return s;
		}
	return NULL;
}

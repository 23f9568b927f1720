/*
 * The agenda's JSON: the canonical form an issued version is stored as
 * (agenda_to_json), read back to diff it against the next version
 * (agenda_from_json), and the diff's own (agenda_diff_to_json).  See
 * agenda.h.
 */
#include "core/agenda.h"
#include "core/agenda_internal.h"
#include "core/jsonread.h"

#include <stdlib.h>
#include <string.h>

/* Canonical JSON. */

/*
 * Builders share one flag: the first failed allocation clears it, later
 * additions to a missing parent do nothing, and the caller checks the flag
 * once.
 *
 * put() adds item under key k.  Every key in this file is a string literal, so
 * cJSON keeps the pointer instead of a copy: a copy per member was a third
 * of the allocations of a 300-case agenda (bench/agenda).
 */
static cJSON *
put(bool *ok, cJSON *o, const char *k, cJSON *item)
{
	if (item == NULL || o == NULL || !cJSON_AddItemToObjectCS(o, k, item)) {
		cJSON_Delete(item);
		*ok = false;
		return NULL;
	}
	return item;
}

static void
put_str(bool *ok, cJSON *o, const char *k, const char *v)
{
	put(ok, o, k, v == NULL ? cJSON_CreateNull() : cJSON_CreateString(v));
}

static void
put_int(bool *ok, cJSON *o, const char *k, int64_t v)
{
	put(ok, o, k, cJSON_CreateNumber((double)v));
}

static void
put_bool(bool *ok, cJSON *o, const char *k, bool v)
{
	put(ok, o, k, cJSON_CreateBool(v));
}

static void
put_date(bool *ok, cJSON *o, const char *k, date_t d)
{
	char buf[DATE_STRLEN];

	put_str(ok, o, k, date_format(d, buf));
}

static void
put_instant(bool *ok, cJSON *o, const char *k, bool has, int64_t t)
{
	char buf[INSTANT_STRLEN];

	put_str(ok, o, k, has ? instant_format(t, buf) : NULL);
}

static cJSON *
put_object(bool *ok, cJSON *o, const char *k)
{
	return put(ok, o, k, cJSON_CreateObject());
}

static cJSON *
put_array(bool *ok, cJSON *o, const char *k)
{
	return put(ok, o, k, cJSON_CreateArray());
}

/* A new object at the end of an array. */
static cJSON *
push_object(bool *ok, cJSON *arr)
{
	cJSON *o;

	if ((o = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		*ok = false;
		return NULL;
	}
	return o;
}

static void
push_str(bool *ok, cJSON *arr, const char *s)
{
	cJSON *v;

	if ((v = cJSON_CreateString(s)) == NULL ||
	    !cJSON_AddItemToArray(arr, v)) {
		cJSON_Delete(v);
		*ok = false;
	}
}

/* {"level": ..., "bases": [...]} under "risk" of o. */
static void
put_risk(bool *ok, cJSON *o, enum risk_level level, char *const *bases,
    size_t n)
{
	cJSON *v = put_object(ok, o, "risk"), *arr;

	put_str(ok, v, "level", agenda_risk_name(level));
	arr = put_array(ok, v, "bases");
	for (size_t i = 0; i < n; i++)
		push_str(ok, arr, bases[i]);
}

static void
case_to_json(bool *ok, cJSON *o, const struct agenda_case *c)
{
	cJSON *v, *links;

	put_int(ok, o, "referral_id", c->referral_id);
	put_str(ok, o, "reference", c->reference);
	put_str(ok, o, "officer", c->officer);
	v = put_object(ok, o, "victim");
	put_str(ok, v, "initials", c->victim_initials);
	if (c->victim_age >= 0)
		put_int(ok, v, "age", c->victim_age);
	else
		put_str(ok, v, "age", NULL);
	if (c->victim_name != NULL)
		put_str(ok, v, "name", c->victim_name);
	if (c->has_victim_dob)
		put_date(ok, v, "dob", c->victim_dob);
	if (c->perpetrator_initials == NULL) {
		put_str(ok, o, "perpetrator", NULL);
	} else {
		v = put_object(ok, o, "perpetrator");
		put_str(ok, v, "initials", c->perpetrator_initials);
		if (c->perpetrator_name != NULL)
			put_str(ok, v, "name", c->perpetrator_name);
	}
	put_int(ok, o, "children", c->children);
	put_risk(ok, o, c->risk, c->bases, c->nbases);
	put_bool(ok, o, "repeat", c->repeat);
	put_bool(ok, o, "urgent", c->urgent);
	put_str(ok, o, "drive", agenda_drive_name(c->drive));
	put_instant(ok, o, "received_at", true, c->received);
	if (c->nlinked == 0)
		return;
	/* Only on a case with linked referrals: earlier versions stay as they were. */
	put_str(ok, o, "own_level", agenda_risk_name(c->own_risk));
	links = put_array(ok, o, "linked");
	for (size_t i = 0; i < c->nlinked; i++) {
		const struct agenda_link *l = &c->linked[i];

		v = push_object(ok, links);
		put_str(ok, v, "reference", l->reference);
		put_str(ok, v, "agency", l->agency);
		put_str(ok, v, "agency_name", l->agency_name);
		put_str(ok, v, "officer", l->officer);
		put_risk(ok, v, l->risk, l->bases, l->nbases);
		put_bool(ok, v, "urgent", l->urgent);
		put_instant(ok, v, "received_at", true, l->received);
	}
}

cJSON *
agenda_to_json(const struct agenda *a)
{
	const struct agenda_group	*g;
	cJSON				*root, *o, *groups, *cases;
	bool				 ok = true;

	if ((root = cJSON_CreateObject()) == NULL)
		return NULL;
	o = put_object(&ok, root, "sitting");
	put_int(&ok, o, "id", a->sitting_id);
	put_str(&ok, o, "forum", forum_code(a->forum));
	put_str(&ok, o, "area", a->area);
	put_str(&ok, o, "area_name", a->area_name);
	put_date(&ok, o, "date", a->date);
	put_date(&ok, o, "cutoff", a->cutoff);
	put_str(&ok, o, "venue", a->venue);
	put_instant(&ok, o, "starts_at", a->has_times, a->starts_at);
	put_instant(&ok, o, "ends_at", a->has_times, a->ends_at);
	put_int(&ok, root, "version", a->version);
	put_str(&ok, root, "issued_at", a->issued_at);
	put_bool(&ok, root, "full_names", a->full_names);
	put_int(&ok, root, "case_count", (int64_t)a->ncases);
	groups = put_array(&ok, root, "groups");
	for (size_t i = 0; i < a->ngroups; i++) {
		g = &a->groups[i];
		o = push_object(&ok, groups);
		put_str(&ok, o, "agency", g->agency);
		put_str(&ok, o, "agency_name", g->agency_name);
		cases = put_array(&ok, o, "cases");
		for (size_t j = 0; j < g->count; j++)
			case_to_json(&ok, push_object(&ok, cases),
			    &a->cases[g->first + j]);
	}
	if (!ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/*
 * Reading it back.  The input is our own stored output, but a stored
 * version outlives the code that wrote it, so every member is checked and
 * anything unexpected is refused rather than guessed at.
 */

/* A string that must be there (null only when nullable); a copy in *out. */
static void
get_str(struct jsonread *rd, const cJSON *o, const char *k, bool nullable,
    char **out)
{
	const char *s = jsonread_str(rd, o, k,
	    nullable ? JSONREAD_PRESENT : JSONREAD_REQUIRED);

	*out = NULL;
	if (s != NULL && (*out = agenda_copy(s)) == NULL)
		jsonread_fail(rd, WHY_NOMEM);
}

/* A string without a copy, for names matched against a table. */
static const char *
get_name(struct jsonread *rd, const cJSON *o, const char *k)
{
	const char *s = jsonread_str(rd, o, k, JSONREAD_REQUIRED);

	return s != NULL ? s : "";
}

static int64_t
get_int(struct jsonread *rd, const cJSON *o, const char *k, int64_t min,
    int64_t max)
{
	return jsonread_int(rd, o, k, min, max, JSONREAD_REQUIRED);
}

static bool
get_bool(struct jsonread *rd, const cJSON *o, const char *k)
{
	return jsonread_bool(rd, o, k, JSONREAD_REQUIRED);
}

static date_t
get_date(struct jsonread *rd, const cJSON *o, const char *k)
{
	date_t d = 0;

	if (!date_parse(get_name(rd, o, k), &d))
		jsonread_fail(rd, JSONREAD_WRONG);
	return d;
}

/* An instant or null; *has says which. */
static int64_t
get_instant(struct jsonread *rd, const cJSON *o, const char *k, bool *has)
{
	const char	*s = jsonread_str(rd, o, k, JSONREAD_PRESENT);
	int64_t		 t = 0;

	*has = false;
	if (s == NULL)
		return 0;
	if (!instant_parse(s, INSTANT_UTC, &t, NULL)) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return 0;
	}
	*has = true;
	return t;
}

/* One of a table's names, as of() finds it (-1: none); 0 when it is not. */
static int
get_choice(struct jsonread *rd, const cJSON *o, const char *k,
    int (*of)(const char *))
{
	int i = of(get_name(rd, o, k));

	if (i < 0) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return 0;
	}
	return i;
}

/* An array of strings under k of o, copied. */
static void
get_bases(struct jsonread *rd, const cJSON *o, const char *k, char ***out,
    size_t *nout)
{
	const cJSON	*bases = jsonread_array(rd, o, k, JSONREAD_REQUIRED), *b;
	int		 n;

	if ((n = cJSON_GetArraySize(bases)) <= 0)
		return;
	if ((*out = calloc((size_t)n, sizeof(**out))) == NULL) {
		jsonread_fail(rd, WHY_NOMEM);
		return;
	}
	cJSON_ArrayForEach(b, bases) {
		if (!cJSON_IsString(b) || b->valuestring == NULL) {
			jsonread_fail(rd, JSONREAD_WRONG);
			return;
		}
		if (((*out)[*nout] = agenda_copy(b->valuestring)) == NULL) {
			jsonread_fail(rd, WHY_NOMEM);
			return;
		}
		(*nout)++;
	}
}

/* The linked referrals of a case, when it has any. */
static void
links_from_json(struct jsonread *rd, const cJSON *o, struct agenda_case *c)
{
	const cJSON	*arr = cJSON_GetObjectItemCaseSensitive(o, "linked"), *l;
	int		 n;
	bool		 has;

	c->own_risk = c->risk;
	if (arr == NULL)
		return;
	c->own_risk = (enum risk_level)get_choice(rd, o, "own_level",
	    agenda_risk_of);
	if (!cJSON_IsArray(arr) || (n = cJSON_GetArraySize(arr)) == 0) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return;
	}
	if ((c->linked = calloc((size_t)n, sizeof(*c->linked))) == NULL) {
		jsonread_fail(rd, WHY_NOMEM);
		return;
	}
	cJSON_ArrayForEach(l, arr) {
		struct agenda_link *k = &c->linked[c->nlinked++];
		const cJSON *r;

		if (!cJSON_IsObject(l)) {
			jsonread_fail(rd, JSONREAD_WRONG);
			return;
		}
		get_str(rd, l, "reference", false, &k->reference);
		get_str(rd, l, "agency", false, &k->agency);
		get_str(rd, l, "agency_name", false, &k->agency_name);
		get_str(rd, l, "officer", true, &k->officer);
		r = jsonread_member(rd, l, "risk", JSONREAD_REQUIRED);
		k->risk = (enum risk_level)get_choice(rd, r, "level",
		    agenda_risk_of);
		get_bases(rd, r, "bases", &k->bases, &k->nbases);
		k->urgent = get_bool(rd, l, "urgent");
		k->received = get_instant(rd, l, "received_at", &has);
		if (!has)
			jsonread_fail(rd, JSONREAD_WRONG);
		if (!jsonread_ok(rd))
			return;
	}
}

static void
case_from_json(struct jsonread *rd, const cJSON *o, const char *agency,
    const char *agency_name, bool full_names, struct agenda_case *c)
{
	const cJSON	*v, *age;
	bool		 has;

	if (!cJSON_IsObject(o)) {
		jsonread_fail(rd, JSONREAD_WRONG);
		return;
	}
	c->referral_id = get_int(rd, o, "referral_id", 1, AGENDA_ID_MAX);
	get_str(rd, o, "reference", false, &c->reference);
	get_str(rd, o, "officer", true, &c->officer);
	if ((c->agency = agenda_copy(agency)) == NULL ||
	    (c->agency_name = agenda_copy(agency_name)) == NULL) {
		jsonread_fail(rd, WHY_NOMEM);
	}
	v = jsonread_member(rd, o, "victim", JSONREAD_REQUIRED);
	get_str(rd, v, "initials", false, &c->victim_initials);
	c->victim_age = -1;
	age = jsonread_member(rd, v, "age", JSONREAD_PRESENT);
	if (age != NULL && !cJSON_IsNull(age))
		c->victim_age = (int)get_int(rd, v, "age", 0, INT32_MAX);
	/* A version without names must not gain them on the way back. */
	if (full_names) {
		get_str(rd, v, "name", false, &c->victim_name);
		c->victim_dob = get_date(rd, v, "dob");
		c->has_victim_dob = true;
	} else if (cJSON_GetObjectItemCaseSensitive(v, "name") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(v, "dob") != NULL) {
		jsonread_fail(rd, JSONREAD_WRONG);
	}
	v = jsonread_member(rd, o, "perpetrator", JSONREAD_PRESENT);
	if (v != NULL && !cJSON_IsNull(v)) {
		get_str(rd, v, "initials", false, &c->perpetrator_initials);
		if (full_names)
			get_str(rd, v, "name", false, &c->perpetrator_name);
		else if (cJSON_GetObjectItemCaseSensitive(v, "name") != NULL)
			jsonread_fail(rd, JSONREAD_WRONG);
	}
	c->children = (int)get_int(rd, o, "children", 0, INT32_MAX);
	v = jsonread_member(rd, o, "risk", JSONREAD_REQUIRED);
	c->risk = (enum risk_level)get_choice(rd, v, "level",
	    agenda_risk_of);
	get_bases(rd, v, "bases", &c->bases, &c->nbases);
	c->repeat = get_bool(rd, o, "repeat");
	c->urgent = get_bool(rd, o, "urgent");
	c->drive = (enum agenda_drive)get_choice(rd, o, "drive",
	    agenda_drive_of);
	c->received = get_instant(rd, o, "received_at", &has);
	if (!has)
		jsonread_fail(rd, JSONREAD_WRONG);
	links_from_json(rd, o, c);
}

static void
sitting_from_json(struct jsonread *rd, const cJSON *root, struct agenda *a)
{
	const cJSON	*o = jsonread_member(rd, root, "sitting", JSONREAD_REQUIRED);
	bool		 has_end;

	a->sitting_id = get_int(rd, o, "id", 1, AGENDA_ID_MAX);
	if ((a->forum = forum_of(get_name(rd, o, "forum"))) == FORUM_NONE)
		jsonread_fail(rd, JSONREAD_WRONG);
	get_str(rd, o, "area", false, &a->area);
	get_str(rd, o, "area_name", false, &a->area_name);
	a->date = get_date(rd, o, "date");
	a->cutoff = get_date(rd, o, "cutoff");
	get_str(rd, o, "venue", true, &a->venue);
	a->starts_at = get_instant(rd, o, "starts_at", &a->has_times);
	a->ends_at = get_instant(rd, o, "ends_at", &has_end);
	if (a->has_times != has_end ||
	    (a->has_times && a->ends_at <= a->starts_at))
		jsonread_fail(rd, JSONREAD_WRONG);
	a->version = (int)get_int(rd, root, "version", 0, INT32_MAX);
	get_str(rd, root, "issued_at", true, &a->issued_at);
	a->full_names = get_bool(rd, root, "full_names");
}

int
agenda_from_json(const cJSON *root, struct agenda *a, const char **why)
{
	struct jsonread	 rd = { 0 };
	const cJSON	*groups, *g, *cases, *c;
	int64_t		*ids = NULL;
	int64_t		 count;
	bool		 unique = true;
	const char	*agency, *agency_name;

	memset(a, 0, sizeof(*a));
	sitting_from_json(&rd, root, a);
	count = get_int(&rd, root, "case_count", 0, INT32_MAX);
	groups = jsonread_member(&rd, root, "groups", JSONREAD_REQUIRED);
	if (!jsonread_ok(&rd) || !cJSON_IsArray(groups))
		goto fail;
	if (count > 0) {
		a->cases = calloc((size_t)count, sizeof(*a->cases));
		a->groups = calloc((size_t)count, sizeof(*a->groups));
		ids = malloc((size_t)count * sizeof(*ids));
		if (a->cases == NULL || a->groups == NULL || ids == NULL) {
			jsonread_fail(&rd, WHY_NOMEM);
			goto fail;
		}
	}
	cJSON_ArrayForEach(g, groups) {
		agency = get_name(&rd, g, "agency");
		agency_name = get_name(&rd, g, "agency_name");
		cases = jsonread_member(&rd, g, "cases", JSONREAD_REQUIRED);
		if (!jsonread_ok(&rd) || !cJSON_IsArray(cases) ||
		    cJSON_GetArraySize(cases) == 0 ||
		    (int64_t)a->ngroups >= count)
			goto fail;
		a->groups[a->ngroups++] = (struct agenda_group){
			.first = a->ncases,
			.count = (size_t)cJSON_GetArraySize(cases),
		};
		cJSON_ArrayForEach(c, cases) {
			if ((int64_t)a->ncases >= count)
				goto fail;
			case_from_json(&rd, c, agency, agency_name,
			    a->full_names, &a->cases[a->ncases]);
			ids[a->ncases] = a->cases[a->ncases].referral_id;
			a->ncases++;
			if (!jsonread_ok(&rd))
				goto fail;
		}
	}
	if ((int64_t)a->ncases != count)
		goto fail;
	/* Group names point into their first case, as agenda_build's do. */
	for (size_t i = 0; i < a->ngroups; i++) {
		a->groups[i].agency = a->cases[a->groups[i].first].agency;
		a->groups[i].agency_name =
		    a->cases[a->groups[i].first].agency_name;
	}
	if (agenda_ids_unique(ids, a->ncases, &unique) == -1) {
		jsonread_fail(&rd, WHY_NOMEM);
		goto fail;
	}
	if (!unique)
		goto fail;
	free(ids);
	return 0;
fail:
	free(ids);
	agenda_free(a);
	return why_fail(why, rd.why != NULL ? rd.why : AGENDA_WHY_JSON);
}

static void
put_refs(bool *ok, cJSON *o, const char *k, char *const *list, size_t n)
{
	cJSON *arr = put_array(ok, o, k);

	for (size_t i = 0; i < n; i++)
		push_str(ok, arr, list[i]);
}

cJSON *
agenda_diff_to_json(const struct agenda_diff *d)
{
	cJSON	*root, *counts;
	bool	 ok = true;

	if ((root = cJSON_CreateObject()) == NULL)
		return NULL;
	counts = put_object(&ok, root, "counts");
	put_int(&ok, counts, "added", (int64_t)d->nadded);
	put_int(&ok, counts, "removed", (int64_t)d->nremoved);
	put_int(&ok, counts, "changed", (int64_t)d->nchanged);
	put_refs(&ok, root, "added", d->added, d->nadded);
	put_refs(&ok, root, "removed", d->removed, d->nremoved);
	put_refs(&ok, root, "changed", d->changed, d->nchanged);
	if (!ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/*
 * The decision-record model: built from its source, put in canonical
 * order, written as canonical JSON.  See record.h.
 */
#include "core/record.h"
#include "core/decision.h"
#include "core/canonjson.h"
#include "core/jsonread.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

static const char *const area_order[] = {
	"victim", "offender", "children", "location", "referral"
};

/* --- strings --------------------------------------------------------- */

/* A copy with each invalid byte replaced by U+FFFD. */
static char *
utf8_dup(struct jsonread *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, k;
	char *out, *o;

	for (const unsigned char *q = p; *q != '\0'; q += k) {
		k = utf8_decode(q, SIZE_MAX, NULL);
		n += k != 0 ? k : 3;
		if (k == 0)
			k = 1;
	}
	if ((out = malloc(n + 1)) == NULL) {
		jsonread_fail(b, WHY_NOMEM);
		return NULL;
	}
	for (o = out; *p != '\0'; p += k) {
		if ((k = utf8_decode(p, SIZE_MAX, NULL)) != 0) {
			memcpy(o, p, k);
			o += k;
		} else {
			memcpy(o, UTF8_REPLACEMENT, 3);
			o += 3;
			k = 1;
		}
	}
	*o = '\0';
	return out;
}

/* qsort, which must not be given a NULL array even when it is empty. */
static void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int
nullable_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* --- reading the source ---------------------------------------------- */

static enum jsonread_need
need(bool required)
{
	return required ? JSONREAD_REQUIRED : JSONREAD_OPTIONAL;
}

/* A string member, copied with broken UTF-8 repaired. */
static char *
get_str(struct jsonread *b, const cJSON *o, const char *key, bool required)
{
	const char *s = jsonread_str(b, o, key, need(required));

	return s != NULL ? utf8_dup(b, s) : NULL;
}

static enum record_tristate
get_tri(struct jsonread *b, const cJSON *o, const char *key)
{
	const cJSON *v = jsonread_member(b, o, key, JSONREAD_OPTIONAL);

	if (v == NULL)
		return RECORD_UNSET;
	if (!cJSON_IsBool(v)) {
		jsonread_fail(b, JSONREAD_WRONG);
		return RECORD_UNSET;
	}
	return cJSON_IsTrue(v) ? RECORD_YES : RECORD_NO;
}

/* An array member (absent or null: empty); its length, its memory. */
static const cJSON *
get_array(struct jsonread *b, const cJSON *o, const char *key, size_t size,
    void **items, size_t *n)
{
	const cJSON *v = jsonread_array(b, o, key, JSONREAD_OPTIONAL);
	int len;

	*items = NULL;
	*n = 0;
	if (v == NULL)
		return NULL;
	if ((len = cJSON_GetArraySize(v)) == 0)
		return NULL;
	if ((*items = calloc((size_t)len, size)) == NULL) {
		jsonread_fail(b, WHY_NOMEM);
		return NULL;
	}
	*n = (size_t)len;
	return v;
}

static int
str_cmp(const void *a, const void *b)
{
	return nullable_cmp(*(char *const *)a, *(char *const *)b);
}

static void
get_strings(struct jsonread *b, const cJSON *o, const char *key,
    struct record_strings *s)
{
	const cJSON *arr, *e;
	size_t i = 0;

	arr = get_array(b, o, key, sizeof(char *), (void **)&s->items, &s->n);
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e)) {
			jsonread_fail(b, JSONREAD_WRONG);
			break;
		}
		s->items[i++] = utf8_dup(b, e->valuestring);
	}
	if (b->why == NULL)
		sort(s->items, s->n, sizeof(char *), str_cmp);
}

/* --- the parts, each with its order ---------------------------------- */

static int
area_cmp(const void *a, const void *b)
{
	return record_area_cmp(((const struct record_area *)a)->area,
	    ((const struct record_area *)b)->area);
}

/*
 * s in the order of names[] (the order an order goes through its stages),
 * anything else after them as it was: the record reads as the form does.
 */
static void
in_list_order(struct record_strings *s, const char *const names[])
{
	size_t k = 0;

	for (int i = 0; names[i] != NULL; i++)
		for (size_t j = k; j < s->n; j++)
			if (strcmp(s->items[j], names[i]) == 0) {
				char *t = s->items[k];

				s->items[k++] = s->items[j];
				s->items[j] = t;
				break;
			}
}

static void
build_content(struct jsonread *b, const cJSON *o, struct record_content *c)
{
	const cJSON *areas, *e, *mo;
	size_t i = 0;
	int n;

	get_strings(b, o, "attendees", &c->attendees);
	c->outcome = get_str(b, o, "outcome", false);
	c->drive_increases_risk = get_tri(b, o, "drive_increases_risk");
	mo = jsonread_member(b, o, "masc_outcomes", JSONREAD_OPTIONAL);
	if (mo != NULL && !cJSON_IsObject(mo))
		jsonread_fail(b, JSONREAD_WRONG);
	else if (mo != NULL) {
		c->masc_recorded = true;
		get_strings(b, mo, "spo", &c->masc_spo);
		get_strings(b, mo, "onward_referrals", &c->masc_onward_referrals);
		in_list_order(&c->masc_spo, decision_spo_stages);
		in_list_order(&c->masc_onward_referrals, decision_onward_referrals);
	}
	areas = jsonread_member(b, o, "areas", JSONREAD_OPTIONAL);
	if (areas == NULL)
		return;
	if (!cJSON_IsObject(areas)) {
		jsonread_fail(b, JSONREAD_WRONG);
		return;
	}
	if ((n = cJSON_GetArraySize(areas)) == 0)
		return;
	if ((c->areas = calloc((size_t)n, sizeof(*c->areas))) == NULL) {
		jsonread_fail(b, WHY_NOMEM);
		return;
	}
	c->nareas = (size_t)n;
	cJSON_ArrayForEach(e, areas) {
		if (!cJSON_IsString(e) && !cJSON_IsNull(e)) {
			jsonread_fail(b, JSONREAD_WRONG);
			return;
		}
		c->areas[i].area = utf8_dup(b, e->string);
		if (cJSON_IsString(e))
			c->areas[i].text = utf8_dup(b, e->valuestring);
		i++;
	}
	if (b->why != NULL)
		return;
	sort(c->areas, c->nareas, sizeof(*c->areas), area_cmp);
	for (i = 1; i < c->nareas; i++)
		if (strcmp(c->areas[i].area, c->areas[i - 1].area) == 0)
			jsonread_fail(b, JSONREAD_WRONG);	/* crafted JSON: jsonb has none */
}

static int
version_cmp(const void *a, const void *b)
{
	int x = ((const struct record_version *)a)->version;
	int y = ((const struct record_version *)b)->version;

	return (x > y) - (x < y);
}

static struct record_decision *
build_decision(struct jsonread *b, const cJSON *o)
{
	struct record_decision *d;
	const cJSON *arr, *e;
	size_t i = 0;

	if (o == NULL)
		return NULL;
	if (!cJSON_IsObject(o) || (d = calloc(1, sizeof(*d))) == NULL) {
		jsonread_fail(b, cJSON_IsObject(o) ? WHY_NOMEM : JSONREAD_WRONG);
		return NULL;
	}
	d->id = jsonread_int(b, o, "id", 1, RECORD_ID_MAX, JSONREAD_REQUIRED);
	build_content(b, o, &d->content);
	get_strings(b, o, "lawful_basis", &d->lawful_basis);
	d->version = (int)jsonread_int(b, o, "version", 1, INT32_MAX,
	    JSONREAD_REQUIRED);
	d->signed_off_at = get_str(b, o, "signed_off_at", false);
	arr = get_array(b, o, "versions", sizeof(*d->versions),
	    (void **)&d->versions, &d->nversions);
	cJSON_ArrayForEach(e, arr) {
		struct record_version *v = &d->versions[i++];

		v->version = (int)jsonread_int(b, e, "version", 1, INT32_MAX,
		    JSONREAD_REQUIRED);
		v->reason = get_str(b, e, "reason", false);
		v->at = get_str(b, e, "at", true);
		build_content(b, jsonread_member(b, e, "content", JSONREAD_REQUIRED), &v->content);
	}
	if (b->why == NULL)
		sort(d->versions, d->nversions, sizeof(*d->versions), version_cmp);
	for (i = 1; b->why == NULL && i < d->nversions; i++)
		if (d->versions[i].version == d->versions[i - 1].version)
			jsonread_fail(b, JSONREAD_WRONG);
	return d;
}

static int
id_cmp(int64_t x, int64_t y)
{
	return (x > y) - (x < y);
}

static int
change_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct record_change *)a)->id,
	    ((const struct record_change *)b)->id);
}

static int
action_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct record_action *)a)->id,
	    ((const struct record_action *)b)->id);
}

static void
build_action(struct jsonread *b, const cJSON *o, struct record_action *a)
{
	const cJSON *arr, *e;
	size_t i = 0;

	a->id = jsonread_int(b, o, "id", 1, RECORD_ID_MAX, JSONREAD_REQUIRED);
	a->agency = get_str(b, o, "agency", true);
	a->area = get_str(b, o, "area", true);
	a->description = get_str(b, o, "description", true);
	a->due = get_str(b, o, "due", true);
	a->status = get_str(b, o, "status", true);
	a->created_at = get_str(b, o, "created_at", false);
	arr = get_array(b, o, "history", sizeof(*a->history),
	    (void **)&a->history, &a->nhistory);
	cJSON_ArrayForEach(e, arr) {
		struct record_change *c = &a->history[i++];

		c->id = jsonread_int(b, e, "id", 1, RECORD_ID_MAX,
		    JSONREAD_REQUIRED);
		c->at = get_str(b, e, "at", true);
		c->role = get_str(b, e, "role", false);
		c->agency = get_str(b, e, "agency", false);
		c->token_id = jsonread_int(b, e, "token_id", 1, RECORD_ID_MAX,
		    JSONREAD_OPTIONAL);
		c->field = get_str(b, e, "field", true);
		c->from = get_str(b, e, "from", false);
		c->to = get_str(b, e, "to", false);
		c->note = get_str(b, e, "note", false);
	}
	if (b->why != NULL)
		return;
	sort(a->history, a->nhistory, sizeof(*a->history), change_cmp);
	for (i = 1; i < a->nhistory; i++)
		if (a->history[i].id == a->history[i - 1].id)
			jsonread_fail(b, JSONREAD_WRONG);
}

static int
case_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct record_case *)a)->referral_id,
	    ((const struct record_case *)b)->referral_id);
}

static void
build_case(struct jsonread *b, const cJSON *o, struct record_case *c)
{
	const cJSON *arr, *e;
	size_t i = 0;

	c->referral_id = jsonread_int(b, o, "referral_id", 1, RECORD_ID_MAX,
	    JSONREAD_REQUIRED);
	c->reference = get_str(b, o, "reference", true);
	c->referring_agency = get_str(b, o, "referring_agency", true);
	c->risk_level = get_str(b, o, "risk_level", true);
	get_strings(b, o, "risk_bases", &c->risk_bases);
	c->repeat = jsonread_bool(b, o, "repeat", JSONREAD_OPTIONAL);
	get_strings(b, o, "lawful_basis", &c->lawful_basis);
	c->consent = get_str(b, o, "consent", false);
	c->decision = build_decision(b, jsonread_member(b, o, "decision", JSONREAD_OPTIONAL));
	arr = get_array(b, o, "actions", sizeof(*c->actions),
	    (void **)&c->actions, &c->nactions);
	cJSON_ArrayForEach(e, arr)
		build_action(b, e, &c->actions[i++]);
	if (b->why != NULL)
		return;
	sort(c->actions, c->nactions, sizeof(*c->actions), action_cmp);
	for (i = 1; i < c->nactions; i++)
		if (c->actions[i].id == c->actions[i - 1].id)
			jsonread_fail(b, JSONREAD_WRONG);
}

static int
review_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct record_review *)a)->action_id,
	    ((const struct record_review *)b)->action_id);
}

static void
build_review(struct jsonread *b, const cJSON *o, struct record_review *v)
{
	v->action_id = jsonread_int(b, o, "action_id", 1, RECORD_ID_MAX,
	    JSONREAD_REQUIRED);
	v->referral_id = jsonread_int(b, o, "referral_id", 1, RECORD_ID_MAX,
	    JSONREAD_REQUIRED);
	v->reference = get_str(b, o, "reference", true);
	v->agency = get_str(b, o, "agency", true);
	v->area = get_str(b, o, "area", true);
	v->description = get_str(b, o, "description", true);
	v->due = get_str(b, o, "due", true);
	v->status = get_str(b, o, "status", true);
	v->result = get_str(b, o, "result", true);
	v->note = get_str(b, o, "note", false);
	v->at = get_str(b, o, "at", true);
}

static int
attendee_cmp(const void *a, const void *b)
{
	const struct record_attendee *x = a, *y = b;
	int c = nullable_cmp(x->agency, y->agency);

	return c != 0 ? c : nullable_cmp(x->name, y->name);
}

static int
observer_cmp(const void *a, const void *b)
{
	const struct record_observer *x = a, *y = b;
	int c = nullable_cmp(x->name, y->name);

	if (c == 0)
		c = nullable_cmp(x->organisation, y->organisation);
	return c != 0 ? c : (int)x->confidentiality_signed -
	    (int)y->confidentiality_signed;
}

static int
apology_cmp(const void *a, const void *b)
{
	const struct record_apology *x = a, *y = b;
	int c = nullable_cmp(x->agency, y->agency);

	return c != 0 ? c : (int)x->information_sent - (int)y->information_sent;
}

/* Minutes are a coordinator's form: an entry that is not an object is
 * refused rather than guessed at. */
static struct record_minutes *
build_minutes(struct jsonread *b, const cJSON *o)
{
	struct record_minutes *m;
	const cJSON *arr, *e;
	size_t i;

	if (o == NULL)
		return NULL;
	if (!cJSON_IsObject(o)) {
		jsonread_fail(b, JSONREAD_WRONG);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		jsonread_fail(b, WHY_NOMEM);
		return NULL;
	}
	m->chair = get_str(b, o, "chair", false);
	m->confidentiality_statement = get_str(b, o,
	    "confidentiality_statement", false);
	m->updated_at = get_str(b, o, "updated_at", false);
	i = 0;
	arr = get_array(b, o, "attendees", sizeof(*m->attendees),
	    (void **)&m->attendees, &m->nattendees);
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsObject(e))
			jsonread_fail(b, JSONREAD_WRONG);
		m->attendees[i].agency = get_str(b, e, "agency", false);
		m->attendees[i++].name = get_str(b, e, "name", false);
	}
	i = 0;
	arr = get_array(b, o, "observers", sizeof(*m->observers),
	    (void **)&m->observers, &m->nobservers);
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsObject(e))
			jsonread_fail(b, JSONREAD_WRONG);
		m->observers[i].name = get_str(b, e, "name", false);
		m->observers[i].organisation = get_str(b, e, "organisation", false);
		m->observers[i++].confidentiality_signed = get_tri(b, e,
		    "confidentiality_signed");
	}
	i = 0;
	arr = get_array(b, o, "apologies", sizeof(*m->apologies),
	    (void **)&m->apologies, &m->napologies);
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsObject(e))
			jsonread_fail(b, JSONREAD_WRONG);
		m->apologies[i].agency = get_str(b, e, "agency", false);
		m->apologies[i++].information_sent = get_tri(b, e,
		    "information_sent");
	}
	if (b->why == NULL) {
		sort(m->attendees, m->nattendees, sizeof(*m->attendees),
		    attendee_cmp);
		sort(m->observers, m->nobservers, sizeof(*m->observers),
		    observer_cmp);
		sort(m->apologies, m->napologies, sizeof(*m->apologies),
		    apology_cmp);
	}
	return m;
}

static void
build_sitting(struct jsonread *b, const cJSON *o, struct record_sitting *s)
{
	const cJSON *arr, *e;
	size_t i = 0;

	s->id = jsonread_int(b, o, "id", 1, RECORD_ID_MAX, JSONREAD_REQUIRED);
	s->date = get_str(b, o, "date", true);
	s->status = get_str(b, o, "status", true);
	s->venue = get_str(b, o, "venue", false);
	s->minutes = build_minutes(b, jsonread_member(b, o, "minutes", JSONREAD_OPTIONAL));
	arr = get_array(b, o, "cases", sizeof(*s->cases), (void **)&s->cases,
	    &s->ncases);
	cJSON_ArrayForEach(e, arr)
		build_case(b, e, &s->cases[i++]);
	i = 0;
	arr = get_array(b, o, "reviews", sizeof(*s->reviews),
	    (void **)&s->reviews, &s->nreviews);
	cJSON_ArrayForEach(e, arr)
		build_review(b, e, &s->reviews[i++]);
	if (b->why != NULL)
		return;
	sort(s->cases, s->ncases, sizeof(*s->cases), case_cmp);
	sort(s->reviews, s->nreviews, sizeof(*s->reviews), review_cmp);
	for (i = 1; i < s->ncases; i++)
		if (s->cases[i].referral_id == s->cases[i - 1].referral_id)
			jsonread_fail(b, JSONREAD_WRONG);
	for (i = 1; i < s->nreviews; i++)
		if (s->reviews[i].action_id == s->reviews[i - 1].action_id)
			jsonread_fail(b, JSONREAD_WRONG);
}

static int
sitting_cmp(const void *a, const void *b)
{
	const struct record_sitting *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c != 0 ? c : id_cmp(x->id, y->id);
}

static int
agency_cmp(const void *a, const void *b)
{
	return strcmp(((const struct record_agency *)a)->code,
	    ((const struct record_agency *)b)->code);
}

static bool
eq(const char *a, const char *code)
{
	return a != NULL && strcmp(a, code) == 0;
}

static bool
in_strings(const struct record_strings *s, const char *code)
{
	for (size_t i = 0; i < s->n; i++)
		if (eq(s->items[i], code))
			return true;
	return false;
}

static bool
case_names(const struct record_case *c, const char *code)
{
	const struct record_decision *d = c->decision;

	if (eq(c->referring_agency, code))
		return true;
	if (d != NULL && in_strings(&d->content.attendees, code))
		return true;
	for (size_t i = 0; d != NULL && i < d->nversions; i++)
		if (in_strings(&d->versions[i].content.attendees, code))
			return true;
	for (size_t i = 0; i < c->nactions; i++) {
		if (eq(c->actions[i].agency, code))
			return true;
		for (size_t j = 0; j < c->actions[i].nhistory; j++)
			if (eq(c->actions[i].history[j].agency, code))
				return true;
	}
	return false;
}

/* Does anything in the record name this agency? */
static bool
names_agency(const struct record *rec, const char *code)
{
	for (size_t i = 0; i < rec->nsittings; i++) {
		const struct record_sitting *s = &rec->sittings[i];
		const struct record_minutes *m = s->minutes;

		for (size_t j = 0; m != NULL && j < m->nattendees; j++)
			if (eq(m->attendees[j].agency, code))
				return true;
		for (size_t j = 0; m != NULL && j < m->napologies; j++)
			if (eq(m->apologies[j].agency, code))
				return true;
		for (size_t j = 0; j < s->ncases; j++)
			if (case_names(&s->cases[j], code))
				return true;
		for (size_t j = 0; j < s->nreviews; j++)
			if (eq(s->reviews[j].agency, code))
				return true;
	}
	return false;
}

/*
 * The source lists every agency of the deployment; the record keeps the
 * names of those it mentions, so that adding an agency changes no hash.
 */
static void
prune_agencies(struct record *rec)
{
	size_t kept = 0;

	for (size_t i = 0; i < rec->nagencies; i++) {
		if (names_agency(rec, rec->agencies[i].code)) {
			rec->agencies[kept++] = rec->agencies[i];
		} else {
			free(rec->agencies[i].code);
			free(rec->agencies[i].name);
		}
	}
	rec->nagencies = kept;
}

int
record_build(const cJSON *src, struct record *rec, const char **why)
{
	struct jsonread b = { 0 };
	const cJSON *arr, *e;
	char *kind;
	size_t i = 0;

	memset(rec, 0, sizeof(*rec));
	if (!cJSON_IsObject(src))
		return why_fail(why, JSONREAD_WRONG);
	kind = get_str(&b, src, "kind", true);
	if (kind != NULL && strcmp(kind, "sitting") == 0)
		rec->kind = RECORD_SITTING;
	else if (kind != NULL && strcmp(kind, "referral") == 0)
		rec->kind = RECORD_REFERRAL;
	else
		jsonread_fail(&b, JSONREAD_WRONG);
	free(kind);
	rec->id = jsonread_int(&b, src, "id", 1, RECORD_ID_MAX,
	    JSONREAD_REQUIRED);
	rec->forum = get_str(&b, src, "forum", true);
	rec->area = get_str(&b, src, "area", true);
	arr = get_array(&b, src, "agencies", sizeof(*rec->agencies),
	    (void **)&rec->agencies, &rec->nagencies);
	cJSON_ArrayForEach(e, arr) {
		rec->agencies[i].code = get_str(&b, e, "code", true);
		rec->agencies[i++].name = get_str(&b, e, "name", true);
	}
	i = 0;
	arr = get_array(&b, src, "sittings", sizeof(*rec->sittings),
	    (void **)&rec->sittings, &rec->nsittings);
	cJSON_ArrayForEach(e, arr)
		build_sitting(&b, e, &rec->sittings[i++]);
	if (b.why == NULL) {
		sort(rec->agencies, rec->nagencies, sizeof(*rec->agencies),
		    agency_cmp);
		sort(rec->sittings, rec->nsittings, sizeof(*rec->sittings),
		    sitting_cmp);
		for (i = 1; i < rec->nsittings; i++)
			if (rec->sittings[i].id == rec->sittings[i - 1].id)
				jsonread_fail(&b, JSONREAD_WRONG);
		for (i = 1; i < rec->nagencies; i++)
			if (strcmp(rec->agencies[i].code,
			    rec->agencies[i - 1].code) == 0)
				jsonread_fail(&b, JSONREAD_WRONG);
		if (b.why == NULL)
			prune_agencies(rec);
	}
	if (b.why != NULL) {
		record_free(rec);
		return why_fail(why, b.why);
	}
	return 0;
}

/* --- freeing --------------------------------------------------------- */

static void
strings_free(struct record_strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
}

static void
content_free(struct record_content *c)
{
	strings_free(&c->attendees);
	strings_free(&c->masc_spo);
	strings_free(&c->masc_onward_referrals);
	for (size_t i = 0; i < c->nareas; i++) {
		free(c->areas[i].area);
		free(c->areas[i].text);
	}
	free(c->areas);
	free(c->outcome);
}

static void
decision_free(struct record_decision *d)
{
	if (d == NULL)
		return;
	content_free(&d->content);
	strings_free(&d->lawful_basis);
	free(d->signed_off_at);
	for (size_t i = 0; i < d->nversions; i++) {
		free(d->versions[i].reason);
		free(d->versions[i].at);
		content_free(&d->versions[i].content);
	}
	free(d->versions);
	free(d);
}

static void
action_free(struct record_action *a)
{
	free(a->agency);
	free(a->area);
	free(a->description);
	free(a->due);
	free(a->status);
	free(a->created_at);
	for (size_t i = 0; i < a->nhistory; i++) {
		struct record_change *c = &a->history[i];

		free(c->at);
		free(c->role);
		free(c->agency);
		free(c->field);
		free(c->from);
		free(c->to);
		free(c->note);
	}
	free(a->history);
}

static void
case_free(struct record_case *c)
{
	free(c->reference);
	free(c->referring_agency);
	free(c->risk_level);
	strings_free(&c->risk_bases);
	strings_free(&c->lawful_basis);
	free(c->consent);
	decision_free(c->decision);
	for (size_t i = 0; i < c->nactions; i++)
		action_free(&c->actions[i]);
	free(c->actions);
}

static void
minutes_free(struct record_minutes *m)
{
	if (m == NULL)
		return;
	free(m->chair);
	free(m->confidentiality_statement);
	free(m->updated_at);
	for (size_t i = 0; i < m->nattendees; i++) {
		free(m->attendees[i].agency);
		free(m->attendees[i].name);
	}
	free(m->attendees);
	for (size_t i = 0; i < m->nobservers; i++) {
		free(m->observers[i].name);
		free(m->observers[i].organisation);
	}
	free(m->observers);
	for (size_t i = 0; i < m->napologies; i++)
		free(m->apologies[i].agency);
	free(m->apologies);
	free(m);
}

static void
review_free(struct record_review *v)
{
	free(v->reference);
	free(v->agency);
	free(v->area);
	free(v->description);
	free(v->due);
	free(v->status);
	free(v->result);
	free(v->note);
	free(v->at);
}

void
record_free(struct record *rec)
{
	for (size_t i = 0; i < rec->nagencies; i++) {
		free(rec->agencies[i].code);
		free(rec->agencies[i].name);
	}
	free(rec->agencies);
	for (size_t i = 0; i < rec->nsittings; i++) {
		struct record_sitting *s = &rec->sittings[i];

		free(s->date);
		free(s->status);
		free(s->venue);
		minutes_free(s->minutes);
		for (size_t j = 0; j < s->ncases; j++)
			case_free(&s->cases[j]);
		free(s->cases);
		for (size_t j = 0; j < s->nreviews; j++)
			review_free(&s->reviews[j]);
		free(s->reviews);
	}
	free(rec->sittings);
	free(rec->forum);
	free(rec->area);
	memset(rec, 0, sizeof(*rec));
}

/* --- canonical JSON (core/canonjson.h writes it) ---------------------- */

static void
v_tri(struct canonjson *w, enum record_tristate t)
{
	if (t == RECORD_UNSET)
		canonjson_null(w);
	else
		canonjson_bool(w, t == RECORD_YES);
}

static void
kv_str(struct canonjson *w, const char *key, const char *s)
{
	canonjson_key(w, key);
	canonjson_str(w, s);
}

static void
kv_int(struct canonjson *w, const char *key, int64_t n)
{
	canonjson_key(w, key);
	canonjson_int(w, n);
}

static void
kv_strings(struct canonjson *w, const char *key, const struct record_strings *s)
{
	canonjson_key(w, key);
	canonjson_open(w, '[');
	for (size_t i = 0; i < s->n; i++)
		canonjson_str(w, s->items[i]);
	canonjson_close(w, ']');
}

static void
write_content(struct canonjson *w, const struct record_content *c)
{
	kv_strings(w, "attendees", &c->attendees);
	canonjson_key(w, "areas");
	canonjson_open(w, '{');
	for (size_t i = 0; i < c->nareas; i++)
		kv_str(w, c->areas[i].area, c->areas[i].text);
	canonjson_close(w, '}');
	kv_str(w, "outcome", c->outcome);
	canonjson_key(w, "drive_increases_risk");
	v_tri(w, c->drive_increases_risk);
	/* Only when recorded: a MARAC record is what it always was. */
	if (c->masc_recorded) {
		canonjson_key(w, "masc_outcomes");
		canonjson_open(w, '{');
		kv_strings(w, "onward_referrals", &c->masc_onward_referrals);
		kv_strings(w, "spo", &c->masc_spo);
		canonjson_close(w, '}');
	}
}

static void
write_decision(struct canonjson *w, const struct record_decision *d)
{
	if (d == NULL) {
		canonjson_null(w);
		return;
	}
	canonjson_open(w, '{');
	kv_int(w, "id", d->id);
	write_content(w, &d->content);
	kv_strings(w, "lawful_basis", &d->lawful_basis);
	kv_int(w, "version", d->version);
	kv_str(w, "signed_off_at", d->signed_off_at);
	canonjson_key(w, "versions");
	canonjson_open(w, '[');
	for (size_t i = 0; i < d->nversions; i++) {
		const struct record_version *v = &d->versions[i];

		canonjson_open(w, '{');
		kv_int(w, "version", v->version);
		kv_str(w, "reason", v->reason);
		kv_str(w, "at", v->at);
		canonjson_key(w, "content");
		canonjson_open(w, '{');
		write_content(w, &v->content);
		canonjson_close(w, '}');
		canonjson_close(w, '}');
	}
	canonjson_close(w, ']');
	canonjson_close(w, '}');
}

static void
write_action(struct canonjson *w, const struct record_action *a)
{
	canonjson_open(w, '{');
	kv_int(w, "id", a->id);
	kv_str(w, "agency", a->agency);
	kv_str(w, "area", a->area);
	kv_str(w, "description", a->description);
	kv_str(w, "due", a->due);
	kv_str(w, "status", a->status);
	kv_str(w, "created_at", a->created_at);
	canonjson_key(w, "history");
	canonjson_open(w, '[');
	for (size_t i = 0; i < a->nhistory; i++) {
		const struct record_change *c = &a->history[i];

		canonjson_open(w, '{');
		kv_int(w, "id", c->id);
		kv_str(w, "at", c->at);
		kv_str(w, "role", c->role);
		kv_str(w, "agency", c->agency);
		canonjson_key(w, "token_id");
		if (c->token_id != 0)
			canonjson_int(w, c->token_id);
		else
			canonjson_null(w);
		kv_str(w, "field", c->field);
		kv_str(w, "from", c->from);
		kv_str(w, "to", c->to);
		kv_str(w, "note", c->note);
		canonjson_close(w, '}');
	}
	canonjson_close(w, ']');
	canonjson_close(w, '}');
}

static void
write_case(struct canonjson *w, const struct record_case *c)
{
	canonjson_open(w, '{');
	kv_int(w, "referral_id", c->referral_id);
	kv_str(w, "reference", c->reference);
	kv_str(w, "referring_agency", c->referring_agency);
	kv_str(w, "risk_level", c->risk_level);
	kv_strings(w, "risk_bases", &c->risk_bases);
	canonjson_key(w, "repeat");
	canonjson_bool(w, c->repeat);
	kv_strings(w, "lawful_basis", &c->lawful_basis);
	kv_str(w, "consent", c->consent);
	canonjson_key(w, "decision");
	write_decision(w, c->decision);
	canonjson_key(w, "actions");
	canonjson_open(w, '[');
	for (size_t i = 0; i < c->nactions; i++)
		write_action(w, &c->actions[i]);
	canonjson_close(w, ']');
	canonjson_close(w, '}');
}

static void
write_review(struct canonjson *w, const struct record_review *v)
{
	canonjson_open(w, '{');
	kv_int(w, "action_id", v->action_id);
	kv_int(w, "referral_id", v->referral_id);
	kv_str(w, "reference", v->reference);
	kv_str(w, "agency", v->agency);
	kv_str(w, "area", v->area);
	kv_str(w, "description", v->description);
	kv_str(w, "due", v->due);
	kv_str(w, "status", v->status);
	kv_str(w, "result", v->result);
	kv_str(w, "note", v->note);
	kv_str(w, "at", v->at);
	canonjson_close(w, '}');
}

static void
write_minutes(struct canonjson *w, const struct record_minutes *m)
{
	if (m == NULL) {
		canonjson_null(w);
		return;
	}
	canonjson_open(w, '{');
	kv_str(w, "chair", m->chair);
	canonjson_key(w, "attendees");
	canonjson_open(w, '[');
	for (size_t i = 0; i < m->nattendees; i++) {
		canonjson_open(w, '{');
		kv_str(w, "agency", m->attendees[i].agency);
		kv_str(w, "name", m->attendees[i].name);
		canonjson_close(w, '}');
	}
	canonjson_close(w, ']');
	canonjson_key(w, "observers");
	canonjson_open(w, '[');
	for (size_t i = 0; i < m->nobservers; i++) {
		canonjson_open(w, '{');
		kv_str(w, "name", m->observers[i].name);
		kv_str(w, "organisation", m->observers[i].organisation);
		canonjson_key(w, "confidentiality_signed");
		v_tri(w, m->observers[i].confidentiality_signed);
		canonjson_close(w, '}');
	}
	canonjson_close(w, ']');
	canonjson_key(w, "apologies");
	canonjson_open(w, '[');
	for (size_t i = 0; i < m->napologies; i++) {
		canonjson_open(w, '{');
		kv_str(w, "agency", m->apologies[i].agency);
		canonjson_key(w, "information_sent");
		v_tri(w, m->apologies[i].information_sent);
		canonjson_close(w, '}');
	}
	canonjson_close(w, ']');
	kv_str(w, "confidentiality_statement", m->confidentiality_statement);
	kv_str(w, "updated_at", m->updated_at);
	canonjson_close(w, '}');
}

static void
write_sitting(struct canonjson *w, const struct record_sitting *s)
{
	canonjson_open(w, '{');
	kv_int(w, "id", s->id);
	kv_str(w, "date", s->date);
	kv_str(w, "status", s->status);
	kv_str(w, "venue", s->venue);
	canonjson_key(w, "minutes");
	write_minutes(w, s->minutes);
	canonjson_key(w, "cases");
	canonjson_open(w, '[');
	for (size_t i = 0; i < s->ncases; i++)
		write_case(w, &s->cases[i]);
	canonjson_close(w, ']');
	canonjson_key(w, "reviews");
	canonjson_open(w, '[');
	for (size_t i = 0; i < s->nreviews; i++)
		write_review(w, &s->reviews[i]);
	canonjson_close(w, ']');
	canonjson_close(w, '}');
}

int
record_canonical(const struct record *rec, struct buf *out)
{
	struct canonjson w;

	canonjson_init(&w, out);

	canonjson_open(&w, '{');
	kv_str(&w, "format", RECORD_FORMAT);
	kv_str(&w, "kind", rec->kind == RECORD_SITTING ? "sitting" : "referral");
	kv_int(&w, "id", rec->id);
	kv_str(&w, "forum", rec->forum);
	kv_str(&w, "area", rec->area);
	canonjson_key(&w, "agencies");
	canonjson_open(&w, '[');
	for (size_t i = 0; i < rec->nagencies; i++) {
		canonjson_open(&w, '{');
		kv_str(&w, "code", rec->agencies[i].code);
		kv_str(&w, "name", rec->agencies[i].name);
		canonjson_close(&w, '}');
	}
	canonjson_close(&w, ']');
	canonjson_key(&w, "sittings");
	canonjson_open(&w, '[');
	for (size_t i = 0; i < rec->nsittings; i++)
		write_sitting(&w, &rec->sittings[i]);
	canonjson_close(&w, ']');
	canonjson_close(&w, '}');
	return buf_failed(out) ? -1 : 0;
}

/* --- small queries --------------------------------------------------- */

int
record_area_cmp(const char *a, const char *b)
{
	size_t n = sizeof(area_order) / sizeof(area_order[0]);
	size_t ia = n, ib = n;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(a, area_order[i]) == 0)
			ia = i;
		if (strcmp(b, area_order[i]) == 0)
			ib = i;
	}
	if (ia != ib)
		return ia < ib ? -1 : 1;
	return strcmp(a, b);
}

const char *
record_agency_name(const struct record *rec, const char *code)
{
	if (code == NULL)
		return "";
	for (size_t i = 0; i < rec->nagencies; i++)
		if (strcmp(rec->agencies[i].code, code) == 0)
			return rec->agencies[i].name;
	return code;
}

size_t
record_count_actions(const struct record *rec)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->nsittings; i++)
		for (size_t j = 0; j < rec->sittings[i].ncases; j++)
			n += rec->sittings[i].cases[j].nactions;
	return n;
}

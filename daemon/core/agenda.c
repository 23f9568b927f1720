/*
 * The agenda model: grouping, ordering, minimisation, the canonical JSON
 * of an issued version and the diff between versions.  See agenda.h.
 */
#include "core/agenda.h"
#include "core/utf8.h"
#include "core/instant.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const risk_names[] = {
	[RISK_STANDARD] = "standard",
	[RISK_MEDIUM] = "medium",
	[RISK_HIGH] = "high",
};
static const char *const drive_names[] = {
	[AGENDA_DRIVE_NOT_SCREENED] = "not_screened",
	[AGENDA_DRIVE_CANDIDATE] = "candidate",
	[AGENDA_DRIVE_NOT_CANDIDATE] = "not_candidate",
	[AGENDA_DRIVE_NOT_APPLICABLE] = "not_applicable",
};
static const char *const drive_labels[] = {
	[AGENDA_DRIVE_NOT_SCREENED] = "not screened",
	[AGENDA_DRIVE_CANDIDATE] = "candidate",
	[AGENDA_DRIVE_NOT_CANDIDATE] = "not a candidate",
	[AGENDA_DRIVE_NOT_APPLICABLE] = "not applicable",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
agenda_risk_name(enum risk_level r)
{
	if ((unsigned)r >= NELEM(risk_names))
		return NULL;
	return risk_names[r];
}

const char *
agenda_drive_name(enum agenda_drive d)
{
	if ((unsigned)d >= NELEM(drive_names))
		return NULL;
	return drive_names[d];
}

const char *
agenda_drive_label(enum agenda_drive d)
{
	if ((unsigned)d >= NELEM(drive_labels))
		return NULL;
	return drive_labels[d];
}

/* Finds s in names[0..n); unused slots are NULL. */
static bool
lookup(const char *const names[], size_t n, const char *s, int *out)
{
	for (size_t i = 0; i < n; i++) {
		if (names[i] != NULL && strcmp(names[i], s) == 0) {
			*out = (int)i;
			return true;
		}
	}
	return false;
}

/* Dates. */

/*
 * The years date.c accepts, so that every date formats to four digits and
 * parses back (instant_in_range is the same for instants).
 */
static bool
date_in_range(date_t d)
{
	return d >= date_from_ymd(DATE_MIN_YEAR, 1, 1) &&
	    d <= date_from_ymd(DATE_MAX_YEAR, 12, 31);
}

/* Initials. */

static bool
ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
ascii_punct(unsigned char c)
{
	return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
	    (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

struct letter {
	unsigned char	b[4];
	size_t		n;
};

/* The letter a word of len bytes is known by; false for mere punctuation. */
static bool
word_letter(const unsigned char *w, size_t len, struct letter *l)
{
	size_t i = 0;

	while (i < len && ascii_punct(w[i]))
		i++;
	if (i == len)
		return false;
	if (w[i] < 0x80) {
		l->b[0] = (w[i] >= 'a' && w[i] <= 'z') ? w[i] - 'a' + 'A' :
		    w[i];
		l->n = 1;
		return true;
	}
	if ((l->n = utf8_decode(w + i, len - i, NULL)) == 0) {
		l->b[0] = '?';
		l->n = 1;
		return true;
	}
	memcpy(l->b, w + i, l->n);
	return true;
}

size_t
agenda_initials(const char *name, char out[AGENDA_INITIALS_SIZE])
{
	const unsigned char	*p = (const unsigned char *)name;
	struct letter		 letters[AGENDA_INITIALS_LETTERS], l;
	size_t			 count = 0, len = 0, w;

	while (*p != '\0') {
		while (ascii_space(*p))
			p++;
		for (w = 0; p[w] != '\0' && !ascii_space(p[w]); w++)
			;
		if (w > 0 && word_letter(p, w, &l)) {
			/* Past four, each new word replaces the fourth. */
			if (count < AGENDA_INITIALS_LETTERS)
				count++;
			letters[count - 1] = l;
		}
		p += w;
	}
	for (size_t i = 0; i < count; i++) {
		memcpy(out + len, letters[i].b, letters[i].n);
		len += letters[i].n;
		out[len++] = '.';
	}
	out[len] = '\0';
	return len;
}

/* Building. */

static char *
copy(const char *s)
{
	size_t	 n;
	char	*p;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if ((p = malloc(n)) != NULL)
		memcpy(p, s, n);
	return p;
}

/* Copies a string that must be there; false when it could not be. */
static bool
copy_to(char **dst, const char *s)
{
	return (*dst = copy(s)) != NULL;
}

/* A string that may be NULL. */
static bool
copy_opt(char **dst, const char *s)
{
	*dst = copy(s);
	return s == NULL || *dst != NULL;
}

static void
bases_free(char **bases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(bases[i]);
	free(bases);
}

static void
link_free(struct agenda_link *l)
{
	free(l->reference);
	free(l->agency);
	free(l->agency_name);
	free(l->officer);
	bases_free(l->bases, l->nbases);
}

static void
case_free(struct agenda_case *c)
{
	free(c->reference);
	free(c->agency);
	free(c->agency_name);
	free(c->officer);
	free(c->victim_initials);
	free(c->perpetrator_initials);
	free(c->victim_name);
	free(c->perpetrator_name);
	bases_free(c->bases, c->nbases);
	for (size_t i = 0; i < c->nlinked; i++)
		link_free(&c->linked[i]);
	free(c->linked);
}

void
agenda_free(struct agenda *a)
{
	free(a->area);
	free(a->area_name);
	free(a->venue);
	free(a->issued_at);
	for (size_t i = 0; i < a->ncases; i++)
		case_free(&a->cases[i]);
	free(a->cases);
	free(a->groups);
	memset(a, 0, sizeof(*a));
}

bool
agenda_is_draft(const struct agenda *a)
{
	return a->issued_at == NULL;
}

static bool
id_valid(int64_t id)
{
	return id >= 1 && id <= AGENDA_ID_MAX;
}

static bool
sitting_valid(const struct agenda_sitting *s)
{
	if (!id_valid(s->id) || forum_code(s->forum) == NULL)
		return false;
	if (s->area == NULL || s->version < 0)
		return false;
	if (!date_in_range(s->date) || !date_in_range(s->cutoff))
		return false;
	if (s->has_times && (!instant_in_range(s->starts_at) ||
	    !instant_in_range(s->ends_at) || s->ends_at <= s->starts_at))
		return false;
	return true;
}

static bool
row_valid(const struct agenda_row *r)
{
	if (!id_valid(r->referral_id))
		return false;
	if (r->reference == NULL || r->agency == NULL ||
	    r->victim_name == NULL)
		return false;
	if (agenda_risk_name(r->risk) == NULL ||
	    agenda_drive_name(r->drive) == NULL)
		return false;
	if (r->children < 0 || !instant_in_range(r->received) ||
	    !date_in_range(r->victim_dob))
		return false;
	if (r->nbases > 0 && r->bases == NULL)
		return false;
	for (size_t i = 0; i < r->nbases; i++)
		if (r->bases[i] == NULL)
			return false;
	if (r->linked_to != 0 && (!id_valid(r->linked_to) ||
	    r->linked_to == r->referral_id))
		return false;
	return true;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Whether two cases share a referral id: the diff keys on it. */
static int
ids_unique(const int64_t *ids, size_t n, bool *unique)
{
	int64_t *sorted;

	*unique = true;
	if (n < 2)
		return 0;
	if ((sorted = malloc(n * sizeof(*sorted))) == NULL)
		return -1;
	memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_id);
	for (size_t i = 1; i < n; i++)
		if (sorted[i] == sorted[i - 1])
			*unique = false;
	free(sorted);
	return 0;
}

struct sortkey {
	size_t			 rank;	/* place of the agency in the order */
	enum risk_level		 risk;	/* governing */
	const struct agenda_row	*row;
};

static size_t
agency_rank(const struct agenda_options *opt, const char *agency)
{
	for (size_t i = 0; i < opt->nagency_order; i++)
		if (opt->agency_order[i] != NULL &&
		    strcmp(opt->agency_order[i], agency) == 0)
			return i;
	return opt->nagency_order;
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct sortkey	*ka = pa, *kb = pb;
	const struct agenda_row	*a = ka->row, *b = kb->row;
	int			 c;

	if (ka->rank != kb->rank)
		return ka->rank < kb->rank ? -1 : 1;
	/* Unknown agencies share a rank: alphabetical by code. */
	if ((c = strcmp(a->agency, b->agency)) != 0)
		return c;
	if (ka->risk != kb->risk)
		return ka->risk > kb->risk ? -1 : 1;
	if (a->received != b->received)
		return a->received < b->received ? -1 : 1;
	if ((c = strcmp(a->reference, b->reference)) != 0)
		return c;
	return (a->referral_id > b->referral_id) -
	    (a->referral_id < b->referral_id);
}

static bool
bases_copy(char ***dst, size_t *n, const char *const *bases, size_t nbases)
{
	if (nbases == 0)
		return true;
	if ((*dst = calloc(nbases, sizeof(**dst))) == NULL)
		return false;
	for (size_t i = 0; i < nbases; i++) {
		if (!copy_to(&(*dst)[i], bases[i]))
			return false;
		(*n)++;
	}
	return true;
}

/* Linked rows in received order (then id): the order the entry lists them. */
static int
cmp_linked(const void *pa, const void *pb)
{
	const struct agenda_row *a = *(const struct agenda_row *const *)pa;
	const struct agenda_row *b = *(const struct agenda_row *const *)pb;

	if (a->received != b->received)
		return a->received < b->received ? -1 : 1;
	return (a->referral_id > b->referral_id) -
	    (a->referral_id < b->referral_id);
}

static bool
link_fill(struct agenda_link *l, const struct agenda_row *r)
{
	l->risk = r->risk;
	l->urgent = r->urgent;
	l->received = r->received;
	return copy_to(&l->reference, r->reference) &&
	    copy_to(&l->agency, r->agency) &&
	    copy_to(&l->agency_name, r->agency_name != NULL ?
	    r->agency_name : r->agency) &&
	    copy_opt(&l->officer, r->officer) &&
	    bases_copy(&l->bases, &l->nbases, r->bases, r->nbases);
}

/*
 * The referrals linked to c (links: every linked row, sorted by
 * cmp_linked): listed on its entry; the highest risk governs.
 */
static bool
case_link(struct agenda_case *c, const struct agenda_row *const *links,
    size_t nlinks)
{
	size_t n = 0;

	for (size_t i = 0; i < nlinks; i++)
		if (links[i]->linked_to == c->referral_id)
			n++;
	if (n == 0)
		return true;
	if ((c->linked = calloc(n, sizeof(*c->linked))) == NULL)
		return false;
	for (size_t i = 0; i < nlinks; i++) {
		if (links[i]->linked_to != c->referral_id)
			continue;
		c->nlinked++;
		if (!link_fill(&c->linked[c->nlinked - 1], links[i]))
			return false;
		if (links[i]->risk > c->risk)
			c->risk = links[i]->risk;
		c->urgent = c->urgent || links[i]->urgent;
	}
	return true;
}

static bool
case_fill(struct agenda_case *c, const struct agenda_row *r,
    const struct agenda_sitting *s, bool full_names)
{
	char initials[AGENDA_INITIALS_SIZE];

	c->referral_id = r->referral_id;
	c->victim_age = date_age_on(r->victim_dob, s->date);
	c->children = r->children;
	c->risk = r->risk;
	c->own_risk = r->risk;
	c->repeat = r->repeat;
	c->urgent = r->urgent;
	c->drive = s->forum == FORUM_MASC ? AGENDA_DRIVE_NOT_APPLICABLE :
	    r->drive;
	c->received = r->received;
	if (!copy_to(&c->reference, r->reference) ||
	    !copy_to(&c->agency, r->agency) ||
	    !copy_to(&c->agency_name, r->agency_name != NULL ?
	    r->agency_name : r->agency) ||
	    !copy_opt(&c->officer, r->officer))
		return false;
	agenda_initials(r->victim_name, initials);
	if (!copy_to(&c->victim_initials, initials))
		return false;
	if (r->perpetrator_name != NULL) {
		agenda_initials(r->perpetrator_name, initials);
		if (!copy_to(&c->perpetrator_initials, initials))
			return false;
	}
	if (full_names) {
		c->has_victim_dob = true;
		c->victim_dob = r->victim_dob;
		if (!copy_to(&c->victim_name, r->victim_name) ||
		    !copy_opt(&c->perpetrator_name, r->perpetrator_name))
			return false;
	}
	return bases_copy(&c->bases, &c->nbases, r->bases, r->nbases);
}

/* Runs of one agency in the ordered cases. */
static bool
make_groups(struct agenda *a)
{
	struct agenda_group *g;

	if (a->ncases == 0)
		return true;
	if ((a->groups = calloc(a->ncases, sizeof(*a->groups))) == NULL)
		return false;
	for (size_t i = 0; i < a->ncases; i++) {
		if (a->ngroups > 0 && strcmp(a->groups[a->ngroups - 1].agency,
		    a->cases[i].agency) == 0) {
			a->groups[a->ngroups - 1].count++;
			continue;
		}
		g = &a->groups[a->ngroups++];
		g->agency = a->cases[i].agency;
		g->agency_name = a->cases[i].agency_name;
		g->first = i;
		g->count = 1;
	}
	return true;
}

static bool
sitting_fill(struct agenda *a, const struct agenda_sitting *s,
    bool full_names)
{
	a->sitting_id = s->id;
	a->forum = s->forum;
	a->date = s->date;
	a->cutoff = s->cutoff;
	a->has_times = s->has_times;
	a->starts_at = s->has_times ? s->starts_at : 0;
	a->ends_at = s->has_times ? s->ends_at : 0;
	a->version = s->version;
	a->full_names = full_names;
	return copy_to(&a->area, s->area) &&
	    copy_to(&a->area_name, s->area_name != NULL ? s->area_name :
	    s->area) &&
	    copy_opt(&a->venue, s->venue) &&
	    copy_opt(&a->issued_at, s->issued_at);
}

int
agenda_build(struct agenda *a, const struct agenda_sitting *s,
    const struct agenda_row *rows, size_t nrows,
    const struct agenda_options *opt)
{
	static const struct agenda_options defaults;
	struct sortkey	*keys = NULL;
	const struct agenda_row **links = NULL;
	int64_t		*ids = NULL;
	size_t		 ncase = 0, nlink = 0;
	bool		 unique;
	int		 err = ENOMEM;

	memset(a, 0, sizeof(*a));
	if (opt == NULL)
		opt = &defaults;
	if (!sitting_valid(s) || (nrows > 0 && rows == NULL) ||
	    (opt->nagency_order > 0 && opt->agency_order == NULL)) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < nrows; i++) {
		if (!row_valid(&rows[i])) {
			errno = EINVAL;
			return -1;
		}
	}
	if (nrows > 0) {
		if ((ids = malloc(nrows * sizeof(*ids))) == NULL ||
		    (keys = malloc(nrows * sizeof(*keys))) == NULL ||
		    (links = malloc(nrows * sizeof(*links))) == NULL)
			goto fail;
		for (size_t i = 0; i < nrows; i++)
			ids[i] = rows[i].referral_id;
		if (ids_unique(ids, nrows, &unique) == -1)
			goto fail;
		if (!unique) {
			err = EINVAL;
			goto fail;
		}
	}
	if (!sitting_fill(a, s, opt->full_names))
		goto fail;
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].linked_to != 0) {
			links[nlink++] = &rows[i];
			continue;
		}
		keys[ncase].rank = agency_rank(opt, rows[i].agency);
		keys[ncase].risk = rows[i].risk;
		keys[ncase++].row = &rows[i];
	}
	/* Every linked row names a case of this call; the governing risk sorts. */
	for (size_t i = 0; i < nlink; i++) {
		size_t k;

		for (k = 0; k < ncase; k++)
			if (keys[k].row->referral_id == links[i]->linked_to)
				break;
		if (k == ncase) {
			err = EINVAL;
			goto fail;
		}
		if (links[i]->risk > keys[k].risk)
			keys[k].risk = links[i]->risk;
	}
	if (nlink > 1)
		qsort(links, nlink, sizeof(*links), cmp_linked);
	if (ncase > 0) {
		qsort(keys, ncase, sizeof(*keys), cmp_rows);
		if ((a->cases = calloc(ncase, sizeof(*a->cases))) == NULL)
			goto fail;
	}
	for (size_t i = 0; i < ncase; i++) {
		/* Counted first, so that a half-filled case is freed too. */
		a->ncases++;
		if (!case_fill(&a->cases[i], keys[i].row, s, opt->full_names) ||
		    !case_link(&a->cases[i], links, nlink))
			goto fail;
	}
	if (!make_groups(a))
		goto fail;
	free(keys);
	free(links);
	free(ids);
	return 0;
fail:
	free(keys);
	free(links);
	free(ids);
	agenda_free(a);
	errno = err;
	return -1;
}

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

static void
case_to_json(bool *ok, cJSON *o, const struct agenda_case *c)
{
	cJSON *v, *r, *bases, *links;

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
	v = put_object(ok, o, "risk");
	put_str(ok, v, "level", agenda_risk_name(c->risk));
	bases = put_array(ok, v, "bases");
	for (size_t i = 0; i < c->nbases; i++)
		push_str(ok, bases, c->bases[i]);
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
		r = put_object(ok, v, "risk");
		put_str(ok, r, "level", agenda_risk_name(l->risk));
		bases = put_array(ok, r, "bases");
		for (size_t j = 0; j < l->nbases; j++)
			push_str(ok, bases, l->bases[j]);
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

struct reader {
	bool	ok;		/* nothing wrong so far */
	bool	nomem;		/* ... and if something is, it is memory */
};

static void
bad(struct reader *rd)
{
	rd->ok = false;
}

static const cJSON *
member(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v;

	if (!cJSON_IsObject(o) ||
	    (v = cJSON_GetObjectItemCaseSensitive(o, k)) == NULL) {
		bad(rd);
		return NULL;
	}
	return v;
}

/* A string, or NULL for JSON null when nullable; a copy in *out. */
static void
get_str(struct reader *rd, const cJSON *o, const char *k, bool nullable,
    char **out)
{
	const cJSON *v = member(rd, o, k);

	*out = NULL;
	if (v == NULL)
		return;
	if (cJSON_IsNull(v) && nullable)
		return;
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		bad(rd);
		return;
	}
	if ((*out = copy(v->valuestring)) == NULL) {
		rd->nomem = true;
		bad(rd);
	}
}

/* A string without a copy, for names matched against a table. */
static const char *
get_name(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v = member(rd, o, k);

	if (v == NULL)
		return "";
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		bad(rd);
		return "";
	}
	return v->valuestring;
}

static int64_t
get_int(struct reader *rd, const cJSON *o, const char *k, int64_t min,
    int64_t max)
{
	const cJSON	*v = member(rd, o, k);
	double		 d;

	if (v == NULL)
		return min;
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || !(d >= (double)min && d <= (double)max) ||
	    d != (double)(int64_t)d) {
		bad(rd);
		return min;
	}
	return (int64_t)d;
}

static bool
get_bool(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v = member(rd, o, k);

	if (v == NULL)
		return false;
	if (!cJSON_IsBool(v)) {
		bad(rd);
		return false;
	}
	return cJSON_IsTrue(v);
}

static date_t
get_date(struct reader *rd, const cJSON *o, const char *k)
{
	date_t d = 0;

	if (!date_parse(get_name(rd, o, k), &d))
		bad(rd);
	return d;
}

/* An instant or null; *has says which. */
static int64_t
get_instant(struct reader *rd, const cJSON *o, const char *k, bool *has)
{
	const cJSON	*v = member(rd, o, k);
	int64_t		 t = 0;

	*has = false;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || v->valuestring == NULL ||
	    !instant_parse(v->valuestring, INSTANT_UTC, &t, NULL)) {
		bad(rd);
		return 0;
	}
	*has = true;
	return t;
}

static int
get_choice(struct reader *rd, const cJSON *o, const char *k,
    const char *const names[], size_t n)
{
	int i = 0;

	if (!lookup(names, n, get_name(rd, o, k), &i))
		bad(rd);
	return i;
}

/* An array of strings under k of o, copied. */
static void
get_bases(struct reader *rd, const cJSON *o, const char *k, char ***out,
    size_t *nout)
{
	const cJSON	*bases = member(rd, o, k), *b;
	int		 n;

	if (bases != NULL && !cJSON_IsArray(bases)) {
		bad(rd);
		return;
	}
	if ((n = cJSON_GetArraySize(bases)) <= 0)
		return;
	if ((*out = calloc((size_t)n, sizeof(**out))) == NULL) {
		rd->nomem = true;
		bad(rd);
		return;
	}
	cJSON_ArrayForEach(b, bases) {
		if (!cJSON_IsString(b) || b->valuestring == NULL) {
			bad(rd);
			return;
		}
		if (((*out)[*nout] = copy(b->valuestring)) == NULL) {
			rd->nomem = true;
			bad(rd);
			return;
		}
		(*nout)++;
	}
}

/* The linked referrals of a case, when it has any. */
static void
links_from_json(struct reader *rd, const cJSON *o, struct agenda_case *c)
{
	const cJSON	*arr = cJSON_GetObjectItemCaseSensitive(o, "linked"), *l;
	int		 n;
	bool		 has;

	c->own_risk = c->risk;
	if (arr == NULL)
		return;
	c->own_risk = (enum risk_level)get_choice(rd, o, "own_level",
	    risk_names, NELEM(risk_names));
	if (!cJSON_IsArray(arr) || (n = cJSON_GetArraySize(arr)) == 0) {
		bad(rd);
		return;
	}
	if ((c->linked = calloc((size_t)n, sizeof(*c->linked))) == NULL) {
		rd->nomem = true;
		bad(rd);
		return;
	}
	cJSON_ArrayForEach(l, arr) {
		struct agenda_link *k = &c->linked[c->nlinked++];
		const cJSON *r;

		if (!cJSON_IsObject(l)) {
			bad(rd);
			return;
		}
		get_str(rd, l, "reference", false, &k->reference);
		get_str(rd, l, "agency", false, &k->agency);
		get_str(rd, l, "agency_name", false, &k->agency_name);
		get_str(rd, l, "officer", true, &k->officer);
		r = member(rd, l, "risk");
		k->risk = (enum risk_level)get_choice(rd, r, "level",
		    risk_names, NELEM(risk_names));
		get_bases(rd, r, "bases", &k->bases, &k->nbases);
		k->urgent = get_bool(rd, l, "urgent");
		k->received = get_instant(rd, l, "received_at", &has);
		if (!has)
			bad(rd);
		if (!rd->ok)
			return;
	}
}

static void
case_from_json(struct reader *rd, const cJSON *o, const char *agency,
    const char *agency_name, bool full_names, struct agenda_case *c)
{
	const cJSON	*v, *age, *bases, *b;
	bool		 has;
	int		 n;

	if (!cJSON_IsObject(o)) {
		bad(rd);
		return;
	}
	c->referral_id = get_int(rd, o, "referral_id", 1, AGENDA_ID_MAX);
	get_str(rd, o, "reference", false, &c->reference);
	get_str(rd, o, "officer", true, &c->officer);
	if ((c->agency = copy(agency)) == NULL ||
	    (c->agency_name = copy(agency_name)) == NULL) {
		rd->nomem = true;
		bad(rd);
	}
	v = member(rd, o, "victim");
	get_str(rd, v, "initials", false, &c->victim_initials);
	c->victim_age = -1;
	age = member(rd, v, "age");
	if (age != NULL && !cJSON_IsNull(age))
		c->victim_age = (int)get_int(rd, v, "age", 0, INT32_MAX);
	/* A version without names must not gain them on the way back. */
	if (full_names) {
		get_str(rd, v, "name", false, &c->victim_name);
		c->victim_dob = get_date(rd, v, "dob");
		c->has_victim_dob = true;
	} else if (cJSON_GetObjectItemCaseSensitive(v, "name") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(v, "dob") != NULL) {
		bad(rd);
	}
	v = member(rd, o, "perpetrator");
	if (v != NULL && !cJSON_IsNull(v)) {
		get_str(rd, v, "initials", false, &c->perpetrator_initials);
		if (full_names)
			get_str(rd, v, "name", false, &c->perpetrator_name);
		else if (cJSON_GetObjectItemCaseSensitive(v, "name") != NULL)
			bad(rd);
	}
	c->children = (int)get_int(rd, o, "children", 0, INT32_MAX);
	v = member(rd, o, "risk");
	c->risk = (enum risk_level)get_choice(rd, v, "level", risk_names,
	    NELEM(risk_names));
	bases = member(rd, v, "bases");
	if (bases != NULL && !cJSON_IsArray(bases))
		bad(rd);
	else if ((n = cJSON_GetArraySize(bases)) > 0) {
		if ((c->bases = calloc((size_t)n, sizeof(*c->bases))) == NULL) {
			rd->nomem = true;
			bad(rd);
			return;
		}
		cJSON_ArrayForEach(b, bases) {
			if (!cJSON_IsString(b) || b->valuestring == NULL) {
				bad(rd);
				break;
			}
			if ((c->bases[c->nbases] = copy(b->valuestring)) ==
			    NULL) {
				rd->nomem = true;
				bad(rd);
				break;
			}
			c->nbases++;
		}
	}
	c->repeat = get_bool(rd, o, "repeat");
	c->urgent = get_bool(rd, o, "urgent");
	c->drive = (enum agenda_drive)get_choice(rd, o, "drive", drive_names,
	    NELEM(drive_names));
	c->received = get_instant(rd, o, "received_at", &has);
	if (!has)
		bad(rd);
	links_from_json(rd, o, c);
}

static void
sitting_from_json(struct reader *rd, const cJSON *root, struct agenda *a)
{
	const cJSON	*o = member(rd, root, "sitting");
	bool		 has_end;

	a->sitting_id = get_int(rd, o, "id", 1, AGENDA_ID_MAX);
	if ((a->forum = forum_of(get_name(rd, o, "forum"))) == FORUM_NONE)
		bad(rd);
	get_str(rd, o, "area", false, &a->area);
	get_str(rd, o, "area_name", false, &a->area_name);
	a->date = get_date(rd, o, "date");
	a->cutoff = get_date(rd, o, "cutoff");
	get_str(rd, o, "venue", true, &a->venue);
	a->starts_at = get_instant(rd, o, "starts_at", &a->has_times);
	a->ends_at = get_instant(rd, o, "ends_at", &has_end);
	if (a->has_times != has_end ||
	    (a->has_times && a->ends_at <= a->starts_at))
		bad(rd);
	a->version = (int)get_int(rd, root, "version", 0, INT32_MAX);
	get_str(rd, root, "issued_at", true, &a->issued_at);
	a->full_names = get_bool(rd, root, "full_names");
}

int
agenda_from_json(const cJSON *root, struct agenda *a)
{
	struct reader	 rd = { .ok = true, .nomem = false };
	const cJSON	*groups, *g, *cases, *c;
	int64_t		*ids = NULL;
	int64_t		 count;
	bool		 unique = true;
	const char	*agency, *agency_name;

	memset(a, 0, sizeof(*a));
	sitting_from_json(&rd, root, a);
	count = get_int(&rd, root, "case_count", 0, INT32_MAX);
	groups = member(&rd, root, "groups");
	if (!rd.ok || !cJSON_IsArray(groups))
		goto fail;
	if (count > 0) {
		a->cases = calloc((size_t)count, sizeof(*a->cases));
		a->groups = calloc((size_t)count, sizeof(*a->groups));
		ids = malloc((size_t)count * sizeof(*ids));
		if (a->cases == NULL || a->groups == NULL || ids == NULL) {
			rd.nomem = true;
			goto fail;
		}
	}
	cJSON_ArrayForEach(g, groups) {
		agency = get_name(&rd, g, "agency");
		agency_name = get_name(&rd, g, "agency_name");
		cases = member(&rd, g, "cases");
		if (!rd.ok || !cJSON_IsArray(cases) ||
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
			if (!rd.ok)
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
	if (ids_unique(ids, a->ncases, &unique) == -1) {
		rd.nomem = true;
		goto fail;
	}
	if (!unique)
		goto fail;
	free(ids);
	return 0;
fail:
	free(ids);
	agenda_free(a);
	errno = rd.nomem ? ENOMEM : EINVAL;
	return -1;
}

/* Diff. */

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
case_differs(const struct agenda_case *a, const struct agenda_case *b)
{
	if (!same_str(a->reference, b->reference) ||
	    !same_str(a->agency, b->agency) ||
	    !same_str(a->officer, b->officer) ||
	    !same_str(a->victim_initials, b->victim_initials) ||
	    a->victim_age != b->victim_age ||
	    !same_str(a->perpetrator_initials, b->perpetrator_initials) ||
	    a->children != b->children || a->risk != b->risk ||
	    a->repeat != b->repeat || a->urgent != b->urgent ||
	    a->drive != b->drive || a->nbases != b->nbases)
		return true;
	for (size_t i = 0; i < a->nbases; i++)
		if (strcmp(a->bases[i], b->bases[i]) != 0)
			return true;
	if (a->own_risk != b->own_risk || a->nlinked != b->nlinked)
		return true;
	for (size_t i = 0; i < a->nlinked; i++) {
		const struct agenda_link *x = &a->linked[i], *y = &b->linked[i];

		if (!same_str(x->reference, y->reference) ||
		    !same_str(x->agency, y->agency) ||
		    !same_str(x->officer, y->officer) ||
		    x->risk != y->risk || x->urgent != y->urgent ||
		    x->nbases != y->nbases)
			return true;
		for (size_t j = 0; j < x->nbases; j++)
			if (strcmp(x->bases[j], y->bases[j]) != 0)
				return true;
	}
	/* Turning names on or off is not a change to the case. */
	if (a->victim_name != NULL && b->victim_name != NULL &&
	    (strcmp(a->victim_name, b->victim_name) != 0 ||
	    a->victim_dob != b->victim_dob ||
	    !same_str(a->perpetrator_name, b->perpetrator_name)))
		return true;
	return false;
}

struct idx {
	int64_t	id;
	size_t	i;
};

static int
cmp_idx(const void *a, const void *b)
{
	return cmp_id(&((const struct idx *)a)->id,
	    &((const struct idx *)b)->id);
}

/* The agenda's cases sorted by referral id, for lookup; NULL if empty. */
static struct idx *
index_cases(const struct agenda *a, bool *ok)
{
	struct idx *x;

	if (a == NULL || a->ncases == 0)
		return NULL;
	if ((x = malloc(a->ncases * sizeof(*x))) == NULL) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < a->ncases; i++)
		x[i] = (struct idx){ a->cases[i].referral_id, i };
	qsort(x, a->ncases, sizeof(*x), cmp_idx);
	return x;
}

static const struct agenda_case *
find_case(const struct agenda *a, const struct idx *x, int64_t id)
{
	struct idx	 key = { id, 0 };
	struct idx	*hit;

	if (x == NULL)
		return NULL;
	hit = bsearch(&key, x, a->ncases, sizeof(*x), cmp_idx);
	return hit != NULL ? &a->cases[hit->i] : NULL;
}

static bool
push_ref(char ***list, size_t *n, const char *ref)
{
	char **p;

	if ((p = realloc(*list, (*n + 1) * sizeof(*p))) == NULL)
		return false;
	*list = p;
	if ((p[*n] = copy(ref)) == NULL)
		return false;
	(*n)++;
	return true;
}

int
agenda_diff(const struct agenda *prev, const struct agenda *next,
    struct agenda_diff *d)
{
	const struct agenda_case	*c, *old;
	struct idx			*xprev, *xnext;
	bool				 ok = true;

	memset(d, 0, sizeof(*d));
	xprev = index_cases(prev, &ok);
	xnext = index_cases(next, &ok);
	for (size_t i = 0; ok && i < next->ncases; i++) {
		c = &next->cases[i];
		if ((old = find_case(prev, xprev, c->referral_id)) == NULL)
			ok = push_ref(&d->added, &d->nadded, c->reference);
		else if (case_differs(old, c))
			ok = push_ref(&d->changed, &d->nchanged, c->reference);
	}
	for (size_t i = 0; ok && prev != NULL && i < prev->ncases; i++) {
		c = &prev->cases[i];
		if (find_case(next, xnext, c->referral_id) == NULL)
			ok = push_ref(&d->removed, &d->nremoved, c->reference);
	}
	free(xprev);
	free(xnext);
	if (!ok) {
		agenda_diff_free(d);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static void
free_refs(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
agenda_diff_free(struct agenda_diff *d)
{
	free_refs(d->added, d->nadded);
	free_refs(d->removed, d->nremoved);
	free_refs(d->changed, d->nchanged);
	memset(d, 0, sizeof(*d));
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

/*
 * The agenda model: grouping, ordering, minimisation.  Its JSON is
 * agenda_json.c, the diff between versions agenda_diff.c.  See agenda.h.
 */
#include "core/agenda.h"
#include "core/agenda_internal.h"
#include "core/utf8.h"
#include "core/instant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const risk_names[] = {
	[RISK_STANDARD] = "standard",
	[RISK_MEDIUM] = "medium",
	[RISK_HIGH] = "high",
};
static const char *const risk_labels[] = {
	[RISK_STANDARD] = "Standard",
	[RISK_MEDIUM] = "Medium",
	[RISK_HIGH] = "High",
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
agenda_risk_label(enum risk_level r)
{
	if ((unsigned)r >= NELEM(risk_labels))
		return NULL;
	return risk_labels[r];
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

int
agenda_risk_of(const char *name)
{
	int i;

	return lookup(risk_names, NELEM(risk_names), name, &i) ? i : -1;
}

int
agenda_drive_of(const char *name)
{
	int i;

	return lookup(drive_names, NELEM(drive_names), name, &i) ? i : -1;
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

char *
agenda_copy(const char *s)
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
	return (*dst = agenda_copy(s)) != NULL;
}

/* A string that may be NULL. */
static bool
copy_opt(char **dst, const char *s)
{
	*dst = agenda_copy(s);
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

int
agenda_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
agenda_ids_unique(const int64_t *ids, size_t n, bool *unique)
{
	int64_t *sorted;

	*unique = true;
	if (n < 2)
		return 0;
	if ((sorted = malloc(n * sizeof(*sorted))) == NULL)
		return -1;
	memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), agenda_cmp_id);
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
    const struct agenda_options *opt, const char **why)
{
	static const struct agenda_options defaults;
	struct sortkey	*keys = NULL;
	const struct agenda_row **links = NULL;
	int64_t		*ids = NULL;
	size_t		 ncase = 0, nlink = 0;
	bool		 unique;
	const char	*reason = WHY_NOMEM;

	memset(a, 0, sizeof(*a));
	if (opt == NULL)
		opt = &defaults;
	if (!sitting_valid(s) || (nrows > 0 && rows == NULL) ||
	    (opt->nagency_order > 0 && opt->agency_order == NULL)) {
		return why_fail(why, AGENDA_WHY_ROWS);
	}
	for (size_t i = 0; i < nrows; i++) {
		if (!row_valid(&rows[i])) {
			return why_fail(why, AGENDA_WHY_ROWS);
		}
	}
	if (nrows > 0) {
		if ((ids = malloc(nrows * sizeof(*ids))) == NULL ||
		    (keys = malloc(nrows * sizeof(*keys))) == NULL ||
		    (links = malloc(nrows * sizeof(*links))) == NULL)
			goto fail;
		for (size_t i = 0; i < nrows; i++)
			ids[i] = rows[i].referral_id;
		if (agenda_ids_unique(ids, nrows, &unique) == -1)
			goto fail;
		if (!unique) {
			reason = AGENDA_WHY_ROWS;
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
			reason = AGENDA_WHY_ROWS;
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
	return why_fail(why, reason);
}

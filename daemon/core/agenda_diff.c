/*
 * The diff between two versions of an agenda: which cases were added,
 * removed or changed, keyed on the referral id.  See agenda.h.
 */
#include "core/agenda.h"
#include "core/agenda_internal.h"

#include <stdlib.h>
#include <string.h>

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
	return agenda_cmp_id(&((const struct idx *)a)->id,
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
	if ((p[*n] = agenda_copy(ref)) == NULL)
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
		return -1;
	}
	return 0;
}

bool
agenda_unchanged(const struct agenda *prev, const struct agenda *next,
    const struct agenda_diff *d)
{
	return prev != NULL && d->nadded == 0 && d->nremoved == 0 &&
	    d->nchanged == 0 && prev->sitting_id == next->sitting_id &&
	    prev->forum == next->forum && same_str(prev->area, next->area) &&
	    same_str(prev->area_name, next->area_name) &&
	    prev->date == next->date && prev->cutoff == next->cutoff &&
	    same_str(prev->venue, next->venue) &&
	    prev->has_times == next->has_times &&
	    (!next->has_times || (prev->starts_at == next->starts_at &&
	    prev->ends_at == next->ends_at));
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

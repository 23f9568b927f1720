/*
 * The sittings job's rule: what stored sittings should become.  See
 * sitplan.h for the contract.  Rows number a few dozen per series, so
 * the searches here are plain loops.
 */
#include "core/sitplan.h"

static const struct sitting_date *
slot_find(const struct sitting_date *exp, size_t n, date_t scheduled)
{
	for (size_t i = 0; i < n; i++)
		if (exp[i].scheduled == scheduled)
			return &exp[i];
	return NULL;
}

static bool
slot_stored(const struct sitplan_row *rows, size_t n, date_t scheduled)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].generated && rows[i].scheduled == scheduled)
			return true;
	return false;
}

/* Does a live planned row other than rows[self], or an insert, hold d? */
static bool
day_held(const struct sitplan_row *rows, size_t n, size_t self, date_t d,
    const struct sitting_date *ins, size_t nins)
{
	for (size_t i = 0; i < n; i++)
		if (i != self && !rows[i].plan.cancelled && rows[i].plan.date == d)
			return true;
	for (size_t i = 0; i < nins; i++)
		if (ins[i].date == d)
			return true;
	return false;
}

/* Whether r's plan puts it live on a day it does not hold now. */
static bool
arrives(const struct sitplan_row *r)
{
	return !r->plan.cancelled &&
	    (r->stored.cancelled || r->plan.date != r->stored.date);
}

/* An unpinned generated row in the window follows its slot. */
static void
follow_series(struct sitplan_row *r, date_t from, date_t to,
    const struct sitting_date *exp, size_t nexp)
{
	const struct sitting_date *e;

	if (!r->generated || r->pinned || r->scheduled < from ||
	    r->scheduled > to || r->stored.date < from)
		return;
	if ((e = slot_find(exp, nexp, r->scheduled)) != NULL) {
		r->plan.date = e->date;
		r->plan.cancelled = false;
	} else {
		/* Not held in the window: skipped, or no longer a slot. */
		r->plan.cancelled = true;
	}
}

/*
 * A row moving onto a day another live row holds gives way: the other
 * stayed put (an admin's sitting, say) or came first by id.
 */
static void
give_way(struct sitplan_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!arrives(&rows[i]))
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j == i || rows[j].plan.cancelled ||
			    rows[j].plan.date != rows[i].plan.date)
				continue;
			if (!arrives(&rows[j]) || rows[j].id < rows[i].id) {
				rows[i].plan.cancelled = true;
				break;
			}
		}
	}
}

static void
recut(const struct calendar *cal, const struct sitting_series *s,
    date_t from, struct sitplan_row *r)
{
	date_t want;

	if (r->plan.cancelled || r->plan.date < from || !r->cutoff_open)
		return;
	want = sittings_cutoff_date(cal, s, r->plan.date);
	if (want == r->plan.cutoff_date &&
	    s->cutoff_seconds == r->plan.cutoff_seconds)
		return;
	r->plan.cutoff_date = want;
	r->plan.cutoff_seconds = s->cutoff_seconds;
}

size_t
sitplan_make(const struct calendar *cal, const struct sitting_series *s,
    date_t from, date_t to, const struct sitting_date *exp, size_t nexp,
    struct sitplan_row *rows, size_t nrows, struct sitting_date *ins)
{
	size_t nins = 0;

	for (size_t i = 0; i < nrows; i++) {
		rows[i].plan = rows[i].stored;
		follow_series(&rows[i], from, to, exp, nexp);
	}
	give_way(rows, nrows);
	for (size_t i = 0; i < nexp; i++) {
		if (slot_stored(rows, nrows, exp[i].scheduled))
			continue;
		/* A day already taken (by hand) is not given a second sitting. */
		if (day_held(rows, nrows, nrows, exp[i].date, ins, nins))
			continue;
		ins[nins++] = exp[i];
	}
	for (size_t i = 0; i < nrows; i++) {
		struct sitplan_row *r = &rows[i];

		recut(cal, s, from, r);
		r->moved = r->plan.date != r->stored.date ||
		    r->plan.cancelled != r->stored.cancelled;
		r->recut = r->plan.cutoff_date != r->stored.cutoff_date ||
		    r->plan.cutoff_seconds != r->stored.cutoff_seconds;
	}
	return nins;
}

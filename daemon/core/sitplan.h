/*
 * What the stored sittings of one series should become: the sittings
 * job's rule, pure.
 *
 * Given the series, the holidays, the window [from, to] (from = today,
 * local) and the rows already stored, sitplan_make says which series
 * slots to insert and how existing rows must change so that:
 *   - every slot of the series held in the window is stored once
 *     (generation is idempotent: a slot already stored, even cancelled or
 *     moved, is never stored again);
 *   - a generated row nobody pinned (no admin set its date or status)
 *     follows the series and the holiday policy: it moves when a new
 *     holiday lands on it, is cancelled when its slot is no longer held
 *     (skip policy, a changed anchor or interval), and comes back when
 *     its slot is held again;
 *   - every live row whose cutoff is still ahead has the cutoff the rule
 *     gives its date (a holiday added or removed moves cutoffs).
 * A cutoff already passed is history: referrals were assigned by it, so
 * it is never changed.  Rows before the window are never touched.
 */
#ifndef MARACD_CORE_SITPLAN_H
#define MARACD_CORE_SITPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/sittings.h"
#include "core/workdays.h"

/* The state of a sitting that the plan may change. */
struct sitplan_state {
	date_t	date;
	bool	cancelled;
	date_t	cutoff_date;
	int	cutoff_seconds;	/* local wall-clock second of cutoff_date */
};

/* A stored sitting of the series, and what sitplan_make plans for it. */
struct sitplan_row {
	int64_t			id;
	bool			generated;	/* from the series (else added by hand) */
	date_t			scheduled;	/* its slot; generated rows only */
	bool			pinned;		/* an admin set its date or status */
	bool			cutoff_open;	/* its cutoff instant is still ahead */
	struct sitplan_state	stored;
	/* Out: the state it should have, and what differs. */
	struct sitplan_state	plan;
	bool			moved;	/* date or status: referrals need re-assigning */
	bool			recut;	/* cutoff date or time */
};

/*
 * Plans the series s over [from, to].  exp holds sittings_generate(cal,
 * s, from, to, ...) in full (nexp entries).  Each row's plan, moved and
 * recut are set; the slots to insert are copied to ins, which must hold
 * nexp entries.  Returns how many to insert.
 */
size_t	sitplan_make(const struct calendar *cal, const struct sitting_series *s,
	    date_t from, date_t to, const struct sitting_date *exp, size_t nexp,
	    struct sitplan_row *rows, size_t nrows, struct sitting_date *ins);

#endif

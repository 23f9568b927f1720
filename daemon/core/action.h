/*
 * Actions a sitting gives agencies (docs/domain.md): their statuses,
 * what "outstanding" and "overdue" mean, and the checking of what a chair
 * or an agency sends.  Pure.
 */
#ifndef MARACD_CORE_ACTION_H
#define MARACD_CORE_ACTION_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "core/date.h"
#include "core/decision.h"
#include "core/fielderr.h"

#define ACTION_TEXT_MAX	4000

enum action_status {
	ACTION_OPEN,
	ACTION_IN_PROGRESS,
	ACTION_COMPLETED,
	ACTION_NO_LONGER_RELEVANT,
};

/* By enum value, NULL-terminated. */
extern const char *const action_statuses[];
/* What GET /v1/actions?status= takes: the statuses, then the two views. */
extern const char *const action_filters[];

/* Open or in progress: someone still has to do it. */
bool	action_outstanding(enum action_status);
/* Outstanding and due before today (local date): the day after it is due. */
bool	action_overdue(enum action_status, date_t due, date_t today);
/* Closing an action says why: completed how, or why no longer relevant. */
bool	action_needs_note(enum action_status);

/*
 * POST /v1/referrals/{id}/actions: {"agency", "area", "description",
 * "due" (optional: the forum's next sitting), "sitting" (optional)}.
 * Returns {"agency", "area", "description", "due"|null, "sitting"|null}
 * or NULL with errors.  A due date before today is refused.
 */
cJSON  *action_create_normalise(const cJSON *body,
	    const struct decision_areas *areas, date_t today,
	    struct field_errors *errs);

/*
 * PATCH /v1/actions/{id}: {"status", "note", "due", "description"}.  An
 * agency (by_agency) may send only status and note; the rest is the
 * sitting's and answers 403, which *forbidden says.  Returns
 * {"status"|null, "note"|null, "due"|null, "description"|null}.
 */
cJSON  *action_update_normalise(const cJSON *body, bool by_agency,
	    date_t today, bool *forbidden, struct field_errors *errs);

#endif

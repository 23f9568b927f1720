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
/*
 * The RAG status an agency's list shows: red when overdue, amber when
 * outstanding and due within ACTION_AMBER_DAYS of today (today and the
 * day ACTION_AMBER_DAYS later included), green when outstanding and due
 * later; a closed action has none.
 */
enum action_rag {
	ACTION_RAG_NONE,
	ACTION_RAG_GREEN,
	ACTION_RAG_AMBER,
	ACTION_RAG_RED,
};
#define ACTION_AMBER_DAYS	7

enum action_rag action_rag(enum action_status, date_t due, date_t today);
/* "red", "amber", "green", or NULL for none. */
const char *action_rag_name(enum action_rag);
/*
 * Add "rag" (a name, or null) to an action as the API answers it, from
 * its "status" and "due"; an action without them is left alone.
 */
void	action_json_add_rag(cJSON *action, date_t today);

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

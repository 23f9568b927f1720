/*
 * The decision a sitting records for a case (docs/domain.md): which
 * assessment areas a forum writes about, and the checking of a decision
 * as a chair sends it.  Pure: the shell stores what this accepts.
 */
#ifndef MARACD_CORE_DECISION_H
#define MARACD_CORE_DECISION_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "core/fielderr.h"

#define DECISION_AREAS_MAX	12
#define DECISION_AREA_LEN	32
#define DECISION_TEXT_MAX	20000
#define DECISION_NOTE_MAX	4000
#define DECISION_ATTENDEES_MAX	64
#define DECISION_REVIEWS_MAX	200

/* A forum's assessment areas, in the order records print them. */
struct decision_areas {
	int	 n;
	char	 name[DECISION_AREAS_MAX][DECISION_AREA_LEN + 1];
};

/* MASC's five areas: victim, offender, children, location, referral. */
extern const struct decision_areas decision_masc_areas;

/*
 * "victim, offender, children" (comma-separated codes [a-z0-9_], 1 to
 * DECISION_AREAS_MAX of them, no repeats) into out.  False if malformed.
 */
bool	decision_areas_parse(const char *list, struct decision_areas *out);
bool	decision_areas_has(const struct decision_areas *, const char *name);

/* What an earlier action's review may conclude. */
extern const char *const decision_review_results[];

/*
 * MASC's structured outcomes (masc_outcomes): the stages a Stalking
 * Protection Order reached, and the onward referrals made.  NULL-terminated,
 * in the order they are shown and counted.
 */
extern const char *const decision_spo_stages[];
extern const char *const decision_onward_referrals[];

/*
 * Checks the body of PUT .../decision and returns it normalised for
 * decision_record() in SQL: {"attendees": [...], "areas": {...},
 * "outcome", "drive_increases_risk", "amendment_reason", "reviews": [...],
 * "masc_outcomes": {"spo": [...], "onward_referrals": [...]} or null}
 * with absent members as JSON null or empty.  marac: whether the forum
 * asks the DRIVE question (and not MASC's outcomes).  NULL (with errors added) when invalid.
 */
cJSON  *decision_normalise(const cJSON *body, bool marac,
	    const struct decision_areas *areas, struct field_errors *errs);

#endif

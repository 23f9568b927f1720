/*
 * The referral form of the agency pages, one part per page: which
 * members of a referral each step's page owns, the step's form merged
 * into the draft, and the form's strings turned into the JSON types the
 * API reads.  The rules stay the API's (core/referral.c): this only
 * moves what a person typed to where POST /v1/referrals expects it, so
 * that what is wrong is said by the one validation.  Pure.
 */
#ifndef MARACD_CORE_REFERRALFORM_H
#define MARACD_CORE_REFERRALFORM_H

#include <stdbool.h>

#include <cjson/cJSON.h>

struct referralform_step {
	const char	*name;		/* in the page's path: "victim" */
	const char	*title;		/* "The victim" */
	/*
	 * The dotted paths it owns (at most two parts), NULL-terminated: a
	 * path the form leaves out is removed from the draft, so a field
	 * cleared, or a box unticked, is gone.
	 */
	const char	*const *paths;
};

/* The steps in order, ending with a step whose name is NULL. */
extern const struct referralform_step referralform_steps[];

/* The step called name, or NULL. */
const struct referralform_step *referralform_step(const char *name);
/* The step after s, or NULL after the last. */
const struct referralform_step *referralform_next(const struct referralform_step *s);

/*
 * The strings a form posts turned, in place, into what the API reads:
 * "yes"/"no" (and "true"/"false") for the yes-or-no members (the
 * checklists' answers among them), whole numbers for mappa_level and
 * police_callouts_12m.  Anything else is left as typed, for the API to
 * name.
 */
void	referralform_types(cJSON *form);

/*
 * Merge the step's form (its values typed by referralform_types) into
 * the draft's body: each path the step owns is taken from form, or
 * removed when form has none.  form is left as it was.
 */
void	referralform_merge(cJSON *body, const cJSON *form,
	    const struct referralform_step *step);

/* The step whose page has the input of an API error path, or NULL. */
const struct referralform_step *referralform_step_of(const char *path);

#endif

/*
 * Routing (domain.md section 5).
 *
 *  - A victim under min_victim_age on the received date is refused: the
 *    forums are for adults (and 16-17 year olds) and a child victim is a
 *    matter for child safeguarding.  The error code stays
 *    "victim_under_16" whatever the setting: it is the API contract.
 *  - Domestic abuse and (high risk or repeat) -> MARAC, DA-related
 *    stalking included.  Not DA, stalking, medium or high -> MASC.
 *    Anything else is stored below threshold with advice: a valid
 *    referral is never thrown away.
 *  - Repeat (SafeLives): a DA referral whose victim was referred to MARAC
 *    on or after the same day repeat_months earlier (date_add_months,
 *    clamped at month ends).  So exactly 12 months before counts: "within
 *    the 12 months" includes its first day.  A repeat goes to MARAC
 *    whatever its score and keeps its own risk level.
 *  - review: a forum was requested and the rules chose another, or none.
 */
#include "core/routing.h"

#include <stdio.h>
#include <string.h>

static const char advice_below[] =
    "Below the threshold for MARAC and MASC: continue safety planning "
    "with the victim, refer to support services (an IDVA, the ISAC or "
    "Victim Support, or local specialist services), and re-refer if the "
    "risk increases. A coordinator can re-route this referral by "
    "professional judgement.";

static const struct routing_warning w_forum_overridden = {
	"forum_overridden",
	"the requested forum differs from the forum the rules chose; "
	"flagged for coordinator review"
};
static const struct routing_warning w_forum_below = {
	"forum_requested_below_threshold",
	"a forum was requested but the referral is below threshold; "
	"flagged for coordinator review"
};
static const struct routing_warning w_consent_refused = {
	"consent_refused_below_high",
	"consent refused and risk below high: sharing needs a lawful basis "
	"without consent"
};
static const struct routing_warning w_consent_not_sought = {
	"consent_not_sought_below_high",
	"consent not sought and risk below high: seek consent, or record "
	"why sharing without it is lawful"
};
static const struct routing_warning w_da_stalking = {
	"da_stalking_below_high",
	"domestic-abuse-related stalking is heard at MARAC when risk is "
	"high; MASC hears stalking not related to domestic abuse"
};
static const struct routing_warning w_out_of_scope = {
	"not_da_or_stalking",
	"neither domestic abuse nor stalking: outside MARAC and MASC"
};

void
routing_params_default(struct routing_params *p)
{
	p->min_victim_age = 16;
	p->repeat_months = 12;
}

bool
routing_params_valid(const struct routing_params *p)
{
	return p->min_victim_age >= 1 && p->min_victim_age <= 25 &&
	    p->repeat_months >= 1 && p->repeat_months <= 120;
}

const char *
routing_outcome_name(enum routing_outcome o)
{
	switch (o) {
	case ROUTING_REFUSED:
		return "refused";
	case ROUTING_LISTED:
		return "listed";
	case ROUTING_BELOW_THRESHOLD:
		return "below_threshold";
	}
	return NULL;
}

static void
warn(struct routing *out, const struct routing_warning *w)
{
	if (out->nwarnings < ROUTING_WARNINGS_MAX)
		out->warnings[out->nwarnings++] = *w;
}

static bool
is_repeat(date_t received, const date_t *previous, int months)
{
	if (previous == NULL || *previous > received)
		return false;
	return *previous >= date_add_months(received, -months);
}

static void
refuse_child(struct routing *out, int min_age)
{
	out->outcome = ROUTING_REFUSED;
	out->error = "victim_under_16";
	snprintf(out->message, sizeof(out->message),
	    "The victim is under %d on the date the referral was received: "
	    "MARAC and MASC cannot hear this case. Follow child safeguarding "
	    "procedures and refer to children's social care under the Local "
	    "Safeguarding Children Partnership procedures.", min_age);
}

static enum forum
choose_forum(const struct referral *r, const struct risk *risk, bool repeat)
{
	if (r->domestic_abuse && (risk->level == RISK_HIGH || repeat))
		return FORUM_MARAC;
	if (!r->domestic_abuse && r->stalking && risk->level >= RISK_MEDIUM)
		return FORUM_MASC;
	return FORUM_NONE;
}

static void
add_warnings(const struct referral *r, const struct risk *risk,
    struct routing *out)
{
	if (out->review)
		warn(out, out->forum == FORUM_NONE ? &w_forum_below :
		    &w_forum_overridden);
	if (risk->level < RISK_HIGH && r->consent == CONSENT_REFUSED)
		warn(out, &w_consent_refused);
	if (risk->level < RISK_HIGH && r->consent == CONSENT_NOT_SOUGHT)
		warn(out, &w_consent_not_sought);
	if (out->forum == FORUM_NONE && r->domestic_abuse && r->stalking)
		warn(out, &w_da_stalking);
	if (!r->domestic_abuse && !r->stalking)
		warn(out, &w_out_of_scope);
}

void
routing_decide(const struct referral *r, const struct risk *risk,
    date_t received, const date_t *previous_marac,
    const struct routing_params *p, struct routing *out)
{
	memset(out, 0, sizeof(*out));
	out->forum = FORUM_NONE;
	/* -1 (born after the received date) is under age too. */
	out->victim_age = date_age_on(r->victim.dob, received);
	if (out->victim_age < p->min_victim_age) {
		refuse_child(out, p->min_victim_age);
		return;
	}
	out->repeat = r->domestic_abuse &&
	    is_repeat(received, previous_marac, p->repeat_months);
	out->forum = choose_forum(r, risk, out->repeat);
	if (out->forum == FORUM_NONE) {
		out->outcome = ROUTING_BELOW_THRESHOLD;
		out->advice = advice_below;
	} else
		out->outcome = ROUTING_LISTED;
	out->review = r->forum_requested != FORUM_NONE &&
	    r->forum_requested != out->forum;
	add_warnings(r, risk, out);
}

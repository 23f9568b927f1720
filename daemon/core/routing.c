/*
 * Routing (docs/domain.md, Routing).
 *
 *  - A victim under min_victim_age on the received date is refused: the
 *    forums are for adults (and 16-17 year olds) and a child victim is a
 *    matter for child safeguarding.  The error code stays
 *    "victim_under_16" whatever the setting: it is the API contract.
 *    The setting is 16 or more, so every victim routed is of the
 *    Domestic Abuse Act's age.
 *  - Domestic abuse is the Act's (s.1-2: both 16 or over, personally
 *    connected), not the referrer's word alone.  The referral's
 *    domestic_abuse answer stands unless the facts contradict it:
 *    a perpetrator under 16 on the received date, or a relationship
 *    (core/relationship.c) that is or is clearly not a personal
 *    connection.  Ex-partners are the largest group of stalkers, and
 *    their stalking marked "not DA" would otherwise go to MASC.  When
 *    the Act and the answer disagree the Act routes, the referral is
 *    flagged for review and a warning says which fact decided; the
 *    referrer's answer is stored as given.
 *  - Domestic abuse and (high risk or repeat) -> MARAC, DA-related
 *    stalking included.  Not DA, stalking, medium or high -> MASC.
 *    Anything else is stored below threshold with advice: a valid
 *    referral is never thrown away.
 *  - Repeat (SafeLives): a DA referral whose victim was referred to MARAC
 *    on or after the same day repeat_months earlier (date_add_months,
 *    clamped at month ends).  So exactly 12 months before counts: "within
 *    the 12 months" includes its first day.  A repeat goes to MARAC
 *    whatever its score and keeps its own risk level.
 *  - review: a forum was requested and the rules chose another, or none;
 *    or the Act overrode the referral's domestic_abuse answer.
 */
#include "core/routing.h"

#include "core/relationship.h"

#include <stdio.h>
#include <string.h>

static const char advice_below[] =
    "Below the threshold for MARAC and MASC: continue safety planning "
    "with the victim, refer to support services (an IDVA, the ISAC or "
    "Victim Support, or local specialist services), and re-refer if the "
    "risk increases. A coordinator can re-route this referral by "
    "professional judgement.";

/* Why a referral is below threshold: the branch of choose_forum it fell through. */
static const char reason_da[] =
    "Domestic abuse below high risk, and not a repeat referral to MARAC: "
    "MARAC hears high-risk domestic abuse and repeats.";
static const char reason_stalking[] =
    "Stalking not related to domestic abuse at standard risk: MASC hears "
    "medium and high risk.";
static const char reason_out_of_scope[] =
    "Neither domestic abuse, as the Domestic Abuse Act 2021 defines it, "
    "nor stalking: MARAC and MASC do not hear it.";

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
static const struct routing_warning w_da_by_relationship = {
	"da_by_relationship",
	"the referral says this is not domestic abuse, but the perpetrator's "
	"relationship to the victim (partner, ex-partner, relative or parent "
	"of a child together) is a personal connection under the Domestic "
	"Abuse Act 2021: routed as domestic abuse and flagged for coordinator "
	"review"
};
static const struct routing_warning w_not_da_perpetrator_under_16 = {
	"not_da_perpetrator_under_16",
	"the referral says this is domestic abuse, but the perpetrator was "
	"under 16 on the date the referral was received, and the Domestic "
	"Abuse Act 2021 needs both people to be 16 or over: routed as not "
	"domestic abuse and flagged for coordinator review; follow child "
	"safeguarding procedures for the perpetrator"
};
static const struct routing_warning w_not_da_not_connected = {
	"not_da_not_connected",
	"the referral says this is domestic abuse, but the perpetrator's "
	"stated relationship to the victim (stranger, acquaintance, "
	"neighbour, colleague and the like) is not a personal connection "
	"under the Domestic Abuse Act 2021: routed as not domestic abuse and "
	"flagged for coordinator review"
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

/*
 * No lower than 16: younger victims are for child safeguarding, and a
 * victim under 16 is outside the Act, so routing could not call her case
 * domestic abuse anyway.
 */
bool
routing_params_valid(const struct routing_params *p)
{
	return p->min_victim_age >= RELATIONSHIP_DA_ACT_MIN_AGE &&
	    p->min_victim_age <= 25 &&
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

/*
 * The Act's answer, and the warning when it is not the referral's.  An
 * unknown relationship or age leaves the referrer's answer: only a fact
 * overrides it.
 */
static const struct routing_warning *
domestic_abuse_act(const struct referral *r, date_t received, bool *da)
{
	const struct perpetrator *p = &r->perpetrator;
	enum relationship_kind kind;

	*da = r->domestic_abuse;
	if (!r->has_perpetrator)
		return NULL;
	/* -1 (born after the received date) is under age too. */
	if (p->has_dob &&
	    date_age_on(p->dob, received) < RELATIONSHIP_DA_ACT_MIN_AGE) {
		*da = false;
		return r->domestic_abuse ? &w_not_da_perpetrator_under_16 : NULL;
	}
	kind = relationship_classify(p->relationship);
	if (kind == RELATIONSHIP_CONNECTED && !r->domestic_abuse) {
		*da = true;
		return &w_da_by_relationship;
	}
	if (kind == RELATIONSHIP_NOT_CONNECTED && r->domestic_abuse) {
		*da = false;
		return &w_not_da_not_connected;
	}
	return NULL;
}

static enum forum
choose_forum(bool da, const struct referral *r, const struct risk *risk,
    bool repeat)
{
	if (da && (risk->level == RISK_HIGH || repeat))
		return FORUM_MARAC;
	if (!da && r->stalking && risk->level >= RISK_MEDIUM)
		return FORUM_MASC;
	return FORUM_NONE;
}

/* The Act's warning first: it explains the forum the others speak of. */
static void
add_warnings(const struct referral *r, const struct risk *risk,
    const struct routing_warning *act, bool forum_review,
    struct routing *out)
{
	bool da = out->domestic_abuse;

	if (act != NULL)
		warn(out, act);
	if (forum_review)
		warn(out, out->forum == FORUM_NONE ? &w_forum_below :
		    &w_forum_overridden);
	if (risk->level < RISK_HIGH && r->consent == CONSENT_REFUSED)
		warn(out, &w_consent_refused);
	if (risk->level < RISK_HIGH && r->consent == CONSENT_NOT_SOUGHT)
		warn(out, &w_consent_not_sought);
	if (out->forum == FORUM_NONE && da && r->stalking)
		warn(out, &w_da_stalking);
	if (!da && !r->stalking)
		warn(out, &w_out_of_scope);
}

void
routing_decide(const struct referral *r, const struct risk *risk,
    date_t received, const date_t *previous_marac,
    const struct routing_params *p, struct routing *out)
{
	const struct routing_warning *act;
	bool forum_review;

	memset(out, 0, sizeof(*out));
	out->forum = FORUM_NONE;
	/* -1 (born after the received date) is under age too. */
	out->victim_age = date_age_on(r->victim.dob, received);
	if (out->victim_age < p->min_victim_age) {
		refuse_child(out, p->min_victim_age);
		return;
	}
	act = domestic_abuse_act(r, received, &out->domestic_abuse);
	out->repeat = out->domestic_abuse &&
	    is_repeat(received, previous_marac, p->repeat_months);
	out->forum = choose_forum(out->domestic_abuse, r, risk, out->repeat);
	if (out->forum == FORUM_NONE) {
		out->outcome = ROUTING_BELOW_THRESHOLD;
		out->advice = advice_below;
		out->reason = out->domestic_abuse ? reason_da :
		    r->stalking ? reason_stalking : reason_out_of_scope;
	} else
		out->outcome = ROUTING_LISTED;
	forum_review = r->forum_requested != FORUM_NONE &&
	    r->forum_requested != out->forum;
	out->review = forum_review || act != NULL;
	add_warnings(r, risk, act, forum_review, out);
}

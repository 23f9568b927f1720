/*
 * DASH / S-DASH scoring.
 *
 * The score is a count of "yes" answers; unanswered is not yes.  The level
 * is the highest any rule gives: actuarial (DASH score, all S-DASH yes),
 * escalation, or professional judgement, which may raise a level and never
 * lower one, so it is a maximum and not an override.
 *
 * Bases are the reasons that support the final level.  At high, that is
 * every SafeLives criterion met, not just the first; at medium, it is
 * professional judgement when the judge said medium (the DASH 7-13 band
 * has no basis name: dash_score shows it); at standard there are none.
 */
#include "core/dash.h"

#include <string.h>

static const struct {
	const char		*name;
	enum dash_version	 version;
	int			 questions;
} versions[] = {
	{ "dash-2009",		DASH_2009,		27 },
	{ "safelives-ric",	DASH_SAFELIVES_RIC,	24 },
	{ "glos-2018",		DASH_GLOS_2018,		28 },
};

static const char *const level_names[] = { "standard", "medium", "high" };

static const char *const basis_names[RISK_BASIS_COUNT] = {
	"visible_high_risk",
	"sdash_all",
	"professional_judgement",
	"escalation",
};

void
dash_params_default(struct risk_params *p)
{
	p->dash_high_min = 14;
	p->dash_medium_min = 7;
	p->escalation_callouts_min = 3;
}

bool
dash_params_valid(const struct risk_params *p)
{
	return p->dash_medium_min >= 1 &&
	    p->dash_high_min > p->dash_medium_min &&
	    p->dash_high_min <= DASH_QUESTIONS_MAX &&
	    p->escalation_callouts_min >= 1;
}

int
dash_version_questions(enum dash_version v)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (versions[i].version == v)
			return versions[i].questions;
	return 0;
}

const char *
dash_version_name(enum dash_version v)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (versions[i].version == v)
			return versions[i].name;
	return NULL;
}

bool
dash_version_parse(const char *s, enum dash_version *out)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (strcmp(s, versions[i].name) == 0) {
			*out = versions[i].version;
			return true;
		}
	return false;
}

const char *
dash_risk_level_name(enum risk_level l)
{
	if (l < RISK_STANDARD || l > RISK_HIGH)
		return NULL;
	return level_names[l];
}

bool
dash_risk_level_parse(const char *s, enum risk_level *out)
{
	for (int l = RISK_STANDARD; l <= RISK_HIGH; l++)
		if (strcmp(s, level_names[l]) == 0) {
			*out = (enum risk_level)l;
			return true;
		}
	return false;
}

static int
count_yes(const enum answer *answers, int n)
{
	int yes = 0;

	for (int q = 1; q <= n; q++)
		if (answers[q] == ANSWER_YES)
			yes++;
	return yes;
}

int
dash_score(const struct risk_input *in)
{
	return count_yes(in->dash, dash_version_questions(in->dash_version));
}

int
dash_sdash_score(const struct risk_input *in)
{
	if (!in->has_sdash)
		return 0;
	return count_yes(in->sdash, SDASH_QUESTIONS);
}

static unsigned
high_bases(const struct risk_input *in, const struct risk_params *p,
    int dash, int sdash)
{
	unsigned b = 0;

	if (dash >= p->dash_high_min)
		b |= RISK_BASIS_VISIBLE_HIGH_RISK;
	if (sdash == SDASH_QUESTIONS)
		b |= RISK_BASIS_SDASH_ALL;
	if (in->has_judgement && in->judgement == RISK_HIGH)
		b |= RISK_BASIS_PROFESSIONAL_JUDGEMENT;
	if (in->escalation ||
	    in->police_callouts_12m >= p->escalation_callouts_min)
		b |= RISK_BASIS_ESCALATION;
	return b;
}

void
dash_assess(const struct risk_input *in, const struct risk_params *p,
    struct risk *out)
{
	out->dash_score = dash_score(in);
	out->sdash_score = dash_sdash_score(in);
	out->bases = high_bases(in, p, out->dash_score, out->sdash_score);
	if (out->bases != 0) {
		out->level = RISK_HIGH;
		return;
	}
	if (out->dash_score >= p->dash_medium_min)
		out->level = RISK_MEDIUM;
	else
		out->level = RISK_STANDARD;
	/* Judgement raises, never lowers; high was handled above. */
	if (in->has_judgement && in->judgement == RISK_MEDIUM) {
		out->level = RISK_MEDIUM;
		out->bases |= RISK_BASIS_PROFESSIONAL_JUDGEMENT;
	}
}

size_t
dash_basis_names(unsigned bases, const char *names[RISK_BASIS_COUNT])
{
	size_t n = 0;

	for (int i = 0; i < RISK_BASIS_COUNT; i++)
		if (bases & (1u << i))
			names[n++] = basis_names[i];
	return n;
}

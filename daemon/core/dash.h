/*
 * DASH / S-DASH risk scoring and the risk level with every basis for it.
 *
 * maracd stores and exchanges question *numbers* only: the checklists'
 * wording is copyright, and a deployment with permission loads it as data.
 * The thresholds are parameters because a deployment may change them in
 * maracd.conf; dash_params_default() gives the national defaults.
 */
#ifndef MARACD_CORE_DASH_H
#define MARACD_CORE_DASH_H

#include <stdbool.h>
#include <stddef.h>

enum dash_version {
	DASH_NONE = 0,		/* no checklist in the referral */
	DASH_2009,		/* "dash-2009", 27 questions */
	DASH_SAFELIVES_RIC,	/* "safelives-ric", 24 questions */
	DASH_GLOS_2018		/* "glos-2018", 28 questions */
};

#define DASH_QUESTIONS_MAX	28	/* the longest checklist */
#define SDASH_QUESTIONS		11

/* Unanswered is kept apart from "no" so that answers can be stored as given. */
enum answer {
	ANSWER_NONE = 0,
	ANSWER_NO,
	ANSWER_YES
};

/* Ordered: a higher level compares greater. */
enum risk_level {
	RISK_STANDARD = 0,
	RISK_MEDIUM,
	RISK_HIGH
};

/* SafeLives' criteria; names in this order from dash_basis_names(). */
enum risk_basis {
	RISK_BASIS_VISIBLE_HIGH_RISK		= 1 << 0,
	RISK_BASIS_SDASH_ALL			= 1 << 1,
	RISK_BASIS_PROFESSIONAL_JUDGEMENT	= 1 << 2,
	RISK_BASIS_ESCALATION			= 1 << 3
};
#define RISK_BASIS_COUNT	4

/* What scoring needs from a referral, and nothing else. */
struct risk_input {
	enum dash_version	 dash_version;
	enum answer		 dash[DASH_QUESTIONS_MAX + 1];	/* [0] unused */
	bool			 has_sdash;
	enum answer		 sdash[SDASH_QUESTIONS + 1];	/* [0] unused */
	bool			 has_judgement;
	enum risk_level		 judgement;
	bool			 escalation;	/* declared by the referrer */
	int			 police_callouts_12m;	/* -1: not given */
};

struct risk_params {
	int	 dash_high_min;			/* default 14 */
	int	 dash_medium_min;		/* default 7 */
	int	 escalation_callouts_min;	/* default 3 */
};

struct risk {
	enum risk_level	 level;
	unsigned	 bases;		/* enum risk_basis bits */
	int		 dash_score;
	int		 sdash_score;
};

void	dash_params_default(struct risk_params *);
bool	dash_params_valid(const struct risk_params *);

/* Questions in a checklist version; 0 for DASH_NONE or an unknown value. */
int	dash_version_questions(enum dash_version);
const char *dash_version_name(enum dash_version);
bool	dash_version_parse(const char *, enum dash_version *);

const char *dash_risk_level_name(enum risk_level);
bool	dash_risk_level_parse(const char *, enum risk_level *);

int	dash_score(const struct risk_input *);
int	dash_sdash_score(const struct risk_input *);
void	dash_assess(const struct risk_input *, const struct risk_params *,
	    struct risk *);

/* Fills names[] with the bases set, in the fixed order; returns how many. */
size_t	dash_basis_names(unsigned bases, const char *names[RISK_BASIS_COUNT]);

#endif

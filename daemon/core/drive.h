/*
 * DRIVE screening: perpetrator eligibility and the RFGV score
 * (docs/domain.md, DRIVE screening).
 *
 * The national DRIVE criteria and the RFGV bands are not published, so
 * the rubric is configuration with documented defaults, and the result is
 * a *suggestion* to the perpetrator panel, never a decision.  Pure: the
 * shell collects the perpetrator's DA referral history by normalised
 * identity (identity.h) and passes it in; nothing here reads the clock or
 * the database.
 *
 * Eligibility.  Each failing criterion is its own reason, all collected:
 *	under_18		below min_age on the sitting date ("under_18"
 *				whatever min_age is: the code is the contract)
 *	age_unknown		no usable date of birth
 *	not_at_marac		the case is not heard at MARAC (waived by
 *				on_demand, see struct drive_case)
 *	in_custody		in_custody is yes
 *	mappa_2_3		managed at MAPPA level 2 or 3
 *	already_on_drive	on_drive is yes
 *	out_of_area		in_area is no
 * Age is a hard criterion: DRIVE is an adult programme and a child
 * screened into it is the worse error, so an unknown age excludes until
 * someone supplies the date of birth.  Custody, MAPPA, DRIVE and area are
 * optional referral fields that referrers often leave blank; counting a
 * blank as a failure would exclude most perpetrators, and counting it as
 * a pass would hide it, so an unknown one leaves the perpetrator eligible
 * with a caution for the panel to check:
 *	custody_unknown, mappa_unknown, drive_status_unknown, in_area_unknown
 * Other cautions (never excluding):
 *	screened_on_demand	not at MARAC, screened on demand
 *	no_history		no DA referral up to the sitting date
 *	checklist_unknown	a referral in the window has no checklist, or
 *				one not known here: it adds gravity_other only
 *	victim_unknown		a referral in the window has no victim identity:
 *				it is not counted as a distinct victim
 *
 * Score.  Only referrals received in [sitting - window_months, sitting]
 * count for frequency, gravity and victims (date_add_months, clamped at
 * month ends, so exactly window_months before counts).  Recency is the
 * days from the latest referral received on or before the sitting, in
 * the window or not, to the sitting.  A component with nothing to score
 * (no referral; a count below the first band) is 0.  Gravity is the
 * points of the gravest key answered yes in any referral in the window,
 * gravity_other when there are referrals but none of the keys is yes.
 * score = sum of weight x component; candidate = eligible && score >=
 * threshold.  Referrals after the sitting date are ignored.  The history
 * should include the referral of the case being screened, and each
 * referral once.
 *
 * Rubric settings (maracd.conf; drive_rubric_set() takes these keys):
 *	drive_rubric_version	"maracd-rfgv-1"	1..31 of [A-Za-z0-9._+-];
 *				stored with every result: change it whenever
 *				any other rubric setting changes
 *	drive_threshold		12		0..400, and reachable
 *	drive_min_age		18		16..30
 *	drive_window_months	36		1..120
 *	drive_weight_recency	1		0..10
 *	drive_weight_frequency	1		0..10
 *	drive_weight_gravity	1		0..10
 *	drive_weight_victims	1		0..10
 *	drive_recency_days	30,90,180,365	4 ascending inclusive upper
 *				limits in days, 0..3650
 *	drive_recency_points	5,4,3,2,1	5 values 0..10, the last for
 *				older than every limit
 *	drive_frequency_from	1,2,3,5,7	5 ascending band starts
 *				(referrals in the window), 1..1000
 *	drive_frequency_points	1,2,3,4,5	5 values 0..10
 *	drive_victims_from	1,2,3		3 ascending band starts
 *				(distinct victims), 1..1000
 *	drive_victims_points	1,3,5		3 values 0..10
 *	drive_gravity_strangulation	5	0..10 (strangulation/choking)
 *	drive_gravity_weapons		4	0..10
 *	drive_gravity_threat_to_kill	4	0..10
 *	drive_gravity_sexual		4	0..10
 *	drive_gravity_injury		3	0..10
 *	drive_gravity_other		1	0..10 (none of the above yes)
 * List items are separated by commas, with optional blanks.  The number
 * of bands is fixed; their limits and points are not.
 */
#ifndef MARACD_CORE_DRIVE_H
#define MARACD_CORE_DRIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/why.h"

#define DRIVE_VERSION_MAX	32
#define DRIVE_RECENCY_BANDS	5	/* four limits and "older" */
#define DRIVE_FREQUENCY_BANDS	5
#define DRIVE_VICTIMS_BANDS	3
#define DRIVE_POINTS_MAX	10
#define DRIVE_WEIGHT_MAX	10
#define DRIVE_REASONS_MAX	12	/* more than can apply at once */
#define DRIVE_REASON_TEXT_MAX	96
/* Long enough for drive_rubric_format() of any valid rubric. */
#define DRIVE_RUBRIC_TEXT_MAX	1024

enum drive_component {
	DRIVE_RECENCY = 0,
	DRIVE_FREQUENCY,
	DRIVE_GRAVITY,
	DRIVE_VICTIMS,
	DRIVE_COMPONENTS
};

/* Gravity keys; bit (1 << key) in a key set. */
enum drive_gravity_key {
	DRIVE_GRAVITY_STRANGULATION = 0,
	DRIVE_GRAVITY_WEAPONS,
	DRIVE_GRAVITY_THREAT_TO_KILL,
	DRIVE_GRAVITY_SEXUAL,
	DRIVE_GRAVITY_INJURY,
	DRIVE_GRAVITY_KEYS
};

/* An optional yes/no, numbered as referral.h's enum flag. */
enum drive_flag {
	DRIVE_UNKNOWN = 0,
	DRIVE_NO,
	DRIVE_YES
};

struct drive_rubric {
	char	 version[DRIVE_VERSION_MAX];
	int	 threshold;
	int	 min_age;
	int	 window_months;
	int	 weight[DRIVE_COMPONENTS];
	int	 recency_days[DRIVE_RECENCY_BANDS - 1];
	int	 recency_points[DRIVE_RECENCY_BANDS];
	int	 frequency_from[DRIVE_FREQUENCY_BANDS];
	int	 frequency_points[DRIVE_FREQUENCY_BANDS];
	int	 victims_from[DRIVE_VICTIMS_BANDS];
	int	 victims_points[DRIVE_VICTIMS_BANDS];
	int	 gravity_points[DRIVE_GRAVITY_KEYS];
	int	 gravity_other;
};

struct drive_perpetrator {
	bool		 has_dob;
	date_t		 dob;
	enum drive_flag	 in_custody;
	int		 mappa_level;	/* 0 none, 1..3; anything else unknown */
	enum drive_flag	 on_drive;
	enum drive_flag	 in_area;
};

struct drive_case {
	date_t	 sitting;	/* local date of the sitting screened for */
	bool	 at_marac;
	/*
	 * Serial medium-risk screening on demand: a perpetrator not heard at
	 * MARAC is screened the same way, with not_at_marac waived.
	 */
	bool	 on_demand;
};

/* One DA referral naming the perpetrator; strings are borrowed. */
struct drive_referral {
	int64_t		 id;
	date_t		 received;	/* local date */
	const char	*victim_key;	/* identity_key(); NULL or "": unknown */
	const char	*checklist;	/* "dash-2009", ...; NULL: none */
	uint64_t	 yes;		/* bit n: question n answered yes */
};

/* code is stable for clients; text is for people. */
struct drive_reason {
	const char	*code;
	bool		 excludes;	/* false: a caution only */
	char		 text[DRIVE_REASON_TEXT_MAX];
};

struct drive_result {
	bool			 eligible;
	bool			 candidate;
	int			 score;
	int			 threshold;
	int			 component[DRIVE_COMPONENTS];
	char			 rubric_version[DRIVE_VERSION_MAX];
	int			 age;		/* on the sitting date; -1 unknown */
	/* What the components were computed from, for the panel. */
	date_t			 window_start;
	int			 recency_days;	/* -1: no referral */
	int			 referrals;	/* in the window */
	int			 victims;	/* distinct, in the window */
	unsigned		 gravity_keys;	/* yes in the window, 1 << key */
	size_t			 nreasons;
	struct drive_reason	 reasons[DRIVE_REASONS_MAX];
};

void	drive_rubric_defaults(struct drive_rubric *);

/*
 * Sets one setting from its maracd.conf text.  Returns 0, or -1 with why
 * the value was refused (without the key), leaving the rubric as it was.
 */
int	drive_rubric_set(struct drive_rubric *, const char *key,
	    const char *value, const char **why);
/* The setting's value as drive_rubric_set() takes it; false: unknown key. */
bool	drive_rubric_get(const struct drive_rubric *, const char *key,
	    char *buf, size_t size);
/* The i-th setting key in documentation order; NULL past the last. */
const char *drive_rubric_key(size_t i);

/*
 * Checks across settings, once all are set: 0, or -1 with why the rubric
 * as a whole is refused (a threshold no score can reach).
 */
int	drive_rubric_check(const struct drive_rubric *, const char **why);
/* Highest score the rubric can give. */
int	drive_rubric_max_score(const struct drive_rubric *);

/*
 * Every setting as "key=value" separated by single spaces, in key order,
 * to store with results alongside the version: it says exactly what the
 * rubric was.  False when size is too small (DRIVE_RUBRIC_TEXT_MAX is
 * always enough).
 */
bool	drive_rubric_format(const struct drive_rubric *, char *buf,
	    size_t size);

/*
 * The question number of a gravity key in a checklist version, or 0 when
 * the version is not known here.
 */
int	drive_gravity_question(const char *checklist, enum drive_gravity_key);
/* Whether the checklist version is one drive.c has a question map for. */
bool	drive_checklist_known(const char *checklist);
/* The gravity keys answered yes (1 << key); 0 for an unknown version. */
unsigned drive_gravity_keys(const char *checklist, uint64_t yes);
/*
 * One referral's gravity: the points of its gravest key answered yes, or
 * gravity_other when none is (or the version is unknown).
 */
int	drive_gravity(const struct drive_rubric *, const char *checklist,
	    uint64_t yes);

/* "recency", "frequency", "gravity", "victims". */
const char *drive_component_name(enum drive_component);
/* "strangulation", "weapons", "threat_to_kill", "sexual", "injury". */
const char *drive_gravity_key_name(enum drive_gravity_key);

void	drive_screen(const struct drive_rubric *,
	    const struct drive_perpetrator *, const struct drive_case *,
	    const struct drive_referral *history, size_t nhistory,
	    struct drive_result *out);

/* The reason with this code, or NULL. */
const struct drive_reason *
	drive_result_reason(const struct drive_result *, const char *code);

#endif

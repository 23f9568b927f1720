/*
 * The agenda of one sitting: which cases are heard, grouped and ordered
 * the way the meeting runs, with no more about each person than the
 * meeting needs.
 *
 * Cases are grouped by referring agency, because each agency presents the
 * cases it referred: first the agencies of the configured order, then any
 * other, alphabetically by code.  Within a group: high risk first, then
 * medium, then standard, then by received time, then by reference.
 *
 * Minimisation happens when the model is built, not when it is rendered:
 * unless full_names is set, the model never holds a victim's or
 * perpetrator's name or date of birth, only initials and the victim's age
 * on the sitting date, so no renderer and no stored version can leak them.
 * Free text (the referral summary) is never on an agenda at all.
 *
 * One case per victim per sitting: a referral linked to a waiting case
 * (status linked, sql/004_referrals.sql) comes as a row with linked_to
 * set, and is folded into that case's entry: the entry lists it (its
 * agency, reference, officer and risk assessment) and its risk is the
 * highest of the case's and its linked referrals' (the higher governs);
 * it is urgent when any of them is.
 *
 * An issued version is stored as its canonical JSON (agenda_to_json) and
 * read back with agenda_from_json to diff it against the next version.
 */
#ifndef MARACD_CORE_AGENDA_H
#define MARACD_CORE_AGENDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/dash.h"		/* enum risk_level */
#include "core/date.h"
#include "core/instant.h"
#include "core/referral.h"	/* enum forum */
#include "core/why.h"

/*
 * Ids are written as JSON numbers, which cJSON prints as plain integers
 * only below 10^15 (and keeps exactly only below 2^53).
 */
#define AGENDA_ID_MAX		INT64_C(999999999999999)

/* Up to 4 letters, each up to 4 bytes of UTF-8 and a '.', and the NUL. */
#define AGENDA_INITIALS_LETTERS	4
#define AGENDA_INITIALS_SIZE	(AGENDA_INITIALS_LETTERS * 5 + 1)

/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */

enum agenda_drive {
	AGENDA_DRIVE_NOT_SCREENED = 0,	/* until the DRIVE screening has run */
	AGENDA_DRIVE_CANDIDATE,
	AGENDA_DRIVE_NOT_CANDIDATE,
	AGENDA_DRIVE_NOT_APPLICABLE	/* MASC: DRIVE is a MARAC process */
};

/* The sitting, as the shell reads it.  Strings are copied. */
struct agenda_sitting {
	int64_t		 id;		/* 1 .. AGENDA_ID_MAX */
	enum forum	 forum;		/* FORUM_MARAC or FORUM_MASC */
	const char	*area;		/* code */
	const char	*area_name;	/* NULL: the code */
	date_t		 date;		/* local */
	date_t		 cutoff;	/* local */
	const char	*venue;		/* NULL: not set */
	/*
	 * Start and end as UTC instants (seconds since the epoch), turned
	 * from local times by the shell through the time zone database;
	 * without them the sitting is an all-day event in the calendar.
	 */
	bool		 has_times;
	int64_t		 starts_at;
	int64_t		 ends_at;	/* > starts_at */
	int		 version;	/* >= 0; a draft may carry 0 */
	const char	*issued_at;	/* RFC 3339 as stored; NULL: a draft */
};

/*
 * One case as the shell reads it.  Strings are copied; names and the
 * date of birth are used for initials and age and then dropped unless
 * full_names is set.
 */
struct agenda_row {
	int64_t			 referral_id;	/* 1 .. AGENDA_ID_MAX, unique */
	const char		*reference;	/* "MASC-2026-0042" */
	const char		*agency;	/* referring agency code */
	const char		*agency_name;	/* NULL: the code */
	const char		*officer;	/* referrer; NULL: none */
	const char		*victim_name;
	date_t			 victim_dob;
	const char		*perpetrator_name; /* NULL: none recorded */
	int			 children;	/* >= 0 */
	enum risk_level		 risk;
	const char *const	*bases;		/* dash_basis_names() codes */
	size_t			 nbases;
	bool			 repeat;
	bool			 urgent;
	enum agenda_drive	 drive;		/* MASC: made NOT_APPLICABLE */
	int64_t			 received;	/* UTC, seconds since 1970 */
	/*
	 * 0: a case.  Otherwise the referral_id of the case (a row of the
	 * same call with linked_to 0) this referral is linked to.
	 */
	int64_t			 linked_to;
};

/* A referral linked to a case, as the case's entry lists it. */
struct agenda_link {
	char			*reference;
	char			*agency;
	char			*agency_name;
	char			*officer;		/* NULL: none */
	enum risk_level		 risk;
	char			**bases;
	size_t			 nbases;
	bool			 urgent;
	int64_t			 received;
};

struct agenda_options {
	const char *const	*agency_order;	/* codes, first heard first */
	size_t			 nagency_order;
	bool			 full_names;	/* agenda_full_names = yes */
};

/* A case as the agenda shows it.  Strings are owned by the agenda. */
struct agenda_case {
	int64_t			 referral_id;
	char			*reference;
	char			*agency;
	char			*agency_name;
	char			*officer;		/* NULL: none */
	char			*victim_initials;
	int			 victim_age;		/* -1: unknown */
	char			*perpetrator_initials;	/* NULL: none */
	/* Only with full_names; otherwise NULL and 0. */
	char			*victim_name;
	bool			 has_victim_dob;
	date_t			 victim_dob;
	char			*perpetrator_name;
	int			 children;
	enum risk_level		 risk;		/* governing: highest of all */
	enum risk_level		 own_risk;	/* the case's own referral's */
	char			**bases;	/* the case's own referral's */
	size_t			 nbases;
	bool			 repeat;
	bool			 urgent;		/* any of them */
	enum agenda_drive	 drive;
	int64_t			 received;
	struct agenda_link	*linked;	/* by received time */
	size_t			 nlinked;
};

/* A run of cases of one agency; names point into the first case. */
struct agenda_group {
	const char	*agency;
	const char	*agency_name;
	size_t		 first;		/* index into cases */
	size_t		 count;
};

struct agenda {
	int64_t			 sitting_id;
	enum forum		 forum;
	char			*area;
	char			*area_name;
	date_t			 date;
	date_t			 cutoff;
	char			*venue;		/* NULL: not set */
	bool			 has_times;
	int64_t			 starts_at;
	int64_t			 ends_at;
	int			 version;
	char			*issued_at;	/* NULL: a draft */
	bool			 full_names;
	struct agenda_case	*cases;		/* in agenda order */
	size_t			 ncases;
	struct agenda_group	*groups;
	size_t			 ngroups;
};

/* Cases added, removed and changed since the previous version. */
struct agenda_diff {
	char	**added;	/* references, in the new agenda's order */
	size_t	  nadded;
	char	**removed;	/* in the previous agenda's order */
	size_t	  nremoved;
	char	**changed;	/* in the new agenda's order */
	size_t	  nchanged;
};

/*
 * Builds the agenda.  Returns 0, or -1 with why (core/why.h):
 * AGENDA_WHY_ROWS for a missing string, an id out of range or repeated, a
 * linked_to that is not the id of a case among rows, an unknown enum
 * value, a negative count, a date or instant outside
 * DATE_MIN_YEAR..DATE_MAX_YEAR, end not after start; or WHY_NOMEM.  a is
 * then empty.  opt may be NULL for the defaults (no order, no names).
 */
#define AGENDA_WHY_ROWS	"the sitting and its rows do not make an agenda"
int	agenda_build(struct agenda *a, const struct agenda_sitting *s,
	    const struct agenda_row *rows, size_t nrows,
	    const struct agenda_options *opt, const char **why);
/* Safe on an agenda that is zeroed or was emptied by a failure. */
void	agenda_free(struct agenda *a);

bool	agenda_is_draft(const struct agenda *a);

/*
 * The canonical JSON: keys in a fixed order, integers only, names and
 * dates of birth present only with full_names.  NULL when out of memory.
 */
cJSON  *agenda_to_json(const struct agenda *a);
/*
 * Reads back what agenda_to_json wrote (as parsed JSON).  Returns 0, or
 * -1 with why (AGENDA_WHY_JSON, JSONREAD_WRONG or WHY_NOMEM); a is then
 * empty.
 */
#define AGENDA_WHY_JSON	"not an agenda as maracd writes one"
int	agenda_from_json(const cJSON *root, struct agenda *a, const char **why);

/*
 * What changed from prev (NULL for the first version) to next, keyed on
 * referral id.  A case is changed when anything the agenda shows of it
 * differs: reference, agency, officer, initials, age, children, risk and
 * bases, repeat, urgent, DRIVE, the linked referrals; names and dates of birth count only when
 * both versions carry them.  Returns 0, or -1 when out of memory.
 */
int	agenda_diff(const struct agenda *prev, const struct agenda *next,
	    struct agenda_diff *d);
void	agenda_diff_free(struct agenda_diff *d);
/*
 * Whether issuing next after prev would issue nothing new: d (from
 * agenda_diff(prev, next)) adds, removes and changes no case, and the
 * sitting is stated the same (area, date, cutoff, venue, times).  The
 * version and the issue time do not count.  False when prev is NULL.
 */
bool	agenda_unchanged(const struct agenda *prev, const struct agenda *next,
	    const struct agenda_diff *d);
/*
 * {"counts": {"added": n, "removed": n, "changed": n},
 *  "added": [references], "removed": [...], "changed": [...]}
 */
cJSON  *agenda_diff_to_json(const struct agenda_diff *d);

/*
 * Initials of a name: the first letter of each word (split on ASCII white
 * space) followed by '.', ASCII letters upper-cased, other characters kept
 * whole (a UTF-8 sequence is never cut; a broken one becomes '?').  Leading
 * ASCII punctuation of a word is skipped ("'Ali" gives "A.").  With more
 * than four words, the first three and the last: the surname matters most.
 * Returns the length written to out.
 */
size_t	agenda_initials(const char *name, char out[AGENDA_INITIALS_SIZE]);

/* Names used in the JSON, CSV and for display. */
const char *agenda_risk_name(enum risk_level);	/* "high" ...; NULL */
const char *agenda_risk_label(enum risk_level);	/* "High" ...; NULL */
/* The other way: the enum value, or -1 when name is none of them. */
int	agenda_risk_of(const char *name);
const char *agenda_drive_name(enum agenda_drive); /* "not_screened" ...; NULL */
int	agenda_drive_of(const char *name);
const char *agenda_drive_label(enum agenda_drive); /* "not screened" ... */


#endif

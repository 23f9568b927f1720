/*
 * The decision record of a sitting or of one case: attendees, decisions
 * by area, actions with their owners, due dates and history, the DRIVE
 * answer, the lawful basis for sharing, the reviews of earlier actions,
 * and the minutes (docs/domain.md, Records).
 *
 * The model is built from the source the database gathers as the caller
 * (record_sitting_source / record_referral_source, sql/009_records.sql)
 * and written out as canonical JSON: keys in a fixed order, every array
 * in an order defined here (not the order the source happened to list),
 * no white space, integers only, strings as valid UTF-8 with only the
 * escapes JSON requires.  Same rows, same bytes: the SHA-256 of those
 * bytes is the record's integrity hash, printed on every export so that
 * a chair can show later that a record was not altered.
 *
 * The canonical JSON uses the source's own field names, so a record
 * exported as JSON can be read back with record_build and written again:
 * that is how an exported record is checked against its hash.
 *
 * No names, dates of birth or addresses of victims or perpetrators: the
 * source carries none, and a case is named by its reference.
 */
#ifndef MARACD_CORE_RECORD_H
#define MARACD_CORE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/why.h"

/* The version of the canonical form; part of what is hashed. */
#define RECORD_FORMAT		"maracd-record/1"

/* Ids are JSON integers, exact in a double only up to 2^53. */
#define RECORD_ID_MAX		INT64_C(9007199254740991)

/* Lower-case hex SHA-256 and its NUL. */
#define RECORD_SHA256_HEXLEN	65

enum record_kind {
	RECORD_SITTING = 1,
	RECORD_REFERRAL
};

/* A yes/no the source may leave unanswered (the DRIVE question). */
enum record_tristate {
	RECORD_UNSET = -1,
	RECORD_NO = 0,
	RECORD_YES = 1
};

struct record_strings {
	char	**items;	/* sorted, byte order */
	size_t	  n;
};

/* One assessment area's text; areas are kept in record_area_order. */
struct record_area {
	char	*area;
	char	*text;		/* NULL: JSON null */
};

/* What a decision says: the words a signed version freezes. */
struct record_content {
	struct record_strings	 attendees;	/* agency codes */
	struct record_area	*areas;
	size_t			 nareas;
	char			*outcome;	/* NULL: none yet */
	enum record_tristate	 drive_increases_risk;
	/* MASC's structured outcomes (core/decision.h), when recorded. */
	bool			 masc_recorded;
	struct record_strings	 masc_spo;
	struct record_strings	 masc_onward_referrals;
};

/* A signed version: version 1 at sign-off, then one per amendment. */
struct record_version {
	int			 version;
	char			*reason;	/* NULL for the first sign-off */
	char			*at;
	struct record_content	 content;
};

struct record_decision {
	int64_t			 id;
	struct record_content	 content;
	struct record_strings	 lawful_basis;
	int			 version;
	char			*signed_off_at;	/* NULL: not signed off */
	struct record_version	*versions;	/* by version */
	size_t			 nversions;
};

/* One change to an action (action_history). */
struct record_change {
	int64_t	 id;
	char	*at;
	char	*role;		/* NULL: unknown */
	char	*agency;	/* NULL: not an agency */
	int64_t	 token_id;	/* 0: none (maracctl, a job) */
	char	*field;
	char	*from;
	char	*to;
	char	*note;
};

struct record_action {
	int64_t			 id;
	char			*agency;
	char			*area;
	char			*description;
	char			*due;		/* YYYY-MM-DD */
	char			*status;
	char			*created_at;
	struct record_change	*history;	/* by id */
	size_t			 nhistory;
};

struct record_case {
	int64_t			 referral_id;
	char			*reference;
	char			*referring_agency;
	char			*risk_level;
	struct record_strings	 risk_bases;
	bool			 repeat;
	struct record_strings	 lawful_basis;
	char			*consent;
	struct record_decision	*decision;	/* NULL: none recorded */
	struct record_action	*actions;	/* by id */
	size_t			 nactions;
};

/* An earlier action reviewed at the sitting. */
struct record_review {
	int64_t	 action_id;
	int64_t	 referral_id;
	char	*reference;
	char	*agency;
	char	*area;
	char	*description;
	char	*due;
	char	*status;
	char	*result;	/* completed, change_in_circumstance, ... */
	char	*note;
	char	*at;
};

struct record_attendee {
	char	*agency;	/* NULL: not given */
	char	*name;
};

struct record_observer {
	char			*name;
	char			*organisation;
	enum record_tristate	 confidentiality_signed;
};

struct record_apology {
	char			*agency;
	enum record_tristate	 information_sent;
};

/* The SafeLives minutes checklist. */
struct record_minutes {
	char			*chair;
	struct record_attendee	*attendees;	/* by agency, then name */
	size_t			 nattendees;
	struct record_observer	*observers;	/* by name, then organisation */
	size_t			 nobservers;
	struct record_apology	*apologies;	/* by agency */
	size_t			 napologies;
	char			*confidentiality_statement;
	char			*updated_at;
};

struct record_sitting {
	int64_t			 id;
	char			*date;		/* YYYY-MM-DD */
	char			*status;	/* scheduled, cancelled */
	char			*venue;		/* NULL: not set */
	struct record_minutes	*minutes;	/* NULL: none taken */
	struct record_case	*cases;		/* by referral id */
	size_t			 ncases;
	struct record_review	*reviews;	/* by action id */
	size_t			 nreviews;
};

struct record_agency {
	char	*code;
	char	*name;
};

struct record {
	enum record_kind	 kind;
	int64_t			 id;		/* the sitting's or the referral's */
	char			*forum;
	char			*area;
	struct record_agency	*agencies;	/* by code */
	size_t			 nagencies;
	struct record_sitting	*sittings;	/* by date, then id */
	size_t			 nsittings;
};

/*
 * Builds the record from its source (or from a record's canonical JSON:
 * "format" and "sha256" are then ignored).  Of the agencies listed, only
 * those the record names are kept.  Unknown keys are ignored,
 * strings are copied with invalid UTF-8 replaced by U+FFFD, and every
 * array is put in its defined order.  Returns 0, or -1 with why
 * (core/why.h): JSONREAD_WRONG for a required member missing or of the
 * wrong type, an id out of range, an id, agency code or area repeated
 * where the order would then be ambiguous, or WHY_NOMEM; rec is then
 * empty.
 */
int	record_build(const cJSON *src, struct record *rec, const char **why);
/* Safe on a record that is zeroed or was emptied by a failure. */
void	record_free(struct record *rec);

/*
 * The canonical JSON, appended to out.  Returns 0, or -1 when out ran out
 * of memory.
 */
int	record_canonical(const struct record *rec, struct buf *out);

/*
 * The order of assessment areas: the MASC areas as docs/domain.md lists them
 * (victim, offender, children, location, referral), then any other (a
 * MARAC's own list) in byte order.  Fixed here, not configured, so that a
 * configuration change cannot change an old record's hash.
 */
int	record_area_cmp(const char *a, const char *b);

/* The display name of an agency code, or the code itself. */
const char *record_agency_name(const struct record *rec, const char *code);

/* Counts over all sittings, for the renderers and the tests. */
size_t	record_count_actions(const struct record *rec);

#endif

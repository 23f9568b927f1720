/*
 * A referral to MARAC or MASC: JSON in, a validated struct out.
 *
 * Validation collects every field error (see fielderr.h) rather than
 * stopping at the first.  Nothing is decided here beyond "is this a
 * well-formed referral": risk is dash.c's, the forum and the under-16 rule
 * are routing.c's.  Strings are copied out of the JSON tree, so the tree
 * may be freed as soon as parsing returns; referral_free() releases them.
 * Text is kept verbatim ("<script>" is a valid name as far as storage is
 * concerned): escaping is the business of whatever renders it.
 */
#ifndef MARACD_CORE_REFERRAL_H
#define MARACD_CORE_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/dash.h"
#include "core/date.h"
#include "core/fielderr.h"
#include "core/forum.h"

/* Limits in bytes (of UTF-8) unless said otherwise. */
#define REFERRAL_CODE_MAX		32	/* agency and area codes */
#define REFERRAL_EXTERNAL_REF_MAX	64
#define REFERRAL_NAME_MAX		200
#define REFERRAL_EMAIL_MAX		254
#define REFERRAL_PHONE_MAX		32
#define REFERRAL_POSTCODE_MAX		10
#define REFERRAL_LABEL_MAX		64	/* gender, relationship */
#define REFERRAL_REASON_MAX		4000
#define REFERRAL_SUMMARY_MAX		20000
#define REFERRAL_INSTANT_MAX		40
#define REFERRAL_CHILDREN_MAX		20	/* entries */
#define REFERRAL_CALLOUTS_MAX		1000
#define REFERRAL_HOUSEHOLD_MAX		30	/* children in the household */
#define REFERRAL_AGE_MIN		10	/* a perpetrator's stated age */
#define REFERRAL_AGE_MAX		120

enum consent {
	CONSENT_GIVEN = 0,
	CONSENT_REFUSED,
	CONSENT_NOT_SOUGHT
};

/* An optional yes/no: not being told is not the same as "no". */
enum flag {
	FLAG_UNKNOWN = 0,
	FLAG_NO,
	FLAG_YES
};

/*
 * The optional equality fields (docs/statistics.md): never required,
 * "not known" when absent.  Codes from referral_gender_name() and the
 * like; the lists are the contract (docs/openapi.json).
 */
enum gender {
	GENDER_NOT_KNOWN = 0,
	GENDER_FEMALE,
	GENDER_MALE,
	GENDER_NON_BINARY,
	GENDER_SELF_DESCRIBED,	/* with a description in the person's words */
	GENDER_PREFER_NOT_TO_SAY
};

/* The ONS 2021 census categories (England and Wales), self-identified. */
enum ethnicity {
	ETHNICITY_NOT_KNOWN = 0,
	ETHNICITY_PREFER_NOT_TO_SAY,
	ETHNICITY_ASIAN_BANGLADESHI,
	ETHNICITY_ASIAN_CHINESE,
	ETHNICITY_ASIAN_INDIAN,
	ETHNICITY_ASIAN_PAKISTANI,
	ETHNICITY_ASIAN_OTHER,
	ETHNICITY_BLACK_AFRICAN,
	ETHNICITY_BLACK_CARIBBEAN,
	ETHNICITY_BLACK_OTHER,
	ETHNICITY_MIXED_WHITE_ASIAN,
	ETHNICITY_MIXED_WHITE_BLACK_AFRICAN,
	ETHNICITY_MIXED_WHITE_BLACK_CARIBBEAN,
	ETHNICITY_MIXED_OTHER,
	ETHNICITY_WHITE_BRITISH,
	ETHNICITY_WHITE_IRISH,
	ETHNICITY_WHITE_GYPSY_TRAVELLER,
	ETHNICITY_WHITE_ROMA,
	ETHNICITY_WHITE_OTHER,
	ETHNICITY_OTHER_ARAB,
	ETHNICITY_OTHER_ANY
};
#define ETHNICITY_COUNT		21

/* A yes/no that the person may decline to answer. */
enum answer4 {
	ANSWER4_NOT_KNOWN = 0,
	ANSWER4_YES,
	ANSWER4_NO,
	ANSWER4_PREFER_NOT_TO_SAY
};

/* Names in this order from referral_lawful_basis_names(). */
enum lawful_basis {
	LAWFUL_BASIS_CDA_S115	= 1 << 0, /* crime_and_disorder_act_s115 */
	LAWFUL_BASIS_DPA_PART3	= 1 << 1, /* dpa_2018_part3 */
	LAWFUL_BASIS_DPA_SCH8	= 1 << 2, /* dpa_2018_sch8_safeguarding */
	LAWFUL_BASIS_CARE_ACT	= 1 << 3, /* care_act_2014 */
	LAWFUL_BASIS_HRA	= 1 << 4, /* human_rights_act_art2_art3 */
	LAWFUL_BASIS_COMMON_LAW	= 1 << 5  /* common_law */
};
#define LAWFUL_BASIS_COUNT	6

/* Absent optional strings are NULL. */
struct referrer {
	char	*name;
	char	*email;
	char	*phone;
};

struct victim {
	char		*name;
	date_t		 dob;
	enum gender	 gender;
	char		*gender_description;	/* GENDER_SELF_DESCRIBED only */
	char		*postcode;
	enum ethnicity	 ethnicity;
	enum answer4	 disability;
	enum answer4	 lgbt;
	enum flag	 informed;	/* told of the referral */
};

struct perpetrator {
	char		*name;
	bool		 has_dob;
	date_t		 dob;
	enum gender	 gender;
	char		*gender_description;
	int		 age;		/* as stated, -1: not given */
	char		*relationship;
	enum flag	 in_custody;
	int		 mappa_level;	/* 0..3, -1: not given */
	enum flag	 on_drive;
	enum flag	 in_area;
};

struct child {
	char		*name;
	date_t		 dob;
	enum flag	 resident;
};

struct referral {
	char			*external_ref;
	char			*referring_agency;
	struct referrer		 referrer;
	char			*received_at;	/* RFC 3339, as sent */
	char			*area;
	enum forum		 forum_requested;
	bool			 domestic_abuse;
	bool			 stalking;
	bool			 urgent;
	struct victim		 victim;
	bool			 has_perpetrator;
	struct perpetrator	 perpetrator;
	size_t			 nchildren;
	struct child		 children[REFERRAL_CHILDREN_MAX];
	int			 children_in_household;	/* -1: not given */
	struct risk_input	 risk;	/* dash, sdash, judgement, ... */
	char			*judgement_reason;
	unsigned		 lawful_basis;	/* enum lawful_basis bits */
	enum consent		 consent;
	char			*summary;
};

enum referral_parse_result {
	REFERRAL_OK,
	REFERRAL_MALFORMED,	/* not JSON at all: HTTP 400 */
	REFERRAL_INVALID	/* JSON with field errors: HTTP 422 */
};

void	referral_init(struct referral *);
void	referral_free(struct referral *);

/*
 * Validates root into r.  today is the local date the request arrived
 * (dates after it are refused): the core never reads the clock.  Returns
 * false with errors appended to fe (initialised by the caller) and r
 * empty (freed) when anything is wrong.
 */
bool	referral_from_json(const cJSON *root, date_t today, struct referral *r,
	    struct field_errors *);

/*
 * For outside input: parses len bytes of text safely (jsonfield_parse),
 * then validates.  r is always safe to referral_free().
 */
enum referral_parse_result
	referral_parse(const char *text, size_t len, date_t today,
	    struct referral *r, struct field_errors *);

const char *referral_consent_name(enum consent);
const char *referral_gender_name(enum gender);
const char *referral_ethnicity_name(enum ethnicity);
const char *referral_answer4_name(enum answer4);
/* Black, Asian or racially minoritised (docs/statistics.md): the one place. */
bool	referral_ethnicity_minoritised(enum ethnicity);
/*
 * The perpetrator's age on date d (the referral's received date): from
 * the date of birth when known, else as stated, else -1.
 */
int	referral_perpetrator_age(const struct referral *, date_t d);
size_t	referral_lawful_basis_names(unsigned bases,
	    const char *names[LAWFUL_BASIS_COUNT]);

#endif

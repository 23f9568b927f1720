/*
 * Referral validation: walks ReferralInput of docs/openapi.json over a cJSON
 * tree, member by member, adding one field error per mistake.
 *
 * Decisions worth knowing:
 *  - Risk information is required: at least one of dash, sdash or
 *    professional_judgement.  Escalation and call-outs alone are facts
 *    about the case, not an assessment of it.
 *  - lawful_basis is a closed list with no "other": the decision record
 *    must name a specific basis, and a new one is a contract change.
 *  - Question numbers are canonical decimals: "1" is question one, "01",
 *    "0", "-1" and "abc" are errors, and so is any number past the last
 *    question of the checklist version named.
 *  - received_at is checked for syntax and real date and time parts and
 *    kept as sent; the shell turns it into an instant with PostgreSQL.
 *    Its date, in its own offset, may be at most one day after today
 *    (offsets span less than a day); the shell compares the instant.
 */
#include "core/referral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "core/jsonfield.h"
#include "core/instant.h"

static const char *const top_fields[] = {
	"external_ref", "referring_agency", "referrer", "received_at", "area",
	"forum_requested", "domestic_abuse", "stalking", "urgent", "victim",
	"perpetrator", "children", "dash", "sdash", "professional_judgement",
	"escalation", "police_callouts_12m", "lawful_basis", "consent",
	"summary", "children_in_household", NULL
};
static const char *const referrer_fields[] = {
	"name", "email", "phone", NULL
};
static const char *const victim_fields[] = {
	"name", "dob", "gender", "gender_description", "postcode", "ethnicity",
	"disability", "lgbt", "informed_of_referral", NULL
};
static const char *const perpetrator_fields[] = {
	"name", "dob", "gender", "gender_description", "age", "relationship",
	"in_custody", "mappa_level", "on_drive", "in_area", NULL
};
static const char *const child_fields[] = {
	"name", "dob", "resident", NULL
};
static const char *const dash_fields[] = { "version", "answers", NULL };
static const char *const sdash_fields[] = { "answers", NULL };
static const char *const judgement_fields[] = { "level", "reason", NULL };

/* Index + 1 is the enum forum. */
/* Index is the enum consent. */
static const char *const consent_names[] = {
	"given", "refused", "not_sought", NULL
};
/* Index is the enum gender. */
static const char *const gender_names[] = {
	"not_known", "female", "male", "non_binary", "self_described",
	"prefer_not_to_say", NULL
};
/* Index is the enum ethnicity. */
static const char *const ethnicity_names[ETHNICITY_COUNT + 1] = {
	"not_known", "prefer_not_to_say",
	"asian_bangladeshi", "asian_chinese", "asian_indian", "asian_pakistani",
	"asian_other",
	"black_african", "black_caribbean", "black_other",
	"mixed_white_asian", "mixed_white_black_african",
	"mixed_white_black_caribbean", "mixed_other",
	"white_british", "white_irish", "white_gypsy_traveller", "white_roma",
	"white_other",
	"other_arab", "other_any", NULL
};
/* Index is the enum answer4. */
static const char *const answer4_names[] = {
	"not_known", "yes", "no", "prefer_not_to_say", NULL
};
/* Index is the bit number of enum lawful_basis. */
static const char *const basis_names[LAWFUL_BASIS_COUNT + 1] = {
	"crime_and_disorder_act_s115", "dpa_2018_part3",
	"dpa_2018_sch8_safeguarding", "care_act_2014",
	"human_rights_act_art2_art3", "common_law", NULL
};

void
referral_init(struct referral *r)
{
	memset(r, 0, sizeof(*r));
	r->forum_requested = FORUM_NONE;
	r->perpetrator.mappa_level = -1;
	r->perpetrator.age = -1;
	r->children_in_household = -1;
	r->risk.dash_version = DASH_NONE;
	r->risk.police_callouts_12m = -1;
}

void
referral_free(struct referral *r)
{
	char *owned[] = {
		r->external_ref, r->referring_agency, r->referrer.name,
		r->referrer.email, r->referrer.phone, r->received_at, r->area,
		r->victim.name, r->victim.gender_description, r->victim.postcode,
		r->perpetrator.name, r->perpetrator.gender_description,
		r->perpetrator.relationship, r->judgement_reason, r->summary,
	};

	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		free(owned[i]);
	for (size_t i = 0; i < r->nchildren; i++)
		free(r->children[i].name);
	referral_init(r);
}

const char *
referral_consent_name(enum consent c)
{
	if (c < CONSENT_GIVEN || c > CONSENT_NOT_SOUGHT)
		return NULL;
	return consent_names[c];
}

const char *
referral_gender_name(enum gender g)
{
	if (g < GENDER_NOT_KNOWN || g > GENDER_PREFER_NOT_TO_SAY)
		return NULL;
	return gender_names[g];
}

const char *
referral_ethnicity_name(enum ethnicity e)
{
	if (e < ETHNICITY_NOT_KNOWN || e >= ETHNICITY_COUNT)
		return NULL;
	return ethnicity_names[e];
}

const char *
referral_answer4_name(enum answer4 a)
{
	if (a < ANSWER4_NOT_KNOWN || a > ANSWER4_PREFER_NOT_TO_SAY)
		return NULL;
	return answer4_names[a];
}

/*
 * SafeLives counts victims who are Black, Asian or racially minoritised:
 * every category but White British, White Irish and Any other White
 * background (the groups the census counts as White and not otherwise
 * minoritised).  Gypsy or Irish Traveller and Roma are counted in: they
 * are minoritised ethnic groups.  Not known and prefer not to say are not.
 */
bool
referral_ethnicity_minoritised(enum ethnicity e)
{
	switch (e) {
	case ETHNICITY_NOT_KNOWN:
	case ETHNICITY_PREFER_NOT_TO_SAY:
	case ETHNICITY_WHITE_BRITISH:
	case ETHNICITY_WHITE_IRISH:
	case ETHNICITY_WHITE_OTHER:
		return false;
	default:
		return e > ETHNICITY_PREFER_NOT_TO_SAY && e < ETHNICITY_COUNT;
	}
}

int
referral_perpetrator_age(const struct referral *r, date_t d)
{
	if (!r->has_perpetrator)
		return -1;
	if (r->perpetrator.has_dob)
		return date_age_on(r->perpetrator.dob, d);
	return r->perpetrator.age;
}

size_t
referral_lawful_basis_names(unsigned bases,
    const char *names[LAWFUL_BASIS_COUNT])
{
	size_t n = 0;

	for (int i = 0; i < LAWFUL_BASIS_COUNT; i++)
		if (bases & (1u << i))
			names[n++] = basis_names[i];
	return n;
}

static void
read_flag(const cJSON *obj, const char *prefix, const char *key,
    enum flag *out, struct field_errors *fe)
{
	bool b;

	if (jsonfield_bool(obj, prefix, key, 0, &b, fe) == JSONFIELD_OK)
		*out = b ? FLAG_YES : FLAG_NO;
}

/* An optional closed list: absent leaves the default, "not known". */
static void
read_choice(const cJSON *obj, const char *prefix, const char *key,
    const char *const *names, int *out, struct field_errors *fe)
{
	int v;

	if (jsonfield_choice(obj, prefix, key, 0, names, &v, fe) ==
	    JSONFIELD_OK)
		*out = v;
}

/*
 * Gender from the list, and the person's own words only with
 * self_described (the description is kept as written, never counted).
 */
static void
read_gender(const cJSON *obj, const char *prefix, enum gender *g,
    char **description, struct field_errors *fe)
{
	char	 path[FIELD_PATH_MAX];
	int	 v = GENDER_NOT_KNOWN;

	read_choice(obj, prefix, "gender", gender_names, &v, fe);
	*g = (enum gender)v;
	if (jsonfield_string(obj, prefix, "gender_description", 0,
	    REFERRAL_LABEL_MAX, description, fe) == JSONFIELD_OK &&
	    *g != GENDER_SELF_DESCRIBED) {
		jsonfield_path(path, prefix, "gender_description");
		field_errors_add(fe, path,
		    "is only for a gender of self_described");
	}
}

/* A person's name must leave an identity key to match people on. */
static void
read_name(const cJSON *obj, const char *prefix, char **out,
    struct field_errors *fe)
{
	char key[IDENTITY_KEY_MAX], path[FIELD_PATH_MAX];

	if (jsonfield_string(obj, prefix, "name", JSONFIELD_REQUIRED,
	    REFERRAL_NAME_MAX, out, fe) != JSONFIELD_OK)
		return;
	if (!identity_key(*out, 0, key, sizeof(key))) {
		jsonfield_path(path, prefix, "name");
		field_errors_add(fe, path, "must contain a letter or a digit");
	}
}

/* Checks a string already read against an allowed alphabet. */
static void
check_chars(const char *s, const char *allowed, const char *prefix,
    const char *key, const char *reason, struct field_errors *fe)
{
	char path[FIELD_PATH_MAX];

	if (s == NULL || s[strspn(s, allowed)] == '\0')
		return;
	jsonfield_path(path, prefix, key);
	field_errors_add(fe, path, "%s", reason);
}

static bool
email_plausible(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	dot = strrchr(at, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0' &&
	    strpbrk(s, " \t") == NULL;
}

static void
read_referrer(const cJSON *root, struct referral *r, struct field_errors *fe)
{
	struct referrer	*rf = &r->referrer;
	const cJSON	*o;

	if (jsonfield_object(root, "", "referrer", 0, &o, fe) != JSONFIELD_OK)
		return;
	jsonfield_members(o, "referrer", referrer_fields, fe);
	jsonfield_string(o, "referrer", "name", JSONFIELD_REQUIRED,
	    REFERRAL_NAME_MAX, &rf->name, fe);
	if (jsonfield_string(o, "referrer", "email", 0, REFERRAL_EMAIL_MAX,
	    &rf->email, fe) == JSONFIELD_OK && !email_plausible(rf->email))
		field_errors_add(fe, "referrer.email",
		    "must be an email address");
	jsonfield_string(o, "referrer", "phone", 0, REFERRAL_PHONE_MAX,
	    &rf->phone, fe);
	check_chars(rf->phone, "0123456789 +-()", "referrer", "phone",
	    "must be a phone number: digits, spaces, +, -, ( and )", fe);
}

static void
read_victim(const cJSON *root, date_t today, struct referral *r,
    struct field_errors *fe)
{
	struct victim	*v = &r->victim;
	const cJSON	*o;
	int		 x;

	if (jsonfield_object(root, "", "victim", JSONFIELD_REQUIRED, &o,
	    fe) != JSONFIELD_OK)
		return;
	jsonfield_members(o, "victim", victim_fields, fe);
	read_name(o, "victim", &v->name, fe);
	jsonfield_date(o, "victim", "dob", JSONFIELD_REQUIRED, today, &v->dob,
	    fe);
	read_gender(o, "victim", &v->gender, &v->gender_description, fe);
	jsonfield_string(o, "victim", "postcode", 0, REFERRAL_POSTCODE_MAX,
	    &v->postcode, fe);
	x = ETHNICITY_NOT_KNOWN;
	read_choice(o, "victim", "ethnicity", ethnicity_names, &x, fe);
	v->ethnicity = (enum ethnicity)x;
	x = ANSWER4_NOT_KNOWN;
	read_choice(o, "victim", "disability", answer4_names, &x, fe);
	v->disability = (enum answer4)x;
	x = ANSWER4_NOT_KNOWN;
	read_choice(o, "victim", "lgbt", answer4_names, &x, fe);
	v->lgbt = (enum answer4)x;
	read_flag(o, "victim", "informed_of_referral", &v->informed, fe);
	check_chars(v->postcode, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789 ", "victim", "postcode",
	    "must be a postcode: letters, digits and spaces", fe);
}

static void
read_perpetrator(const cJSON *root, date_t today, struct referral *r,
    struct field_errors *fe)
{
	struct perpetrator	*p = &r->perpetrator;
	const cJSON		*o;
	const char		*at = "perpetrator";

	if (jsonfield_object(root, "", at, 0, &o, fe) != JSONFIELD_OK)
		return;
	r->has_perpetrator = true;
	jsonfield_members(o, at, perpetrator_fields, fe);
	read_name(o, at, &p->name, fe);
	/* Often unknown (a stalker's age, say); without it there is no key. */
	p->has_dob = jsonfield_date(o, at, "dob", 0, today, &p->dob, fe) ==
	    JSONFIELD_OK;
	read_gender(o, at, &p->gender, &p->gender_description, fe);
	jsonfield_int(o, at, "age", 0, REFERRAL_AGE_MIN, REFERRAL_AGE_MAX,
	    &p->age, fe);
	jsonfield_string(o, at, "relationship", 0, REFERRAL_LABEL_MAX,
	    &p->relationship, fe);
	read_flag(o, at, "in_custody", &p->in_custody, fe);
	jsonfield_int(o, at, "mappa_level", 0, 0, 3, &p->mappa_level, fe);
	read_flag(o, at, "on_drive", &p->on_drive, fe);
	read_flag(o, at, "in_area", &p->in_area, fe);
}

static void
read_children(const cJSON *root, date_t today, struct referral *r,
    struct field_errors *fe)
{
	char		 at[FIELD_PATH_MAX];
	const cJSON	*a, *c;
	int		 i = 0;

	if (jsonfield_array(root, "", "children", 0, &a, fe) != JSONFIELD_OK)
		return;
	if (cJSON_GetArraySize(a) > REFERRAL_CHILDREN_MAX) {
		field_errors_add(fe, "children", "must have at most %d entries",
		    REFERRAL_CHILDREN_MAX);
		return;
	}
	cJSON_ArrayForEach(c, a) {
		struct child *ch;

		snprintf(at, sizeof(at), "children[%d]", i++);
		if (!cJSON_IsObject(c)) {
			field_errors_add(fe, at, "must be an object");
			continue;
		}
		ch = &r->children[r->nchildren++];
		jsonfield_members(c, at, child_fields, fe);
		read_name(c, at, &ch->name, fe);
		jsonfield_date(c, at, "dob", JSONFIELD_REQUIRED, today,
		    &ch->dob, fe);
		read_flag(c, at, "resident", &ch->resident, fe);
	}
}

/*
 * A question number: "1" to "max" in canonical decimal.  Returns 0 when
 * the key is no number at all and -1 when it is past max.
 */
static int
question_number(const char *s, int max)
{
	int n = 0;

	if (s[0] < '1' || s[0] > '9')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		if (n <= max)
			n = n * 10 + (*s - '0');
	}
	return n > max ? -1 : n;
}

static void
read_answers(const cJSON *answers, const char *at, const char *checklist,
    int max, enum answer *out, struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*m;
	int		 q;

	cJSON_ArrayForEach(m, answers) {
		jsonfield_path(path, at, m->string);
		if ((q = question_number(m->string, max)) == 0)
			field_errors_add(fe, path, "is not a question number "
			    "(1 to %d, no sign or leading zero)", max);
		else if (q < 0)
			field_errors_add(fe, path, "is not a question of %s "
			    "(1 to %d)", checklist, max);
		else if (out[q] != ANSWER_NONE)
			field_errors_add(fe, path, "appears more than once");
		else if (cJSON_IsBool(m))
			out[q] = cJSON_IsTrue(m) ? ANSWER_YES : ANSWER_NO;
		else if (!cJSON_IsNull(m))
			field_errors_add(fe, path, "must be true or false");
	}
}

static void
read_dash(const cJSON *root, struct referral *r, struct field_errors *fe)
{
	const char	*names[] = {
		dash_version_name(DASH_2009),
		dash_version_name(DASH_SAFELIVES_RIC),
		dash_version_name(DASH_GLOS_2018), NULL
	};
	const cJSON	*o, *a;
	const char	*checklist = "any DASH checklist";
	int		 v, max = DASH_QUESTIONS_MAX;

	if (jsonfield_object(root, "", "dash", 0, &o, fe) != JSONFIELD_OK)
		return;
	jsonfield_members(o, "dash", dash_fields, fe);
	if (jsonfield_choice(o, "dash", "version", JSONFIELD_REQUIRED, names,
	    &v, fe) == JSONFIELD_OK) {
		r->risk.dash_version = (enum dash_version)(v + 1);
		checklist = names[v];
		max = dash_version_questions(r->risk.dash_version);
	}
	if (jsonfield_object(o, "dash", "answers", JSONFIELD_REQUIRED, &a,
	    fe) == JSONFIELD_OK)
		read_answers(a, "dash.answers", checklist, max, r->risk.dash,
		    fe);
}

static void
read_sdash(const cJSON *root, struct referral *r, struct field_errors *fe)
{
	const cJSON *o, *a;

	if (jsonfield_object(root, "", "sdash", 0, &o, fe) != JSONFIELD_OK)
		return;
	r->risk.has_sdash = true;
	jsonfield_members(o, "sdash", sdash_fields, fe);
	if (jsonfield_object(o, "sdash", "answers", JSONFIELD_REQUIRED, &a,
	    fe) == JSONFIELD_OK)
		read_answers(a, "sdash.answers", "S-DASH", SDASH_QUESTIONS,
		    r->risk.sdash, fe);
}

static void
read_judgement(const cJSON *root, struct referral *r,
    struct field_errors *fe)
{
	const char	*names[] = {
		dash_risk_level_name(RISK_STANDARD),
		dash_risk_level_name(RISK_MEDIUM),
		dash_risk_level_name(RISK_HIGH), NULL
	};
	const char	*at = "professional_judgement";
	const cJSON	*o;
	int		 level;
	bool		 reason;

	if (jsonfield_object(root, "", at, 0, &o, fe) != JSONFIELD_OK)
		return;
	jsonfield_members(o, at, judgement_fields, fe);
	reason = jsonfield_string(o, at, "reason", JSONFIELD_MULTILINE,
	    REFERRAL_REASON_MAX, &r->judgement_reason, fe) != JSONFIELD_ABSENT;
	if (jsonfield_choice(o, at, "level", JSONFIELD_REQUIRED, names, &level,
	    fe) != JSONFIELD_OK)
		return;
	r->risk.has_judgement = true;
	r->risk.judgement = (enum risk_level)level;
	if (level == RISK_HIGH && !reason)
		field_errors_add(fe, "professional_judgement.reason",
		    "is required when the level is high");
}

static void
read_lawful_basis(const cJSON *root, struct referral *r,
    struct field_errors *fe)
{
	char		 path[FIELD_PATH_MAX];
	const cJSON	*a, *e;
	int		 i = 0, b;

	if (jsonfield_array(root, "", "lawful_basis", JSONFIELD_REQUIRED, &a,
	    fe) != JSONFIELD_OK)
		return;
	if (a->child == NULL)
		field_errors_add(fe, "lawful_basis",
		    "must name at least one lawful basis for sharing");
	cJSON_ArrayForEach(e, a) {
		snprintf(path, sizeof(path), "lawful_basis[%d]", i++);
		if (jsonfield_choice_value(e, path, basis_names, &b, fe) !=
		    JSONFIELD_OK)
			continue;
		if (r->lawful_basis & (1u << b))
			field_errors_add(fe, path, "is listed more than once");
		r->lawful_basis |= 1u << b;
	}
}

static void
read_received_at(const cJSON *root, date_t today, struct referral *r,
    struct field_errors *fe)
{
	date_t d;

	if (jsonfield_string(root, "", "received_at", 0, REFERRAL_INSTANT_MAX,
	    &r->received_at, fe) != JSONFIELD_OK)
		return;
	if (!instant_parse(r->received_at, INSTANT_RFC3339, NULL, &d))
		field_errors_add(fe, "received_at", "must be an RFC 3339 date "
		    "and time with an offset, like 2026-11-20T10:15:00Z");
	else if (d > today + 1)
		field_errors_add(fe, "received_at",
		    "must not be in the future");
}

static void
read_case(const cJSON *root, struct referral *r, struct field_errors *fe)
{
	int forum;

	jsonfield_string(root, "", "external_ref", 0,
	    REFERRAL_EXTERNAL_REF_MAX, &r->external_ref, fe);
	jsonfield_code(root, "", "referring_agency", JSONFIELD_REQUIRED,
	    REFERRAL_CODE_MAX, &r->referring_agency, fe);
	jsonfield_code(root, "", "area", 0, REFERRAL_CODE_MAX, &r->area, fe);
	if (jsonfield_choice(root, "", "forum_requested", 0, forum_codes,
	    &forum, fe) == JSONFIELD_OK)
		r->forum_requested = (enum forum)(forum + 1);
	jsonfield_bool(root, "", "domestic_abuse", JSONFIELD_REQUIRED,
	    &r->domestic_abuse, fe);
	jsonfield_bool(root, "", "stalking", JSONFIELD_REQUIRED, &r->stalking,
	    fe);
	jsonfield_bool(root, "", "urgent", 0, &r->urgent, fe);
	jsonfield_int(root, "", "children_in_household", 0, 0,
	    REFERRAL_HOUSEHOLD_MAX, &r->children_in_household, fe);
	jsonfield_string(root, "", "summary", JSONFIELD_MULTILINE,
	    REFERRAL_SUMMARY_MAX, &r->summary, fe);
}

static void
read_risk(const cJSON *root, struct referral *r, struct field_errors *fe)
{
	if (jsonfield_get(root, "dash") == NULL &&
	    jsonfield_get(root, "sdash") == NULL &&
	    jsonfield_get(root, "professional_judgement") == NULL)
		field_errors_add(fe, "dash", "a risk assessment is required: "
		    "dash, sdash or professional_judgement");
	read_dash(root, r, fe);
	read_sdash(root, r, fe);
	read_judgement(root, r, fe);
	jsonfield_bool(root, "", "escalation", 0, &r->risk.escalation, fe);
	jsonfield_int(root, "", "police_callouts_12m", 0, 0,
	    REFERRAL_CALLOUTS_MAX, &r->risk.police_callouts_12m, fe);
}

bool
referral_from_json(const cJSON *root, date_t today, struct referral *r,
    struct field_errors *fe)
{
	size_t	 before = fe->total;
	int	 consent;

	referral_init(r);
	if (root == NULL || !cJSON_IsObject(root)) {
		field_errors_add(fe, "$", "must be a JSON object");
		return false;
	}
	jsonfield_members(root, "", top_fields, fe);
	read_case(root, r, fe);
	read_referrer(root, r, fe);
	read_received_at(root, today, r, fe);
	read_victim(root, today, r, fe);
	read_perpetrator(root, today, r, fe);
	read_children(root, today, r, fe);
	read_risk(root, r, fe);
	read_lawful_basis(root, r, fe);
	if (jsonfield_choice(root, "", "consent", JSONFIELD_REQUIRED,
	    consent_names, &consent, fe) == JSONFIELD_OK)
		r->consent = (enum consent)consent;
	if (fe->total == before)
		return true;
	referral_free(r);
	return false;
}

enum referral_parse_result
referral_parse(const char *text, size_t len, date_t today, struct referral *r,
    struct field_errors *fe)
{
	cJSON	*root;
	bool	 ok;

	referral_init(r);
	if ((root = jsonfield_parse(text, len)) == NULL)
		return REFERRAL_MALFORMED;
	ok = referral_from_json(root, today, r, fe);
	cJSON_Delete(root);
	return ok ? REFERRAL_OK : REFERRAL_INVALID;
}

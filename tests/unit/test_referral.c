/*
 * Referral validation: a realistic example, then one mutation per case
 * with the field path it must produce, then the harder properties: all
 * errors collected, unknown fields at every level, hostile text verbatim.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/referral.h"
#include "unit_date.h"

/* A referral of ReferralInput's shape (docs/openapi.json), high-risk DA. */
static const char base_json[] =
"{"
"  \"external_ref\": \"POL-2026-000123\","
"  \"referring_agency\": \"police\","
"  \"referrer\": {\"name\": \"DC Smith\", \"email\": \"x@agency.example\","
"                \"phone\": \"01234 567890\"},"
"  \"received_at\": \"2026-11-20T10:15:00Z\","
"  \"area\": \"cumbria\","
"  \"forum_requested\": null,"
"  \"domestic_abuse\": true,"
"  \"stalking\": true,"
"  \"urgent\": false,"
"  \"victim\": {\"name\": \"Jane Doe\", \"dob\": \"1990-02-01\","
"              \"gender\": \"female\", \"postcode\": \"CA1 1AA\"},"
"  \"perpetrator\": {\"name\": \"John Roe\", \"dob\": \"1985-05-05\","
"                   \"gender\": \"male\", \"relationship\": \"ex-partner\","
"                   \"in_custody\": false, \"mappa_level\": 0,"
"                   \"on_drive\": false, \"in_area\": true},"
"  \"children\": [{\"name\": \"A Doe\", \"dob\": \"2015-01-01\","
"                 \"resident\": true},"
"                {\"name\": \"B Doe\", \"dob\": \"2018-06-30\"}],"
"  \"dash\": {\"version\": \"dash-2009\","
"           \"answers\": {\"1\": true, \"2\": false, \"27\": true}},"
"  \"sdash\": {\"answers\": {\"1\": true, \"11\": false}},"
"  \"professional_judgement\": {\"level\": \"high\", \"reason\": \"threats\"},"
"  \"escalation\": false,"
"  \"police_callouts_12m\": 2,"
"  \"lawful_basis\": [\"crime_and_disorder_act_s115\", \"common_law\"],"
"  \"consent\": \"not_sought\","
"  \"summary\": \"free text\\nsecond line\""
"}";

static date_t today;

static cJSON *
base(void)
{
	cJSON *root = cJSON_Parse(base_json);

	ck_assert_ptr_nonnull(root);
	return root;
}

/*
 * Sets (or with value NULL deletes) a member by a path such as
 * "victim.dob" or "children[1].dob"; value is JSON text.
 */
static void
set(cJSON *root, const char *path, const char *value)
{
	char	 buf[256], *seg, *next, *br;
	cJSON	*at = root, *v;

	snprintf(buf, sizeof(buf), "%s", path);
	for (seg = buf; (next = strchr(seg, '.')) != NULL; seg = next + 1) {
		*next = '\0';
		if ((br = strchr(seg, '[')) != NULL) {
			*br = '\0';
			at = cJSON_GetObjectItemCaseSensitive(at, seg);
			at = cJSON_GetArrayItem(at, atoi(br + 1));
		} else
			at = cJSON_GetObjectItemCaseSensitive(at, seg);
		ck_assert_msg(at != NULL, "no %s in %s", seg, path);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(at, seg);
	if (value == NULL)
		return;
	v = cJSON_Parse(value);
	ck_assert_msg(v != NULL, "bad test value %s", value);
	cJSON_AddItemToObject(at, seg, v);
}

static bool
validate(const cJSON *root, struct referral *r, struct field_errors *fe)
{
	field_errors_init(fe);
	return referral_from_json(root, today, r, fe);
}

static void
dump(const struct field_errors *fe)
{
	for (size_t i = 0; i < fe->count; i++)
		fprintf(stderr, "  %s: %s\n", fe->items[i].field,
		    fe->items[i].reason);
}

START_TEST(test_valid_example)
{
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();
	const char		*bases[LAWFUL_BASIS_COUNT];

	ck_assert(validate(root, &r, &fe));
	cJSON_Delete(root);	/* the referral owns copies */
	ck_assert_str_eq(r.external_ref, "POL-2026-000123");
	ck_assert_str_eq(r.referring_agency, "police");
	ck_assert_str_eq(r.referrer.name, "DC Smith");
	ck_assert_str_eq(r.referrer.email, "x@agency.example");
	ck_assert_str_eq(r.referrer.phone, "01234 567890");
	ck_assert_str_eq(r.received_at, "2026-11-20T10:15:00Z");
	ck_assert_str_eq(r.area, "cumbria");
	ck_assert_int_eq(r.forum_requested, FORUM_NONE);
	ck_assert(r.domestic_abuse && r.stalking && !r.urgent);
	ck_assert_str_eq(r.victim.name, "Jane Doe");
	ck_assert_int_eq(r.victim.dob, D("1990-02-01"));
	ck_assert_int_eq(r.victim.gender, GENDER_FEMALE);
	ck_assert_ptr_null(r.victim.gender_description);
	ck_assert_int_eq(r.victim.ethnicity, ETHNICITY_NOT_KNOWN);
	ck_assert_int_eq(r.victim.disability, ANSWER4_NOT_KNOWN);
	ck_assert_int_eq(r.victim.lgbt, ANSWER4_NOT_KNOWN);
	ck_assert_int_eq(r.victim.informed, FLAG_UNKNOWN);
	ck_assert_int_eq(r.perpetrator.gender, GENDER_MALE);
	ck_assert_int_eq(r.perpetrator.age, -1);
	ck_assert_int_eq(r.children_in_household, -1);
	ck_assert_str_eq(r.victim.postcode, "CA1 1AA");
	ck_assert(r.has_perpetrator && r.perpetrator.has_dob);
	ck_assert_str_eq(r.perpetrator.name, "John Roe");
	ck_assert_str_eq(r.perpetrator.relationship, "ex-partner");
	ck_assert_int_eq(r.perpetrator.in_custody, FLAG_NO);
	ck_assert_int_eq(r.perpetrator.mappa_level, 0);
	ck_assert_int_eq(r.perpetrator.on_drive, FLAG_NO);
	ck_assert_int_eq(r.perpetrator.in_area, FLAG_YES);
	ck_assert_uint_eq(r.nchildren, 2);
	ck_assert_str_eq(r.children[1].name, "B Doe");
	ck_assert_int_eq(r.children[0].resident, FLAG_YES);
	ck_assert_int_eq(r.children[1].resident, FLAG_UNKNOWN);
	ck_assert_int_eq(r.risk.dash_version, DASH_2009);
	ck_assert_int_eq(r.risk.dash[1], ANSWER_YES);
	ck_assert_int_eq(r.risk.dash[2], ANSWER_NO);
	ck_assert_int_eq(r.risk.dash[3], ANSWER_NONE);
	ck_assert_int_eq(r.risk.dash[27], ANSWER_YES);
	ck_assert(r.risk.has_sdash);
	ck_assert_int_eq(r.risk.sdash[11], ANSWER_NO);
	ck_assert(r.risk.has_judgement);
	ck_assert_int_eq(r.risk.judgement, RISK_HIGH);
	ck_assert_str_eq(r.judgement_reason, "threats");
	ck_assert(!r.risk.escalation);
	ck_assert_int_eq(r.risk.police_callouts_12m, 2);
	ck_assert_uint_eq(referral_lawful_basis_names(r.lawful_basis, bases),
	    2);
	ck_assert_str_eq(bases[0], "crime_and_disorder_act_s115");
	ck_assert_str_eq(bases[1], "common_law");
	ck_assert_int_eq(r.consent, CONSENT_NOT_SOUGHT);
	ck_assert_str_eq(r.summary, "free text\nsecond line");
	referral_free(&r);
	referral_free(&r);	/* harmless twice */
}
END_TEST

/* The least a referral can be. */
START_TEST(test_minimal)
{
	static const char text[] = "{\"referring_agency\": \"idva\","
	    "\"victim\": {\"name\": \"Jane Doe\", \"dob\": \"2000-02-29\"},"
	    "\"domestic_abuse\": false, \"stalking\": true,"
	    "\"sdash\": {\"answers\": {}},"
	    "\"lawful_basis\": [\"dpa_2018_part3\"], \"consent\": \"given\"}";
	struct field_errors	 fe;
	struct referral		 r;

	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(text, strlen(text), today, &r, &fe),
	    REFERRAL_OK);
	ck_assert_ptr_null(r.external_ref);
	ck_assert_ptr_null(r.received_at);
	ck_assert(!r.has_perpetrator);
	ck_assert_uint_eq(r.nchildren, 0);
	ck_assert_int_eq(r.risk.dash_version, DASH_NONE);
	ck_assert_int_eq(r.risk.police_callouts_12m, -1);
	ck_assert_int_eq(r.perpetrator.mappa_level, -1);
	ck_assert_int_eq(r.victim.dob, D("2000-02-29"));
	referral_free(&r);
}
END_TEST

/* One mutation of the base, one error on path.  NULL value deletes. */
static const struct bad_case {
	const char	*path;
	const char	*value;
	const char	*error;		/* the path of the one error */
	const char	*reason;	/* a part of its reason */
} bad_cases[] = {
	{ "referring_agency", NULL, "referring_agency", "required" },
	{ "referring_agency", "\"Police\"", "referring_agency", "a-z" },
	{ "referring_agency", "\"\"", "referring_agency", "code" },
	{ "referring_agency",
	    "\"abcdefghijklmnopqrstuvwxyz0123456\"", "referring_agency", "32" },
	{ "area", "\"north area\"", "area", "code" },
	{ "external_ref", "12", "external_ref", "string" },
	{ "domestic_abuse", NULL, "domestic_abuse", "required" },
	{ "domestic_abuse", "\"true\"", "domestic_abuse", "true or false" },
	{ "stalking", "1", "stalking", "true or false" },
	{ "urgent", "\"no\"", "urgent", "true or false" },
	{ "consent", NULL, "consent", "required" },
	{ "consent", "\"maybe\"", "consent", "given, refused, not_sought" },
	{ "forum_requested", "\"mrac\"", "forum_requested", "marac, masc" },
	{ "forum_requested", "false", "forum_requested", "one of" },
	{ "summery", "\"typo\"", "summery", "not a known field" },
	{ "victim", NULL, "victim", "required" },
	{ "victim", "null", "victim", "required" },
	{ "victim", "\"Jane\"", "victim", "object" },
	{ "victim.name", NULL, "victim.name", "required" },
	{ "victim.name", "\"\"", "victim.name", "empty" },
	{ "victim.name", "\"   \"", "victim.name", "blank" },
	{ "victim.name", "\"!!!\"", "victim.name", "letter" },
	{ "victim.name", "\"Jane\\tDoe\"", "victim.name", "control" },
	{ "victim.name", "[\"Jane\"]", "victim.name", "string" },
	{ "victim.dob", NULL, "victim.dob", "required" },
	{ "victim.dob", "\"2026-02-30\"", "victim.dob", "real calendar date" },
	{ "victim.dob", "\"2001-02-29\"", "victim.dob", "real calendar date" },
	{ "victim.dob", "\"01/02/1990\"", "victim.dob", "YYYY-MM-DD" },
	{ "victim.dob", "\"2026-11-26\"", "victim.dob", "after today" },
	{ "victim.nickname", "\"JD\"", "victim.nickname", "not a known" },
	{ "victim.postcode", "\"CA1 <1AA\"", "victim.postcode", "postcode" },
	{ "victim.gender", "\"Female\"", "victim.gender", "female, male" },
	{ "victim.gender_description", "\"agender\"",
	    "victim.gender_description", "self_described" },
	{ "victim.ethnicity", "\"white\"", "victim.ethnicity", "asian_bangladeshi" },
	{ "victim.disability", "true", "victim.disability", "yes, no" },
	{ "victim.lgbt", "\"maybe\"", "victim.lgbt", "prefer_not_to_say" },
	{ "victim.informed_of_referral", "\"yes\"",
	    "victim.informed_of_referral", "true or false" },
	{ "perpetrator.gender", "\"man\"", "perpetrator.gender", "one of" },
	{ "perpetrator.age", "9", "perpetrator.age", "10" },
	{ "perpetrator.age", "121", "perpetrator.age", "120" },
	{ "children_in_household", "-1", "children_in_household", "0" },
	{ "children_in_household", "31", "children_in_household", "30" },
	{ "victim.postcode", "\"CA1 1AA CA1 1AA\"", "victim.postcode", "10" },
	{ "referrer.name", NULL, "referrer.name", "required" },
	{ "referrer.rank", "\"DC\"", "referrer.rank", "not a known" },
	{ "referrer.email", "\"nope\"", "referrer.email", "email" },
	{ "referrer.email", "\"a@b\"", "referrer.email", "email" },
	{ "referrer.phone", "\"call me\"", "referrer.phone", "phone" },
	{ "received_at", "\"2026-11-20\"", "received_at", "RFC 3339" },
	{ "received_at", "\"2026-11-20 10:15:00Z\"", "received_at", "RFC" },
	{ "received_at", "\"2026-11-20T10:15:00\"", "received_at", "offset" },
	{ "received_at", "\"2026-02-30T10:15:00Z\"", "received_at", "RFC" },
	{ "received_at", "\"2026-11-20T24:00:00Z\"", "received_at", "RFC" },
	{ "received_at", "\"2026-11-20T10:60:00Z\"", "received_at", "RFC" },
	{ "received_at", "\"2026-11-20T10:15:60Z\"", "received_at", "RFC" },
	{ "received_at", "\"2026-11-20T10:15:00+24:00\"", "received_at",
	    "RFC" },
	{ "received_at", "\"2026-11-20T10:15:00.Z\"", "received_at", "RFC" },
	{ "received_at", "\"2026-11-20T10:15:00.1234567890Z\"", "received_at",
	    "RFC" },
	{ "received_at", "\"2026-11-20T10:15:00+0100\"", "received_at",
	    "RFC" },
	{ "received_at", "\"2026-11-20T10:15:00Zjunk\"", "received_at",
	    "RFC" },
	{ "received_at", "\"2026-11-27T00:00:00Z\"", "received_at", "future" },
	{ "perpetrator", "[]", "perpetrator", "object" },
	{ "perpetrator.name", NULL, "perpetrator.name", "required" },
	{ "perpetrator.in_custody", "\"no\"", "perpetrator.in_custody",
	    "true or false" },
	{ "perpetrator.mappa_level", "4", "perpetrator.mappa_level",
	    "0 to 3" },
	{ "perpetrator.mappa_level", "1.5", "perpetrator.mappa_level",
	    "whole number" },
	{ "perpetrator.shoe_size", "9", "perpetrator.shoe_size",
	    "not a known" },
	{ "children", "{}", "children", "array" },
	{ "children[1].dob", "\"2018-06-31\"", "children[1].dob", "date" },
	{ "children[0].name", NULL, "children[0].name", "required" },
	{ "children[0].age", "9", "children[0].age", "not a known" },
	{ "children[1].resident", "\"yes\"", "children[1].resident", "true" },
	{ "dash.version", NULL, "dash.version", "required" },
	{ "dash.version", "\"dash-2010\"", "dash.version", "dash-2009, " },
	{ "dash.answers", NULL, "dash.answers", "required" },
	{ "dash.answers", "[true]", "dash.answers", "object" },
	{ "dash.extra", "1", "dash.extra", "not a known" },
	{ "dash.answers.28", "true", "dash.answers.28", "dash-2009 (1 to 27)" },
	{ "dash.answers.0", "true", "dash.answers.0", "question number" },
	{ "dash.answers.-1", "true", "dash.answers.-1", "question number" },
	{ "dash.answers.01", "true", "dash.answers.01", "leading zero" },
	{ "dash.answers.abc", "true", "dash.answers.abc", "question number" },
	{ "dash.answers.1x", "true", "dash.answers.1x", "question number" },
	{ "dash.answers.99999999999", "true", "dash.answers.99999999999",
	    "dash-2009" },
	{ "dash.answers.3", "\"yes\"", "dash.answers.3", "true or false" },
	{ "dash.answers.3", "1", "dash.answers.3", "true or false" },
	{ "sdash.answers.12", "true", "sdash.answers.12", "S-DASH (1 to 11)" },
	{ "sdash.version", "\"s-dash\"", "sdash.version", "not a known" },
	{ "sdash.answers", NULL, "sdash.answers", "required" },
	{ "professional_judgement.reason", NULL,
	    "professional_judgement.reason",
	    "required when the level is high" },
	{ "professional_judgement.reason", "\"  \\n \"",
	    "professional_judgement.reason", "blank" },
	{ "professional_judgement.level", "\"severe\"",
	    "professional_judgement.level", "standard, medium, high" },
	{ "professional_judgement.level", NULL,
	    "professional_judgement.level", "required" },
	{ "professional_judgement.note", "\"x\"",
	    "professional_judgement.note", "not a known" },
	{ "escalation", "\"no\"", "escalation", "true or false" },
	{ "police_callouts_12m", "2.5", "police_callouts_12m", "whole number" },
	{ "police_callouts_12m", "-1", "police_callouts_12m", "0 to 1000" },
	{ "police_callouts_12m", "1001", "police_callouts_12m", "0 to 1000" },
	{ "police_callouts_12m", "1e400", "police_callouts_12m", "whole" },
	{ "police_callouts_12m", "\"3\"", "police_callouts_12m", "whole" },
	{ "police_callouts_12m", "true", "police_callouts_12m", "whole" },
	{ "lawful_basis", NULL, "lawful_basis", "required" },
	{ "lawful_basis", "[]", "lawful_basis", "at least one" },
	{ "lawful_basis", "\"common_law\"", "lawful_basis", "array" },
	{ "lawful_basis", "[\"other\"]", "lawful_basis[0]", "care_act_2014" },
	{ "lawful_basis", "[\"common_law\", 7]", "lawful_basis[1]", "one of" },
	{ "lawful_basis", "[\"common_law\", \"common_law\"]",
	    "lawful_basis[1]", "more than once" },
	{ "summary", "{\"text\": \"x\"}", "summary", "string" },
};

START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();

	set(root, c->path, c->value);
	if (validate(root, &r, &fe))
		ck_abort_msg("%s = %s was accepted", c->path, c->value);
	cJSON_Delete(root);
	if (fe.count != 1)
		dump(&fe);
	ck_assert_uint_eq(fe.count, 1);
	ck_assert_str_eq(fe.items[0].field, c->error);
	ck_assert_msg(strstr(fe.items[0].reason, c->reason) != NULL,
	    "%s: reason \"%s\" lacks \"%s\"", c->path, fe.items[0].reason,
	    c->reason);
	ck_assert_ptr_null(r.victim.name);	/* nothing kept on failure */
}
END_TEST

/* Mutations that must still be accepted. */
static const struct {
	const char	*path;
	const char	*value;
} good_cases[] = {
	{ "forum_requested", "\"marac\"" },
	{ "forum_requested", "\"masc\"" },
	{ "external_ref", "null" },
	{ "external_ref", NULL },
	{ "perpetrator", NULL },
	{ "perpetrator.dob", NULL },
	{ "children", NULL },
	{ "children", "[]" },
	{ "dash", NULL },
	{ "sdash", NULL },
	{ "dash.answers.3", "null" },
	{ "dash.answers", "{}" },
	{ "sdash.answers.11", "true" },
	{ "professional_judgement.level", "\"medium\"" },
	{ "professional_judgement", "{\"level\": \"standard\"}" },
	{ "professional_judgement", NULL },
	{ "police_callouts_12m", "0" },
	{ "police_callouts_12m", "1000" },
	{ "police_callouts_12m", "3.0" },
	{ "perpetrator.mappa_level", "3" },
	{ "received_at", "\"2026-11-20T10:15:00+01:00\"" },
	{ "received_at", "\"2026-11-20T10:15:00.123456789-05:30\"" },
	{ "received_at", "\"2026-11-20t10:15:00z\"" },
	{ "received_at", "\"2026-11-26T00:30:00+01:00\"" },
	{ "received_at", "\"2024-02-29T23:59:59Z\"" },
	{ "victim.dob", "\"2026-11-25\"" },
	{ "victim.dob", "\"2016-11-25\"" },	/* under 16: routing's call */
	{ "victim.dob", "\"2000-02-29\"" },
	{ "victim.name", "\"Zo\xc3\xab \xf0\x9f\x92\x9c\"" },
	{ "victim.name", "\"Zo\\u00eb\"" },
	{ "summary", "\"tabs\\tand\\r\\nnewlines\"" },
};

START_TEST(test_good)
{
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();

	set(root, good_cases[_i].path, good_cases[_i].value);
	if (!validate(root, &r, &fe)) {
		dump(&fe);
		ck_abort_msg("%s = %s was refused", good_cases[_i].path,
		    good_cases[_i].value);
	}
	cJSON_Delete(root);
	referral_free(&r);
}
END_TEST

/* Every checklist version: its last question is fine, the next is not. */
static const struct {
	const char	*version;
	const char	*last;
	const char	*past;
} version_cases[] = {
	{ "dash-2009", "27", "28" },
	{ "safelives-ric", "24", "25" },
	{ "glos-2018", "28", "29" },
};

START_TEST(test_versions)
{
	char			 v[64], path[64];
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();

	snprintf(v, sizeof(v), "\"%s\"", version_cases[_i].version);
	set(root, "dash.version", v);
	set(root, "dash.answers", "{}");
	snprintf(path, sizeof(path), "dash.answers.%s",
	    version_cases[_i].last);
	set(root, path, "true");
	ck_assert(validate(root, &r, &fe));
	ck_assert_int_eq(r.risk.dash[atoi(version_cases[_i].last)],
	    ANSWER_YES);
	referral_free(&r);
	snprintf(path, sizeof(path), "dash.answers.%s",
	    version_cases[_i].past);
	set(root, path, "false");
	ck_assert(!validate(root, &r, &fe));
	ck_assert_uint_eq(fe.count, 1);
	ck_assert_str_eq(fe.items[0].field, path);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_risk_required)
{
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();

	set(root, "dash", NULL);
	set(root, "sdash", NULL);
	set(root, "professional_judgement", "null");
	ck_assert(!validate(root, &r, &fe));
	ck_assert_uint_eq(fe.count, 1);
	ck_assert_str_eq(fe.items[0].field, "dash");
	ck_assert_ptr_nonnull(strstr(fe.items[0].reason, "sdash"));
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_all_errors_collected)
{
	static const char *const want[] = {
		"consent", "victim.dob", "dash.answers.28",
		"children[1].dob", "police_callouts_12m",
	};
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();

	set(root, "victim.dob", "\"1990-13-01\"");
	set(root, "dash.answers.28", "true");
	set(root, "children[1].dob", "\"2018-02-29\"");
	set(root, "police_callouts_12m", "2.5");
	set(root, "consent", "\"perhaps\"");
	ck_assert(!validate(root, &r, &fe));
	cJSON_Delete(root);
	ck_assert_uint_eq(fe.count, 5);
	ck_assert(!fe.overflow);
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(field_errors_find(&fe, want[i]) != NULL,
		    "no error for %s", want[i]);
}
END_TEST

START_TEST(test_unknown_fields_everywhere)
{
	static const char *const paths[] = {
		"colour", "referrer.rank", "victim.alias", "perpetrator.alias",
		"children[0].school", "dash.score", "sdash.score",
		"professional_judgement.by",
	};
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();
	size_t			 n = sizeof(paths) / sizeof(paths[0]);

	for (size_t i = 0; i < n; i++)
		set(root, paths[i], "{\"deep\": {\"deeper\": [1, 2]}}");
	ck_assert(!validate(root, &r, &fe));
	cJSON_Delete(root);
	ck_assert_uint_eq(fe.count, n);
	for (size_t i = 0; i < n; i++) {
		const struct field_error *e = field_errors_find(&fe, paths[i]);

		ck_assert_msg(e != NULL, "no error for %s", paths[i]);
		ck_assert_str_eq(e->reason, "is not a known field");
	}
}
END_TEST

/* JSON text that cJSON would read too kindly. */
START_TEST(test_text_traps)
{
	static const char dup[] = "{\"stalking\": true, \"stalking\": false}";
	static const char nul[] =
	    "{\"victim\": {\"name\": \"Jane\\u0000Doe\"}}";
	static const char escaped[] =
	    "{\"victim\": {\"name\": \"Jane\\\\u0000Doe\"}}";
	static const char badutf[] = "{\"victim\": {\"name\": \"Jane\xc3\"}}";
	static const char badkey[] = "{\"vic\\u0000tim\": 1}";
	struct field_errors	 fe;
	struct referral		 r;

	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(dup, strlen(dup), today, &r, &fe),
	    REFERRAL_INVALID);
	ck_assert_str_eq(field_errors_find(&fe, "stalking")->reason,
	    "appears more than once");

	/* "\u0000" would cut the name to "Jane" in cJSON. */
	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(nul, strlen(nul), today, &r, &fe),
	    REFERRAL_INVALID);
	ck_assert_ptr_nonnull(strstr(field_errors_find(&fe,
	    "victim.name")->reason, "NUL"));

	/* An escaped backslash before u0000 is just text. */
	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(escaped, strlen(escaped), today, &r,
	    &fe), REFERRAL_INVALID);
	ck_assert_ptr_null(field_errors_find(&fe, "victim.name"));

	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(badutf, strlen(badutf), today, &r,
	    &fe), REFERRAL_INVALID);
	ck_assert_str_eq(field_errors_find(&fe, "victim.name")->reason,
	    "must be valid UTF-8");

	/* Odd bytes in an unknown key are not echoed into the path. */
	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(badkey, strlen(badkey), today, &r,
	    &fe), REFERRAL_INVALID);
	ck_assert_ptr_nonnull(field_errors_find(&fe, "vic?tim"));
	referral_free(&r);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const texts[] = {
		"", "{", "{} x", "{\"a\": tru}", "[1,]", "{\"a\": \"\\ud800\"}",
	};
	static const char rawnul[] = "{\"a\": \"x\0y\"}";
	struct field_errors	 fe;
	struct referral		 r;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		field_errors_init(&fe);
		ck_assert_msg(referral_parse(texts[i], strlen(texts[i]), today,
		    &r, &fe) == REFERRAL_MALFORMED, "\"%s\" parsed", texts[i]);
		ck_assert_uint_eq(fe.count, 0);
	}
	ck_assert_int_eq(referral_parse(rawnul, sizeof(rawnul) - 1, today,
	    &r, &fe), REFERRAL_MALFORMED);
	/* Not an object. */
	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse("[1]", 3, today, &r, &fe),
	    REFERRAL_INVALID);
	ck_assert_str_eq(fe.items[0].field, "$");
	/* The text need not end in NUL: only len bytes are read. */
	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse("[1]garbage", 3, today, &r, &fe),
	    REFERRAL_INVALID);
	referral_free(&r);
}
END_TEST

START_TEST(test_hostile_strings_verbatim)
{
	static const char *const hostile[] = {
		"<script>alert('x')</script>",
		"Robert'); DROP TABLE referrals;--",
		"\" OR 1=1 --",
		"${jndi:ldap://x}",
		"%s%n%x",
	};
	struct field_errors	 fe;
	struct referral		 r;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		cJSON *root = base();

		cJSON_ReplaceItemInObjectCaseSensitive(root, "summary",
		    cJSON_CreateString(hostile[i]));
		cJSON_ReplaceItemInObjectCaseSensitive(root, "external_ref",
		    cJSON_CreateString(hostile[i]));
		cJSON_ReplaceItemInObjectCaseSensitive(
		    cJSON_GetObjectItem(root, "victim"), "name",
		    cJSON_CreateString(hostile[i]));
		ck_assert_msg(validate(root, &r, &fe), "refused %s",
		    hostile[i]);
		cJSON_Delete(root);
		ck_assert_str_eq(r.summary, hostile[i]);
		ck_assert_str_eq(r.external_ref, hostile[i]);
		ck_assert_str_eq(r.victim.name, hostile[i]);
		referral_free(&r);
	}
}
END_TEST

START_TEST(test_limits)
{
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base(), *kids;
	char			*big = malloc(REFERRAL_SUMMARY_MAX + 2);

	memset(big, 'a', REFERRAL_SUMMARY_MAX + 1);
	big[REFERRAL_SUMMARY_MAX] = '\0';
	cJSON_ReplaceItemInObjectCaseSensitive(root, "summary",
	    cJSON_CreateString(big));
	ck_assert(validate(root, &r, &fe));
	referral_free(&r);
	big[REFERRAL_SUMMARY_MAX] = 'a';
	big[REFERRAL_SUMMARY_MAX + 1] = '\0';
	cJSON_ReplaceItemInObjectCaseSensitive(root, "summary",
	    cJSON_CreateString(big));
	ck_assert(!validate(root, &r, &fe));
	ck_assert_str_eq(fe.items[0].field, "summary");
	ck_assert_str_eq(fe.items[0].reason, "must be at most 20000 bytes");
	free(big);
	set(root, "summary", NULL);

	/* 20 children are fine, 21 are not. */
	kids = cJSON_GetObjectItem(root, "children");
	while (cJSON_GetArraySize(kids) < REFERRAL_CHILDREN_MAX)
		cJSON_AddItemToArray(kids, cJSON_Duplicate(
		    cJSON_GetArrayItem(kids, 0), 1));
	ck_assert(validate(root, &r, &fe));
	ck_assert_uint_eq(r.nchildren, REFERRAL_CHILDREN_MAX);
	referral_free(&r);
	cJSON_AddItemToArray(kids, cJSON_Duplicate(cJSON_GetArrayItem(kids, 0),
	    1));
	ck_assert(!validate(root, &r, &fe));
	ck_assert_uint_eq(fe.count, 1);
	ck_assert_str_eq(fe.items[0].field, "children");
	cJSON_Delete(root);
}
END_TEST

/* A flood of mistakes costs a bounded list, flagged as cut short. */
START_TEST(test_error_overflow)
{
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();
	char			 key[32];

	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "junk%d", i);
		cJSON_AddItemToObject(root, key, cJSON_CreateNull());
	}
	ck_assert(!validate(root, &r, &fe));
	ck_assert_uint_eq(fe.count, FIELD_ERRORS_MAX);
	ck_assert_uint_eq(fe.total, 1000);
	ck_assert(fe.overflow);
	cJSON_Delete(root);
	/* A full list still tells a new mistake from none. */
	root = base();
	set(root, "consent", NULL);
	ck_assert(!referral_from_json(root, today, &r, &fe));
	set(root, "consent", "\"given\"");
	ck_assert(referral_from_json(root, today, &r, &fe));
	referral_free(&r);
	cJSON_Delete(root);
}
END_TEST

/* The equality fields, all given; and the ages the figures count. */
START_TEST(test_equality_fields)
{
	struct field_errors	 fe;
	struct referral		 r;
	cJSON			*root = base();

	set(root, "victim.gender", "\"self_described\"");
	set(root, "victim.gender_description", "\"genderfluid\"");
	set(root, "victim.ethnicity", "\"white_gypsy_traveller\"");
	set(root, "victim.disability", "\"yes\"");
	set(root, "victim.lgbt", "\"prefer_not_to_say\"");
	set(root, "victim.informed_of_referral", "true");
	set(root, "perpetrator.dob", NULL);
	set(root, "perpetrator.gender", "\"non_binary\"");
	set(root, "perpetrator.age", "17");
	set(root, "children_in_household", "3");
	if (!validate(root, &r, &fe))
		dump(&fe);
	ck_assert_uint_eq(fe.count, 0);
	cJSON_Delete(root);
	ck_assert_int_eq(r.victim.gender, GENDER_SELF_DESCRIBED);
	ck_assert_str_eq(r.victim.gender_description, "genderfluid");
	ck_assert_int_eq(r.victim.ethnicity, ETHNICITY_WHITE_GYPSY_TRAVELLER);
	ck_assert(referral_ethnicity_minoritised(r.victim.ethnicity));
	ck_assert_int_eq(r.victim.disability, ANSWER4_YES);
	ck_assert_int_eq(r.victim.lgbt, ANSWER4_PREFER_NOT_TO_SAY);
	ck_assert_int_eq(r.victim.informed, FLAG_YES);
	ck_assert_int_eq(r.perpetrator.gender, GENDER_NON_BINARY);
	ck_assert_int_eq(r.children_in_household, 3);
	/* No date of birth: the stated age. */
	ck_assert_int_eq(referral_perpetrator_age(&r, D("2026-11-20")), 17);
	referral_free(&r);

	/* A date of birth wins over a stated age, counted on the day. */
	root = base();
	set(root, "perpetrator.dob", "\"2008-11-21\"");
	set(root, "perpetrator.age", "30");
	ck_assert(validate(root, &r, &fe));
	cJSON_Delete(root);
	ck_assert_int_eq(referral_perpetrator_age(&r, D("2026-11-20")), 17);
	ck_assert_int_eq(referral_perpetrator_age(&r, D("2026-11-21")), 18);
	referral_free(&r);
}
END_TEST

/* Black, Asian or racially minoritised: the one list, by code. */
START_TEST(test_minoritised)
{
	static const struct { const char *code; bool in; } cases[] = {
		{ "not_known", false }, { "prefer_not_to_say", false },
		{ "white_british", false }, { "white_irish", false },
		{ "white_other", false }, { "white_roma", true },
		{ "white_gypsy_traveller", true }, { "asian_indian", true },
		{ "black_caribbean", true }, { "mixed_white_asian", true },
		{ "other_arab", true }, { "other_any", true },
	};
	int seen = 0;

	for (int e = 0; e < ETHNICITY_COUNT; e++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (strcmp(referral_ethnicity_name((enum ethnicity)e),
			    cases[i].code) == 0) {
				ck_assert_msg(referral_ethnicity_minoritised(
				    (enum ethnicity)e) == cases[i].in, "%s",
				    cases[i].code);
				seen++;
			}
	ck_assert_int_eq(seen, (int)(sizeof(cases) / sizeof(cases[0])));
	ck_assert_ptr_null(referral_ethnicity_name(ETHNICITY_COUNT));
	ck_assert(!referral_ethnicity_minoritised(ETHNICITY_COUNT));
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(forum_code(FORUM_MARAC), "marac");
	ck_assert_str_eq(forum_code(FORUM_MASC), "masc");
	ck_assert_ptr_null(forum_code(FORUM_NONE));
	ck_assert_str_eq(referral_consent_name(CONSENT_REFUSED), "refused");
	ck_assert_str_eq(referral_consent_name(CONSENT_NOT_SOUGHT),
	    "not_sought");
}
END_TEST

static Suite *
referral_suite(void)
{
	Suite	*s = suite_create("referral");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_valid_example);
	tcase_add_test(tc, test_minimal);
	tcase_add_loop_test(tc, test_bad, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_loop_test(tc, test_good, 0,
	    sizeof(good_cases) / sizeof(good_cases[0]));
	tcase_add_loop_test(tc, test_versions, 0,
	    sizeof(version_cases) / sizeof(version_cases[0]));
	tcase_add_test(tc, test_risk_required);
	tcase_add_test(tc, test_all_errors_collected);
	tcase_add_test(tc, test_unknown_fields_everywhere);
	tcase_add_test(tc, test_text_traps);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_hostile_strings_verbatim);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_error_overflow);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_equality_fields);
	tcase_add_test(tc, test_minoritised);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(referral_suite());
	int	 failed;

	today = date_from_ymd(2026, 11, 25);	/* outside a test: no ck_assert */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

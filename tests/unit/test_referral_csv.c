/*
 * A referral as a CSV row: the header, the JSON each row becomes (and so
 * the validation it gets, which is referral.c's), the CSV's own yes/no
 * and list cells, and every validator path mapped back to its column.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/referral_csv.h"
#include "unit_date.h"

static date_t today;

#define MAXCOLS	REFERRAL_CSV_COLUMNS

/* A row: column names and cells, built from "name=value" strings. */
struct row {
	const char	*names[MAXCOLS];
	const char	*cells[MAXCOLS];
	char		 text[MAXCOLS][128];
	size_t		 n;
};

static const char *const base_cells[] = {
	"external_ref=POL-1",
	"referring_agency=police",
	"referrer_name=DC Smith",
	"referrer_email=x@agency.example",
	"referrer_phone=01234 567890",
	"received_at=2026-11-20T10:15:00Z",
	"area=cumbria",
	"forum_requested=",
	"domestic_abuse=Yes",
	"stalking=no",
	"urgent=",
	"victim_name=Jane Doe",
	"victim_dob=1990-02-01",
	"victim_gender=female",
	"victim_postcode=CA1 1AA",
	"perpetrator_name=John Roe",
	"perpetrator_dob=1985-05-05",
	"perpetrator_gender=male",
	"perpetrator_relationship=ex-partner",
	"perpetrator_in_custody=N",
	"perpetrator_mappa_level= 2 ",
	"perpetrator_on_drive=0",
	"perpetrator_in_area=TRUE",
	"child1_name=A Doe",
	"child1_dob=2015-01-01",
	"child1_resident=y",
	"child2_name=",
	"child2_dob=",
	"child2_resident=",
	"dash_version=dash-2009",
	"dash_1=yes",
	"dash_2=no",
	"dash_27=1",
	"dash_28=",
	"sdash_1=true",
	"sdash_11=false",
	"judgement_level=high",
	"judgement_reason=threats",
	"escalation=",
	"police_callouts_12m=2",
	"lawful_basis=crime_and_disorder_act_s115; common_law",
	"consent=not_sought",
	"summary=free text\nsecond line",
};

/* The JSON the base row must become: ReferralInput (docs/openapi.json). */
static const char base_json[] =
"{\"external_ref\":\"POL-1\",\"referring_agency\":\"police\","
"\"referrer\":{\"name\":\"DC Smith\",\"email\":\"x@agency.example\","
"\"phone\":\"01234 567890\"},\"received_at\":\"2026-11-20T10:15:00Z\","
"\"area\":\"cumbria\",\"domestic_abuse\":true,\"stalking\":false,"
"\"victim\":{\"name\":\"Jane Doe\",\"dob\":\"1990-02-01\",\"gender\":\"female\","
"\"postcode\":\"CA1 1AA\"},\"perpetrator\":{\"name\":\"John Roe\","
"\"dob\":\"1985-05-05\",\"gender\":\"male\",\"relationship\":\"ex-partner\","
"\"in_custody\":false,\"mappa_level\":2,\"on_drive\":false,\"in_area\":true},"
"\"children\":[{\"name\":\"A Doe\",\"dob\":\"2015-01-01\",\"resident\":true}],"
"\"dash\":{\"version\":\"dash-2009\",\"answers\":{\"1\":true,\"2\":false,"
"\"27\":true}},\"sdash\":{\"answers\":{\"1\":true,\"11\":false}},"
"\"professional_judgement\":{\"level\":\"high\",\"reason\":\"threats\"},"
"\"police_callouts_12m\":2,"
"\"lawful_basis\":[\"crime_and_disorder_act_s115\",\"common_law\"],"
"\"consent\":\"not_sought\",\"summary\":\"free text\\nsecond line\"}";

/* Sets name to value, adding the column if the row lacks it. */
static void
set(struct row *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			break;
	if (i == r->n) {
		ck_assert_uint_lt(r->n, MAXCOLS);
		r->names[r->n++] = name;
	}
	r->cells[i] = value;
}

/* Removes the column altogether. */
static void
drop(struct row *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->names[i], name) != 0)
			continue;
		memmove(&r->names[i], &r->names[i + 1],
		    (r->n - i - 1) * sizeof(r->names[0]));
		memmove(&r->cells[i], &r->cells[i + 1],
		    (r->n - i - 1) * sizeof(r->cells[0]));
		r->n--;
		return;
	}
}

static void
base(struct row *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(base_cells) / sizeof(base_cells[0]); i++) {
		const char *eq = strchr(base_cells[i], '=');

		snprintf(r->text[i], sizeof(r->text[i]), "%.*s",
		    (int)(eq - base_cells[i]), base_cells[i]);
		r->names[i] = r->text[i];
		r->cells[i] = eq + 1;
		r->n++;
	}
}

/* Parses the row; returns the JSON (or NULL) with errors in fe. */
static cJSON *
parse(const struct row *r, struct referral *ref, struct field_errors *fe)
{
	struct referral_csv	h;
	struct field_errors	hfe;

	field_errors_init(&hfe);
	if (!referral_csv_header(&h, r->names, r->n, &hfe))
		ck_abort_msg("header refused: %s %s", hfe.items[0].field,
		    hfe.items[0].reason);
	field_errors_init(fe);
	return referral_csv_row(&h, r->cells, r->n, today, ref, fe);
}

static void
show_errors(const struct field_errors *fe, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < fe->count && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "[%s: %s] ",
		    fe->items[i].field, fe->items[i].reason);
}

START_TEST(test_base_row)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	cJSON			*got, *want = cJSON_Parse(base_json);
	char			 errs[2048];

	base(&r);
	got = parse(&r, &ref, &fe);
	show_errors(&fe, errs, sizeof(errs));
	ck_assert_msg(got != NULL, "errors: %s", errs);
	if (!cJSON_Compare(got, want, true)) {
		char *text = cJSON_PrintUnformatted(got);

		ck_abort_msg("got %s", text);
	}
	ck_assert_str_eq(ref.victim.name, "Jane Doe");
	ck_assert_int_eq(ref.perpetrator.mappa_level, 2);
	ck_assert_int_eq(ref.perpetrator.in_area, FLAG_YES);
	ck_assert_int_eq(ref.children[0].resident, FLAG_YES);
	ck_assert_uint_eq(ref.nchildren, 1);
	ck_assert_int_eq(ref.risk.dash[27], ANSWER_YES);
	ck_assert_uint_eq(ref.lawful_basis,
	    LAWFUL_BASIS_CDA_S115 | LAWFUL_BASIS_COMMON_LAW);
	referral_free(&ref);
	cJSON_Delete(got);
	cJSON_Delete(want);
}
END_TEST

/* The same document through the JSON path gives the same referral. */
START_TEST(test_same_as_json)
{
	struct row		 r;
	struct referral		 a, b;
	struct field_errors	 fe;
	cJSON			*doc;
	char			*text;

	base(&r);
	doc = parse(&r, &a, &fe);
	ck_assert_ptr_nonnull(doc);
	text = cJSON_PrintUnformatted(doc);
	field_errors_init(&fe);
	ck_assert_int_eq(referral_parse(text, strlen(text), today, &b, &fe),
	    REFERRAL_OK);
	ck_assert_str_eq(a.summary, b.summary);
	ck_assert_int_eq(a.victim.dob, b.victim.dob);
	ck_assert_int_eq(a.risk.judgement, b.risk.judgement);
	ck_assert(memcmp(a.risk.dash, b.risk.dash, sizeof(a.risk.dash)) == 0);
	ck_assert(memcmp(a.risk.sdash, b.risk.sdash, sizeof(a.risk.sdash)) == 0);
	free(text);
	cJSON_Delete(doc);
	referral_free(&a);
	referral_free(&b);
}
END_TEST

START_TEST(test_minimal_row)
{
	static const char *const names[] = {
		"external_ref", "referring_agency", "domestic_abuse", "stalking",
		"victim_name", "victim_dob", "judgement_level", "judgement_reason",
		"lawful_basis", "consent"
	};
	static const char *const cells[] = {
		"X-1", "idva", "y", "n", "Ann", "1980-01-01", "medium", "",
		"common_law", "given"
	};
	struct referral_csv	h;
	struct referral		ref;
	struct field_errors	fe;
	cJSON			*doc;

	field_errors_init(&fe);
	ck_assert(referral_csv_header(&h, names, 10, &fe));
	doc = referral_csv_row(&h, cells, 10, today, &ref, &fe);
	ck_assert_ptr_nonnull(doc);
	ck_assert(!ref.has_perpetrator);
	ck_assert_uint_eq(ref.nchildren, 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(doc, "referrer"));
	ck_assert_ptr_null(cJSON_GetObjectItem(doc, "dash"));
	ck_assert_ptr_null(cJSON_GetObjectItem(doc, "perpetrator"));
	cJSON_Delete(doc);
	referral_free(&ref);
}
END_TEST

static const struct {
	const char	*cell;
	int		 want;	/* 1 yes, 0 no, -1 error */
} flags[] = {
	{ "yes", 1 }, { "YES", 1 }, { "Yes", 1 }, { "y", 1 }, { "Y", 1 },
	{ "true", 1 }, { "True", 1 }, { "1", 1 }, { " yes ", 1 },
	{ "no", 0 }, { "NO", 0 }, { "n", 0 }, { "false", 0 }, { "FALSE", 0 },
	{ "0", 0 }, { "\tno", 0 },
	{ "maybe", -1 }, { "yess", -1 }, { "2", -1 }, { "t", -1 },
	{ "oui", -1 }, { "-1", -1 }, { "01", -1 }, { "yes no", -1 },
};

START_TEST(test_flags)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	cJSON			*doc;

	base(&r);
	set(&r, "domestic_abuse", flags[_i].cell);
	set(&r, "dash_5", flags[_i].cell);
	doc = parse(&r, &ref, &fe);
	if (flags[_i].want < 0) {
		ck_assert_ptr_null(doc);
		/* One error a column: not also "is required". */
		ck_assert_uint_eq(fe.count, 2);
		ck_assert_str_eq(fe.items[0].field, "domestic_abuse");
		ck_assert_str_eq(fe.items[1].field, "dash_5");
		ck_assert_ptr_nonnull(strstr(fe.items[0].reason, "yes or no"));
		return;
	}
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(ref.domestic_abuse, flags[_i].want == 1);
	ck_assert_int_eq(ref.risk.dash[5],
	    flags[_i].want == 1 ? ANSWER_YES : ANSWER_NO);
	cJSON_Delete(doc);
	referral_free(&ref);
}
END_TEST

/* One mistake: the column that must be named for it. */
static const struct {
	const char	*column;
	const char	*cell;
	const char	*want;		/* the column named */
	const char	*reason;	/* part of the reason, or NULL */
} bad[] = {
	{ "victim_ethnicity", "black", "victim_ethnicity", "black_african" },
	{ "victim_informed", "perhaps", "victim_informed", "yes or no" },
	{ "perpetrator_age", "nine", "perpetrator_age", "10 to 120" },
	{ "children_in_household", "31", "children_in_household", "0 to 30" },
	{ "victim_dob", "1990-02-30", "victim_dob", "calendar date" },
	{ "victim_dob", "", "victim_dob", "is required" },
	{ "victim_dob", "2099-01-01", "victim_dob", "after today" },
	{ "victim_name", "   ", "victim_name", "is required" },
	{ "victim_name", "!!!", "victim_name", "letter or a digit" },
	{ "victim_postcode", "CA1 1AA!", "victim_postcode", "postcode" },
	{ "external_ref", "", "external_ref", "required in an import" },
	{ "referring_agency", "Police", "referring_agency", "a code" },
	{ "referring_agency", "", "referring_agency", "is required" },
	{ "referrer_email", "not-an-address", "referrer_email", "email" },
	{ "referrer_name", "", "referrer_name", "is required" },
	{ "received_at", "yesterday", "received_at", "RFC 3339" },
	{ "forum_requested", "MARAC", "forum_requested", "marac, masc" },
	{ "stalking", "", "stalking", "is required" },
	{ "urgent", "soon", "urgent", "yes or no" },
	{ "perpetrator_in_custody", "x", "perpetrator_in_custody", "yes or no" },
	{ "perpetrator_mappa_level", "7", "perpetrator_mappa_level", "0 to 3" },
	{ "perpetrator_mappa_level", "two", "perpetrator_mappa_level", "0 to 3" },
	{ "perpetrator_mappa_level", "1.5", "perpetrator_mappa_level", "0 to 3" },
	{ "perpetrator_dob", "05/05/1985", "perpetrator_dob", "YYYY-MM-DD" },
	{ "perpetrator_name", "", "perpetrator_name", "is required" },
	{ "child1_dob", "2015-13-01", "child1_dob", "calendar date" },
	{ "child1_name", "", "child1_name", "is required" },
	{ "child1_resident", "sometimes", "child1_resident", "yes or no" },
	{ "dash_5", "perhaps", "dash_5", "yes or no" },
	{ "dash_28", "yes", "dash_28", "dash-2009" },
	{ "dash_version", "dash-2020", "dash_version", "dash-2009" },
	{ "dash_version", "", "dash_version", "is required" },
	{ "sdash_11", "nope", "sdash_11", "yes or no" },
	{ "judgement_level", "extreme", "judgement_level", "standard" },
	{ "judgement_reason", "", "judgement_reason", "level is high" },
	{ "judgement_level", "", "judgement_level", "is required" },
	{ "police_callouts_12m", "-1", "police_callouts_12m", "0 to 1000" },
	{ "police_callouts_12m", "lots", "police_callouts_12m", "0 to 1000" },
	{ "lawful_basis", "", "lawful_basis", "is required" },
	{ "lawful_basis", "bogus", "lawful_basis", "must be one of" },
	{ "lawful_basis", "common_law;;care_act_2014", "lawful_basis",
	    "must be one of" },
	{ "lawful_basis", "common_law; common_law", "lawful_basis",
	    "more than once" },
	{ "consent", "", "consent", "is required" },
	{ "consent", "yes", "consent", "given, refused" },
	{ "summary", "\x01", "summary", "control" },
	{ "summary", "\xff", "summary", "UTF-8" },
};

START_TEST(test_bad)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	char			 errs[2048];

	base(&r);
	set(&r, bad[_i].column, bad[_i].cell);
	ck_assert_ptr_null(parse(&r, &ref, &fe));
	show_errors(&fe, errs, sizeof(errs));
	ck_assert_msg(fe.count == 1, "%s=%s: %s", bad[_i].column,
	    bad[_i].cell, errs);
	ck_assert_str_eq(fe.items[0].field, bad[_i].want);
	if (bad[_i].reason != NULL)
		ck_assert_msg(strstr(fe.items[0].reason, bad[_i].reason) != NULL,
		    "%s: %s", bad[_i].column, fe.items[0].reason);
	ck_assert_ptr_null(ref.victim.name);
}
END_TEST

/* The equality columns land where the JSON has them (same validation). */
START_TEST(test_equality_columns)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	cJSON			*got;
	char			 errs[2048];

	base(&r);
	set(&r, "victim_ethnicity", "black_african");
	set(&r, "victim_disability", "no");
	set(&r, "victim_lgbt", "yes");
	set(&r, "victim_informed", "Yes");
	set(&r, "victim_gender", "self_described");
	set(&r, "victim_gender_description", "genderqueer");
	set(&r, "perpetrator_age", "17");
	set(&r, "children_in_household", "2");
	got = parse(&r, &ref, &fe);
	show_errors(&fe, errs, sizeof(errs));
	ck_assert_msg(got != NULL, "errors: %s", errs);
	ck_assert_int_eq(ref.victim.ethnicity, ETHNICITY_BLACK_AFRICAN);
	ck_assert_int_eq(ref.victim.disability, ANSWER4_NO);
	ck_assert_int_eq(ref.victim.lgbt, ANSWER4_YES);
	ck_assert_int_eq(ref.victim.informed, FLAG_YES);
	ck_assert_int_eq(ref.victim.gender, GENDER_SELF_DESCRIBED);
	ck_assert_str_eq(ref.victim.gender_description, "genderqueer");
	ck_assert_int_eq(ref.perpetrator.age, 17);
	ck_assert_int_eq(ref.children_in_household, 2);
	referral_free(&ref);
	cJSON_Delete(got);
}
END_TEST

/* Children are numbered by column, whatever the gaps. */
START_TEST(test_child_numbers)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	cJSON			*doc;

	base(&r);
	set(&r, "child1_name", "");
	set(&r, "child1_dob", "");
	set(&r, "child1_resident", "");
	set(&r, "child3_name", "C Doe");
	set(&r, "child3_dob", "2016-02-30");
	set(&r, "child20_name", "T Doe");
	set(&r, "child20_dob", "2017-01-01");
	set(&r, "child20_resident", "maybe");
	ck_assert_ptr_null(parse(&r, &ref, &fe));
	ck_assert_uint_eq(fe.count, 2);
	ck_assert_str_eq(fe.items[0].field, "child20_resident");
	ck_assert_str_eq(fe.items[1].field, "child3_dob");

	set(&r, "child3_dob", "2016-02-28");
	set(&r, "child20_resident", "no");
	doc = parse(&r, &ref, &fe);
	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_eq(ref.nchildren, 2);
	ck_assert_str_eq(ref.children[0].name, "C Doe");
	ck_assert_str_eq(ref.children[1].name, "T Doe");
	ck_assert_int_eq(ref.children[1].resident, FLAG_NO);
	cJSON_Delete(doc);
	referral_free(&ref);
}
END_TEST

/* Several mistakes: every column named, once each. */
START_TEST(test_all_errors)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	const char		*want[] = {
		"domestic_abuse", "dash_3", "victim_dob", "perpetrator_mappa_level",
		"child1_dob", "consent",
	};

	base(&r);
	set(&r, "domestic_abuse", "sometimes");
	set(&r, "dash_3", "?");
	set(&r, "victim_dob", "01/02/1990");
	set(&r, "perpetrator_mappa_level", "9");
	set(&r, "child1_dob", "tomorrow");
	set(&r, "consent", "");
	ck_assert_ptr_null(parse(&r, &ref, &fe));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(field_errors_find(&fe, want[i]) != NULL,
		    "%s not named", want[i]);
	ck_assert_uint_eq(fe.count, sizeof(want) / sizeof(want[0]));
}
END_TEST

START_TEST(test_no_risk)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	char			 name[REFERRAL_CSV_NAME_MAX];

	base(&r);
	for (int q = 1; q <= 28; q++) {
		snprintf(name, sizeof(name), "dash_%d", q);
		drop(&r, name);
	}
	drop(&r, "dash_version");
	drop(&r, "sdash_1");
	drop(&r, "sdash_11");
	set(&r, "judgement_level", "");
	set(&r, "judgement_reason", "");
	ck_assert_ptr_null(parse(&r, &ref, &fe));
	ck_assert_uint_eq(fe.count, 1);
	ck_assert_str_eq(fe.items[0].field, "dash_version");
	ck_assert_ptr_nonnull(strstr(fe.items[0].reason, "judgement_level"));
}
END_TEST

START_TEST(test_long_summary)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	char			*s = malloc(REFERRAL_SUMMARY_MAX + 2);
	cJSON			*doc;

	memset(s, 'a', REFERRAL_SUMMARY_MAX + 1);
	s[REFERRAL_SUMMARY_MAX + 1] = '\0';
	base(&r);
	set(&r, "summary", s);
	ck_assert_ptr_null(parse(&r, &ref, &fe));
	ck_assert_str_eq(fe.items[0].field, "summary");
	s[REFERRAL_SUMMARY_MAX] = '\0';
	doc = parse(&r, &ref, &fe);
	ck_assert_ptr_nonnull(doc);
	cJSON_Delete(doc);
	referral_free(&ref);
	free(s);
}
END_TEST

START_TEST(test_cell_count)
{
	struct row		 r;
	struct referral		 ref;
	struct field_errors	 fe;
	struct referral_csv	 h;

	base(&r);
	field_errors_init(&fe);
	ck_assert(referral_csv_header(&h, r.names, r.n, &fe));
	ck_assert_ptr_null(referral_csv_row(&h, r.cells, r.n - 1, today, &ref,
	    &fe));
	ck_assert_uint_eq(fe.count, 1);
	ck_assert_str_eq(fe.items[0].field, "");
	ck_assert_ptr_nonnull(strstr(fe.items[0].reason, "the header has"));
}
END_TEST

START_TEST(test_header)
{
	struct row		 r;
	struct referral_csv	 h;
	struct field_errors	 fe;
	static const char *const unknown[] = {
		"victim_age", "dash_0", "dash_29", "dash_05", "sdash_12",
		"child0_name", "child21_name", "child1_age", "children",
		"victim.dob",
	};

	/* Case and surrounding spaces do not matter. */
	base(&r);
	r.names[12] = " Victim_DOB ";
	field_errors_init(&fe);
	ck_assert(referral_csv_header(&h, r.names, r.n, &fe));

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		base(&r);
		set(&r, unknown[i], "");
		field_errors_init(&fe);
		ck_assert(!referral_csv_header(&h, r.names, r.n, &fe));
		ck_assert_uint_eq(fe.count, 1);
		ck_assert_str_eq(fe.items[0].field, unknown[i]);
		ck_assert_ptr_nonnull(strstr(fe.items[0].reason, "not a known"));
	}

	base(&r);
	r.names[r.n] = "victim_dob";
	r.cells[r.n++] = "";
	field_errors_init(&fe);
	ck_assert(!referral_csv_header(&h, r.names, r.n, &fe));
	ck_assert_str_eq(fe.items[0].field, "victim_dob");
	ck_assert_str_eq(fe.items[0].reason, "appears more than once");

	base(&r);
	drop(&r, "consent");
	drop(&r, "external_ref");
	r.names[0] = "";
	field_errors_init(&fe);
	ck_assert(!referral_csv_header(&h, r.names, r.n, &fe));
	ck_assert_uint_eq(fe.count, 4);
	ck_assert_str_eq(fe.items[0].field, "");
	ck_assert_str_eq(fe.items[0].reason, "column 1 has no name");
	ck_assert_str_eq(field_errors_find(&fe, "consent")->reason,
	    "is a required column");
	ck_assert_ptr_nonnull(field_errors_find(&fe, "external_ref"));
	ck_assert_ptr_nonnull(field_errors_find(&fe, "referring_agency"));

	/* A hostile name is shown tamed. */
	base(&r);
	set(&r, "bad\x01name\xff", "");
	field_errors_init(&fe);
	ck_assert(!referral_csv_header(&h, r.names, r.n, &fe));
	ck_assert_str_eq(fe.items[0].field, "bad?name?");
}
END_TEST

/* Every column has a distinct name that the header finds. */
START_TEST(test_every_column)
{
	const char		*names[REFERRAL_CSV_COLUMNS];
	char			 text[REFERRAL_CSV_COLUMNS][REFERRAL_CSV_NAME_MAX];
	struct referral_csv	 h;
	struct field_errors	 fe;

	for (unsigned i = 0; i < REFERRAL_CSV_COLUMNS; i++) {
		referral_csv_column_name(i, text[i]);
		names[i] = text[i];
	}
	ck_assert_str_eq(names[0], "external_ref");
	ck_assert_str_eq(names[REFERRAL_CSV_COLUMNS - 1], "sdash_11");
	field_errors_init(&fe);
	ck_assert(referral_csv_header(&h, names, REFERRAL_CSV_COLUMNS, &fe));
	for (unsigned i = 0; i < REFERRAL_CSV_COLUMNS; i++)
		ck_assert_uint_eq(h.column[i], i);
}
END_TEST

START_TEST(test_blank)
{
	const char *blank[] = { "", " ", "\t" };
	const char *not_blank[] = { "", "x", "" };

	ck_assert(referral_csv_blank(blank, 3));
	ck_assert(!referral_csv_blank(not_blank, 3));
}
END_TEST

static Suite *
referral_csv_suite(void)
{
	Suite	*s = suite_create("referral_csv");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_base_row);
	tcase_add_test(tc, test_same_as_json);
	tcase_add_test(tc, test_minimal_row);
	tcase_add_loop_test(tc, test_flags, 0, sizeof(flags) / sizeof(flags[0]));
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_child_numbers);
	tcase_add_test(tc, test_all_errors);
	tcase_add_test(tc, test_no_risk);
	tcase_add_test(tc, test_long_summary);
	tcase_add_test(tc, test_cell_count);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_every_column);
	tcase_add_test(tc, test_blank);
	tcase_add_test(tc, test_equality_columns);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(referral_csv_suite());
	int	 failed;

	today = date_from_ymd(2026, 11, 25);	/* outside a test: no ck_assert */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

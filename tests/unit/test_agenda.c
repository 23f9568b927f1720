/*
 * The agenda model: grouping, ordering, minimisation, canonical JSON and
 * its loader, and the diff between versions.  Expected orders and JSON
 * were written out by hand from the rules in docs/domain.md, Agendas.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/agenda.h"
#include "core/date.h"
#include "unit_date.h"

static int64_t
T(const char *s)
{
	int64_t t = 0;

	ck_assert_msg(instant_parse(s, INSTANT_UTC, &t, NULL), "bad instant: %s", s);
	return t;
}

static const char *const high_bases[] = {
	"visible_high_risk", "professional_judgement"
};
static const char *const escalation[] = { "escalation" };

static struct agenda_sitting
sitting(enum forum f)
{
	return (struct agenda_sitting){
		.id = 7,
		.forum = f,
		.area = "cumberland",
		.area_name = "Cumberland",
		.date = D("2026-12-07"),
		.cutoff = D("2026-12-02"),
		.venue = NULL,
		.version = 0,
		.issued_at = NULL,
	};
}

/* A plain medium-risk police case; tests change what they look at. */
static struct agenda_row
row(int64_t id, const char *ref, const char *agency)
{
	return (struct agenda_row){
		.referral_id = id,
		.reference = ref,
		.agency = agency,
		.agency_name = NULL,
		.officer = "DC Smith",
		.victim_name = "Jane Doe",
		.victim_dob = D("1990-12-08"),
		.perpetrator_name = "Andrew Bloggs",
		.children = 0,
		.risk = RISK_MEDIUM,
		.bases = NULL,
		.nbases = 0,
		.repeat = false,
		.urgent = false,
		.drive = AGENDA_DRIVE_NOT_SCREENED,
		.received = T("2026-11-20T09:00:00Z"),
	};
}

static char *
json_text(const struct agenda *a)
{
	cJSON	*j = agenda_to_json(a);
	char	*s;

	ck_assert_ptr_nonnull(j);
	s = cJSON_PrintUnformatted(j);
	ck_assert_ptr_nonnull(s);
	cJSON_Delete(j);
	return s;
}

/* Initials. */

static const struct {
	const char *name, *want;
} initials_table[] = {
	{ "Jane Doe", "J.D." },
	{ "jane doe", "J.D." },
	{ "  jane \t mary\ndoe  ", "J.M.D." },
	{ "Mary-Jane Smith", "M.S." },
	{ "o'brien", "O." },
	{ "'Ali Khan", "A.K." },
	{ "Jo (Jojo) Bloggs", "J.J.B." },
	{ "- Jo", "J." },
	{ "\xc3\x89lodie Dupont", "\xc3\x89.D." },	/* Élodie */
	{ "\xc3\xa9lodie", "\xc3\xa9." },		/* not upper-cased */
	{ "\xe6\x9d\x8e \xe5\xb0\x8f\xe9\xbe\x8d",
	  "\xe6\x9d\x8e.\xe5\xb0\x8f." },
	{ "\xf0\x9f\x98\x80 x", "\xf0\x9f\x98\x80.X." },	/* 4 bytes */
	{ "\xc3 x", "?.X." },			/* cut sequence */
	{ "\xc0\xaf x", "?.X." },		/* overlong */
	{ "\xed\xa0\x80 x", "?.X." },		/* surrogate */
	{ "a b c d", "A.B.C.D." },
	{ "Anna Beth Cara Dee Evans", "A.B.C.E." },	/* surname kept */
	{ "Anna Beth Cara Dee Eve Fox", "A.B.C.F." },
	{ "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80 \xf0\x9f\x98\x80 \xf0\x9f\x98\x80",
	  "\xf0\x9f\x98\x80.\xf0\x9f\x98\x80."
	  "\xf0\x9f\x98\x80.\xf0\x9f\x98\x80." },
	{ "", "" },
	{ "   ", "" },
	{ "--- ...", "" },
	{ "9 Lives", "9.L." },
};

START_TEST(test_initials)
{
	char	out[AGENDA_INITIALS_SIZE];
	size_t	n;

	memset(out, 'Z', sizeof(out));
	n = agenda_initials(initials_table[_i].name, out);
	ck_assert_str_eq(out, initials_table[_i].want);
	ck_assert_uint_eq(n, strlen(initials_table[_i].want));
}
END_TEST

/* Instants. */

START_TEST(test_instants)
{
	char	buf[INSTANT_STRLEN];
	int64_t	t;

	ck_assert_str_eq(instant_format(0, buf), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(instant_format(-1, buf),
	    "1969-12-31T23:59:59Z");
	ck_assert_str_eq(instant_format(1796634000, buf),
	    "2026-12-07T09:00:00Z");
	ck_assert(instant_parse("2026-12-07T09:00:00Z", INSTANT_UTC, &t, NULL));
	ck_assert_int_eq(t, 1796634000);
	ck_assert(instant_parse("1969-12-31T23:59:59Z", INSTANT_UTC, &t, NULL));
	ck_assert_int_eq(t, -1);
	/* Clamped, not undefined. */
	ck_assert_str_eq(instant_format(INT64_MAX, buf),
	    "2200-12-31T23:59:59Z");
	ck_assert_str_eq(instant_format(INT64_MIN, buf),
	    "1900-01-01T00:00:00Z");

	ck_assert(!instant_parse("2026-12-07T09:00:00", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07T09:00:00+00:00", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07 09:00:00Z", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07T24:00:00Z", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07T09:60:00Z", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07T09:00:60Z", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-02-30T09:00:00Z", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07T9:00:00Z ", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("2026-12-07T09:00:00z", INSTANT_UTC, &t, NULL));
	ck_assert(!instant_parse("", INSTANT_UTC, &t, NULL));
}
END_TEST

/* Grouping. */

static void
assert_groups(const struct agenda *a, const char *const want[], size_t n)
{
	ck_assert_uint_eq(a->ngroups, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(a->groups[i].agency, want[i]);
}

START_TEST(test_grouping_configured_order)
{
	static const char *const order[] = { "police", "probation",
	    "victim_support" };
	static const char *const want[] = { "police", "probation",
	    "victim_support", "health_icb", "housing" };
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r[] = {
		row(1, "MASC-2026-0001", "housing"),
		row(2, "MASC-2026-0002", "victim_support"),
		row(3, "MASC-2026-0003", "police"),
		row(4, "MASC-2026-0004", "health_icb"),
		row(5, "MASC-2026-0005", "probation"),
		row(6, "MASC-2026-0006", "police"),
		row(7, "MASC-2026-0007", "housing"),
	};
	struct agenda_options	opt = { order, 3, false };
	struct agenda		a;

	r[2].agency_name = "Cumbria Constabulary";
	r[5].agency_name = "Cumbria Constabulary";
	ck_assert_int_eq(agenda_build(&a, &s, r, 7, &opt, NULL), 0);
	assert_groups(&a, want, 5);
	ck_assert_uint_eq(a.ncases, 7);
	ck_assert_uint_eq(a.groups[0].first, 0);
	ck_assert_uint_eq(a.groups[0].count, 2);
	ck_assert_str_eq(a.groups[0].agency_name, "Cumbria Constabulary");
	/* Without a display name, the code stands in. */
	ck_assert_str_eq(a.groups[3].agency_name, "health_icb");
	ck_assert_uint_eq(a.groups[4].first, 5);
	ck_assert_uint_eq(a.groups[4].count, 2);
	for (size_t g = 0; g < a.ngroups; g++)
		for (size_t i = 0; i < a.groups[g].count; i++)
			ck_assert_str_eq(a.cases[a.groups[g].first + i].agency,
			    a.groups[g].agency);
	agenda_free(&a);
}
END_TEST

START_TEST(test_grouping_no_order)
{
	static const char *const want[] = { "health_icb", "police",
	    "probation" };
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r[] = {
		row(1, "MASC-2026-0001", "probation"),
		row(2, "MASC-2026-0002", "police"),
		row(3, "MASC-2026-0003", "health_icb"),
	};
	struct agenda		a;

	ck_assert_int_eq(agenda_build(&a, &s, r, 3, NULL, NULL), 0);
	assert_groups(&a, want, 3);
	agenda_free(&a);
}
END_TEST

/* A code listed twice keeps its first place; unknown codes are ignored. */
START_TEST(test_grouping_odd_order)
{
	static const char *const order[] = { "probation", "nobody",
	    "police", "probation" };
	static const char *const want[] = { "probation", "police",
	    "health_icb" };
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r[] = {
		row(1, "MASC-2026-0001", "health_icb"),
		row(2, "MASC-2026-0002", "police"),
		row(3, "MASC-2026-0003", "probation"),
	};
	struct agenda_options	opt = { order, 4, false };
	struct agenda		a;

	ck_assert_int_eq(agenda_build(&a, &s, r, 3, &opt, NULL), 0);
	assert_groups(&a, want, 3);
	agenda_free(&a);
}
END_TEST

/* Ordering inside a group. */

START_TEST(test_ordering)
{
	static const char *const want[] = {
		"MARAC-2026-0005",	/* high, 18 Nov */
		"MARAC-2026-0002",	/* high, 20 Nov 09:00, ref ..02 */
		"MARAC-2026-0003",	/* high, 20 Nov 09:00, ref ..03 */
		"MARAC-2026-0001",	/* high, 21 Nov */
		"MARAC-2026-0006",	/* medium, 01 Nov */
		"MARAC-2026-0004",	/* medium, 22 Nov */
		"MARAC-2026-0007",	/* standard, 01 Oct */
	};
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[] = {
		row(11, "MARAC-2026-0001", "police"),
		row(12, "MARAC-2026-0003", "police"),
		row(13, "MARAC-2026-0002", "police"),
		row(14, "MARAC-2026-0004", "police"),
		row(15, "MARAC-2026-0005", "police"),
		row(16, "MARAC-2026-0006", "police"),
		row(17, "MARAC-2026-0007", "police"),
	};
	struct agenda		a;

	r[0].risk = RISK_HIGH;
	r[0].received = T("2026-11-21T10:00:00Z");
	r[1].risk = RISK_HIGH;
	r[2].risk = RISK_HIGH;
	r[3].received = T("2026-11-22T10:00:00Z");
	r[4].risk = RISK_HIGH;
	r[4].received = T("2026-11-18T16:30:00Z");
	r[5].received = T("2026-11-01T00:00:00Z");
	r[6].risk = RISK_STANDARD;
	r[6].received = T("2026-10-01T00:00:00Z");
	ck_assert_int_eq(agenda_build(&a, &s, r, 7, NULL, NULL), 0);
	ck_assert_uint_eq(a.ngroups, 1);
	for (size_t i = 0; i < 7; i++)
		ck_assert_str_eq(a.cases[i].reference, want[i]);
	agenda_free(&a);
}
END_TEST

/* Received time orders within a risk level even across seconds. */
START_TEST(test_ordering_received_seconds)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r[] = {
		row(1, "MASC-2026-0001", "police"),
		row(2, "MASC-2026-0002", "police"),
	};
	struct agenda		a;

	r[0].received = T("2026-11-20T09:00:01Z");
	r[1].received = T("2026-11-20T09:00:00Z");
	ck_assert_int_eq(agenda_build(&a, &s, r, 2, NULL, NULL), 0);
	ck_assert_str_eq(a.cases[0].reference, "MASC-2026-0002");
	ck_assert_str_eq(a.cases[1].reference, "MASC-2026-0001");
	agenda_free(&a);
}
END_TEST

/* Minimisation. */

START_TEST(test_minimised_by_default)
{
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[] = { row(1, "MARAC-2026-0001", "police") };
	struct agenda		a;
	char			*text;

	ck_assert_int_eq(agenda_build(&a, &s, r, 1, NULL, NULL), 0);
	ck_assert_str_eq(a.cases[0].victim_initials, "J.D.");
	ck_assert_str_eq(a.cases[0].perpetrator_initials, "A.B.");
	ck_assert_ptr_null(a.cases[0].victim_name);
	ck_assert_ptr_null(a.cases[0].perpetrator_name);
	ck_assert(!a.cases[0].has_victim_dob);
	/* Born 8 Dec 1990: 35 on 7 Dec 2026, the day before the birthday. */
	ck_assert_int_eq(a.cases[0].victim_age, 35);
	text = json_text(&a);
	ck_assert_ptr_null(strstr(text, "Jane"));
	ck_assert_ptr_null(strstr(text, "Doe"));
	ck_assert_ptr_null(strstr(text, "Andrew"));
	ck_assert_ptr_null(strstr(text, "Bloggs"));
	ck_assert_ptr_null(strstr(text, "1990"));
	ck_assert_ptr_null(strstr(text, "\"name\""));
	ck_assert_ptr_null(strstr(text, "\"dob\""));
	free(text);
	agenda_free(&a);
}
END_TEST

START_TEST(test_full_names)
{
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[] = { row(1, "MARAC-2026-0001", "police") };
	struct agenda_options	opt = { NULL, 0, true };
	struct agenda		a;
	char			*text;

	ck_assert_int_eq(agenda_build(&a, &s, r, 1, &opt, NULL), 0);
	ck_assert_str_eq(a.cases[0].victim_name, "Jane Doe");
	ck_assert_str_eq(a.cases[0].perpetrator_name, "Andrew Bloggs");
	ck_assert(a.cases[0].has_victim_dob);
	text = json_text(&a);
	ck_assert_ptr_nonnull(strstr(text, "\"name\":\"Jane Doe\""));
	ck_assert_ptr_nonnull(strstr(text, "\"dob\":\"1990-12-08\""));
	ck_assert_ptr_nonnull(strstr(text, "\"name\":\"Andrew Bloggs\""));
	free(text);
	agenda_free(&a);
}
END_TEST

START_TEST(test_case_details)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r[] = {
		row(1, "MASC-2026-0001", "police"),
		row(2, "MASC-2026-0002", "police"),
	};
	struct agenda		a;

	r[0].perpetrator_name = NULL;
	r[0].officer = NULL;
	r[0].victim_dob = D("1990-12-07");	/* birthday on the day */
	r[0].drive = AGENDA_DRIVE_CANDIDATE;
	r[1].victim_dob = D("2027-01-01");	/* after the sitting */
	ck_assert_int_eq(agenda_build(&a, &s, r, 2, NULL, NULL), 0);
	ck_assert_ptr_null(a.cases[0].perpetrator_initials);
	ck_assert_ptr_null(a.cases[0].officer);
	ck_assert_int_eq(a.cases[0].victim_age, 36);
	ck_assert_int_eq(a.cases[1].victim_age, -1);
	/* DRIVE is MARAC's: on a MASC agenda it does not apply. */
	ck_assert_int_eq(a.cases[0].drive, AGENDA_DRIVE_NOT_APPLICABLE);
	ck_assert_int_eq(a.cases[1].drive, AGENDA_DRIVE_NOT_APPLICABLE);
	agenda_free(&a);
}
END_TEST

START_TEST(test_empty)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda		a;
	char			*text;

	ck_assert_int_eq(agenda_build(&a, &s, NULL, 0, NULL, NULL), 0);
	ck_assert_uint_eq(a.ncases, 0);
	ck_assert_uint_eq(a.ngroups, 0);
	ck_assert(agenda_is_draft(&a));
	text = json_text(&a);
	ck_assert_ptr_nonnull(strstr(text, "\"case_count\":0,\"groups\":[]"));
	free(text);
	agenda_free(&a);
	agenda_free(&a);	/* emptied: safe twice */
}
END_TEST

START_TEST(test_invalid_input)
{
	struct agenda_sitting	s = sitting(FORUM_MASC), bs;
	struct agenda_row	r[] = {
		row(1, "MASC-2026-0001", "police"),
		row(2, "MASC-2026-0002", "police"),
	};
	struct agenda_row	br[2];
	struct agenda		a;
	const char		*why;

#define BAD_ROW(stmt) do {						\
	memcpy(br, r, sizeof(br));					\
	stmt;								\
	why = NULL;							\
	ck_assert_int_eq(agenda_build(&a, &s, br, 2, NULL, &why), -1);	\
	ck_assert_str_eq(why, AGENDA_WHY_ROWS);				\
	ck_assert_uint_eq(a.ncases, 0);					\
} while (0)
#define BAD_SITTING(stmt) do {						\
	bs = s;								\
	stmt;								\
	why = NULL;							\
	ck_assert_int_eq(agenda_build(&a, &bs, r, 2, NULL, &why), -1);	\
	ck_assert_str_eq(why, AGENDA_WHY_ROWS);				\
} while (0)

	BAD_ROW(br[1].referral_id = 1);
	BAD_ROW(br[1].referral_id = 0);
	BAD_ROW(br[1].referral_id = AGENDA_ID_MAX + 1);
	BAD_ROW(br[1].reference = NULL);
	BAD_ROW(br[1].agency = NULL);
	BAD_ROW(br[1].victim_name = NULL);
	BAD_ROW(br[1].risk = (enum risk_level)3);
	BAD_ROW(br[1].drive = (enum agenda_drive)4);
	BAD_ROW(br[1].children = -1);
	BAD_ROW(br[1].nbases = 1);
	BAD_ROW(br[1].victim_dob = date_from_ymd(1899, 12, 31));
	BAD_ROW(br[1].received = INT64_MAX);
	BAD_SITTING(bs.id = 0);
	BAD_SITTING(bs.forum = FORUM_NONE);
	BAD_SITTING(bs.area = NULL);
	BAD_SITTING(bs.version = -1);
	BAD_SITTING(bs.date = date_from_ymd(2201, 1, 1));
	BAD_SITTING((bs.has_times = true, bs.starts_at = 100,
	    bs.ends_at = 100));
	why = NULL;
	ck_assert_int_eq(agenda_build(&a, &s, NULL, 1, NULL, &why), -1);
	ck_assert_str_eq(why, AGENDA_WHY_ROWS);
	/* The edges are fine. */
	memcpy(br, r, sizeof(br));
	br[1].referral_id = AGENDA_ID_MAX;
	ck_assert_int_eq(agenda_build(&a, &s, br, 2, NULL, NULL), 0);
	agenda_free(&a);
#undef BAD_ROW
#undef BAD_SITTING
}
END_TEST

/* Canonical JSON. */

static const char golden[] =
	"{\"sitting\":{\"id\":7,\"forum\":\"marac\",\"area\":\"cumberland\","
	"\"area_name\":\"Cumberland\",\"date\":\"2026-12-07\","
	"\"cutoff\":\"2026-12-02\",\"venue\":\"Carlisle Civic Centre\","
	"\"starts_at\":\"2026-12-07T10:00:00Z\","
	"\"ends_at\":\"2026-12-07T13:00:00Z\"},"
	"\"version\":2,\"issued_at\":\"2026-12-03T10:15:00Z\","
	"\"full_names\":false,\"case_count\":2,\"groups\":["
	"{\"agency\":\"police\",\"agency_name\":\"Cumbria Constabulary\","
	"\"cases\":[{\"referral_id\":41,\"reference\":\"MARAC-2026-0041\","
	"\"officer\":\"DC Smith\","
	"\"victim\":{\"initials\":\"J.D.\",\"age\":35},"
	"\"perpetrator\":{\"initials\":\"A.B.\"},\"children\":2,"
	"\"risk\":{\"level\":\"high\",\"bases\":[\"visible_high_risk\","
	"\"professional_judgement\"]},\"repeat\":true,\"urgent\":false,"
	"\"drive\":\"candidate\",\"received_at\":\"2026-11-20T09:00:00Z\"}]},"
	"{\"agency\":\"idva\",\"agency_name\":\"idva\",\"cases\":["
	"{\"referral_id\":1234567890123,\"reference\":\"MARAC-2026-0042\","
	"\"officer\":null,"
	"\"victim\":{\"initials\":\"\\u00c9.D.\",\"age\":null},"
	"\"perpetrator\":null,\"children\":0,"
	"\"risk\":{\"level\":\"medium\",\"bases\":[]},\"repeat\":false,"
	"\"urgent\":true,\"drive\":\"not_screened\","
	"\"received_at\":\"2026-11-21T23:59:59Z\"}]}]}";

static void
golden_agenda(struct agenda *a, bool full_names)
{
	static const char *const order[] = { "police" };
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[] = {
		row(1234567890123, "MARAC-2026-0042", "idva"),
		row(41, "MARAC-2026-0041", "police"),
	};
	struct agenda_options	opt = { order, 1, full_names };

	s.venue = "Carlisle Civic Centre";
	s.has_times = true;
	s.starts_at = T("2026-12-07T10:00:00Z");
	s.ends_at = T("2026-12-07T13:00:00Z");
	s.version = 2;
	s.issued_at = "2026-12-03T10:15:00Z";
	r[0].officer = NULL;
	r[0].victim_name = "\xc3\x89lodie Dupont";
	r[0].victim_dob = D("2027-01-01");
	r[0].perpetrator_name = NULL;
	r[0].urgent = true;
	r[0].received = T("2026-11-21T23:59:59Z");
	r[1].agency_name = "Cumbria Constabulary";
	r[1].risk = RISK_HIGH;
	r[1].bases = high_bases;
	r[1].nbases = 2;
	r[1].children = 2;
	r[1].repeat = true;
	r[1].drive = AGENDA_DRIVE_CANDIDATE;
	ck_assert_int_eq(agenda_build(a, &s, r, 2, &opt, NULL), 0);
}

START_TEST(test_json_golden)
{
	struct agenda	a;
	char		*text;

	golden_agenda(&a, false);
	ck_assert(!agenda_is_draft(&a));
	text = json_text(&a);
	/* cJSON writes non-ASCII as is; the golden spells É as an escape. */
	ck_assert_ptr_nonnull(strstr(text, "\"initials\":\"\xc3\x89.D.\""));
	free(text);
	{
		cJSON	*want = cJSON_Parse(golden);
		char	*w, *got;

		ck_assert_ptr_nonnull(want);
		w = cJSON_PrintUnformatted(want);
		got = json_text(&a);
		ck_assert_str_eq(got, w);
		free(w);
		free(got);
		cJSON_Delete(want);
	}
	agenda_free(&a);
}
END_TEST

START_TEST(test_json_stable)
{
	struct agenda	a, b;
	char		*t1, *t2;

	golden_agenda(&a, _i == 1);
	golden_agenda(&b, _i == 1);
	t1 = json_text(&a);
	t2 = json_text(&b);
	ck_assert_str_eq(t1, t2);
	free(t2);
	t2 = json_text(&a);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);
	agenda_free(&a);
	agenda_free(&b);
}
END_TEST

/* Stored text -> model -> the same text, with and without names. */
START_TEST(test_json_round_trip)
{
	struct agenda	a, b;
	cJSON		*parsed;
	char		*t1, *t2;

	golden_agenda(&a, _i == 1);
	t1 = json_text(&a);
	parsed = cJSON_Parse(t1);
	ck_assert_ptr_nonnull(parsed);
	ck_assert_int_eq(agenda_from_json(parsed, &b, NULL), 0);
	cJSON_Delete(parsed);
	t2 = json_text(&b);
	ck_assert_str_eq(t1, t2);
	ck_assert_uint_eq(b.ngroups, 2);
	ck_assert_str_eq(b.groups[1].agency, "idva");
	ck_assert_str_eq(b.cases[1].agency, "idva");
	ck_assert_int_eq(b.cases[1].referral_id, 1234567890123);
	ck_assert_int_eq(b.cases[0].received, T("2026-11-20T09:00:00Z"));
	ck_assert_int_eq(b.full_names, _i == 1);
	free(t1);
	free(t2);
	agenda_free(&a);
	agenda_free(&b);
}
END_TEST

START_TEST(test_json_round_trip_draft)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda		a, b;
	cJSON			*j;
	char			*t1, *t2;

	ck_assert_int_eq(agenda_build(&a, &s, NULL, 0, NULL, NULL), 0);
	j = agenda_to_json(&a);
	ck_assert_int_eq(agenda_from_json(j, &b, NULL), 0);
	cJSON_Delete(j);
	ck_assert(agenda_is_draft(&b));
	ck_assert(!b.has_times);
	ck_assert_ptr_null(b.venue);
	t1 = json_text(&a);
	t2 = json_text(&b);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);
	agenda_free(&a);
	agenda_free(&b);
}
END_TEST

/* Each edit of the stored golden text must be refused, not guessed at. */
static const struct {
	const char *from, *to;
} corrupt[] = {
	{ "\"case_count\":2", "\"case_count\":3" },
	{ "\"case_count\":2", "\"case_count\":1" },
	{ "\"case_count\":2", "\"case_count\":2.5" },
	{ "\"forum\":\"marac\"", "\"forum\":\"MARAC\"" },
	{ "\"id\":7", "\"id\":0" },
	{ "\"id\":7", "\"id\":\"7\"" },
	{ "\"date\":\"2026-12-07\"", "\"date\":\"2026-12-32\"" },
	{ "\"ends_at\":\"2026-12-07T13:00:00Z\"", "\"ends_at\":null" },
	{ "\"ends_at\":\"2026-12-07T13:00:00Z\"",
	  "\"ends_at\":\"2026-12-07T10:00:00Z\"" },
	{ "\"full_names\":false", "\"full_names\":0" },
	{ "\"referral_id\":41", "\"referral_id\":1234567890123" },
	{ "\"referral_id\":41", "\"referral_id\":-41" },
	{ "\"level\":\"high\"", "\"level\":\"severe\"" },
	{ "\"drive\":\"candidate\"", "\"drive\":\"yes\"" },
	{ "\"repeat\":true", "\"repeat\":\"true\"" },
	{ "\"received_at\":\"2026-11-20T09:00:00Z\"",
	  "\"received_at\":\"2026-11-20T09:00:00+00:00\"" },
	{ "\"received_at\":\"2026-11-20T09:00:00Z\"", "\"received_at\":null" },
	{ "\"bases\":[\"visible_high_risk\"", "\"bases\":[7" },
	{ "\"bases\":[]", "\"bases\":{}" },
	{ "\"children\":2", "\"children\":-2" },
	{ "\"age\":35", "\"age\":35,\"name\":\"Jane Doe\"" },
	{ "\"age\":35", "\"age\":35,\"dob\":\"1990-12-08\"" },
	{ "{\"initials\":\"A.B.\"}", "{\"initials\":\"A.B.\",\"name\":\"x\"}" },
	{ "\"reference\":\"MARAC-2026-0041\"", "\"reference\":null" },
	{ "\"officer\":\"DC Smith\",", "" },
	{ "\"victim\":{\"initials\":\"J.D.\",\"age\":35}", "\"victim\":[]" },
	{ "\"version\":2", "\"version\":-1" },
	{ "\"cases\":[{\"referral_id\":41",
	  "\"cases\":[],\"x\":[{\"referral_id\":41" },
};

static char *
replace(const char *s, const char *from, const char *to)
{
	const char	*at = strstr(s, from);
	size_t		 n;
	char		*out;

	ck_assert_msg(at != NULL, "not in golden: %s", from);
	n = strlen(s) - strlen(from) + strlen(to) + 1;
	out = malloc(n);
	ck_assert_ptr_nonnull(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return out;
}

START_TEST(test_json_loader_refuses)
{
	struct agenda	a;
	const char	*why = NULL;
	cJSON		*j;
	char		*text;

	text = replace(golden, corrupt[_i].from, corrupt[_i].to);
	j = cJSON_Parse(text);
	ck_assert_msg(j != NULL, "edit %d made bad JSON: %s", _i, text);
	ck_assert_msg(agenda_from_json(j, &a, &why) == -1, "accepted: %s", text);
	ck_assert_str_ne(why, WHY_NOMEM);
	ck_assert_uint_eq(a.ncases, 0);
	ck_assert_ptr_null(a.area);
	cJSON_Delete(j);
	free(text);
}
END_TEST

START_TEST(test_json_loader_golden)
{
	struct agenda	a;
	cJSON		*j = cJSON_Parse(golden);

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(agenda_from_json(j, &a, NULL), 0);
	ck_assert_int_eq(a.version, 2);
	ck_assert_str_eq(a.issued_at, "2026-12-03T10:15:00Z");
	ck_assert_str_eq(a.cases[1].victim_initials, "\xc3\x89.D.");
	ck_assert_int_eq(a.cases[1].victim_age, -1);
	ck_assert_ptr_null(a.cases[1].perpetrator_initials);
	ck_assert_uint_eq(a.cases[0].nbases, 2);
	ck_assert_str_eq(a.cases[0].bases[1], "professional_judgement");
	agenda_free(&a);
	cJSON_Delete(j);
	ck_assert_int_eq(agenda_from_json(NULL, &a, NULL), -1);
	j = cJSON_CreateArray();
	ck_assert_int_eq(agenda_from_json(j, &a, NULL), -1);
	cJSON_Delete(j);
}
END_TEST

/* Diff. */

static void
assert_refs(char **got, size_t n, const char *const want[], size_t nwant)
{
	ck_assert_uint_eq(n, nwant);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(got[i], want[i]);
}

static void
diff_rows(struct agenda_row r[5])
{
	r[0] = row(1, "MASC-2026-0001", "police");
	r[1] = row(2, "MASC-2026-0002", "police");
	r[2] = row(3, "MASC-2026-0003", "probation");
	r[3] = row(4, "MASC-2026-0004", "probation");
	r[4] = row(5, "MASC-2026-0005", "victim_support");
}

START_TEST(test_diff)
{
	static const char *const added[] = { "MASC-2026-0009",
	    "MASC-2026-0006" };
	static const char *const removed[] = { "MASC-2026-0001",
	    "MASC-2026-0005" };
	static const char *const changed[] = { "MASC-2026-0002",
	    "MASC-2026-0003" };
	struct agenda_sitting	s1 = sitting(FORUM_MASC), s2;
	struct agenda_row	r1[5], r2[5];
	struct agenda		a1, a2, stored;
	struct agenda_diff	d;
	cJSON			*j;
	char			*text;

	diff_rows(r1);
	s1.version = 1;
	s1.issued_at = "2026-12-03T10:00:00Z";
	ck_assert_int_eq(agenda_build(&a1, &s1, r1, 5, NULL, NULL), 0);

	/*
	 * Version 2: 1 and 5 withdrawn, 2 raised to high, 3 now urgent,
	 * 4 unchanged, 6 and 9 late referrals (9 is high, so first).
	 */
	diff_rows(r2);
	r2[0] = row(6, "MASC-2026-0006", "police");
	r2[1].risk = RISK_HIGH;
	r2[1].bases = escalation;
	r2[1].nbases = 1;
	r2[2].urgent = true;
	r2[4] = row(9, "MASC-2026-0009", "police");
	r2[4].risk = RISK_HIGH;
	s2 = s1;
	s2.version = 2;
	s2.issued_at = "2026-12-04T10:00:00Z";
	ck_assert_int_eq(agenda_build(&a2, &s2, r2, 5, NULL, NULL), 0);

	/* As issue does it: the previous version comes back from storage. */
	j = agenda_to_json(&a1);
	ck_assert_int_eq(agenda_from_json(j, &stored, NULL), 0);
	cJSON_Delete(j);
	ck_assert_int_eq(agenda_diff(&stored, &a2, &d), 0);
	assert_refs(d.added, d.nadded, added, 2);
	assert_refs(d.removed, d.nremoved, removed, 2);
	assert_refs(d.changed, d.nchanged, changed, 2);
	j = agenda_diff_to_json(&d);
	text = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(text, "{\"counts\":{\"added\":2,\"removed\":2,"
	    "\"changed\":2},\"added\":[\"MASC-2026-0009\",\"MASC-2026-0006\"],"
	    "\"removed\":[\"MASC-2026-0001\",\"MASC-2026-0005\"],"
	    "\"changed\":[\"MASC-2026-0002\",\"MASC-2026-0003\"]}");
	free(text);
	cJSON_Delete(j);
	agenda_diff_free(&d);

	/* The first version: everything is new. */
	ck_assert_int_eq(agenda_diff(NULL, &a1, &d), 0);
	ck_assert_uint_eq(d.nadded, 5);
	ck_assert_uint_eq(d.nremoved, 0);
	ck_assert_uint_eq(d.nchanged, 0);
	ck_assert_str_eq(d.added[0], "MASC-2026-0001");
	agenda_diff_free(&d);

	/* Nothing changed. */
	ck_assert_int_eq(agenda_diff(&stored, &a1, &d), 0);
	ck_assert_uint_eq(d.nadded + d.nremoved + d.nchanged, 0);
	j = agenda_diff_to_json(&d);
	text = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(text, "{\"counts\":{\"added\":0,\"removed\":0,"
	    "\"changed\":0},\"added\":[],\"removed\":[],\"changed\":[]}");
	free(text);
	cJSON_Delete(j);
	/* Nothing to issue: the version and the issue time do not count. */
	ck_assert(agenda_unchanged(&stored, &a1, &d));
	ck_assert(!agenda_unchanged(NULL, &a1, &d));
	agenda_diff_free(&d);
	agenda_diff_free(&d);
	/* A case changed, or the sitting's venue: something to issue. */
	ck_assert_int_eq(agenda_diff(&stored, &a2, &d), 0);
	ck_assert(!agenda_unchanged(&stored, &a2, &d));
	agenda_diff_free(&d);
	s2 = s1;
	s2.venue = "Carlisle Civic Centre";
	agenda_free(&a2);
	ck_assert_int_eq(agenda_build(&a2, &s2, r1, 5, NULL, NULL), 0);
	ck_assert_int_eq(agenda_diff(&stored, &a2, &d), 0);
	ck_assert_uint_eq(d.nadded + d.nremoved + d.nchanged, 0);
	ck_assert(!agenda_unchanged(&stored, &a2, &d));
	agenda_diff_free(&d);

	agenda_free(&a1);
	agenda_free(&a2);
	agenda_free(&stored);
}
END_TEST

/* Each shown field on its own makes a case "changed". */
START_TEST(test_diff_each_field)
{
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	base = row(1, "MARAC-2026-0001", "police");
	struct agenda_row	r = base;
	struct agenda		a, b;
	struct agenda_diff	d;

	switch (_i) {
	case 0: r.risk = RISK_HIGH; break;
	case 1: r.bases = escalation; r.nbases = 1; break;
	case 2: r.repeat = true; break;
	case 3: r.urgent = true; break;
	case 4: r.drive = AGENDA_DRIVE_CANDIDATE; break;
	case 5: r.agency = "probation"; break;
	case 6: r.children = 3; break;
	case 7: r.officer = "DS Jones"; break;
	case 8: r.officer = NULL; break;
	case 9: r.reference = "MARAC-2026-0099"; break;
	case 10: r.victim_name = "Janet Dee"; r.victim_dob = D("1995-01-01");
		break;
	case 11: r.perpetrator_name = NULL; break;
	case 12: r.perpetrator_name = "Alan Brown"; break;	/* same A.B. */
	case 13: r.received = T("2026-11-25T00:00:00Z"); break;
	case 14: r.agency_name = "Cumbria Constabulary"; break;
	}
	ck_assert_int_eq(agenda_build(&a, &s, &base, 1, NULL, NULL), 0);
	ck_assert_int_eq(agenda_build(&b, &s, &r, 1, NULL, NULL), 0);
	ck_assert_int_eq(agenda_diff(&a, &b, &d), 0);
	ck_assert_uint_eq(d.nadded, 0);
	ck_assert_uint_eq(d.nremoved, 0);
	/* Not shown (same initials), or not a shown field: no change. */
	ck_assert_uint_eq(d.nchanged, (_i >= 12 ? 0 : 1));
	agenda_diff_free(&d);
	agenda_free(&a);
	agenda_free(&b);
}
END_TEST

/* With names on both sides, a new name is a change; on one side, not. */
START_TEST(test_diff_names)
{
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r1 = row(1, "MARAC-2026-0001", "police");
	struct agenda_row	r2 = r1;
	struct agenda_options	named = { NULL, 0, true };
	struct agenda		a, b, c;
	struct agenda_diff	d;

	r2.perpetrator_name = "Alan Brown";
	ck_assert_int_eq(agenda_build(&a, &s, &r1, 1, &named, NULL), 0);
	ck_assert_int_eq(agenda_build(&b, &s, &r2, 1, &named, NULL), 0);
	ck_assert_int_eq(agenda_build(&c, &s, &r1, 1, NULL, NULL), 0);
	ck_assert_int_eq(agenda_diff(&a, &b, &d), 0);
	ck_assert_uint_eq(d.nchanged, 1);
	agenda_diff_free(&d);
	ck_assert_int_eq(agenda_diff(&a, &c, &d), 0);
	ck_assert_uint_eq(d.nchanged, 0);
	agenda_diff_free(&d);
	agenda_free(&a);
	agenda_free(&b);
	agenda_free(&c);
}
END_TEST

/*
 * cJSON running out of memory part-way: every failure point gives NULL
 * and leaks nothing (ASan checks the leaks when run with CK_FORK=no).
 */
static int alloc_budget;

static void *
failing_malloc(size_t n)
{
	if (alloc_budget-- <= 0)
		return NULL;
	return malloc(n);
}

START_TEST(test_json_out_of_memory)
{
	cJSON_Hooks		 hooks = { failing_malloc, free };
	struct agenda		 a;
	struct agenda_diff	 d;
	cJSON			*j;
	int			 budget;

	golden_agenda(&a, true);
	ck_assert_int_eq(agenda_diff(NULL, &a, &d), 0);
	cJSON_InitHooks(&hooks);
	for (budget = 0; budget < 10000; budget++) {
		alloc_budget = budget;
		if ((j = agenda_to_json(&a)) != NULL)
			break;
	}
	ck_assert_int_gt(budget, 10);
	ck_assert_int_lt(budget, 10000);
	cJSON_Delete(j);
	for (budget = 0; budget < 10000; budget++) {
		alloc_budget = budget;
		if ((j = agenda_diff_to_json(&d)) != NULL)
			break;
	}
	ck_assert_int_lt(budget, 10000);
	cJSON_Delete(j);
	cJSON_InitHooks(NULL);
	agenda_diff_free(&d);
	agenda_free(&a);
}
END_TEST

/* A 300-case sitting (the bench size) builds, orders and round-trips. */
START_TEST(test_large)
{
	static const char *const agencies[] = { "police", "probation",
	    "health_icb", "victim_support", "housing", "idva" };
	static const char *const order[] = { "probation", "police" };
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[300];
	char			refs[300][24];
	struct agenda_options	opt = { order, 2, false };
	struct agenda		a, b;
	cJSON			*j;
	char			*t1, *t2;

	for (int i = 0; i < 300; i++) {
		snprintf(refs[i], sizeof(refs[i]), "MARAC-2026-%04d", 300 - i);
		r[i] = row(i + 1, refs[i], agencies[i % 6]);
		r[i].risk = (enum risk_level)(i * 7 % 3);
		r[i].received = T("2026-11-01T00:00:00Z") + (i * 7919) % 86400;
	}
	ck_assert_int_eq(agenda_build(&a, &s, r, 300, &opt, NULL), 0);
	ck_assert_uint_eq(a.ngroups, 6);
	ck_assert_str_eq(a.groups[0].agency, "probation");
	ck_assert_str_eq(a.groups[1].agency, "police");
	ck_assert_str_eq(a.groups[2].agency, "health_icb");
	for (size_t i = 1; i < a.ncases; i++) {
		const struct agenda_case *p = &a.cases[i - 1], *c = &a.cases[i];

		if (strcmp(p->agency, c->agency) != 0)
			continue;
		ck_assert(p->risk > c->risk ||
		    (p->risk == c->risk && p->received <= c->received));
	}
	t1 = json_text(&a);
	j = cJSON_Parse(t1);
	ck_assert_int_eq(agenda_from_json(j, &b, NULL), 0);
	cJSON_Delete(j);
	t2 = json_text(&b);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);
	agenda_free(&a);
	agenda_free(&b);
}
END_TEST

/*
 * One case per victim per sitting: a linked referral is folded into its
 * case's entry, the higher risk governs (and orders), urgent carries, the
 * JSON lists both assessments and reads back, and the diff sees a link.
 */
START_TEST(test_linked)
{
	static const char *const order[] = { "police", "idva" };
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[4];
	struct agenda_options	opt = { order, 2, false };
	struct agenda		a, b, c;
	struct agenda_diff	d;
	cJSON			*j;
	const cJSON		*cs, *l;
	char			*t1, *t2;
	const char		*why = NULL;

	r[0] = row(1, "MARAC-2026-0001", "police");	/* medium, the case */
	r[1] = row(2, "MARAC-2026-0002", "police");	/* another, high */
	r[1].risk = RISK_HIGH;
	r[1].victim_name = "Mary Smith";
	r[1].received = T("2026-11-21T09:00:00Z");
	r[2] = row(3, "MARAC-2026-0003", "idva");	/* linked to 1, high */
	r[2].risk = RISK_HIGH;
	r[2].bases = high_bases;
	r[2].nbases = 2;
	r[2].urgent = true;
	r[2].officer = "IDVA Jones";
	r[2].received = T("2026-11-22T09:00:00Z");
	r[2].linked_to = 1;
	r[3] = row(4, "MARAC-2026-0004", "health_icb");	/* linked to 1 too */
	r[3].risk = RISK_STANDARD;
	r[3].received = T("2026-11-21T10:00:00Z");
	r[3].linked_to = 1;
	ck_assert_int_eq(agenda_build(&a, &s, r, 4, &opt, NULL), 0);
	/* Two entries: the victim's three referrals are one. */
	ck_assert_uint_eq(a.ncases, 2);
	ck_assert_uint_eq(a.ngroups, 1);
	/* Both high now: the earlier received first. */
	ck_assert_str_eq(a.cases[0].reference, "MARAC-2026-0001");
	ck_assert_int_eq(a.cases[0].risk, RISK_HIGH);
	ck_assert_int_eq(a.cases[0].own_risk, RISK_MEDIUM);
	ck_assert(a.cases[0].urgent);
	ck_assert_uint_eq(a.cases[0].nlinked, 2);
	/* By received time. */
	ck_assert_str_eq(a.cases[0].linked[0].reference, "MARAC-2026-0004");
	ck_assert_str_eq(a.cases[0].linked[1].reference, "MARAC-2026-0003");
	ck_assert_str_eq(a.cases[0].linked[1].agency, "idva");
	ck_assert_int_eq(a.cases[0].linked[1].risk, RISK_HIGH);
	ck_assert_uint_eq(a.cases[0].linked[1].nbases, 2);
	ck_assert_str_eq(a.cases[1].reference, "MARAC-2026-0002");
	ck_assert_uint_eq(a.cases[1].nlinked, 0);

	t1 = json_text(&a);
	j = cJSON_Parse(t1);
	cs = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "groups"), 0), "cases"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cs, "risk"),
	    "level")->valuestring, "high");
	ck_assert_str_eq(cJSON_GetObjectItem(cs, "own_level")->valuestring,
	    "medium");
	l = cJSON_GetArrayItem(cJSON_GetObjectItem(cs, "linked"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(l, "agency")->valuestring, "idva");
	ck_assert_str_eq(cJSON_GetObjectItem(l, "officer")->valuestring,
	    "IDVA Jones");
	/* No names of anyone on a linked referral either. */
	ck_assert_ptr_null(strstr(t1, "Jane"));
	/* An unlinked case keeps the JSON it always had. */
	cs = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "groups"), 0), "cases"), 1);
	ck_assert_ptr_null(cJSON_GetObjectItem(cs, "linked"));
	ck_assert_ptr_null(cJSON_GetObjectItem(cs, "own_level"));
	ck_assert_int_eq(agenda_from_json(j, &b, NULL), 0);
	cJSON_Delete(j);
	t2 = json_text(&b);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);

	/* Unlinked again: the case changes, the other referrals are added. */
	r[2].linked_to = 0;
	r[3].linked_to = 0;
	ck_assert_int_eq(agenda_build(&c, &s, r, 4, &opt, NULL), 0);
	ck_assert_uint_eq(c.ncases, 4);
	ck_assert_int_eq(agenda_diff(&b, &c, &d), 0);
	ck_assert_uint_eq(d.nadded, 2);
	ck_assert_uint_eq(d.nchanged, 1);
	ck_assert_str_eq(d.changed[0], "MARAC-2026-0001");
	agenda_diff_free(&d);
	agenda_free(&a);
	agenda_free(&b);
	agenda_free(&c);

	/* A link to a case that is not there is refused. */
	r[2].linked_to = 99;
	ck_assert_int_eq(agenda_build(&a, &s, r, 4, &opt, &why), -1);
	ck_assert_str_eq(why, AGENDA_WHY_ROWS);
	r[2].linked_to = 3;
	ck_assert_int_eq(agenda_build(&a, &s, r, 4, &opt, NULL), -1);
}
END_TEST

static Suite *
agenda_suite(void)
{
	Suite	*s = suite_create("agenda");
	TCase	*tc;

	tc = tcase_create("initials");
	tcase_add_loop_test(tc, test_initials, 0,
	    sizeof(initials_table) / sizeof(initials_table[0]));
	tcase_add_test(tc, test_instants);
	suite_add_tcase(s, tc);

	tc = tcase_create("grouping");
	tcase_add_test(tc, test_grouping_configured_order);
	tcase_add_test(tc, test_grouping_no_order);
	tcase_add_test(tc, test_grouping_odd_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("ordering");
	tcase_add_test(tc, test_ordering);
	tcase_add_test(tc, test_ordering_received_seconds);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_linked);
	suite_add_tcase(s, tc);

	tc = tcase_create("minimisation");
	tcase_add_test(tc, test_minimised_by_default);
	tcase_add_test(tc, test_full_names);
	tcase_add_test(tc, test_case_details);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_invalid_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_json_golden);
	tcase_add_loop_test(tc, test_json_stable, 0, 2);
	tcase_add_loop_test(tc, test_json_round_trip, 0, 2);
	tcase_add_test(tc, test_json_round_trip_draft);
	tcase_add_test(tc, test_json_loader_golden);
	tcase_add_test(tc, test_json_out_of_memory);
	tcase_add_loop_test(tc, test_json_loader_refuses, 0,
	    sizeof(corrupt) / sizeof(corrupt[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("diff");
	tcase_add_test(tc, test_diff);
	tcase_add_loop_test(tc, test_diff_each_field, 0, 15);
	tcase_add_test(tc, test_diff_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(agenda_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * The words a page shows for the API's codes, dates and instants.
 */
#include <string.h>

#include "unit.h"

#include "core/words.h"

START_TEST(test_dates_and_instants)
{
	char w[WORDS_MAX];

	ck_assert(words_date("2026-12-17", w, sizeof(w)));
	ck_assert_str_eq(w, "Thursday 17 December 2026");
	ck_assert(words_date("2028-02-29", w, sizeof(w)));
	ck_assert_str_eq(w, "Tuesday 29 February 2028");
	ck_assert(!words_date("2027-02-29", w, sizeof(w)));
	ck_assert(!words_date("17/12/2026", w, sizeof(w)));
	ck_assert(!words_date(NULL, w, sizeof(w)));
	/* As written: the database writes the deployment's local time. */
	ck_assert(words_instant("2026-12-15T23:59:59+00:00", w, sizeof(w)));
	ck_assert_str_eq(w, "23:59 on Tuesday 15 December 2026");
	ck_assert(words_instant("2027-03-28T02:30:00+01:00", w, sizeof(w)));
	ck_assert_str_eq(w, "02:30 on Sunday 28 March 2027");
	ck_assert(words_instant("2026-06-01T09:05:00.123456+01:00", w, sizeof(w)));
	ck_assert_str_eq(w, "09:05 on Monday 1 June 2026");
	ck_assert(!words_instant("2026-06-01", w, sizeof(w)));
	ck_assert(!words_instant("2026-06-01T25:00:00Z", w, sizeof(w)));
	/* Too little room is a refusal, not a cut. */
	ck_assert(!words_date("2026-12-17", w, 10));
}
END_TEST

START_TEST(test_codes)
{
	static const struct {
		const char *key, *code, *words;
	} codes[] = {
		{ "forum", "marac", "MARAC" },
		{ "forum", "masc", "MASC" },
		{ "status", "below_threshold", "Below the threshold" },
		{ "status", "listed", "Listed" },
		{ "bases", "visible_high_risk", "Visible high risk (DASH questions ticked yes)" },
		{ "level", "high", "High" },
		/* The chair's case page: the lawful bases and the consent. */
		{ "lawful_basis", "dpa_2018_part3",
		    "Data Protection Act 2018, Part 3 (law enforcement)" },
		{ "lawful_basis", "human_rights_act_art2_art3",
		    "Human Rights Act 1998, Articles 2 and 3" },
		{ "consent", "given", "Given" },
	};
	char w[WORDS_MAX];

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert(words_code(codes[i].key, codes[i].code, w, sizeof(w)));
		ck_assert_str_eq(w, codes[i].words);
	}
	/* Not a code: text a person wrote is never reworded. */
	ck_assert(!words_code("status", "Listed", w, sizeof(w)));
	ck_assert(!words_code("status", "a b", w, sizeof(w)));
	ck_assert(!words_code("status", "", w, sizeof(w)));
}
END_TEST

START_TEST(test_tree)
{
	cJSON *t = cJSON_Parse("{\"forum\": \"marac\", \"name\": \"high\","
	    " \"risk\": {\"level\": \"medium\", \"bases\": [\"escalation\"]},"
	    " \"cases\": [{\"date\": \"2026-12-17\", \"status\": \"waiting\"}],"
	    " \"status_words\": \"kept\", \"status\": \"open\"}");
	char *s;

	ck_assert_ptr_nonnull(t);
	words_add(t);
	s = cJSON_PrintUnformatted(t);
	ck_assert_str_eq(s, "{\"forum\":\"marac\",\"name\":\"high\","
	    "\"risk\":{\"level\":\"medium\",\"bases\":[\"escalation\"],"
	    "\"level_words\":\"Medium\",\"bases_words\":"
	    "[\"Escalation (declared, or police call-outs)\"]},"
	    "\"cases\":[{\"date\":\"2026-12-17\",\"status\":\"waiting\","
	    "\"date_words\":\"Thursday 17 December 2026\","
	    "\"status_words\":\"Waiting\"}],"
	    "\"status_words\":\"kept\",\"status\":\"open\","
	    "\"forum_words\":\"MARAC\"}");
	cJSON_free(s);
	cJSON_Delete(t);
	words_add(NULL);
}
END_TEST

/* The chair's case page: a referral's lawful bases and consent gain words. */
START_TEST(test_sharing)
{
	cJSON *t = cJSON_Parse("{\"lawful_basis\": [\"crime_and_disorder_act_s115\","
	    " \"dpa_2018_sch8_safeguarding\", \"Bad code\"], \"consent\": \"not_sought\"}");
	char *s;

	ck_assert_ptr_nonnull(t);
	words_add(t);
	s = cJSON_PrintUnformatted(t);
	ck_assert_str_eq(s, "{\"lawful_basis\":[\"crime_and_disorder_act_s115\","
	    "\"dpa_2018_sch8_safeguarding\",\"Bad code\"],\"consent\":\"not_sought\","
	    "\"lawful_basis_words\":[\"Crime and Disorder Act 1998, section 115\","
	    "\"Data Protection Act 2018, Schedule 8 (safeguarding)\"],"
	    "\"consent_words\":\"Not sought\"}");
	cJSON_free(s);
	cJSON_Delete(t);
}
END_TEST

START_TEST(test_counts_and_areas)
{
	char w[WORDS_MAX];
	cJSON *t;
	char *s;

	ck_assert_str_eq(words_plural(0, "case", "cases"), "cases");
	ck_assert_str_eq(words_plural(1, "case", "cases"), "case");
	ck_assert_str_eq(words_plural(2, "agency", "agencies"), "agencies");
	ck_assert(words_count(1, "case", "cases", w, sizeof(w)));
	ck_assert_str_eq(w, "1 case");
	ck_assert(words_count(300, "case", "cases", w, sizeof(w)));
	ck_assert_str_eq(w, "300 cases");
	ck_assert(!words_count(300, "case", "cases", w, 5));
	/* An area's name: each word capitalised. */
	ck_assert(words_code("area", "cumbria", w, sizeof(w)));
	ck_assert_str_eq(w, "Cumbria");
	ck_assert(words_code("area", "west_cumbria_2", w, sizeof(w)));
	ck_assert_str_eq(w, "West Cumbria 2");
	ck_assert(!words_code("area", "Cumbria", w, sizeof(w)));
	/* The chair's attendance counts agencies; a person's presence is no count. */
	t = cJSON_Parse("{\"present\": 1, \"rows\": 1, \"x\": {\"present\": true}}");
	words_add(t);
	s = cJSON_PrintUnformatted(t);
	ck_assert_str_eq(s, "{\"present\":1,\"rows\":1,\"x\":{\"present\":true},"
	    "\"present_words\":\"1 agency\",\"rows_words\":\"1 row\"}");
	cJSON_free(s);
	cJSON_Delete(t);
	/* Counts gain their noun; other numbers, and non-counts, do not. */
	t = cJSON_Parse("{\"case_count\": 1, \"cases\": 2, \"area\": \"eden\","
	    " \"sittings\": [{\"cases\": 0}, {\"cases\": 1.5}, {\"cases\": -1}],"
	    " \"version\": 1}");
	ck_assert_ptr_nonnull(t);
	words_add(t);
	s = cJSON_PrintUnformatted(t);
	ck_assert_str_eq(s, "{\"case_count\":1,\"cases\":2,\"area\":\"eden\","
	    "\"sittings\":[{\"cases\":0,\"cases_words\":\"0 cases\"},"
	    "{\"cases\":1.5},{\"cases\":-1}],\"version\":1,"
	    "\"case_count_words\":\"1 case\",\"cases_words\":\"2 cases\","
	    "\"area_words\":\"Eden\"}");
	cJSON_free(s);
	cJSON_Delete(t);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("words", &tc);

	tcase_add_test(tc, test_dates_and_instants);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_counts_and_areas);
	tcase_add_test(tc, test_sharing);
	return unit_run(s);
}

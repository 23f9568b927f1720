/*
 * The referral form's steps (core/referralform.c): typed values, merging
 * a step into a draft, and which step has the input of an error.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/referralform.h"

static void
assert_json(const cJSON *got, const char *want)
{
	cJSON *w = cJSON_Parse(want);
	char *g = cJSON_PrintUnformatted(got);

	ck_assert_msg(w != NULL, "bad expectation %s", want);
	ck_assert_msg(cJSON_Compare(got, w, true), "got %s, want %s", g, want);
	cJSON_free(g);
	cJSON_Delete(w);
}

START_TEST(test_types)
{
	cJSON *f = cJSON_Parse("{\"domestic_abuse\": \"yes\", \"stalking\": \"no\", "
	    "\"urgent\": \"maybe\", \"police_callouts_12m\": \"3\", "
	    "\"perpetrator\": {\"name\": \"yes\", \"in_custody\": \"false\", "
	    "\"mappa_level\": \"2x\"}, \"children\": [{\"resident\": \"true\"}], "
	    "\"dash\": {\"version\": \"dash-2009\", \"answers\": {\"1\": \"yes\", "
	    "\"2\": \"no\"}}, \"sdash\": {\"answers\": {\"11\": \"yes\"}}}");

	referralform_types(f);
	/* Text stays text (a name of "yes"); what is not yes or no stays too. */
	assert_json(f, "{\"domestic_abuse\": true, \"stalking\": false, "
	    "\"urgent\": \"maybe\", \"police_callouts_12m\": 3, "
	    "\"perpetrator\": {\"name\": \"yes\", \"in_custody\": false, "
	    "\"mappa_level\": \"2x\"}, \"children\": [{\"resident\": true}], "
	    "\"dash\": {\"version\": \"dash-2009\", \"answers\": {\"1\": true, "
	    "\"2\": false}}, \"sdash\": {\"answers\": {\"11\": true}}}");
	cJSON_Delete(f);
}
END_TEST

START_TEST(test_merge)
{
	cJSON *body = cJSON_Parse("{\"victim\": {\"name\": \"A\"}, \"perpetrator\": "
	    "{\"name\": \"P\", \"relationship\": \"ex-partner\"}, \"stalking\": true}");
	cJSON *form = cJSON_Parse("{\"perpetrator\": {\"relationship\": \"partner\"}, "
	    "\"domestic_abuse\": true}");

	/* The relationship step: its own members, the perpetrator's name kept. */
	referralform_merge(body, form, referralform_step("relationship"));
	assert_json(body, "{\"victim\": {\"name\": \"A\"}, \"perpetrator\": "
	    "{\"name\": \"P\", \"relationship\": \"partner\"}, \"domestic_abuse\": true}");
	cJSON_Delete(form);
	/* The perpetrator step with nothing: the perpetrator goes, all of him. */
	form = cJSON_Parse("{}");
	referralform_merge(body, form, referralform_step("perpetrator"));
	assert_json(body, "{\"victim\": {\"name\": \"A\"}, \"perpetrator\": "
	    "{\"relationship\": \"partner\"}, \"domestic_abuse\": true}");
	referralform_merge(body, form, referralform_step("relationship"));
	assert_json(body, "{\"victim\": {\"name\": \"A\"}}");
	cJSON_Delete(form);
	form = cJSON_Parse("{\"victim\": {\"dob\": \"1990-01-01\"}, \"extra\": 1}");
	referralform_merge(body, form, referralform_step("victim"));
	assert_json(body, "{\"victim\": {\"dob\": \"1990-01-01\"}}");
	cJSON_Delete(form);
	cJSON_Delete(body);
}
END_TEST

START_TEST(test_steps)
{
	const struct referralform_step *s = referralform_step("victim");
	int n = 0;

	for (; s != NULL; s = referralform_next(s))
		n++;
	ck_assert_int_eq(n, 6);
	ck_assert_ptr_null(referralform_step("nothing"));
	ck_assert_str_eq(referralform_step_of("victim.dob")->name, "victim");
	ck_assert_str_eq(referralform_step_of("children[1].dob")->name, "children");
	ck_assert_str_eq(referralform_step_of("perpetrator.relationship")->name,
	    "relationship");
	ck_assert_str_eq(referralform_step_of("perpetrator.name")->name, "perpetrator");
	ck_assert_str_eq(referralform_step_of("dash.answers.3")->name, "checklist");
	ck_assert_str_eq(referralform_step_of("lawful_basis[0]")->name, "sharing");
	ck_assert_ptr_null(referralform_step_of("referring_agency"));
	ck_assert_ptr_null(referralform_step_of("victimx"));
}
END_TEST

static Suite *
referralform_suite(void)
{
	Suite	*s = suite_create("referralform");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_steps);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(referralform_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

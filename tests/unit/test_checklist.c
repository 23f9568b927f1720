/*
 * Checklist wording (core/checklist.c): the deployment's file checked
 * against the checklists maracd scores, and maracd's labels for the rest.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"

static struct checklist_wording *
parse(const char *text, char *err)
{
	err[0] = '\0';
	return checklist_wording_parse(text, strlen(text), err, 200);
}

static const cJSON *
question(const cJSON *doc, const char *checklist, int n)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "checklists"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "checklist")),
		    checklist) == 0)
			return cJSON_GetArrayItem(cJSON_GetObjectItem(c, "questions"), n - 1);
	return NULL;
}

static int
questions(const cJSON *doc, const char *checklist)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "checklists"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "checklist")),
		    checklist) == 0)
			return cJSON_GetArraySize(cJSON_GetObjectItem(c, "questions"));
	return -1;
}

START_TEST(test_labels_without_a_file)
{
	cJSON *doc = checklist_json(NULL);
	const cJSON *q;

	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "checklists")), 4);
	ck_assert_int_eq(questions(doc, "dash-2009"), 27);
	ck_assert_int_eq(questions(doc, "safelives-ric"), 24);
	ck_assert_int_eq(questions(doc, "glos-2018"), 28);
	ck_assert_int_eq(questions(doc, "sdash"), 11);
	q = question(doc, "dash-2009", 7);
	ck_assert_int_eq(cJSON_GetObjectItem(q, "number")->valueint, 7);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "text")), "Question 7");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "source")), "maracd");
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_wording_overrides_labels)
{
	char err[200];
	struct checklist_wording *w = parse("{\"dash-2009\": {\"1\": \"First, worded\", "
	    "\"27\": \"Last\"}, \"sdash\": {\"11\": \"Eleventh\"}}", err);
	cJSON *doc;
	const cJSON *q;

	ck_assert_msg(w != NULL, "%s", err);
	ck_assert_int_eq(checklist_wording_count(w), 3);
	doc = checklist_json(w);
	q = question(doc, "dash-2009", 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "text")), "First, worded");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "source")), "deployment");
	q = question(doc, "dash-2009", 2);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "text")), "Question 2");
	q = question(doc, "sdash", 11);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "text")), "Eleventh");
	/* Another version's same number is not worded by it. */
	q = question(doc, "glos-2018", 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(q, "source")), "maracd");
	cJSON_Delete(doc);
	checklist_wording_free(w);
}
END_TEST

START_TEST(test_bad_files_say_why)
{
	static const struct { const char *text, *says; } bad[] = {
		{ "[]", "not a JSON object" },
		{ "{\"dash-2009\": ", "not a JSON object" },
		{ "{\"dash-2019\": {}}", "no checklist \"dash-2019\"" },
		{ "{\"dash-2009\": []}", "must be an object" },
		{ "{\"dash-2009\": {\"28\": \"x\"}}", "no question \"28\" (1 to 27)" },
		{ "{\"sdash\": {\"12\": \"x\"}}", "no question \"12\" (1 to 11)" },
		{ "{\"sdash\": {\"0\": \"x\"}}", "no question \"0\"" },
		{ "{\"sdash\": {\"01\": \"x\"}}", "no question \"01\"" },
		{ "{\"sdash\": {\"1 \": \"x\"}}", "no question \"1 \"" },
		{ "{\"sdash\": {\"1\": \"\"}}", "question 1: must be text" },
		{ "{\"sdash\": {\"1\": 3}}", "question 1: must be text" },
	};
	char err[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_null(parse(bad[i].text, err));
		ck_assert_msg(strstr(err, bad[i].says) != NULL, "%s: %s", bad[i].text, err);
	}
}
END_TEST

static char *
worded(size_t len)
{
	char *text = malloc(len + 32);

	strcpy(text, "{\"sdash\": {\"1\": \"");
	memset(text + strlen(text), 'a', len);
	strcpy(text + 17 + len, "\"}}");
	return text;
}

START_TEST(test_text_length)
{
	struct checklist_wording *w;
	char err[200], *text;

	text = worded(CHECKLIST_TEXT_MAX);
	w = parse(text, err);
	ck_assert_msg(w != NULL, "%s", err);
	checklist_wording_free(w);
	free(text);
	/* One byte more is refused. */
	text = worded(CHECKLIST_TEXT_MAX + 1);
	ck_assert_ptr_null(parse(text, err));
	ck_assert_ptr_nonnull(strstr(err, "1 to 1000 bytes"));
	free(text);
}
END_TEST

static Suite *
checklist_suite(void)
{
	Suite	*s = suite_create("checklist");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_labels_without_a_file);
	tcase_add_test(tc, test_wording_overrides_labels);
	tcase_add_test(tc, test_bad_files_say_why);
	tcase_add_test(tc, test_text_length);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(checklist_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

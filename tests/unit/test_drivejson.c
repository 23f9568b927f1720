/*
 * DRIVE screening as JSON: the screening SQL's input turned into core
 * structs (unknowns stay unknown, names never come out), the results
 * drive_store() takes, and the day the job screens a sitting.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/drive.h"
#include "core/drivejson.h"
#include "core/render/drive_text.h"
#include "core/workdays.h"
#include "unit_date.h"

static struct drive_rubric rubric;
static char why[DRIVEJSON_WHY_MAX];

static void
setup(void)
{
	drive_rubric_defaults(&rubric);
	why[0] = '\0';
}

/* Issue 9's perpetrator: three referrals, two victims, 20 months. */
static const char scenario[] =
	"{\"sitting_id\": 7, \"date\": \"2026-03-02\", \"perpetrators\": [{"
	"\"identity\": \"john roe|1985-05-05\", \"name\": \"John Roe\", "
	"\"dob\": \"1985-05-05\", \"referral_ids\": [3], \"in_custody\": false, "
	"\"mappa_level\": 0, \"on_drive\": false, \"in_area\": true, "
	"\"at_marac\": true, \"history\": ["
	"{\"id\": 1, \"received\": \"2024-06-20\", \"victim\": \"1\", "
	"\"checklist\": \"dash-2009\", \"yes\": [1, 3]},"
	"{\"id\": 2, \"received\": \"2025-05-10\", \"victim\": \"1\", "
	"\"checklist\": \"dash-2009\", \"yes\": [16]},"
	"{\"id\": 3, \"received\": \"2026-02-20\", \"victim\": \"2\", "
	"\"checklist\": \"safelives-ric\", \"yes\": [18]}]}]}";

static cJSON *
screen(const char *input, bool on_demand)
{
	char *out = drivejson_screen(input, &rubric, on_demand, why, sizeof(why));
	cJSON *doc;

	ck_assert_msg(out != NULL, "refused: %s", why);
	ck_assert_ptr_null(strstr(out, "John"));	/* no names out */
	ck_assert_ptr_null(strstr(out, "Roe\""));
	doc = cJSON_Parse(out);
	cJSON_free(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert(cJSON_IsArray(doc));
	return doc;
}

static int
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", key);
	return v->valueint;
}

START_TEST(test_scenario)
{
	cJSON *doc = screen(scenario, false), *p, *c, *b;

	ck_assert_int_eq(cJSON_GetArraySize(doc), 1);
	p = cJSON_GetArrayItem(doc, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "initials")->valuestring, "J.R.");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "identity")->valuestring,
	    "john roe|1985-05-05");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "referral_ids")), 1);
	c = cJSON_GetObjectItem(p, "components");
	ck_assert_int_eq(num(c, "recency"), 5);
	ck_assert_int_eq(num(c, "frequency"), 3);
	ck_assert_int_eq(num(c, "gravity"), 4);
	ck_assert_int_eq(num(c, "victims"), 3);
	ck_assert_int_eq(num(p, "score"), 15);
	ck_assert_int_eq(num(p, "threshold"), 12);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "eligible")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "candidate")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "reasons")), 0);
	b = cJSON_GetObjectItem(p, "basis");
	ck_assert_int_eq(num(b, "age"), 40);
	ck_assert_int_eq(num(b, "recency_days"), 10);
	ck_assert_int_eq(num(b, "referrals"), 3);
	ck_assert_int_eq(num(b, "victims"), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(b, "window_start")->valuestring,
	    "2023-03-02");
	/* injury (q1 of dash-2009) and weapons (q16); q18 of safelives-ric is none. */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(b, "gravity")), 2);
	cJSON_Delete(doc);
}
END_TEST

/* Null and absent optional fields are unknown: cautions, not exclusions. */
START_TEST(test_unknowns)
{
	const char *in = "{\"date\": \"2026-03-02\", \"perpetrators\": [{"
	    "\"identity\": \"referral:9\", \"name\": \"Ann Other\", \"dob\": null, "
	    "\"referral_ids\": [9], \"in_custody\": null, \"at_marac\": true, "
	    "\"history\": [{\"id\": 9, \"received\": \"2026-03-01\", "
	    "\"victim\": \"1\", \"checklist\": null, \"yes\": []}]}]}";
	cJSON *doc = screen(in, false), *p, *rs;
	const char *want[] = { "age_unknown", "custody_unknown", "mappa_unknown",
	    "drive_status_unknown", "in_area_unknown", "checklist_unknown" };
	int i = 0;

	p = cJSON_GetArrayItem(doc, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "initials")->valuestring, "A.O.");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "eligible")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(p,
	    "basis"), "age")));
	cJSON_ArrayForEach(rs, cJSON_GetObjectItem(p, "reasons")) {
		ck_assert_int_lt(i, 6);
		ck_assert_str_eq(cJSON_GetObjectItem(rs, "code")->valuestring, want[i]);
		ck_assert(cJSON_IsBool(cJSON_GetObjectItem(rs, "excludes")));
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(rs, "text")));
		i++;
	}
	ck_assert_int_eq(i, 6);
	cJSON_Delete(doc);
}
END_TEST

/* Exclusions from the stored flags, and at_marac with on demand. */
START_TEST(test_exclusions_and_on_demand)
{
	const char *in = "{\"date\": \"2026-03-02\", \"perpetrators\": [{"
	    "\"name\": \"B C\", \"dob\": \"1990-01-01\", \"referral_ids\": [4], "
	    "\"in_custody\": true, \"mappa_level\": 2, \"on_drive\": true, "
	    "\"in_area\": false, \"at_marac\": false, \"history\": []}]}";
	const char *want[] = { "not_at_marac", "in_custody", "mappa_2_3",
	    "already_on_drive", "out_of_area", "no_history" };
	cJSON *doc = screen(in, false), *rs;
	int i = 0;

	cJSON_ArrayForEach(rs, cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0),
	    "reasons"))
		ck_assert_str_eq(cJSON_GetObjectItem(rs, "code")->valuestring,
		    want[i++]);
	ck_assert_int_eq(i, 6);
	cJSON_Delete(doc);

	doc = screen(in, true);
	rs = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0),
	    "reasons"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(rs, "code")->valuestring,
	    "screened_on_demand");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(rs, "excludes")));
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_empty_sitting)
{
	cJSON *doc = screen("{\"date\": \"2026-03-02\", \"perpetrators\": []}",
	    false);

	ck_assert_int_eq(cJSON_GetArraySize(doc), 0);
	cJSON_Delete(doc);
}
END_TEST

static const char *const refused[] = {
	"",
	"not json",
	"[]",
	"{\"perpetrators\": []}",
	"{\"date\": \"2026-02-30\", \"perpetrators\": []}",
	"{\"date\": \"2026-03-02\"}",
	"{\"date\": \"2026-03-02\", \"perpetrators\": [1]}",
	"{\"date\": \"2026-03-02\", \"perpetrators\": [{\"history\": 3}]}",
	"{\"date\": \"2026-03-02\", \"perpetrators\": [{\"history\": "
	    "[{\"id\": 1}]}]}",
};

START_TEST(test_refused)
{
	char *out = drivejson_screen(refused[_i], &rubric, false, why,
	    sizeof(why));

	ck_assert_ptr_null(out);
	ck_assert(why[0] != '\0');
}
END_TEST

START_TEST(test_refused_null)
{
	ck_assert_ptr_null(drivejson_screen(NULL, &rubric, false, why,
	    sizeof(why)));
}
END_TEST

/* Questions past the 63 a history bit set holds are ignored, not UB. */
START_TEST(test_question_range)
{
	const char *in = "{\"date\": \"2026-03-02\", \"perpetrators\": [{"
	    "\"name\": \"B C\", \"dob\": \"1990-01-01\", \"referral_ids\": [4], "
	    "\"at_marac\": true, \"history\": [{\"id\": 4, \"received\": "
	    "\"2026-03-01\", \"victim\": \"1\", \"checklist\": \"dash-2009\", "
	    "\"yes\": [0, -1, 64, 1000, 18.5, \"18\"]}]}]}";
	cJSON *doc = screen(in, false);

	ck_assert_int_eq(num(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0),
	    "components"), "gravity"), 1);
	cJSON_Delete(doc);
}
END_TEST

/* The screening day: N working days before the sitting. */
static const struct {
	const char	*sitting;
	int		 n;
	const char	*day;
} days[] = {
	{ "2026-12-10", 2, "2026-12-08" },	/* Thursday -> Tuesday */
	{ "2026-12-07", 2, "2026-12-03" },	/* Monday -> Thursday */
	{ "2026-12-29", 2, "2026-12-23" },	/* over Christmas and Boxing Day */
	{ "2026-12-10", 0, "2026-12-10" },
	{ "2026-04-07", 1, "2026-04-02" },	/* Easter Monday, Good Friday */
};

START_TEST(test_screen_day)
{
	struct calendar cal;

	ck_assert_int_eq(workdays_init(&cal, workdays_known_overrides,
	    workdays_nknown_overrides, NULL), 0);
	ck_assert_int_eq(drivejson_screen_day(&cal, D(days[_i].sitting),
	    days[_i].n), D(days[_i].day));
}
END_TEST

START_TEST(test_due)
{
	struct calendar cal;
	date_t s = D("2026-12-10");

	ck_assert_int_eq(workdays_init(&cal, workdays_known_overrides,
	    workdays_nknown_overrides, NULL), 0);
	ck_assert(!drivejson_due(&cal, s, 2, D("2026-12-07")));
	ck_assert(drivejson_due(&cal, s, 2, D("2026-12-08")));
	ck_assert(drivejson_due(&cal, s, 2, D("2026-12-09")));
	ck_assert(drivejson_due(&cal, s, 2, D("2026-12-10")));
	ck_assert(!drivejson_due(&cal, s, 2, D("2026-12-11")));	/* held */
	ck_assert(!drivejson_due(&cal, s, 0, D("2026-12-09")));
	ck_assert(drivejson_due(&cal, s, 0, D("2026-12-10")));
}
END_TEST

/* The screening as GET .../drive answers it, as maracctl drive prints it. */
START_TEST(test_text)
{
	static const char screened[] =
	    "{\"sitting\": {\"id\": 12, \"date\": \"2026-12-10\"}, "
	    "\"screened\": true, \"rubric\": \"2026-1\", "
	    "\"screened_at\": \"2026-12-08T09:00:00Z\", \"perpetrators\": ["
	    "{\"initials\": \"J.R.\", \"referral_ids\": [3, 5], "
	    "\"candidate\": true, \"eligible\": true, \"score\": 9, "
	    "\"components\": {\"recency\": 3, \"frequency\": 2, "
	    "\"gravity\": 3, \"victims\": 1}, \"reasons\": []}, "
	    "{\"initials\": \"A.B.\", \"referral_ids\": [4], "
	    "\"eligible\": false, \"score\": \"x\", \"reasons\": "
	    "[{\"code\": \"in_custody\"}, {\"code\": \"on_drive\"}]}]}";
	struct buf b;

	buf_init(&b);
	ck_assert_int_eq(drive_text(screened, &b), 0);
	ck_assert_str_eq(buf_str(&b), "sitting 12\t2026-12-10\trubric 2026-1\t"
	    "screened 2026-12-08T09:00:00Z\n"
	    "J.R.\t3,5\tcandidate\teligible\t9\t3/2/3/1\t-\n"
	    "A.B.\t4\t-\texcluded\t0\t0/0/0/0\tin_custody,on_drive\n");
	buf_reset(&b);
	ck_assert_int_eq(drive_text("{\"sitting\": {\"id\": 13, \"date\": "
	    "\"2026-12-17\"}, \"screened\": false}", &b), 0);
	ck_assert_str_eq(buf_str(&b), "sitting 13\t2026-12-17\tnot screened\n");
	ck_assert_int_eq(drive_text("[1]", &b), -1);
	ck_assert_int_eq(drive_text("not json", &b), -1);
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("drivejson");
	TCase *tc = tcase_create("screen");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_scenario);
	tcase_add_test(tc, test_unknowns);
	tcase_add_test(tc, test_exclusions_and_on_demand);
	tcase_add_test(tc, test_empty_sitting);
	tcase_add_loop_test(tc, test_refused, 0,
	    (int)(sizeof(refused) / sizeof(refused[0])));
	tcase_add_test(tc, test_refused_null);
	tcase_add_test(tc, test_question_range);
	suite_add_tcase(s, tc);
	tc = tcase_create("schedule");
	tcase_add_loop_test(tc, test_screen_day, 0,
	    (int)(sizeof(days) / sizeof(days[0])));
	tcase_add_test(tc, test_due);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, test_text);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

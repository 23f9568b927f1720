/*
 * The MASC indicators (core/masc_indicators.c) from hand-counted groups:
 * median and 90th percentile of days to hearing, actions by due date and
 * attendance as percentages.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/masc_indicators.h"
#include "unit.h"
#include "unit_date.h"

START_TEST(test_median_and_p90)
{
	static const int one[] = { 9 };
	static const int four[] = { 3, 5, 8, 20 };
	static const int ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 30 };
	static const int eleven[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40 };
	double m;
	int p;

	ck_assert(!masc_median(one, 0, &m) && !masc_p90(one, 0, &p));
	ck_assert(masc_median(one, 1, &m) && m == 9.0);
	ck_assert(masc_p90(one, 1, &p) && p == 9);
	ck_assert(masc_median(four, 4, &m) && m == 6.5);
	ck_assert(masc_p90(four, 4, &p) && p == 20);	/* rank ceil(3.6) = 4 */
	ck_assert(masc_median(ten, 10, &m) && m == 5.5);
	ck_assert(masc_p90(ten, 10, &p) && p == 9);	/* rank 9 */
	ck_assert(masc_p90(eleven, 11, &p) && p == 10);	/* rank ceil(9.9) = 10 */
}
END_TEST

START_TEST(test_json)
{
	static const char counts[] =
	    "{\"meetings\": 4, \"days_to_hearing\": [12, 3, 7],"
	    " \"actions\": {\"housing\": {\"due\": 3, \"on_time\": 2},"
	    "   \"police\": {\"due\": 0, \"on_time\": 0}},"
	    " \"attendance\": {\"police\": 4, \"housing\": 1},"
	    " \"decided\": 5, \"recorded\": 3,"
	    " \"spo\": {\"applied_for\": 2, \"considered\": 3},"
	    " \"onward_referrals\": {\"mappa\": 1}}";
	cJSON *c = cJSON_Parse(counts), *o;
	char *text;

	o = masc_indicators_json(c, "eden", 2026, 3, D("2026-07-01"),
	    D("2026-09-30"));
	ck_assert_ptr_nonnull(o);
	text = cJSON_PrintUnformatted(o);
	ck_assert_str_eq(text, "{\"area\":\"eden\",\"quarter\":\"2026Q3\","
	    "\"from\":\"2026-07-01\",\"to\":\"2026-09-30\",\"meetings\":4,"
	    "\"referral_to_hearing\":{\"cases\":3,\"median_days\":7,\"p90_days\":12},"
	    "\"actions_by_due_date\":[{\"agency\":\"housing\",\"due\":3,"
	    "\"completed_by_due_date\":2,\"percent\":66.7},{\"agency\":\"police\","
	    "\"due\":0,\"completed_by_due_date\":0,\"percent\":null}],"
	    "\"outcomes\":{\"cases_decided\":5,\"recorded\":3,"
	    "\"spo\":{\"considered\":3,\"applied_for\":2,\"interim_granted\":0,"
	    "\"full_granted\":0,\"breached\":0},\"onward_referrals\":{\"mappa\":1,"
	    "\"stalking_clinic\":0,\"isac_idva\":0,\"perpetrator_programme\":0}},"
	    "\"attendance\":[{\"agency\":\"police\",\"meetings_attended\":4,"
	    "\"percent\":100},{\"agency\":\"housing\",\"meetings_attended\":1,"
	    "\"percent\":25}]}");
	free(text);
	cJSON_Delete(o);
	cJSON_Delete(c);
	ck_assert_ptr_null(masc_indicators_json(NULL, "eden", 2026, 3, 0, 0));
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("masc_indicators", &tc);

	tcase_add_test(tc, test_median_and_p90);
	tcase_add_test(tc, test_json);
	return unit_run(s);
}

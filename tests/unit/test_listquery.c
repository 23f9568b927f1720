/*
 * The list endpoints' query parameters: ids, limits, enumerations,
 * agency codes and dates, every mistake reported under its name.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/listquery.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*s;
	bool		 ok;
	long long	 v;
} ids[] = {
	{ "1", true, 1 },
	{ "42", true, 42 },
	{ "007", true, 7 },
	{ "999999999999999", true, 999999999999999LL },
	{ "1000000000000000", false, 0 },	/* 16 digits */
	{ "0", false, 0 },
	{ "000", false, 0 },
	{ "", false, 0 },
	{ "-1", false, 0 },
	{ "+1", false, 0 },
	{ " 1", false, 0 },
	{ "1 ", false, 0 },
	{ "1e3", false, 0 },
	{ "0x10", false, 0 },
	{ "12a", false, 0 },
};

START_TEST(test_id)
{
	long long v = -5;
	bool ok = listquery_id(ids[_i].s, &v);

	ck_assert_msg(ok == ids[_i].ok, "\"%s\": got %d", ids[_i].s, ok);
	if (ok)
		ck_assert_int_eq(v, ids[_i].v);
}
END_TEST

START_TEST(test_id_null)
{
	long long v = -5;

	ck_assert(!listquery_id(NULL, &v));
	ck_assert_int_eq(v, -5);
}
END_TEST

static void
assert_fields(const struct field_errors *errs, const char *const *want)
{
	size_t n = 0;

	for (; want[n] != NULL; n++)
		ck_assert_msg(field_errors_find(errs, want[n]) != NULL,
		    "no error for %s", want[n]);
	ck_assert_uint_eq(errs->count, n);
}

START_TEST(test_referrals_absent_and_valid)
{
	struct referral_list_query none = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct referral_list_query all = { "masc", "below_threshold", "12", "3", "500",
	    "north_east", "police", "2026-01-01", "2026-01-01" };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_referrals(&none, &errs);
	listquery_referrals(&all, &errs);
	ck_assert(!field_errors_any(&errs));
}
END_TEST

START_TEST(test_referrals_every_mistake)
{
	struct referral_list_query q = { "MARAC", "open", "x", "0", "501", "North",
	    "po-lice", "2026-02-30", "yesterday" };
	const char *const want[] = { "forum", "status", "sitting", "after", "limit",
	    "area", "agency", "from", "to", NULL };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_referrals(&q, &errs);
	assert_fields(&errs, want);
	ck_assert_str_eq(field_errors_find(&errs, "limit")->reason,
	    "must be a whole number from 1 to 500");
	ck_assert_str_eq(field_errors_find(&errs, "sitting")->reason,
	    "must be a sitting id");
}
END_TEST

START_TEST(test_referrals_dates_in_order)
{
	struct referral_list_query q = { NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	    "2026-03-02", "2026-03-01" };
	const char *const want[] = { "to", NULL };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_referrals(&q, &errs);
	assert_fields(&errs, want);
	ck_assert_str_eq(field_errors_find(&errs, "to")->reason, "must not be before from");
}
END_TEST

START_TEST(test_referrals_empty_values)
{
	struct referral_list_query q = { "", "", "", "", "", "", "", "", "" };
	const char *const want[] = { "forum", "status", "sitting", "after", "limit",
	    "area", "agency", "from", "to", NULL };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_referrals(&q, &errs);
	assert_fields(&errs, want);
}
END_TEST

START_TEST(test_actions_valid)
{
	struct action_list_query q = { "childrens_social_care", "overdue", "1", "2",
	    "2026-02-28", "3", "1000" };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_actions(&q, &errs);
	ck_assert(!field_errors_any(&errs));
}
END_TEST

START_TEST(test_actions_every_mistake)
{
	struct action_list_query q = { "Police", "closed", "-1", "1.5",
	    "2026-02-30", "x", "1001" };
	const char *const want[] = { "agency", "status", "referral", "sitting",
	    "as_of", "after", "limit", NULL };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_actions(&q, &errs);
	assert_fields(&errs, want);
	ck_assert_str_eq(field_errors_find(&errs, "after")->reason,
	    "must be an action id");
}
END_TEST

START_TEST(test_actions_agency_code_length)
{
	char code[AGENCY_CODE_MAX + 2];
	struct action_list_query q = { code, NULL, NULL, NULL, NULL, NULL, NULL };
	struct field_errors errs;

	memset(code, 'a', AGENCY_CODE_MAX);
	code[AGENCY_CODE_MAX] = '\0';
	field_errors_init(&errs);
	listquery_actions(&q, &errs);
	ck_assert(!field_errors_any(&errs));
	code[AGENCY_CODE_MAX] = 'a';
	code[AGENCY_CODE_MAX + 1] = '\0';
	listquery_actions(&q, &errs);
	ck_assert(field_errors_find(&errs, "agency") != NULL);
	field_errors_init(&errs);
	q.agency = "";
	listquery_actions(&q, &errs);
	ck_assert(field_errors_find(&errs, "agency") != NULL);
}
END_TEST

static Suite *
listquery_suite(void)
{
	Suite *s = suite_create("listquery");
	TCase *tc = tcase_create("listquery");

	tcase_add_loop_test(tc, test_id, 0, N(ids));
	tcase_add_test(tc, test_id_null);
	tcase_add_test(tc, test_referrals_absent_and_valid);
	tcase_add_test(tc, test_referrals_every_mistake);
	tcase_add_test(tc, test_referrals_dates_in_order);
	tcase_add_test(tc, test_referrals_empty_values);
	tcase_add_test(tc, test_actions_valid);
	tcase_add_test(tc, test_actions_every_mistake);
	tcase_add_test(tc, test_actions_agency_code_length);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(listquery_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

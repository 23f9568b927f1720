/*
 * Reading JSON maracd wrote: what each need accepts, the types and
 * bounds, and the first failure sticking (but for running out of memory,
 * which always wins).
 */

#include "unit.h"

#include "core/jsonread.h"

static const char doc[] = "{\"s\":\"text\",\"n\":42,\"neg\":-3,\"half\":1.5,"
    "\"big\":1e300,\"t\":true,\"f\":false,\"nul\":null,\"arr\":[1,2],"
    "\"obj\":{}}";

START_TEST(test_needs)
{
	cJSON *o = cJSON_Parse(doc);
	struct jsonread rd = { 0 };

	ck_assert_ptr_nonnull(o);
	/* Absent. */
	ck_assert_ptr_null(jsonread_member(&rd, o, "none", JSONREAD_OPTIONAL));
	ck_assert(jsonread_ok(&rd));
	ck_assert_ptr_null(jsonread_member(&rd, o, "none", JSONREAD_PRESENT));
	ck_assert_str_eq(rd.why, JSONREAD_WRONG);
	rd.why = NULL;
	ck_assert_ptr_null(jsonread_member(&rd, o, "none", JSONREAD_REQUIRED));
	ck_assert_str_eq(rd.why, JSONREAD_WRONG);
	/* Null. */
	rd.why = NULL;
	ck_assert_ptr_null(jsonread_member(&rd, o, "nul", JSONREAD_OPTIONAL));
	ck_assert_ptr_null(jsonread_member(&rd, o, "nul", JSONREAD_PRESENT));
	ck_assert(jsonread_ok(&rd));
	ck_assert_ptr_null(jsonread_member(&rd, o, "nul", JSONREAD_REQUIRED));
	ck_assert_str_eq(rd.why, JSONREAD_WRONG);
	/* Not an object to look in. */
	rd.why = NULL;
	ck_assert_ptr_null(jsonread_member(&rd, NULL, "s", JSONREAD_OPTIONAL));
	ck_assert_ptr_null(jsonread_member(&rd,
	    cJSON_GetObjectItem(o, "arr"), "s", JSONREAD_OPTIONAL));
	ck_assert(jsonread_ok(&rd));
	ck_assert_ptr_null(jsonread_member(&rd,
	    cJSON_GetObjectItem(o, "arr"), "s", JSONREAD_REQUIRED));
	ck_assert(!jsonread_ok(&rd));
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_types)
{
	cJSON *o = cJSON_Parse(doc);
	struct jsonread rd = { 0 };

	ck_assert_str_eq(jsonread_str(&rd, o, "s", JSONREAD_REQUIRED), "text");
	ck_assert_int_eq(jsonread_int(&rd, o, "n", 0, 100, JSONREAD_REQUIRED), 42);
	ck_assert_int_eq(jsonread_int(&rd, o, "neg", -5, 0, JSONREAD_REQUIRED),
	    -3);
	ck_assert(jsonread_bool(&rd, o, "t", JSONREAD_REQUIRED));
	ck_assert(!jsonread_bool(&rd, o, "f", JSONREAD_REQUIRED));
	ck_assert_ptr_nonnull(jsonread_array(&rd, o, "arr", JSONREAD_REQUIRED));
	ck_assert_int_eq(jsonread_int(&rd, o, "none", 5, 9, JSONREAD_OPTIONAL),
	    0);
	ck_assert(jsonread_ok(&rd));

	/* Each of these is one failure of its own. */
	ck_assert_ptr_null(jsonread_str(&rd, o, "n", JSONREAD_OPTIONAL));
	ck_assert(!jsonread_ok(&rd));
	rd.why = NULL;
	ck_assert_int_eq(jsonread_int(&rd, o, "n", 0, 41, JSONREAD_REQUIRED), 0);
	ck_assert(!jsonread_ok(&rd));
	rd.why = NULL;
	jsonread_int(&rd, o, "half", 0, 2, JSONREAD_REQUIRED);
	ck_assert(!jsonread_ok(&rd));
	rd.why = NULL;
	jsonread_int(&rd, o, "big", INT64_MIN, INT64_MAX, JSONREAD_REQUIRED);
	ck_assert(!jsonread_ok(&rd));
	rd.why = NULL;
	jsonread_int(&rd, o, "s", 0, 1, JSONREAD_OPTIONAL);
	ck_assert(!jsonread_ok(&rd));
	rd.why = NULL;
	ck_assert(!jsonread_bool(&rd, o, "n", JSONREAD_OPTIONAL));
	ck_assert(!jsonread_ok(&rd));
	rd.why = NULL;
	ck_assert_ptr_null(jsonread_array(&rd, o, "obj", JSONREAD_OPTIONAL));
	ck_assert(!jsonread_ok(&rd));
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_first_failure_sticks)
{
	struct jsonread rd = { 0 };

	jsonread_fail(&rd, JSONREAD_WRONG);
	ck_assert_str_eq(rd.why, JSONREAD_WRONG);
	jsonread_fail(&rd, WHY_NOMEM);
	ck_assert_str_eq(rd.why, WHY_NOMEM);
	jsonread_fail(&rd, JSONREAD_WRONG);
	ck_assert_str_eq(rd.why, WHY_NOMEM);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("jsonread", &tc);

	tcase_add_test(tc, test_needs);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_first_failure_sticks);
	return unit_run(s);
}

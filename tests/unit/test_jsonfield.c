/*
 * The typed field readers' paths and choices: what names a field in an
 * error, and the list a wrong choice is told.
 */

#include "unit.h"

#include "core/jsonfield.h"

#include <string.h>

START_TEST(test_path)
{
	char p[FIELD_PATH_MAX], key[80];

	jsonfield_path(p, "", "victim");
	ck_assert_str_eq(p, "victim");
	jsonfield_path(p, "victim", "dob");
	ck_assert_str_eq(p, "victim.dob");
	/* What cannot be shown is a ?. */
	jsonfield_path(p, "dash.answers", "a\tb\x80");
	ck_assert_str_eq(p, "dash.answers.a?b?");
	/* An unknown key is quoted up to 48 bytes, then "...". */
	memset(key, 'k', 48);
	key[48] = '\0';
	jsonfield_path(p, "x", key);
	ck_assert_uint_eq(strlen(p), 2 + 48);
	key[48] = 'k';
	key[49] = '\0';
	jsonfield_path(p, "x", key);
	ck_assert_uint_eq(strlen(p), 2 + 48 + 3);
	ck_assert_str_eq(p + 2 + 48, "...");
	/* Never longer than a path may be. */
	memset(key, 'p', 79);
	key[79] = '\0';
	jsonfield_path(p, key, key);
	ck_assert_uint_eq(strlen(p), FIELD_PATH_MAX - 1);
}
END_TEST

START_TEST(test_choice)
{
	static const char *const names[] = { "low", "medium", "high", NULL };
	cJSON *o = cJSON_Parse("{\"a\":\"high\",\"b\":\"huge\",\"c\":3}");
	struct field_errors fe;
	int v = -1;

	field_errors_init(&fe);
	ck_assert_int_eq(jsonfield_choice(o, "", "a", JSONFIELD_REQUIRED, names,
	    &v, &fe), JSONFIELD_OK);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(jsonfield_choice(o, "x", "b", 0, names, &v, &fe),
	    JSONFIELD_INVALID);
	ck_assert_int_eq(jsonfield_choice(o, "x", "c", 0, names, &v, &fe),
	    JSONFIELD_INVALID);
	ck_assert_uint_eq(fe.count, 2);
	ck_assert_str_eq(fe.items[0].field, "x.b");
	ck_assert_str_eq(fe.items[0].reason, "must be one of: low, medium, high");
	ck_assert_str_eq(fe.items[1].reason, "must be one of: low, medium, high");
	cJSON_Delete(o);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("jsonfield", &tc);

	tcase_add_test(tc, test_path);
	tcase_add_test(tc, test_choice);
	return unit_run(s);
}

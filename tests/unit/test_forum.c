/*
 * The forums' spellings, from one table: code, label and name agree for
 * every forum, a code reads back to its forum, and anything else is no
 * forum.
 */
#include <string.h>

#include "unit.h"

#include "core/forum.h"

START_TEST(test_spellings)
{
	ck_assert_str_eq(forum_code(FORUM_MARAC), "marac");
	ck_assert_str_eq(forum_code(FORUM_MASC), "masc");
	ck_assert_str_eq(forum_label(FORUM_MARAC), "MARAC");
	ck_assert_str_eq(forum_label(FORUM_MASC), "MASC");
	ck_assert_str_eq(forum_name(FORUM_MARAC),
	    "Multi-Agency Risk Assessment Conference");
	ck_assert_str_eq(forum_name(FORUM_MASC),
	    "Multi-Agency Stalking Coordination");
	ck_assert_ptr_null(forum_code(FORUM_NONE));
	ck_assert_ptr_null(forum_label(FORUM_NONE));
	ck_assert_ptr_null(forum_name(FORUM_NONE));
	ck_assert_ptr_null(forum_code((enum forum)7));
}
END_TEST

START_TEST(test_codes_read_back)
{
	size_t n = 0;

	for (const char *const *c = forum_codes; *c != NULL; c++, n++) {
		enum forum f = forum_of(*c);

		ck_assert_int_ne(f, FORUM_NONE);
		ck_assert_str_eq(forum_code(f), *c);
		ck_assert_str_eq(forum_label_of(*c), forum_label(f));
	}
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_not_a_forum)
{
	ck_assert_int_eq(forum_of(NULL), FORUM_NONE);
	ck_assert_int_eq(forum_of(""), FORUM_NONE);
	ck_assert_int_eq(forum_of("MARAC"), FORUM_NONE);
	ck_assert_int_eq(forum_of("marac "), FORUM_NONE);
	ck_assert_int_eq(forum_of("mas"), FORUM_NONE);
	/* Renderers print what they were given. */
	ck_assert_str_eq(forum_label_of("other"), "other");
	ck_assert_str_eq(forum_label_of(NULL), "");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("forum", &tc);

	tcase_add_test(tc, test_spellings);
	tcase_add_test(tc, test_codes_read_back);
	tcase_add_test(tc, test_not_a_forum);
	return unit_run(s);
}

#include "core/render/subject_html.h"
#include "unit.h"

#include <string.h>

static char *
render(const char *json, const char *title)
{
	struct buf b;
	cJSON *doc = cJSON_Parse(json);
	char *s;

	ck_assert_ptr_nonnull(doc);
	buf_init(&b);
	ck_assert_int_eq(subject_html(doc, title, &b), 0);
	s = strdup(buf_str(&b));
	buf_free(&b);
	cJSON_Delete(doc);
	return s;
}

START_TEST(every_member_is_shown_and_escaped)
{
	char *s = render("{\"referrals\": [{\"people\": [{\"name\": \"<b>O'Brien</b>\", "
	    "\"dob\": \"1990-01-01\", \"postcode\": null}], \"mail\": []}]}", "A & B");

	ck_assert_ptr_nonnull(strstr(s, "<title>A &amp; B</title>"));
	ck_assert_ptr_nonnull(strstr(s, "&lt;b&gt;O&#39;Brien&lt;/b&gt;"));
	ck_assert_ptr_null(strstr(s, "<b>O"));
	ck_assert_ptr_nonnull(strstr(s, "<th>dob</th><td>1990-01-01</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<th>postcode</th><td><i>none</i></td>"));
	ck_assert_ptr_nonnull(strstr(s, "<th>mail</th><td><i>none</i></td>"));
	free(s);
}
END_TEST

START_TEST(deep_nesting_is_flattened_not_lost)
{
	char *s = render("[[[[[[[[[[{\"deep\": \"kept\"}]]]]]]]]]]", "t");

	ck_assert_ptr_nonnull(strstr(s, "deep"));
	ck_assert_ptr_nonnull(strstr(s, "kept"));
	free(s);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("subject_html", &tc);

	tcase_add_test(tc, every_member_is_shown_and_escaped);
	tcase_add_test(tc, deep_nesting_is_flattened_not_lost);
	return unit_run(s);
}

/*
 * The research reminder's key and words: references and a link, each
 * value escaped in the HTML, no link without a base address.
 */
#include <string.h>

#include "unit.h"

#include "core/research_remind.h"

static const char *const refs[] = { "MARAC-2026-0001", "MARAC-2026-0002<b>" };

START_TEST(test_key_and_words)
{
	struct research_remind m = { 12, "marac", "2026-12-16", "2026-12-10", "housing",
	    "Housing & Homes", refs, 2, "https://maracd.example" };
	char key[RESEARCH_REMIND_KEY_MAX];
	struct buf s, t, h;

	research_remind_key(&m, key);
	ck_assert_str_eq(key, "research:12:housing:2026-12-10");
	buf_init(&s);
	buf_init(&t);
	buf_init(&h);
	ck_assert_int_eq(research_remind_build(&m, &s, &t, &h), 0);
	ck_assert_str_eq(buf_str(&s), "Research due 2026-12-10: 2 cases for the MARAC of 2026-12-16");
	ck_assert_ptr_nonnull(strstr(buf_str(&t), "To Housing & Homes,"));
	ck_assert_ptr_nonnull(strstr(buf_str(&t), "  - MARAC-2026-0001\n  - MARAC-2026-0002<b>\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&t), "https://maracd.example/research/12\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&h), "Housing &amp; Homes"));
	ck_assert_ptr_nonnull(strstr(buf_str(&h), "<li>MARAC-2026-0002&lt;b&gt;</li>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&h), "href=\"https://maracd.example/research/12\""));
	buf_free(&s);
	buf_free(&t);
	buf_free(&h);

	/* One case; no base address: no link. */
	m.nrefs = 1;
	m.base_url = "";
	buf_init(&s);
	buf_init(&t);
	buf_init(&h);
	ck_assert_int_eq(research_remind_build(&m, &s, &t, &h), 0);
	ck_assert_str_eq(buf_str(&s), "Research due 2026-12-10: 1 case for the MARAC of 2026-12-16");
	ck_assert_ptr_null(strstr(buf_str(&t), "/research/"));
	ck_assert_ptr_null(strstr(buf_str(&h), "href="));
	buf_free(&s);
	buf_free(&t);
	buf_free(&h);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("research_remind", &tc);

	tcase_add_test(tc, test_key_and_words);
	return unit_run(s);
}

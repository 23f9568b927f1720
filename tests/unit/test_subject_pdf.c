/*
 * The subject access PDF: a PDF, every member of a small answer printed
 * (the page streams are not compressed, so the text is in the bytes as
 * libharu's "(text) Tj"), and a long answer over many pages.
 */
#include "core/render/subject_pdf.h"
#include "unit.h"

#include <string.h>

static struct buf
render(const char *json)
{
	struct buf b;
	cJSON *doc = cJSON_Parse(json);

	ck_assert_ptr_nonnull(doc);
	buf_init(&b);
	ck_assert_int_eq(subject_pdf(doc, "Subject access", &b), 0);
	cJSON_Delete(doc);
	return b;
}

static size_t
count(const struct buf *b, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (size_t i = 0; i + len <= b->len; i++)
		if (memcmp(b->data + i, needle, len) == 0)
			n++;
	return n;
}

static void
is_pdf(const struct buf *b)
{
	ck_assert_uint_gt(b->len, 100);
	ck_assert_mem_eq(b->data, "%PDF-1.", 7);
	/* Ends with %%EOF, and a line end at most. */
	ck_assert_ptr_nonnull(memmem(b->data + b->len - 8, 8, "%%EOF", 5));
}

START_TEST(every_member_is_printed)
{
	struct buf b = render("{\"asked_at\": \"2026-12-09T10:00:00Z\", \"referrals\": "
	    "[{\"people\": [{\"name\": \"Siobhan Kelly\", \"dob\": \"1990-01-01\", "
	    "\"postcode\": null, \"children\": 2}], \"mail\": [], \"as\": [\"victim\"]}]}");

	is_pdf(&b);
	ck_assert_uint_eq(count(&b, "/Type /Page\n") + count(&b, "/Type /Page\r"), 1);
	ck_assert_uint_eq(count(&b, "(Subject access) Tj"), 2);	/* heading, foot */
	ck_assert_uint_eq(count(&b, "(asked_at: 2026-12-09T10:00:00Z) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(referrals 1) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(people 1) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(name: Siobhan Kelly) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(dob: 1990-01-01) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(postcode: none) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(children: 2) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(mail: none) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(as 1: victim) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(Page 1 of 1) Tj"), 1);
	ck_assert_uint_eq(count(&b, "/Helvetica-Bold"), 1);
	buf_free(&b);
}
END_TEST

START_TEST(a_long_answer_runs_over_pages)
{
	struct buf json, b;
	size_t pages;

	buf_init(&json);
	buf_puts(&json, "{\"referrals\": [");
	for (int i = 0; i < 40; i++)
		buf_printf(&json, "%s{\"id\": %d, \"mail\": [{\"body_text\": \"line one\\n"
		    "line two\\nline three\"}], \"decisions\": [{\"outcome\": \"%s\"}]}",
		    i > 0 ? ", " : "", i, "A safety plan was agreed with the police and "
		    "the IDVA, and the housing provider will fit new locks this week.");
	buf_puts(&json, "]}");
	ck_assert(!buf_failed(&json));
	b = render(buf_str(&json));
	is_pdf(&b);
	pages = count(&b, "/Type /Page\n") + count(&b, "/Type /Page\r");
	ck_assert_uint_gt(pages, 1);
	ck_assert_uint_eq(count(&b, "(referrals 40) Tj"), 1);
	ck_assert_uint_eq(count(&b, "(line three) Tj"), 40);
	buf_free(&b);
	buf_free(&json);
}
END_TEST

START_TEST(deep_nesting_is_flattened_not_lost)
{
	struct buf b = render("[[[[[[[[[[{\"deep\": \"kept\"}]]]]]]]]]]");

	is_pdf(&b);
	ck_assert_uint_ge(count(&b, "deep"), 1);
	ck_assert_uint_ge(count(&b, "kept"), 1);
	buf_free(&b);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("subject_pdf", &tc);

	tcase_add_test(tc, every_member_is_printed);
	tcase_add_test(tc, a_long_answer_runs_over_pages);
	tcase_add_test(tc, deep_nesting_is_flattened_not_lost);
	return unit_run(s);
}

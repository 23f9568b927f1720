/*
 * Message header values and body text: addresses, RFC 2047 subjects,
 * folded address lists, dates, CRLF text, base64 attachments, file names.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mailfmt.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char	*addr;
	bool		 ok;
} addrs[] = {
	{ "police@agencies.example", true },
	{ "first.last+marac@x-y.example", true },
	{ "a@b", true },
	{ "", false },
	{ "nobody", false },
	{ "@agencies.example", false },
	{ "police@", false },
	{ "a@b@c", false },
	{ "a b@c.example", false },
	{ "a@c.example\r\nBcc: x@y", false },
	{ "<a@c.example>", false },
	{ "a,b@c.example", false },
	{ "a@c_d.example", false },
	{ "\"q\"@c.example", false },
	{ "r\xc3\xa9@c.example", false },
};

START_TEST(test_address_ok)
{
	ck_assert_msg(mailfmt_address_ok(addrs[_i].addr) == addrs[_i].ok,
	    "\"%s\"", addrs[_i].addr);
}
END_TEST

/* Decodes what mailfmt_subject wrote, checking each word on the way. */
static void
subject_decode(const char *enc, struct buf *out)
{
	const char *p = enc;

	if (strncmp(p, "=?", 2) != 0) {
		buf_puts(out, enc);
		return;
	}
	while (*p != '\0') {
		const char *end;
		struct buf word;

		if (strncmp(p, "\r\n ", 3) == 0)
			p += 3;
		ck_assert_msg(strncmp(p, "=?UTF-8?B?", 10) == 0, "word at %s", p);
		end = strstr(p + 10, "?=");
		ck_assert_ptr_nonnull(end);
		ck_assert_int_le(end + 2 - p, MAILFMT_WORD_MAX);
		buf_init(&word);
		{
			char *b = strndup(p + 10, (size_t)(end - p - 10));

			ck_assert(mailfmt_base64_decode(&word, b));
			free(b);
		}
		/* A word ends on a character boundary: no dangling lead byte. */
		if (word.len > 0) {
			unsigned char last = (unsigned char)word.data[word.len - 1];

			ck_assert_msg(last < 0x80 || (last & 0xc0) == 0x80,
			    "word ends inside a character");
			ck_assert_msg(((unsigned char)word.data[0] & 0xc0) != 0x80,
			    "word starts inside a character");
		}
		buf_add(out, word.data, word.len);
		buf_free(&word);
		p = end + 2;
	}
}

static const struct {
	const char	*in;
	const char	*want_raw;	/* exact output, or NULL */
	const char	*want_decoded;
} subjects[] = {
	{ "Outstanding MARAC actions", "Outstanding MARAC actions", NULL },
	{ "R\xc3\xa9sum\xc3\xa9", "=?UTF-8?B?UsOpc3Vtw6k=?=", "R\xc3\xa9sum\xc3\xa9" },
	{ "a =?x?= b", NULL, "a =?x?= b" },
	{ "line\r\nBcc: evil@x", "line  Bcc: evil@x", NULL },
	{ "tab\there", "tab here", NULL },
	{ "bad \xff byte", "bad ? byte", NULL },
	{ "caf\xc3\xa9\r\nBcc: x", NULL, "caf\xc3\xa9  Bcc: x" },
	{ "overlong \xc0\xaf", "overlong ??", NULL },
	{ "", "", NULL },
	/* Long: many words, multibyte characters at every offset. */
	{ "\xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 "
	  "\xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 "
	  "\xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 "
	  "MARAC 2026-W48 \xf0\x9f\x93\x85 \xf0\x9f\x93\x85 \xf0\x9f\x93\x85 "
	  "\xf0\x9f\x93\x85 \xf0\x9f\x93\x85 \xf0\x9f\x93\x85", NULL,
	  "\xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 "
	  "\xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 "
	  "\xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94 "
	  "MARAC 2026-W48 \xf0\x9f\x93\x85 \xf0\x9f\x93\x85 \xf0\x9f\x93\x85 "
	  "\xf0\x9f\x93\x85 \xf0\x9f\x93\x85 \xf0\x9f\x93\x85" },
};

START_TEST(test_subject)
{
	struct buf b, dec;
	const char *s;

	buf_init(&b);
	buf_init(&dec);
	mailfmt_subject(&b, subjects[_i].in);
	s = buf_str(&b);
	if (subjects[_i].want_raw != NULL)
		ck_assert_str_eq(s, subjects[_i].want_raw);
	/* Only folding may put a line end in the value. */
	for (const char *p = s; (p = strchr(p, '\r')) != NULL; p++)
		ck_assert_msg(strncmp(p, "\r\n ", 3) == 0, "bare line end");
	for (const char *p = s; (p = strchr(p, '\n')) != NULL; p++)
		ck_assert_msg(p > s && p[-1] == '\r', "bare LF");
	if (subjects[_i].want_decoded != NULL) {
		subject_decode(s, &dec);
		ck_assert_str_eq(buf_str(&dec), subjects[_i].want_decoded);
	}
	buf_free(&b);
	buf_free(&dec);
}
END_TEST

START_TEST(test_address_list_folds)
{
	const char *a[] = { "police@agencies.example", "probation@agencies.example",
	    "victim_support@agencies.example", "health_icb@agencies.example",
	    "housing@agencies.example" };
	struct buf b;
	const char *line, *s;

	buf_init(&b);
	buf_puts(&b, "To: ");
	mailfmt_address_list(&b, "To: ", a, 5);
	s = buf_str(&b);
	for (line = s; line != NULL; ) {
		const char *end = strstr(line, "\r\n");
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);

		ck_assert_int_le(len, MAILFMT_LINE_MAX);
		if (line != s)
			ck_assert_int_eq(line[0], ' ');
		line = end != NULL ? end + 2 : NULL;
	}
	ck_assert_ptr_nonnull(strstr(s, "\r\n "));
	ck_assert(strncmp(s, "To: police@agencies.example, probation@", 39) == 0);
	buf_reset(&b);
	mailfmt_address_list(&b, "To: ", a, 1);
	ck_assert_str_eq(buf_str(&b), "police@agencies.example");
	buf_free(&b);
}
END_TEST

static const struct {
	long long	 t;
	const char	*want;
} dates[] = {
	{ 0, "Thu, 01 Jan 1970 00:00:00 +0000" },
	{ 1795600800, "Wed, 25 Nov 2026 10:00:00 +0000" },
	{ 1709251199, "Thu, 29 Feb 2024 23:59:59 +0000" },
	{ -1, "Wed, 31 Dec 1969 23:59:59 +0000" },
};

START_TEST(test_date)
{
	char out[MAILFMT_DATELEN];

	ck_assert_str_eq(mailfmt_date(dates[_i].t, out), dates[_i].want);
}
END_TEST

static const struct {
	const char	*in, *want;
} crlfs[] = {
	{ "", "" },
	{ "one line", "one line" },
	{ "a\nb", "a\r\nb" },
	{ "a\r\nb", "a\r\nb" },
	{ "a\rb", "a\r\nb" },
	{ "a\n\nb\n", "a\r\n\r\nb\r\n" },
	{ "a\r\n\r\n", "a\r\n\r\n" },
	{ "\n\r", "\r\n\r\n" },
};

START_TEST(test_crlf)
{
	struct buf b;

	buf_init(&b);
	mailfmt_crlf(&b, crlfs[_i].in);
	ck_assert_str_eq(buf_str(&b), crlfs[_i].want);
	buf_free(&b);
}
END_TEST

static const struct {
	const char	*in;
	bool		 ok;
	const char	*want;
} b64s[] = {
	{ "", true, "" },
	{ "aGk=", true, "hi" },
	{ "aGVsbG8gd29ybGQ=", true, "hello world" },
	{ "aGVs\r\nbG8g d29y\tbGQ=", true, "hello world" },
	{ "YQ==", true, "a" },
	{ "YWJj", true, "abc" },
	{ "a*==", false, NULL },
	{ "aGk=aGk=", false, NULL },
	{ "YR==", false, NULL },		/* stray bits in the padding */
	{ "Y", false, NULL },
};

START_TEST(test_base64)
{
	struct buf b;
	bool ok;

	buf_init(&b);
	ok = mailfmt_base64_decode(&b, b64s[_i].in);
	ck_assert_msg(ok == b64s[_i].ok, "\"%s\"", b64s[_i].in);
	if (ok)
		ck_assert_str_eq(buf_str(&b), b64s[_i].want);
	buf_free(&b);
}
END_TEST

START_TEST(test_base64_binary)
{
	struct buf b;

	buf_init(&b);
	ck_assert(mailfmt_base64_decode(&b, "AP8Q"));
	ck_assert_int_eq(b.len, 3);
	ck_assert_int_eq((unsigned char)b.data[0], 0x00);
	ck_assert_int_eq((unsigned char)b.data[1], 0xff);
	ck_assert_int_eq((unsigned char)b.data[2], 0x10);
	buf_free(&b);
}
END_TEST

START_TEST(test_filename)
{
	char out[16];

	mailfmt_filename(out, sizeof(out), "agenda.pdf");
	ck_assert_str_eq(out, "agenda.pdf");
	mailfmt_filename(out, sizeof(out), "a\"b\\c/d\r\n");
	ck_assert_str_eq(out, "a_b_c_d__");
	mailfmt_filename(out, sizeof(out), "");
	ck_assert_str_eq(out, "attachment");
	mailfmt_filename(out, sizeof(out), "r\xc3\xa9sum\xc3\xa9.pdf");
	ck_assert_str_eq(out, "r__sum__.pdf");
	mailfmt_filename(out, sizeof(out), "a-very-long-file-name.pdf");
	ck_assert_int_eq(strlen(out), sizeof(out) - 1);
}
END_TEST

static Suite *
mailfmt_suite(void)
{
	Suite *s = suite_create("mailfmt");
	TCase *tc = tcase_create("mailfmt");

	tcase_add_loop_test(tc, test_address_ok, 0, N(addrs));
	tcase_add_loop_test(tc, test_subject, 0, N(subjects));
	tcase_add_test(tc, test_address_list_folds);
	tcase_add_loop_test(tc, test_date, 0, N(dates));
	tcase_add_loop_test(tc, test_crlf, 0, N(crlfs));
	tcase_add_loop_test(tc, test_base64, 0, N(b64s));
	tcase_add_test(tc, test_base64_binary);
	tcase_add_test(tc, test_filename);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mailfmt_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * The password rule (length in code points, bytes, UTF-8) and the
 * breached list, in both of its file forms, read through breachfile.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "shell/breachfile.h"
#include "core/password.h"

static const struct {
	const char *pw;
	enum password_verdict want;
} rule[] = {
	{ "", PASSWORD_TOO_SHORT },
	{ "abcdefghijk", PASSWORD_TOO_SHORT },			/* 11 */
	{ "abcdefghijkl", PASSWORD_OK },			/* 12 */
	{ "            ", PASSWORD_OK },			/* spaces count */
	/* 11 and 12 e-acute: 22 and 24 bytes, but characters count. */
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	  PASSWORD_TOO_SHORT },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	  PASSWORD_OK },
	/* Four-byte characters (U+1F511) : 3 of them are 12 bytes, too short. */
	{ "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91", PASSWORD_TOO_SHORT },
	/* Invalid: overlong '/', surrogate, past U+10FFFF, cut short, stray bytes. */
	{ "abcdefghijkl\xc0\xaf", PASSWORD_INVALID_UTF8 },
	{ "abcdefghijkl\xe0\x80\xaf", PASSWORD_INVALID_UTF8 },
	{ "abcdefghijkl\xed\xa0\x80", PASSWORD_INVALID_UTF8 },
	{ "abcdefghijkl\xf4\x90\x80\x80", PASSWORD_INVALID_UTF8 },
	{ "abcdefghijkl\xe2\x82", PASSWORD_INVALID_UTF8 },
	{ "abcdefghijkl\x80", PASSWORD_INVALID_UTF8 },
	{ "abcdefghijkl\xff", PASSWORD_INVALID_UTF8 },
	{ "\xe2\x82" "abcdefghijkl", PASSWORD_INVALID_UTF8 },
	/* U+10FFFF and U+FFFD are fine. */
	{ "abcdefghijk\xf4\x8f\xbf\xbf\xef\xbf\xbd", PASSWORD_OK },
};

START_TEST(test_rule)
{
	enum password_verdict v = password_check(rule[_i].pw, NULL);

	ck_assert_msg(v == rule[_i].want, "case %d: %s, want %s", _i,
	    password_verdict_name(v), password_verdict_name(rule[_i].want));
}
END_TEST

START_TEST(test_length_bounds_in_bytes)
{
	static char pw[PASSWORD_MAX_BYTES + 2];

	memset(pw, 'x', PASSWORD_MAX_BYTES);
	ck_assert_int_eq(password_check(pw, NULL), PASSWORD_OK);
	pw[PASSWORD_MAX_BYTES] = 'x';
	ck_assert_int_eq(password_check(pw, NULL), PASSWORD_TOO_LONG);
	/* Too long wins over invalid: the length is judged first. */
	pw[0] = '\xff';
	ck_assert_int_eq(password_check(pw, NULL), PASSWORD_TOO_LONG);
	ck_assert_str_eq(password_verdict_name(PASSWORD_TOO_LONG), "too_long");
	ck_assert_str_eq(password_verdict_name(PASSWORD_TOO_SHORT), "too_short");
	ck_assert_str_eq(password_verdict_name(PASSWORD_INVALID_UTF8), "invalid_utf8");
	ck_assert_str_eq(password_verdict_name(PASSWORD_BREACHED), "breached");
}
END_TEST

static void
add(struct breached *b, const char *line)
{
	ck_assert_int_eq(breached_add_line(b, line, strlen(line)), 0);
}

START_TEST(test_breached_both_forms)
{
	struct breached *b = breached_new(100);

	add(b, "letmein-letmein");
	add(b, "ABF7AAD6438836DBE526AA231ABDE2D0EEF74D42:23174");	/* correct horse... */
	add(b, "10fa3f1d4839660b9c5d55fbcbb93b50d1f82a1a");	/* qwertyuiopasdfgh */
	add(b, "");
	add(b, "trailing-cr-password\r");
	add(b, "letmein-letmein");					/* repeat */
	breached_seal(b);
	ck_assert_uint_eq(breached_count(b), 4);
	ck_assert_int_eq(password_check("letmein-letmein", b), PASSWORD_BREACHED);
	ck_assert_int_eq(password_check("correct horse battery staple", b), PASSWORD_BREACHED);
	ck_assert_int_eq(password_check("qwertyuiopasdfgh", b), PASSWORD_BREACHED);
	ck_assert_int_eq(password_check("trailing-cr-password", b), PASSWORD_BREACHED);
	/* Near misses are not on it. */
	ck_assert_int_eq(password_check("correct horse battery staplE", b), PASSWORD_OK);
	ck_assert_int_eq(password_check("Letmein-letmein", b), PASSWORD_OK);
	/* Shorter than the rule: the rule's reason, not the list's. */
	ck_assert_int_eq(password_check("letmein", b), PASSWORD_TOO_SHORT);
	breached_free(b);
}
END_TEST

START_TEST(test_breached_is_bounded)
{
	struct breached *b = breached_new(3);
	char line[32];

	for (int i = 0; i < 3; i++) {
		snprintf(line, sizeof(line), "password-%d", i);
		add(b, line);
	}
	ck_assert_int_eq(breached_add_line(b, "one-too-many", 12), -1);
	breached_seal(b);
	ck_assert_uint_eq(breached_count(b), 3);
	ck_assert(breached_contains(b, "password-2"));
	breached_free(b);
	/* An empty list contains nothing. */
	b = breached_new(10);
	breached_seal(b);
	ck_assert(!breached_contains(b, "anything at all"));
	breached_free(b);
}
END_TEST

START_TEST(test_breached_many)
{
	struct breached *b = breached_new(20000);
	char line[32];

	for (int i = 19999; i >= 0; i--) {
		snprintf(line, sizeof(line), "breached-%05d", i);
		add(b, line);
	}
	breached_seal(b);
	ck_assert_uint_eq(breached_count(b), 20000);
	for (int i = 0; i < 20000; i += 997) {
		snprintf(line, sizeof(line), "breached-%05d", i);
		ck_assert_msg(breached_contains(b, line), "%s", line);
		snprintf(line, sizeof(line), "breached-%05dx", i);
		ck_assert(!breached_contains(b, line));
	}
	breached_free(b);
}
END_TEST

START_TEST(test_breachfile)
{
	char path[] = "/tmp/maracd-test-breached.XXXXXX", err[256];
	struct breached *b;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("letmein-letmein\r\nABF7AAD6438836DBE526AA231ABDE2D0EEF74D42:3\n"
	    "\nno-newline-at-the-end", f);
	fclose(f);
	b = breachfile_load(path, 100, err, sizeof(err));
	ck_assert_msg(b != NULL, "%s", err);
	ck_assert_uint_eq(breached_count(b), 3);
	ck_assert_int_eq(password_check("letmein-letmein", b), PASSWORD_BREACHED);
	ck_assert_int_eq(password_check("correct horse battery staple", b), PASSWORD_BREACHED);
	ck_assert_int_eq(password_check("no-newline-at-the-end", b), PASSWORD_BREACHED);
	breached_free(b);
	/* Past the bound: refused, with the file named. */
	ck_assert_ptr_null(breachfile_load(path, 2, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "more than 2 passwords"));
	ck_assert_ptr_nonnull(strstr(err, path));
	unlink(path);
	ck_assert_ptr_null(breachfile_load(path, 2, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("password", &tc);

	tcase_add_loop_test(tc, test_rule, 0, N(rule));
	tcase_add_test(tc, test_length_bounds_in_bytes);
	tcase_add_test(tc, test_breached_both_forms);
	tcase_add_test(tc, test_breached_is_bounded);
	tcase_add_test(tc, test_breached_many);
	tcase_add_test(tc, test_breachfile);
	return unit_run(s);
}

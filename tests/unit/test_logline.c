/*
 * Log lines cannot be forged: control characters and backslashes are
 * escaped, everything else passes, and the output always fits.
 */
#include <string.h>

#include "unit.h"

#include "core/logline.h"

static const struct {
	const char *in, *out;
} table[] = {
	{ "", "" },
	{ "plain text", "plain text" },
	{ "GET /a\nmaracd[error] forged", "GET /a\\x0amaracd[error] forged" },
	{ "\r\n", "\\x0d\\x0a" },
	{ "tab\there", "tab\\x09here" },
	{ "esc\x1b[31m", "esc\\x1b[31m" },
	{ "del\x7f", "del\\x7f" },
	{ "back\\slash", "back\\\\slash" },
	{ "\\x0a", "\\\\x0a" },		/* an escape cannot be faked either */
	{ "\xc3\x89lodie", "\xc3\x89lodie" },	/* UTF-8 passes */
};

START_TEST(test_escape)
{
	char out[128];

	ck_assert_str_eq(logline_escape(table[_i].in, out, sizeof(out)), table[_i].out);
}
END_TEST

START_TEST(test_truncates_whole_escapes)
{
	char out[8];

	/* "ab" + "\x0a" is 6 bytes; the next escape would not fit. */
	ck_assert_str_eq(logline_escape("ab\n\n\n", out, sizeof(out)), "ab\\x0a");
	ck_assert_str_eq(logline_escape("abcdefghij", out, sizeof(out)), "abcdefg");
	ck_assert_str_eq(logline_escape("abcdef\\", out, sizeof(out)), "abcdef");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("logline", &tc);

	tcase_add_loop_test(tc, test_escape, 0, N(table));
	tcase_add_test(tc, test_truncates_whole_escapes);
	return unit_run(s);
}

/*
 * Well-formed UTF-8, the one decoder every reader of outside text uses:
 * each kind of broken sequence is refused wherever it stands, and every
 * well-formed one is taken with its code point.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "core/utf8.h"

static const struct {
	const char	*s;
	size_t		 len;
	uint32_t	 cp;
} good[] = {
	{ "A", 1, 0x41 },
	{ "\x7f", 1, 0x7f },
	{ "\xc2\x80", 2, 0x80 },		/* the first two-byte */
	{ "\xc3\xa9", 2, 0xe9 },		/* é */
	{ "\xdf\xbf", 2, 0x7ff },
	{ "\xe0\xa0\x80", 3, 0x800 },		/* the first three-byte */
	{ "\xe2\x82\xac", 3, 0x20ac },		/* € */
	{ "\xed\x9f\xbf", 3, 0xd7ff },		/* just below the surrogates */
	{ "\xee\x80\x80", 3, 0xe000 },		/* just above them */
	{ "\xef\xbf\xbd", 3, 0xfffd },
	{ "\xf0\x90\x80\x80", 4, 0x10000 },	/* the first four-byte */
	{ "\xf0\x9f\x98\x80", 4, 0x1f600 },
	{ "\xf4\x8f\xbf\xbf", 4, 0x10ffff },	/* the last code point */
};

static const char *const bad[] = {
	"\x80",				/* a continuation byte alone */
	"\xbf",
	"\xc0\x80",			/* overlong NUL */
	"\xc1\xbf",			/* overlong */
	"\xc2",				/* truncated */
	"\xc2\x41",			/* not a continuation */
	"\xe0\x80\x80",			/* overlong three-byte */
	"\xe0\x9f\xbf",
	"\xed\xa0\x80",			/* a surrogate */
	"\xed\xbf\xbf",
	"\xe2\x82",			/* truncated */
	"\xf0\x80\x80\x80",		/* overlong four-byte */
	"\xf0\x8f\xbf\xbf",
	"\xf4\x90\x80\x80",		/* past U+10FFFF */
	"\xf5\x80\x80\x80",		/* no such lead */
	"\xff",
	"\xf0\x9f\x98",			/* truncated */
};

START_TEST(test_good)
{
	const unsigned char *s = (const unsigned char *)good[_i].s;
	uint32_t cp = 0;

	ck_assert_uint_eq(utf8_decode(s, SIZE_MAX, &cp), good[_i].len);
	ck_assert_uint_eq(cp, good[_i].cp);
	ck_assert_uint_eq(utf8_decode(s, good[_i].len, NULL), good[_i].len);
	/* One byte short of the sequence is broken. */
	ck_assert_uint_eq(utf8_decode(s, good[_i].len - 1, NULL), 0);
	ck_assert(utf8_valid(good[_i].s));
	ck_assert_int_eq(utf8_count(good[_i].s, good[_i].len), 1);
}
END_TEST

START_TEST(test_bad)
{
	char text[32];
	uint32_t cp = 42;

	ck_assert_uint_eq(utf8_decode((const unsigned char *)bad[_i], SIZE_MAX,
	    &cp), 0);
	ck_assert_uint_eq(cp, 42);
	ck_assert(!utf8_valid(bad[_i]));
	ck_assert_int_eq(utf8_count(bad[_i], strlen(bad[_i])), -1);
	/* Anywhere in a string, not only at its start. */
	snprintf(text, sizeof(text), "ok \xc3\xa9 %s ok", bad[_i]);
	ck_assert(!utf8_valid(text));
	ck_assert_int_eq(utf8_count(text, strlen(text)), -1);
}
END_TEST

START_TEST(test_counts)
{
	const char *s = "Z\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80.";

	ck_assert(utf8_valid(""));
	ck_assert_int_eq(utf8_count("", 0), 0);
	ck_assert_int_eq(utf8_count(s, strlen(s)), 5);
	/* A length that cuts a sequence in two. */
	ck_assert_int_eq(utf8_count(s, 2), -1);
	/* NUL is a character like any other inside a counted length. */
	ck_assert_int_eq(utf8_count("a\0b", 3), 3);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"", 1, NULL), 1);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"a", 0, NULL), 0);
	ck_assert_str_eq(UTF8_REPLACEMENT, "\xef\xbf\xbd");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("utf8", &tc);

	tcase_add_loop_test(tc, test_good, 0, N(good));
	tcase_add_loop_test(tc, test_bad, 0, N(bad));
	tcase_add_test(tc, test_counts);
	return unit_run(s);
}

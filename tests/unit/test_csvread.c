/*
 * The CSV reader: each input is read whole, byte by byte, and split in two
 * (and, when short, in three) at every position, and every way must give
 * the same records, so a chunk boundary can fall anywhere: inside quotes,
 * between CR and LF, inside the byte order mark.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csvread.h"

/* Records as text: "LINE:field|field\n", a bad one "LINE!reason\n". */
static void
show(struct csvread *c, enum csvread_result res, struct buf *out)
{
	ck_assert(res == CSVREAD_RECORD || res == CSVREAD_BAD);
	if (res == CSVREAD_BAD) {
		buf_printf(out, "%lu!%s\n", c->line, c->error);
		return;
	}
	buf_printf(out, "%lu:", c->line);
	for (size_t i = 0; i < c->nfields; i++)
		buf_printf(out, "%s%s", i > 0 ? "|" : "", c->fields[i]);
	buf_putc(out, '\n');
}

static void
feed(struct csvread *c, const char *p, size_t len, struct buf *out)
{
	enum csvread_result	res;
	size_t			used;

	while ((res = csvread_feed(c, p, len, &used)) != CSVREAD_MORE) {
		show(c, res, out);
		ck_assert_uint_gt(used, 0);
		p += used;
		len -= used;
	}
	ck_assert_uint_eq(used, len);
}

/* Reads in[0..len) in the chunks cut at a and b (a <= b). */
static void
read_cut(const char *in, size_t len, size_t a, size_t b, size_t field_max,
    size_t fields_max, struct buf *out)
{
	struct csvread		c;
	enum csvread_result	res;

	csvread_init(&c, field_max, fields_max);
	feed(&c, in, a, out);
	feed(&c, in + a, b - a, out);
	feed(&c, in + b, len - b, out);
	while ((res = csvread_finish(&c)) != CSVREAD_END)
		show(&c, res, out);
	ck_assert_int_eq(csvread_finish(&c), CSVREAD_END);
	csvread_free(&c);
}

/* Every way of reading in gives want. */
static void
check_all(const char *in, size_t len, size_t field_max, size_t fields_max,
    const char *want)
{
	struct buf	out;
	struct csvread	c;
	enum csvread_result res;

	buf_init(&out);
	read_cut(in, len, len, len, field_max, fields_max, &out);
	ck_assert_str_eq(buf_str(&out), want);

	/* One byte at a time. */
	buf_reset(&out);
	csvread_init(&c, field_max, fields_max);
	for (size_t i = 0; i < len; i++)
		feed(&c, in + i, 1, &out);
	while ((res = csvread_finish(&c)) != CSVREAD_END)
		show(&c, res, &out);
	csvread_free(&c);
	ck_assert_str_eq(buf_str(&out), want);

	for (size_t a = 0; a <= len; a++) {
		for (size_t b = a; b <= len; b++) {
			if (len > 40 && b != a)
				break;		/* two pieces are enough */
			buf_reset(&out);
			read_cut(in, len, a, b, field_max, fields_max, &out);
			if (strcmp(buf_str(&out), want) != 0)
				ck_abort_msg("cut at %zu and %zu of %s: got\n%s"
				    "want\n%s", a, b, in, buf_str(&out), want);
		}
	}
	buf_free(&out);
}

#define CHECK(in, want)	check_all(in, sizeof(in) - 1, 64, 16, want)

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} cases[] = {
	{ "lf", "a,b\nc,d\n", "1:a|b\n2:c|d\n" },
	{ "crlf", "a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n" },
	{ "no final break", "a,b\nc,d", "1:a|b\n2:c|d\n" },
	{ "final cr", "a,b\r", "1:a|b\n" },
	{ "empty", "", "" },
	{ "blank line", "a\n\nb\n", "1:a\n2:\n3:b\n" },
	{ "empty fields", ",,\n", "1:||\n" },
	{ "empty quoted", "\"\",x\n", "1:|x\n" },
	{ "quoted comma", "\"a,b\",c\n", "1:a,b|c\n" },
	{ "doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n",
	    "1:say \"hi\"|\"\n" },
	{ "newline in quotes", "\"l1\nl2\",x\ny,z\n", "1:l1\nl2|x\n3:y|z\n" },
	{ "crlf in quotes", "\"l1\r\nl2\"\r\nz\r\n", "1:l1\r\nl2\n3:z\n" },
	{ "quoted at end", "a,\"b\"", "1:a|b\n" },
	{ "spaces kept", " a , b \n", "1: a | b \n" },
	{ "utf-8", "Siân,Zoë\n", "1:Siân|Zoë\n" },
	{ "bom", "\xef\xbb\xbf" "a,b\n", "1:a|b\n" },
	{ "bom only", "\xef\xbb\xbf", "" },
	{ "bom then quote", "\xef\xbb\xbf\"a\"\n", "1:a\n" },
	{ "not a bom", "\xef" "a\n", "1:\xef" "a\n" },
	{ "half a bom", "\xef\xbb" "a\n", "1:\xef\xbb" "a\n" },
	{ "half a bom at end", "\xef\xbb", "1:\xef\xbb\n" },
	{ "bom later is data", "a\n\xef\xbb\xbf" "b\n",
	    "1:a\n2:\xef\xbb\xbf" "b\n" },
	{ "stray quote", "ab\"c,d\nx\n", "1!field 1: a quote inside a field "
	    "that does not start with one (quote the field and double the "
	    "quote)\n2:x\n" },
	{ "text after quote", "a,\"b\"c,d\nx\n",
	    "1!field 2: text after the closing quote\n2:x\n" },
	{ "bare cr", "a\rb,c\nx\n",
	    "1!field 1: a carriage return without a line feed\n2:x\n" },
	{ "nul", "a,b\0c\nx\n", "1!field 2: a NUL byte\n2:x\n" },
	{ "unclosed quote", "x\n\"abc\ndef", "1:x\n2!field 1: the quote "
	    "opened on line 2 is never closed\n" },
	{ "line numbers", "\"a\n\nb\",c\nd\n\"e\r\nf\"\n",
	    "1:a\n\nb|c\n4:d\n5:e\r\nf\n" },
};

START_TEST(test_cases)
{
	const char *in = cases[_i].in;
	size_t len = strlen(in);

	/* The NUL case has a NUL inside: its length is known. */
	if (strcmp(cases[_i].name, "nul") == 0)
		len = sizeof("a,b\0c\nx\n") - 1;
	check_all(in, len, 64, 16, cases[_i].want);
}
END_TEST

START_TEST(test_field_limit)
{
	/* Four bytes fit; five do not, quoted or not; reading goes on. */
	CHECK("abcd,e\n", "1:abcd|e\n");
	check_all("abcde,f\nok\n", 11, 4, 16,
	    "1!field 1 is longer than 4 bytes\n2:ok\n");
	check_all("x,\"ab\ncde\"\nok\n", 14, 4, 16,
	    "1!field 2 is longer than 4 bytes\n3:ok\n");
	/* A doubled quote counts once. */
	check_all("\"a\"\"b\"\n", 7, 3, 16, "1:a\"b\n");
}
END_TEST

START_TEST(test_fields_limit)
{
	check_all("a,b,c\n", 6, 64, 3, "1:a|b|c\n");
	check_all("a,b,c,d\nx\n", 10, 64, 3, "1!more than 3 fields\n2:x\n");
	check_all("a,b,c,\n", 7, 64, 3, "1!more than 3 fields\n");
}
END_TEST

/* One record is all the reader keeps: its buffer does not grow. */
START_TEST(test_one_record_held)
{
	struct csvread	c;
	char		line[64];
	size_t		used, cap = 0;

	csvread_init(&c, 1024, 16);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(line, sizeof(line), "%d,\"row %d\",x\r\n", i, i);

		ck_assert_int_eq(csvread_feed(&c, line, (size_t)n, &used),
		    CSVREAD_RECORD);
		ck_assert_uint_eq(used, (size_t)n);
		ck_assert_uint_eq(c.nfields, 3);
		ck_assert_uint_eq(c.line, (unsigned long)i + 1);
		if (i == 0)
			cap = c.cap;
	}
	ck_assert_uint_eq(c.cap, cap);
	ck_assert_uint_le(c.cap, 256);
	ck_assert_int_eq(csvread_finish(&c), CSVREAD_END);
	csvread_free(&c);
}
END_TEST

/* Big fields grow the buffer up to the limit, and no further. */
START_TEST(test_big_field)
{
	struct csvread	 c;
	size_t		 n = 100000, used;
	char		*in = malloc(n + 3);

	ck_assert_ptr_nonnull(in);
	memset(in, 'x', n);
	memcpy(in + n, ",y", 3);
	csvread_init(&c, n, 4);
	ck_assert_int_eq(csvread_feed(&c, in, n + 2, &used), CSVREAD_MORE);
	ck_assert_int_eq(csvread_finish(&c), CSVREAD_RECORD);
	ck_assert_uint_eq(strlen(c.fields[0]), n);
	ck_assert_str_eq(c.fields[1], "y");
	csvread_free(&c);

	/* Past the limit, more bytes of the field cost nothing. */
	csvread_init(&c, n - 1, 4);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(csvread_feed(&c, in, n, &used), CSVREAD_MORE);
	ck_assert_uint_le(c.cap, 2 * n);
	ck_assert_int_eq(csvread_finish(&c), CSVREAD_BAD);
	ck_assert_str_eq(c.error, "field 1 is longer than 99999 bytes");
	csvread_free(&c);
	free(in);
}
END_TEST

static Suite *
csvread_suite(void)
{
	Suite	*s = suite_create("csvread");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_cases, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_field_limit);
	tcase_add_test(tc, test_fields_limit);
	tcase_add_test(tc, test_one_record_held);
	tcase_add_test(tc, test_big_field);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(csvread_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

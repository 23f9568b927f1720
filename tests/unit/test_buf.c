/*
 * The growable buffer: appends, writing in place (buf_room, buf_grew),
 * and cutting back (buf_truncate); always NUL-terminated.
 */

#include "unit.h"

#include "core/buf.h"

#include <string.h>

START_TEST(test_in_place)
{
	struct buf b;
	char *p;

	buf_init(&b);
	ck_assert_str_eq(buf_str(&b), "");
	buf_truncate(&b, 0);		/* nothing yet: nothing to do */
	buf_puts(&b, "ab");
	ck_assert_ptr_nonnull(p = buf_room(&b, 100000));
	memcpy(p, "cde", 3);
	buf_grew(&b, 3);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_str_eq(buf_str(&b), "abcde");
	ck_assert_uint_ge(b.cap, 5 + 100000 + 1);
	buf_truncate(&b, 2);
	ck_assert_str_eq(buf_str(&b), "ab");
	buf_truncate(&b, 9);		/* longer than it is: unchanged */
	ck_assert_str_eq(buf_str(&b), "ab");
	buf_printf(&b, "%d", 42);
	ck_assert_str_eq(buf_str(&b), "ab42");
	ck_assert(!buf_failed(&b));
	buf_free(&b);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("buf", &tc);

	tcase_add_test(tc, test_in_place);
	return unit_run(s);
}

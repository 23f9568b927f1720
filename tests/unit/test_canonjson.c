/*
 * Canonical JSON, the bytes maracd hashes: the writer's escapes and
 * commas, and a whole tree written exactly as cJSON_PrintUnformatted
 * writes it, so that agenda versions stored before the writer existed
 * hash the same.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "core/canonjson.h"

START_TEST(test_writer)
{
	struct canonjson w;
	struct buf b;

	buf_init(&b);
	canonjson_init(&w, &b);
	canonjson_open(&w, '{');
	canonjson_key(&w, "s");
	canonjson_str(&w, "a\"b\\c\b\f\n\r\t\x01\x1f\x7f/\xc3\xa9");
	canonjson_key(&w, "n");
	canonjson_int(&w, -9007199254740992LL);
	canonjson_key(&w, "list");
	canonjson_open(&w, '[');
	canonjson_bool(&w, true);
	canonjson_bool(&w, false);
	canonjson_null(&w);
	canonjson_str(&w, NULL);
	canonjson_open(&w, '{');
	canonjson_close(&w, '}');
	canonjson_open(&w, '[');
	canonjson_close(&w, ']');
	canonjson_close(&w, ']');
	canonjson_close(&w, '}');
	ck_assert(!buf_failed(&b));
	ck_assert_str_eq(buf_str(&b), "{\"s\":\"a\\\"b\\\\c\\b\\f\\n\\r\\t"
	    "\\u0001\\u001f\x7f/\xc3\xa9\",\"n\":-9007199254740992,"
	    "\"list\":[true,false,null,null,{},[]]}");
	buf_free(&b);
}
END_TEST

/* What agenda versions hold: strings, whole numbers, booleans, nulls. */
static const char *const trees[] = {
	"{}",
	"[]",
	"{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":false}",
	"{\"id\":999999999999999,\"age\":-1,\"big\":2147483648,\"z\":0}",
	"{\"text\":\"line\\none\\ttab \\\"q\\\" \\\\ \\u0007 \\u00e9 \\u20ac\"}",
	"{\"b\":1,\"a\":2,\"b2\":{\"y\":[],\"x\":{}}}",
	"[[[[[[[[[[[\"deep\"]]]]]]]]]]]",
};

START_TEST(test_tree_as_cjson_prints_it)
{
	cJSON *t = cJSON_Parse(trees[_i]);
	char *want;
	struct buf b;

	ck_assert_ptr_nonnull(t);
	want = cJSON_PrintUnformatted(t);
	buf_init(&b);
	ck_assert_int_eq(canonjson_tree(&b, t, NULL), 0);
	ck_assert_str_eq(buf_str(&b), want);
	buf_free(&b);
	cJSON_free(want);
	cJSON_Delete(t);
}
END_TEST

START_TEST(test_tree_refused)
{
	static const char *const bad[] = {
		"{\"x\":1.5}", "[1e300]",
		"[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]",	/* 17 deep */
	};
	struct buf b;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *t = cJSON_Parse(bad[i]);

		ck_assert_ptr_nonnull(t);
		buf_init(&b);
		ck_assert_msg(canonjson_tree(&b, t, NULL) == -1, "%s", bad[i]);
		buf_free(&b);
		cJSON_Delete(t);
	}
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("canonjson", &tc);

	tcase_add_test(tc, test_writer);
	tcase_add_loop_test(tc, test_tree_as_cjson_prints_it, 0, N(trees));
	tcase_add_test(tc, test_tree_refused);
	return unit_run(s);
}

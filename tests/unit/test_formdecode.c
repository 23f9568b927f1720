/*
 * Form posts as JSON bodies: decoding, names into objects and arrays,
 * what is refused and why, the limits, and the ids error links use.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "core/formdecode.h"

/* The form as compact JSON, or "ERROR: why". */
static char *
decode(const char *form)
{
	static char out[8192];
	const char *why = "unset";
	cJSON *o = formdecode(form, strlen(form), &why);
	char *s;

	if (o == NULL) {
		snprintf(out, sizeof(out), "ERROR: %s", why);
		return out;
	}
	ck_assert_ptr_null(why);
	s = cJSON_PrintUnformatted(o);
	snprintf(out, sizeof(out), "%s", s);
	cJSON_free(s);
	cJSON_Delete(o);
	return out;
}

START_TEST(test_plain_fields)
{
	ck_assert_str_eq(decode(""), "{}");
	ck_assert_str_eq(decode("email=jo%40police.example&password=a+b%2Bc"),
	    "{\"email\":\"jo@police.example\",\"password\":\"a b+c\"}");
	/* Empty pairs are skipped; a name without '=' is an empty value. */
	ck_assert_str_eq(decode("&&a=1&&b&c="), "{\"a\":\"1\"}");
	/* UTF-8 as browsers send it; line breaks of a textarea kept. */
	ck_assert_str_eq(decode("name=Siobh%C3%A1n&note=one%0D%0Atwo"),
	    "{\"name\":\"Siobhán\",\"note\":\"one\\r\\ntwo\"}");
	/* %00 does not cut the value: it becomes U+0001 for the API to refuse. */
	ck_assert_str_eq(decode("a=x%00y"), "{\"a\":\"x\\u0001y\"}");
	/* Values with '=' in them. */
	ck_assert_str_eq(decode("next=%2Fx%3Fa%3Db&q=a=b"),
	    "{\"next\":\"/x?a=b\",\"q\":\"a=b\"}");
}
END_TEST

START_TEST(test_nesting)
{
	ck_assert_str_eq(decode("victim.name=Jo&victim.dob=1990-01-02&perpetrator.name=X"),
	    "{\"victim\":{\"name\":\"Jo\",\"dob\":\"1990-01-02\"},"
	    "\"perpetrator\":{\"name\":\"X\"}}");
	ck_assert_str_eq(decode("a.b.c.d=1"), "{\"a\":{\"b\":{\"c\":{\"d\":\"1\"}}}}");
	/* A group whose fields were all left blank is not there at all. */
	ck_assert_str_eq(decode("victim.name=&victim.dob=&x=1"), "{\"x\":\"1\"}");
}
END_TEST

START_TEST(test_arrays)
{
	ck_assert_str_eq(decode("tag[]=a"), "{\"tag\":[\"a\"]}");
	ck_assert_str_eq(decode("tag[]=a&tag[]=b&tag[]="), "{\"tag\":[\"a\",\"b\"]}");
	/* A repeated name is an array, in the order sent. */
	ck_assert_str_eq(decode("risk=1&risk=5&risk=3"), "{\"risk\":[\"1\",\"5\",\"3\"]}");
	ck_assert_str_eq(decode("a.b=1&a.b=2"), "{\"a\":{\"b\":[\"1\",\"2\"]}}");
	/* Indexed groups; a row left blank leaves no hole. */
	ck_assert_str_eq(decode("children[0].name=A&children[0].dob=2015-01-01"
	    "&children[1].name=&children[2].name=C"),
	    "{\"children\":[{\"name\":\"A\",\"dob\":\"2015-01-01\"},{\"name\":\"C\"}]}");
	ck_assert_str_eq(decode("c[1].n=B&c[0].n=A"),
	    "{\"c\":[{\"n\":\"A\"},{\"n\":\"B\"}]}");
	ck_assert_str_eq(decode("v[2]=c&v[0]=a"), "{\"v\":[\"a\",\"c\"]}");
	ck_assert_str_eq(decode("g[0].tags[]=x&g[0].tags[]=y"),
	    "{\"g\":[{\"tags\":[\"x\",\"y\"]}]}");
}
END_TEST

START_TEST(test_refusals)
{
	const char *bad_name = "ERROR: a field's name is not dotted parts of letters, "
	    "digits, '_' and '-', each optionally with [] or [n]";
	const char *conflict = "ERROR: a field's name is used both for a value and "
	    "for a group of fields";

	ck_assert_str_eq(decode("a=%2"), "ERROR: a %-escape is not two hexadecimal digits");
	ck_assert_str_eq(decode("a=%zz"), "ERROR: a %-escape is not two hexadecimal digits");
	ck_assert_str_eq(decode("a%=1"), "ERROR: a %-escape is not two hexadecimal digits");
	ck_assert_str_eq(decode("a=%C3%28"), "ERROR: a field's value is not valid UTF-8");
	ck_assert_str_eq(decode("a=%ED%A0%80"), "ERROR: a field's value is not valid UTF-8");
	ck_assert_str_eq(decode("a=%C0%AF"), "ERROR: a field's value is not valid UTF-8");
	ck_assert_str_eq(decode("=1"), bad_name);
	ck_assert_str_eq(decode("a..b=1"), bad_name);
	ck_assert_str_eq(decode("a.=1"), bad_name);
	ck_assert_str_eq(decode("a%20b=1"), bad_name);
	ck_assert_str_eq(decode("a[x]=1"), bad_name);
	ck_assert_str_eq(decode("a[1=1"), bad_name);
	ck_assert_str_eq(decode("a[].b=1"), bad_name);
	ck_assert_str_eq(decode("a[]x=1"), bad_name);
	ck_assert_str_eq(decode("__proto__.x=1&%C3%A9=1"), bad_name);
	ck_assert_str_eq(decode("a=1&a.b=2"), conflict);
	ck_assert_str_eq(decode("a.b=2&a=1"), conflict);
	ck_assert_str_eq(decode("a[0].b=1&a[]=2"), conflict);
	ck_assert_str_eq(decode("a[]=1&a[1].b=2"), conflict);
	ck_assert_str_eq(decode("a[0]=1&a[0]=2"), conflict);
	ck_assert_str_eq(decode("a[1000]=1"), "ERROR: a field's index is too large");
	ck_assert_str_eq(decode("a.b.c.d.e.f.g.h.i=1"),
	    "ERROR: a field's name has too many dotted parts");
	ck_assert_str_eq(decode("a.b.c.d.e.f.g.h=1"),
	    "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":\"1\"}}}}}}}}");
}
END_TEST

START_TEST(test_limits)
{
	static char form[FORMDECODE_VALUE_MAX * 3 + 64];
	const char *why;
	cJSON *o;
	size_t n;

	/* FORMDECODE_FIELDS_MAX pairs pass; one more does not. */
	n = 0;
	for (int i = 0; i < FORMDECODE_FIELDS_MAX; i++)
		n += (size_t)snprintf(form + n, sizeof(form) - n, "a=1&");
	o = formdecode(form, n, &why);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "a")),
	    FORMDECODE_FIELDS_MAX);
	cJSON_Delete(o);
	n += (size_t)snprintf(form + n, sizeof(form) - n, "a=1");
	ck_assert_ptr_null(formdecode(form, n, &why));
	ck_assert_str_eq(why, "the form has too many fields");

	/* A value of FORMDECODE_VALUE_MAX bytes (as %41) passes; one more does not. */
	n = (size_t)snprintf(form, sizeof(form), "v=");
	for (int i = 0; i < FORMDECODE_VALUE_MAX; i++)
		n += (size_t)snprintf(form + n, sizeof(form) - n, "%%41");
	o = formdecode(form, n, &why);
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(strlen(cJSON_GetObjectItem(o, "v")->valuestring),
	    FORMDECODE_VALUE_MAX);
	cJSON_Delete(o);
	n += (size_t)snprintf(form + n, sizeof(form) - n, "B");
	ck_assert_ptr_null(formdecode(form, n, &why));
	ck_assert_str_eq(why, "a field's value is too long");

	/* A name of FORMDECODE_NAME_MAX bytes passes; one more does not. */
	memset(form, 'n', FORMDECODE_NAME_MAX);
	memcpy(form + FORMDECODE_NAME_MAX, "=1", 2);
	o = formdecode(form, FORMDECODE_NAME_MAX + 2, &why);
	ck_assert_ptr_nonnull(o);
	cJSON_Delete(o);
	memset(form, 'n', FORMDECODE_NAME_MAX + 1);
	memcpy(form + FORMDECODE_NAME_MAX + 1, "=1", 2);
	ck_assert_ptr_null(formdecode(form, FORMDECODE_NAME_MAX + 3, &why));
	ck_assert_str_eq(why, "a field's name is too long");

	/* A raw NUL in the body is a U+0001 too. */
	o = formdecode("a=x\0y", 5, &why);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "a")->valuestring, "x\001y");
	cJSON_Delete(o);

	/* Not NUL-terminated: only len bytes are read. */
	o = formdecode("a=1&b=2", 3, &why);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "a")->valuestring, "1");
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "b"));
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_field_ids)
{
	char id[FORMDECODE_ID_MAX];

	formdecode_field_id("email", id);
	ck_assert_str_eq(id, "email");
	formdecode_field_id("victim.name", id);
	ck_assert_str_eq(id, "victim-name");
	formdecode_field_id("children[1].dob", id);
	ck_assert_str_eq(id, "children-1-dob");
	formdecode_field_id("dash.answers.29", id);
	ck_assert_str_eq(id, "dash-answers-29");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("formdecode", &tc);

	tcase_add_test(tc, test_plain_fields);
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_arrays);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_field_ids);
	return unit_run(s);
}

/*
 * A browser's file upload as the page's form: fields, the file's bytes
 * and name, and what is refused.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "core/multipart.h"

#define CT	"multipart/form-data; boundary=XyZ"

static char *
decode(const char *ct, const char *body, size_t len)
{
	static char out[4096];
	const char *why = "unset";
	cJSON *o = multipart_decode(ct, body, len, &why);
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

#define D(body)	decode(CT, body, sizeof(body) - 1)

START_TEST(test_fields_and_file)
{
	static const char quoted[] = "--q r\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\n--q\r\n--q r--";

	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
	    "abc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n\r\n--XyZ--\r\n"),
	    "{\"csrf_token\":\"abc\",\"file\":\"x,y\\r\\n1,2\\r\\n\",\"file.filename\":\"a.csv\"}");
	/* No file chosen: an empty part with an empty name; an empty field is left out. */
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n"),
	    "{\"file\":\"\"}");
	/* A quoted boundary, and the body's boundary in a value is not one. */
	ck_assert_str_eq(decode("multipart/form-data; boundary=\"q r\"", quoted,
	    sizeof(quoted) - 1), "{\"a\":\"--q\"}");
	ck_assert(multipart_is_form("Multipart/Form-Data; boundary=x"));
	ck_assert(!multipart_is_form("multipart/form-database"));
	ck_assert(!multipart_is_form(NULL));
}
END_TEST

START_TEST(test_refusals)
{
	ck_assert_str_eq(decode("multipart/form-data", "", 0),
	    "ERROR: the body is not multipart/form-data with a boundary");
	ck_assert_str_eq(D("nope"), "ERROR: the body does not start with the boundary");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"),
	    "ERROR: the body ends inside a part");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XyZ--"),
	    "ERROR: a part is not form-data");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"a b\"\r\n\r\n1\r\n--XyZ--"),
	    "ERROR: a part has no name, or a name that is not a field's");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--XyZ--"),
	    "ERROR: a field is sent twice");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
	    "\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"g\"; filename=\"b\"\r\n"
	    "\r\n2\r\n--XyZ--"), "ERROR: more than one file was sent");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
	    "\r\n1\0002\r\n--XyZ--"), "ERROR: the file is not a text file");
	ck_assert_str_eq(D("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZx"),
	    "ERROR: a boundary is not followed by a line end");
}
END_TEST

START_TEST(test_part_limit)
{
	char body[8192];
	size_t n = 0;

	for (int i = 0; i <= MULTIPART_PARTS_MAX; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "--XyZ\r\nContent-Disposition: "
		    "form-data; name=\"f%d\"\r\n\r\n1\r\n", i);
	n += (size_t)snprintf(body + n, sizeof(body) - n, "--XyZ--");
	ck_assert_str_eq(decode(CT, body, n), "ERROR: too many parts");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("multipart", &tc);

	tcase_add_test(tc, test_fields_and_file);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_part_limit);
	return unit_run(s);
}

/*
 * Browser sessions: the cookie read back from what browsers send, the
 * Set-Cookie values, the Origin check, CSRF compare and expiry.
 */
#include <string.h>

#include "unit.h"

#include "core/websession.h"

#define ID "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"	/* bytes 0..31 */

START_TEST(test_id_format)
{
	unsigned char rnd[WEBSESSION_RANDOM_BYTES];
	char id[WEBSESSION_ID_LEN + 1];

	for (int i = 0; i < WEBSESSION_RANDOM_BYTES; i++)
		rnd[i] = (unsigned char)i;
	websession_id_format(rnd, id);
	ck_assert_str_eq(id, ID);
	ck_assert(websession_id_well_formed(id));
	memset(rnd, 0xff, sizeof(rnd));
	websession_id_format(rnd, id);
	ck_assert_str_eq(id, "__________________________________________8");
	ck_assert(websession_id_well_formed(id));
	ck_assert(!websession_id_well_formed(ID "A"));
	ck_assert(!websession_id_well_formed("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+"));
	ck_assert(!websession_id_well_formed(""));
	ck_assert(!websession_id_well_formed(NULL));
}
END_TEST

/* The CSRF token of a session: HMAC-SHA-256 keyed with its id (Python's hmac agrees). */
START_TEST(test_csrf_derive)
{
	char t[WEBSESSION_ID_LEN + 1], u[WEBSESSION_ID_LEN + 1];

	websession_csrf_derive(ID, t);
	ck_assert_str_eq(t, "_9nSiIGDIbJ7yKqlmSm2IeKQDsLjSaQDdX8Anrivkeo");
	ck_assert(websession_id_well_formed(t));
	websession_csrf_derive("BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", u);
	ck_assert_str_ne(t, u);
	ck_assert(websession_token_equal(t, t) && !websession_token_equal(t, u));
}
END_TEST

static const struct {
	const char *header;
	enum websession_cookie want;
} cookies[] = {
	{ NULL, WEBSESSION_NO_COOKIE },
	{ "", WEBSESSION_NO_COOKIE },
	{ "theme=dark; lang=en", WEBSESSION_NO_COOKIE },
	{ "__Host-maracd_session=" ID, WEBSESSION_COOKIE_OK },
	{ "theme=dark; __Host-maracd_session=" ID "; lang=en", WEBSESSION_COOKIE_OK },
	{ "theme=dark;__Host-maracd_session=" ID ";", WEBSESSION_COOKIE_OK },
	{ "__Host-maracd_session=" ID " ", WEBSESSION_COOKIE_OK },
	/* Another cookie whose name merely contains ours. */
	{ "x__Host-maracd_session=" ID, WEBSESSION_NO_COOKIE },
	{ "__host-maracd_session=" ID, WEBSESSION_NO_COOKIE },
	{ "__Host-maracd_sessionx=" ID, WEBSESSION_NO_COOKIE },
	/* Present but unusable: still a browser's request. */
	{ "__Host-maracd_session=", WEBSESSION_COOKIE_BAD },
	{ "__Host-maracd_session=" ID "A", WEBSESSION_COOKIE_BAD },
	{ "__Host-maracd_session=\"" ID "\"", WEBSESSION_COOKIE_BAD },
	{ "__Host-maracd_session=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx%dHh8", WEBSESSION_COOKIE_BAD },
	{ "__Host-maracd_session=" ID "; __Host-maracd_session=" ID, WEBSESSION_COOKIE_BAD },
};

START_TEST(test_cookie_parse)
{
	char out[WEBSESSION_ID_LEN + 1] = "junk";
	enum websession_cookie got = websession_cookie_parse(cookies[_i].header, out);

	ck_assert_msg(got == cookies[_i].want, "case %d: got %d", _i, got);
	if (got == WEBSESSION_COOKIE_OK)
		ck_assert_str_eq(out, ID);
	else if (got == WEBSESSION_COOKIE_BAD)
		ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_set_cookie)
{
	char out[WEBSESSION_SET_COOKIE_MAX];

	websession_set_cookie(ID, out);
	ck_assert_str_eq(out, "__Host-maracd_session=" ID
	    "; Path=/; Secure; HttpOnly; SameSite=Strict");
	websession_clear_cookie(out);
	ck_assert_str_eq(out, "__Host-maracd_session=; Path=/; Secure; HttpOnly; "
	    "SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
}
END_TEST

START_TEST(test_origin)
{
	const char *pub = "https://maracd.example";

	ck_assert(websession_origin_ok("https://maracd.example", pub));
	ck_assert(websession_origin_ok("https://MARACD.example", pub));
	ck_assert(websession_origin_ok("https://maracd.example:443", pub));
	ck_assert(websession_origin_ok("https://maracd.example", "https://maracd.example:443"));
	ck_assert(websession_origin_ok("http://127.0.0.1:8080", "http://127.0.0.1:8080"));
	ck_assert(websession_origin_ok("http://localhost:80", "http://localhost"));
	ck_assert(!websession_origin_ok("http://maracd.example", pub));
	ck_assert(!websession_origin_ok("https://maracd.example:8443", pub));
	ck_assert(!websession_origin_ok("https://maracd.example.evil", pub));
	ck_assert(!websession_origin_ok("https://evil.maracd.example", pub));
	ck_assert(!websession_origin_ok("https://maracd.exampl", pub));
	ck_assert(!websession_origin_ok("https://maracd.example/", pub));
	ck_assert(!websession_origin_ok("null", pub));
	ck_assert(!websession_origin_ok("", pub));
	ck_assert(!websession_origin_ok(NULL, pub));
	/* Nothing configured: nothing matches, not even an empty Origin. */
	ck_assert(!websession_origin_ok("", ""));
	ck_assert(!websession_origin_ok("https://maracd.example", ""));
	ck_assert(!websession_origin_ok("https://maracd.example", NULL));
}
END_TEST

START_TEST(test_token_equal)
{
	char other[] = ID;

	ck_assert(websession_token_equal(ID, ID));
	other[WEBSESSION_ID_LEN - 1] = 'A';
	ck_assert(!websession_token_equal(other, ID));
	other[WEBSESSION_ID_LEN - 1] = '8';
	other[0] = 'B';
	ck_assert(!websession_token_equal(other, ID));
	ck_assert(!websession_token_equal("", ID));
	ck_assert(!websession_token_equal(NULL, ID));
	ck_assert(!websession_token_equal(ID "A", ID));
	ck_assert(!websession_token_equal(ID, NULL));
	/* Two equal but malformed strings are not a valid token. */
	ck_assert(!websession_token_equal("x", "x"));
}
END_TEST

START_TEST(test_age)
{
	const int64_t t0 = 1796810400;	/* 2026-12-09T10:00:00Z */

	ck_assert_int_eq(websession_age(t0, t0, t0, 1800, 43200), WEBSESSION_LIVE);
	ck_assert_int_eq(websession_age(t0, t0, t0 + 1799, 1800, 43200), WEBSESSION_LIVE);
	ck_assert_int_eq(websession_age(t0, t0, t0 + 1800, 1800, 43200), WEBSESSION_IDLE);
	/* Busy all day: live until the absolute lifetime, then expired. */
	ck_assert_int_eq(websession_age(t0, t0 + 43000, t0 + 43199, 1800, 43200),
	    WEBSESSION_LIVE);
	ck_assert_int_eq(websession_age(t0, t0 + 43199, t0 + 43200, 1800, 43200),
	    WEBSESSION_EXPIRED);
	/* Both: the lifetime is named. */
	ck_assert_int_eq(websession_age(t0, t0, t0 + 50000, 1800, 43200),
	    WEBSESSION_EXPIRED);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("websession", &tc);

	tcase_add_test(tc, test_id_format);
	tcase_add_test(tc, test_csrf_derive);
	tcase_add_loop_test(tc, test_cookie_parse, 0, N(cookies));
	tcase_add_test(tc, test_set_cookie);
	tcase_add_test(tc, test_origin);
	tcase_add_test(tc, test_token_equal);
	tcase_add_test(tc, test_age);
	return unit_run(s);
}

/*
 * TOTP: RFC 6238 Appendix B (SHA-1), the 6-digit codes apps show, the
 * +/-1 step window, replay of a step already used, the key and the URI.
 */
#include <string.h>

#include "unit.h"

#include "core/totp.h"

/* RFC 6238's SHA-1 seed: the ASCII digits, 20 bytes. */
static const unsigned char rfc_secret[TOTP_SECRET_BYTES] = "12345678901234567890";

static const struct {
	int64_t t;
	const char *code8;
} rfc[] = {
	{ 59, "94287082" },
	{ 1111111109, "07081804" },
	{ 1111111111, "14050471" },
	{ 1234567890, "89005924" },
	{ 2000000000, "69279037" },
	{ 20000000000, "65353130" },
};

START_TEST(test_rfc6238_vectors)
{
	char code[9];

	totp_code(rfc_secret, sizeof(rfc_secret), rfc[_i].t, 8, code);
	ck_assert_str_eq(code, rfc[_i].code8);
	/* Six digits: the same truncated value modulo 10^6. */
	ck_assert(totp_code(rfc_secret, sizeof(rfc_secret), rfc[_i].t, 6, code));
	ck_assert_str_eq(code, rfc[_i].code8 + 2);
}
END_TEST

START_TEST(test_verify_vectors_at_their_time)
{
	uint64_t step = 0;

	ck_assert_int_eq(totp_verify(rfc_secret, sizeof(rfc_secret), rfc[_i].t,
	    rfc[_i].code8 + 2, 0, &step), TOTP_OK);
	ck_assert_uint_eq(step, (uint64_t)rfc[_i].t / 30);
}
END_TEST

START_TEST(test_window_is_one_step_either_side)
{
	const int64_t t = 1234567890;	/* step 41152263, 0 s into it */
	const char *code = "005924";
	uint64_t step = 0;

	ck_assert_int_eq(totp_verify(rfc_secret, 20, t + 30, code, 0, &step), TOTP_OK);
	ck_assert_uint_eq(step, 41152263);
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t - 30, code, 0, &step), TOTP_OK);
	ck_assert_uint_eq(step, 41152263);
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t + 60, code, 0, &step), TOTP_WRONG);
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t - 60, code, 0, &step), TOTP_WRONG);
	/* Another secret's code is wrong; so is a near miss. */
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t, "005925", 0, &step), TOTP_WRONG);
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t, "105924", 0, &step), TOTP_WRONG);
}
END_TEST

START_TEST(test_a_step_is_used_once)
{
	const int64_t t = 1234567890;
	uint64_t step = 0, again = 7;
	char next[7];

	ck_assert_int_eq(totp_verify(rfc_secret, 20, t, "005924", 0, &step), TOTP_OK);
	/* The same code again, even 29 s later in the same step: refused. */
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t + 29, "005924", step, &again),
	    TOTP_REPLAYED);
	ck_assert_uint_eq(again, 7);	/* untouched */
	/* The next step's code is still good. */
	ck_assert(totp_code(rfc_secret, 20, t + 30, 6, next));
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t + 30, next, step, &again), TOTP_OK);
	ck_assert_uint_eq(again, step + 1);
	/* A code from before the last used step is refused as a replay too. */
	ck_assert_int_eq(totp_verify(rfc_secret, 20, t + 30, "005924", step + 1, &again),
	    TOTP_REPLAYED);
}
END_TEST

START_TEST(test_malformed_codes)
{
	static const char *const bad[] = { "", "12345", "1234567", "12a456",
	    "0x1234", "-12345", "123456\n", "１23456" };
	uint64_t step;

	for (int i = 0; i < N(bad); i++)
		ck_assert_int_eq(totp_verify(rfc_secret, 20, 59, bad[i], 0, &step),
		    TOTP_MALFORMED);
	/* Apps show "287 082": the space is allowed. */
	ck_assert_int_eq(totp_verify(rfc_secret, 20, 59, "287 082", 0, &step), TOTP_OK);
	ck_assert_str_eq(totp_result_name(TOTP_REPLAYED), "replayed");
}
END_TEST

START_TEST(test_key_round_trip)
{
	unsigned char secret[TOTP_SECRET_BYTES], back[TOTP_SECRET_BYTES];
	char key[TOTP_KEY_LEN + 1];

	totp_key_encode(rfc_secret, key);
	ck_assert_str_eq(key, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < TOTP_SECRET_BYTES; i++)
			secret[i] = (unsigned char)(round * 37 + i * 101);
		totp_key_encode(secret, key);
		ck_assert_uint_eq(strlen(key), TOTP_KEY_LEN);
		ck_assert(totp_key_decode(key, back));
		ck_assert(memcmp(secret, back, sizeof(secret)) == 0);
	}
	/* As people type it. */
	ck_assert(totp_key_decode("gezd gnbv gy3t qojq gezd-gnbv-gy3t-qojq", back));
	ck_assert(memcmp(back, rfc_secret, 20) == 0);
	ck_assert(!totp_key_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ", back));
	ck_assert(!totp_key_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQA", back));
	ck_assert(!totp_key_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1", back));
	ck_assert(!totp_key_decode("", back));
}
END_TEST

START_TEST(test_uri)
{
	struct buf b;

	buf_init(&b);
	ck_assert(totp_uri(&b, "Cumbria MARAC", "jo.bloggs+x@police.example", rfc_secret));
	ck_assert_str_eq(buf_str(&b), "otpauth://totp/Cumbria%20MARAC:"
	    "jo.bloggs%2Bx%40police.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	    "&issuer=Cumbria%20MARAC&algorithm=SHA1&digits=6&period=30");
	buf_reset(&b);
	ck_assert(!totp_uri(&b, "a:b", "x@y.example", rfc_secret));
	ck_assert(!totp_uri(&b, "", "x@y.example", rfc_secret));
	ck_assert(!totp_uri(&b, "maracd", "", rfc_secret));
	buf_reset(&b);
	/* Non-ASCII is percent-encoded byte by byte (UTF-8). */
	ck_assert(totp_uri(&b, "maracd", "zo\xc3\xab@x.example", rfc_secret));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "maracd:zo%C3%AB%40x.example?"));
	buf_free(&b);
}
END_TEST

START_TEST(test_step)
{
	ck_assert_uint_eq(totp_step(0), 0);
	ck_assert_uint_eq(totp_step(29), 0);
	ck_assert_uint_eq(totp_step(30), 1);
	ck_assert_uint_eq(totp_step(-5), 0);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("totp", &tc);

	tcase_add_loop_test(tc, test_rfc6238_vectors, 0, N(rfc));
	tcase_add_loop_test(tc, test_verify_vectors_at_their_time, 0, N(rfc));
	tcase_add_test(tc, test_window_is_one_step_either_side);
	tcase_add_test(tc, test_a_step_is_used_once);
	tcase_add_test(tc, test_malformed_codes);
	tcase_add_test(tc, test_key_round_trip);
	tcase_add_test(tc, test_uri);
	tcase_add_test(tc, test_step);
	return unit_run(s);
}

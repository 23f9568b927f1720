/* Recovery codes: shown form, what typing forgives, the stored hash. */
#include <string.h>

#include "unit.h"

#include "core/radix.h"
#include "core/recovery.h"

static const unsigned char rnd[RECOVERY_RANDOM_BYTES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

START_TEST(test_format)
{
	char code[RECOVERY_CODE_LEN + 1];

	recovery_code_format(rnd, code);
	ck_assert_str_eq(code, "AAAQ-EAYE-AUDA-OCAJ");
	ck_assert_uint_eq(strlen(code), RECOVERY_CODE_LEN);
}
END_TEST

START_TEST(test_hash_of_shown_and_typed_forms)
{
	/* SHA-256 of "AAAQEAYEAUDAOCAJ". */
	static const char want[] =
	    "32eea21c34ff5481817b0eada6d2570557a98f2767737e633a932158c69acb16";
	static const char *const same[] = { "AAAQ-EAYE-AUDA-OCAJ", "AAAQEAYEAUDAOCAJ",
	    "aaaq eaye auda ocaj", " aaaq-eaye-auda-0caj ", "AAAQ-EAYE-AUDA-OCAJ\t" };
	char h[RECOVERY_HASH_HEX];

	for (int i = 0; i < N(same); i++) {
		ck_assert_msg(recovery_code_hash(same[i], h), "%s", same[i]);
		ck_assert_str_eq(h, want);
	}
}
END_TEST

START_TEST(test_refused)
{
	static const char *const bad[] = { "", "AAAQ-EAYE-AUDA-OCA", "AAAQ-EAYE-AUDA-OCAJA",
	    "AAAQ-EAYE-AUDA-OCA9", "AAAQ_EAYE_AUDA_OCAJ", "AAAQ-EAYE-AUDA-OCA\xc3\xa9" };
	char norm[RECOVERY_CHARS + 1], h[RECOVERY_HASH_HEX];

	for (int i = 0; i < N(bad); i++) {
		ck_assert_msg(!recovery_code_normalize(bad[i], norm), "%s", bad[i]);
		ck_assert(!recovery_code_hash(bad[i], h));
	}
}
END_TEST

START_TEST(test_codes_differ_and_round_trip)
{
	unsigned char r[RECOVERY_RANDOM_BYTES];
	char code[RECOVERY_CODE_LEN + 1], norm[RECOVERY_CHARS + 1];
	char h1[RECOVERY_HASH_HEX], h2[RECOVERY_HASH_HEX];

	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < RECOVERY_RANDOM_BYTES; i++)
			r[i] = (unsigned char)(round * 53 + i * 17);
		recovery_code_format(r, code);
		ck_assert(recovery_code_normalize(code, norm));
		ck_assert(recovery_code_hash(code, h1));
		r[RECOVERY_RANDOM_BYTES - 1] ^= 1;	/* the last bit is in the code */
		recovery_code_format(r, code);
		ck_assert(recovery_code_hash(code, h2));
		ck_assert_str_ne(h1, h2);
	}
}
END_TEST

START_TEST(test_base32)
{
	char out[16];

	/* RFC 4648 section 10, unpadded. */
	ck_assert_uint_eq(base32_encode((const unsigned char *)"", 0, out), 0);
	ck_assert_str_eq(out, "");
	base32_encode((const unsigned char *)"f", 1, out);
	ck_assert_str_eq(out, "MY");
	base32_encode((const unsigned char *)"fo", 2, out);
	ck_assert_str_eq(out, "MZXQ");
	base32_encode((const unsigned char *)"foob", 4, out);
	ck_assert_str_eq(out, "MZXW6YQ");
	base32_encode((const unsigned char *)"foobar", 6, out);
	ck_assert_str_eq(out, "MZXW6YTBOI");
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("recovery", &tc);

	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_hash_of_shown_and_typed_forms);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_codes_differ_and_round_trip);
	tcase_add_test(tc, test_base32);
	return unit_run(s);
}

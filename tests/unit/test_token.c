/*
 * API token shape: what maracctl makes, maracd accepts; anything else,
 * including one changed character, is refused before the database.
 */
#include <string.h>

#include "unit.h"

#include "core/token.h"

START_TEST(test_made_tokens_are_well_formed)
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	char t[TOKEN_LEN + 1];

	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < TOKEN_RANDOM_BYTES; i++)
			rnd[i] = (unsigned char)(round * 131 + i * 29 + (i * round) % 7);
		token_format(rnd, t);
		ck_assert_uint_eq(strlen(t), TOKEN_LEN);
		ck_assert(strncmp(t, "mrc_", 4) == 0);
		ck_assert_msg(token_well_formed(t), "%s", t);
	}
}
END_TEST

START_TEST(test_known_token)
{
	unsigned char rnd[TOKEN_RANDOM_BYTES] = { 0 };
	char t[TOKEN_LEN + 1];

	/* CRC-32 of 32 zero bytes is 0x190a55ad. */
	token_format(rnd, t);
	ck_assert_str_eq(t, "mrc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_GQpVrQ");
}
END_TEST

START_TEST(test_any_change_is_refused)
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	char t[TOKEN_LEN + 1], u[TOKEN_LEN + 1];

	for (int i = 0; i < TOKEN_RANDOM_BYTES; i++)
		rnd[i] = (unsigned char)(i * 7 + 3);
	token_format(rnd, t);
	for (size_t i = 4; i < TOKEN_LEN; i++) {
		if (i == 4 + 43)
			continue;
		strcpy(u, t);
		u[i] = u[i] == 'A' ? 'B' : 'A';
		ck_assert_msg(!token_well_formed(u), "position %zu: %s", i, u);
	}
}
END_TEST

static const char *const bad[] = {
	"",
	"mrc_",
	"abc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_GQpVrQ",
	"mrc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-GQpVrQ",
	"mrc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_GQpVr",
	"mrc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_GQpVrQQ",
	"mrc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=_GQpVrQ",
	"mrc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB_GQpVrQ",	/* not canonical */
	"mrc_abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq",		/* the old shape */
};

START_TEST(test_bad_shapes)
{
	ck_assert_msg(!token_well_formed(bad[_i]), "%s", bad[_i]);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("token", &tc);

	tcase_add_test(tc, test_made_tokens_are_well_formed);
	tcase_add_test(tc, test_known_token);
	tcase_add_test(tc, test_any_change_is_refused);
	tcase_add_loop_test(tc, test_bad_shapes, 0, N(bad));
	return unit_run(s);
}

/*
 * Identity keys (victim repeats, perpetrator history) and initials.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "unit_date.h"

static const struct {
	const char	*name;
	const char	*key;	/* NULL: no key */
} key_cases[] = {
	{ "Jane Doe",			"jane doe|1990-02-01" },
	{ "  JANE \t  DOE  ",		"jane doe|1990-02-01" },
	{ "jane doe",			"jane doe|1990-02-01" },
	/* Apostrophes join: O'Brien == OBrien == obrien, typographic too. */
	{ "Siobhan O'Brien",		"siobhan obrien|1990-02-01" },
	{ "Siobhan OBrien",		"siobhan obrien|1990-02-01" },
	{ "siobhan obrien",		"siobhan obrien|1990-02-01" },
	{ "Siobhan O\xe2\x80\x99" "Brien", "siobhan obrien|1990-02-01" },
	{ "Siobhan O`Brien",		"siobhan obrien|1990-02-01" },
	/* A space is a separate token: documented as not the same. */
	{ "Siobhan O Brien",		"siobhan o brien|1990-02-01" },
	/* Hyphens, dashes, dots, commas separate. */
	{ "Ann Smith-Jones",		"ann smith jones|1990-02-01" },
	{ "Ann Smith \xe2\x80\x93 Jones", "ann smith jones|1990-02-01" },
	{ "Smith, Ann",			"smith ann|1990-02-01" },
	{ "J.D. Smith",			"j d smith|1990-02-01" },
	{ "Jane\xc2\xa0" "Doe",		"jane doe|1990-02-01" },
	{ "Agent 47",			"agent 47|1990-02-01" },
	/* Other UTF-8 is kept byte for byte, with no case folding. */
	{ "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m",
	    "zo\xc3\xab \xc3\x85ngstr\xc3\xb6m|1990-02-01" },
	{ "\xe7\x8e\x8b\xe8\x8a\xb3",	"\xe7\x8e\x8b\xe8\x8a\xb3|1990-02-01" },
	/* Hostile text is only text. */
	{ "<script>alert(1)</script>",	"script alert 1 script|1990-02-01" },
	{ "'; DROP TABLE victims; --",	"drop table victims|1990-02-01" },
	{ "",				NULL },
	{ "   ",			NULL },
	{ "!!! -- ...",			NULL },
	{ "'''",			NULL },
};

START_TEST(test_keys)
{
	char	 buf[IDENTITY_KEY_MAX];
	bool	 ok;

	ok = identity_key(key_cases[_i].name, D("1990-02-01"), buf,
	    sizeof(buf));
	if (key_cases[_i].key == NULL) {
		ck_assert_msg(!ok, "\"%s\" gave \"%s\"", key_cases[_i].name,
		    buf);
		ck_assert_str_eq(buf, "");
	} else {
		ck_assert_msg(ok, "\"%s\" gave no key", key_cases[_i].name);
		ck_assert_str_eq(buf, key_cases[_i].key);
	}
}
END_TEST

START_TEST(test_key_dob_distinguishes)
{
	char a[IDENTITY_KEY_MAX], b[IDENTITY_KEY_MAX];

	ck_assert(identity_key("Jane Doe", D("2000-02-29"), a,
	    sizeof(a)));
	ck_assert_str_eq(a, "jane doe|2000-02-29");
	ck_assert(identity_key("Jane Doe", D("2000-03-01"), b,
	    sizeof(b)));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_key_buffer)
{
	char	 buf[IDENTITY_KEY_MAX];
	char	 name[201];

	/* "jane doe|1990-02-01" is 19 bytes and a NUL. */
	ck_assert(identity_key("Jane Doe", 0, buf, 20));
	ck_assert(!identity_key("Jane Doe", 0, buf, 19));
	ck_assert_str_eq(buf, "");
	ck_assert(!identity_key("Jane Doe", 0, buf, 0));
	/* The longest name a referral allows always fits. */
	memset(name, 'x', 200);
	name[200] = '\0';
	ck_assert(identity_key(name, 0, buf, sizeof(buf)));
	ck_assert_uint_eq(strlen(buf), 211);
}
END_TEST

static const struct {
	const char	*name;
	const char	*initials;
} initials_cases[] = {
	{ "Jane Doe",			"J.D." },
	{ "jane mary doe",		"J.M.D." },
	{ "Siobhan O'Brien-Kelly",	"S.O.K." },
	{ "  d'arcy  smith ",		"D.S." },
	{ "\xc3\x89mile Zola",		"\xc3\x89.Z." },
	{ "\xc3\xa9mile zola",		"\xc3\xa9.Z." },
	{ "Agent 47",			"A.4." },
	{ "",				"" },
	{ " - ",			"" },
};

START_TEST(test_initials)
{
	char buf[IDENTITY_INITIALS_MAX];

	ck_assert_str_eq(identity_initials(initials_cases[_i].name, buf,
	    sizeof(buf)), initials_cases[_i].initials);
}
END_TEST

START_TEST(test_initials_buffer)
{
	char buf[IDENTITY_INITIALS_MAX];

	ck_assert_str_eq(identity_initials("Jane Doe", buf, 5), "J.D.");
	ck_assert_str_eq(identity_initials("Jane Doe", buf, 4), "J.");
	ck_assert_str_eq(identity_initials("Jane Doe", buf, 1), "");
	/* A whole UTF-8 initial or none. */
	ck_assert_str_eq(identity_initials("Jo \xc3\x89mile", buf, 5), "J.");
	ck_assert_str_eq(identity_initials(
	    "a b c d e f g h i j k l m n o p q r s t", buf, sizeof(buf)),
	    "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.");
}
END_TEST

static Suite *
identity_suite(void)
{
	Suite	*s = suite_create("identity");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_keys, 0,
	    sizeof(key_cases) / sizeof(key_cases[0]));
	tcase_add_test(tc, test_key_dob_distinguishes);
	tcase_add_test(tc, test_key_buffer);
	tcase_add_loop_test(tc, test_initials, 0,
	    sizeof(initials_cases) / sizeof(initials_cases[0]));
	tcase_add_test(tc, test_initials_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(identity_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * Relationship labels read as the Domestic Abuse Act 2021 reads them:
 * connected, clearly not connected, or unknown (the referrer's answer
 * stands).
 */
#include "unit.h"

#include "core/relationship.h"

enum { U = RELATIONSHIP_UNKNOWN, C = RELATIONSHIP_CONNECTED,
    N = RELATIONSHIP_NOT_CONNECTED };

static const struct {
	const char	*label;
	int		 kind;
} cases[] = {
	/* Partners, present and past, however they are written. */
	{ "partner", C }, { "ex-partner", C }, { "Ex Partner", C },
	{ "EXPARTNER", C }, { "ex_partner", C }, { "former partner", C },
	{ "estranged husband", C }, { "ex-wife", C }, { "boyfriend", C },
	{ "ex-girlfriend", C }, { "civil partner", C }, { "fiancé", C },
	{ "ex-fiancée", C }, { "spouse", C }, { "her ex-partner", C },
	{ "separated spouse", C },
	/* Relatives (Family Law Act 1996 s.63), step, half and in-law too. */
	{ "family member", C }, { "relative", C }, { "son", C },
	{ "adult child", C }, { "mother", C }, { "stepfather", C },
	{ "step-dad", C }, { "half-brother", C }, { "sister-in-law", C },
	{ "great uncle", C }, { "cousin", C }, { "grandson", C },
	/* A child together. */
	{ "parent of the victim's child", C }, { "father of her child", C },
	{ "mother of his children", C }, { "child's father", C },
	{ "co-parent", C }, { "baby's father", C },
	/* Clearly not connected. */
	{ "stranger", N }, { "acquaintance", N }, { "Neighbour", N },
	{ "neighbor", N }, { "work colleague", N }, { "ex-colleague", N },
	{ "co-worker", N }, { "landlord", N }, { "client", N },
	/* Facts a label does not carry: the referrer decides. */
	{ "friend", U }, { "family friend", U }, { "carer", U },
	{ "housemate", U }, { "unknown", U }, { "", U }, { "-", U },
	{ "partnr", U }, { "grandmother of her child", U },
	{ "the man next door", U },
};

START_TEST(test_labels)
{
	ck_assert_msg((int)relationship_classify(cases[_i].label) ==
	    cases[_i].kind, "\"%s\": got %d, want %d", cases[_i].label,
	    (int)relationship_classify(cases[_i].label), cases[_i].kind);
}
END_TEST

START_TEST(test_absent_and_overlong)
{
	char long_label[200];

	ck_assert_int_eq(relationship_classify(NULL), RELATIONSHIP_UNKNOWN);
	for (size_t i = 0; i < sizeof(long_label) - 1; i++)
		long_label[i] = "expartner"[i % 9];
	long_label[sizeof(long_label) - 1] = '\0';
	ck_assert_int_eq(relationship_classify(long_label),
	    RELATIONSHIP_UNKNOWN);
}
END_TEST

static Suite *
relationship_suite(void)
{
	Suite	*s = suite_create("relationship");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_labels, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_test(tc, test_absent_and_overlong);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(relationship_suite());
}

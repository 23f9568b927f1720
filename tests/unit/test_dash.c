/*
 * DASH / S-DASH scoring and risk levels: thresholds, every basis, every
 * checklist version.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/dash.h"

#define ALL_BASES (RISK_BASIS_VISIBLE_HIGH_RISK | RISK_BASIS_SDASH_ALL | \
    RISK_BASIS_PROFESSIONAL_JUDGEMENT | RISK_BASIS_ESCALATION)

enum { NOPJ = -1 };

static const struct level_case {
	const char		*what;
	enum dash_version	 version;
	int			 dash_yes;	/* 1..n yes, the rest no */
	int			 sdash_yes;	/* -1: no S-DASH */
	int			 judgement;	/* NOPJ or enum risk_level */
	bool			 escalation;
	int			 callouts;
	enum risk_level		 level;
	unsigned		 bases;
} level_cases[] = {
	{ "dash 6 standard", DASH_2009, 6, -1, NOPJ, false, -1,
	    RISK_STANDARD, 0 },
	{ "dash 7 medium", DASH_2009, 7, -1, NOPJ, false, -1,
	    RISK_MEDIUM, 0 },
	{ "dash 13 medium", DASH_2009, 13, -1, NOPJ, false, -1,
	    RISK_MEDIUM, 0 },
	{ "dash 14 high", DASH_2009, 14, -1, NOPJ, false, -1,
	    RISK_HIGH, RISK_BASIS_VISIBLE_HIGH_RISK },
	{ "ric 14 high", DASH_SAFELIVES_RIC, 14, -1, NOPJ, false, -1,
	    RISK_HIGH, RISK_BASIS_VISIBLE_HIGH_RISK },
	{ "glos 13 medium", DASH_GLOS_2018, 13, -1, NOPJ, false, -1,
	    RISK_MEDIUM, 0 },
	{ "sdash 10 standard", DASH_NONE, 0, 10, NOPJ, false, -1,
	    RISK_STANDARD, 0 },
	{ "sdash 11 high", DASH_NONE, 0, 11, NOPJ, false, -1,
	    RISK_HIGH, RISK_BASIS_SDASH_ALL },
	{ "judgement high", DASH_NONE, 0, -1, RISK_HIGH, false, -1,
	    RISK_HIGH, RISK_BASIS_PROFESSIONAL_JUDGEMENT },
	{ "judgement medium raises standard", DASH_2009, 3, -1, RISK_MEDIUM,
	    false, -1, RISK_MEDIUM, RISK_BASIS_PROFESSIONAL_JUDGEMENT },
	{ "judgement medium agrees with dash 9", DASH_2009, 9, -1,
	    RISK_MEDIUM, false, -1, RISK_MEDIUM,
	    RISK_BASIS_PROFESSIONAL_JUDGEMENT },
	{ "judgement medium does not lower dash 14", DASH_2009, 14, -1,
	    RISK_MEDIUM, false, -1, RISK_HIGH, RISK_BASIS_VISIBLE_HIGH_RISK },
	{ "judgement standard does not lower dash 14", DASH_2009, 14, -1,
	    RISK_STANDARD, false, -1, RISK_HIGH,
	    RISK_BASIS_VISIBLE_HIGH_RISK },
	{ "judgement standard does not lower dash 9", DASH_2009, 9, -1,
	    RISK_STANDARD, false, -1, RISK_MEDIUM, 0 },
	{ "judgement standard does not lower sdash 11", DASH_NONE, 0, 11,
	    RISK_STANDARD, false, -1, RISK_HIGH, RISK_BASIS_SDASH_ALL },
	{ "escalation declared", DASH_2009, 2, -1, NOPJ, true, -1,
	    RISK_HIGH, RISK_BASIS_ESCALATION },
	{ "3 call-outs escalate", DASH_2009, 2, -1, NOPJ, false, 3,
	    RISK_HIGH, RISK_BASIS_ESCALATION },
	{ "2 call-outs do not", DASH_2009, 2, -1, NOPJ, false, 2,
	    RISK_STANDARD, 0 },
	{ "2 call-outs with dash 7", DASH_2009, 7, -1, NOPJ, false, 2,
	    RISK_MEDIUM, 0 },
	{ "every basis together", DASH_GLOS_2018, 20, 11, RISK_HIGH, true, 5,
	    RISK_HIGH, ALL_BASES },
	{ "nothing at all", DASH_NONE, 0, -1, NOPJ, false, -1,
	    RISK_STANDARD, 0 },
};

static void
build(struct risk_input *in, enum dash_version v, int dash_yes,
    int sdash_yes, int judgement, bool escalation, int callouts)
{
	memset(in, 0, sizeof(*in));
	in->dash_version = v;
	for (int q = 1; q <= dash_version_questions(v); q++)
		in->dash[q] = q <= dash_yes ? ANSWER_YES : ANSWER_NO;
	if (sdash_yes >= 0) {
		in->has_sdash = true;
		for (int q = 1; q <= SDASH_QUESTIONS; q++)
			in->sdash[q] = q <= sdash_yes ? ANSWER_YES : ANSWER_NO;
	}
	if (judgement != NOPJ) {
		in->has_judgement = true;
		in->judgement = (enum risk_level)judgement;
	}
	in->escalation = escalation;
	in->police_callouts_12m = callouts;
}

START_TEST(test_levels)
{
	const struct level_case	*c = &level_cases[_i];
	struct risk_input	 in;
	struct risk_params	 p;
	struct risk		 r;

	dash_params_default(&p);
	build(&in, c->version, c->dash_yes, c->sdash_yes, c->judgement,
	    c->escalation, c->callouts);
	dash_assess(&in, &p, &r);
	ck_assert_msg(r.level == c->level, "%s: level %d, want %d", c->what,
	    r.level, c->level);
	ck_assert_msg(r.bases == c->bases, "%s: bases %#x, want %#x",
	    c->what, r.bases, c->bases);
	ck_assert_int_eq(r.dash_score, c->dash_yes);
	ck_assert_int_eq(r.sdash_score, c->sdash_yes < 0 ? 0 : c->sdash_yes);
}
END_TEST

START_TEST(test_basis_names_order)
{
	const char	*names[RISK_BASIS_COUNT];
	size_t		 n;

	n = dash_basis_names(ALL_BASES, names);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(names[0], "visible_high_risk");
	ck_assert_str_eq(names[1], "sdash_all");
	ck_assert_str_eq(names[2], "professional_judgement");
	ck_assert_str_eq(names[3], "escalation");
	n = dash_basis_names(RISK_BASIS_ESCALATION | RISK_BASIS_SDASH_ALL,
	    names);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "sdash_all");
	ck_assert_str_eq(names[1], "escalation");
	ck_assert_uint_eq(dash_basis_names(0, names), 0);
}
END_TEST

static const struct {
	const char		*name;
	enum dash_version	 version;
	int			 questions;
} version_cases[] = {
	{ "dash-2009", DASH_2009, 27 },
	{ "safelives-ric", DASH_SAFELIVES_RIC, 24 },
	{ "glos-2018", DASH_GLOS_2018, 28 },
};

/* Every version: its size, its name both ways, and a score of all yes. */
START_TEST(test_versions)
{
	struct risk_input	 in;
	enum dash_version	 v;

	ck_assert(dash_version_parse(version_cases[_i].name, &v));
	ck_assert_int_eq(v, version_cases[_i].version);
	ck_assert_str_eq(dash_version_name(v), version_cases[_i].name);
	ck_assert_int_eq(dash_version_questions(v),
	    version_cases[_i].questions);
	build(&in, v, DASH_QUESTIONS_MAX, -1, NOPJ, false, -1);
	ck_assert_int_eq(dash_score(&in), version_cases[_i].questions);
	/* A stray answer past the version's last question is not counted. */
	in.dash[DASH_QUESTIONS_MAX] = ANSWER_YES;
	ck_assert_int_eq(dash_score(&in), version_cases[_i].questions);
}
END_TEST

START_TEST(test_unknown_versions)
{
	enum dash_version v = DASH_NONE;

	ck_assert(!dash_version_parse("dash-2010", &v));
	ck_assert(!dash_version_parse("DASH-2009", &v));
	ck_assert(!dash_version_parse("", &v));
	ck_assert_int_eq(v, DASH_NONE);
	ck_assert_int_eq(dash_version_questions(DASH_NONE), 0);
	ck_assert_ptr_null(dash_version_name(DASH_NONE));
}
END_TEST

START_TEST(test_unanswered_is_not_yes)
{
	struct risk_input	 in;
	struct risk_params	 p;
	struct risk		 r;

	dash_params_default(&p);
	memset(&in, 0, sizeof(in));
	in.dash_version = DASH_2009;
	in.police_callouts_12m = -1;
	for (int q = 1; q <= 13; q++)
		in.dash[q] = ANSWER_YES;
	/* 14 to 27 unanswered: 13 yes is medium, never high. */
	dash_assess(&in, &p, &r);
	ck_assert_int_eq(r.dash_score, 13);
	ck_assert_int_eq(r.level, RISK_MEDIUM);
	/* S-DASH with one unanswered is not "all yes". */
	in.has_sdash = true;
	for (int q = 1; q <= 10; q++)
		in.sdash[q] = ANSWER_YES;
	dash_assess(&in, &p, &r);
	ck_assert_int_eq(r.sdash_score, 10);
	ck_assert_uint_eq(r.bases & RISK_BASIS_SDASH_ALL, 0);
}
END_TEST

START_TEST(test_params)
{
	struct risk_input	 in;
	struct risk_params	 p;
	struct risk		 r;

	dash_params_default(&p);
	ck_assert_int_eq(p.dash_high_min, 14);
	ck_assert_int_eq(p.dash_medium_min, 7);
	ck_assert_int_eq(p.escalation_callouts_min, 3);
	ck_assert(dash_params_valid(&p));
	/* A deployment's own thresholds are honoured. */
	p.dash_high_min = 10;
	p.dash_medium_min = 5;
	p.escalation_callouts_min = 2;
	build(&in, DASH_2009, 10, -1, NOPJ, false, -1);
	dash_assess(&in, &p, &r);
	ck_assert_int_eq(r.level, RISK_HIGH);
	build(&in, DASH_2009, 5, -1, NOPJ, false, 2);
	dash_assess(&in, &p, &r);
	ck_assert_uint_eq(r.bases, RISK_BASIS_ESCALATION);
	p.dash_medium_min = 10;
	ck_assert(!dash_params_valid(&p));
	p.dash_medium_min = 0;
	ck_assert(!dash_params_valid(&p));
	dash_params_default(&p);
	p.dash_high_min = 29;
	ck_assert(!dash_params_valid(&p));
	dash_params_default(&p);
	p.escalation_callouts_min = 0;
	ck_assert(!dash_params_valid(&p));
}
END_TEST

START_TEST(test_level_names)
{
	enum risk_level l;

	ck_assert_str_eq(dash_risk_level_name(RISK_STANDARD), "standard");
	ck_assert_str_eq(dash_risk_level_name(RISK_MEDIUM), "medium");
	ck_assert_str_eq(dash_risk_level_name(RISK_HIGH), "high");
	ck_assert(dash_risk_level_parse("medium", &l));
	ck_assert_int_eq(l, RISK_MEDIUM);
	ck_assert(!dash_risk_level_parse("severe", &l));
	ck_assert(!dash_risk_level_parse("High", &l));
}
END_TEST

static Suite *
dash_suite(void)
{
	Suite	*s = suite_create("dash");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_levels, 0,
	    sizeof(level_cases) / sizeof(level_cases[0]));
	tcase_add_test(tc, test_basis_names_order);
	tcase_add_loop_test(tc, test_versions, 0,
	    sizeof(version_cases) / sizeof(version_cases[0]));
	tcase_add_test(tc, test_unknown_versions);
	tcase_add_test(tc, test_unanswered_is_not_yes);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_level_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(dash_suite());
	int	 failed;

	/* No fork: the sanitizers then see the whole run in one process. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

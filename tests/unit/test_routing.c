/*
 * Routing: the age rule on the received date, forum choice, repeats,
 * review and warnings; domestic abuse as the Domestic Abuse Act 2021
 * defines it when the referral's answer and the facts disagree.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/routing.h"
#include "unit_date.h"

enum { S = RISK_STANDARD, M = RISK_MEDIUM, H = RISK_HIGH };
enum { L = ROUTING_LISTED, B = ROUTING_BELOW_THRESHOLD, X = ROUTING_REFUSED };

static const struct route_case {
	const char	*what;
	bool		 da, stalking;
	int		 level;
	enum forum	 requested;
	enum consent	 consent;
	const char	*dob, *received, *previous;	/* NULL: none */
	int		 outcome;
	enum forum	 forum;
	bool		 repeat, review;
	const char	*warnings;	/* codes, space-separated */
} cases[] = {
	{ "DA high -> MARAC", true, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, L, FORUM_MARAC, false,
	    false, "" },
	{ "DA stalking high -> MARAC", true, true, H, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", NULL, L,
	    FORUM_MARAC, false, false, "" },
	{ "DA medium -> below", true, false, M, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, B, FORUM_NONE, false, false,
	    "" },
	{ "DA stalking medium -> below, MASC is not for DA", true, true, M,
	    FORUM_NONE, CONSENT_GIVEN, "1990-02-01", "2026-11-20", NULL, B,
	    FORUM_NONE, false, false, "da_stalking_below_high" },
	{ "stalking medium -> MASC", false, true, M, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", NULL, L, FORUM_MASC,
	    false, false, "" },
	{ "stalking high -> MASC", false, true, H, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, L, FORUM_MASC, false, false,
	    "" },
	{ "stalking standard -> below", false, true, S, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", NULL, B, FORUM_NONE,
	    false, false, "" },
	{ "neither -> below", false, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, B, FORUM_NONE, false, false,
	    "not_da_or_stalking" },

	/* 16th birthday on the received day: in; the day after: out. */
	{ "16 today", true, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "2010-11-20", "2026-11-20", NULL, L, FORUM_MARAC, false,
	    false, "" },
	{ "16 tomorrow", true, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "2010-11-21", "2026-11-20", NULL, X, FORUM_NONE, false,
	    false, "" },
	{ "born after received", true, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "2026-11-21", "2026-11-20", NULL, X, FORUM_NONE, false,
	    false, "" },
	/* Leap-day birthdays: 16 on 29 Feb in a leap year. */
	{ "leap 16 on 29 Feb", true, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "2008-02-29", "2024-02-29", NULL, L, FORUM_MARAC, false,
	    false, "" },
	{ "leap 15 on 28 Feb", true, false, H, FORUM_NONE, CONSENT_GIVEN,
	    "2008-02-29", "2024-02-28", NULL, X, FORUM_NONE, false,
	    false, "" },

	/* Repeats: 11 months in, 13 out, exactly 12 in, 12 and a day out. */
	{ "repeat 11 months, standard", true, false, S, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", "2025-12-20", L,
	    FORUM_MARAC, true, false, "" },
	{ "repeat 13 months", true, false, S, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", "2025-10-20", B, FORUM_NONE,
	    false, false, "" },
	{ "repeat exactly 12 months", true, false, M, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", "2025-11-20", L,
	    FORUM_MARAC, true, false, "" },
	{ "12 months and a day", true, false, M, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", "2025-11-19", B, FORUM_NONE,
	    false, false, "" },
	{ "repeat same day", true, false, S, FORUM_NONE, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", "2026-11-20", L, FORUM_MARAC,
	    true, false, "" },
	{ "previous after received is no repeat", true, false, S, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", "2026-11-21", B,
	    FORUM_NONE, false, false, "" },
	{ "repeat high stays repeat", true, false, H, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", "2026-06-01", L,
	    FORUM_MARAC, true, false, "" },
	{ "stalking only: no repeat", false, true, S, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", "2026-06-01", B,
	    FORUM_NONE, false, false, "" },
	{ "repeat window from 29 Feb", true, false, S, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2024-02-29", "2023-02-28", L,
	    FORUM_MARAC, true, false, "" },
	{ "repeat window from 29 Feb, a day early", true, false, S,
	    FORUM_NONE, CONSENT_GIVEN, "1990-02-01", "2024-02-29",
	    "2023-02-27", B, FORUM_NONE, false, false, "" },
	{ "repeat window from 31 March", true, false, S, FORUM_NONE,
	    CONSENT_GIVEN, "1990-02-01", "2025-03-31", "2024-03-31", L,
	    FORUM_MARAC, true, false, "" },

	/* Requested forums. */
	{ "asked MASC, rules MARAC", true, true, H, FORUM_MASC, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, L, FORUM_MARAC, false, true,
	    "forum_overridden" },
	{ "asked MARAC, got MARAC", true, false, H, FORUM_MARAC,
	    CONSENT_GIVEN, "1990-02-01", "2026-11-20", NULL, L,
	    FORUM_MARAC, false, false, "" },
	{ "asked MARAC, below", true, false, M, FORUM_MARAC, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, B, FORUM_NONE, false, true,
	    "forum_requested_below_threshold" },
	{ "asked MASC, got MASC", false, true, M, FORUM_MASC, CONSENT_GIVEN,
	    "1990-02-01", "2026-11-20", NULL, L, FORUM_MASC, false, false,
	    "" },

	/* Consent. */
	{ "refused, medium", false, true, M, FORUM_NONE, CONSENT_REFUSED,
	    "1990-02-01", "2026-11-20", NULL, L, FORUM_MASC, false, false,
	    "consent_refused_below_high" },
	{ "refused, high", false, true, H, FORUM_NONE, CONSENT_REFUSED,
	    "1990-02-01", "2026-11-20", NULL, L, FORUM_MASC, false, false,
	    "" },
	{ "not sought, repeat standard", true, false, S, FORUM_NONE,
	    CONSENT_NOT_SOUGHT, "1990-02-01", "2026-11-20",
	    "2026-01-01", L, FORUM_MARAC, true, false,
	    "consent_not_sought_below_high" },
	{ "several warnings at once", true, true, M, FORUM_MASC,
	    CONSENT_REFUSED, "1990-02-01", "2026-11-20", NULL, B,
	    FORUM_NONE, false, true, "forum_requested_below_threshold "
	    "consent_refused_below_high da_stalking_below_high" },
};

/*
 * The Act: the referral's domestic_abuse against the perpetrator's
 * relationship and age.  Received 2026-11-20, victim born 1990-02-01,
 * consent given, no forum requested unless said.
 */
static const struct act_case {
	const char	*what;
	bool		 da, stalking;
	int		 level;
	bool		 perpetrator;		/* false: none named */
	const char	*relationship;		/* NULL: not given */
	const char	*perp_dob;		/* NULL: not given */
	enum forum	 requested;
	int		 outcome;
	enum forum	 forum;
	bool		 routed_da, review;
	const char	*warnings;
} act_cases[] = {
	/* The task's case: an ex-partner's stalking marked "not DA". */
	{ "ex-partner stalking high, says not DA -> MARAC", false, true, H,
	    true, "ex-partner", "1985-05-05", FORUM_NONE, L, FORUM_MARAC,
	    true, true, "da_by_relationship" },
	{ "ex-partner stalking medium, says not DA -> below, not MASC",
	    false, true, M, true, "Ex Partner", NULL, FORUM_NONE, B,
	    FORUM_NONE, true, true,
	    "da_by_relationship da_stalking_below_high" },
	{ "ex-partner, asked MASC, says not DA -> MARAC", false, true, H,
	    true, "former partner", NULL, FORUM_MASC, L, FORUM_MARAC, true,
	    true, "da_by_relationship forum_overridden" },
	{ "relative, says not DA, not stalking -> MARAC", false, false, H,
	    true, "son", NULL, FORUM_NONE, L, FORUM_MARAC, true, true,
	    "da_by_relationship" },
	{ "parent of a child together, says not DA -> MARAC", false, true, H,
	    true, "father of her child", NULL, FORUM_NONE, L, FORUM_MARAC,
	    true, true, "da_by_relationship" },
	{ "stranger stalking, says DA -> MASC", true, true, M, true,
	    "stranger", NULL, FORUM_NONE, L, FORUM_MASC, false, true,
	    "not_da_not_connected" },
	{ "acquaintance, says DA, not stalking -> below", true, false, H,
	    true, "acquaintance", "1980-01-01", FORUM_NONE, B, FORUM_NONE,
	    false, true, "not_da_not_connected not_da_or_stalking" },
	{ "perpetrator 15, says DA -> not DA", true, true, H, true,
	    "ex-partner", "2011-01-01", FORUM_NONE, L, FORUM_MASC, false,
	    true, "not_da_perpetrator_under_16" },
	{ "perpetrator 16 today, says DA -> MARAC", true, false, H, true,
	    "ex-partner", "2010-11-20", FORUM_NONE, L, FORUM_MARAC, true,
	    false, "" },
	{ "perpetrator 16 tomorrow, says DA -> not DA", true, false, H, true,
	    "partner", "2010-11-21", FORUM_NONE, B, FORUM_NONE, false, true,
	    "not_da_perpetrator_under_16 not_da_or_stalking" },
	{ "perpetrator 15 ex-partner, says not DA: agreed, MASC", false,
	    true, M, true, "ex-partner", "2011-01-01", FORUM_NONE, L,
	    FORUM_MASC, false, false, "" },
	/* Agreement and silence: the referrer's answer stands. */
	{ "ex-partner, says DA -> MARAC, no review", true, false, H, true,
	    "ex-partner", "1985-05-05", FORUM_NONE, L, FORUM_MARAC, true,
	    false, "" },
	{ "stranger, says not DA -> MASC, no review", false, true, M, true,
	    "stranger", NULL, FORUM_NONE, L, FORUM_MASC, false, false, "" },
	{ "friend, says not DA -> MASC", false, true, M, true, "friend",
	    NULL, FORUM_NONE, L, FORUM_MASC, false, false, "" },
	{ "friend, says DA -> MARAC", true, false, H, true, "friend", NULL,
	    FORUM_NONE, L, FORUM_MARAC, true, false, "" },
	{ "no relationship, says not DA -> MASC", false, true, M, true, NULL,
	    NULL, FORUM_NONE, L, FORUM_MASC, false, false, "" },
	{ "no perpetrator, says DA -> MARAC", true, false, H, false, NULL,
	    NULL, FORUM_NONE, L, FORUM_MARAC, true, false, "" },
};

static void
setup_referral(struct referral *r, const struct route_case *c)
{
	referral_init(r);
	r->domestic_abuse = c->da;
	r->stalking = c->stalking;
	r->forum_requested = c->requested;
	r->consent = c->consent;
	r->victim.dob = D(c->dob);
}

/* want: the expected codes in order, separated by single spaces. */
static void
check_warnings(const struct routing *out, const char *want)
{
	size_t n = 0, len;

	for (; *want != '\0'; n++) {
		len = strcspn(want, " ");
		ck_assert_msg(n < out->nwarnings, "missing warning %.*s",
		    (int)len, want);
		ck_assert_uint_eq(strlen(out->warnings[n].code), len);
		ck_assert_int_eq(strncmp(out->warnings[n].code, want, len), 0);
		ck_assert_ptr_nonnull(out->warnings[n].message);
		want += len + (want[len] == ' ');
	}
	ck_assert_uint_eq(out->nwarnings, n);
}

START_TEST(test_routes)
{
	const struct route_case	*c = &cases[_i];
	struct routing_params	 p;
	struct referral		 r;
	struct routing		 out;
	struct risk		 risk = { .level = (enum risk_level)c->level };
	date_t			 previous;

	routing_params_default(&p);
	setup_referral(&r, c);
	previous = c->previous == NULL ? 0 : D(c->previous);
	routing_decide(&r, &risk, D(c->received),
	    c->previous == NULL ? NULL : &previous, &p, &out);
	ck_assert_msg((int)out.outcome == c->outcome, "%s: outcome %s", c->what,
	    routing_outcome_name(out.outcome));
	ck_assert_msg(out.forum == c->forum, "%s: forum %d", c->what,
	    out.forum);
	ck_assert_msg(out.repeat == c->repeat, "%s: repeat", c->what);
	ck_assert_msg(out.review == c->review, "%s: review", c->what);
	check_warnings(&out, c->warnings);
	/* Routing never touches the risk it was given. */
	ck_assert_int_eq(risk.level, c->level);
	if (c->outcome == B)
		ck_assert_ptr_nonnull(out.advice);
	else
		ck_assert_ptr_null(out.advice);
	if (c->outcome != X)
		ck_assert_ptr_null(out.error);
}
END_TEST

START_TEST(test_refusal_message)
{
	struct routing_params	 p;
	struct referral		 r;
	struct routing		 out;
	struct risk		 risk = { .level = RISK_HIGH };

	routing_params_default(&p);
	referral_init(&r);
	r.domestic_abuse = true;
	r.forum_requested = FORUM_MARAC;
	r.consent = CONSENT_REFUSED;
	r.victim.dob = D("2011-05-05");
	routing_decide(&r, &risk, D("2026-11-20"), NULL, &p, &out);
	ck_assert_int_eq(out.outcome, ROUTING_REFUSED);
	ck_assert_str_eq(out.error, "victim_under_16");
	ck_assert_int_eq(out.victim_age, 15);
	ck_assert_ptr_nonnull(strstr(out.message, "under 16"));
	ck_assert_ptr_nonnull(strstr(out.message, "children's social care"));
	ck_assert_ptr_nonnull(strstr(out.message,
	    "Local Safeguarding Children Partnership"));
	/* A refusal is nothing else: no forum, no review, no warnings. */
	ck_assert(!out.review && !out.repeat);
	ck_assert_uint_eq(out.nwarnings, 0);
}
END_TEST

START_TEST(test_advice)
{
	struct routing_params	 p;
	struct referral		 r;
	struct routing		 out;
	struct risk		 risk = { .level = RISK_STANDARD };

	routing_params_default(&p);
	referral_init(&r);
	r.stalking = true;
	r.victim.dob = D("1990-02-01");
	routing_decide(&r, &risk, D("2026-11-20"), NULL, &p, &out);
	ck_assert_int_eq(out.outcome, ROUTING_BELOW_THRESHOLD);
	ck_assert_str_eq(routing_outcome_name(out.outcome), "below_threshold");
	ck_assert_ptr_nonnull(strstr(out.advice, "safety planning"));
	ck_assert_ptr_nonnull(strstr(out.advice, "IDVA"));
	ck_assert_ptr_nonnull(strstr(out.advice, "re-refer"));
	ck_assert_ptr_nonnull(strstr(out.reason, "Stalking not related"));
	ck_assert_ptr_nonnull(strstr(out.reason, "medium and high"));
	ck_assert_int_eq(out.victim_age, 36);
	/* Domestic abuse below high: the reason names MARAC's threshold. */
	r.domestic_abuse = true;
	routing_decide(&r, &risk, D("2026-11-20"), NULL, &p, &out);
	ck_assert_ptr_nonnull(strstr(out.reason, "below high risk"));
	/* Neither: out of scope. */
	r.domestic_abuse = false;
	r.stalking = false;
	routing_decide(&r, &risk, D("2026-11-20"), NULL, &p, &out);
	ck_assert_ptr_nonnull(strstr(out.reason, "Neither domestic abuse"));
}
END_TEST

START_TEST(test_act)
{
	const struct act_case	*c = &act_cases[_i];
	struct routing_params	 p;
	struct referral		 r;
	struct routing		 out;
	struct risk		 risk = { .level = (enum risk_level)c->level };

	routing_params_default(&p);
	referral_init(&r);
	r.domestic_abuse = c->da;
	r.stalking = c->stalking;
	r.forum_requested = c->requested;
	r.victim.dob = D("1990-02-01");
	r.has_perpetrator = c->perpetrator;
	/* Borrowed, never freed: referral_free is not called. */
	r.perpetrator.relationship = (char *)c->relationship;
	if (c->perp_dob != NULL) {
		r.perpetrator.has_dob = true;
		r.perpetrator.dob = D(c->perp_dob);
	}
	routing_decide(&r, &risk, D("2026-11-20"), NULL, &p, &out);
	ck_assert_msg((int)out.outcome == c->outcome, "%s: outcome %s", c->what,
	    routing_outcome_name(out.outcome));
	ck_assert_msg(out.forum == c->forum, "%s: forum %d", c->what,
	    out.forum);
	ck_assert_msg(out.domestic_abuse == c->routed_da, "%s: routed DA",
	    c->what);
	ck_assert_msg(out.review == c->review, "%s: review", c->what);
	check_warnings(&out, c->warnings);
}
END_TEST

/* A DA repeat is one by the Act: an ex-partner's is, a stranger's is not. */
START_TEST(test_act_repeat)
{
	struct routing_params	 p;
	struct referral		 r;
	struct routing		 out;
	struct risk		 risk = { .level = RISK_STANDARD };
	date_t			 prev = D("2026-06-01");

	routing_params_default(&p);
	referral_init(&r);
	r.stalking = true;
	r.victim.dob = D("1990-02-01");
	r.has_perpetrator = true;
	r.perpetrator.relationship = (char *)"ex-partner";
	routing_decide(&r, &risk, D("2026-11-20"), &prev, &p, &out);
	ck_assert(out.repeat && out.review && out.domestic_abuse);
	ck_assert_int_eq(out.forum, FORUM_MARAC);
	r.domestic_abuse = true;
	r.perpetrator.relationship = (char *)"stranger";
	routing_decide(&r, &risk, D("2026-11-20"), &prev, &p, &out);
	ck_assert(!out.repeat && out.review && !out.domestic_abuse);
	ck_assert_int_eq(out.outcome, ROUTING_BELOW_THRESHOLD);
}
END_TEST

/* A deployment's own numbers; 29 Feb birthdays age on 1 March. */
START_TEST(test_params)
{
	struct routing_params	 p;
	struct referral		 r;
	struct routing		 out;
	struct risk		 risk = { .level = RISK_HIGH };
	date_t			 prev = D("2024-06-01");

	routing_params_default(&p);
	ck_assert_int_eq(p.min_victim_age, 16);
	ck_assert_int_eq(p.repeat_months, 12);
	ck_assert(routing_params_valid(&p));
	p.min_victim_age = 17;
	referral_init(&r);
	r.domestic_abuse = true;
	r.victim.dob = D("2008-02-29");
	routing_decide(&r, &risk, D("2025-02-28"), NULL, &p, &out);
	ck_assert_int_eq(out.outcome, ROUTING_REFUSED);
	ck_assert_ptr_nonnull(strstr(out.message, "under 17"));
	routing_decide(&r, &risk, D("2025-03-01"), NULL, &p, &out);
	ck_assert_int_eq(out.outcome, ROUTING_LISTED);
	ck_assert_int_eq(out.victim_age, 17);
	p.repeat_months = 6;
	risk.level = RISK_MEDIUM;
	routing_decide(&r, &risk, D("2025-03-01"), &prev, &p, &out);
	ck_assert(!out.repeat);
	p.repeat_months = 9;
	routing_decide(&r, &risk, D("2025-03-01"), &prev, &p, &out);
	ck_assert(out.repeat);
	p.repeat_months = 0;
	ck_assert(!routing_params_valid(&p));
	/* Not below the Act's 16, not above 25. */
	routing_params_default(&p);
	p.min_victim_age = 15;
	ck_assert(!routing_params_valid(&p));
	p.min_victim_age = 25;
	ck_assert(routing_params_valid(&p));
	p.min_victim_age = 26;
	ck_assert(!routing_params_valid(&p));
	p.min_victim_age = 16;
	p.repeat_months = 121;
	ck_assert(!routing_params_valid(&p));
}
END_TEST

static Suite *
routing_suite(void)
{
	Suite	*s = suite_create("routing");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_routes, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_loop_test(tc, test_act, 0, sizeof(act_cases) /
	    sizeof(act_cases[0]));
	tcase_add_test(tc, test_act_repeat);
	tcase_add_test(tc, test_refusal_message);
	tcase_add_test(tc, test_advice);
	tcase_add_test(tc, test_params);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(routing_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

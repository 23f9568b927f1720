/*
 * DRIVE screening: every band edge, every exclusion and caution, every
 * checklist version's question map, the window edge, the rubric settings,
 * and the issue's worked scenario.  Expected points are typed in from
 * docs/domain.md (DRIVE) and issue 9, not derived from the code under test.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/drive.h"
#include "unit_date.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define HISTORY_MAX	16

/* drive_rubric_set's and _check's why (NULL when accepted), -1 checked. */
static const char *
rubric_set(struct drive_rubric *r, const char *key, const char *value)
{
	const char *why = NULL;
	int rc = drive_rubric_set(r, key, value, &why);

	ck_assert_int_eq(rc, why == NULL ? 0 : -1);
	return why;
}

static const char *
rubric_check(const struct drive_rubric *r)
{
	const char *why = NULL;
	int rc = drive_rubric_check(r, &why);

	ck_assert_int_eq(rc, why == NULL ? 0 : -1);
	return why;
}

static struct drive_rubric rubric;
static struct drive_perpetrator perp;
static struct drive_case kase;
static struct drive_referral hist[HISTORY_MAX];
static size_t nhist;
static struct drive_result res;

static uint64_t
Q(int question)
{
	return UINT64_C(1) << question;
}

/* An adult at MARAC with every optional field known and passing. */
static void
setup(void)
{
	drive_rubric_defaults(&rubric);
	memset(&perp, 0, sizeof(perp));
	perp.has_dob = true;
	perp.dob = D("1980-05-01");
	perp.in_custody = DRIVE_NO;
	perp.mappa_level = 0;
	perp.on_drive = DRIVE_NO;
	perp.in_area = DRIVE_YES;
	memset(&kase, 0, sizeof(kase));
	kase.sitting = D("2026-03-02");
	kase.at_marac = true;
	memset(hist, 0, sizeof(hist));
	nhist = 0;
	memset(&res, 0, sizeof(res));
}

static void
add(date_t received, const char *victim, const char *checklist,
    uint64_t yes)
{
	ck_assert_uint_lt(nhist, HISTORY_MAX);
	hist[nhist].id = (int64_t)nhist + 1;
	hist[nhist].received = received;
	hist[nhist].victim_key = victim;
	hist[nhist].checklist = checklist;
	hist[nhist].yes = yes;
	nhist++;
}

static void
screen(void)
{
	drive_screen(&rubric, &perp, &kase, hist, nhist, &res);
}

static bool
has_reason(const char *code)
{
	return drive_result_reason(&res, code) != NULL;
}

START_TEST(test_defaults)
{
	ck_assert_str_eq(rubric.version, "maracd-rfgv-1");
	ck_assert_int_eq(rubric.threshold, 12);
	ck_assert_int_eq(rubric.min_age, 18);
	ck_assert_int_eq(rubric.window_months, 36);
	for (int i = 0; i < DRIVE_COMPONENTS; i++)
		ck_assert_int_eq(rubric.weight[i], 1);
	ck_assert_int_eq(drive_rubric_max_score(&rubric), 20);
	ck_assert_ptr_null(rubric_check(&rubric));
}
END_TEST

/* Recency: days from the latest referral to the sitting. */
static const struct {
	int	days, points;
} recency[] = {
	{ 0, 5 }, { 1, 5 }, { 30, 5 }, { 31, 4 }, { 90, 4 }, { 91, 3 },
	{ 180, 3 }, { 181, 2 }, { 365, 2 }, { 366, 1 }, { 1095, 1 },
	{ 3000, 1 },	/* older than the window: recency still counts it */
};

START_TEST(test_recency_band)
{
	add(kase.sitting - recency[_i].days, "v|1990-01-01", "dash-2009", 0);
	screen();
	ck_assert_int_eq(res.recency_days, recency[_i].days);
	ck_assert_msg(res.component[DRIVE_RECENCY] == recency[_i].points,
	    "%d days: got %d, want %d", recency[_i].days,
	    res.component[DRIVE_RECENCY], recency[_i].points);
}
END_TEST

START_TEST(test_recency_uses_latest)
{
	/* Array order is not date order; the latest wins. */
	add(kase.sitting - 400, "v|1990-01-01", NULL, 0);
	add(kase.sitting - 45, "v|1990-01-01", NULL, 0);
	add(kase.sitting - 200, "v|1990-01-01", NULL, 0);
	screen();
	ck_assert_int_eq(res.recency_days, 45);
	ck_assert_int_eq(res.component[DRIVE_RECENCY], 4);
}
END_TEST

/* Frequency: referrals in the window. */
static const struct {
	int	n, points;
} frequency[] = {
	{ 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 3 }, { 5, 4 }, { 6, 4 }, { 7, 5 },
	{ 8, 5 }, { 12, 5 },
};

START_TEST(test_frequency_band)
{
	for (int i = 0; i < frequency[_i].n; i++)
		add(kase.sitting - 30 * i, "v|1990-01-01", "dash-2009", 0);
	screen();
	ck_assert_int_eq(res.referrals, frequency[_i].n);
	ck_assert_msg(res.component[DRIVE_FREQUENCY] == frequency[_i].points,
	    "%d referrals: got %d, want %d", frequency[_i].n,
	    res.component[DRIVE_FREQUENCY], frequency[_i].points);
	/* One victim throughout. */
	ck_assert_int_eq(res.victims, 1);
	ck_assert_int_eq(res.component[DRIVE_VICTIMS], 1);
}
END_TEST

/* Victims: distinct identity keys in the window. */
static const struct {
	int	n, points;
} victims[] = {
	{ 1, 1 }, { 2, 3 }, { 3, 5 }, { 4, 5 }, { 6, 5 },
};

START_TEST(test_victims_band)
{
	static const char *keys[] = {
		"ann a|1990-01-01", "bea b|1991-02-02", "cat c|1992-03-03",
		"dee d|1993-04-04", "eve e|1994-05-05", "fay f|1995-06-06",
	};

	for (int i = 0; i < victims[_i].n; i++) {
		/* Each victim twice: repeats of one victim are one victim. */
		add(kase.sitting - 10 - i, keys[i], "dash-2009", 0);
		add(kase.sitting - 100 - i, keys[i], "dash-2009", 0);
	}
	screen();
	ck_assert_int_eq(res.victims, victims[_i].n);
	ck_assert_msg(res.component[DRIVE_VICTIMS] == victims[_i].points,
	    "%d victims: got %d, want %d", victims[_i].n,
	    res.component[DRIVE_VICTIMS], victims[_i].points);
}
END_TEST

START_TEST(test_victim_unknown)
{
	add(kase.sitting - 10, "ann a|1990-01-01", "dash-2009", 0);
	add(kase.sitting - 20, NULL, "dash-2009", 0);
	add(kase.sitting - 30, "", "dash-2009", 0);
	screen();
	/* Unknown victims are never guessed to be new ones. */
	ck_assert_int_eq(res.victims, 1);
	ck_assert_int_eq(res.component[DRIVE_VICTIMS], 1);
	ck_assert_int_eq(res.referrals, 3);
	ck_assert(has_reason("victim_unknown"));
	ck_assert(!drive_result_reason(&res, "victim_unknown")->excludes);
	ck_assert_ptr_nonnull(strstr(
	    drive_result_reason(&res, "victim_unknown")->text, "2 referral"));
	ck_assert(res.eligible);
}
END_TEST

START_TEST(test_victim_outside_window_not_counted)
{
	add(kase.sitting - 10, "ann a|1990-01-01", "dash-2009", 0);
	add(date_add_months(kase.sitting, -36) - 1, "bea b|1991-02-02",
	    "dash-2009", 0);
	screen();
	ck_assert_int_eq(res.victims, 1);
	ck_assert_int_eq(res.referrals, 1);
}
END_TEST

/* The question behind each gravity key, per checklist version. */
static const struct {
	const char		*checklist;
	enum drive_gravity_key	 key;
	int			 question, points;
} qmap[] = {
	{ "dash-2009", DRIVE_GRAVITY_INJURY, 1, 3 },
	{ "dash-2009", DRIVE_GRAVITY_WEAPONS, 16, 4 },
	{ "dash-2009", DRIVE_GRAVITY_THREAT_TO_KILL, 17, 4 },
	{ "dash-2009", DRIVE_GRAVITY_STRANGULATION, 18, 5 },
	{ "dash-2009", DRIVE_GRAVITY_SEXUAL, 19, 4 },
	{ "glos-2018", DRIVE_GRAVITY_INJURY, 1, 3 },
	{ "glos-2018", DRIVE_GRAVITY_WEAPONS, 16, 4 },
	{ "glos-2018", DRIVE_GRAVITY_THREAT_TO_KILL, 17, 4 },
	{ "glos-2018", DRIVE_GRAVITY_STRANGULATION, 18, 5 },
	{ "glos-2018", DRIVE_GRAVITY_SEXUAL, 19, 4 },
	{ "safelives-ric", DRIVE_GRAVITY_INJURY, 1, 3 },
	{ "safelives-ric", DRIVE_GRAVITY_WEAPONS, 13, 4 },
	{ "safelives-ric", DRIVE_GRAVITY_THREAT_TO_KILL, 14, 4 },
	{ "safelives-ric", DRIVE_GRAVITY_STRANGULATION, 15, 5 },
	{ "safelives-ric", DRIVE_GRAVITY_SEXUAL, 16, 4 },
};

START_TEST(test_question_map)
{
	const char *v = qmap[_i].checklist;

	ck_assert(drive_checklist_known(v));
	ck_assert_int_eq(drive_gravity_question(v, qmap[_i].key),
	    qmap[_i].question);
	ck_assert_uint_eq(drive_gravity_keys(v, Q(qmap[_i].question)),
	    1u << qmap[_i].key);
	ck_assert_int_eq(drive_gravity(&rubric, v, Q(qmap[_i].question)),
	    qmap[_i].points);

	/* And through a screening: the one referral's gravity is the key's. */
	add(kase.sitting - 5, "v|1990-01-01", v, Q(qmap[_i].question));
	screen();
	ck_assert_int_eq(res.component[DRIVE_GRAVITY], qmap[_i].points);
	ck_assert_uint_eq(res.gravity_keys, 1u << qmap[_i].key);
}
END_TEST

/* Every question of every version: yes to a non-key question is no key. */
START_TEST(test_question_map_nothing_else)
{
	static const char *versions[] = {
		"dash-2009", "glos-2018", "safelives-ric"
	};

	for (int v = 0; v < NELEM(versions); v++) {
		for (int q = 0; q < 64; q++) {
			unsigned want = 0;
			int points = 1;		/* "otherwise 1" */

			for (int i = 0; i < NELEM(qmap); i++)
				if (strcmp(qmap[i].checklist, versions[v]) == 0 &&
				    qmap[i].question == q) {
					want |= 1u << qmap[i].key;
					points = qmap[i].points;
				}
			ck_assert_msg(drive_gravity_keys(versions[v], Q(q)) ==
			    want, "%s question %d", versions[v], q);
			ck_assert_int_eq(drive_gravity(&rubric, versions[v],
			    Q(q)), points);
		}
	}
}
END_TEST

/* The versions disagree: a number means different things in each. */
static const struct {
	const char	*checklist;
	int		 question;
	unsigned	 keys;
	int		 points;
} qcross[] = {
	{ "safelives-ric", 18, 0, 1 },	/* strangulation on dash-2009 only */
	{ "safelives-ric", 19, 0, 1 },
	{ "safelives-ric", 17, 0, 1 },
	{ "safelives-ric", 16, 1u << DRIVE_GRAVITY_SEXUAL, 4 },	/* not weapons */
	{ "dash-2009", 15, 0, 1 },	/* strangulation on safelives-ric only */
	{ "dash-2009", 13, 0, 1 },
	{ "dash-2009", 14, 0, 1 },
	{ "glos-2018", 15, 0, 1 },
	{ "glos-2018", 16, 1u << DRIVE_GRAVITY_WEAPONS, 4 },
	{ "dash-2009", 0, 0, 1 },	/* bit 0 is no question */
	{ "dash-2030", 18, 0, 1 },	/* unknown version: nothing known */
	{ "DASH-2009", 18, 0, 1 },	/* names are exact API tokens */
	{ "", 1, 0, 1 },
	{ NULL, 1, 0, 1 },
};

START_TEST(test_question_cross)
{
	ck_assert_uint_eq(drive_gravity_keys(qcross[_i].checklist,
	    Q(qcross[_i].question)), qcross[_i].keys);
	ck_assert_int_eq(drive_gravity(&rubric, qcross[_i].checklist,
	    Q(qcross[_i].question)), qcross[_i].points);
}
END_TEST

START_TEST(test_unknown_version)
{
	ck_assert(!drive_checklist_known("dash-2030"));
	ck_assert(!drive_checklist_known(NULL));
	ck_assert_int_eq(drive_gravity_question("dash-2030",
	    DRIVE_GRAVITY_STRANGULATION), 0);
	ck_assert_int_eq(drive_gravity_question("dash-2009",
	    (enum drive_gravity_key)DRIVE_GRAVITY_KEYS), 0);

	add(kase.sitting - 5, "v|1990-01-01", "dash-2030", ~UINT64_C(0));
	add(kase.sitting - 6, "v|1990-01-01", NULL, 0);
	screen();
	ck_assert_int_eq(res.component[DRIVE_GRAVITY], 1);
	ck_assert_uint_eq(res.gravity_keys, 0);
	ck_assert(has_reason("checklist_unknown"));
	ck_assert(!drive_result_reason(&res, "checklist_unknown")->excludes);
	ck_assert_ptr_nonnull(strstr(
	    drive_result_reason(&res, "checklist_unknown")->text, "2 referral"));
	ck_assert(res.eligible);
}
END_TEST

/* The gravest yes of one referral, and across referrals. */
START_TEST(test_gravest)
{
	ck_assert_int_eq(drive_gravity(&rubric, "dash-2009", 0), 1);
	ck_assert_int_eq(drive_gravity(&rubric, "dash-2009",
	    Q(1) | Q(16) | Q(18)), 5);
	ck_assert_int_eq(drive_gravity(&rubric, "dash-2009", Q(1) | Q(2)), 3);
	ck_assert_int_eq(drive_gravity(&rubric, "safelives-ric",
	    Q(1) | Q(14)), 4);

	add(kase.sitting - 5, "v|1990-01-01", "dash-2009", Q(1));
	add(kase.sitting - 50, "v|1990-01-01", "safelives-ric", Q(15));
	add(kase.sitting - 90, "v|1990-01-01", "glos-2018", Q(17));
	screen();
	ck_assert_int_eq(res.component[DRIVE_GRAVITY], 5);
	ck_assert_uint_eq(res.gravity_keys, (1u << DRIVE_GRAVITY_INJURY) |
	    (1u << DRIVE_GRAVITY_STRANGULATION) |
	    (1u << DRIVE_GRAVITY_THREAT_TO_KILL));
}
END_TEST

START_TEST(test_gravity_outside_window)
{
	/* A strangulation four years ago does not count; recency does. */
	add(kase.sitting - 4 * 365, "v|1990-01-01", "dash-2009", Q(18));
	add(kase.sitting - 400, "v|1990-01-01", "dash-2009", Q(1));
	screen();
	ck_assert_int_eq(res.component[DRIVE_GRAVITY], 3);
	ck_assert_int_eq(res.referrals, 1);
	ck_assert_int_eq(res.recency_days, 400);
}
END_TEST

/* The window: exactly window_months before the sitting counts. */
static const struct {
	const char	*sitting, *received;
	bool		 counts;
} window[] = {
	{ "2026-03-15", "2023-03-15", true },
	{ "2026-03-15", "2023-03-14", false },
	{ "2026-03-15", "2026-03-15", true },	/* the sitting day itself */
	{ "2026-03-15", "2026-03-16", false },	/* after the sitting */
	{ "2024-02-29", "2021-02-28", true },	/* clamped to the month end */
	{ "2024-02-29", "2021-02-27", false },
	{ "2025-05-31", "2022-05-31", true },
	{ "2025-05-31", "2022-05-30", false },
};

START_TEST(test_window_edge)
{
	kase.sitting = D(window[_i].sitting);
	add(D(window[_i].received), "v|1990-01-01", "dash-2009", Q(18));
	screen();
	ck_assert_int_eq(res.window_start,
	    date_add_months(kase.sitting, -36));
	ck_assert_msg(res.referrals == (window[_i].counts ? 1 : 0),
	    "%s at %s", window[_i].received, window[_i].sitting);
	ck_assert_int_eq(res.component[DRIVE_FREQUENCY],
	    window[_i].counts ? 1 : 0);
	ck_assert_int_eq(res.component[DRIVE_GRAVITY],
	    window[_i].counts ? 5 : 0);
	ck_assert_int_eq(res.component[DRIVE_VICTIMS],
	    window[_i].counts ? 1 : 0);
}
END_TEST

START_TEST(test_after_sitting_ignored)
{
	add(kase.sitting + 1, "v|1990-01-01", "dash-2009", Q(18));
	screen();
	ck_assert_int_eq(res.recency_days, -1);
	ck_assert_int_eq(res.referrals, 0);
	ck_assert_int_eq(res.score, 0);
	ck_assert(has_reason("no_history"));
}
END_TEST

START_TEST(test_window_months_setting)
{
	ck_assert_ptr_null(rubric_set(&rubric, "drive_window_months",
	    "12"));
	add(D("2025-03-02"), "v|1990-01-01", "dash-2009", 0);
	add(D("2025-03-01"), "w|1990-01-01", "dash-2009", Q(18));
	screen();
	ck_assert_int_eq(res.window_start, D("2025-03-02"));
	ck_assert_int_eq(res.referrals, 1);
	ck_assert_int_eq(res.component[DRIVE_GRAVITY], 1);
}
END_TEST

START_TEST(test_no_history)
{
	screen();
	ck_assert(res.eligible);
	ck_assert(!res.candidate);
	ck_assert_int_eq(res.score, 0);
	for (int i = 0; i < DRIVE_COMPONENTS; i++)
		ck_assert_int_eq(res.component[i], 0);
	ck_assert_int_eq(res.recency_days, -1);
	ck_assert_uint_eq(res.nreasons, 1);
	ck_assert_str_eq(res.reasons[0].code, "no_history");
	ck_assert(!res.reasons[0].excludes);
}
END_TEST

/* Each exclusion alone, against a history that otherwise scores 20. */
static void
gravest_history(void)
{
	add(kase.sitting - 3, "a|1990-01-01", "dash-2009", Q(18));
	add(kase.sitting - 30, "b|1990-01-01", "dash-2009", 0);
	add(kase.sitting - 60, "c|1990-01-01", "dash-2009", 0);
	add(kase.sitting - 90, "a|1990-01-01", "dash-2009", 0);
	add(kase.sitting - 120, "b|1990-01-01", "dash-2009", 0);
	add(kase.sitting - 150, "c|1990-01-01", "dash-2009", 0);
	add(kase.sitting - 180, "a|1990-01-01", "dash-2009", 0);
}

enum field { F_DOB, F_NO_DOB, F_MARAC, F_CUSTODY, F_MAPPA, F_DRIVE, F_AREA };

static const struct {
	enum field	 field;
	const char	*value;		/* meaning per field */
	const char	*code;		/* NULL: eligible, no reason */
} exclusion[] = {
	{ F_DOB, "2008-03-03", "under_18" },	/* 18 tomorrow */
	{ F_DOB, "2008-03-02", NULL },		/* 18 today */
	{ F_DOB, "2008-02-29", NULL },
	{ F_DOB, "2015-01-01", "under_18" },
	{ F_DOB, "2026-03-03", "age_unknown" },	/* born after the sitting */
	{ F_NO_DOB, NULL, "age_unknown" },
	{ F_MARAC, "no", "not_at_marac" },
	{ F_CUSTODY, "yes", "in_custody" },
	{ F_MAPPA, "3", "mappa_2_3" },
	{ F_MAPPA, "2", "mappa_2_3" },
	{ F_MAPPA, "1", NULL },
	{ F_MAPPA, "0", NULL },
	{ F_DRIVE, "yes", "already_on_drive" },
	{ F_AREA, "no", "out_of_area" },
};

START_TEST(test_exclusion)
{
	const char *v = exclusion[_i].value;

	switch (exclusion[_i].field) {
	case F_DOB:
		perp.dob = D(v);
		break;
	case F_NO_DOB:
		perp.has_dob = false;
		break;
	case F_MARAC:
		kase.at_marac = false;
		break;
	case F_CUSTODY:
		perp.in_custody = DRIVE_YES;
		break;
	case F_MAPPA:
		perp.mappa_level = atoi(v);
		break;
	case F_DRIVE:
		perp.on_drive = DRIVE_YES;
		break;
	case F_AREA:
		perp.in_area = DRIVE_NO;
		break;
	}
	gravest_history();
	screen();
	ck_assert_int_eq(res.score, 20);
	if (exclusion[_i].code == NULL) {
		ck_assert(res.eligible);
		ck_assert(res.candidate);
		ck_assert_uint_eq(res.nreasons, 0);
		return;
	}
	ck_assert(!res.eligible);
	ck_assert(!res.candidate);
	ck_assert_uint_eq(res.nreasons, 1);
	ck_assert_str_eq(res.reasons[0].code, exclusion[_i].code);
	ck_assert(res.reasons[0].excludes);
	ck_assert(res.reasons[0].text[0] != '\0');
}
END_TEST

START_TEST(test_exclusions_collect)
{
	static const char *codes[] = {
		"under_18", "not_at_marac", "in_custody", "mappa_2_3",
		"already_on_drive", "out_of_area",
	};

	perp.dob = D("2010-06-01");
	kase.at_marac = false;
	perp.in_custody = DRIVE_YES;
	perp.mappa_level = 2;
	perp.on_drive = DRIVE_YES;
	perp.in_area = DRIVE_NO;
	gravest_history();
	screen();
	ck_assert(!res.eligible);
	ck_assert(!res.candidate);
	ck_assert_int_eq(res.score, 20);	/* scored all the same */
	ck_assert_uint_eq(res.nreasons, NELEM(codes));
	for (int i = 0; i < NELEM(codes); i++) {
		ck_assert_str_eq(res.reasons[i].code, codes[i]);
		ck_assert(res.reasons[i].excludes);
	}
	ck_assert_str_eq(res.reasons[0].text,
	    "perpetrator under 18 on the sitting date (aged 15)");
	ck_assert_str_eq(res.reasons[3].text,
	    "perpetrator managed at MAPPA level 2");
	ck_assert_int_eq(res.age, 15);
}
END_TEST

/* The most reasons that can apply at once fit. */
START_TEST(test_reasons_fit)
{
	perp.has_dob = false;
	kase.at_marac = false;
	perp.in_custody = DRIVE_YES;
	perp.mappa_level = 3;
	perp.on_drive = DRIVE_YES;
	perp.in_area = DRIVE_NO;
	add(kase.sitting - 1, NULL, NULL, 0);
	screen();
	ck_assert_uint_eq(res.nreasons, 8);
	ck_assert(has_reason("checklist_unknown"));
	ck_assert(has_reason("victim_unknown"));
	ck_assert_int_eq(res.age, -1);
}
END_TEST

/* Unknown optional fields: eligible, each with its caution. */
START_TEST(test_unknowns_are_cautions)
{
	static const char *codes[] = {
		"custody_unknown", "mappa_unknown", "drive_status_unknown",
		"in_area_unknown",
	};

	perp.in_custody = DRIVE_UNKNOWN;
	perp.mappa_level = -1;
	perp.on_drive = DRIVE_UNKNOWN;
	perp.in_area = DRIVE_UNKNOWN;
	gravest_history();
	screen();
	ck_assert(res.eligible);
	ck_assert(res.candidate);
	ck_assert_uint_eq(res.nreasons, NELEM(codes));
	for (int i = 0; i < NELEM(codes); i++) {
		ck_assert_str_eq(res.reasons[i].code, codes[i]);
		ck_assert(!res.reasons[i].excludes);
	}
}
END_TEST

START_TEST(test_mappa_out_of_range_is_unknown)
{
	perp.mappa_level = 7;
	gravest_history();
	screen();
	ck_assert(res.eligible);
	ck_assert(has_reason("mappa_unknown"));
}
END_TEST

START_TEST(test_on_demand)
{
	/* A serial medium-risk perpetrator not heard at MARAC. */
	kase.at_marac = false;
	kase.on_demand = true;
	gravest_history();
	screen();
	ck_assert(res.eligible);
	ck_assert(res.candidate);
	ck_assert(!has_reason("not_at_marac"));
	ck_assert(has_reason("screened_on_demand"));
	ck_assert(!drive_result_reason(&res, "screened_on_demand")->excludes);

	/* On demand waives only the forum. */
	perp.in_custody = DRIVE_YES;
	screen();
	ck_assert(!res.eligible);
	ck_assert(has_reason("in_custody"));

	/* At MARAC, on demand or not, there is nothing to say. */
	perp.in_custody = DRIVE_NO;
	kase.at_marac = true;
	screen();
	ck_assert_uint_eq(res.nreasons, 0);
}
END_TEST

/* Issue 9: three referrals against two victims over 20 months. */
START_TEST(test_issue_scenario)
{
	/*
	 * 2024-06-20 victim A, dash-2009, injury (q1);
	 * 2025-05-10 victim A, dash-2009, weapons (q16);
	 * 2026-02-20 victim B, safelives-ric, q18 (no key on that version).
	 * Sitting 2026-03-02: 10 days since the latest -> recency 5;
	 * 3 referrals -> frequency 3; gravest weapons -> gravity 4;
	 * 2 victims -> 3.  Score 15 >= 12: a candidate.
	 */
	add(D("2024-06-20"), "alex a|1992-04-04", "dash-2009", Q(1) | Q(3));
	add(D("2025-05-10"), "alex a|1992-04-04", "dash-2009", Q(16));
	add(D("2026-02-20"), "blake b|1995-09-09", "safelives-ric", Q(18));
	screen();
	ck_assert_int_eq(res.recency_days, 10);
	ck_assert_int_eq(res.referrals, 3);
	ck_assert_int_eq(res.victims, 2);
	ck_assert_int_eq(res.component[DRIVE_RECENCY], 5);
	ck_assert_int_eq(res.component[DRIVE_FREQUENCY], 3);
	ck_assert_int_eq(res.component[DRIVE_GRAVITY], 4);
	ck_assert_int_eq(res.component[DRIVE_VICTIMS], 3);
	ck_assert_int_eq(res.score, 15);
	ck_assert_int_eq(res.threshold, 12);
	ck_assert(res.eligible);
	ck_assert(res.candidate);
	ck_assert_uint_eq(res.nreasons, 0);
	ck_assert_int_eq(res.age, 45);
	ck_assert_str_eq(res.rubric_version, "maracd-rfgv-1");
}
END_TEST

/* Weights and the threshold, around the scenario's 5+3+4+3. */
static const struct {
	const char	*key, *value;
	int		 score;
	bool		 candidate;
} weights[] = {
	{ "drive_threshold", "15", 15, true },
	{ "drive_threshold", "16", 15, false },
	{ "drive_threshold", "0", 15, true },
	{ "drive_weight_recency", "0", 10, false },
	{ "drive_weight_recency", "2", 20, true },
	{ "drive_weight_frequency", "3", 21, true },
	{ "drive_weight_gravity", "0", 11, false },
	{ "drive_weight_gravity", "10", 51, true },
	{ "drive_weight_victims", "2", 18, true },
	{ "drive_gravity_weapons", "2", 14, true },	/* injury now */
	{ "drive_gravity_injury", "6", 17, true },	/* gravest by points */
	{ "drive_victims_points", "1,1,5", 13, true },
	{ "drive_frequency_from", "1,4,5,6,7", 13, true },	/* 3 -> band 1 */
	{ "drive_recency_days", "5,9,180,365", 13, true },	/* 10 -> 3 */
	{ "drive_recency_points", "0,0,0,0,0", 10, false },
};

START_TEST(test_weights)
{
	ck_assert_ptr_null(rubric_set(&rubric, weights[_i].key,
	    weights[_i].value));
	add(D("2024-06-20"), "alex a|1992-04-04", "dash-2009", Q(1));
	add(D("2025-05-10"), "alex a|1992-04-04", "dash-2009", Q(16));
	add(D("2026-02-20"), "blake b|1995-09-09", "safelives-ric", 0);
	screen();
	ck_assert_msg(res.score == weights[_i].score, "%s=%s: score %d, want %d",
	    weights[_i].key, weights[_i].value, res.score, weights[_i].score);
	ck_assert(res.candidate == weights[_i].candidate);
	ck_assert_int_eq(res.threshold, rubric.threshold);
}
END_TEST

START_TEST(test_min_age_setting)
{
	ck_assert_ptr_null(rubric_set(&rubric, "drive_min_age", "21"));
	perp.dob = D("2005-03-03");	/* 20 on the sitting date */
	gravest_history();
	screen();
	ck_assert(!res.eligible);
	/* The code stays under_18: it is the contract; the text says 21. */
	ck_assert_str_eq(res.reasons[0].code, "under_18");
	ck_assert_str_eq(res.reasons[0].text,
	    "perpetrator under 21 on the sitting date (aged 20)");
}
END_TEST

START_TEST(test_rubric_version_carried)
{
	ck_assert_ptr_null(rubric_set(&rubric, "drive_rubric_version",
	    "cumbria-2026.1"));
	screen();
	ck_assert_str_eq(res.rubric_version, "cumbria-2026.1");
}
END_TEST

/* Settings: accepted or refused, and a refusal changes nothing. */
static const struct {
	const char	*key, *value;
	bool		 ok;
	const char	*got;		/* drive_rubric_get() after, if ok */
} settings[] = {
	{ "drive_threshold", "0", true, "0" },
	{ "drive_threshold", "400", true, "400" },
	{ "drive_threshold", " 12 ", true, "12" },
	{ "drive_threshold", "401", false, NULL },
	{ "drive_threshold", "-1", false, NULL },
	{ "drive_threshold", "+1", false, NULL },
	{ "drive_threshold", "12x", false, NULL },
	{ "drive_threshold", "1 2", false, NULL },
	{ "drive_threshold", "", false, NULL },
	{ "drive_threshold", "99999999999999999999999", false, NULL },
	{ "drive_threshold", "12,13", false, NULL },
	{ "drive_min_age", "16", true, "16" },
	{ "drive_min_age", "15", false, NULL },
	{ "drive_min_age", "31", false, NULL },
	{ "drive_window_months", "1", true, "1" },
	{ "drive_window_months", "120", true, "120" },
	{ "drive_window_months", "0", false, NULL },
	{ "drive_window_months", "121", false, NULL },
	{ "drive_weight_recency", "10", true, "10" },
	{ "drive_weight_frequency", "0", true, "0" },
	{ "drive_weight_gravity", "11", false, NULL },
	{ "drive_weight_victims", "1.5", false, NULL },
	{ "drive_recency_days", "7, 14 ,28,56", true, "7,14,28,56" },
	{ "drive_recency_days", "0,1,2,3650", true, "0,1,2,3650" },
	{ "drive_recency_days", "30,90,180", false, NULL },
	{ "drive_recency_days", "30,90,180,365,400", false, NULL },
	{ "drive_recency_days", "90,30,180,365", false, NULL },
	{ "drive_recency_days", "30,30,180,365", false, NULL },
	{ "drive_recency_days", "30,,180,365", false, NULL },
	{ "drive_recency_days", "30,90,180,365,", false, NULL },
	{ "drive_recency_days", "30,90,180,3651", false, NULL },
	{ "drive_recency_days", "30;90;180;365", false, NULL },
	{ "drive_recency_points", "1,2,3,4,5", true, "1,2,3,4,5" },
	{ "drive_recency_points", "5,4,3,2,11", false, NULL },
	{ "drive_recency_points", "5,4,3,2", false, NULL },
	{ "drive_frequency_from", "2,4,6,8,10", true, "2,4,6,8,10" },
	{ "drive_frequency_from", "0,2,3,5,7", false, NULL },
	{ "drive_frequency_from", "1,2,3,5,5", false, NULL },
	{ "drive_frequency_points", "0,0,0,0,10", true, "0,0,0,0,10" },
	{ "drive_victims_from", "1,3,5", true, "1,3,5" },
	{ "drive_victims_from", "1,3", false, NULL },
	{ "drive_victims_from", "3,2,1", false, NULL },
	{ "drive_victims_points", "2,4,6", true, "2,4,6" },
	{ "drive_victims_points", "2,4,60", false, NULL },
	{ "drive_gravity_strangulation", "10", true, "10" },
	{ "drive_gravity_weapons", "0", true, "0" },
	{ "drive_gravity_threat_to_kill", "11", false, NULL },
	{ "drive_gravity_sexual", "3", true, "3" },
	{ "drive_gravity_injury", "x", false, NULL },
	{ "drive_gravity_other", "0", true, "0" },
	{ "drive_rubric_version", "maracd-rfgv-2", true, "maracd-rfgv-2" },
	{ "drive_rubric_version", "a.b_c+D-9", true, "a.b_c+D-9" },
	{ "drive_rubric_version", "0123456789012345678901234567890", true,
	  "0123456789012345678901234567890" },
	{ "drive_rubric_version", "01234567890123456789012345678901", false,
	  NULL },
	{ "drive_rubric_version", "", false, NULL },
	{ "drive_rubric_version", "has space", false, NULL },
	{ "drive_rubric_version", "v1;drop", false, NULL },
	{ "drive_thresold", "12", false, NULL },
	{ "threshold", "12", false, NULL },
	{ "", "12", false, NULL },
	{ NULL, "12", false, NULL },
	{ "drive_threshold", NULL, false, NULL },
};

START_TEST(test_setting)
{
	struct drive_rubric before = rubric;
	const char *err;
	char buf[64];

	err = rubric_set(&rubric, settings[_i].key, settings[_i].value);
	if (!settings[_i].ok) {
		ck_assert_msg(err != NULL, "%s=%s accepted", settings[_i].key,
		    settings[_i].value);
		ck_assert(memcmp(&before, &rubric, sizeof(rubric)) == 0);
		return;
	}
	ck_assert_msg(err == NULL, "%s=%s: %s", settings[_i].key,
	    settings[_i].value, err);
	ck_assert(drive_rubric_get(&rubric, settings[_i].key, buf,
	    sizeof(buf)));
	ck_assert_str_eq(buf, settings[_i].got);
}
END_TEST

START_TEST(test_setting_messages)
{
	ck_assert_str_eq(rubric_set(&rubric, "drive_thresold", "1"),
	    "is not a DRIVE rubric setting");
	ck_assert_str_eq(rubric_set(&rubric, "drive_threshold", "999"),
	    "must be a whole number from 0 to 400");
	ck_assert_str_eq(rubric_set(&rubric, "drive_recency_days",
	    "1,2"), "must be 4 ascending whole numbers of days from 0 to 3650");
}
END_TEST

START_TEST(test_keys_round_trip)
{
	struct drive_rubric other;
	const char *key;
	char buf[64];
	size_t n = 0;

	/* Change every setting, then copy it back key by key. */
	drive_rubric_defaults(&other);
	ck_assert_ptr_null(rubric_set(&rubric, "drive_rubric_version",
	    "x-2"));
	ck_assert_ptr_null(rubric_set(&rubric, "drive_recency_days",
	    "1,2,3,4"));
	ck_assert_ptr_null(rubric_set(&rubric, "drive_victims_from",
	    "2,4,8"));
	ck_assert_ptr_null(rubric_set(&rubric, "drive_gravity_other",
	    "0"));
	ck_assert_ptr_null(rubric_set(&rubric, "drive_weight_victims",
	    "7"));
	for (; (key = drive_rubric_key(n)) != NULL; n++) {
		ck_assert(drive_rubric_get(&rubric, key, buf, sizeof(buf)));
		ck_assert_msg(rubric_set(&other, key, buf) == NULL,
		    "%s=%s", key, buf);
	}
	ck_assert_uint_eq(n, 20);
	ck_assert(memcmp(&rubric, &other, sizeof(rubric)) == 0);
	ck_assert(!drive_rubric_get(&rubric, "nope", buf, sizeof(buf)));
	ck_assert(!drive_rubric_get(&rubric, "drive_recency_days", buf, 5));
}
END_TEST

START_TEST(test_format)
{
	char buf[DRIVE_RUBRIC_TEXT_MAX], small[40];

	ck_assert(drive_rubric_format(&rubric, buf, sizeof(buf)));
	ck_assert_str_eq(buf,
	    "drive_rubric_version=maracd-rfgv-1 drive_threshold=12 "
	    "drive_min_age=18 drive_window_months=36 "
	    "drive_weight_recency=1 drive_weight_frequency=1 "
	    "drive_weight_gravity=1 drive_weight_victims=1 "
	    "drive_recency_days=30,90,180,365 "
	    "drive_recency_points=5,4,3,2,1 "
	    "drive_frequency_from=1,2,3,5,7 "
	    "drive_frequency_points=1,2,3,4,5 "
	    "drive_victims_from=1,2,3 drive_victims_points=1,3,5 "
	    "drive_gravity_strangulation=5 drive_gravity_weapons=4 "
	    "drive_gravity_threat_to_kill=4 drive_gravity_sexual=4 "
	    "drive_gravity_injury=3 drive_gravity_other=1");
	ck_assert(!drive_rubric_format(&rubric, small, sizeof(small)));

	/* The widest valid rubric still fits DRIVE_RUBRIC_TEXT_MAX. */
	rubric_set(&rubric, "drive_rubric_version",
	    "0123456789012345678901234567890");
	rubric_set(&rubric, "drive_recency_days",
	    "3647,3648,3649,3650");
	rubric_set(&rubric, "drive_frequency_from",
	    "996,997,998,999,1000");
	rubric_set(&rubric, "drive_threshold", "400");
	ck_assert(drive_rubric_format(&rubric, buf, sizeof(buf)));
}
END_TEST

START_TEST(test_check)
{
	ck_assert_ptr_null(rubric_set(&rubric, "drive_threshold", "20"));
	ck_assert_ptr_null(rubric_check(&rubric));
	ck_assert_ptr_null(rubric_set(&rubric, "drive_threshold", "21"));
	ck_assert_ptr_nonnull(rubric_check(&rubric));
	/* The order settings arrive in does not matter: check at the end. */
	ck_assert_ptr_null(rubric_set(&rubric, "drive_weight_gravity",
	    "2"));
	ck_assert_int_eq(drive_rubric_max_score(&rubric), 25);
	ck_assert_ptr_null(rubric_check(&rubric));
	ck_assert_ptr_null(rubric_set(&rubric, "drive_gravity_other",
	    "10"));
	ck_assert_int_eq(drive_rubric_max_score(&rubric), 35);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(drive_component_name(DRIVE_RECENCY), "recency");
	ck_assert_str_eq(drive_component_name(DRIVE_FREQUENCY), "frequency");
	ck_assert_str_eq(drive_component_name(DRIVE_GRAVITY), "gravity");
	ck_assert_str_eq(drive_component_name(DRIVE_VICTIMS), "victims");
	ck_assert_ptr_null(drive_component_name(DRIVE_COMPONENTS));
	ck_assert_str_eq(drive_gravity_key_name(DRIVE_GRAVITY_STRANGULATION),
	    "strangulation");
	ck_assert_str_eq(drive_gravity_key_name(DRIVE_GRAVITY_WEAPONS),
	    "weapons");
	ck_assert_str_eq(drive_gravity_key_name(DRIVE_GRAVITY_THREAT_TO_KILL),
	    "threat_to_kill");
	ck_assert_str_eq(drive_gravity_key_name(DRIVE_GRAVITY_SEXUAL),
	    "sexual");
	ck_assert_str_eq(drive_gravity_key_name(DRIVE_GRAVITY_INJURY),
	    "injury");
	ck_assert_ptr_null(drive_gravity_key_name(DRIVE_GRAVITY_KEYS));
}
END_TEST

static Suite *
drive_suite(void)
{
	Suite *s = suite_create("drive");
	TCase *tc;

	tc = tcase_create("bands");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_recency_band, 0, NELEM(recency));
	tcase_add_test(tc, test_recency_uses_latest);
	tcase_add_loop_test(tc, test_frequency_band, 0, NELEM(frequency));
	tcase_add_loop_test(tc, test_victims_band, 0, NELEM(victims));
	tcase_add_test(tc, test_victim_unknown);
	tcase_add_test(tc, test_victim_outside_window_not_counted);
	suite_add_tcase(s, tc);

	tc = tcase_create("gravity");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_question_map, 0, NELEM(qmap));
	tcase_add_test(tc, test_question_map_nothing_else);
	tcase_add_loop_test(tc, test_question_cross, 0, NELEM(qcross));
	tcase_add_test(tc, test_unknown_version);
	tcase_add_test(tc, test_gravest);
	tcase_add_test(tc, test_gravity_outside_window);
	suite_add_tcase(s, tc);

	tc = tcase_create("window");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_window_edge, 0, NELEM(window));
	tcase_add_test(tc, test_after_sitting_ignored);
	tcase_add_test(tc, test_window_months_setting);
	tcase_add_test(tc, test_no_history);
	suite_add_tcase(s, tc);

	tc = tcase_create("eligibility");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_exclusion, 0, NELEM(exclusion));
	tcase_add_test(tc, test_exclusions_collect);
	tcase_add_test(tc, test_reasons_fit);
	tcase_add_test(tc, test_unknowns_are_cautions);
	tcase_add_test(tc, test_mappa_out_of_range_is_unknown);
	tcase_add_test(tc, test_on_demand);
	suite_add_tcase(s, tc);

	tc = tcase_create("score");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_issue_scenario);
	tcase_add_loop_test(tc, test_weights, 0, NELEM(weights));
	tcase_add_test(tc, test_min_age_setting);
	tcase_add_test(tc, test_rubric_version_carried);
	suite_add_tcase(s, tc);

	tc = tcase_create("rubric");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_setting, 0, NELEM(settings));
	tcase_add_test(tc, test_setting_messages);
	tcase_add_test(tc, test_keys_round_trip);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(drive_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

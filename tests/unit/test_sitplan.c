/*
 * The sittings job's plan: inserts, holiday moves, skips, pins, cutoffs.
 * Expected dates worked out by hand: the MASC series (anchor Monday
 * 2025-06-16, fortnightly, cutoff 3 working days at 23:59:59) sits on
 * Mondays 2026-11-30, 12-14 and 12-28 (held Tuesday 29th: 28th is the
 * Boxing Day substitute), cutoffs Wednesdays 11-25, 12-09 and Thursday
 * 12-22 (24th, 23rd, 22nd before Christmas).
 */
#include <check.h>
#include <stdlib.h>

#include "core/date.h"
#include "core/sitplan.h"
#include "core/sittings.h"
#include "core/workdays.h"
#include "unit_date.h"

#define EOD SITTINGS_END_OF_DAY

static struct sitting_series masc;
static struct calendar plain;

static void
setup(void)
{
	ck_assert_int_eq(workdays_init(&plain, workdays_known_overrides,
	    workdays_nknown_overrides, NULL), 0);
	masc = (struct sitting_series){
		.anchor = D(SITTINGS_MASC_ANCHOR),
		.interval_days = SITTINGS_MASC_INTERVAL,
		.cutoff_workdays = SITTINGS_MASC_CUTOFF_WORKDAYS,
		.cutoff_seconds = EOD,
		.policy = SITTING_MOVE,
	};
}

/* A generated row as the job would have stored it. */
static struct sitplan_row
gen(int64_t id, const char *slot, const char *date, const char *cutoff)
{
	return (struct sitplan_row){
		.id = id, .generated = true, .scheduled = D(slot),
		.cutoff_open = true,
		.stored = { D(date), false, D(cutoff), EOD },
	};
}

struct plan {
	struct sitting_date	exp[64];
	struct sitting_date	ins[64];
	size_t			nexp, nins;
};

static void
plan(struct plan *p, const struct calendar *cal,
    const struct sitting_series *s, const char *from, const char *to,
    struct sitplan_row *rows, size_t n)
{
	p->nexp = sittings_generate(cal, s, D(from), D(to), p->exp, 64);
	ck_assert_uint_le(p->nexp, 64);
	p->nins = sitplan_make(cal, s, D(from), D(to), p->exp, p->nexp, rows,
	    n, p->ins);
}

static void
calendar_with(struct calendar *cal, struct holiday_override *o,
    const char *date)
{
	size_t n = workdays_nknown_overrides;

	for (size_t i = 0; i < n; i++)
		o[i] = workdays_known_overrides[i];
	o[n] = (struct holiday_override){ HOLIDAY_ADD, D(date), 0, "Proclaimed" };
	ck_assert_int_eq(workdays_init(cal, o, n + 1, NULL), 0);
}

START_TEST(test_empty_store_inserts_every_slot)
{
	struct plan p;

	plan(&p, &plain, &masc, "2026-12-01", "2026-12-31", NULL, 0);
	ck_assert_uint_eq(p.nins, 2);
	ck_assert_int_eq(p.ins[0].date, D("2026-12-14"));
	ck_assert_int_eq(p.ins[0].cutoff, D("2026-12-09"));
	ck_assert_int_eq(p.ins[1].scheduled, D("2026-12-28"));
	ck_assert_int_eq(p.ins[1].date, D("2026-12-29"));
	ck_assert_int_eq(p.ins[1].cutoff, D("2026-12-22"));
}
END_TEST

START_TEST(test_up_to_date_store_changes_nothing)
{
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
		gen(2, "2026-12-28", "2026-12-29", "2026-12-22"),
	};
	struct plan p;

	plan(&p, &plain, &masc, "2026-12-01", "2026-12-31", rows, 2);
	ck_assert_uint_eq(p.nins, 0);
	for (size_t i = 0; i < 2; i++) {
		ck_assert(!rows[i].moved);
		ck_assert(!rows[i].recut);
	}
}
END_TEST

/* Run twice, the plan of the first run applied, the second is empty. */
START_TEST(test_idempotent)
{
	struct sitplan_row rows[8];
	struct plan p;
	size_t n;

	plan(&p, &plain, &masc, "2026-11-01", "2027-01-31", NULL, 0);
	ck_assert_uint_eq(p.nins, 7);
	for (n = 0; n < p.nins; n++) {
		rows[n] = gen((int64_t)n + 1, "2026-01-01", "2026-01-01", "2026-01-01");
		rows[n].scheduled = p.ins[n].scheduled;
		rows[n].stored.date = p.ins[n].date;
		rows[n].stored.cutoff_date = p.ins[n].cutoff;
	}
	plan(&p, &plain, &masc, "2026-11-01", "2027-01-31", rows, n);
	ck_assert_uint_eq(p.nins, 0);
	for (size_t i = 0; i < n; i++)
		ck_assert(!rows[i].moved && !rows[i].recut);
}
END_TEST

/* A holiday proclaimed inside a cutoff window moves the cutoff back. */
START_TEST(test_new_holiday_moves_cutoff)
{
	struct holiday_override o[16];
	struct calendar cal;
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
	};
	struct plan p;

	calendar_with(&cal, o, "2026-12-10");
	plan(&p, &cal, &masc, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert_uint_eq(p.nins, 0);
	ck_assert(!rows[0].moved);
	ck_assert(rows[0].recut);
	ck_assert_int_eq(rows[0].plan.cutoff_date, D("2026-12-08"));

	/* ... unless that cutoff has passed: referrals were assigned by it. */
	rows[0].cutoff_open = false;
	plan(&p, &cal, &masc, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert(!rows[0].recut);
	ck_assert_int_eq(rows[0].plan.cutoff_date, D("2026-12-09"));
}
END_TEST

/* A holiday on the sitting day itself: move policy, next working day. */
START_TEST(test_new_holiday_on_the_day_moves_the_sitting)
{
	struct holiday_override o[16];
	struct calendar cal;
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
	};
	struct plan p;

	calendar_with(&cal, o, "2026-12-14");
	plan(&p, &cal, &masc, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert(rows[0].moved);
	ck_assert(!rows[0].plan.cancelled);
	ck_assert_int_eq(rows[0].plan.date, D("2026-12-15"));
	/* Tue 15th less 3 working days (Mon 14th is now a holiday): Wed 9th. */
	ck_assert(!rows[0].recut);

	/* The holiday withdrawn again: back to Monday. */
	rows[0].stored = rows[0].plan;
	plan(&p, &plain, &masc, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert(rows[0].moved);
	ck_assert_int_eq(rows[0].plan.date, D("2026-12-14"));
}
END_TEST

START_TEST(test_skip_policy_cancels_and_reinstates)
{
	struct holiday_override o[16];
	struct calendar cal;
	struct sitting_series skip = masc;
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
	};
	struct plan p;

	skip.policy = SITTING_SKIP;
	calendar_with(&cal, o, "2026-12-14");
	plan(&p, &cal, &skip, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert(rows[0].moved);
	ck_assert(rows[0].plan.cancelled);
	ck_assert_uint_eq(p.nins, 0);		/* the slot is stored */

	rows[0].stored = rows[0].plan;
	plan(&p, &plain, &skip, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert(rows[0].moved);
	ck_assert(!rows[0].plan.cancelled);
	ck_assert(!rows[0].recut);
}
END_TEST

/* What an admin set stays set; only its cutoff follows the rule. */
START_TEST(test_pinned_rows_keep_date_and_status)
{
	struct holiday_override o[16];
	struct calendar cal;
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-16", "2026-12-11"),
		gen(2, "2026-12-28", "2026-12-29", "2026-12-22"),
	};
	struct plan p;

	rows[0].pinned = true;		/* moved to Wednesday by hand */
	rows[1].pinned = true;		/* cancelled by hand */
	rows[1].stored.cancelled = true;
	calendar_with(&cal, o, "2026-12-11");
	plan(&p, &cal, &masc, "2026-12-01", "2026-12-31", rows, 2);
	ck_assert_uint_eq(p.nins, 0);
	ck_assert(!rows[0].moved && !rows[1].moved);
	ck_assert_int_eq(rows[0].plan.date, D("2026-12-16"));
	ck_assert(rows[0].recut);
	ck_assert_int_eq(rows[0].plan.cutoff_date, D("2026-12-10"));
	ck_assert(rows[1].plan.cancelled);
	ck_assert(!rows[1].recut);
}
END_TEST

/* A sitting added by hand on a slot's day: no second sitting that day. */
START_TEST(test_manual_sitting_takes_the_day)
{
	struct sitplan_row rows[] = {
		{ .id = 9, .generated = false, .pinned = true, .cutoff_open = true,
		  .stored = { D("2026-12-14"), false, D("2026-12-09"), EOD } },
	};
	struct holiday_override o[16];
	struct calendar cal;
	struct sitplan_row two[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
		{ .id = 9, .generated = false, .pinned = true, .cutoff_open = true,
		  .stored = { D("2026-12-15"), false, D("2026-12-10"), EOD } },
	};
	struct plan p;

	plan(&p, &plain, &masc, "2026-12-01", "2026-12-31", rows, 1);
	ck_assert_uint_eq(p.nins, 1);
	ck_assert_int_eq(p.ins[0].date, D("2026-12-29"));

	/* A holiday would move the 14th onto an admin's sitting: it gives way. */
	calendar_with(&cal, o, "2026-12-14");
	plan(&p, &cal, &masc, "2026-12-01", "2026-12-20", two, 2);
	ck_assert(two[0].moved);
	ck_assert(two[0].plan.cancelled);
	ck_assert(!two[1].moved);
}
END_TEST

/* A changed anchor: old slots are cancelled, new ones inserted. */
START_TEST(test_new_anchor_replaces_unpinned_slots)
{
	struct sitting_series moved = masc;
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
		gen(2, "2026-11-30", "2026-11-30", "2026-11-25"),
	};
	struct plan p;

	moved.anchor = D("2026-12-08");		/* Tuesdays from now on */
	plan(&p, &plain, &moved, "2026-12-01", "2026-12-20", rows, 2);
	ck_assert(rows[0].moved && rows[0].plan.cancelled);
	ck_assert(!rows[1].moved);		/* before the window: history */
	ck_assert_uint_eq(p.nins, 1);
	ck_assert_int_eq(p.ins[0].date, D("2026-12-08"));
}
END_TEST

/* Beyond the horizon is left alone (the horizon may have shrunk). */
START_TEST(test_rows_beyond_the_window_are_left_alone)
{
	struct sitplan_row rows[] = {
		gen(1, "2027-06-14", "2027-06-14", "2027-06-09"),
	};
	struct plan p;

	plan(&p, &plain, &masc, "2026-12-01", "2026-12-31", rows, 1);
	ck_assert(!rows[0].moved && !rows[0].recut);
}
END_TEST

/* The configured cutoff time changed: open cutoffs take it. */
START_TEST(test_cutoff_time_change)
{
	struct sitting_series noon = masc;
	struct sitplan_row rows[] = {
		gen(1, "2026-12-14", "2026-12-14", "2026-12-09"),
	};
	struct plan p;

	noon.cutoff_seconds = 12 * 3600;
	plan(&p, &plain, &noon, "2026-12-01", "2026-12-20", rows, 1);
	ck_assert(rows[0].recut);
	ck_assert_int_eq(rows[0].plan.cutoff_seconds, 12 * 3600);
	ck_assert_int_eq(rows[0].plan.cutoff_date, D("2026-12-09"));
}
END_TEST

static Suite *
sitplan_suite(void)
{
	Suite *s = suite_create("sitplan");
	TCase *tc = tcase_create("plan");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_empty_store_inserts_every_slot);
	tcase_add_test(tc, test_up_to_date_store_changes_nothing);
	tcase_add_test(tc, test_idempotent);
	tcase_add_test(tc, test_new_holiday_moves_cutoff);
	tcase_add_test(tc, test_new_holiday_on_the_day_moves_the_sitting);
	tcase_add_test(tc, test_skip_policy_cancels_and_reinstates);
	tcase_add_test(tc, test_pinned_rows_keep_date_and_status);
	tcase_add_test(tc, test_manual_sitting_takes_the_day);
	tcase_add_test(tc, test_new_anchor_replaces_unpinned_slots);
	tcase_add_test(tc, test_rows_beyond_the_window_are_left_alone);
	tcase_add_test(tc, test_cutoff_time_change);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sitplan_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

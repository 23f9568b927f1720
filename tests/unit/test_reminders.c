/*
 * Reminder messages: ISO weeks, when the digest is due, keys, subjects,
 * both bodies, escaping, links, and what is left out without personal
 * data.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/reminders.h"
#include "unit_date.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char	*date;
	const char	*week;
} weeks[] = {
	{ "2026-11-23", "2026-W48" },	/* Monday */
	{ "2026-11-29", "2026-W48" },	/* Sunday */
	{ "2026-11-30", "2026-W49" },
	{ "2021-01-03", "2020-W53" },	/* a Sunday in the last year's week 53 */
	{ "2021-01-04", "2021-W01" },
	{ "2024-12-30", "2025-W01" },	/* Monday, already next year's week 1 */
	{ "2026-01-01", "2026-W01" },	/* Thursday */
	{ "2027-01-01", "2026-W53" },	/* Friday of 2026's week 53 */
	{ "2020-12-31", "2020-W53" },
};

START_TEST(test_period)
{
	char out[REMINDERS_PERIOD_LEN];

	ck_assert_str_eq(reminders_period(D(weeks[_i].date), out), weeks[_i].week);
}
END_TEST

static const struct {
	const char	*today;
	int		 seconds, weekday, at;
	bool		 due;
} dues[] = {
	{ "2026-11-23", 8 * 3600 - 1, 1, 8 * 3600, false },	/* Monday 07:59:59 */
	{ "2026-11-23", 8 * 3600, 1, 8 * 3600, true },
	{ "2026-11-24", 0, 1, 8 * 3600, true },			/* Tuesday: catch up */
	{ "2026-11-29", 86399, 1, 8 * 3600, true },		/* Sunday: still this week */
	{ "2026-11-23", 86399, 3, 0, false },			/* Wednesday's not yet */
	{ "2026-11-25", 0, 3, 0, true },
	{ "2026-11-28", 3600, 7, 3600, false },			/* Saturday, due Sunday */
};

START_TEST(test_digest_due)
{
	ck_assert_int_eq(reminders_digest_due(D(dues[_i].today), dues[_i].seconds,
	    dues[_i].weekday, dues[_i].at), dues[_i].due);
}
END_TEST

START_TEST(test_weekday_parse)
{
	ck_assert_int_eq(reminders_weekday_parse("monday"), 1);
	ck_assert_int_eq(reminders_weekday_parse("Sunday"), 7);
	ck_assert_int_eq(reminders_weekday_parse("FRIDAY"), 5);
	ck_assert_int_eq(reminders_weekday_parse("mon"), 0);
	ck_assert_int_eq(reminders_weekday_parse(""), 0);
}
END_TEST

static struct reminders_opts
opts(const char *base)
{
	struct reminders_opts o;

	memset(&o, 0, sizeof(o));
	o.base_url = base;
	o.today = D("2026-11-25");
	o.persistent_days = 28;
	reminders_period(o.today, o.period);
	return o;
}

static const struct reminders_agency police = { "police", "Police" };

static struct reminders_action
act(long long id, const char *ref, const char *due, const char *descr)
{
	struct reminders_action a;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.reference = ref;
	a.forum = "marac";
	a.area = "victim";
	a.description = descr;
	a.due = D(due);
	a.status = "open";
	a.agency = "police";
	return a;
}

START_TEST(test_digest)
{
	struct reminders_opts o = opts("https://maracd.example/");
	struct reminders_action a[3] = {
		act(7, "MARAC-2026-0007", "2026-11-20", "Safety plan\nreview"),
		act(9, "MASC-2026-0002", "2026-11-25", "Visit <b>& check</b>"),
		act(11, "MARAC-2026-0011", "2026-12-02", "Chase \"CCTV\""),
	};
	struct reminders_msg m;

	a[1].forum = "masc";
	a[2].status = "in_progress";
	reminders_msg_init(&m);
	ck_assert(reminders_digest(&o, &police, a, 3, &m));
	ck_assert_str_eq(m.key, "digest:police:2026-W48");
	ck_assert_str_eq(m.kind, "digest");
	ck_assert_str_eq(buf_str(&m.subject),
	    "3 outstanding actions for Police (1 overdue), week 2026-W48");
	/* Plain text: overdue first, days late, indented free text, links. */
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "\nOverdue\n-------\n"
	    "* MARAC-2026-0007 (MARAC), due 2026-11-20, 5 days overdue, open\n"
	    "    Area: victim\n    Action:\n      Safety plan\n      review\n"
	    "    Link: https://maracd.example/actions/7\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "\nDue\n---\n"
	    "* MASC-2026-0002 (MASC), due 2026-11-25, open\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "due 2026-12-02, in progress\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text),
	    "https://maracd.example/actions?status=outstanding"));
	/* Due today is not overdue. */
	ck_assert_ptr_null(strstr(buf_str(&m.text), "0 days overdue"));
	/* HTML: everything escaped, line breaks kept, links escaped. */
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "Visit &lt;b&gt;&amp; check&lt;/b&gt;"));
	ck_assert_ptr_null(strstr(buf_str(&m.html), "<b>&"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "Chase &quot;CCTV&quot;"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "Safety plan<br>review"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html),
	    "<a href=\"https://maracd.example/actions/7\">MARAC-2026-0007</a>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html),
	    "href=\"https://maracd.example/actions?status=outstanding\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "<h2>Overdue</h2>"));
	ck_assert_ptr_null(strstr(buf_str(&m.text), "Victim"));
	ck_assert_ptr_null(strstr(buf_str(&m.html), "Victim:"));
	reminders_msg_free(&m);
}
END_TEST

START_TEST(test_digest_without_links_or_overdue)
{
	struct reminders_opts o = opts("");
	struct reminders_action a = act(1, "MASC-2026-0001", "2026-12-01", "One");
	struct reminders_msg m;

	reminders_msg_init(&m);
	ck_assert(reminders_digest(&o, &police, &a, 1, &m));
	ck_assert_str_eq(buf_str(&m.subject),
	    "1 outstanding action for Police, week 2026-W48");
	ck_assert_ptr_null(strstr(buf_str(&m.text), "Link:"));
	ck_assert_ptr_null(strstr(buf_str(&m.text), "Overdue"));
	ck_assert_ptr_null(strstr(buf_str(&m.html), "href="));
	reminders_msg_free(&m);
}

END_TEST

START_TEST(test_personal_data_only_when_given)
{
	struct reminders_opts o = opts("");
	struct reminders_action a = act(3, "MARAC-2026-0003", "2026-11-01", "x");
	struct reminders_msg m;

	a.victim = "Jane <Doe>";
	a.perpetrator = "John Roe";
	reminders_msg_init(&m);
	ck_assert(reminders_overdue(&o, &police, &a, &m));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "    Victim: Jane <Doe>\n"
	    "    Perpetrator: John Roe\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "Victim: Jane &lt;Doe&gt;"));
	reminders_msg_free(&m);
}
END_TEST

START_TEST(test_overdue)
{
	struct reminders_opts o = opts("https://m.example");
	struct reminders_action a = act(42, "MARAC-2026-0042", "2026-11-24", "Refer to MAPPA");
	struct reminders_msg m;

	reminders_msg_init(&m);
	ck_assert(reminders_overdue(&o, &police, &a, &m));
	ck_assert_str_eq(m.key, "overdue:42:2026-11-24");
	ck_assert_str_eq(m.kind, "overdue");
	ck_assert_str_eq(buf_str(&m.subject),
	    "Overdue action on MARAC-2026-0042 for Police: due 2026-11-24");
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "It is 1 day overdue."));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "Link: https://m.example/actions/42\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "<td>1</td>"));
	reminders_msg_free(&m);
}
END_TEST

START_TEST(test_subject_is_one_line)
{
	struct reminders_opts o = opts("");
	struct reminders_agency ag = { "x", "Evil\r\nBcc: a@b.example" };
	struct reminders_action a = act(1, "R\n1", "2026-11-01", "x");
	char name[400];
	struct reminders_msg m;

	reminders_msg_init(&m);
	ck_assert(reminders_overdue(&o, &ag, &a, &m));
	ck_assert_ptr_null(strpbrk(buf_str(&m.subject), "\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.subject), "Evil  Bcc"));
	reminders_msg_free(&m);

	/* A long name is cut, never inside a UTF-8 character. */
	name[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(name, "\xc3\xa9");	/* é */
	ag.name = name;
	reminders_msg_init(&m);
	ck_assert(reminders_digest(&o, &ag, &a, 1, &m));
	ck_assert_uint_lt(m.subject.len, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&m.subject), "\xc3\xa9 (1 overdue)"));
	reminders_msg_free(&m);
}
END_TEST

START_TEST(test_key_too_long_is_refused)
{
	struct reminders_opts o = opts("");
	char code[300];
	struct reminders_agency ag = { code, "X" };
	struct reminders_action a = act(1, "R", "2026-12-01", "x");
	struct reminders_msg m;

	memset(code, 'a', sizeof(code) - 1);
	code[sizeof(code) - 1] = '\0';
	reminders_msg_init(&m);
	ck_assert(!reminders_digest(&o, &ag, &a, 1, &m));
	reminders_msg_free(&m);
}
END_TEST

START_TEST(test_summary)
{
	struct reminders_opts o = opts("https://m.example");
	struct reminders_count c[2] = {
		{ "police", "Police", true, 10, 3, 1 },
		{ "housing", "Housing <North>", false, 2, 0, 0 },
	};
	struct reminders_action p = act(5, "MARAC-2026-0005", "2026-10-01", "secret text");
	struct reminders_failed f = { 17, "digest:police:2026-W47", "digest", 10, "smtp 550 curl 55" };
	struct reminders_summary_in in = { c, 2, &p, 1, 4, &f, 1, 3 };
	struct reminders_msg m;

	p.not_undertaken = 2;
	reminders_msg_init(&m);
	ck_assert(reminders_summary(&o, &in, &m));
	ck_assert_str_eq(m.key, "summary:2026-W48");
	ck_assert_str_eq(m.kind, "summary");
	ck_assert_str_eq(buf_str(&m.subject), "Actions summary, week 2026-W48: "
	    "12 outstanding, 3 overdue, 3 messages failed");
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "* Police (police): 10 / 3 / 1\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "* Housing <North> (housing): "
	    "2 / 0 / 0  [no reminder address"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "* MARAC-2026-0005 (MARAC), police, "
	    "due 2026-10-01, 55 days overdue, not undertaken at 2 reviews, action 5\n"
	    "... and 3 more.\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "* outbox 17, digest, "
	    "digest:police:2026-W47, 10 attempts, smtp 550 curl 55\n... and 2 more.\n"));
	/* The summary counts; it does not repeat the actions' text. */
	ck_assert_ptr_null(strstr(buf_str(&m.text), "secret text"));
	ck_assert_ptr_null(strstr(buf_str(&m.html), "secret text"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "Housing &lt;North&gt;"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "no reminder address"));
	ck_assert_ptr_nonnull(strstr(buf_str(&m.html), "/v1/actions?status=overdue"));
	reminders_msg_free(&m);
}
END_TEST

START_TEST(test_summary_quiet_week)
{
	struct reminders_opts o = opts("");
	struct reminders_summary_in in;
	struct reminders_msg m;

	memset(&in, 0, sizeof(in));
	reminders_msg_init(&m);
	ck_assert(reminders_summary(&o, &in, &m));
	ck_assert_str_eq(buf_str(&m.subject),
	    "Actions summary, week 2026-W48: 0 outstanding, 0 overdue");
	ck_assert_ptr_nonnull(strstr(buf_str(&m.text), "Outstanding actions: 0, "
	    "overdue: 0, persistent non-completion: 0.\n"));
	ck_assert_ptr_null(strstr(buf_str(&m.text), "By agency"));
	reminders_msg_free(&m);
}
END_TEST

static Suite *
reminders_suite(void)
{
	Suite *s = suite_create("reminders");
	TCase *tc = tcase_create("reminders");

	tcase_add_loop_test(tc, test_period, 0, N(weeks));
	tcase_add_loop_test(tc, test_digest_due, 0, N(dues));
	tcase_add_test(tc, test_weekday_parse);
	tcase_add_test(tc, test_digest);
	tcase_add_test(tc, test_digest_without_links_or_overdue);
	tcase_add_test(tc, test_personal_data_only_when_given);
	tcase_add_test(tc, test_overdue);
	tcase_add_test(tc, test_subject_is_one_line);
	tcase_add_test(tc, test_key_too_long_is_refused);
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_summary_quiet_week);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(reminders_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

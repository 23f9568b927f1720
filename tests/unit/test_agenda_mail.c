/*
 * The circulation message of an issued agenda: what it says about the
 * sitting, the case count and the changes, that it escapes what came from
 * outside, that it never carries a name, and the attachment file names.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/agenda.h"
#include "core/agenda_mail.h"
#include "core/date.h"
#include "unit_date.h"

static struct agenda_row
row(int64_t id, const char *ref, const char *agency)
{
	return (struct agenda_row){
		.referral_id = id, .reference = ref, .agency = agency,
		.officer = "DC Smith", .victim_name = "Jane Doe",
		.victim_dob = D("1990-12-08"), .perpetrator_name = "Andrew Bloggs",
		.risk = RISK_HIGH, .drive = AGENDA_DRIVE_NOT_SCREENED,
		.received = 1763629200,
	};
}

static void
build(struct agenda *a, int version, const char *venue,
    const struct agenda_row *rows, size_t n, bool full_names)
{
	struct agenda_sitting s = {
		.id = 7, .forum = FORUM_MASC, .area = "cumbria",
		.area_name = "Cumbria <North>", .date = D("2026-12-07"),
		.cutoff = D("2026-12-02"), .venue = venue, .version = version,
		.issued_at = version > 0 ? "2026-12-01T10:00:00Z" : NULL,
	};
	struct agenda_options o = { .full_names = full_names };

	ck_assert_int_eq(agenda_build(a, &s, rows, n, &o, NULL), 0);
}

START_TEST(test_first_version)
{
	struct agenda_row	r[2] = { row(1, "MASC-2026-0001", "police"),
	    row(2, "MASC-2026-0002", "probation") };
	struct agenda		a;
	struct agenda_diff	d;
	struct agenda_mail	m;
	const char		*att[] = { "agenda-masc-2026-12-07-v1.ics" };

	build(&a, 1, NULL, r, 2, false);
	ck_assert_int_eq(agenda_diff(NULL, &a, &d), 0);
	ck_assert_int_eq(agenda_mail_build(&a, &d, NULL, att, 1, &m), 0);
	ck_assert_str_eq(m.subject.data,
	    "MASC agenda, Monday 7 December 2026 (version 1)");
	ck_assert_ptr_nonnull(strstr(m.text.data, "OFFICIAL-SENSITIVE"));
	ck_assert_ptr_nonnull(strstr(m.text.data, "Cases on the agenda: 2\n"));
	/* Nothing to compare version 1 with. */
	ck_assert_ptr_null(strstr(m.text.data, "Changes since"));
	ck_assert_ptr_nonnull(strstr(m.text.data,
	    "Sign in to maracd to read the agenda."));
	ck_assert_ptr_nonnull(strstr(m.text.data,
	    "Attached: agenda-masc-2026-12-07-v1.ics\n"));
	/* Escaped in HTML, plain in text. */
	ck_assert_ptr_nonnull(strstr(m.text.data, "(Cumbria <North>)"));
	ck_assert_ptr_nonnull(strstr(m.html.data, "Cumbria &lt;North&gt;"));
	ck_assert_ptr_null(strstr(m.html.data, "<North>"));
	agenda_mail_free(&m);
	agenda_diff_free(&d);
	agenda_free(&a);
}
END_TEST

START_TEST(test_changes_listed)
{
	struct agenda_row	r1[2] = { row(1, "MASC-2026-0001", "police"),
	    row(2, "MASC-2026-0002", "probation") };
	struct agenda_row	r2[2] = { row(2, "MASC-2026-0002", "probation"),
	    row(3, "MASC-2026-0003", "police") };
	struct agenda		a1, a2;
	struct agenda_diff	d;
	struct agenda_mail	m;

	r2[0].urgent = true;
	build(&a1, 1, NULL, r1, 2, false);
	build(&a2, 2, "Room \"A\" & <B>", r2, 2, false);
	ck_assert_int_eq(agenda_diff(&a1, &a2, &d), 0);
	ck_assert_int_eq(agenda_mail_build(&a2, &d,
	    "https://maracd.example/v1/sittings/7/agenda?format=html&version=2",
	    NULL, 0, &m), 0);
	ck_assert_str_eq(m.subject.data,
	    "MASC agenda, Monday 7 December 2026 (version 2)");
	ck_assert_ptr_nonnull(strstr(m.text.data,
	    "Changes since version 1: 1 added, 1 removed, 1 changed\n"
	    "  Added: MASC-2026-0003\n"
	    "  Removed: MASC-2026-0001\n"
	    "  Changed: MASC-2026-0002\n"));
	ck_assert_ptr_nonnull(strstr(m.text.data, "Read the agenda (sign-in "
	    "needed): https://maracd.example/v1/sittings/7/agenda?format=html"
	    "&version=2\n"));
	ck_assert_ptr_null(strstr(m.text.data, "Attached"));
	ck_assert_ptr_nonnull(strstr(m.html.data,
	    "<a href=\"https://maracd.example/v1/sittings/7/agenda?format=html"
	    "&amp;version=2\">"));
	ck_assert_ptr_nonnull(strstr(m.html.data,
	    "Venue: Room &quot;A&quot; &amp; &lt;B&gt;"));
	ck_assert_ptr_nonnull(strstr(m.html.data, "<li>Added: MASC-2026-0003"));
	agenda_mail_free(&m);
	agenda_diff_free(&d);
	agenda_free(&a1);
	agenda_free(&a2);
}
END_TEST

/* Even an agenda with names keeps them out of the message. */
START_TEST(test_no_names)
{
	struct agenda_row	r = row(1, "MASC-2026-0001", "police");
	struct agenda		a;
	struct agenda_mail	m;

	build(&a, 1, NULL, &r, 1, true);
	ck_assert_int_eq(agenda_mail_build(&a, NULL, NULL, NULL, 0, &m), 0);
	ck_assert_ptr_null(strstr(m.text.data, "Jane"));
	ck_assert_ptr_null(strstr(m.text.data, "Bloggs"));
	ck_assert_ptr_null(strstr(m.html.data, "Jane"));
	ck_assert_ptr_null(strstr(m.text.data, "1990"));
	agenda_mail_free(&m);
	agenda_free(&a);
}
END_TEST

/* Past AGENDA_MAIL_REFS_MAX references, a count of the rest. */
START_TEST(test_many_refs)
{
	struct agenda_row	 r[AGENDA_MAIL_REFS_MAX + 3];
	char			 refs[AGENDA_MAIL_REFS_MAX + 3][24];
	struct agenda		 a0, a;
	struct agenda_diff	 d;
	struct agenda_mail	 m;

	for (int i = 0; i < AGENDA_MAIL_REFS_MAX + 3; i++) {
		snprintf(refs[i], sizeof(refs[i]), "MASC-2026-%04d", i + 1);
		r[i] = row(i + 1, refs[i], "police");
	}
	build(&a0, 1, NULL, NULL, 0, false);
	build(&a, 2, NULL, r, AGENDA_MAIL_REFS_MAX + 3, false);
	ck_assert_int_eq(agenda_diff(&a0, &a, &d), 0);
	ck_assert_int_eq(agenda_mail_build(&a, &d, NULL, NULL, 0, &m), 0);
	ck_assert_ptr_nonnull(strstr(m.text.data, "MASC-2026-0050 and 3 more\n"));
	ck_assert_ptr_null(strstr(m.text.data, "MASC-2026-0051"));
	agenda_mail_free(&m);
	agenda_diff_free(&d);
	agenda_free(&a0);
	agenda_free(&a);
}
END_TEST

START_TEST(test_filename)
{
	struct agenda	a;
	char		f[AGENDA_FILENAME_SIZE];

	build(&a, 12, NULL, NULL, 0, false);
	agenda_filename(&a, "html", f);
	ck_assert_str_eq(f, "agenda-masc-2026-12-07-v12.html");
	agenda_free(&a);
	build(&a, 0, NULL, NULL, 0, false);
	agenda_filename(&a, "csv", f);
	ck_assert_str_eq(f, "agenda-masc-2026-12-07-draft.csv");
	agenda_free(&a);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("agenda_mail");
	TCase	*tc = tcase_create("mail");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_first_version);
	tcase_add_test(tc, test_changes_listed);
	tcase_add_test(tc, test_no_names);
	tcase_add_test(tc, test_many_refs);
	tcase_add_test(tc, test_filename);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

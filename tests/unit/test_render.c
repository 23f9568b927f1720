/*
 * The agenda renderers and their escaping: HTML, CSV (RFC 4180 and
 * formula injection), ICS (RFC 5545 TEXT escaping and folding), PDF (the
 * HTML's words, stable bytes), and that no format shows a name unless
 * the model was built with full_names.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/agenda.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/render/agenda.h"
#include "core/render/csv.h"
#include "core/render/html.h"
#include "core/render/ics.h"
#include "unit_date.h"

static int64_t
T(const char *s)
{
	int64_t t = 0;

	ck_assert_msg(instant_parse(s, INSTANT_UTC, &t, NULL), "bad instant: %s", s);
	return t;
}

/* In bytes that may hold a NUL (a PDF). */
static size_t
mcount(const struct buf *b, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (size_t i = 0; i + len <= b->len; i++)
		if (memcmp(b->data + i, needle, len) == 0)
			n++;
	return n;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static const char *const high_bases[] = {
	"visible_high_risk", "professional_judgement"
};

static struct agenda_sitting
sitting(enum forum f)
{
	return (struct agenda_sitting){
		.id = 7,
		.forum = f,
		.area = "cumberland",
		.area_name = "Cumberland",
		.date = D("2026-12-07"),
		.cutoff = D("2026-12-02"),
	};
}

static struct agenda_row
row(int64_t id, const char *ref, const char *agency)
{
	return (struct agenda_row){
		.referral_id = id,
		.reference = ref,
		.agency = agency,
		.officer = "DC Smith",
		.victim_name = "Jane Doe",
		.victim_dob = D("1990-12-08"),
		.perpetrator_name = "Andrew Bloggs",
		.risk = RISK_MEDIUM,
		.drive = AGENDA_DRIVE_NOT_SCREENED,
		.received = T("2026-11-20T09:00:00Z"),
	};
}

/* Three agencies, a MARAC sitting: police first by configuration. */
static void
three_groups(struct agenda *a, enum forum f, bool full_names)
{
	static const char *const order[] = { "police" };
	struct agenda_sitting	s = sitting(f);
	struct agenda_row	r[] = {
		row(1, "MARAC-2026-0001", "probation"),
		row(2, "MARAC-2026-0002", "police"),
		row(3, "MARAC-2026-0003", "health_icb"),
		row(4, "MARAC-2026-0004", "police"),
	};
	struct agenda_options	opt = { order, 1, full_names };

	r[0].agency_name = "Probation Service";
	r[1].agency_name = "Cumbria Constabulary";
	r[3].agency_name = "Cumbria Constabulary";
	r[2].agency_name = "NHS North East and North Cumbria ICB";
	r[3].risk = RISK_HIGH;
	r[3].bases = high_bases;
	r[3].nbases = 2;
	r[3].urgent = true;
	r[3].drive = AGENDA_DRIVE_CANDIDATE;
	r[3].children = 3;
	r[1].victim_name = "Mary Smith";
	r[1].perpetrator_name = NULL;
	ck_assert_int_eq(agenda_build(a, &s, r, 4, &opt, NULL), 0);
}

/* buf */

START_TEST(test_buf)
{
	struct buf	b;
	char		big[5000];

	buf_init(&b);
	ck_assert_str_eq(buf_str(&b), "");
	buf_puts(&b, "ab");
	buf_putc(&b, 'c');
	buf_add(&b, "dxx", 1);
	buf_add(&b, NULL, 0);
	buf_printf(&b, "%d-%s", 42, "z");
	ck_assert_str_eq(buf_str(&b), "abcd42-z");
	ck_assert_uint_eq(b.len, 8);
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "%s", big);
	ck_assert_uint_eq(b.len, 8 + 20 * 4999);
	ck_assert_uint_eq(strlen(buf_str(&b)), b.len);
	ck_assert(!buf_failed(&b));
	buf_reset(&b);
	ck_assert_str_eq(buf_str(&b), "");
	buf_puts(&b, "x");
	ck_assert_str_eq(buf_str(&b), "x");
	/* A failure sticks: nothing more is added, and renderers say so. */
	b.failed = true;
	buf_puts(&b, "y");
	ck_assert_str_eq(buf_str(&b), "x");
	buf_free(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(test_render_reports_failure)
{
	struct agenda	a;
	struct buf	b;

	three_groups(&a, FORUM_MARAC, false);
	buf_init(&b);
	b.failed = true;
	ck_assert_int_eq(render_agenda_html(&a, &b), -1);
	ck_assert_int_eq(render_agenda_csv(&a, &b), -1);
	ck_assert_int_eq(render_agenda_ics(&a, 0, NULL, &b), -1);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

/* HTML */

static const struct {
	const char *in, *out;
} html_table[] = {
	{ "", "" },
	{ "plain text", "plain text" },
	{ "&", "&amp;" },
	{ "<", "&lt;" },
	{ ">", "&gt;" },
	{ "\"", "&quot;" },
	{ "'", "&#39;" },
	{ "<script>alert(\"x\")</script>",
	  "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" },
	{ "O'Brien & Sons <Ltd>", "O&#39;Brien &amp; Sons &lt;Ltd&gt;" },
	{ "&amp;", "&amp;amp;" },
	{ "\" onmouseover=\"x", "&quot; onmouseover=&quot;x" },
	{ "\xc3\x89lodie", "\xc3\x89lodie" },
	{ "&&<<", "&amp;&amp;&lt;&lt;" },
};

START_TEST(test_html_escape)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "[");
	html_escape(&b, html_table[_i].in);
	buf_puts(&b, "]");
	ck_assert(!buf_failed(&b));
	ck_assert_uint_eq(b.len, strlen(html_table[_i].out) + 2);
	ck_assert(strncmp(b.data + 1, html_table[_i].out, b.len - 2) == 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_html_structure)
{
	struct agenda	 a;
	struct buf	 b;
	const char	*h, *police, *probation, *health;

	three_groups(&a, FORUM_MARAC, false);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_html(&a, &b), 0);
	h = buf_str(&b);
	ck_assert(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en-GB\">",
	    35) == 0);
	ck_assert_ptr_nonnull(strstr(h, "<meta charset=\"utf-8\">"));
	/* Print: A4 landscape (twelve columns), margins, a page per agency
	 * but the first; references and short values never broken. */
	ck_assert_ptr_nonnull(strstr(h, "@page {\n  size: A4 landscape;\n  margin:"));
	ck_assert_ptr_nonnull(strstr(h, "td.reference, td.age"));
	ck_assert_ptr_null(strstr(h, "anywhere"));
	ck_assert_ptr_nonnull(strstr(h,
	    "section.group + section.group { break-before: page;"));
	ck_assert_uint_eq(count(h, "<section class=\"group\">"), 3);
	/* The marking at the top and the bottom of the document. */
	ck_assert_uint_eq(count(h,
	    "<p class=\"marking\">OFFICIAL-SENSITIVE</p>"), 2);
	ck_assert_ptr_nonnull(strstr(h,
	    "<body>\n<p class=\"marking\">OFFICIAL-SENSITIVE</p>\n"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<p class=\"marking\">OFFICIAL-SENSITIVE</p>\n</body>\n</html>\n"));
	/* Header. */
	ck_assert_ptr_nonnull(strstr(h, "<h1>MARAC agenda</h1>"));
	ck_assert_ptr_nonnull(strstr(h, "<th>Area</th><td>Cumberland</td>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<th>Sitting</th><td>Monday 7 December 2026</td>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<th>Referral cutoff</th><td>Wednesday 2 December 2026</td>"));
	ck_assert_ptr_nonnull(strstr(h, "<th>Cases</th><td>4</td>"));
	ck_assert_ptr_nonnull(strstr(h, "<th>Version</th><td>Draft</td>"));
	ck_assert_ptr_null(strstr(h, "<th>Venue</th>"));
	/* Groups in agenda order, police (configured) first. */
	police = strstr(h, "<h2>Cumbria Constabulary (2 cases)</h2>");
	health = strstr(h,
	    "<h2>NHS North East and North Cumbria ICB (1 case)</h2>");
	probation = strstr(h, "<h2>Probation Service (1 case)</h2>");
	ck_assert_ptr_nonnull(police);
	ck_assert_ptr_nonnull(health);
	ck_assert_ptr_nonnull(probation);
	ck_assert(police < health && health < probation);
	/* The high-risk case leads its group, with its details. */
	ck_assert_ptr_nonnull(strstr(h,
	    "<tr class=\"high\"><td class=\"reference\">MARAC-2026-0004</td>"
	    "<td class=\"victim\">J.D.</td><td class=\"age\">35</td>"
	    "<td class=\"perpetrator\">A.B.</td><td class=\"children\">3</td>"
	    "<td class=\"risk\">High</td>"
	    "<td class=\"bases\">visible high risk, professional judgement</td>"
	    "<td class=\"repeat\">No</td><td class=\"urgent\">Yes</td>"
	    "<td class=\"drive\">candidate</td>"
	    "<td class=\"officer\">DC Smith</td></tr>"));
	ck_assert(strstr(h, "MARAC-2026-0004") < strstr(h, "MARAC-2026-0002"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<td class=\"perpetrator\">not recorded</td>"));
	ck_assert_uint_eq(count(h, "<th>DRIVE</th>"), 3);
	/* No script, no outside resource: the CSP allows neither. */
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_null(strstr(h, "src="));
	ck_assert_ptr_null(strstr(h, "href="));
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

START_TEST(test_html_issued_masc)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r = row(1, "MASC-2026-0001", "police");
	struct agenda		a;
	struct buf		b;
	const char		*h;

	s.version = 3;
	s.issued_at = "2026-12-03T10:15:00Z";
	s.venue = "Carlisle Civic Centre";
	r.victim_dob = D("2030-01-01");
	ck_assert_int_eq(agenda_build(&a, &s, &r, 1, NULL, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_html(&a, &b), 0);
	h = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(h, "<h1>MASC agenda</h1>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<th>Version</th><td>3, issued 2026-12-03T10:15:00Z</td>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<th>Venue</th><td>Carlisle Civic Centre</td>"));
	ck_assert_ptr_nonnull(strstr(h, "<th>Cases</th><td>1</td>"));
	ck_assert_ptr_nonnull(strstr(h, "<td class=\"age\">unknown</td>"));
	/* DRIVE is a MARAC process: no column on a MASC agenda. */
	ck_assert_ptr_null(strstr(h, "DRIVE"));
	ck_assert_ptr_null(strstr(h, "Draft"));
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

START_TEST(test_html_empty)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda		a;
	struct buf		b;

	ck_assert_int_eq(agenda_build(&a, &s, NULL, 0, NULL, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_html(&a, &b), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "<th>Cases</th><td>0</td>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No cases are listed"));
	ck_assert_uint_eq(count(buf_str(&b), "<section"), 0);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

/*
 * Every string the HTML shows comes from outside: each field carries its
 * own hostile marker and must come out escaped.
 */
START_TEST(test_html_escapes_every_field)
{
	static const char *const bases[] = { "<b1>&\"'" };
	static const char *const order[] = { NULL };
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r = row(1, "<r1>\"ref\"&'", "<c1>");
	struct agenda_options	opt = { order, 1, true };
	struct agenda		a;
	struct buf		b;
	const char		*h;

	s.area_name = "<a1>\"area\"&'";
	s.venue = "<v1>\"venue\"&'";
	s.version = 1;
	s.issued_at = "<i1>";
	r.agency_name = "<n1>\"agency\"&'";
	r.officer = "<o1>\"officer\"&'";
	r.victim_name = "<x1>\"victim\"&'";
	r.perpetrator_name = "<p1>\"perp\"&'";
	r.bases = bases;
	r.nbases = 1;
	ck_assert_int_eq(agenda_build(&a, &s, &r, 1, &opt, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_html(&a, &b), 0);
	h = buf_str(&b);
	for (const char *p = "arvnoxpbi"; *p != '\0'; p++) {
		char raw[4] = { '<', *p, '1', '\0' };
		char esc[8];

		snprintf(esc, sizeof(esc), "&lt;%c1", *p);
		ck_assert_msg(strstr(h, raw) == NULL, "raw %s in HTML", raw);
		ck_assert_msg(strstr(h, esc) != NULL, "no %s in HTML", esc);
	}
	ck_assert_ptr_nonnull(strstr(h,
	    "&lt;a1&gt;&quot;area&quot;&amp;&#39;"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<td class=\"victim\">&lt;x1&gt;&quot;victim&quot;&amp;&#39; "
	    "(born 1990-12-08)</td>"));
	ck_assert_ptr_nonnull(strstr(h,
	    "<td class=\"bases\">&lt;b1&gt;&amp;&quot;&#39;</td>"));
	/* In the title too. */
	ck_assert_ptr_nonnull(strstr(h,
	    "<title>MARAC agenda: &lt;a1&gt;&quot;area&quot;&amp;&#39;, "
	    "2026-12-07</title>"));
	ck_assert_uint_eq(count(h, "'"), 0);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

/* Minimisation, in every format. */

static const char *const secrets[] = {
	"Jane", "Doe", "Mary", "Mary Smith", "Andrew", "Bloggs", "1990-12-08"
};

#define NFORMATS 5

static void
render_all(const struct agenda *a, struct buf out[NFORMATS])
{
	cJSON *j;
	char *s;

	for (int i = 0; i < NFORMATS; i++)
		buf_init(&out[i]);
	ck_assert_int_eq(render_agenda_html(a, &out[0]), 0);
	ck_assert_int_eq(render_agenda_csv(a, &out[1]), 0);
	ck_assert_int_eq(render_agenda_ics(a, T("2026-12-01T08:00:00Z"),
	    "maracd.example", &out[2]), 0);
	j = agenda_to_json(a);
	s = cJSON_PrintUnformatted(j);
	buf_puts(&out[3], s);
	free(s);
	cJSON_Delete(j);
	ck_assert_int_eq(render_agenda_pdf(a, &out[4]), 0);
}

START_TEST(test_minimised_everywhere)
{
	static const char *const formats[] = { "html", "csv", "ics", "json",
	    "pdf" };
	struct agenda	a;
	struct buf	out[NFORMATS];

	three_groups(&a, FORUM_MARAC, false);
	render_all(&a, out);
	for (int f = 0; f < NFORMATS; f++) {
		for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]);
		    i++)
			ck_assert_msg(mcount(&out[f], secrets[i]) == 0,
			    "%s shows %s", formats[f], secrets[i]);
		/* ... but the initials, in every format for people. */
		if (f != 2)
			ck_assert_msg(mcount(&out[f], "J.D.") > 0,
			    "%s has no initials", formats[f]);
		buf_free(&out[f]);
	}
	agenda_free(&a);
}
END_TEST

START_TEST(test_full_names_shown)
{
	struct agenda	a;
	struct buf	out[NFORMATS];

	three_groups(&a, FORUM_MARAC, true);
	render_all(&a, out);
	ck_assert_ptr_nonnull(strstr(buf_str(&out[0]), "Jane Doe"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out[0]), "Andrew Bloggs"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out[0]), "1990-12-08"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out[1]), "\"Jane Doe\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&out[1]), "\"Andrew Bloggs\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&out[1]), "\"1990-12-08\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&out[3]), "Jane Doe"));
	/* The calendar never names anyone. */
	ck_assert_ptr_null(strstr(buf_str(&out[2]), "Jane"));
	ck_assert_ptr_null(strstr(buf_str(&out[2]), "Bloggs"));
	ck_assert_ptr_null(strstr(buf_str(&out[2]), "MARAC-2026"));
	ck_assert_uint_eq(mcount(&out[4], "(Victim: Jane Doe \\050born 1990-12-08\\051) Tj"), 3);
	ck_assert_uint_eq(mcount(&out[4], "(Perpetrator: Andrew Bloggs) Tj"), 3);
	for (int f = 0; f < NFORMATS; f++)
		buf_free(&out[f]);
	agenda_free(&a);
}
END_TEST

/* CSV */

static const struct {
	const char *in, *out;
} csv_table[] = {
	{ "", "\"\"" },
	{ "plain", "\"plain\"" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "\"", "\"\"\"\"" },
	{ "line1\r\nline2\nline3", "\"line1\r\nline2\nline3\"" },
	{ "=1+2", "\"'=1+2\"" },
	{ "=HYPERLINK(\"http://x\",\"y\")",
	  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
	{ "+44 1228 000000", "\"'+44 1228 000000\"" },
	{ "-2+3", "\"'-2+3\"" },
	{ "@SUM(A1)", "\"'@SUM(A1)\"" },
	{ "\t=1", "\"'\t=1\"" },
	{ "\r=1", "\"'\r=1\"" },
	{ "a=1", "\"a=1\"" },		/* only the first character counts */
	{ " =1", "\"' =1\"" },
	{ "  \t -1", "\"'  \t -1\"" },
	{ "\n@x", "\"'\n@x\"" },
	{ "\xc2\xa0=1", "\"'\xc2\xa0=1\"" },		/* no-break space */
	{ "\xe3\x80\x80+1", "\"'\xe3\x80\x80+1\"" },	/* ideographic space */
	{ "\xef\xbb\xbf=1", "\"'\xef\xbb\xbf=1\"" },	/* byte-order mark */
	{ "\xef\xbc\x9d" "1+1", "\"'\xef\xbc\x9d" "1+1\"" },	/* full-width = */
	{ "\xef\xbc\x8b" "1", "\"'\xef\xbc\x8b" "1\"" },	/* full-width + */
	{ "\xef\xbc\x8d" "1", "\"'\xef\xbc\x8d" "1\"" },	/* full-width - */
	{ "\xef\xbc\xa0" "x", "\"'\xef\xbc\xa0" "x\"" },	/* full-width @ */
	{ " \xc2\xa0 \xef\xbc\x9d" "1", "\"' \xc2\xa0 \xef\xbc\x9d" "1\"" },
	{ "\xef\xbc\x91", "\"\xef\xbc\x91\"" },	/* full-width 1: not a formula */
	{ "  plain", "\"  plain\"" },
	{ "\xc2\xa0", "\"\xc2\xa0\"" },
	{ "'quoted", "\"'quoted\"" },
	{ "\xc3\x89lodie, \"E\"", "\"\xc3\x89lodie, \"\"E\"\"\"" },
};

START_TEST(test_csv_field)
{
	struct buf	b;
	struct csv	c;

	buf_init(&b);
	csv_init(&c, &b);
	csv_field(&c, csv_table[_i].in);
	ck_assert_str_eq(buf_str(&b), csv_table[_i].out);
	buf_free(&b);
}
END_TEST

START_TEST(test_csv_rows)
{
	struct buf	b;
	struct csv	c;

	buf_init(&b);
	csv_init(&c, &b);
	csv_field(&c, "a");
	csv_field(&c, NULL);
	csv_field(&c, "c");
	csv_end_row(&c);
	csv_field(&c, "d");
	csv_end_row(&c);
	ck_assert_str_eq(buf_str(&b), "\"a\",\"\",\"c\"\r\n\"d\"\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(test_csv_agenda)
{
	struct agenda	a;
	struct buf	b;

	three_groups(&a, FORUM_MARAC, false);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_csv(&a, &b), 0);
	ck_assert_str_eq(buf_str(&b),
	    "\"agency\",\"agency_name\",\"reference\",\"victim_initials\","
	    "\"victim_age\",\"perpetrator_initials\",\"children\",\"risk\","
	    "\"bases\",\"repeat\",\"urgent\",\"drive\",\"officer\","
	    "\"received_at\",\"linked\"\r\n"
	    "\"police\",\"Cumbria Constabulary\",\"MARAC-2026-0004\",\"J.D.\","
	    "\"35\",\"A.B.\",\"3\",\"high\","
	    "\"visible_high_risk; professional_judgement\",\"no\",\"yes\","
	    "\"candidate\",\"DC Smith\",\"2026-11-20T09:00:00Z\",\"\"\r\n"
	    "\"police\",\"Cumbria Constabulary\",\"MARAC-2026-0002\",\"M.S.\","
	    "\"35\",\"\",\"0\",\"medium\",\"\",\"no\",\"no\",\"not_screened\","
	    "\"DC Smith\",\"2026-11-20T09:00:00Z\",\"\"\r\n"
	    "\"health_icb\",\"NHS North East and North Cumbria ICB\","
	    "\"MARAC-2026-0003\",\"J.D.\",\"35\",\"A.B.\",\"0\","
	    "\"medium\",\"\","
	    "\"no\",\"no\",\"not_screened\",\"DC Smith\","
	    "\"2026-11-20T09:00:00Z\",\"\"\r\n"
	    "\"probation\",\"Probation Service\",\"MARAC-2026-0001\",\"J.D.\","
	    "\"35\",\"A.B.\",\"0\",\"medium\",\"\",\"no\",\"no\","
	    "\"not_screened\",\"DC Smith\",\"2026-11-20T09:00:00Z\",\"\"\r\n");
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

START_TEST(test_csv_full_names_and_injection)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r = row(1, "+MASC-1", "police");
	struct agenda_options	opt = { NULL, 0, true };
	struct agenda		a;
	struct buf		b;

	r.agency_name = "-Police, \"Cumbria\"";
	r.officer = "=cmd|' /C calc'!A0";
	r.victim_name = "@Jane\nDoe";
	r.perpetrator_name = "\tAndrew";
	ck_assert_int_eq(agenda_build(&a, &s, &r, 1, &opt, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_csv(&a, &b), 0);
	ck_assert_str_eq(buf_str(&b),
	    "\"agency\",\"agency_name\",\"reference\",\"victim_initials\","
	    "\"victim_age\",\"perpetrator_initials\",\"victim_name\","
	    "\"victim_dob\",\"perpetrator_name\",\"children\",\"risk\","
	    "\"bases\",\"repeat\",\"urgent\",\"drive\",\"officer\","
	    "\"received_at\",\"linked\"\r\n"
	    "\"police\",\"'-Police, \"\"Cumbria\"\"\",\"'+MASC-1\",\"J.D.\","
	    "\"35\",\"A.\",\"'@Jane\nDoe\",\"1990-12-08\",\"'\tAndrew\",\"0\","
	    "\"medium\",\"\",\"no\",\"no\",\"not_applicable\","
	    "\"'=cmd|' /C calc'!A0\",\"2026-11-20T09:00:00Z\",\"\"\r\n");
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

/* ICS */

static const struct {
	const char *in, *out;
} ics_text_table[] = {
	{ "plain", "plain" },
	{ "a,b", "a\\,b" },
	{ "a;b", "a\\;b" },
	{ "a\\b", "a\\\\b" },
	{ "a\nb", "a\\nb" },
	{ "a\r\nb", "a\\nb" },
	{ "a\rb", "a\\nb" },
	{ "a:b\tc", "a:b\tc" },			/* colon and tab are fine */
	{ "bell\x07", "bell" },			/* other controls dropped */
	{ "del\x7f", "del" },
	{ "\\n", "\\\\n" },
	{ "\xe2\x80\x94", "\xe2\x80\x94" },
};

START_TEST(test_ics_escape_text)
{
	struct buf b;

	buf_init(&b);
	ics_escape_text(&b, ics_text_table[_i].in);
	ck_assert_str_eq(buf_str(&b), ics_text_table[_i].out);
	buf_free(&b);
}
END_TEST

/* The physical lines of folded output: each <= 75 octets, none split
 * inside a UTF-8 character; returns the unfolded text. */
static char *
check_folded(const char *s, size_t *nlines)
{
	struct buf	 un;
	const char	*p = s, *eol;
	char		*out;

	buf_init(&un);
	*nlines = 0;
	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		ck_assert_msg(eol != NULL, "line without CRLF: %s", p);
		ck_assert_msg(eol - p <= ICS_LINE_MAX, "line of %d octets",
		    (int)(eol - p));
		ck_assert(memchr(p, '\n', (size_t)(eol - p)) == NULL);
		if (*nlines > 0 && *p == ' ') {
			/* A continuation never starts mid-character. */
			ck_assert(((unsigned char)p[1] & 0xc0) != 0x80);
			buf_add(&un, p + 1, (size_t)(eol - p - 1));
		} else {
			if (un.len > 0)
				buf_putc(&un, '\n');
			buf_add(&un, p, (size_t)(eol - p));
		}
		(*nlines)++;
		p = eol + 2;
	}
	out = malloc(un.len + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, buf_str(&un), un.len + 1);
	buf_free(&un);
	return out;
}

static char *
repeat_char(const char *c, size_t times)
{
	size_t	 n = strlen(c);
	char	*s = malloc(n * times + 1);

	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, c, n);
	s[n * times] = '\0';
	return s;
}

START_TEST(test_ics_fold_exact)
{
	struct buf	 b;
	char		*line = repeat_char("a", 76);

	/* 75 octets: one line. */
	buf_init(&b);
	ics_fold(&b, line, 75);
	ck_assert_uint_eq(b.len, 77);
	ck_assert(memcmp(b.data + 75, "\r\n", 2) == 0);
	/* 76 octets: 75, then a space and the last one. */
	buf_reset(&b);
	ics_fold(&b, line, 76);
	ck_assert_uint_eq(b.len, 75 + 3 + 1 + 2);
	ck_assert(memcmp(b.data + 75, "\r\n a\r\n", 6) == 0);
	/* The continuation holds 74 more (75 with its space). */
	free(line);
	line = repeat_char("a", 75 + 74 + 1);
	buf_reset(&b);
	ics_fold(&b, line, strlen(line));
	ck_assert(memcmp(b.data + 75, "\r\n ", 3) == 0);
	ck_assert(memcmp(b.data + 75 + 3 + 74, "\r\n a\r\n", 6) == 0);
	buf_free(&b);
	free(line);
}
END_TEST

/* "SUMMARY:" and 66 letters are 74 octets; an em dash (3 octets) or é (2)
 * then straddles octet 75 and must move whole to the next line. */
START_TEST(test_ics_fold_multibyte)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80"
	};
	struct buf	 b, text;
	char		*pad = repeat_char("a", 66), *un;
	const char	*c = chars[_i];
	size_t		 n;

	buf_init(&text);
	buf_puts(&text, pad);
	buf_puts(&text, c);
	buf_puts(&text, "bc");
	buf_init(&b);
	ics_line_text(&b, "SUMMARY", buf_str(&text));
	ck_assert_uint_eq(strlen("SUMMARY:") + 66, 74);
	/* First line stops before the character, at 74 octets. */
	ck_assert(memcmp(b.data + 74, "\r\n ", 3) == 0);
	ck_assert(memcmp(b.data + 77, c, strlen(c)) == 0);
	un = check_folded(buf_str(&b), &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(un + strlen("SUMMARY:"), buf_str(&text));
	free(un);
	buf_free(&b);
	buf_free(&text);
	free(pad);
}
END_TEST

/* A long line of two-byte characters folds many times, never mid-char. */
START_TEST(test_ics_fold_long)
{
	struct buf	 b;
	char		*s = repeat_char("\xc3\xa9", 200), *un;
	size_t		 n;

	buf_init(&b);
	ics_line_text(&b, "DESCRIPTION", s);
	un = check_folded(buf_str(&b), &n);
	ck_assert_uint_eq(n, 6);
	ck_assert(strncmp(un, "DESCRIPTION:", 12) == 0);
	ck_assert_str_eq(un + 12, s);
	free(un);
	buf_free(&b);
	free(s);
}
END_TEST

static const char ics_all_day[] =
	"BEGIN:VCALENDAR\r\n"
	"VERSION:2.0\r\n"
	"PRODID:-//maracd//agenda//EN\r\n"
	"CALSCALE:GREGORIAN\r\n"
	"METHOD:PUBLISH\r\n"
	"BEGIN:VEVENT\r\n"
	"UID:sitting-7-marac@maracd\r\n"
	"DTSTAMP:20261201T080000Z\r\n"
	"DTSTART;VALUE=DATE:20261207\r\n"
	"DTEND;VALUE=DATE:20261208\r\n"
	"SUMMARY:MARAC sitting \xe2\x80\x94 Cumberland\r\n"
	/* Exactly 75 octets, then the fold. */
	"DESCRIPTION:Multi-Agency Risk Assessment Conference (MARAC)\\, "
	    "Cumberland.\\n\r\n"
	" Referral cutoff: 2026-12-02.\r\n"
	"STATUS:CONFIRMED\r\n"
	"TRANSP:OPAQUE\r\n"
	"END:VEVENT\r\n"
	"END:VCALENDAR\r\n";

START_TEST(test_ics_all_day)
{
	struct agenda	 a;
	struct buf	 b;
	char		*un;
	size_t		 n;

	three_groups(&a, FORUM_MARAC, true);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_ics(&a, T("2026-12-01T08:00:00Z"),
	    NULL, &b), 0);
	ck_assert_str_eq(buf_str(&b), ics_all_day);
	un = check_folded(buf_str(&b), &n);
	ck_assert_uint_eq(n, 17);
	free(un);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

START_TEST(test_ics_times_and_escaping)
{
	struct agenda_sitting	 s = sitting(FORUM_MASC);
	struct agenda_row	 r = row(1, "MASC-2026-0001", "police");
	struct agenda		 a, b2;
	struct buf		 b, c;
	const char		*ics;
	char			*un;
	size_t			 n;

	s.area_name = "Westmorland, Furness; \\North\\";
	s.venue = "Room 1, Town Hall;\nKendal";
	s.has_times = true;
	s.starts_at = T("2026-12-07T10:00:00Z");
	s.ends_at = T("2026-12-07T12:30:00Z");
	s.version = 2;
	s.issued_at = "2026-12-03T10:15:00Z";
	ck_assert_int_eq(agenda_build(&a, &s, &r, 1, NULL, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_ics(&a, T("2026-12-03T10:15:00Z"),
	    "victimsupport.example;x", &b), 0);
	ics = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(ics,
	    "\r\nUID:sitting-7-masc@victimsupport.example\\;x\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "\r\nDTSTAMP:20261203T101500Z\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "\r\nDTSTART:20261207T100000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "\r\nDTEND:20261207T123000Z\r\n"));
	ck_assert_ptr_null(strstr(ics, "VALUE=DATE"));
	ck_assert_ptr_nonnull(strstr(ics,
	    "\r\nSUMMARY:MASC sitting \xe2\x80\x94 "
	    "Westmorland\\, Furness\\; \\\\North\\\\\r\n"));
	ck_assert_ptr_nonnull(strstr(ics,
	    "\r\nLOCATION:Room 1\\, Town Hall\\;\\nKendal\r\n"));
	/* Nothing about the cases, not even a reference. */
	ck_assert_ptr_null(strstr(ics, "MASC-2026"));
	ck_assert_ptr_null(strstr(ics, "J.D."));
	un = check_folded(ics, &n);
	free(un);

	/* Another version of the same sitting keeps the UID. */
	s.version = 3;
	ck_assert_int_eq(agenda_build(&b2, &s, NULL, 0, NULL, NULL), 0);
	buf_init(&c);
	ck_assert_int_eq(render_agenda_ics(&b2, T("2026-12-04T10:15:00Z"),
	    "victimsupport.example;x", &c), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&c),
	    "\r\nUID:sitting-7-masc@victimsupport.example\\;x\r\n"));
	buf_free(&b);
	buf_free(&c);
	agenda_free(&a);
	agenda_free(&b2);
}
END_TEST


/*
 * PDF: libharu writes each line uncompressed as "(text) Tj", brackets and
 * backslashes as octal escapes (\050, \051, \134).
 */

static void
is_pdf(const struct buf *b)
{
	ck_assert_uint_gt(b->len, 500);
	ck_assert_mem_eq(b->data, "%PDF-1.", 7);
	ck_assert_ptr_nonnull(memmem(b->data + b->len - 8, 8, "%%EOF", 5));
}

static const char *
find(const struct buf *b, const char *needle)
{
	return memmem(b->data, b->len, needle, strlen(needle));
}

static size_t
pages(const struct buf *b)
{
	return mcount(b, "/Type /Page\n") + mcount(b, "/Type /Page\r");
}

START_TEST(test_pdf_structure)
{
	struct agenda	a;
	struct buf	b;
	const char	*police, *health, *probation, *high, *medium;

	three_groups(&a, FORUM_MARAC, false);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_pdf(&a, &b), 0);
	is_pdf(&b);
	ck_assert_uint_eq(pages(&b), 1);
	/* The HTML's header, in its words. */
	ck_assert_uint_eq(mcount(&b, "(MARAC agenda) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Area: Cumberland) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Sitting: Monday 7 December 2026) Tj"), 1);
	ck_assert_uint_eq(mcount(&b,
	    "(Referral cutoff: Wednesday 2 December 2026) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Cases: 4) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Version: Draft) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "Venue"), 0);
	/* The marking at the head and foot, the page count, the foot. */
	ck_assert_uint_eq(mcount(&b, "(OFFICIAL-SENSITIVE) Tj"), 2);
	ck_assert_uint_eq(mcount(&b, "(Page 1 of 1) Tj"), 1);
	ck_assert_uint_eq(mcount(&b,
	    "(maracd: MARAC agenda, cumberland, 2026-12-07, draft) Tj"), 1);
	/* Groups in agenda order, with their counts in words. */
	police = find(&b, "(Cumbria Constabulary \\0502 cases\\051) Tj");
	health = find(&b,
	    "(NHS North East and North Cumbria ICB \\0501 case\\051) Tj");
	probation = find(&b, "(Probation Service \\0501 case\\051) Tj");
	ck_assert_ptr_nonnull(police);
	ck_assert_ptr_nonnull(health);
	ck_assert_ptr_nonnull(probation);
	ck_assert(police < health && health < probation);
	/* The high-risk case leads its group, every column a line. */
	high = find(&b, "(MARAC-2026-0004: High risk) Tj");
	medium = find(&b, "(MARAC-2026-0002: Medium risk) Tj");
	ck_assert_ptr_nonnull(high);
	ck_assert_ptr_nonnull(medium);
	ck_assert(police < high && high < medium && medium < health);
	ck_assert_uint_eq(mcount(&b, "(Victim: J.D.) Tj"), 3);
	ck_assert_uint_eq(mcount(&b, "(Victim: M.S.) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Age: 35) Tj"), 4);
	ck_assert_uint_eq(mcount(&b, "(Perpetrator: A.B.) Tj"), 3);
	ck_assert_uint_eq(mcount(&b, "(Perpetrator: not recorded) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Children: 3) Tj"), 1);
	ck_assert_uint_eq(mcount(&b,
	    "(Bases: visible high risk, professional judgement) Tj"), 1);
	/* An empty cell of the HTML is a line that says so. */
	ck_assert_uint_eq(mcount(&b, "(Bases: none recorded) Tj"), 3);
	ck_assert_uint_eq(mcount(&b, "(Repeat: No, urgent: Yes) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(DRIVE: candidate) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(DRIVE: not screened) Tj"), 3);
	ck_assert_uint_eq(mcount(&b, "(Officer: DC Smith) Tj"), 4);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

/* An issued version prints to the same bytes every time; another does not. */
START_TEST(test_pdf_stable)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda_row	r = row(1, "MASC-2026-0001", "police");
	struct agenda		a, b3;
	struct buf		one, two, other;

	s.version = 3;
	s.issued_at = "2026-12-03T10:15:00Z";
	s.venue = "Carlisle Civic Centre";
	ck_assert_int_eq(agenda_build(&a, &s, &r, 1, NULL, NULL), 0);
	buf_init(&one);
	buf_init(&two);
	buf_init(&other);
	ck_assert_int_eq(render_agenda_pdf(&a, &one), 0);
	ck_assert_int_eq(render_agenda_pdf(&a, &two), 0);
	is_pdf(&one);
	ck_assert_uint_eq(one.len, two.len);
	ck_assert_mem_eq(one.data, two.data, one.len);
	ck_assert_uint_eq(mcount(&one, "CreationDate"), 0);
	ck_assert_uint_eq(mcount(&one, "/ID"), 0);
	ck_assert_uint_eq(mcount(&one, "(MASC agenda) Tj"), 1);
	ck_assert_uint_eq(mcount(&one,
	    "(Version: 3, issued 2026-12-03T10:15:00Z) Tj"), 1);
	ck_assert_uint_eq(mcount(&one, "(Venue: Carlisle Civic Centre) Tj"), 1);
	ck_assert_uint_eq(mcount(&one, "(Age: unknown) Tj"), 0);
	/* DRIVE is a MARAC process: no line on a MASC agenda. */
	ck_assert_uint_eq(mcount(&one, "DRIVE"), 0);
	ck_assert_uint_eq(mcount(&one,
	    "(maracd: MASC agenda, cumberland, 2026-12-07, version 3) Tj"), 1);
	s.version = 4;
	ck_assert_int_eq(agenda_build(&b3, &s, &r, 1, NULL, NULL), 0);
	ck_assert_int_eq(render_agenda_pdf(&b3, &other), 0);
	ck_assert(other.len != one.len ||
	    memcmp(other.data, one.data, one.len) != 0);
	buf_free(&one);
	buf_free(&two);
	buf_free(&other);
	agenda_free(&a);
	agenda_free(&b3);
}
END_TEST

/* 300 cases run over many pages, each page marked and numbered. */
START_TEST(test_pdf_many_pages)
{
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r[300];
	char			refs[300][24], last[64];
	struct agenda		a;
	struct buf		b;
	size_t			n;

	for (int i = 0; i < 300; i++) {
		snprintf(refs[i], sizeof(refs[i]), "MARAC-2026-%04d", i + 1);
		r[i] = row(i + 1, refs[i], i % 2 ? "police" : "probation");
	}
	ck_assert_int_eq(agenda_build(&a, &s, r, 300, NULL, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_pdf(&a, &b), 0);
	is_pdf(&b);
	n = pages(&b);
	ck_assert_uint_gt(n, 20);
	ck_assert_uint_eq(mcount(&b, "(OFFICIAL-SENSITIVE) Tj"), 2 * n);
	snprintf(last, sizeof(last), "(Page %zu of %zu) Tj", n, n);
	ck_assert_uint_eq(mcount(&b, last), 1);
	ck_assert_uint_eq(mcount(&b, "(MARAC-2026-0300: Medium risk) Tj"), 1);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

START_TEST(test_pdf_empty)
{
	struct agenda_sitting	s = sitting(FORUM_MASC);
	struct agenda		a;
	struct buf		b;

	ck_assert_int_eq(agenda_build(&a, &s, NULL, 0, NULL, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_pdf(&a, &b), 0);
	is_pdf(&b);
	ck_assert_uint_eq(mcount(&b, "(Cases: 0) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(No cases are listed for this sitting.) Tj"), 1);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

/*
 * Outside text cannot end a PDF string early or draw outside it: each
 * bracket and backslash comes out escaped, and text the font cannot show
 * as '?', never as a byte that breaks the page.
 */
START_TEST(test_pdf_outside_text)
{
	struct agenda_sitting	s = sitting(FORUM_MARAC);
	struct agenda_row	r = row(1, "R) Tj (x", "police");
	struct agenda		a;
	struct buf		b;

	r.agency_name = "\\) Tj ET";
	r.officer = "DC \xe2\x98\x83 O'Brien\nsecond line";
	ck_assert_int_eq(agenda_build(&a, &s, &r, 1, NULL, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(render_agenda_pdf(&a, &b), 0);
	is_pdf(&b);
	ck_assert_uint_eq(mcount(&b, "(R\\051 Tj \\050x: Medium risk) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(\\134\\051 Tj ET \\0501 case\\051) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(Officer: DC ? O'Brien) Tj"), 1);
	ck_assert_uint_eq(mcount(&b, "(second line) Tj"), 1);
	buf_free(&b);
	agenda_free(&a);
}
END_TEST

static Suite *
render_suite(void)
{
	Suite	*s = suite_create("render");
	TCase	*tc;

	tc = tcase_create("buf");
	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_render_reports_failure);
	suite_add_tcase(s, tc);

	tc = tcase_create("html");
	tcase_add_loop_test(tc, test_html_escape, 0,
	    sizeof(html_table) / sizeof(html_table[0]));
	tcase_add_test(tc, test_html_structure);
	tcase_add_test(tc, test_html_issued_masc);
	tcase_add_test(tc, test_html_empty);
	tcase_add_test(tc, test_html_escapes_every_field);
	suite_add_tcase(s, tc);

	tc = tcase_create("minimisation");
	tcase_add_test(tc, test_minimised_everywhere);
	tcase_add_test(tc, test_full_names_shown);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_loop_test(tc, test_csv_field, 0,
	    sizeof(csv_table) / sizeof(csv_table[0]));
	tcase_add_test(tc, test_csv_rows);
	tcase_add_test(tc, test_csv_agenda);
	tcase_add_test(tc, test_csv_full_names_and_injection);
	suite_add_tcase(s, tc);

	tc = tcase_create("ics");
	tcase_add_loop_test(tc, test_ics_escape_text, 0,
	    sizeof(ics_text_table) / sizeof(ics_text_table[0]));
	tcase_add_test(tc, test_ics_fold_exact);
	tcase_add_loop_test(tc, test_ics_fold_multibyte, 0, 3);
	tcase_add_test(tc, test_ics_fold_long);
	tcase_add_test(tc, test_ics_all_day);
	tcase_add_test(tc, test_ics_times_and_escaping);
	suite_add_tcase(s, tc);

	tc = tcase_create("pdf");
	tcase_add_test(tc, test_pdf_structure);
	tcase_add_test(tc, test_pdf_stable);
	tcase_add_test(tc, test_pdf_many_pages);
	tcase_add_test(tc, test_pdf_empty);
	tcase_add_test(tc, test_pdf_outside_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(render_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

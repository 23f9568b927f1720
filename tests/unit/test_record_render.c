/*
 * The decision-record renderers: JSON (the canonical bytes and the hash),
 * CSV (RFC 4180 quoting, formula neutralising, the hash on every row),
 * HTML (escaping of every field, the marking and the hash, drafts shown
 * as drafts), PDF (a PDF, the hash in it, long records paginated, text
 * WinAnsi cannot encode printed rather than refused) and the WinAnsi
 * transliteration itself.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/record.h"
#include "core/render/record.h"
#include "core/render/winansi.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static size_t
count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(hay + i, needle, k) == 0)
			n++;
	return n;
}

/*
 * A MARAC sitting whose strings try every trick: markup, quotes,
 * formulas, line breaks, characters outside WinAnsi.  nactions actions
 * with long descriptions make the PDF run over pages.
 */
static cJSON *
hostile(int nactions, bool signed_off)
{
	cJSON *src = cJSON_CreateObject(), *sittings, *s, *cases, *c, *d, *areas;
	cJSON *acts, *a, *hist, *h, *ag, *mins, *att, *o;
	char desc[1200];

	cJSON_AddStringToObject(src, "kind", "sitting");
	cJSON_AddNumberToObject(src, "id", 7);
	cJSON_AddStringToObject(src, "forum", "marac");
	cJSON_AddStringToObject(src, "area", "<b>west</b>");
	ag = cJSON_AddArrayToObject(src, "agencies");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", "police");
	cJSON_AddStringToObject(o, "name", "Police & \"Crime\" <Unit>");
	cJSON_AddItemToArray(ag, o);
	sittings = cJSON_AddArrayToObject(src, "sittings");
	s = cJSON_CreateObject();
	cJSON_AddItemToArray(sittings, s);
	cJSON_AddNumberToObject(s, "id", 7);
	cJSON_AddStringToObject(s, "date", "2026-12-07");
	cJSON_AddStringToObject(s, "status", "scheduled");
	cJSON_AddStringToObject(s, "venue", "Room 'A' <script>alert(1)</script>");
	mins = cJSON_AddObjectToObject(s, "minutes");
	cJSON_AddStringToObject(mins, "chair", "=cmd|' /C calc'!A0");
	att = cJSON_AddArrayToObject(mins, "attendees");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "agency", "police");
	cJSON_AddStringToObject(o, "name", "DS Łukasz Wójcik");
	cJSON_AddItemToArray(att, o);
	cJSON_AddStringToObject(mins, "confidentiality_statement",
	    "Line one.\nLine two.");
	cases = cJSON_AddArrayToObject(s, "cases");
	c = cJSON_CreateObject();
	cJSON_AddItemToArray(cases, c);
	cJSON_AddNumberToObject(c, "referral_id", 42);
	cJSON_AddStringToObject(c, "reference", "MARAC-2026-0042");
	cJSON_AddStringToObject(c, "referring_agency", "police");
	cJSON_AddStringToObject(c, "risk_level", "high");
	cJSON_AddBoolToObject(c, "repeat", false);
	cJSON_AddStringToObject(c, "consent", "not_sought");
	d = cJSON_AddObjectToObject(c, "decision");
	cJSON_AddNumberToObject(d, "id", 3);
	cJSON_AddNumberToObject(d, "version", 1);
	areas = cJSON_AddObjectToObject(d, "areas");
	cJSON_AddStringToObject(areas, "victim", "<img src=x onerror=alert(1)>");
	cJSON_AddStringToObject(areas, "children", "\"quoted\", and 'single'");
	cJSON_AddStringToObject(d, "outcome", "+SUM(A1:A9) & more 東京 😀");
	cJSON_AddBoolToObject(d, "drive_increases_risk", true);
	if (signed_off)
		cJSON_AddStringToObject(d, "signed_off_at", "2026-12-07T11:00:00Z");
	acts = cJSON_AddArrayToObject(c, "actions");
	for (int i = 0; i < nactions; i++) {
		a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "id", 100 + i);
		cJSON_AddStringToObject(a, "agency", "police");
		cJSON_AddStringToObject(a, "area", "offender");
		snprintf(desc, sizeof(desc), "%sAction number %d: ", i == 0 ?
		    "-2+3 " : "", i);
		for (int w = 0; w < 40; w++)
			strcat(desc, "word \u201cquoted\u201d ");
		strcat(desc, "END");
		cJSON_AddStringToObject(a, "description", desc);
		cJSON_AddStringToObject(a, "due", "2026-12-21");
		cJSON_AddStringToObject(a, "status", "open");
		hist = cJSON_AddArrayToObject(a, "history");
		h = cJSON_CreateObject();
		cJSON_AddNumberToObject(h, "id", 500 + i);
		cJSON_AddStringToObject(h, "at", "2026-12-07T11:00:00Z");
		cJSON_AddStringToObject(h, "role", "chair");
		cJSON_AddStringToObject(h, "field", "created");
		cJSON_AddStringToObject(h, "to", "open");
		cJSON_AddStringToObject(h, "note", "@SUM(1) <note>");
		cJSON_AddItemToArray(hist, h);
		cJSON_AddItemToArray(acts, a);
	}
	return src;
}

static void
build(struct record *rec, int nactions, bool signed_off)
{
	cJSON *src = hostile(nactions, signed_off);

	ck_assert_int_eq(record_build(src, rec, NULL), 0);
	cJSON_Delete(src);
}

START_TEST(test_json_is_canonical_plus_hash)
{
	struct record rec;
	struct buf canon, out;
	cJSON *j;

	build(&rec, 2, true);
	buf_init(&canon);
	buf_init(&out);
	ck_assert_int_eq(record_canonical(&rec, &canon), 0);
	ck_assert_int_eq(render_record_json(&rec, SHA, &out), 0);
	ck_assert_mem_eq(out.data, canon.data, canon.len - 1);
	ck_assert_str_eq(out.data + canon.len - 1, ",\"sha256\":\"" SHA "\"}");
	j = cJSON_Parse(buf_str(&out));
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "sha256")->valuestring, SHA);
	cJSON_Delete(j);
	buf_free(&canon);
	buf_free(&out);
	record_free(&rec);
}
END_TEST

START_TEST(test_csv_quotes_neutralises_and_carries_the_hash)
{
	struct record rec;
	struct buf out;
	const char *s, *line;
	size_t rows = 0;

	build(&rec, 3, true);
	buf_init(&out);
	ck_assert_int_eq(render_record_csv(&rec, SHA, &out), 0);
	s = buf_str(&out);
	ck_assert(strncmp(s, "\"sha256\",\"row\",\"sitting_id\",", 28) == 0);
	/* Every line ends in CRLF and every row after the header has the hash. */
	for (line = s; *line != '\0'; rows++) {
		const char *end = strstr(line, "\r\n");

		ck_assert_ptr_nonnull(end);
		if (rows > 0)
			ck_assert(strncmp(line, "\"" SHA "\",", 67) == 0);
		line = end + 2;
	}
	/* header, minutes, statement, case, 2 areas, 3 x (action + change) */
	ck_assert_uint_eq(rows, 1 + 1 + 1 + 1 + 2 + 6);
	ck_assert_ptr_nonnull(strstr(s, "\"'=cmd|' /C calc'!A0\""));
	ck_assert_ptr_nonnull(strstr(s, "\"'+SUM(A1:A9) & more"));
	ck_assert_ptr_nonnull(strstr(s, "\"'-2+3 Action number 0:"));
	ck_assert_ptr_nonnull(strstr(s, "\"'@SUM(1) <note>\""));
	ck_assert_ptr_nonnull(strstr(s, "\"\"\"quoted\"\", and 'single'\""));
	ck_assert_ptr_nonnull(strstr(s, ",\"Line one.\nLine two.\","));
	ck_assert_ptr_nonnull(strstr(s, "police: DS \xc5\x81ukasz W\xc3\xb3jcik"));
	buf_free(&out);
	record_free(&rec);
}
END_TEST

START_TEST(test_html_escapes_every_field)
{
	struct record rec;
	struct buf out;
	const char *s;

	build(&rec, 2, false);
	buf_init(&out);
	ck_assert_int_eq(render_record_html(&rec, SHA, &out), 0);
	s = buf_str(&out);
	ck_assert_ptr_null(strstr(s, "<script"));
	ck_assert_ptr_null(strstr(s, "<img"));
	ck_assert_ptr_null(strstr(s, "<b>"));
	ck_assert_ptr_null(strstr(s, "<note>"));
	ck_assert_ptr_null(strstr(s, "<Unit>"));
	ck_assert_ptr_nonnull(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(s, "Police &amp; &quot;Crime&quot; &lt;Unit&gt;"));
	ck_assert_ptr_nonnull(strstr(s, "&quot;quoted&quot;, and &#39;single&#39;"));
	ck_assert_ptr_nonnull(strstr(s, "&lt;img src=x onerror=alert(1)&gt;"));
	/* The hash in the print margin, the header and the footer. */
	ck_assert_uint_eq(count(s, out.len, SHA), 3);
	ck_assert_uint_eq(count(s, out.len, "OFFICIAL-SENSITIVE"), 3);
	ck_assert_ptr_nonnull(strstr(s, "DRAFT: not signed off"));
	ck_assert_ptr_nonnull(strstr(s, "Enforcement or DRIVE increases risk"
	    "</th><td>Yes"));
	/* Every action is there. */
	ck_assert_ptr_nonnull(strstr(s, "Action number 0:"));
	ck_assert_ptr_nonnull(strstr(s, "Action number 1:"));
	buf_free(&out);
	/* A hash that is not hex never reaches the style sheet. */
	buf_init(&out);
	ck_assert_int_eq(render_record_html(&rec, "\"}</style><script>", &out), -1);
	buf_free(&out);
	record_free(&rec);
}
END_TEST

START_TEST(test_pdf_is_a_pdf_with_the_hash_on_many_pages)
{
	struct record rec;
	struct buf out;
	const char *pages;
	int n = 0;

	build(&rec, 60, true);
	buf_init(&out);
	ck_assert_int_eq(render_record_pdf(&rec, SHA, &out), 0);
	ck_assert_uint_gt(out.len, 1000);
	ck_assert_mem_eq(out.data, "%PDF-", 5);
	ck_assert_uint_ge(count(out.data, out.len, "%%EOF"), 1);
	/* The page streams are compressed; the information is not. */
	ck_assert_uint_ge(count(out.data, out.len, "SHA-256 " SHA), 1);
	ck_assert_uint_ge(count(out.data, out.len, "/WinAnsiEncoding"), 1);
	pages = NULL;
	for (size_t i = 0; i + 7 < out.len; i++) {
		if (memcmp(out.data + i, "/Count ", 7) == 0) {
			pages = out.data + i + 7;
			break;
		}
	}
	ck_assert_ptr_nonnull(pages);
	n = atoi(pages);
	/* 60 actions of ~280 words each do not fit on a few pages. */
	ck_assert_int_ge(n, 5);
	buf_free(&out);
	buf_init(&out);
	ck_assert_int_eq(render_record_pdf(&rec, "not a hash", &out), -1);
	buf_free(&out);
	record_free(&rec);
}
END_TEST

START_TEST(test_pdf_of_an_empty_record)
{
	cJSON *src = cJSON_Parse("{\"kind\":\"referral\",\"id\":1,\"forum\":\"masc\","
	    "\"area\":\"x\",\"sittings\":[]}");
	struct record rec;
	struct buf out;

	ck_assert_int_eq(record_build(src, &rec, NULL), 0);
	cJSON_Delete(src);
	buf_init(&out);
	ck_assert_int_eq(render_record_pdf(&rec, SHA, &out), 0);
	ck_assert_mem_eq(out.data, "%PDF-", 5);
	ck_assert_uint_ge(count(out.data, out.len, "/Count 1"), 1);
	buf_free(&out);
	record_free(&rec);
}
END_TEST

static const struct {
	const char	*in;
	const char	*out;
	size_t		 replaced;
} winansi_cases[] = {
	{ "plain ASCII", "plain ASCII", 0 },
	{ "caf\xc3\xa9 \xc2\xa3" "5", "caf\xe9 \xa3" "5", 0 },
	{ "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x93 \xe2\x82\xac", "\x93q\x94 \x96 \x80", 0 },
	{ "\xc5\x81\xc3\xb3" "d\xc5\xba", "L\xf3" "dz", 0 },	/* Łódź */
	{ "\xc5\xb5\xc5\xb7", "wy", 0 },			/* Welsh ŵŷ */
	{ "\xc5\x92\xc5\xa0", "\x8c\x8a", 0 },			/* Œ Š */
	{ "\xc8\x99tefan", "stefan", 0 },			/* ș */
	{ "a\tb\nc\rd\x01" "e", "a b c d e", 0 },
	{ "zero\xe2\x80\x8bwidth", "zerowidth", 0 },
	{ "\xe2\x80\x90\xe2\x88\x92", "--", 0 },
	{ "\xe6\x9d\xb1\xe4\xba\xac", "??", 2 },		/* 東京 */
	{ "\xf0\x9f\x98\x80!", "?!", 1 },
	{ "bad\xff" "byte\xc3", "bad?byte?", 2 },
};

START_TEST(test_winansi)
{
	struct buf b;
	size_t r;

	buf_init(&b);
	r = winansi_encode(&b, winansi_cases[_i].in);
	ck_assert_str_eq(buf_str(&b), winansi_cases[_i].out);
	ck_assert_uint_eq(r, winansi_cases[_i].replaced);
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("record_render");
	TCase *tc = tcase_create("render");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_json_is_canonical_plus_hash);
	tcase_add_test(tc, test_csv_quotes_neutralises_and_carries_the_hash);
	tcase_add_test(tc, test_html_escapes_every_field);
	tcase_add_test(tc, test_pdf_is_a_pdf_with_the_hash_on_many_pages);
	tcase_add_test(tc, test_pdf_of_an_empty_record);
	tcase_add_loop_test(tc, test_winansi, 0,
	    (int)(sizeof(winansi_cases) / sizeof(winansi_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? 0 : 1;
}

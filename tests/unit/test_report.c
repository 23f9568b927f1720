/*
 * The quarterly report (core/report.c): its four charts from hand-made
 * counts, small numbers hidden in the charts and the tables, the HTML with
 * its SVG, the PDF, the mail's text.
 */
#include <check.h>
#include <string.h>

#include "core/report.h"
#include "unit.h"
#include "unit_date.h"

/*
 * 2026 Q3 of eden: 15 MARAC cases discussed, 5 repeats (33.3%, expected
 * 28-40: green).  Received: July 10 MARAC, 2 MASC; August 6 MARAC, none
 * MASC, 1 below threshold; September nothing.  By agency: police 12,
 * idva 3, housing 6.  Actions (today 2026-10-10): due 2026-09-01 open
 * (red) x6, due 2026-10-14 open (amber) x2, due 2026-11-30 in progress
 * (green) x7, completed x9.
 */
static const char counts_json[] =
"{\"safelives\": {\"meetings\": 3, \"cases\": 15, \"repeats\": 5,"
"   \"by_agency\": {\"police\": 15}, \"by_ethnicity\": {}, \"by_gender\": {},"
"   \"by_disability\": {}, \"by_lgbt\": {}, \"victim_ages\": {},"
"   \"perpetrator_ages\": {}, \"children\": 0},"
" \"masc\": {\"meetings\": 2, \"days_to_hearing\": [3, 9], \"actions\": {},"
"   \"attendance\": {\"police\": 2}, \"decided\": 2, \"recorded\": 2,"
"   \"spo\": {\"considered\": 2}, \"onward_referrals\": {\"mappa\": 1}},"
" \"report\": {\"months\": {\"2026-07\": {\"marac\": 10, \"masc\": 2},"
"   \"2026-08\": {\"marac\": 6, \"below_threshold\": 1}},"
"   \"by_agency\": {\"police\": 12, \"idva\": 3, \"housing\": 6},"
"   \"actions\": [{\"due\": \"2026-09-01\", \"status\": \"open\", \"n\": 6},"
"     {\"due\": \"2026-10-14\", \"status\": \"open\", \"n\": 2},"
"     {\"due\": \"2026-11-30\", \"status\": \"in_progress\", \"n\": 7},"
"     {\"due\": \"2026-09-01\", \"status\": \"completed\", \"n\": 9}]}}";

static struct report *
build(void)
{
	struct sl_params p;
	cJSON *c = cJSON_Parse(counts_json);
	struct report *r;

	ck_assert_ptr_nonnull(c);
	memset(&p, 0, sizeof(p));
	p.expected[SL_EXPECT_REPEAT_RATE] = "28-40";
	p.suppress_below = 5;
	r = report_build(c, &p, "eden", 2026, 3, D("2026-07-01"), D("2026-09-30"),
	    D("2026-10-10"));
	cJSON_Delete(c);
	ck_assert_ptr_nonnull(r);
	return r;
}

static const struct chart_bar *
bar(const struct chart *c, const char *label)
{
	for (size_t i = 0; i < c->nbars; i++)
		if (strcmp(c->bars[i].label, label) == 0)
			return &c->bars[i];
	ck_abort_msg("no bar %s", label);
	return NULL;
}

START_TEST(test_charts)
{
	struct report *r = build();
	const struct chart *m = &r->charts[REPORT_BY_MONTH];
	const struct chart *rr = &r->charts[REPORT_REPEAT_RATE];
	const struct chart *a = &r->charts[REPORT_BY_AGENCY];
	const struct chart *rag = &r->charts[REPORT_ACTIONS_RAG];

	/* Three months by three forums, every month shown, none or not. */
	ck_assert_int_eq(m->nbars, 9);
	ck_assert_str_eq(m->bars[0].label, "July 2026, MARAC");
	ck_assert(bar(m, "July 2026, MARAC")->value == 10);
	ck_assert(bar(m, "July 2026, MASC")->hidden);
	ck_assert_str_eq(bar(m, "July 2026, MASC")->shown, "fewer than 5");
	ck_assert(bar(m, "August 2026, below threshold")->hidden);
	ck_assert_str_eq(bar(m, "September 2026, MARAC")->shown, "0");
	ck_assert(!bar(m, "September 2026, MARAC")->hidden);
	/* The repeat rate in its expected range, green. */
	ck_assert_int_eq(rr->nbars, 1);
	ck_assert(rr->band && rr->band_low == 28 && rr->band_high == 40);
	ck_assert_str_eq(rr->bars[0].shown, "33.3% (green)");
	ck_assert_int_eq(rr->bars[0].colour, CHART_GREEN);
	ck_assert_double_eq_tol(rr->max, 50, 0.001);
	/* By agency, most first; idva's 3 hidden. */
	ck_assert_str_eq(a->bars[0].label, "police");
	ck_assert_str_eq(a->bars[1].label, "housing");
	ck_assert(a->bars[2].hidden && strcmp(a->bars[2].label, "idva") == 0);
	/* Actions by RAG on 2026-10-10: amber's 2 hidden. */
	ck_assert(bar(rag, "Red: overdue")->value == 6);
	ck_assert(bar(rag, "Amber: due within 7 days")->hidden);
	ck_assert(bar(rag, "Green: on track")->value == 7);
	ck_assert(bar(rag, "Closed")->value == 9);
	report_free(r);
}
END_TEST

START_TEST(test_small_repeat_count_hides_the_rate)
{
	struct sl_params p;
	cJSON *c = cJSON_Parse(counts_json);
	struct report *r;

	/* 5 repeats hidden below 10: no rate, no bar, no RAG. */
	memset(&p, 0, sizeof(p));
	p.expected[SL_EXPECT_REPEAT_RATE] = "28-40";
	p.suppress_below = 10;
	r = report_build(c, &p, "eden", 2026, 3, D("2026-07-01"), D("2026-09-30"),
	    D("2026-10-10"));
	ck_assert(r->charts[REPORT_REPEAT_RATE].bars[0].hidden);
	ck_assert_str_eq(r->charts[REPORT_REPEAT_RATE].bars[0].shown,
	    "not shown: fewer than 10 repeat cases");
	report_free(r);
	cJSON_Delete(c);
	/* Not the counts' shape. */
	c = cJSON_Parse("{\"safelives\": {}}");
	ck_assert_ptr_null(report_build(c, &p, "eden", 2026, 3, 0, 0, 0));
	cJSON_Delete(c);
}
END_TEST

START_TEST(test_documents)
{
	struct report *r = build();
	struct buf b;
	const char *s;

	buf_init(&b);
	report_html(r, &b);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<h1>Quarterly report: eden, 2026 Q3</h1>"));
	ck_assert_ptr_nonnull(strstr(s, "aria-labelledby=\"chart-by-month-title\""));
	ck_assert_ptr_nonnull(strstr(s, "aria-labelledby=\"chart-actions-rag-title\""));
	ck_assert_ptr_nonnull(strstr(s, "<tr><th>Cases heard</th><td>fewer than 5</td></tr>"));
	ck_assert_ptr_nonnull(strstr(s, "<tr><th>Stalking Protection Order: considered"
	    "</th><td>fewer than 5</td></tr>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>Cases discussed</td><td>15</td>"));
	buf_reset(&b);
	ck_assert_int_eq(report_pdf(r, &b), 0);
	ck_assert(b.len > 1000 && memcmp(b.data, "%PDF-", 5) == 0);
	buf_reset(&b);
	report_text(r, &b);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "MARAC cases discussed: 15\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "no personal details"));
	buf_free(&b);
	report_free(r);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("report", &tc);

	tcase_add_test(tc, test_charts);
	tcase_add_test(tc, test_small_repeat_count_hides_the_rate);
	tcase_add_test(tc, test_documents);
	return unit_run(s);
}

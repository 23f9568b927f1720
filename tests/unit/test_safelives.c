/*
 * The SafeLives return's figures (core/safelives.c) from a hand-counted
 * set of counts, as statistics_safelives (sql/011) gives them: groups by
 * agency code, ethnicity, gender, answers and age, which the core turns
 * into the return's figures; then expected levels and RAG, small
 * numbers, quarters and the renderings.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/safelives.h"
#include "unit.h"
#include "unit_date.h"

/*
 * Twelve cases at three meetings: 7 from the police (two agencies of its
 * type), 2 from the IDVA service, 1 from health (health_icb), 1 from
 * victim_support (configured: idva), 1 from a code nobody knows (other).
 * Four repeats.  Victims: 2 asian_indian, 1 white_roma, 1 white_irish,
 * 1 white_other, 6 white_british, 1 not known: 3 minoritised.  2 male,
 * 1 disabled, 5 LGBT+.  Two aged 17, one 15 (not 16-17).  Perpetrators:
 * one 17, one 12: 2 under 18.  14 children.
 */
/* sl_params_check's why (NULL when well-formed), -1 checked. */
static const char *
params_check(const struct sl_params *p)
{
	const char *why = NULL;
	int rc = sl_params_check(p, &why);

	ck_assert_int_eq(rc, why == NULL ? 0 : -1);
	return why;
}

static const char counts_json[] =
"{\"meetings\": 3, \"cases\": 12, \"repeats\": 4,"
" \"by_agency\": {\"police\": 6, \"police_cumbria\": 1, \"idva\": 2,"
"   \"health_icb\": 1, \"victim_support\": 1, \"zz_unknown\": 1},"
" \"by_ethnicity\": {\"asian_indian\": 2, \"white_roma\": 1, \"white_irish\": 1,"
"   \"white_other\": 1, \"white_british\": 6, \"not_known\": 1},"
" \"by_gender\": {\"female\": 10, \"male\": 2},"
" \"by_disability\": {\"yes\": 1, \"no\": 3, \"not_known\": 8},"
" \"by_lgbt\": {\"yes\": 5, \"not_known\": 7},"
" \"victim_ages\": {\"15\": 1, \"17\": 2},"
" \"perpetrator_ages\": {\"12\": 1, \"17\": 1},"
" \"children\": 14}";

static struct sl_params
params(void)
{
	struct sl_params p;

	memset(&p, 0, sizeof(p));
	p.population = "eden:24000, cumbria:230000";
	p.agency_types = "victim_support:idva";
	p.expected[SL_EXPECT_CASES_PER_10K] = "40-";
	p.expected[SL_EXPECT_REPEAT_RATE] = "28-40";
	p.expected[SL_EXPECT_PARTNER_SHARE] = "50-";
	p.expected[SL_EXPECT_LGBT] = "-10";
	p.suppress_below = 5;
	return p;
}

static const struct sl_figure *
fig(const struct sl_return *r, const char *key)
{
	for (size_t i = 0; i < r->nfigures; i++)
		if (strcmp(r->figures[i].key, key) == 0)
			return &r->figures[i];
	ck_abort_msg("no figure %s", key);
	return NULL;
}

static void
compute(struct sl_return *r, const struct sl_params *p)
{
	struct sl_counts c;
	cJSON *doc = cJSON_Parse(counts_json);

	ck_assert_ptr_nonnull(doc);
	ck_assert(sl_counts_from_json(doc, p->agency_types, &c));
	cJSON_Delete(doc);
	sl_compute(&c, p, "cumbria", 2026, 4, D("2026-10-01"), D("2026-12-31"), r);
}

START_TEST(test_figures)
{
	struct sl_params p = params();
	struct sl_return r;
	const struct sl_figure *f;

	compute(&r, &p);
	ck_assert_int_eq(r.population, 230000);
	ck_assert_int_eq(fig(&r, "meetings")->count, 3);
	ck_assert_int_eq(fig(&r, "cases")->count, 12);
	f = fig(&r, "repeat_cases");
	ck_assert_int_eq(f->count, 4);
	ck_assert(fabs(f->percent - 100.0 * 4 / 12) < 1e-9);
	ck_assert_int_eq(f->rag, SL_RAG_GREEN);		/* 33.3% in 28-40 */
	ck_assert_int_eq(fig(&r, "referred_police")->count, 7);
	ck_assert_int_eq(fig(&r, "referred_idva")->count, 3);
	ck_assert_int_eq(fig(&r, "referred_health")->count, 1);
	ck_assert_int_eq(fig(&r, "referred_other")->count, 1);
	ck_assert_int_eq(fig(&r, "referred_housing")->count, 0);
	f = fig(&r, "referred_partners");
	ck_assert_int_eq(f->count, 5);
	/* 41.7% against at least 50: within a fifth below (40): amber. */
	ck_assert_int_eq(f->rag, SL_RAG_AMBER);
	ck_assert_int_eq(fig(&r, "victims_minoritised")->count, 3);
	ck_assert_int_eq(fig(&r, "victims_male")->count, 2);
	ck_assert_int_eq(fig(&r, "victims_disabled")->count, 1);
	f = fig(&r, "victims_lgbt");
	ck_assert_int_eq(f->count, 5);
	ck_assert_int_eq(f->rag, SL_RAG_RED);		/* 41.7% against at most 10 */
	ck_assert_int_eq(fig(&r, "victims_aged_16_17")->count, 2);
	ck_assert_int_eq(fig(&r, "perpetrators_under_18")->count, 2);
	ck_assert_int_eq(fig(&r, "children")->count, 14);
	/* 12 / 230000 * 10000 = 0.52 a quarter against 10 (40 a year). */
	f = fig(&r, "cases_per_10k");
	ck_assert(f->has_rate && fabs(f->rate - 0.5217391) < 1e-6);
	ck_assert(f->has_expected && f->expected.low == 10.0);
	ck_assert_int_eq(f->rag, SL_RAG_RED);
	ck_assert_int_eq(fig(&r, "victims_minoritised")->rag, SL_RAG_NONE);
}
END_TEST

START_TEST(test_small_numbers)
{
	struct sl_params p = params();
	struct sl_return r;
	char s[64];

	compute(&r, &p);
	sl_shown_count(&r, fig(&r, "victims_minoritised"), s, sizeof(s));
	ck_assert_str_eq(s, "fewer than 5");
	sl_shown_value(&r, fig(&r, "victims_minoritised"), s, sizeof(s));
	ck_assert_str_eq(s, "");
	sl_shown_count(&r, fig(&r, "victims_lgbt"), s, sizeof(s));
	ck_assert_str_eq(s, "5");
	sl_shown_value(&r, fig(&r, "victims_lgbt"), s, sizeof(s));
	ck_assert_str_eq(s, "41.7%");
	sl_shown_count(&r, fig(&r, "referred_housing"), s, sizeof(s));
	ck_assert_str_eq(s, "0");				/* none is no one */
	sl_shown_count(&r, fig(&r, "meetings"), s, sizeof(s));
	ck_assert_str_eq(s, "3");				/* not people */
	/* Off: every count as it is. */
	p.suppress_below = 0;
	compute(&r, &p);
	sl_shown_count(&r, fig(&r, "victims_minoritised"), s, sizeof(s));
	ck_assert_str_eq(s, "3");
}
END_TEST

START_TEST(test_quarters)
{
	int y, q;
	date_t f, t;

	ck_assert(sl_quarter_parse("2026Q4", &y, &q, &f, &t));
	ck_assert_int_eq(y, 2026);
	ck_assert_int_eq(q, 4);
	ck_assert_int_eq(f, D("2026-10-01"));
	ck_assert_int_eq(t, D("2026-12-31"));
	ck_assert(sl_quarter_parse("2028q1", &y, &q, &f, &t));
	ck_assert_int_eq(t, D("2028-03-31"));
	ck_assert(!sl_quarter_parse("2026Q5", &y, &q, &f, &t));
	ck_assert(!sl_quarter_parse("2026-Q4", &y, &q, &f, &t));
	ck_assert(!sl_quarter_parse("", &y, &q, &f, &t));
	sl_quarter_last(D("2026-12-09"), &y, &q, &f, &t);
	ck_assert_int_eq(f, D("2026-07-01"));
	ck_assert_int_eq(t, D("2026-09-30"));
	ck_assert_int_eq(q, 3);
	sl_quarter_last(D("2027-01-01"), &y, &q, &f, &t);
	ck_assert_int_eq(y, 2026);
	ck_assert_int_eq(q, 4);
}
END_TEST

START_TEST(test_ranges_and_params)
{
	struct sl_range r;
	struct sl_params p = params();

	ck_assert(sl_range_parse("28-40", &r) && r.has_low && r.has_high);
	ck_assert(sl_range_parse(" 40- ", &r) && r.has_low && !r.has_high);
	ck_assert(sl_range_parse("-2.5", &r) && !r.has_low && r.high == 2.5);
	ck_assert(sl_range_parse("", &r) && !r.has_low && !r.has_high);
	ck_assert(!sl_range_parse("40-28", &r));
	ck_assert(!sl_range_parse("lots", &r));
	ck_assert(!sl_range_parse("-", &r));
	ck_assert_int_eq(sl_rag(&(struct sl_range){ true, true, 28, 40 }, 41),
	    SL_RAG_AMBER);
	ck_assert_int_eq(sl_rag(&(struct sl_range){ true, true, 28, 40 }, 49),
	    SL_RAG_RED);
	ck_assert_ptr_null(params_check(&p));
	p.population = "cumbria";
	ck_assert_ptr_nonnull(params_check(&p));
	p = params();
	p.agency_types = "victim_support:charity";
	ck_assert_ptr_nonnull(params_check(&p));
	p = params();
	p.expected[SL_EXPECT_MALE] = "ten";
	ck_assert_str_eq(params_check(&p), "expected_male");
	ck_assert_int_eq(sl_population("eden:24000, cumbria:230000", "eden"), 24000);
	ck_assert_int_eq(sl_population("eden:24000", "cumbria"), 0);
	ck_assert_int_eq(sl_agency_type("childrens_social_care_north", ""),
	    SL_CHILDRENS_SOCIAL_CARE);
	ck_assert_int_eq(sl_agency_type("policeish", ""), SL_OTHER);
}
END_TEST

START_TEST(test_renderings)
{
	struct sl_params p = params();
	struct sl_return r;
	struct buf b;
	cJSON *j;
	char *text;

	compute(&r, &p);
	buf_init(&b);
	sl_csv(&r, &b);
	ck_assert(!buf_failed(&b));
	ck_assert_msg(strstr(buf_str(&b), "\"Quarter\",\"2026Q4\"") != NULL, "%s", buf_str(&b));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "\"Victims who are Black, Asian or racially minoritised\",\"fewer than 5\","
	    "\"\",\"\",\"\"\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "\"Repeat cases (repeat rate)\",\"fewer than 5\",\"\","
	    "\"28.0% to 40.0%\",\"\"\r\n"));
	buf_reset(&b);
	sl_html(&r, &b);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "<td>Children in the households</td><td>14</td>"));
	ck_assert_ptr_null(strstr(buf_str(&b), "<td>3</td><td>25.0%"));
	buf_free(&b);
	j = sl_json(&r);
	text = cJSON_PrintUnformatted(j);
	ck_assert_ptr_nonnull(strstr(text, "\"key\":\"victims_minoritised\","
	    "\"label\":\"Victims who are Black, Asian or racially minoritised\","
	    "\"count\":3,\"shown\":\"fewer than 5\",\"percent\":25"));
	free(text);
	cJSON_Delete(j);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("safelives", &tc);

	tcase_add_test(tc, test_figures);
	tcase_add_test(tc, test_small_numbers);
	tcase_add_test(tc, test_quarters);
	tcase_add_test(tc, test_ranges_and_params);
	tcase_add_test(tc, test_renderings);
	return unit_run(s);
}

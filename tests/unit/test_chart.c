/*
 * The report's bar charts (core/chart.c, core/render/chart_svg.c): bars in
 * proportion, a hidden small number drawn without a bar and not stretching
 * the scale, the expected range as a band, and SVG that escapes its text
 * and carries no style.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/chart.h"
#include "core/render/chart_svg.h"
#include "unit.h"

/* The drawing's rectangles of a colour, in order. */
static size_t
rects(const struct chart_drawing *d, enum chart_colour c,
    const struct chart_prim **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->p[i].kind == CHART_RECT && d->p[i].colour == c && n < max)
			out[n++] = &d->p[i];
	return n;
}

START_TEST(test_bars_in_proportion)
{
	struct chart c;
	struct chart_drawing d;
	const struct chart_prim *r[4];

	chart_init(&c, "by-month", "Referrals by month");
	ck_assert(chart_add(&c, "July 2026, MARAC", 20, false, "20", CHART_BLUE));
	ck_assert(chart_add(&c, "July 2026, MASC", 10, false, "10", CHART_BLUE));
	ck_assert(chart_add(&c, "August 2026, MARAC", 0, false, "0", CHART_BLUE));
	chart_layout(&c, 640, &d);
	ck_assert_int_eq(rects(&d, CHART_BLUE, r, 4), 2);	/* no bar for 0 */
	ck_assert(r[0]->w > 0 && r[1]->w * 2 == r[0]->w);
	ck_assert(r[0]->x == r[1]->x && r[1]->y > r[0]->y);
	/* The longest bar leaves room for its text inside the width. */
	ck_assert(r[0]->x + r[0]->w + 100 <= 640);
	ck_assert(d.height > r[1]->y + r[1]->h);
	/* Every bar says its value in words after it. */
	for (size_t i = 0, texts = 0; i < d.n; i++)
		if (d.p[i].kind == CHART_TEXT && strcmp(d.p[i].text, "10") == 0)
			ck_assert_int_eq(++texts, 1);
	ck_assert_int_eq(c.nbars, 3);
	for (int i = 3; i < CHART_BARS_MAX; i++)
		ck_assert(chart_add(&c, "x", 1, false, "1", CHART_BLUE));
	ck_assert(!chart_add(&c, "one too many", 1, false, "1", CHART_BLUE));
}
END_TEST

START_TEST(test_hidden_small_number)
{
	struct chart c;
	struct chart_drawing d;
	const struct chart_prim *r[4];

	chart_init(&c, "agency", "Referrals by agency");
	chart_add(&c, "Police", 10, false, "10", CHART_BLUE);
	chart_add(&c, "Housing", 40, true, "fewer than 5", CHART_BLUE);
	chart_layout(&c, 640, &d);
	/* Housing has no bar, and its value does not set the scale: police's is full. */
	ck_assert_int_eq(rects(&d, CHART_BLUE, r, 4), 1);
	ck_assert_double_eq_tol(r[0]->w, 640 * 0.64 - 110, 0.01);
	for (size_t i = 0; i < d.n; i++)
		if (d.p[i].kind == CHART_TEXT && strcmp(d.p[i].text, "fewer than 5") == 0)
			return;
	ck_abort_msg("the hidden bar's text is missing");
}
END_TEST

START_TEST(test_band)
{
	struct chart c;
	struct chart_drawing d;
	const struct chart_prim *band[2], *bar[2];

	chart_init(&c, "repeat", "Repeat rate");
	c.band = true;
	c.band_low = 28;
	c.band_high = 40;
	c.max = 100;
	snprintf(c.band_label, sizeof(c.band_label), "Expected: 28%% to 40%%");
	chart_add(&c, "Repeat rate", 33.3, false, "33.3%", CHART_GREEN);
	chart_layout(&c, 640, &d);
	ck_assert_int_eq(rects(&d, CHART_BAND, band, 2), 1);
	ck_assert_int_eq(rects(&d, CHART_GREEN, bar, 2), 1);
	/* The band spans 28..40 of the scale; the bar ends inside it. */
	ck_assert(band[0]->x < bar[0]->x + bar[0]->w);
	ck_assert(bar[0]->x + bar[0]->w < band[0]->x + band[0]->w);
	ck_assert_double_eq_tol(band[0]->w, (640 * 0.64 - 110) * 0.12, 0.01);
	/* Open above: the band runs to the scale's end. */
	c.band_high = -1;
	chart_layout(&c, 640, &d);
	rects(&d, CHART_BAND, band, 2);
	ck_assert_double_eq_tol(band[0]->x + band[0]->w, 640 * 0.36 + 640 * 0.64 - 110, 0.01);
}
END_TEST

START_TEST(test_svg)
{
	struct chart c;
	struct buf b;
	const char *s;

	chart_init(&c, "rag", "Actions by RAG <status>");
	chart_add(&c, "Red & overdue", 3, false, "3", CHART_RED);
	buf_init(&b);
	chart_svg(&c, 640, &b);
	s = buf_str(&b);
	ck_assert(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-labelledby=\"rag-title\"", 70) == 0);
	ck_assert_ptr_nonnull(strstr(s, "<title id=\"rag-title\">Actions by RAG "
	    "&lt;status&gt;</title>"));
	ck_assert_ptr_nonnull(strstr(s, ">Red &amp; overdue</text>"));
	ck_assert_ptr_nonnull(strstr(s, "fill=\"#d4351c\""));
	ck_assert_ptr_null(strstr(s, "style"));
	ck_assert_ptr_nonnull(strstr(s, "</svg>\n"));
	buf_free(&b);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("chart", &tc);

	tcase_add_test(tc, test_bars_in_proportion);
	tcase_add_test(tc, test_hidden_small_number);
	tcase_add_test(tc, test_band);
	tcase_add_test(tc, test_svg);
	return unit_run(s);
}

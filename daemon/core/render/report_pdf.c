/*
 * The quarterly report as PDF (core/render/pdf.c): the charts drawn from
 * the same layout as their SVG (core/chart.c), then the figures, one line
 * each, with the small-number rule of the HTML.
 */
#include "core/report.h"
#include "core/render/pdf.h"
#include "core/render/winansi.h"

#include <stdio.h>

#define CHART_W	495.0	/* the column of an A4 page */

static void
draw_chart(struct pdf *p, const struct chart *c)
{
	struct chart_drawing d;
	struct buf t;
	HPDF_Page page;
	float x0, top, r, g, b;

	chart_layout(c, CHART_W, &d);
	if ((page = pdf_space(p, (float)d.height + 8, &x0, &top)) == NULL)
		return;
	buf_init(&t);
	for (size_t i = 0; i < d.n; i++) {
		const struct chart_prim *q = &d.p[i];
		float x = x0 + (float)q->x, y = top - (float)q->y;

		chart_colour_components(q->colour, &r, &g, &b);
		if (q->kind == CHART_RECT) {
			HPDF_Page_SetRGBFill(page, r, g, b);
			HPDF_Page_Rectangle(page, x, y - (float)q->h, (float)q->w,
			    (float)q->h);
			HPDF_Page_Fill(page);
			continue;
		}
		buf_reset(&t);
		winansi_encode(&t, q->text);
		if (buf_failed(&t)) {
			p->failed = true;
			break;
		}
		HPDF_Page_SetRGBFill(page, r, g, b);
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, q->bold ? p->bold : p->regular,
		    PDF_TEXT_SIZE);
		if (q->end)
			x -= HPDF_Page_TextWidth(page, buf_str(&t));
		HPDF_Page_TextOut(page, x, y, buf_str(&t));
		HPDF_Page_EndText(page);
	}
	HPDF_Page_SetRGBFill(page, 0, 0, 0);
	buf_free(&t);
}

int
report_pdf(const struct report *r, struct buf *out)
{
	struct pdf	 p;
	char		 line[256], d1[DATE_STRLEN], d2[DATE_STRLEN], n[64], v[64];

	if (pdf_begin(&p, "Quarterly report", NULL, true, NULL) != 0)
		return -1;
	snprintf(line, sizeof(line), "Quarterly report: %s, %04d Q%d", r->sl.area,
	    r->sl.year, r->sl.quarter);
	pdf_heading(&p, 14, line);
	snprintf(line, sizeof(line), "From %s to %s.", date_format(r->sl.from, d1),
	    date_format(r->sl.to, d2));
	pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0, line);
	if (r->sl.suppress_below > 0) {
		snprintf(line, sizeof(line), "Counts from 1 to %d are shown as \"fewer "
		    "than %d\", and their bars are not drawn.", r->sl.suppress_below - 1,
		    r->sl.suppress_below);
		pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0, line);
	}
	for (int i = 0; i < REPORT_CHARTS; i++) {
		pdf_gap(&p, 10);
		draw_chart(&p, &r->charts[i]);
	}
	pdf_heading(&p, 12, "SafeLives MARAC return");
	for (size_t i = 0; i < r->sl.nfigures; i++) {
		const struct sl_figure *f = &r->sl.figures[i];

		sl_shown_count(&r->sl, f, n, sizeof(n));
		sl_shown_value(&r->sl, f, v, sizeof(v));
		snprintf(line, sizeof(line), "%s%s%s", n[0] != '\0' ? n : "-",
		    v[0] != '\0' ? ", " : "", v);
		pdf_field(&p, f->label, line);
	}
	pdf_heading(&p, 12, "MASC indicators");
	{
		const cJSON *m = r->masc, *h, *o, *e;

		h = cJSON_GetObjectItemCaseSensitive(m, "referral_to_hearing");
		snprintf(line, sizeof(line), "%d", cJSON_GetObjectItemCaseSensitive(m,
		    "meetings")->valueint);
		pdf_field(&p, "MASC meetings held", line);
		report_count(r, cJSON_GetObjectItemCaseSensitive(h, "cases")->valueint,
		    n, sizeof(n));
		pdf_field(&p, "Cases heard", n);
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(h, "median_days"))) {
			snprintf(line, sizeof(line), "median %g, 90th percentile %d",
			    cJSON_GetObjectItemCaseSensitive(h, "median_days")->valuedouble,
			    cJSON_GetObjectItemCaseSensitive(h, "p90_days")->valueint);
			pdf_field(&p, "Days from referral to hearing", line);
		}
		o = cJSON_GetObjectItemCaseSensitive(m, "outcomes");
		report_count(r, cJSON_GetObjectItemCaseSensitive(o, "cases_decided")->valueint,
		    n, sizeof(n));
		pdf_field(&p, "Cases decided", n);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "spo")) {
			report_count(r, e->valueint, n, sizeof(n));
			snprintf(line, sizeof(line), "Stalking Protection Order: %s", e->string);
			pdf_field(&p, line, n);
		}
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "onward_referrals")) {
			report_count(r, e->valueint, n, sizeof(n));
			snprintf(line, sizeof(line), "Onward referral: %s", e->string);
			pdf_field(&p, line, n);
		}
	}
	pdf_running(&p, "OFFICIAL", "maracd quarterly report");
	return pdf_finish(&p, out);
}

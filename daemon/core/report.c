/*
 * The quarterly report: see report.h.  The charts are built here from the
 * counts; core/render/chart_svg.c and core/render/report_pdf.c draw them.
 */
#include "core/report.h"
#include "core/action.h"
#include "core/masc_indicators.h"
#include "core/render/chart_svg.h"
#include "core/render/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The charts' width: an A4 column in points, pixels on screen. */
#define REPORT_CHART_W	495.0

static const char *const months[] = { "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November",
    "December" };

static const struct {
	const char		*key, *label;
	enum chart_colour	 colour;
} forums[] = {
	{ "marac", "MARAC", CHART_BLUE },
	{ "masc", "MASC", CHART_PURPLE },
	{ "below_threshold", "below threshold", CHART_GREY },
};

static bool
small(const struct report *r, long n)
{
	return r->sl.suppress_below > 0 && n >= 1 && n < r->sl.suppress_below;
}

void
report_count(const struct report *r, long n, char *buf, size_t len)
{
	if (small(r, n))
		snprintf(buf, len, "fewer than %d", r->sl.suppress_below);
	else
		snprintf(buf, len, "%ld", n);
}

static long
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}

/* A bar of a count: hidden when small. */
static void
count_bar(struct report *r, struct chart *c, const char *label, long n,
    enum chart_colour colour)
{
	char shown[32];

	report_count(r, n, shown, sizeof(shown));
	chart_add(c, label, (double)n, small(r, n), shown, colour);
}

static void
by_month(struct report *r, const cJSON *report)
{
	struct chart *c = &r->charts[REPORT_BY_MONTH];
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(report, "months");
	int y, mo, d;

	chart_init(c, "chart-by-month", "Referrals received, by month and forum");
	for (date_t t = r->sl.from; t <= r->sl.to; t = date_add_months(t, 1)) {
		char key[8], label[CHART_LABEL_MAX];
		const cJSON *f;

		date_to_ymd(t, &y, &mo, &d);
		snprintf(key, sizeof(key), "%04d-%02d", y, mo);
		f = cJSON_GetObjectItemCaseSensitive(m, key);
		for (size_t i = 0; i < sizeof(forums) / sizeof(forums[0]); i++) {
			snprintf(label, sizeof(label), "%s %d, %s", months[mo - 1], y,
			    forums[i].label);
			count_bar(r, c, label, num(f, forums[i].key), forums[i].colour);
		}
	}
}

static const struct sl_figure *
figure(const struct sl_return *sl, const char *key)
{
	for (size_t i = 0; i < sl->nfigures; i++)
		if (strcmp(sl->figures[i].key, key) == 0)
			return &sl->figures[i];
	return NULL;
}

static void
repeat_rate(struct report *r)
{
	struct chart *c = &r->charts[REPORT_REPEAT_RATE];
	const struct sl_figure *f = figure(&r->sl, "repeat_cases");
	char shown[48], exp[32];
	enum chart_colour colour = CHART_BLUE;
	double top;

	chart_init(c, "chart-repeat-rate", "Repeat rate of the cases discussed at MARAC");
	if (f == NULL)
		return;
	if (f->has_expected) {
		c->band = true;
		c->band_low = f->expected.has_low ? f->expected.low : 0;
		c->band_high = f->expected.has_high ? f->expected.high : -1;
		sl_expected_text(f, exp, sizeof(exp));
		snprintf(c->band_label, sizeof(c->band_label), "Expected range (shaded): %s",
		    exp);
	}
	if (f->rag == SL_RAG_GREEN)
		colour = CHART_GREEN;
	else if (f->rag == SL_RAG_AMBER)
		colour = CHART_AMBER;
	else if (f->rag == SL_RAG_RED)
		colour = CHART_RED;
	sl_shown_value(&r->sl, f, shown, sizeof(shown));
	if (shown[0] == '\0')
		snprintf(shown, sizeof(shown), sl_hidden(&r->sl, f) ?
		    "not shown: fewer than %d repeat cases" : "no case discussed",
		    r->sl.suppress_below);
	else if (f->rag != SL_RAG_NONE)
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), " (%s)",
		    sl_rag_name(f->rag));
	chart_add(c, "Repeat rate", f->has_percent ? f->percent : 0,
	    !f->has_percent || sl_hidden(&r->sl, f), shown, colour);
	/* Room to see the range and the rate: a quarter more than either. */
	top = f->has_percent && !sl_hidden(&r->sl, f) ? f->percent : 0;
	if (c->band && c->band_low > top)
		top = c->band_low;
	if (c->band && c->band_high > top)
		top = c->band_high;
	c->max = top > 0 ? top * 1.25 : 100;
}

static int
by_count(const void *a, const void *b)
{
	const struct chart_bar *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->label, y->label);
}

static void
by_agency(struct report *r, const cJSON *report)
{
	struct chart *c = &r->charts[REPORT_BY_AGENCY];
	const cJSON *e;

	chart_init(c, "chart-by-agency", "Referrals received, by referring agency");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(report, "by_agency"))
		if (cJSON_IsNumber(e))
			count_bar(r, c, e->string, (long)e->valuedouble, CHART_BLUE);
	/* Most first; a hidden count sorts by its value but shows none. */
	qsort(c->bars, c->nbars, sizeof(c->bars[0]), by_count);
}

static void
actions_rag(struct report *r, const cJSON *report, date_t today)
{
	struct chart *c = &r->charts[REPORT_ACTIONS_RAG];
	long n[4] = { 0 };	/* red, amber, green, closed */
	const cJSON *e;

	chart_init(c, "chart-actions-rag", "Actions agreed in the quarter, by RAG status today");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(report, "actions")) {
		const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "status"));
		const char *due = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "due"));
		date_t d;
		int s = -1;

		for (int i = 0; st != NULL && action_statuses[i] != NULL; i++)
			if (strcmp(st, action_statuses[i]) == 0)
				s = i;
		if (s < 0 || due == NULL || !date_parse(due, &d))
			continue;
		switch (action_rag((enum action_status)s, d, today)) {
		case ACTION_RAG_RED: n[0] += num(e, "n"); break;
		case ACTION_RAG_AMBER: n[1] += num(e, "n"); break;
		case ACTION_RAG_GREEN: n[2] += num(e, "n"); break;
		default: n[3] += num(e, "n"); break;
		}
	}
	count_bar(r, c, "Red: overdue", n[0], CHART_RED);
	count_bar(r, c, "Amber: due within 7 days", n[1], CHART_AMBER);
	count_bar(r, c, "Green: on track", n[2], CHART_GREEN);
	count_bar(r, c, "Closed", n[3], CHART_GREY);
}

struct report *
report_build(const cJSON *counts, const struct sl_params *p, const char *area,
    int year, int quarter, date_t from, date_t to, date_t today)
{
	struct report *r;
	struct sl_counts c;
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(counts, "report");

	if (!cJSON_IsObject(rep) || !sl_counts_from_json(
	    cJSON_GetObjectItemCaseSensitive(counts, "safelives"), p->agency_types, &c))
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	sl_compute(&c, p, area, year, quarter, from, to, &r->sl);
	r->masc = masc_indicators_json(cJSON_GetObjectItemCaseSensitive(counts, "masc"),
	    area, year, quarter, from, to);
	if (r->masc == NULL) {
		free(r);
		return NULL;
	}
	by_month(r, rep);
	repeat_rate(r);
	by_agency(r, rep);
	actions_rag(r, rep, today);
	return r;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	cJSON_Delete(r->masc);
	free(r);
}

/* --- HTML ------------------------------------------------------------- */

static void
masc_html(const struct report *r, struct buf *out)
{
	const cJSON *m = r->masc, *h, *o, *e;
	char s[32];

	h = cJSON_GetObjectItemCaseSensitive(m, "referral_to_hearing");
	buf_printf(out, "<h2>MASC indicators</h2>\n<table>\n<tr><th>MASC meetings held"
	    "</th><td>%ld</td></tr>\n", num(m, "meetings"));
	report_count(r, num(h, "cases"), s, sizeof(s));
	buf_printf(out, "<tr><th>Cases heard</th><td>%s</td></tr>\n", s);
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(h, "median_days")))
		buf_printf(out, "<tr><th>Days from referral to hearing: median</th>"
		    "<td>%g</td></tr>\n<tr><th>Days from referral to hearing: 90th "
		    "percentile</th><td>%ld</td></tr>\n", cJSON_GetObjectItemCaseSensitive(h,
		    "median_days")->valuedouble, num(h, "p90_days"));
	o = cJSON_GetObjectItemCaseSensitive(m, "outcomes");
	report_count(r, num(o, "cases_decided"), s, sizeof(s));
	buf_printf(out, "<tr><th>Cases decided</th><td>%s</td></tr>\n", s);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "spo")) {
		report_count(r, (long)e->valuedouble, s, sizeof(s));
		buf_puts(out, "<tr><th>Stalking Protection Order: ");
		for (const char *c = e->string; *c != '\0'; c++)
			buf_putc(out, *c == '_' ? ' ' : *c);
		buf_printf(out, "</th><td>%s</td></tr>\n", s);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "onward_referrals")) {
		report_count(r, (long)e->valuedouble, s, sizeof(s));
		buf_puts(out, "<tr><th>Onward referral: ");
		for (const char *c = e->string; *c != '\0'; c++)
			buf_putc(out, *c == '_' ? ' ' : *c);
		buf_printf(out, "</th><td>%s</td></tr>\n", s);
	}
	buf_puts(out, "</table>\n<h3>Actions completed by their due date</h3>\n<table>\n"
	    "<tr><th>Agency</th><th>Due</th><th>Completed by the due date</th>"
	    "<th>Percent</th></tr>\n");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m, "actions_by_due_date")) {
		long due = num(e, "due"), done = num(e, "completed_by_due_date");
		const cJSON *pc = cJSON_GetObjectItemCaseSensitive(e, "percent");
		char d2[32];

		buf_puts(out, "<tr><td>");
		html_escape(out, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "agency")));
		report_count(r, due, s, sizeof(s));
		report_count(r, done, d2, sizeof(d2));
		buf_printf(out, "</td><td>%s</td><td>%s</td><td>", s, d2);
		/* A share of a hidden count would give it back. */
		if (cJSON_IsNumber(pc) && !small(r, due) && !small(r, done))
			buf_printf(out, "%.1f%%", pc->valuedouble);
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</table>\n<h3>Agency attendance at the meetings</h3>\n<table>\n"
	    "<tr><th>Agency</th><th>Meetings attended</th><th>Percent</th></tr>\n");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m, "attendance")) {
		const cJSON *pc = cJSON_GetObjectItemCaseSensitive(e, "percent");

		buf_puts(out, "<tr><td>");
		html_escape(out, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "agency")));
		buf_printf(out, "</td><td>%ld</td><td>", num(e, "meetings_attended"));
		if (cJSON_IsNumber(pc))
			buf_printf(out, "%.1f%%", pc->valuedouble);
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</table>\n");
}

void
report_html(const struct report *r, struct buf *out)
{
	char d1[DATE_STRLEN], d2[DATE_STRLEN];

	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>Quarterly report</title><style>"
	    "body{font-family:Arial,sans-serif;max-width:60em}table{border-collapse:collapse}"
	    "td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
	    ".green{background:#cfc}.amber{background:#fe9}.red{background:#f99}"
	    "figure{margin:1em 0}</style></head><body>\n<h1>Quarterly report: ");
	html_escape(out, r->sl.area);
	buf_printf(out, ", %04d Q%d</h1>\n<p>From %s to %s.", r->sl.year, r->sl.quarter,
	    date_format(r->sl.from, d1), date_format(r->sl.to, d2));
	if (r->sl.suppress_below > 0)
		buf_printf(out, " Counts from 1 to %d are shown as \"fewer than %d\", and "
		    "their bars are not drawn.", r->sl.suppress_below - 1,
		    r->sl.suppress_below);
	buf_puts(out, "</p>\n<h2>Charts</h2>\n");
	for (int i = 0; i < REPORT_CHARTS; i++) {
		buf_puts(out, "<figure>\n");
		chart_svg(&r->charts[i], REPORT_CHART_W + 145, out);
		buf_puts(out, "</figure>\n");
	}
	buf_puts(out, "<h2>SafeLives MARAC return</h2>\n");
	sl_html_table(&r->sl, out);
	masc_html(r, out);
	buf_puts(out, "</body></html>\n");
}

void
report_text(const struct report *r, struct buf *out)
{
	const struct sl_figure *f = figure(&r->sl, "cases");
	char s[32];

	buf_printf(out, "The quarterly report of area %s for %04d Q%d is attached, as a "
	    "web page (HTML) and as a PDF.\n\n", r->sl.area, r->sl.year, r->sl.quarter);
	if (f != NULL) {
		sl_shown_count(&r->sl, f, s, sizeof(s));
		buf_printf(out, "MARAC cases discussed: %s\n", s);
	}
	buf_printf(out, "MASC meetings held: %ld\n", num(r->masc, "meetings"));
	if (r->sl.suppress_below > 0)
		buf_printf(out, "\nCounts from 1 to %d are shown as \"fewer than %d\".\n",
		    r->sl.suppress_below - 1, r->sl.suppress_below);
	buf_puts(out, "\nThis message carries no personal details.\n");
}

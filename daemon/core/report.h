/*
 * The quarterly report of an area (docs/statistics.md, The quarterly
 * report): the SafeLives return, the MASC indicators and four charts
 * (referrals by month and forum, the repeat rate against its expected
 * range, referrals by agency, actions by RAG), for the steering group.
 * It leaves the coordinator's hands: every count of people or actions
 * from 1 to suppress_below - 1 is "fewer than N", in the charts as in the
 * tables.  Made from the counts the database gives (statistics_safelives,
 * statistics_masc, statistics_report: sql/011_statistics.sql).  Pure: the counts,
 * the settings and today come in.
 */
#ifndef MARACD_CORE_REPORT_H
#define MARACD_CORE_REPORT_H

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/chart.h"
#include "core/date.h"
#include "core/safelives.h"

enum report_chart {
	REPORT_BY_MONTH,
	REPORT_REPEAT_RATE,
	REPORT_BY_AGENCY,
	REPORT_ACTIONS_RAG,
	REPORT_CHARTS
};

struct report {
	struct sl_return	 sl;
	cJSON			*masc;		/* masc_indicators_json's */
	struct chart		 charts[REPORT_CHARTS];
};

/*
 * counts: {"safelives": ..., "masc": ..., "report": ...} as the database
 * made them.  A report to free with report_free, or NULL when counts is
 * not of that shape (or no memory).
 */
struct report *report_build(const cJSON *counts, const struct sl_params *,
	    const char *area, int year, int quarter, date_t from, date_t to,
	    date_t today);
void	report_free(struct report *);

/* A count as the report shows it: "fewer than 5" when small. */
void	report_count(const struct report *, long n, char *buf, size_t len);

/* A whole HTML document: the charts as SVG, then the figures. */
void	report_html(const struct report *, struct buf *out);
/* The same as PDF (core/render/report_pdf.c); 0, or -1 on failure. */
int	report_pdf(const struct report *, struct buf *out);
/* The mail's text: what is attached, and the headline figures. */
void	report_text(const struct report *, struct buf *out);

#endif

/*
 * The quarterly returns of one area:
 *   GET /v1/statistics/safelives?area=&quarter=&format=: the SafeLives
 *   MARAC return (core/safelives.c, with [statistics]);
 *   GET /v1/statistics/masc?area=&quarter=: the MASC indicators
 *   (core/masc_indicators.c);
 *   GET /v1/statistics/report?area=&quarter=&format=: the quarterly
 *   report with its charts (core/report.c), as HTML or PDF.
 * The database counts, set-based, what row-level security lets the
 * caller see (statistics_safelives, statistics_masc: sql/011); the core
 * makes the figures from the counts and renders them.  Reads are audited.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "shell/config.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/masc_indicators.h"
#include "core/report.h"
#include "core/safelives.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/db.h"
#include "statements/statistics.h"

enum sl_format { SL_JSON, SL_CSV, SL_HTML, SL_PDF };

static const char *const content_types[] = {
	"application/json", "text/csv; charset=utf-8", "text/html; charset=utf-8",
	"application/pdf"
};

enum sl_kind { SL_SAFELIVES, SL_MASC, SL_REPORT };

struct slreq {
	struct http_req	*r;
	enum sl_kind	 kind;
	enum sl_format	 fmt;
	char		 area[SL_AREA_MAX];
	int		 year;
	int		 quarter;
	date_t		 from;
	date_t		 to;
};

static void
sl_params_of(const struct config *cfg, struct sl_params *p)
{
	memset(p, 0, sizeof(*p));
	p->population = cfg->statistics.population;
	p->agency_types = cfg->statistics.agency_types;
	for (int i = 0; i < SL_EXPECT_COUNT; i++)
		p->expected[i] = cfg->statistics.expected[i];
	p->suppress_below = cfg->statistics.suppress_below;
}

/* An answer of out's bytes (taken), or 503 when they could not be made. */
static void
reply_body(struct slreq *q, struct buf *out, const char *filename)
{
	struct http_req *r = q->r;
	char cd[96];

	if (buf_failed(out) || out->data == NULL) {
		buf_free(out);
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	if (filename != NULL) {
		snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
		http_add_header(r, "Content-Disposition", cd);
	}
	/* The answer takes the bytes. */
	http_reply_commit_body(r, 200, content_types[q->fmt], out->data, out->len);
}

/* The quarterly report of q's area and quarter, as HTML or PDF. */
static void
reported(struct slreq *q, const cJSON *doc, const struct sl_params *p)
{
	struct report *rep = report_build(doc, p, q->area, q->year, q->quarter,
	    q->from, q->to, api_today());
	struct buf out;

	if (rep == NULL) {
		http_reply_error(q->r, 500, "internal", "the counts could not be read");
		return;
	}
	buf_init(&out);
	if (q->fmt == SL_PDF) {
		if (report_pdf(rep, &out) != 0)
			out.failed = true;
	} else {
		report_html(rep, &out);
	}
	report_free(rep);
	reply_body(q, &out, q->fmt == SL_PDF ? "quarterly-report.pdf" : NULL);
}

static void
counted(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct slreq	*q = arg;
	struct http_req	*r = q->r;
	struct sl_params p;
	struct sl_counts c;
	struct sl_return ret;
	struct buf	 out;
	cJSON		*doc;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		free(q);
		return;
	}
	sl_params_of(r->app->cfg, &p);
	doc = cJSON_Parse(PQgetvalue(res, 0, 0));
	if (q->kind == SL_REPORT) {
		reported(q, doc, &p);
		cJSON_Delete(doc);
		free(q);
		return;
	}
	if (q->kind == SL_MASC) {
		cJSON *o = masc_indicators_json(doc, q->area, q->year, q->quarter,
		    q->from, q->to);

		cJSON_Delete(doc);
		if (o == NULL)
			http_reply_error(r, 500, "internal",
			    "the counts could not be read");
		else
			http_reply_commit(r, 200, o);
		free(q);
		return;
	}
	if (!sl_counts_from_json(doc, p.agency_types, &c)) {
		cJSON_Delete(doc);
		http_reply_error(r, 500, "internal", "the counts could not be read");
		free(q);
		return;
	}
	cJSON_Delete(doc);
	sl_compute(&c, &p, q->area, q->year, q->quarter, q->from, q->to, &ret);
	if (q->fmt == SL_JSON) {
		http_reply_commit(r, 200, sl_json(&ret));
		free(q);
		return;
	}
	buf_init(&out);
	if (q->fmt == SL_CSV)
		sl_csv(&ret, &out);
	else if (q->fmt == SL_HTML)
		sl_html(&ret, &out);
	else if (sl_pdf(&ret, &out) != 0)
		out.failed = true;
	reply_body(q, &out, q->fmt == SL_HTML ? NULL : q->fmt == SL_CSV ?
	    "safelives-return.csv" : "safelives-return.pdf");
	free(q);
}

static void
quarterly(struct http_req *r, enum sl_kind kind)
{
	static const char *const sql[] = { STATISTICS_SQL_SAFELIVES,
	    STATISTICS_SQL_MASC, STATISTICS_SQL_REPORT };
	const char *area = http_query_get(r, "area");
	const char *quarter = http_query_get(r, "quarter");
	const char *format = http_query_get(r, "format");
	char from[DATE_STRLEN], to[DATE_STRLEN], today[DATE_STRLEN];
	const char *params[4] = { NULL, from, to, today };
	struct field_errors errs;
	struct slreq *q;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	q->r = r;
	q->kind = kind;
	field_errors_init(&errs);
	if (area == NULL)
		area = r->app->cfg->area;
	if (area[0] == '\0' || strlen(area) >= sizeof(q->area) ||
	    strspn(area, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(area))
		field_errors_add(&errs, "area", "must be an area code");
	else
		memcpy(q->area, area, strlen(area) + 1);
	if (quarter == NULL)
		sl_quarter_last(api_today(), &q->year, &q->quarter, &q->from, &q->to);
	else if (!sl_quarter_parse(quarter, &q->year, &q->quarter, &q->from,
	    &q->to))
		field_errors_add(&errs, "quarter", "must be a quarter written "
		    "YYYYQn, like 2026Q4 (October to December 2026)");
	if (kind == SL_REPORT) {
		/* The partnership's report: a document, never the counts. */
		if (format == NULL || strcmp(format, "html") == 0)
			q->fmt = SL_HTML;
		else if (strcmp(format, "pdf") == 0)
			q->fmt = SL_PDF;
		else
			field_errors_add(&errs, "format", "must be html or pdf");
	} else if (format == NULL || strcmp(format, "json") == 0)
		q->fmt = SL_JSON;
	else if (kind == SL_MASC)
		field_errors_add(&errs, "format", "must be json");
	else if (strcmp(format, "csv") == 0)
		q->fmt = SL_CSV;
	else if (strcmp(format, "html") == 0)
		q->fmt = SL_HTML;
	else if (strcmp(format, "pdf") == 0)
		q->fmt = SL_PDF;
	else
		field_errors_add(&errs, "format", "must be json, csv, html or pdf");
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		free(q);
		return;
	}
	params[0] = q->area;
	date_format(q->from, from);
	date_format(q->to, to);
	date_format(api_today(), today);
	db_query(r->txn, sql[kind], 4, params, counted, q);
}

void
api_statistics_safelives(struct http_req *r)
{
	quarterly(r, SL_SAFELIVES);
}

void
api_statistics_masc(struct http_req *r)
{
	quarterly(r, SL_MASC);
}

void
api_statistics_report(struct http_req *r)
{
	quarterly(r, SL_REPORT);
}

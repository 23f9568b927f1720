/*
 * The quarterly report's mail: see reportjob.h.  Counting is the
 * database's (report_mail_counts), the report the core's (core/report.c);
 * this file chains the two statements.
 */
#include "shell/reportjob.h"
#include "shell/app.h"
#include "shell/clock.h"
#include "shell/config.h"
#include "shell/db.h"
#include "shell/log.h"
#include "shell/scheduler.h"
#include "core/report.h"
#include "statements/statistics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
	struct sched_run	*run;
	const struct config	*cfg;
	char			 quarter[16];
	char			 from[DATE_STRLEN];
	char			 to[DATE_STRLEN];
	char			 today[DATE_STRLEN];
	int			 year, q;
	date_t			 dfrom, dto, dtoday;
};

static void
queued(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		sched_run_failed(j->run, "queueing the report", res);
		return;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		log_info("job %s: the quarterly report of %s for %s is queued",
		    sched_run_name(j->run), j->cfg->area, j->quarter);
	sched_run_done(j->run);
}

/* "\x" and the bytes in hex: bytea's text input. */
static char *
hex(const struct buf *b)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * b->len + 3), *p = s;

	if (s == NULL)
		return NULL;
	*p++ = '\\';
	*p++ = 'x';
	for (size_t i = 0; i < b->len; i++) {
		*p++ = digits[(unsigned char)b->data[i] >> 4];
		*p++ = digits[(unsigned char)b->data[i] & 15];
	}
	*p = '\0';
	return s;
}

static void
counted(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	struct sl_params p;
	struct report *r;
	struct buf text, html, pdf;
	char subject[128], *pdfhex = NULL;
	const char *params[7];
	cJSON *doc;

	if (!db_ok(res) || PQntuples(res) != 1) {
		sched_run_failed(j->run, "counting", res);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {	/* mailed already */
		sched_run_done(j->run);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.population = j->cfg->statistics.population;
	p.agency_types = j->cfg->statistics.agency_types;
	for (int i = 0; i < SL_EXPECT_COUNT; i++)
		p.expected[i] = j->cfg->statistics.expected[i];
	p.suppress_below = j->cfg->statistics.suppress_below;
	doc = cJSON_Parse(PQgetvalue(res, 0, 0));
	r = report_build(doc, &p, j->cfg->area, j->year, j->q, j->dfrom, j->dto,
	    j->dtoday);
	cJSON_Delete(doc);
	if (r == NULL) {
		sched_run_failed(j->run, "reading the counts", NULL);
		return;
	}
	buf_init(&text);
	buf_init(&html);
	buf_init(&pdf);
	report_text(r, &text);
	report_html(r, &html);
	if (report_pdf(r, &pdf) != 0)
		pdf.failed = true;
	report_free(r);
	if (!buf_failed(&pdf))
		pdfhex = hex(&pdf);
	if (buf_failed(&text) || buf_failed(&html) || pdfhex == NULL) {
		sched_run_failed(j->run, "rendering the report", NULL);
	} else {
		snprintf(subject, sizeof(subject), "Quarterly report: %s, %s",
		    j->cfg->area, j->quarter);
		params[0] = j->cfg->area;
		params[1] = j->quarter;
		params[2] = j->cfg->statistics.report_recipients;
		params[3] = subject;
		params[4] = buf_str(&text);
		params[5] = buf_str(&html);
		params[6] = pdfhex;
		db_query(txn, STATISTICS_SQL_REPORT_MAIL_ENQUEUE, 7, params, queued, j);
	}
	free(pdfhex);
	buf_free(&text);
	buf_free(&html);
	buf_free(&pdf);
}

void
reportjob_run(struct sched_run *run, struct db_txn *txn, void *arg)
{
	struct app *app = arg;
	struct job *j;
	const char *params[5];

	if (app->cfg->statistics.report_recipients[0] == '\0') {
		sched_run_done(run);
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		sched_run_failed(run, "starting", NULL);
		return;
	}
	j->run = run;
	j->cfg = app->cfg;
	sched_run_keep(run, j, free);
	j->dtoday = clock_today();
	sl_quarter_last(j->dtoday, &j->year, &j->q, &j->dfrom, &j->dto);
	snprintf(j->quarter, sizeof(j->quarter), "%04dQ%d", j->year, j->q);
	date_format(j->dfrom, j->from);
	date_format(j->dto, j->to);
	date_format(j->dtoday, j->today);
	params[0] = app->cfg->area;
	params[1] = j->quarter;
	params[2] = j->from;
	params[3] = j->to;
	params[4] = j->today;
	db_query(txn, STATISTICS_SQL_REPORT_MAIL_COUNTS, 5, params, counted, j);
}

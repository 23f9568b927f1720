/*
 * The research reminders job (researchjob.h): the calendar for today and
 * the working days, the rows the database selects, the messages the core
 * builds, one outbox_enqueue each.  This file only moves them along.
 */
#include "shell/researchjob.h"
#include "shell/app.h"
#include "shell/calendar.h"
#include "shell/config.h"
#include "shell/db.h"
#include "shell/log.h"
#include "shell/scheduler.h"
#include "core/research_remind.h"
#include "core/workdays.h"
#include "statements/research.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
	struct sched_run	*run;
	struct db_txn		*txn;
	struct calendar_stmt		 cs;
	int			 workdays;
	char			*base_url;
	PGresult		*rows;
	int			 next;
	int			 enqueued;
};

static void
job_free(void *arg)
{
	struct job *j = arg;

	calendar_stmt_free(&j->cs);
	PQclear(j->rows);
	free(j->base_url);
	free(j);
}

static void job_next(struct job *j);

static void
job_enqueued(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		sched_run_failed(j->run, "enqueueing a research reminder", res);
		return;
	}
	/* NULL: the same key went in first, from another process. */
	if (!PQgetisnull(res, 0, 0))
		j->enqueued++;
	job_next(j);
}

/* Row i of the selection as the core's message; -1 if it cannot be built. */
static int
enqueue_row(struct job *j, int i)
{
	cJSON *refs = cJSON_Parse(PQgetvalue(j->rows, i, 8)), *e;
	const char *list[256];
	struct research_remind m = {
		.sitting_id = strtoll(PQgetvalue(j->rows, i, 0), NULL, 10),
		.forum = PQgetvalue(j->rows, i, 1),
		.sitting_date = PQgetvalue(j->rows, i, 2),
		.due = PQgetvalue(j->rows, i, 3),
		.agency = PQgetvalue(j->rows, i, 4),
		.agency_name = PQgetvalue(j->rows, i, 5),
		.refs = list,
		.base_url = j->base_url,
	};
	char key[RESEARCH_REMIND_KEY_MAX];
	struct buf subject, text, html;
	const char *p[6];
	int rc = -1;

	cJSON_ArrayForEach(e, refs)
		if (cJSON_IsString(e) && m.nrefs < sizeof(list) / sizeof(list[0]))
			list[m.nrefs++] = e->valuestring;
	buf_init(&subject);
	buf_init(&text);
	buf_init(&html);
	if (refs != NULL && research_remind_build(&m, &subject, &text, &html) == 0) {
		research_remind_key(&m, key);
		p[0] = key;
		p[1] = RESEARCH_REMIND_KIND;
		p[2] = PQgetvalue(j->rows, i, 6);
		p[3] = buf_str(&subject);
		p[4] = buf_str(&text);
		p[5] = buf_str(&html);
		/* libpq copies the parameters before it returns. */
		db_query(j->txn, RESEARCH_SQL_ENQUEUE, 6, p, job_enqueued, j);
		rc = 0;
	}
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	cJSON_Delete(refs);
	return rc;
}

static void
job_next(struct job *j)
{
	if (j->rows == NULL || j->next >= PQntuples(j->rows)) {
		if (j->enqueued > 0)
			log_info("job %s: enqueued %d research reminder(s)",
			    sched_run_name(j->run), j->enqueued);
		sched_run_done(j->run);
		return;
	}
	if (enqueue_row(j, j->next++) != 0) {
		log_error("job %s: a research reminder cannot be built (out of "
		    "memory)", sched_run_name(j->run));
		sched_run_failed(j->run, "building a research reminder", NULL);
	}
}

static void
job_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res) || (j->rows = PQcopyResult(res,
	    PG_COPYRES_ATTRS | PG_COPYRES_TUPLES)) == NULL) {
		sched_run_failed(j->run, "selecting research reminders", res);
		return;
	}
	job_next(j);
}

static void
job_loaded(const struct calendar_status *st, void *arg)
{
	struct job *j = arg;
	char today[DATE_STRLEN], last[DATE_STRLEN];
	const char *p[2] = { today, last };

	if (!st->ok) {
		if (st->why != NULL)
			log_error("job %s: %s", sched_run_name(j->run), st->why);
		sched_run_failed(j->run, "loading the calendar", st->res);
		return;
	}
	/*
	 * A deadline is near enough when it is at most research_workdays
	 * working days after today: the reminder goes on the working day
	 * that many before it, or on the first run after that.
	 */
	date_format(j->cs.today, today);
	date_format(workdays_add(&j->cs.cal, j->cs.today, j->workdays), last);
	db_query(j->txn, RESEARCH_SQL_REMINDER_ROWS, 2, p, job_rows, j);
}

void
researchjob_run(struct sched_run *run, struct db_txn *txn, void *arg)
{
	const struct config *cfg = ((struct app *)arg)->cfg;
	struct job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->base_url = strdup(cfg->mail_base_url)) == NULL) {
		free(j);
		sched_run_failed(run, "starting", NULL);
		return;
	}
	j->run = run;
	j->txn = txn;
	calendar_stmt_init(&j->cs);
	/* Settings may be reloaded while the run goes on: keep its own. */
	j->workdays = cfg->reminders_research_workdays;
	sched_run_keep(run, j, job_free);
	calendar_load(txn, &j->cs, job_loaded, j);
}

/*
 * The "reminders" job: a short chain of statements in the run's
 * transaction.  Selecting is the database's (sql/010_reminders.sql),
 * building the core's, the order and the parameters statements/reminders.h's; this
 * file only moves results along and counts what it enqueued.
 */
#include "shell/reminders.h"
#include "shell/clock.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/scheduler.h"
#include "shell/config.h"
#include "shell/log.h"
#include "statements/reminders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
	struct app		*app;
	struct sched_run	*run;
	struct db_txn		*txn;
	struct remindstore_plan	 plan;
	struct remindstore_batch batch;
	PGresult		*counts;	/* summary rows kept between steps */
	PGresult		*persistent;
	char			 why[160];
};

static struct reminders_counters counters;

void
reminders_counts(struct reminders_counters *c)
{
	*c = counters;
}

static void
job_free(void *arg)
{
	struct job *j = arg;

	remindstore_batch_free(&j->batch);
	PQclear(j->counts);
	PQclear(j->persistent);
	free(j);
}

static void
built_failed(struct job *j)
{
	log_error("job %s: %s", sched_run_name(j->run), j->why);
	sched_run_failed(j->run, "building messages", NULL);
}

static void
enqueued(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	unsigned long long n[3] = { 0, 0, 0 };

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != (int)j->batch.n) {
		sched_run_failed(j->run, "enqueueing", res);
		return;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *kind = j->batch.msgs[i].kind;

		if (PQgetisnull(res, i, 1))
			continue;	/* enqueued before: by us or another */
		n[strcmp(kind, "digest") == 0 ? 0 : strcmp(kind, "overdue") == 0 ? 1 : 2]++;
	}
	counters.digest += n[0];
	counters.overdue += n[1];
	counters.summary += n[2];
	if (n[0] + n[1] + n[2] > 0)
		log_info("job %s: enqueued %llu digests, %llu overdue notices, "
		    "%llu summaries (week %s)", sched_run_name(j->run), n[0], n[1],
		    n[2], j->plan.opts.period);
	sched_run_done(j->run);
}

static void
step_enqueue(struct job *j)
{
	const char *p[6];

	if (j->batch.n == 0) {
		sched_run_done(j->run);
		return;
	}
	if (remindstore_params(&j->batch, p) != 0) {
		snprintf(j->why, sizeof(j->why), "out of memory");
		built_failed(j);
		return;
	}
	db_query(j->txn, REMINDSTORE_SQL_ENQUEUE, 6, p, enqueued, j);
}

static void
summary_failed_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res)) {
		sched_run_failed(j->run, "selecting failed messages", res);
		return;
	}
	if (remindstore_add_summary(&j->batch, &j->plan, j->counts,
	    j->persistent, res, j->why, sizeof(j->why)) != 0) {
		built_failed(j);
		return;
	}
	step_enqueue(j);
}

static void
summary_persistent(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[1] = { j->plan.summary_key };

	if (!db_ok(res) || (j->persistent = PQcopyResult(res,
	    PG_COPYRES_ATTRS | PG_COPYRES_TUPLES)) == NULL) {
		sched_run_failed(j->run, "selecting persistent non-completion", res);
		return;
	}
	db_query(txn, REMINDSTORE_SQL_FAILED, 1, p, summary_failed_rows, j);
}

static void
summary_counts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[2] = { j->plan.today, j->plan.persistent_days };

	if (!db_ok(res) || (j->counts = PQcopyResult(res,
	    PG_COPYRES_ATTRS | PG_COPYRES_TUPLES)) == NULL) {
		sched_run_failed(j->run, "counting actions", res);
		return;
	}
	db_query(txn, REMINDSTORE_SQL_PERSISTENT, 2, p, summary_persistent, j);
}

static void
summary_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[2] = { j->plan.today, j->plan.persistent_days };

	if (!db_ok(res) || PQntuples(res) != 1) {
		sched_run_failed(j->run, "looking for the summary", res);
		return;
	}
	if (PQgetvalue(res, 0, 0)[0] == 't') {
		step_enqueue(j);	/* this week's went already */
		return;
	}
	db_query(txn, REMINDSTORE_SQL_COUNTS, 2, p, summary_counts, j);
}

static void
step_summary(struct job *j)
{
	const char *p[1] = { j->plan.summary_key };

	if (!j->plan.summary) {
		step_enqueue(j);
		return;
	}
	db_query(j->txn, REMINDSTORE_SQL_SUMMARY_DONE, 1, p, summary_done, j);
}

static void
digest_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res)) {
		sched_run_failed(j->run, "selecting digests", res);
		return;
	}
	if (remindstore_add_digests(&j->batch, &j->plan, res, j->why,
	    sizeof(j->why)) != 0) {
		built_failed(j);
		return;
	}
	step_summary(j);
}

static void
step_digest(struct job *j)
{
	const char *p[2] = { j->plan.opts.period, j->plan.with_people };

	if (!j->plan.digest) {
		step_summary(j);
		return;
	}
	db_query(j->txn, REMINDSTORE_SQL_DIGEST, 2, p, digest_rows, j);
}

static void
overdue_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res)) {
		sched_run_failed(j->run, "selecting overdue actions", res);
		return;
	}
	if (remindstore_add_overdue(&j->batch, &j->plan, res, j->why,
	    sizeof(j->why)) != 0) {
		built_failed(j);
		return;
	}
	step_digest(j);
}

static void
now_read(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[2];

	if (!db_ok(res) || PQntuples(res) != 1 ||
	    remindstore_plan(&j->plan, j->app->cfg, PQgetvalue(res, 0, 0),
	    atoi(PQgetvalue(res, 0, 1)), false) != 0) {
		sched_run_failed(j->run, "reading the local time", res);
		return;
	}
	if (!j->plan.overdue) {
		step_digest(j);
		return;
	}
	p[0] = j->plan.today;
	p[1] = j->plan.with_people;
	db_query(txn, REMINDSTORE_SQL_OVERDUE, 2, p, overdue_rows, j);
}

void
reminders_job(struct sched_run *run, struct db_txn *txn, void *arg)
{
	struct job *j;
	char now[CLOCK_RFC3339_MAX];
	const char *p[1] = { now };

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		sched_run_failed(run, "starting", NULL);
		return;
	}
	j->app = arg;
	j->run = run;
	j->txn = txn;
	remindstore_batch_init(&j->batch);
	sched_run_keep(run, j, job_free);
	clock_rfc3339(now, sizeof(now));
	db_query(txn, REMINDSTORE_SQL_NOW, 1, p, now_read, j);
}

/*
 * A reminders run: a short chain of statements in the caller's
 * transaction.  Selecting is the database's (sql/010_reminders.sql),
 * building the core's, the order and the parameters statements/reminders.h's; this
 * file only moves results along.  maracd's "reminders" job and maracctl
 * reminders run both run it; the job counts what it enqueued.
 */
#include "shell/reminders.h"
#include "shell/clock.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/scheduler.h"
#include "shell/config.h"
#include "shell/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct db_txn		*txn;
	const struct config	*cfg;	/* read before the first statement only */
	struct reminders_ask	 ask;
	char			 as_of[DATE_STRLEN];
	struct reminders_stmt_plan	 plan;
	struct reminders_stmt_batch batch;
	PGresult		*counts;	/* summary rows kept between steps */
	PGresult		*persistent;
	PGresult		*enqueued;	/* every batch's rows, in order */
	size_t			 sent;		/* messages in the batches so far */
	size_t			 next;		/* after the batch in flight */
	char			 why[160];
	reminders_cb		 cb;
	void			*arg;
};

static void
run_end(struct run *rn, const char *what, const PGresult *res,
    const PGresult *enqueued)
{
	struct reminders_done d = { what == NULL, what, what != NULL ? res : NULL,
	    what != NULL && res == NULL && rn->why[0] != '\0' ? rn->why : NULL,
	    &rn->plan, &rn->batch, enqueued };

	rn->cb(&d, rn->arg);
	reminders_stmt_batch_free(&rn->batch);
	PQclear(rn->enqueued);
	PQclear(rn->counts);
	PQclear(rn->persistent);
	free(rn);
}

static void
built_failed(struct run *rn)
{
	run_end(rn, "building messages", NULL, NULL);
}

static void step_enqueue(struct run *);

/* A batch's rows after the earlier batches', so that callers see one result. */
static bool
enqueued_add(struct run *rn, const PGresult *res)
{
	int base;

	if (rn->enqueued == NULL && (rn->enqueued = PQcopyResult(res,
	    PG_COPYRES_ATTRS)) == NULL)
		return false;
	base = PQntuples(rn->enqueued);
	for (int i = 0; i < PQntuples(res); i++)
		for (int j = 0; j < 2; j++)
			if (!PQsetvalue(rn->enqueued, base + i, j, PQgetisnull(res, i, j) ?
			    NULL : PQgetvalue(res, i, j), PQgetlength(res, i, j)))
				return false;
	return true;
}

static void
enqueued(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != (int)(rn->next - rn->sent) ||
	    PQnfields(res) != 2) {
		run_end(rn, "enqueueing", res, NULL);
		return;
	}
	if (!enqueued_add(rn, res)) {
		snprintf(rn->why, sizeof(rn->why), "out of memory");
		run_end(rn, "enqueueing", NULL, NULL);
		return;
	}
	rn->sent = rn->next;
	if (rn->sent < rn->batch.n) {
		step_enqueue(rn);
		return;
	}
	run_end(rn, NULL, NULL, rn->enqueued);
}

/* The messages in batches of bounded size, one statement each, in order. */
static void
step_enqueue(struct run *rn)
{
	const char *p[6];
	long next;

	if (rn->batch.n == 0 || rn->ask.dry_run) {
		run_end(rn, NULL, NULL, NULL);
		return;
	}
	if ((next = reminders_stmt_params(&rn->batch, rn->sent, p)) < 0) {
		snprintf(rn->why, sizeof(rn->why), "out of memory");
		built_failed(rn);
		return;
	}
	rn->next = (size_t)next;
	db_query(rn->txn, REMINDERS_SQL_ENQUEUE, 6, p, enqueued, rn);
}

static void
summary_failed_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;

	(void)txn;
	if (!db_ok(res)) {
		run_end(rn, "selecting failed messages", res, NULL);
		return;
	}
	if (reminders_stmt_add_summary(&rn->batch, &rn->plan, rn->counts,
	    rn->persistent, res, rn->why, sizeof(rn->why)) != 0) {
		built_failed(rn);
		return;
	}
	step_enqueue(rn);
}

static void
summary_persistent(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;
	const char *p[1] = { rn->plan.summary_key };

	if (!db_ok(res) || (rn->persistent = PQcopyResult(res,
	    PG_COPYRES_ATTRS | PG_COPYRES_TUPLES)) == NULL) {
		run_end(rn, "selecting persistent non-completion", res, NULL);
		return;
	}
	db_query(txn, REMINDERS_SQL_FAILED, 1, p, summary_failed_rows, rn);
}

static void
summary_counts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;
	const char *p[2] = { rn->plan.today, rn->plan.persistent_days };

	if (!db_ok(res) || (rn->counts = PQcopyResult(res,
	    PG_COPYRES_ATTRS | PG_COPYRES_TUPLES)) == NULL) {
		run_end(rn, "counting actions", res, NULL);
		return;
	}
	db_query(txn, REMINDERS_SQL_PERSISTENT, 2, p, summary_persistent, rn);
}

static void
summary_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;
	const char *p[2] = { rn->plan.today, rn->plan.persistent_days };

	if (!db_ok(res) || PQntuples(res) != 1) {
		run_end(rn, "looking for the summary", res, NULL);
		return;
	}
	if (PQgetvalue(res, 0, 0)[0] == 't') {
		step_enqueue(rn);	/* this week's went already */
		return;
	}
	db_query(txn, REMINDERS_SQL_COUNTS, 2, p, summary_counts, rn);
}

static void
step_summary(struct run *rn)
{
	const char *p[1] = { rn->plan.summary_key };

	if (!rn->plan.summary) {
		step_enqueue(rn);
		return;
	}
	db_query(rn->txn, REMINDERS_SQL_SUMMARY_DONE, 1, p, summary_done, rn);
}

/* The overdue notices first, then the digests: the order they are enqueued. */
static void
action_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;

	(void)txn;
	if (!db_ok(res)) {
		run_end(rn, "selecting actions", res, NULL);
		return;
	}
	if (reminders_stmt_add_overdue(&rn->batch, &rn->plan, res, rn->why,
	    sizeof(rn->why)) != 0 || reminders_stmt_add_digests(&rn->batch,
	    &rn->plan, res, rn->why, sizeof(rn->why)) != 0) {
		built_failed(rn);
		return;
	}
	step_summary(rn);
}

static void
now_read(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct run *rn = arg;
	const char *p[5];

	if (!db_ok(res) || PQntuples(res) != 1) {
		run_end(rn, "reading the local time", res, NULL);
		return;
	}
	if (reminders_stmt_plan(&rn->plan, rn->cfg, rn->as_of[0] != '\0' ?
	    rn->as_of : PQgetvalue(res, 0, 0), atoi(PQgetvalue(res, 0, 1)),
	    rn->ask.forced) != 0) {
		snprintf(rn->why, sizeof(rn->why), "the local date cannot be read");
		run_end(rn, "reading the local time", NULL, NULL);
		return;
	}
	rn->cfg = NULL;
	if (!rn->plan.overdue && !rn->plan.digest) {
		step_summary(rn);
		return;
	}
	p[0] = rn->plan.today;
	p[1] = rn->plan.opts.period;
	p[2] = rn->plan.overdue ? "true" : "false";
	p[3] = rn->plan.digest ? "true" : "false";
	p[4] = rn->plan.with_people;
	db_query(txn, REMINDERS_SQL_ACTIONS, 5, p, action_rows, rn);
}

/* The clock's time, read once the lock is held. */
static void
ask_now(struct run *rn)
{
	char now[CLOCK_RFC3339_MAX];
	const char *p[1] = { now };

	clock_rfc3339(now, sizeof(now));
	db_query(rn->txn, REMINDERS_SQL_NOW, 1, p, now_read, rn);
}

static void
locked(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	if (!db_ok(res))
		run_end(arg, "waiting for the reminders lock", res, NULL);
	else
		ask_now(arg);
}

void
reminders_run(struct db_txn *txn, const struct config *cfg,
    const struct reminders_ask *ask, reminders_cb cb, void *arg)
{
	struct run *rn;

	if ((rn = calloc(1, sizeof(*rn))) == NULL) {
		struct reminders_done d = { false, "starting", NULL,
		    "out of memory", NULL, NULL, NULL };

		cb(&d, arg);
		return;
	}
	rn->txn = txn;
	rn->cfg = cfg;
	rn->ask = *ask;
	if (ask->as_of != NULL)
		snprintf(rn->as_of, sizeof(rn->as_of), "%s", ask->as_of);
	rn->ask.as_of = NULL;
	rn->cb = cb;
	rn->arg = arg;
	reminders_stmt_batch_init(&rn->batch);
	if (ask->wait_lock)
		db_query(txn, REMINDERS_SQL_LOCK, 0, NULL, locked, rn);
	else
		ask_now(rn);
}

/* --- the job ----------------------------------------------------------- */

static struct reminders_counters counters;

void
reminders_counts(struct reminders_counters *c)
{
	*c = counters;
}

static void
job_done(const struct reminders_done *d, void *arg)
{
	struct sched_run *run = arg;
	unsigned long long n[3] = { 0, 0, 0 };

	if (!d->ok) {
		if (d->why != NULL)
			log_error("job %s: %s", sched_run_name(run), d->why);
		sched_run_failed(run, d->what, d->res);
		return;
	}
	for (int i = 0; d->enqueued != NULL && i < PQntuples(d->enqueued); i++) {
		const char *kind = d->batch->msgs[i].kind;

		if (PQgetisnull(d->enqueued, i, 1))
			continue;	/* enqueued before: by us or another */
		n[strcmp(kind, "digest") == 0 ? 0 : strcmp(kind, "overdue") == 0 ? 1 : 2]++;
	}
	counters.digest += n[0];
	counters.overdue += n[1];
	counters.summary += n[2];
	if (n[0] + n[1] + n[2] > 0)
		log_info("job %s: enqueued %llu digests, %llu overdue notices, "
		    "%llu summaries (week %s)", sched_run_name(run), n[0], n[1],
		    n[2], d->plan->opts.period);
	sched_run_done(run);
}

void
reminders_job(struct sched_run *run, struct db_txn *txn, void *arg)
{
	/* Today; the digests when digest_day and digest_time say; the lock held. */
	static const struct reminders_ask ask = { .as_of = NULL };

	reminders_run(txn, ((struct app *)arg)->cfg, &ask, job_done, run);
}

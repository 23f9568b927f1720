/*
 * Periodic jobs: one timer per job, one run at a time, an advisory lock
 * per run so that of several maracd processes only one does the work.
 * See scheduler.h.
 */
#include "shell/scheduler.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/jobauth.h"
#include "shell/log.h"
#include "statements/auth.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN	32
/* The first retry after a failed run; it doubles up to the interval. */
#define RETRY_FIRST_S	1
/* Until a first run reaches the database: the pool is connecting. */
#define START_RETRY_MS	100

struct sched_job {
	struct scheduler	*s;
	struct sched_job	*next;
	char			 name[NAME_MAX_LEN + 1];
	char			 lock_key[NAME_MAX_LEN + 16];	/* maracd.job.NAME */
	char			 label[NAME_MAX_LEN + 8];	/* job:NAME */
	int			 interval_s;
	int			 retry_s;
	sched_job_fn		 fn;
	void			*arg;
	struct event		*timer;
	struct sched_run	*run;		/* in flight, or NULL */
	bool			 ended_once;	/* a run reached the database */
};

struct sched_run {
	struct sched_job	*job;
	struct db_txn		*txn;
	void			*state;
	void			(*free_fn)(void *);
	bool			 again;	/* more to do: the next run at once */
};

struct scheduler {
	struct app		*app;
	struct sched_job	*jobs;
	int			 running;
};

static void
job_arm(struct sched_job *job, int seconds)
{
	struct timeval tv = { seconds, 0 };

	evtimer_add(job->timer, &tv);
}

/* The run is over: free it and decide when the next one starts. */
static void
run_end(struct sched_run *run, bool ok)
{
	struct sched_job *job = run->job;
	bool again = run->again;

	if (run->txn != NULL)
		job->ended_once = true;
	if (run->free_fn != NULL)
		run->free_fn(run->state);
	free(run);
	job->run = NULL;
	job->s->running--;
	if (job->s->app->stopping)
		return;
	if (ok) {
		job->retry_s = 0;
		job_arm(job, again ? 0 : job->interval_s);
		return;
	}
	/*
	 * Until a first run has reached the database (the pool connects just
	 * after start-up), try again soon: /readyz waits for it.  A run that
	 * found no connection cost nothing.
	 */
	if (!job->ended_once) {
		struct timeval tv = { 0, START_RETRY_MS * 1000 };

		evtimer_add(job->timer, &tv);
		return;
	}
	job->retry_s = job->retry_s == 0 ? RETRY_FIRST_S : job->retry_s * 2;
	if (job->retry_s > job->interval_s)
		job->retry_s = job->interval_s;
	job_arm(job, job->retry_s);
}

static void
commit_done(bool ok, void *arg)
{
	struct sched_run *run = arg;

	if (!ok)
		log_warn("job %s: commit failed; retrying", run->job->name);
	run_end(run, ok);
}

static void
rollback_done(bool ok, void *arg)
{
	(void)ok;
	run_end(arg, false);
}

static void
skipped_done(bool ok, void *arg)
{
	(void)ok;
	run_end(arg, true);
}

const char *
sched_run_name(const struct sched_run *run)
{
	return run->job->name;
}

void
sched_run_keep(struct sched_run *run, void *state, void (*free_fn)(void *))
{
	run->state = state;
	run->free_fn = free_fn;
}

void
sched_run_done(struct sched_run *run)
{
	db_finish(run->txn, true, commit_done, run);
}

void
sched_run_done_again(struct sched_run *run)
{
	run->again = true;
	db_finish(run->txn, true, commit_done, run);
}

void
sched_run_failed(struct sched_run *run, const char *what, const PGresult *res)
{
	if (res != NULL)
		log_warn("job %s: %s failed: SQLSTATE %s; retrying",
		    run->job->name, what, db_sqlstate(res));
	else
		log_warn("job %s: %s failed; retrying", run->job->name, what);
	db_finish(run->txn, false, rollback_done, run);
}

static void
locked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct sched_run *run = arg;
	struct sched_job *job = run->job;

	if (db_ok(res) && PQntuples(res) == 0) {
		log_error("job %s: the job token was refused (revoked?); see "
		    "[database] job_token_file", job->name);
		sched_run_failed(run, "job authentication", NULL);
		return;
	}
	if (!db_ok(res) || PQntuples(res) != 1) {
		sched_run_failed(run, "advisory lock", res);
		return;
	}
	if (PQgetvalue(res, 0, 0)[0] != 't' || job->s->app->stopping) {
		log_debug("job %s: another maracd holds its lock; skipped", job->name);
		db_finish(txn, false, skipped_done, run);
		return;
	}
	log_debug("job %s: running", job->name);
	job->fn(run, txn, job->arg);
}

static void
acquired(struct db_txn *txn, void *arg)
{
	struct sched_run *run = arg;
	const char *params[3];

	if (txn == NULL) {
		log_debug("job %s: no database connection; retrying", run->job->name);
		run_end(run, false);
		return;
	}
	run->txn = txn;
	params[0] = run->job->lock_key;
	params[1] = jobauth_hash();
	params[2] = run->job->label;
	/* No row: the job token was revoked (the run fails, logged). */
	db_query(txn, AUTH_SQL_JOB_LOCK, 3, params, locked, run);
}

static void
job_timer(evutil_socket_t fd, short what, void *arg)
{
	struct sched_job *job = arg;
	struct sched_run *run;

	(void)fd;
	(void)what;
	if (job->s->app->stopping || job->run != NULL)
		return;
	if ((run = calloc(1, sizeof(*run))) == NULL) {
		job_arm(job, RETRY_FIRST_S);
		return;
	}
	run->job = job;
	job->run = run;
	job->s->running++;
	if (db_acquire(job->s->app->db, true, acquired, run) != 0) {
		log_debug("job %s: no database connection; retrying", job->name);
		run_end(run, false);
	}
}

struct scheduler *
scheduler_new(struct app *app)
{
	struct scheduler *s = calloc(1, sizeof(*s));

	if (s != NULL)
		s->app = app;
	return s;
}

static bool
name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz_") == n;
}

int
scheduler_add(struct scheduler *s, const char *name, int interval_s,
    sched_job_fn fn, void *arg)
{
	struct sched_job *job;

	if (!name_valid(name) || interval_s < 1 || fn == NULL)
		return -1;
	if ((job = calloc(1, sizeof(*job))) == NULL)
		return -1;
	job->timer = evtimer_new(s->app->base, job_timer, job);
	if (job->timer == NULL) {
		free(job);
		return -1;
	}
	job->s = s;
	snprintf(job->name, sizeof(job->name), "%s", name);
	snprintf(job->lock_key, sizeof(job->lock_key), "maracd.job.%s", name);
	snprintf(job->label, sizeof(job->label), "job:%s", name);
	job->interval_s = interval_s;
	job->fn = fn;
	job->arg = arg;
	job->next = s->jobs;
	s->jobs = job;
	job_arm(job, 0);	/* once at start-up */
	return 0;
}

bool
scheduler_has_run(const struct scheduler *s, const char *name)
{
	const struct sched_job *job;

	if (s == NULL)
		return false;
	for (job = s->jobs; job != NULL; job = job->next)
		if (strcmp(job->name, name) == 0)
			return job->ended_once;
	return false;
}

int
scheduler_running(const struct scheduler *s)
{
	return s != NULL ? s->running : 0;
}

void
scheduler_free(struct scheduler *s)
{
	struct sched_job *job;

	if (s == NULL)
		return;
	while ((job = s->jobs) != NULL) {
		s->jobs = job->next;
		if (job->run != NULL) {
			if (job->run->free_fn != NULL)
				job->run->free_fn(job->run->state);
			free(job->run);
		}
		event_free(job->timer);
		free(job);
	}
	free(s);
}

/*
 * Periodic jobs on the event loop, safe with several maracd processes.
 *
 * A job is a name, an interval and a function.  It runs once soon after
 * start-up and then every interval.  Each run checks out a connection,
 * opens a transaction and tries a transaction-scoped advisory lock keyed
 * on "maracd.job.<name>": when another process holds it, that process is
 * doing the work and this run is skipped.  Otherwise the job function
 * gets the transaction and must end the run exactly once, with
 * sched_run_done (commit) or sched_run_failed (roll back; retried soon,
 * with a doubling pause up to the interval).  Nothing blocks; a run never
 * overlaps the previous run of the same job; none starts once the
 * process is stopping.
 *
 * A run's transaction is authenticated as the job token (jobauth.h),
 * with "job:<name>" as its request id: the database checks it like any
 * caller (maracd_is_job() in sql/002_access.sql), and audit rows written
 * by a job name it.
 */
#ifndef MARACD_SCHEDULER_H
#define MARACD_SCHEDULER_H

#include <stdbool.h>
#include <libpq-fe.h>

struct app;
struct db_txn;
struct scheduler;
struct sched_run;

typedef void (*sched_job_fn)(struct sched_run *run, struct db_txn *txn,
	    void *arg);

struct scheduler *scheduler_new(struct app *app);
/*
 * Free the scheduler after the loop has stopped and after db_pool_free:
 * state a run in flight kept (sched_run_keep) is freed here.
 */
void	scheduler_free(struct scheduler *s);
/* name: [a-z_]{1,32}, copied.  interval_s >= 1.  -1 on a bad argument. */
int	scheduler_add(struct scheduler *s, const char *name, int interval_s,
	    sched_job_fn fn, void *arg);
/*
 * Whether a run of the job called name has reached the database and
 * ended since start-up, however it ended (done, skipped because another
 * process holds its lock, or failed).  Until one has, a run that could
 * not start is retried every 100 ms rather than after a growing pause.
 * /readyz waits for the sittings job's.
 */
bool	scheduler_has_run(const struct scheduler *s, const char *name);
/* Runs in flight (shutdown waits for them as for requests). */
int	scheduler_running(const struct scheduler *s);

/* The job's name, for its log lines. */
const char *sched_run_name(const struct sched_run *run);
/*
 * Hand the run state the job allocated; it is freed with free_fn when the
 * run ends, or at scheduler_free if the process stops first.
 */
void	sched_run_keep(struct sched_run *run, void *state,
	    void (*free_fn)(void *));
/* Commit and end the run. */
void	sched_run_done(struct sched_run *run);
/*
 * Commit and end the run, and start the next one at once rather than
 * after the interval: a job that works in bounded batches, one per run
 * and transaction (the purge), goes on until it has caught up.  A failed
 * commit is retried as usual.
 */
void	sched_run_done_again(struct sched_run *run);
/*
 * Roll back and end the run.  what names the step; res is the failed
 * result (NULL: the connection was lost, or the failure was not the
 * database's).  Only the SQLSTATE is logged.
 */
void	sched_run_failed(struct sched_run *run, const char *what,
	    const PGresult *res);

#endif

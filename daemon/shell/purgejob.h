/*
 * The "purge" job: retention (sql/013_retention.sql, maracd.conf(5)
 * RETENTION).  Each run is one batch in one transaction, as the job
 * identity ("job:purge"); a full batch starts the next run at once
 * (sched_run_done_again), so a purge goes on batch by batch until
 * nothing is due, then waits [retention] purge_interval.  A crash loses
 * the batch in flight only: it was never committed, and the next run
 * finds the same rows due.
 */
#ifndef MARACD_PURGEJOB_H
#define MARACD_PURGEJOB_H

struct db_txn;
struct sched_run;

/* arg: the struct app. */
void	purgejob_run(struct sched_run *run, struct db_txn *txn, void *arg);

#endif

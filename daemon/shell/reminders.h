/*
 * The "reminders" job on the scheduler (advisory-locked: of several
 * maracd processes one runs it at a time).  Each run, in one transaction:
 * overdue notices for actions that passed their due date; from
 * [reminders] digest_day and digest_time to the end of that ISO week, the
 * week's digest per agency and the coordinator's summary.  Every message
 * has a key unique to it (overdue:<action>:<due>, digest:<agency>:<week>,
 * summary:<week>), so runs may repeat freely: nothing is enqueued twice.
 * See sql/010_reminders.sql and statements/reminders.h.
 */
#ifndef MARACD_SHELL_REMINDERS_H
#define MARACD_SHELL_REMINDERS_H

struct db_txn;
struct sched_run;

/* Messages this process enqueued since it started, by kind. */
struct reminders_counters {
	unsigned long long	digest;
	unsigned long long	overdue;
	unsigned long long	summary;
};

/* arg: struct app *. */
void	reminders_job(struct sched_run *run, struct db_txn *txn, void *arg);
void	reminders_counts(struct reminders_counters *c);

#endif

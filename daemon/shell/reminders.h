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

#include <stdbool.h>
#include <libpq-fe.h>

#include "statements/reminders.h"

struct config;
struct db_txn;
struct sched_run;

/* How a run goes: the job's is all false and NULL. */
struct reminders_ask {
	const char	*as_of;		/* the local date it runs as; NULL: today */
	bool		 forced;	/* the week's digests and summary now (reminders_stmt_plan) */
	bool		 dry_run;	/* build the messages, enqueue none */
	bool		 wait_lock;	/* wait for the job's lock first (maracctl) */
};

/*
 * ok false: what names the failed step, res its result (NULL: the
 * connection was lost, or with why set, the core refused a row).  ok
 * true: the plan and the messages built, and, unless nothing was
 * enqueued (a dry run, no message), the enqueue's rows, one (key, id or
 * NULL when enqueued before) per message.  All valid during the callback.
 */
struct reminders_done {
	bool				 ok;
	const char			*what;
	const PGresult			*res;
	const char			*why;
	const struct reminders_stmt_plan	*plan;
	const struct reminders_stmt_batch	*batch;
	const PGresult			*enqueued;
};

typedef void (*reminders_cb)(const struct reminders_done *d, void *arg);

/*
 * One run in txn, with the settings of cfg (copied where kept), under
 * the reminders lock: the scheduler's, held already, or, with
 * ask->wait_lock, REMINDERS_SQL_LOCK, waited for here.
 */
void	reminders_run(struct db_txn *txn, const struct config *cfg,
	    const struct reminders_ask *ask, reminders_cb cb, void *arg);

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

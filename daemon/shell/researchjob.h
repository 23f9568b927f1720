/*
 * The "research_reminders" job (advisory-locked by the scheduler: of
 * several maracd processes one runs it at a time).  Each run, in one
 * transaction: every invited agency that owes a research return for a
 * sitting whose information deadline is at most [reminders]
 * research_workdays working days away (and not past) gets one message
 * (core/research_remind.h) in the outbox, keyed by sitting, agency and
 * deadline, so runs may repeat freely and several processes too: nothing
 * is enqueued twice, and the outbox sends it, retrying, whatever befalls
 * the process.  See sql/014_research.sql.
 */
#ifndef MARACD_SHELL_RESEARCHJOB_H
#define MARACD_SHELL_RESEARCHJOB_H

struct db_txn;
struct sched_run;

/* arg: struct app *. */
void	researchjob_run(struct sched_run *run, struct db_txn *txn, void *arg);

#endif

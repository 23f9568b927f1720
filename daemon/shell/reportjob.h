/*
 * The "report" job: after each quarter ends, the quarterly report of the
 * area ([calendar] area; core/report.h) is mailed to [statistics]
 * report_recipients, as HTML and PDF attachments, once.  Each run looks at
 * the last quarter that ended: if its report has not been mailed
 * (report_mailings, sql/011_statistics.sql), it counts, renders and queues the mail in
 * one transaction, as the job identity ("job:report").  Several maracd
 * processes: the scheduler's lock lets one run at a time, and the table's
 * key makes a second queueing a no-op, so the report goes once.  A run that
 * fails commits nothing and the next makes the report again; the outbox
 * then delivers it, retrying as for every mail.  No recipients: no report.
 */
#ifndef MARACD_REPORTJOB_H
#define MARACD_REPORTJOB_H

struct db_txn;
struct sched_run;

/* arg: the struct app. */
void	reportjob_run(struct sched_run *run, struct db_txn *txn, void *arg);

#endif

/*
 * The outbox sender: claims due rows of the outbox table with a lease,
 * hands them to the mailer, and records what happened (sent, queued
 * again with back-off, failed).  Several maracd processes may run it on
 * one database; FOR UPDATE SKIP LOCKED keeps them off each other's rows,
 * and a row whose process died is claimed again when its lease runs out.
 *
 * Other code enqueues with outbox_enqueue() in SQL (sql/005_outbox.sql),
 * inside its own transaction, then may call outbox_kick so that this
 * process looks at once instead of at its next poll.
 */
#ifndef MARACD_OUTBOX_H
#define MARACD_OUTBOX_H

struct app;
struct outbox;

struct outbox_counters {
	unsigned long long	sent;
	unsigned long long	failed;		/* given up on */
	unsigned long long	retried;	/* failed attempts queued again */
};

/* Starts polling on app->base; needs app->db, app->mailer, app->cfg. */
struct outbox *outbox_new(struct app *app);
/* Look for due rows now (after committing an outbox_enqueue). */
void	outbox_kick(struct outbox *ob);
/* Claim nothing more; messages in flight are still sent and recorded. */
void	outbox_stop(struct outbox *ob);
/* Messages claimed and not yet recorded as sent, queued or failed. */
int	outbox_busy(const struct outbox *ob);
void	outbox_counters(const struct outbox *ob, struct outbox_counters *c);
/* After db_pool_free and mailer_free: nothing can call back any more. */
void	outbox_free(struct outbox *ob);

#endif

/*
 * maracctl reminders run [--dry-run] [--as-of DATE]: maracd's reminders
 * run (shell/reminders.c), by hand and at once.  The statements, the
 * messages and their keys are the job's, so a message enqueued here is
 * one the job will not enqueue again, and the reverse; both hold the same
 * advisory lock.
 *
 * Unlike the job, a run by hand does not wait for [reminders] digest_day
 * and digest_time: it enqueues the digests and the summary of the week of
 * DATE (default today) and the overdue notices as of DATE, each unless
 * already enqueued.  --dry-run builds and prints them and enqueues
 * nothing; the reads are audited all the same.
 */
#include "ctl.h"
#include "shell/db.h"
#include "shell/reminders.h"

#include <stdio.h>

struct manual {
	struct ctl		*ctl;
	struct reminders_ask	 ask;
};

/* One line per message: what, its key, to whom, how many actions. */
static void
print_line(struct buf *out, const char *what,
    const struct reminders_stmt_batch *b, size_t i)
{
	buf_printf(out, "%s %s %s %s", what, b->msgs[i].kind, b->msgs[i].key,
	    b->rcpts[i]);
	if (b->nactions[i] > 0)
		buf_printf(out, " %zu action%s", b->nactions[i],
		    b->nactions[i] == 1 ? "" : "s");
	buf_putc(out, '\n');
}

static void
ran(const struct reminders_done *d, void *arg)
{
	struct manual *m = arg;
	struct ctl *ctl = m->ctl;
	const struct reminders_stmt_batch *b = d->batch;
	bool dry = m->ask.dry_run;
	size_t n = 0;

	if (!d->ok) {
		ctl_done_fail(ctl, d->why, d->res);
		return;
	}
	if (!d->plan->summary && ctl->cfg.reminders_summary &&
	    d->plan->coordinator[0] == '\0')
		fprintf(stderr, "maracctl: no [reminders] coordinator_email: "
		    "no summary\n");
	for (size_t i = 0; i < b->n; i++) {
		bool fresh = dry || !PQgetisnull(d->enqueued, (int)i, 1);

		print_line(&ctl->out, dry ? "would-enqueue" : fresh ? "enqueued" : "already",
		    b, i);
		n += fresh;
	}
	fprintf(stderr, "maracctl: week %s, as of %s: %zu message%s %s\n",
	    d->plan->opts.period, d->plan->today, n, n == 1 ? "" : "s",
	    dry ? "would be enqueued (dry run)" : "enqueued");
	ctl_done(ctl, CTL_OK);
}

static void
locked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct manual *m = arg;

	if (!db_ok(res)) {
		ctl_done(m->ctl, ctl_fail_res(res));
		return;
	}
	reminders_run(txn, &m->ctl->cfg, &m->ask, ran, m);
}

static void
start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	(void)ctl;
	db_query(txn, REMINDERS_SQL_LOCK, 0, NULL, locked, arg);
}

int
ctl_reminders(struct ctl *ctl)
{
	struct manual m = { ctl, { ctl_arg(ctl, "as-of"), true,
	    ctl_arg(ctl, "dry-run") != NULL } };
	date_t d;

	if (m.ask.as_of != NULL && !date_parse(m.ask.as_of, &d))
		return ctl_fail("--as-of %s is not a date (YYYY-MM-DD)", m.ask.as_of);
	return ctl_run(ctl, start, &m);
}

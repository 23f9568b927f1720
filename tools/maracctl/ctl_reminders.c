/*
 * maracctl reminders run [--dry-run] [--as-of DATE]: maracd's reminders
 * run (shell/reminders.c), at once, under the job's advisory lock.  The
 * messages and their keys are the job's, so a message enqueued here is
 * one the job will not enqueue again, and the reverse.  Unlike the job it
 * does not wait for [reminders] digest_day and digest_time.
 */
#include "ctl.h"
#include "shell/reminders.h"

#include <stdio.h>

struct manual {
	struct ctl		*ctl;
	struct reminders_ask	 ask;
};

/* One line per message: what, its key, to whom, how many actions. */
static void
ran(const struct reminders_done *d, void *arg)
{
	struct manual *m = arg;
	struct buf *out = &m->ctl->out;
	const struct reminders_stmt_batch *b = d->batch;
	bool dry = m->ask.dry_run;
	size_t n = 0;

	if (!d->ok) {
		ctl_done_fail(m->ctl, d->why, d->res);
		return;
	}
	if (!d->plan->summary && m->ctl->cfg.reminders_summary &&
	    d->plan->coordinator[0] == '\0')
		fprintf(stderr, "maracctl: no [reminders] coordinator_email: "
		    "no summary\n");
	for (size_t i = 0; i < b->n; i++) {
		bool fresh = dry || !PQgetisnull(d->enqueued, (int)i, 1);

		buf_printf(out, "%s %s %s %s", dry ? "would-enqueue" : fresh ?
		    "enqueued" : "already", b->msgs[i].kind, b->msgs[i].key,
		    b->rcpts[i]);
		if (b->nactions[i] > 0)
			buf_printf(out, " %zu action%s", b->nactions[i],
			    b->nactions[i] == 1 ? "" : "s");
		buf_putc(out, '\n');
		n += fresh;
	}
	fprintf(stderr, "maracctl: week %s, as of %s: %zu message%s %s\n",
	    d->plan->opts.period, d->plan->today, n, n == 1 ? "" : "s",
	    dry ? "would be enqueued (dry run)" : "enqueued");
	ctl_done(m->ctl, CTL_OK);
}

int
ctl_reminders(struct ctl *ctl)
{
	struct manual m = { ctl, { .as_of = ctl_arg(ctl, "as-of"), .forced = true,
	    .dry_run = ctl_arg(ctl, "dry-run") != NULL, .wait_lock = true } };
	date_t d;

	if (m.ask.as_of != NULL && !date_parse(m.ask.as_of, &d))
		return ctl_fail("--as-of %s is not a date (YYYY-MM-DD)", m.ask.as_of);
	if (!ctl_begin(ctl))
		return CTL_FAIL;
	reminders_run(ctl->txn, &ctl->cfg, &m.ask, ran, &m);
	return ctl_wait(ctl);
}

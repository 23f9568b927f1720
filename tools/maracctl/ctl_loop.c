/*
 * The daily commands (agenda, holidays, calendar, drive, import, record,
 * reminders) run maracd's own workflows (daemon/shell) on an event loop
 * of maracctl's, with the same database layer (shell/db.h): one
 * connection, the schema owner's (ctl_connect), handed to a pool of one.
 */
#include "ctl.h"
#include "shell/db.h"

#include <event2/event.h>

/* Runs the loop until *flag, or until nothing is left to wait for. */
static void
run_until(struct ctl *ctl, const bool *flag)
{
	while (!*flag && event_base_loop(ctl->base, EVLOOP_ONCE) == 0)
		;
}

static void
acquired(struct db_txn *txn, void *arg)
{
	struct ctl *ctl = arg;

	ctl->txn = txn;
	ctl->answered = true;
}

struct db_txn *
ctl_begin(struct ctl *ctl)
{
	if (ctl->db == NULL && ctl_connect(ctl) != CTL_OK)
		return NULL;
	if ((ctl->base = event_base_new()) == NULL ||
	    (ctl->pool = db_pool_adopt(ctl->base, ctl->db)) == NULL) {
		ctl_fail("out of memory");
		return NULL;
	}
	ctl->db = NULL;		/* the pool's now */
	if (db_acquire(ctl->pool, true, acquired, ctl) == 0)
		run_until(ctl, &ctl->answered);
	if (ctl->txn == NULL)
		ctl_fail_res(NULL);
	return ctl->txn;
}

int
ctl_wait(struct ctl *ctl)
{
	run_until(ctl, &ctl->ended);
	return ctl->ended ? ctl->rc : ctl_fail("the workflow stopped half way");
}

static void
finished(bool ok, void *arg)
{
	struct ctl *ctl = arg;

	if (!ok && ctl->rc == CTL_OK)
		ctl->rc = ctl_fail("the transaction could not be committed");
	ctl->txn = NULL;
	ctl->ended = true;
}

void
ctl_done(struct ctl *ctl, int rc)
{
	ctl->rc = rc;
	if (ctl->txn == NULL)
		ctl->ended = true;
	else
		db_finish(ctl->txn, rc == CTL_OK, finished, ctl);
}

void
ctl_done_fail(struct ctl *ctl, const char *why, const PGresult *res)
{
	ctl_done(ctl, why != NULL ? ctl_fail("%s", why) : ctl_fail_res(res));
}

void
ctl_loop_close(struct ctl *ctl)
{
	db_pool_free(ctl->pool);
	if (ctl->base != NULL)
		event_base_free(ctl->base);
}

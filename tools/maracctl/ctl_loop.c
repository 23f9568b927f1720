/*
 * The daily commands (agenda, holidays, calendar, drive, import, record,
 * reminders) run maracd's own workflows (daemon/shell) on an event loop
 * of maracctl's, with the same database layer (shell/db.h): one
 * connection, the schema owner's (ctl_connect), handed to a pool of one.
 */
#include "ctl.h"
#include "shell/db.h"

#include <event2/event.h>

struct start {
	struct ctl	*ctl;
	ctl_start_fn	 fn;
	void		*arg;
};

static void
acquired(struct db_txn *txn, void *arg)
{
	struct start *s = arg;

	if ((s->ctl->txn = txn) == NULL)
		ctl_done_fail(s->ctl, NULL, NULL);
	else
		s->fn(s->ctl, txn, s->arg);
}

int
ctl_run(struct ctl *ctl, ctl_start_fn fn, void *arg)
{
	struct start s = { ctl, fn, arg };

	if (ctl->db == NULL && ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if ((ctl->base = event_base_new()) == NULL ||
	    (ctl->pool = db_pool_adopt(ctl->base, ctl->db)) == NULL)
		return ctl_fail("out of memory");
	ctl->db = NULL;		/* the pool's now */
	if (db_acquire(ctl->pool, true, acquired, &s) != 0)
		return ctl_fail_res(NULL);
	event_base_dispatch(ctl->base);
	return ctl->rc;
}

static void
finished(bool ok, void *arg)
{
	struct ctl *ctl = arg;

	if (!ok && ctl->rc == CTL_OK)
		ctl->rc = ctl_fail("the transaction could not be committed");
	ctl->txn = NULL;
	event_base_loopbreak(ctl->base);
}

void
ctl_done(struct ctl *ctl, int rc)
{
	ctl->rc = rc;
	if (ctl->txn == NULL)
		event_base_loopbreak(ctl->base);
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

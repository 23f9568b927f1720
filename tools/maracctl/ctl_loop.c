/*
 * The daily commands (agenda, holidays, calendar, drive, import, record,
 * reminders) run maracd's own workflows (daemon/shell) on an event loop
 * of maracctl's, with the same database layer (shell/db.h): one
 * connection, the schema owner's, opened here and handed to a pool of
 * one.  Its session is set as maracd's (the [calendar] timezone) and
 * names the command in the audit (maracd.system, believed from the owner
 * only: sql/002_access.sql).
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
		ctl_done(s->ctl, ctl_fail_res(NULL));
	else
		s->fn(s->ctl, txn, s->arg);
}

int
ctl_run(struct ctl *ctl, const char *label, ctl_start_fn fn, void *arg)
{
	const char *p[2] = { ctl->cfg.timezone, label };
	struct start s = { ctl, fn, arg };
	PGresult *res;

	if (ctl->db == NULL && ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if ((res = ctl_exec(ctl, "SELECT set_config('TimeZone', $1, false), "
	    "set_config('maracd.system', $2, false)", 2, p)) == NULL)
		return CTL_FAIL;
	PQclear(res);
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
ctl_loop_close(struct ctl *ctl)
{
	db_pool_free(ctl->pool);
	if (ctl->base != NULL)
		event_base_free(ctl->base);
}

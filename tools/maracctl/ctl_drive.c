/*
 * maracctl drive SITTING [--screen]: print a MARAC sitting's DRIVE
 * screening (core/render/drive_text.h), after screening it again now with
 * --screen (maracd's own screening, shell/drivejob.h, with the [drive]
 * rubric of this maracd.conf).
 */
#include "ctl.h"
#include "statements/drive.h"
#include "shell/db.h"
#include "shell/drivejob.h"
#include "core/render/drive_text.h"

static void
got(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct ctl *ctl = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1)
		ctl_done(ctl, ctl_fail_res(res));
	else if (PQgetisnull(res, 0, 0))
		ctl_done(ctl, ctl_fail("no MARAC sitting %s", ctl->pos[0]));
	else if (drive_text(PQgetvalue(res, 0, 0), &ctl->out) != 0)
		ctl_done(ctl, ctl_fail("the screening is not JSON"));
	else
		ctl_done(ctl, CTL_OK);
}

static void
screened(const struct drivejob_done *d, void *arg)
{
	struct ctl *ctl = arg;

	if (!d->ok)
		ctl_done_fail(ctl, d->why, d->res);
	else if (d->json == NULL)
		ctl_done(ctl, ctl_fail("no MARAC sitting %s", ctl->pos[0]));
	else
		db_query(ctl->txn, DRIVE_SQL_GET, 1, ctl->pos, got, ctl);
}

int
ctl_drive(struct ctl *ctl)
{
	struct db_txn *txn;

	if ((txn = ctl_begin(ctl)) == NULL)
		return CTL_FAIL;
	if (ctl_arg(ctl, "screen") != NULL)
		drivejob_screen_sitting(txn, ctl->id, &ctl->cfg.drive_rubric, screened, ctl);
	else
		db_query(txn, DRIVE_SQL_GET, 1, ctl->pos, got, ctl);
	return ctl_wait(ctl);
}

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

struct show {
	struct ctl	*ctl;
	const char	*sitting;
	long long	 id;
};

static void
got(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct show *sh = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1)
		ctl_done(sh->ctl, ctl_fail_res(res));
	else if (PQgetisnull(res, 0, 0))
		ctl_done(sh->ctl, ctl_fail("no MARAC sitting %s", sh->sitting));
	else if (drive_text(PQgetvalue(res, 0, 0), &sh->ctl->out) != 0)
		ctl_done(sh->ctl, ctl_fail("the screening is not JSON"));
	else
		ctl_done(sh->ctl, CTL_OK);
}

static void
get(struct db_txn *txn, struct show *sh)
{
	const char *p[1] = { sh->sitting };

	db_query(txn, DRIVE_SQL_GET, 1, p, got, sh);
}

static void
screened(const struct drivejob_done *d, void *arg)
{
	struct show *sh = arg;

	if (!d->ok)
		ctl_done_fail(sh->ctl, d->why, d->res);
	else if (d->json == NULL)
		ctl_done(sh->ctl, ctl_fail("no MARAC sitting %s", sh->sitting));
	else
		get(sh->ctl->txn, sh);
}

/* As maracd's job screens it, with the [drive] rubric of maracd.conf. */
static void
start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	struct show *sh = arg;

	if (ctl_arg(ctl, "screen") != NULL)
		drivejob_screen_sitting(txn, sh->id, &ctl->cfg.drive_rubric,
		    screened, sh);
	else
		get(txn, sh);
}

int
ctl_drive(struct ctl *ctl)
{
	struct show sh = { .ctl = ctl, .sitting = ctl->pos[0] };

	if (!ctl_id(sh.sitting, &sh.id))
		return ctl_usage(ctl);
	return ctl_run(ctl, start, &sh);
}

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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct show {
	struct ctl	*ctl;
	const char	*sitting;
	long long	 id;
	bool		 again;
	struct buf	 text;		/* the screening, printed after the commit */
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
	else if (drive_text(PQgetvalue(res, 0, 0), &sh->text) != 0)
		ctl_done(sh->ctl, ctl_fail("the screening is not JSON"));
	else if (buf_failed(&sh->text))
		ctl_done(sh->ctl, ctl_fail("out of memory"));
	else
		ctl_done(sh->ctl, CTL_OK);
}

static void
get(struct db_txn *txn, struct show *sh)
{
	const char *p[1] = { sh->sitting };

	db_query(txn, DRIVESTORE_SQL_GET, 1, p, got, sh);
}

static void
screened(const struct drivejob_done *d, void *arg)
{
	struct show *sh = arg;

	if (!d->ok)
		ctl_done(sh->ctl, d->why != NULL ? ctl_fail("%s", d->why) :
		    ctl_fail_res(d->res));
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

	if (sh->again)
		drivejob_screen_sitting(txn, sh->id, &ctl->cfg.drive_rubric,
		    screened, sh);
	else
		get(txn, sh);
}

int
ctl_drive(struct ctl *ctl, int argc, char **argv)
{
	static const char *const line = "drive SITTING [--screen]";
	struct show sh = { .ctl = ctl, .sitting = argv[0] };
	char *end;
	int rc;

	if (argc < 1 || argc > 2)
		return ctl_usage(line);
	if (argc == 2) {
		if (strcmp(argv[1], "--screen") != 0)
			return ctl_usage(line);
		sh.again = true;
	}
	sh.id = strtoll(argv[0], &end, 10);
	if (*argv[0] == '\0' || *end != '\0' || sh.id < 1)
		return ctl_usage(line);
	buf_init(&sh.text);
	if ((rc = ctl_run(ctl, "maracctl", start, &sh)) == CTL_OK)
		fputs(buf_str(&sh.text), stdout);
	buf_free(&sh.text);
	return rc;
}

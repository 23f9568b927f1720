/*
 * A sitting's outputs, by maracd's own code.  maracctl agenda SITTING
 * [--format F] [--version N|draft] [--issue]: its agenda printed, or a
 * new version issued (shell/agendajob.h), as GET /v1/sittings/{id}/agenda
 * and POST .../agenda/issue do it.  maracctl drive SITTING [--screen]: a
 * MARAC sitting's DRIVE screening printed (core/render/drive_text.h),
 * after screening it again now with --screen (shell/drivejob.h, with the
 * [drive] rubric of this maracd.conf).
 */
#include "ctl.h"
#include "shell/agendajob.h"
#include "shell/db.h"
#include "shell/drivejob.h"
#include "statements/drive.h"
#include "core/render/drive_text.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

struct opts {
	struct ctl		*ctl;
	const char		*format;	/* NULL: the default, JSON */
	enum agenda_stmt_format	 fmt;
	struct agendajob_ask	 ask;
};

/* The agenda got, rendered now and printed after the commit. */
static void
got(const struct agendajob_got *g, void *arg)
{
	struct opts *o = arg;
	const struct agenda *a = g->a;
	struct buf *out = &o->ctl->out;
	bool summary = g->issued != NULL && o->format == NULL;
	int rc = 0;

	if (g->outcome != AGENDAJOB_OK) {
		ctl_done_fail(o->ctl, g->why != NULL || g->outcome ==
		    AGENDAJOB_FAILED ? g->why :
		    agendajob_outcome_text(g->outcome), g->res);
		return;
	}
	if (summary)
		buf_printf(out, "%s: issued version %d, %zu "
		    "case%s (%zu added, %zu removed, %zu changed); mailed to "
		    "%s\n", o->ctl->what, a->version, a->ncases, a->ncases == 1 ?
		    "" : "s", g->iss->d.nadded, g->iss->d.nremoved,
		    g->iss->d.nchanged, PQgetvalue(g->issued, 0, 1));
	else
		rc = agendajob_render(g, o->fmt, &o->ctl->cfg, out);
	if (rc == 0 && !summary && (a == NULL || o->fmt == AGENDA_FORMAT_JSON))
		buf_add(out, "\n", 1);
	if (rc != 0 && a == NULL)
		rc = ctl_fail("%s: a stored version cannot be read back",
		    o->ctl->what);
	else if (rc != 0)
		rc = ctl_fail("out of memory");
	ctl_done(o->ctl, rc == 0 ? CTL_OK : CTL_FAIL);
}

int
ctl_agenda(struct ctl *ctl)
{
	const char *version = ctl_arg(ctl, "version");
	bool issue = ctl_arg(ctl, "issue") != NULL;
	struct opts o = { .ctl = ctl, .format = ctl_arg(ctl, "format"),
	    .ask.sitting = ctl->id, .ask.may_draft = true };
	long v = 0;

	if ((o.format != NULL && !agenda_stmt_format(o.format, &o.fmt)) ||
	    (version != NULL && !(o.ask.draft = strcmp(version, "draft") == 0) &&
	    !ctl_number(version, 1, INT_MAX, &v)) || (issue && version != NULL))
		return ctl_usage(ctl);
	o.ask.version = (int)v;
	snprintf(ctl->what, sizeof(ctl->what), "sitting %s", ctl->pos[0]);
	o.ask.stored_json = o.fmt == AGENDA_FORMAT_JSON;
	if (!ctl_begin(ctl))
		return CTL_FAIL;
	if (issue)
		agendajob_issue(ctl->txn, &ctl->cfg, o.ask.sitting, got, &o);
	else
		agendajob_get(ctl->txn, &ctl->cfg, &o.ask, got, &o);
	return ctl_wait(ctl);
}

/* ---- drive --------------------------------------------------------------- */

/* What screening stored is the screening as the API shows it: printed. */
static void
screened(const struct drivejob_done *d, void *arg)
{
	struct ctl *ctl = arg;

	if (!d->ok)
		ctl_done_fail(ctl, d->why, d->res);
	else if (d->json == NULL)
		ctl_done(ctl, ctl_fail("no MARAC sitting %s", ctl->pos[0]));
	else if (drive_text(d->json, &ctl->out) != 0)
		ctl_done(ctl, ctl_fail("the screening is not JSON"));
	else
		ctl_done(ctl, CTL_OK);
}

/* The stored screening, read (DRIVE_SQL_GET), printed the same way. */
static void
screening_got(struct db_txn *txn, const PGresult *res, void *arg)
{
	bool ok = db_ok(res) && PQntuples(res) == 1;
	struct drivejob_done d = { ok, res, NULL, ok && !PQgetisnull(res, 0, 0) ?
	    PQgetvalue(res, 0, 0) : NULL };

	(void)txn;
	screened(&d, arg);
}

int
ctl_drive(struct ctl *ctl)
{
	if (!ctl_begin(ctl))
		return CTL_FAIL;
	if (ctl_arg(ctl, "screen") != NULL)
		drivejob_screen_sitting(ctl->txn, ctl->id, &ctl->cfg.drive_rubric,
		    screened, ctl);
	else
		db_query(ctl->txn, DRIVE_SQL_GET, 1, ctl->pos, screening_got, ctl);
	return ctl_wait(ctl);
}

/*
 * maracctl agenda SITTING [--format F] [--version N|draft] [--issue]: a
 * sitting's agenda printed, or a new version issued, by maracd's own code
 * (shell/agendajob.h), as GET /v1/sittings/{id}/agenda and POST
 * .../agenda/issue do it.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/agendajob.h"

#include <limits.h>
#include <string.h>

struct opts {
	struct ctl		*ctl;
	const char		*sitting;
	const char		*format;	/* NULL: the default, JSON */
	enum agenda_stmt_format	 fmt;
	struct agendajob_ask	 ask;
};

/* What went wrong, said; CTL_OK when nothing did. */
static int
got_fail(const struct opts *o, const struct agendajob_got *g)
{
	if (g->outcome == AGENDAJOB_OK)
		return CTL_OK;
	if (g->outcome == AGENDAJOB_FAILED && g->why == NULL)
		return ctl_fail_res(g->res);
	return ctl_fail("sitting %s: %s", o->sitting, g->why != NULL ? g->why :
	    agendajob_outcome_text(g->outcome));
}

/* The agenda got, rendered now and printed after the commit. */
static void
got(const struct agendajob_got *g, void *arg)
{
	struct opts *o = arg;
	const struct agenda *a = g->a;
	struct buf *out = &o->ctl->out;
	bool summary = g->issued != NULL && o->format == NULL;
	int rc = 0;

	if (got_fail(o, g) != CTL_OK) {
		ctl_done(o->ctl, CTL_FAIL);
		return;
	}
	if (summary)
		buf_printf(out, "sitting %s: issued version %d, %zu "
		    "case%s (%zu added, %zu removed, %zu changed); mailed to "
		    "%s\n", o->sitting, a->version, a->ncases, a->ncases == 1 ?
		    "" : "s", g->iss->d.nadded, g->iss->d.nremoved,
		    g->iss->d.nchanged, PQgetvalue(g->issued, 0, 1));
	else if (a == NULL)
		rc = agenda_stmt_stored_json(PQgetvalue(g->stored, 0, 1),
		    PQgetvalue(g->stored, 0, 2), PQgetvalue(g->stored, 0, 5),
		    out);
	else
		rc = agenda_stmt_render(a, o->fmt, g->diff, g->sha256,
		    (int64_t)clock_time(), &o->ctl->cfg, out);
	if (rc == 0 && !summary && (a == NULL || o->fmt == AGENDA_FORMAT_JSON))
		buf_add(out, "\n", 1);
	if (rc != 0 && a == NULL)
		rc = ctl_fail("sitting %s: a stored version cannot be read back",
		    o->sitting);
	else if (rc != 0)
		rc = ctl_fail("out of memory");
	ctl_done(o->ctl, rc == 0 ? CTL_OK : CTL_FAIL);
}

int
ctl_agenda(struct ctl *ctl)
{
	const char *version = ctl_arg(ctl, "version");
	bool issue = ctl_arg(ctl, "issue") != NULL;
	struct opts o = { .ctl = ctl, .sitting = ctl->pos[0],
	    .format = ctl_arg(ctl, "format"), .ask.sitting = ctl->id,
	    .ask.may_draft = true };
	struct db_txn *txn;
	long v = 0;

	if ((o.format != NULL && !agenda_stmt_format(o.format, &o.fmt)) ||
	    (version != NULL && !(o.ask.draft = strcmp(version, "draft") == 0) &&
	    !ctl_number(version, 1, INT_MAX, &v)) || (issue && version != NULL))
		return ctl_usage(ctl);
	o.ask.version = (int)v;
	o.ask.stored_json = o.fmt == AGENDA_FORMAT_JSON;
	if ((txn = ctl_begin(ctl)) == NULL)
		return CTL_FAIL;
	if (issue)
		agendajob_issue(txn, &ctl->cfg, o.ask.sitting, got, &o);
	else
		agendajob_get(txn, &ctl->cfg, &o.ask, got, &o);
	return ctl_wait(ctl);
}

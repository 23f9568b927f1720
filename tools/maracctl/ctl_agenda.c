/*
 * maracctl agenda SITTING [--format F] [--version N|draft] [--issue]:
 * print a sitting's agenda, or issue a new version of it, with maracd's
 * own code (shell/agendajob.h), as GET /v1/sittings/{id}/agenda and POST
 * .../agenda/issue do, as the schema owner: it sees every case
 * (sql/008_agenda.sql), and its audit rows say "maracctl agenda".
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/agendajob.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct opts {
	struct ctl		*ctl;
	const char		*sitting;
	enum agenda_stmt_format	 fmt;
	bool			 has_format;
	struct agendajob_ask	 ask;
	bool			 issue;
};

static bool
parse(struct ctl *ctl, struct opts *o)
{
	const char *format = ctl_arg(ctl, "format");
	const char *version = ctl_arg(ctl, "version");
	long long v;
	char *end;

	if ((o->has_format = format != NULL) && !agenda_stmt_format(format, &o->fmt))
		return false;
	if (version != NULL && !(o->ask.draft = strcmp(version, "draft") == 0)) {
		v = strtoll(version, &end, 10);
		if (*end != '\0' || v < 1 || v > INT_MAX)
			return false;
		o->ask.version = (int)v;
	}
	o->issue = ctl_arg(ctl, "issue") != NULL;
	return ctl_id(o->sitting, &o->ask.sitting) &&
	    !(o->issue && (o->ask.draft || o->ask.version > 0));
}

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
	int rc = 0;

	if (got_fail(o, g) != CTL_OK) {
		ctl_done(o->ctl, CTL_FAIL);
		return;
	}
	if (g->issued != NULL && !o->has_format)
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
	if (rc == 0 && (a == NULL || o->fmt == AGENDA_FORMAT_JSON) &&
	    (g->issued == NULL || o->has_format))
		buf_add(out, "\n", 1);
	if (rc != 0 && a == NULL)
		rc = ctl_fail("sitting %s: a stored version cannot be read back",
		    o->sitting);
	else if (rc != 0)
		rc = ctl_fail("out of memory");
	ctl_done(o->ctl, rc == 0 ? CTL_OK : CTL_FAIL);
}

static void
start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	struct opts *o = arg;

	if (o->issue)
		agendajob_issue(txn, &ctl->cfg, o->ask.sitting, got, o);
	else
		agendajob_get(txn, &ctl->cfg, &o->ask, got, o);
}

int
ctl_agenda(struct ctl *ctl)
{
	struct opts o = { .ctl = ctl, .sitting = ctl->pos[0] };

	if (!parse(ctl, &o))
		return ctl_usage(ctl);
	o.ask.may_draft = true;
	o.ask.stored_json = o.fmt == AGENDA_FORMAT_JSON;
	return ctl_run(ctl, start, &o);
}

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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE "agenda SITTING [--format json|html|csv|ics] " \
	"[--version N|draft] [--issue]"

struct opts {
	struct ctl		*ctl;
	const char		*sitting;
	enum agendastore_format	 fmt;
	bool			 has_format;
	struct agendajob_ask	 ask;
	bool			 issue;
	struct buf		 out;	/* printed after the commit */
};

static bool
parse(int argc, char **argv, struct opts *o)
{
	long long v;
	char *end;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--issue") == 0) {
			o->issue = true;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (!agendastore_format(argv[++i], &o->fmt))
				return false;
			o->has_format = true;
		} else if (strcmp(argv[i], "--version") == 0 && i + 1 < argc) {
			if (strcmp(argv[++i], "draft") == 0) {
				o->ask.draft = true;
				continue;
			}
			v = strtoll(argv[i], &end, 10);
			if (*end != '\0' || v < 1 || v > INT_MAX)
				return false;
			o->ask.version = (int)v;
		} else if (argv[i][0] != '-' && o->sitting == NULL) {
			o->sitting = argv[i];
		} else {
			return false;
		}
	}
	if (o->sitting == NULL || strspn(o->sitting, "0123456789") !=
	    strlen(o->sitting) || strlen(o->sitting) > 15)
		return false;
	o->ask.sitting = strtoll(o->sitting, NULL, 10);
	return !(o->issue && (o->ask.draft || o->ask.version > 0));
}

static int
got_fail(const struct opts *o, const struct agendajob_got *g)
{
	switch (g->outcome) {
	case AGENDAJOB_OK:
		break;
	case AGENDAJOB_FAILED:
		if (g->why != NULL)
			return ctl_fail("sitting %s: %s", o->sitting, g->why);
		/* FALLTHROUGH */
	case AGENDAJOB_CONFLICT:
		return ctl_fail_res(g->res);
	case AGENDAJOB_NO_SITTING:
		return ctl_fail("no sitting %s", o->sitting);
	case AGENDAJOB_NO_VERSION:
	case AGENDAJOB_NONE_ISSUED:
	case AGENDAJOB_NO_DRAFT:
		return ctl_fail("sitting %s has no version %d of its agenda",
		    o->sitting, o->ask.version);
	case AGENDAJOB_CANCELLED:
		return ctl_fail("sitting %s is cancelled", o->sitting);
	case AGENDAJOB_HELD:
		return ctl_fail("sitting %s has been held; its agenda can no "
		    "longer be issued", o->sitting);
	}
	return CTL_OK;
}

/* The agenda got, rendered now and printed after the commit. */
static void
got(const struct agendajob_got *g, void *arg)
{
	struct opts *o = arg;
	const struct agenda *a = g->a;
	int rc = 0;

	if (got_fail(o, g) != CTL_OK) {
		ctl_done(o->ctl, CTL_FAIL);
		return;
	}
	if (g->issued != NULL && !o->has_format)
		buf_printf(&o->out, "sitting %s: issued version %d, %zu "
		    "case%s (%zu added, %zu removed, %zu changed); mailed to "
		    "%s\n", o->sitting, a->version, a->ncases, a->ncases == 1 ?
		    "" : "s", g->iss->d.nadded, g->iss->d.nremoved,
		    g->iss->d.nchanged, PQgetvalue(g->issued, 0, 1));
	else if (a == NULL)
		rc = agendastore_stored_json(PQgetvalue(g->stored, 0, 1),
		    PQgetvalue(g->stored, 0, 2), PQgetvalue(g->stored, 0, 5),
		    &o->out);
	else
		rc = agendastore_render(a, o->fmt, g->diff, g->sha256,
		    (int64_t)clock_time(), &o->ctl->cfg, &o->out);
	if (rc == 0 && (a == NULL || o->fmt == AGENDA_FORMAT_JSON) &&
	    (g->issued == NULL || o->has_format))
		buf_add(&o->out, "\n", 1);
	if (rc != 0 && a == NULL)
		rc = ctl_fail("sitting %s: a stored version cannot be read back",
		    o->sitting);
	else if (rc != 0 || buf_failed(&o->out))
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
ctl_agenda(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { .ctl = ctl };
	int rc;

	if (!parse(argc, argv, &o))
		return ctl_usage(USAGE);
	o.ask.may_draft = true;
	o.ask.stored_json = o.fmt == AGENDA_FORMAT_JSON;
	buf_init(&o.out);
	rc = ctl_run(ctl, "maracctl agenda", start, &o);
	if (rc == CTL_OK && (fwrite(buf_str(&o.out), 1, o.out.len, stdout) !=
	    o.out.len || fflush(stdout) != 0))
		rc = ctl_fail("cannot write the agenda");
	buf_free(&o.out);
	return rc;
}

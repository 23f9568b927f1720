/*
 * maracctl agenda SITTING [--format F] [--version N|draft] [--issue]:
 * print a sitting's agenda, or issue a new version of it, as
 * GET /v1/sittings/{id}/agenda and POST .../agenda/issue do (the same
 * statements and model, statements/agenda.h), as the schema owner: it sees every
 * case (sql/008_agenda.sql), and its audit rows say "maracctl agenda".
 */
#include "ctl.h"
#include "shell/clock.h"
#include "statements/agenda.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE "agenda SITTING [--format json|html|csv|ics] " \
	"[--version N|draft] [--issue]"

struct opts {
	const char		*sitting;
	enum agendastore_format	 fmt;
	bool			 has_format;
	int			 version;	/* 0: latest */
	bool			 draft;
	bool			 issue;
};

static bool
parse(int argc, char **argv, struct opts *o)
{
	long long v;
	char *end;

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--issue") == 0) {
			o->issue = true;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (!agendastore_format(argv[++i], &o->fmt))
				return false;
			o->has_format = true;
		} else if (strcmp(argv[i], "--version") == 0 && i + 1 < argc) {
			if (strcmp(argv[++i], "draft") == 0) {
				o->draft = true;
				continue;
			}
			v = strtoll(argv[i], &end, 10);
			if (*end != '\0' || v < 1 || v > INT_MAX)
				return false;
			o->version = (int)v;
		} else if (argv[i][0] != '-' && o->sitting == NULL) {
			o->sitting = argv[i];
		} else {
			return false;
		}
	}
	if (o->sitting == NULL || strspn(o->sitting, "0123456789") !=
	    strlen(o->sitting) || strlen(o->sitting) > 15)
		return false;
	return !(o->issue && (o->draft || o->version > 0));
}

static int
setup(struct ctl *ctl)
{
	const char *p[1] = { ctl->cfg.timezone };
	PGresult *res;

	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if ((res = ctl_exec(ctl, "SELECT set_config('TimeZone', $1, false), "
	    "set_config('maracd.system', 'maracctl agenda', false)", 1,
	    p)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	if ((res = ctl_exec(ctl, "BEGIN", 0, NULL)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	return CTL_OK;
}

static int
print(struct ctl *ctl, const struct agenda *a, enum agendastore_format f,
    const char *diff, const char *sha256)
{
	struct buf b;
	int rc = CTL_OK;

	buf_init(&b);
	if (agendastore_render(a, f, diff, sha256, (int64_t)clock_time(),
	    &ctl->cfg, &b) != 0)
		rc = ctl_fail("out of memory");
	else if (fwrite(buf_str(&b), 1, b.len, stdout) != b.len ||
	    (f == AGENDA_FORMAT_JSON && putchar('\n') == EOF) ||
	    fflush(stdout) != 0)
		rc = ctl_fail("cannot write the agenda");
	buf_free(&b);
	return rc;
}

static int
commit(struct ctl *ctl)
{
	PGresult *res = ctl_exec(ctl, "COMMIT", 0, NULL);

	if (res == NULL)
		return CTL_FAIL;
	PQclear(res);
	return CTL_OK;
}

/* An issued version in JSON, as maracd answers it: the stored bytes. */
static int
print_stored(struct ctl *ctl, const struct opts *o, PGresult *res)
{
	struct buf b;
	int rc;

	buf_init(&b);
	if (agendastore_stored_json(PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
	    PQgetvalue(res, 0, 5), &b) != 0) {
		buf_free(&b);
		PQclear(res);
		return ctl_fail("sitting %s: a stored version cannot be read "
		    "back", o->sitting);
	}
	PQclear(res);
	if ((rc = commit(ctl)) == CTL_OK && (fwrite(buf_str(&b), 1, b.len,
	    stdout) != b.len || putchar('\n') == EOF || fflush(stdout) != 0))
		rc = ctl_fail("cannot write the agenda");
	buf_free(&b);
	return rc;
}

static int
show_draft(struct ctl *ctl, const struct opts *o,
    const struct agendastore_sitting *s)
{
	const char *p[1] = { o->sitting };
	struct agenda a;
	PGresult *res;
	int rc;

	if ((res = ctl_exec(ctl, AGENDASTORE_SQL_DRAFT, 1, p)) == NULL)
		return CTL_FAIL;
	rc = agendastore_build(res, s, 0, NULL, &ctl->cfg, &a);
	PQclear(res);
	if (rc != 0)
		return ctl_fail("sitting %s: the listed cases do not make an "
		    "agenda", o->sitting);
	rc = commit(ctl);
	if (rc == CTL_OK)
		rc = print(ctl, &a, o->fmt, NULL, NULL);
	agenda_free(&a);
	return rc;
}

static int
show(struct ctl *ctl, const struct opts *o, const struct agendastore_sitting *s)
{
	char v[16];
	const char *p[2] = { o->sitting, NULL };
	struct agenda a;
	PGresult *res;
	int rc;

	if (o->draft || (o->version == 0 && s->latest == 0))
		return show_draft(ctl, o, s);
	snprintf(v, sizeof(v), "%d", o->version);
	p[1] = o->version > 0 ? v : NULL;
	if ((res = ctl_exec(ctl, AGENDASTORE_SQL_VERSION, 2, p)) == NULL)
		return CTL_FAIL;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ctl_fail("sitting %s has no version %d of its agenda",
		    o->sitting, o->version);
	}
	if (o->fmt == AGENDA_FORMAT_JSON)
		return print_stored(ctl, o, res);
	if (agendastore_load(PQgetvalue(res, 0, 1), &a) != 0) {
		PQclear(res);
		return ctl_fail("sitting %s: a stored version cannot be read "
		    "back", o->sitting);
	}
	rc = commit(ctl);
	if (rc == CTL_OK)
		rc = print(ctl, &a, o->fmt, PQgetvalue(res, 0, 2),
		    PQgetvalue(res, 0, 5));
	PQclear(res);
	agenda_free(&a);
	return rc;
}

static int
issue(struct ctl *ctl, const struct opts *o, const struct agendastore_sitting *s)
{
	const char *p[9] = { o->sitting, NULL }, *why;
	struct agendastore_issue iss;
	struct agenda a;
	char *prev = NULL;
	PGresult *res;
	int rc = CTL_FAIL;

	if (s->cancelled)
		return ctl_fail("sitting %s is cancelled", o->sitting);
	if (s->held)
		return ctl_fail("sitting %s has been held; its agenda can no "
		    "longer be issued", o->sitting);
	if (s->latest > 0) {
		if ((res = ctl_exec(ctl, AGENDASTORE_SQL_VERSION, 2, p)) == NULL)
			return CTL_FAIL;
		prev = PQntuples(res) == 1 ? strdup(PQgetvalue(res, 0, 1)) : NULL;
		PQclear(res);
		if (prev == NULL)
			return ctl_fail("sitting %s: the latest version cannot "
			    "be read", o->sitting);
	}
	if ((res = ctl_exec(ctl, AGENDASTORE_SQL_ROWS, 1, p)) == NULL) {
		free(prev);
		return CTL_FAIL;
	}
	rc = agendastore_build(res, s, s->latest + 1, s->now_utc, &ctl->cfg, &a);
	PQclear(res);
	if (rc != 0) {
		free(prev);
		return ctl_fail("sitting %s: the listed cases do not make an "
		    "agenda", o->sitting);
	}
	rc = agendastore_issue_prepare(&a, prev, &ctl->cfg, (int64_t)clock_time(),
	    &iss, &why);
	free(prev);
	if (rc != 0) {
		agenda_free(&a);
		return ctl_fail("sitting %s: %s", o->sitting, why);
	}
	agendastore_issue_params(&iss, o->sitting, s->now_utc, p);
	if ((res = ctl_exec(ctl, AGENDASTORE_SQL_ISSUE, 9, p)) == NULL) {
		rc = CTL_FAIL;
	} else {
		if ((rc = commit(ctl)) == CTL_OK && o->has_format)
			rc = print(ctl, &a, o->fmt, iss.diff, NULL);
		else if (rc == CTL_OK)
			printf("sitting %s: issued version %d, %zu case%s (%zu "
			    "added, %zu removed, %zu changed); mailed to %s\n",
			    o->sitting, a.version, a.ncases,
			    a.ncases == 1 ? "" : "s", iss.d.nadded,
			    iss.d.nremoved, iss.d.nchanged, PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	agendastore_issue_free(&iss);
	agenda_free(&a);
	return rc;
}

int
ctl_agenda(struct ctl *ctl, int argc, char **argv)
{
	struct agendastore_sitting s;
	struct opts o;
	const char *p[3];
	char now[CLOCK_RFC3339_MAX];
	PGresult *res;
	int found;

	if (!parse(argc, argv, &o))
		return ctl_usage(USAGE);
	if (setup(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = o.sitting;
	p[1] = o.issue ? "true" : "false";
	p[2] = clock_rfc3339(now, sizeof(now));
	if ((res = ctl_exec(ctl, AGENDASTORE_SQL_SITTING, 3, p)) == NULL)
		return CTL_FAIL;
	found = agendastore_read_sitting(res, &s);
	PQclear(res);
	if (found == 0)
		return ctl_fail("no sitting %s", o.sitting);
	if (found < 0)
		return ctl_fail("sitting %s cannot be read (is the schema "
		    "migrated? maracctl migrate)", o.sitting);
	return o.issue ? issue(ctl, &o, &s) : show(ctl, &o, &s);
}

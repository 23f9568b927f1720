/*
 * maracctl holidays [--year Y] | holidays add|remove, and maracctl
 * calendar.  Holiday changes are maracd's own (calendar_holiday_change,
 * as POST and DELETE /v1/holidays make them): under the sittings lock,
 * audited, and followed in the same transaction by the refresh of
 * sittings, so that no cutoff waits an hour for a new holiday.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/calendar.h"
#include "shell/db.h"
#include "statements/sittings.h"
#include "core/workdays.h"
#include "core/forum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN	200

struct cal {
	struct ctl		*ctl;
	struct calendar_holiday	 h;
	const char		*day;
	long			 year;
	const char		*p[5];		/* calendar: the listing's */
	struct calstore		 cs;
	char			 old[256];
	long			 changed;
	PGresult		*rows;
};

static int
status_fail(const struct calendar_status *st)
{
	if (st->why != NULL)
		return ctl_fail("%s", st->why);
	return ctl_fail_res(st->res);
}

static void
year_loaded(const struct calendar_status *st, void *arg)
{
	struct cal *c = arg;

	ctl_done(c->ctl, st->ok ? CTL_OK : status_fail(st));
}

static void
year_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	(void)ctl;
	calendar_load(txn, &((struct cal *)arg)->cs, year_loaded, arg);
}

static int
holidays_year(struct ctl *ctl, const char *year)
{
	struct holiday h[WORKDAYS_YEAR_MAX];
	struct cal c = { .ctl = ctl };
	char *end, buf[DATE_STRLEN];
	size_t n;
	int rc;

	c.year = strtol(year, &end, 10);
	if (*year == '\0' || *end != '\0' || c.year < DATE_MIN_YEAR ||
	    c.year > DATE_MAX_YEAR)
		return ctl_usage("holidays --year YYYY (1900..2200)");
	calstore_init(&c.cs);
	if ((rc = ctl_run(ctl, "maracctl", year_start, &c)) == CTL_OK) {
		n = workdays_year(&c.cs.cal, (int)c.year, h);
		for (size_t i = 0; i < n; i++)
			printf("%s\t%s\n", date_format(h[i].date, buf), h[i].name);
	}
	calstore_free(&c.cs);
	return rc;
}

static bool
date_arg(const char *s, date_t *d)
{
	int y, m, day;

	if (s == NULL || !date_parse(s, d))
		return false;
	date_to_ymd(*d, &y, &m, &day);
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR;
}

static void
changed(const struct calendar_holiday_changed *ch, void *arg)
{
	struct cal *c = arg;

	if (!ch->status.ok) {
		ctl_done(c->ctl, status_fail(&ch->status));
		return;
	}
	if (ch->no_holiday) {
		ctl_done(c->ctl, ctl_fail("%s is not a bank holiday", c->h.remove ?
		    c->day : c->p[0]));
		return;
	}
	snprintf(c->old, sizeof(c->old), "%s", ch->old != NULL ? ch->old : "");
	c->changed = ch->changed;
	ctl_done(c->ctl, CTL_OK);
}

static void
change_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	calendar_holiday_change(txn, &((struct cal *)arg)->h,
	    ctl->cfg.horizon_weeks * 7, ctl->cfg.reminders_coordinator_email,
	    changed, arg);
}

/* add: name may be NULL with replaces; remove: both NULL. */
static int
holiday_change(struct ctl *ctl, bool add, const char *day, const char *name,
    const char *replaces)
{
	struct cal c = { .ctl = ctl, .day = day };
	int rc;

	c.h.remove = !add;
	c.h.name = name;
	(void)date_arg(day, &c.h.date);
	c.p[0] = replaces;
	if (replaces != NULL && !date_arg(replaces, &c.h.replaces))
		return ctl_fail("%s is not a bank holiday", replaces);
	c.h.has_replaces = replaces != NULL;
	if ((rc = ctl_run(ctl, "maracctl", change_start, &c)) != CTL_OK)
		return rc;
	if (add)
		printf("holiday %s saved", day);
	else
		printf("holiday %s (%s) removed", day, c.old);
	printf("; %ld sittings changed\n", c.changed);
	return CTL_OK;
}

static int
holidays_add(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--name", "--replaces", NULL };
	const char *name, *replaces;
	date_t d;

	if (argc < 1 || !date_arg(argv[0], &d) ||
	    !ctl_opts_known(argc - 1, argv + 1, known))
		return ctl_usage("holidays add YYYY-MM-DD --name NAME "
		    "[--replaces YYYY-MM-DD]");
	name = ctl_opt(argc - 1, argv + 1, "--name");
	replaces = ctl_opt(argc - 1, argv + 1, "--replaces");
	if ((name == NULL && replaces == NULL) ||
	    (name != NULL && (name[0] == '\0' || strlen(name) > NAME_MAX_LEN)))
		return ctl_usage("holidays add YYYY-MM-DD --name NAME "
		    "[--replaces YYYY-MM-DD]");
	return holiday_change(ctl, true, argv[0], name, replaces);
}

static int
holidays_remove(struct ctl *ctl, int argc, char **argv)
{
	date_t d;

	if (argc != 1 || !date_arg(argv[0], &d))
		return ctl_usage("holidays remove YYYY-MM-DD");
	return holiday_change(ctl, false, argv[0], NULL, NULL);
}

int
ctl_holidays(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--year", NULL };

	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return holidays_add(ctl, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "remove") == 0)
		return holidays_remove(ctl, argc - 1, argv + 1);
	if (argc == 2 && ctl_opts_known(argc, argv, known) &&
	    ctl_opt(argc, argv, "--year") != NULL)
		return holidays_year(ctl, ctl_opt(argc, argv, "--year"));
	return ctl_usage("holidays --year YYYY | holidays add DATE --name NAME "
	    "[--replaces DATE] | holidays remove DATE");
}

/* ---- calendar ------------------------------------------------------------ */

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct cal *c = arg;

	(void)txn;
	if (!db_ok(res))
		ctl_done(c->ctl, ctl_fail_res(res));
	else if ((c->rows = PQcopyResult(res, PG_COPYRES_ATTRS |
	    PG_COPYRES_TUPLES)) == NULL)
		ctl_done(c->ctl, ctl_fail("out of memory"));
	else
		ctl_done(c->ctl, CTL_OK);
}

static void
list_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	(void)ctl;
	db_query(txn, SITTINGS_SQL_LIST, 5, ((struct cal *)arg)->p, listed, arg);
}

int
ctl_calendar(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--forum", "--area", "--from",
	    "--count", NULL };
	const char *forum = ctl_opt(argc, argv, "--forum");
	const char *count = ctl_opt(argc, argv, "--count");
	struct cal c = { .ctl = ctl };
	char today[DATE_STRLEN];
	PGresult *res;
	char *end;
	long n = 10;
	date_t d;
	int rc;

	if (!ctl_opts_known(argc, argv, known) || argc % 2 != 0)
		goto usage;
	if (forum != NULL && forum_of(forum) == FORUM_NONE)
		goto usage;
	if (ctl_opt(argc, argv, "--from") != NULL &&
	    !date_arg(ctl_opt(argc, argv, "--from"), &d))
		goto usage;
	if (count != NULL && ((n = strtol(count, &end, 10)) < 1 || n > 1000 ||
	    *end != '\0'))
		goto usage;
	c.p[0] = forum;
	c.p[1] = ctl_opt(argc, argv, "--area");
	c.p[2] = ctl_opt(argc, argv, "--from");
	c.p[3] = "2200-12-31";	/* as far as there are sittings */
	c.p[4] = date_format(clock_today(), today);	/* from today by default */
	if ((rc = ctl_run(ctl, "maracctl", list_start, &c)) != CTL_OK)
		return rc;
	res = c.rows;
	for (int i = 0; i < PQntuples(res) && i < n; i++)
		printf("%s\t%s\t%s\tcutoff %s\t%s\n", PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 4), PQgetvalue(res, i, 6));
	PQclear(res);
	return CTL_OK;
usage:
	return ctl_usage("calendar [--forum marac|masc] [--area CODE] "
	    "[--from YYYY-MM-DD] [--count N]");
}

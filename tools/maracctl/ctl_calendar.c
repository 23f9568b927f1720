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
	const char		*p[5];		/* calendar: the listing's */
	struct calendar_stmt		 cs;
	long			 n;		/* the year, or how many sittings */
};

/* The holidays of the year, as maracd's calendar holds them. */
static void
year_loaded(const struct calendar_status *st, void *arg)
{
	struct cal *c = arg;
	struct holiday h[WORKDAYS_YEAR_MAX];
	char buf[DATE_STRLEN];
	size_t n;

	if (!st->ok) {
		ctl_done_fail(c->ctl, st->why, st->res);
		return;
	}
	n = workdays_year(&c->cs.cal, (int)c->n, h);
	for (size_t i = 0; i < n; i++)
		buf_printf(&c->ctl->out, "%s\t%s\n", date_format(h[i].date, buf),
		    h[i].name);
	ctl_done(c->ctl, CTL_OK);
}

static void
year_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	(void)ctl;
	calendar_load(txn, &((struct cal *)arg)->cs, year_loaded, arg);
}

int
ctl_holidays_year(struct ctl *ctl)
{
	const char *year = ctl_arg(ctl, "year");
	struct cal c = { .ctl = ctl };
	char *end;
	int rc;

	c.n = strtol(year, &end, 10);
	if (*year == '\0' || *end != '\0' || c.n < DATE_MIN_YEAR ||
	    c.n > DATE_MAX_YEAR)
		return ctl_usage(ctl);
	calendar_stmt_init(&c.cs);
	rc = ctl_run(ctl, year_start, &c);
	calendar_stmt_free(&c.cs);
	return rc;
}

static void
changed(const struct calendar_holiday_changed *ch, void *arg)
{
	struct cal *c = arg;
	struct buf *out = &c->ctl->out;

	if (!ch->status.ok) {
		ctl_done_fail(c->ctl, ch->status.why, ch->status.res);
		return;
	}
	if (ch->no_holiday) {
		ctl_done(c->ctl, ctl_fail("%s is not a bank holiday", c->h.remove ?
		    c->ctl->pos[0] : c->p[0]));
		return;
	}
	if (c->h.remove)
		buf_printf(out, "holiday %s (%s) removed", c->ctl->pos[0],
		    ch->old != NULL ? ch->old : "");
	else
		buf_printf(out, "holiday %s saved", c->ctl->pos[0]);
	buf_printf(out, "; %ld sittings changed\n", ch->changed);
	ctl_done(c->ctl, CTL_OK);
}

static void
change_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	calendar_holiday_change(txn, &((struct cal *)arg)->h,
	    ctl->cfg.horizon_weeks * 7, ctl->cfg.reminders_coordinator_email,
	    changed, arg);
}

/* holidays add, holidays remove. */
int
ctl_holidays_change(struct ctl *ctl)
{
	const char *name = ctl_arg(ctl, "name");
	const char *replaces = ctl_arg(ctl, "replaces");
	struct cal c = { .ctl = ctl, .p = { replaces } };

	c.h.remove = strcmp(ctl->cmd->verb, "holidays remove") == 0;
	c.h.name = name;
	if (!ctl_date(ctl->pos[0], &c.h.date) || (!c.h.remove && ((name == NULL &&
	    replaces == NULL) || (name != NULL && (name[0] == '\0' ||
	    strlen(name) > NAME_MAX_LEN)))))
		return ctl_usage(ctl);
	if (replaces != NULL && !ctl_date(replaces, &c.h.replaces))
		return ctl_fail("%s is not a bank holiday", replaces);
	c.h.has_replaces = replaces != NULL;
	return ctl_run(ctl, change_start, &c);
}

/* ---- calendar ------------------------------------------------------------ */

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct cal *c = arg;

	(void)txn;
	if (!db_ok(res)) {
		ctl_done_fail(c->ctl, NULL, res);
		return;
	}
	for (int i = 0; i < PQntuples(res) && i < c->n; i++)
		buf_printf(&c->ctl->out, "%s\t%s\t%s\tcutoff %s\t%s\n",
		    PQgetvalue(res, i, 3), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 4),
		    PQgetvalue(res, i, 6));
	ctl_done(c->ctl, CTL_OK);
}

static void
list_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	(void)ctl;
	db_query(txn, SITTINGS_SQL_LIST, 5, ((struct cal *)arg)->p, listed, arg);
}

int
ctl_calendar(struct ctl *ctl)
{
	const char *forum = ctl_arg(ctl, "forum");
	const char *count = ctl_arg(ctl, "count");
	const char *from = ctl_arg(ctl, "from");
	struct cal c = { .ctl = ctl, .n = 10 };
	char today[DATE_STRLEN], *end;
	date_t d;

	if ((forum != NULL && forum_of(forum) == FORUM_NONE) ||
	    (from != NULL && !ctl_date(from, &d)) || (count != NULL &&
	    ((c.n = strtol(count, &end, 10)) < 1 || c.n > 1000 ||
	    *end != '\0')))
		return ctl_usage(ctl);
	c.p[0] = forum;
	c.p[1] = ctl_arg(ctl, "area");
	c.p[2] = from;
	c.p[3] = "2200-12-31";	/* as far as there are sittings */
	c.p[4] = date_format(clock_today(), today);	/* from today by default */
	return ctl_run(ctl, list_start, &c);
}

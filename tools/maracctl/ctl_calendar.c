/*
 * maracctl holidays [--year Y] | holidays add|remove, and maracctl
 * calendar.  Holiday changes are maracd's own (calendar_holiday_change,
 * as POST and DELETE /v1/holidays make them): under the sittings lock,
 * audited, and followed in the same transaction by the refresh of
 * sittings, so that no cutoff waits an hour for a new holiday.  The
 * calendar lists sittings with the statement GET /v1/sittings sends.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/calendar.h"
#include "shell/db.h"
#include "statements/sittings.h"
#include "core/workdays.h"
#include "core/forum.h"

#include <string.h>

struct cal {
	struct ctl		*ctl;
	long			 year;
	struct calendar_stmt	 cs;
};

/* The holidays of the year, as maracd's calendar holds them. */
static void
year_loaded(const struct calendar_status *st, void *arg)
{
	struct cal *c = arg;
	struct holiday h[WORKDAYS_YEAR_MAX];
	char day[DATE_STRLEN];
	size_t n;

	if (!st->ok) {
		ctl_done_fail(c->ctl, st->why, st->res);
		return;
	}
	n = workdays_year(&c->cs.cal, (int)c->year, h);
	for (size_t i = 0; i < n; i++)
		buf_printf(&c->ctl->out, "%s\t%s\n", date_format(h[i].date, day),
		    h[i].name);
	ctl_done(c->ctl, CTL_OK);
}

int
ctl_holidays_year(struct ctl *ctl)
{
	struct cal c = { .ctl = ctl };
	int rc = CTL_FAIL;

	if (!ctl_number(ctl_arg(ctl, "year"), DATE_MIN_YEAR, DATE_MAX_YEAR,
	    &c.year))
		return ctl_usage(ctl);
	calendar_stmt_init(&c.cs);
	if (ctl_begin(ctl)) {
		calendar_load(ctl->txn, &c.cs, year_loaded, &c);
		rc = ctl_wait(ctl);
	}
	calendar_stmt_free(&c.cs);
	return rc;
}

static void
changed(const struct calendar_holiday_changed *ch, void *arg)
{
	struct ctl *ctl = arg;
	const char *day = ctl->pos[0], *replaces = ctl_arg(ctl, "replaces");
	bool remove = strcmp(ctl->cmd->verb, "holidays remove") == 0;

	if (!ch->status.ok)
		ctl_done_fail(ctl, ch->status.why, ch->status.res);
	else if (ch->no_holiday)
		ctl_done(ctl, ctl_fail("%s is not a bank holiday",
		    remove ? day : replaces));
	else {
		if (remove)
			buf_printf(&ctl->out, "holiday %s (%s) removed", day,
			    ch->old != NULL ? ch->old : "");
		else
			buf_printf(&ctl->out, "holiday %s saved", day);
		buf_printf(&ctl->out, "; %ld sittings changed\n", ch->changed);
		ctl_done(ctl, CTL_OK);
	}
}

/* holidays add, holidays remove. */
int
ctl_holidays_change(struct ctl *ctl)
{
	const char *name = ctl_arg(ctl, "name");
	const char *replaces = ctl_arg(ctl, "replaces");
	struct calendar_holiday h = { .name = name, .has_replaces = replaces != NULL,
	    .remove = strcmp(ctl->cmd->verb, "holidays remove") == 0,
	    .date = ctl->date };

	if (!h.remove && ((name == NULL && replaces == NULL) || (name != NULL &&
	    (name[0] == '\0' || strlen(name) > CALENDAR_HOLIDAY_NAME_MAX))))
		return ctl_usage(ctl);
	if (replaces != NULL && !date_parse(replaces, &h.replaces))
		return ctl_fail("%s is not a bank holiday", replaces);
	if (!ctl_begin(ctl))
		return CTL_FAIL;
	calendar_holiday_change(ctl->txn, &h, ctl->cfg.horizon_weeks * 7,
	    ctl->cfg.reminders_coordinator_email, changed, ctl);
	return ctl_wait(ctl);
}

/* ---- calendar ------------------------------------------------------------ */

int
ctl_calendar(struct ctl *ctl)
{
	const char *forum = ctl_arg(ctl, "forum");
	const char *count = ctl_arg(ctl, "count");
	const char *from = ctl_arg(ctl, "from");
	char today[DATE_STRLEN];
	/* Until 2200, as far as there are sittings; from today; 10 of them. */
	const char *p[6] = { forum, ctl_arg(ctl, "area"), from, "2200-12-31",
	    date_format(clock_today(), today), count != NULL ? count : "10" };
	date_t d;
	long n;

	if ((forum != NULL && forum_of(forum) == FORUM_NONE) ||
	    (from != NULL && !date_parse(from, &d)) ||
	    (count != NULL && !ctl_number(count, 1, 1000, &n)))
		return ctl_usage(ctl);
	return ctl_rows(ctl, NULL, ctl_exec(ctl, SITTINGS_SQL_LIST_ROWS, 6, p));
}

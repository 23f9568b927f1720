/*
 * maracctl holidays [--year Y] | holidays add|remove, and maracctl
 * calendar.  Holiday changes are made as the API makes them: under
 * the sittings lock, audited, and followed in the same transaction by
 * the refresh of sittings that maracd's job does (statements/calendar.h), so that
 * no cutoff waits an hour for a new holiday.
 */
#include "ctl.h"
#include "statements/calendar.h"
#include "shell/clock.h"
#include "core/date.h"
#include "core/workdays.h"
#include "core/forum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN	200

/* Local dates and instants in the configured zone, as maracd's sessions. */
static int
connect_local(struct ctl *ctl)
{
	const char *p[1] = { ctl->cfg.timezone };
	PGresult *res;

	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if ((res = ctl_exec(ctl, "SELECT set_config('TimeZone', $1, false)", 1,
	    p)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	return CTL_OK;
}

static bool
run(struct ctl *ctl, const char *sql, int n, const char *const *p,
    PGresult **out)
{
	PGresult *res = ctl_exec(ctl, sql, n, p);

	if (res == NULL)
		return false;
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return true;
}

static bool
load(struct ctl *ctl, struct calstore *cs)
{
	char why[CALSTORE_WHY_MAX], today[DATE_STRLEN];
	/* The clock's today, as maracd's: it decides what has been held. */
	const char *p[1] = { date_format(clock_today(), today) };
	PGresult *res;
	int rc;

	if (!run(ctl, CALSTORE_SQL_OVERRIDES, 0, NULL, &res))
		return false;
	rc = calstore_read_overrides(cs, res, why, sizeof(why));
	PQclear(res);
	if (rc == 0) {
		if (!run(ctl, CALSTORE_SQL_SERIES, 1, p, &res))
			return false;
		rc = calstore_read_series(cs, res, why, sizeof(why));
		PQclear(res);
	}
	if (rc != 0)
		ctl_fail("%s", why);
	return rc == 0;
}

/* What maracd's sittings job does, in this transaction. */
static bool
refresh(struct ctl *ctl, long *changed)
{
	struct calstore cs;
	struct calstore_plan plan;
	char today[DATE_STRLEN], now[CLOCK_RFC3339_MAX];
	const char *p[2] = { today, now };
	const char *re[3] = { NULL, today, ctl->cfg.reminders_coordinator_email };
	PGresult *res;
	bool ok = false;

	calstore_init(&cs);
	memset(&plan, 0, sizeof(plan));
	*changed = 0;
	if (!load(ctl, &cs))
		goto done;
	date_format(cs.today, today);
	clock_rfc3339(now, sizeof(now));
	if (!run(ctl, CALSTORE_SQL_ROWS, 2, p, &res))
		goto done;
	if (calstore_plan_make(&plan, &cs, res, ctl->cfg.horizon_weeks * 7) != 0) {
		PQclear(res);
		ctl_fail("out of memory");
		goto done;
	}
	PQclear(res);
	if (plan.ninsert > 0 && !run(ctl, CALSTORE_SQL_INSERT, 5,
	    (const char *const *)plan.insert, NULL))
		goto done;
	if (plan.nupdate > 0) {
		re[0] = plan.reassign[0];
		if (!run(ctl, CALSTORE_SQL_UPDATE, 6,
		    (const char *const *)plan.update, NULL) ||
		    !run(ctl, CALSTORE_SQL_REASSIGN, 3, re, NULL))
			goto done;
		*changed = (long)plan.nupdate;
	}
	/* Waiting referrals join the sittings that now exist, as the job does. */
	if (!run(ctl, CALSTORE_SQL_RESOLVE, 1, p, NULL))
		goto done;
	ok = true;
done:
	calstore_plan_free(&plan);
	calstore_free(&cs);
	return ok;
}

static int
holidays_year(struct ctl *ctl, const char *year)
{
	struct holiday h[WORKDAYS_YEAR_MAX];
	struct calstore cs;
	char *end, buf[DATE_STRLEN];
	long y = strtol(year, &end, 10);
	size_t n;

	if (*year == '\0' || *end != '\0' || y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
		return ctl_usage("holidays --year YYYY (1900..2200)");
	if (connect_local(ctl) != CTL_OK)
		return CTL_FAIL;
	calstore_init(&cs);
	if (!load(ctl, &cs)) {
		calstore_free(&cs);
		return CTL_FAIL;
	}
	n = workdays_year(&cs.cal, (int)y, h);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\n", date_format(h[i].date, buf), h[i].name);
	calstore_free(&cs);
	return CTL_OK;
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

/* add: name may be NULL with replaces; remove: both NULL. */
static int
holiday_change(struct ctl *ctl, bool add, const char *day, const char *name,
    const char *replaces)
{
	const char *p[3] = { day, name, replaces };
	struct calstore cs;
	date_t d = 0, from = 0;
	long changed = 0;
	const char *old = NULL;

	(void)date_arg(day, &d);
	if (connect_local(ctl) != CTL_OK)
		return CTL_FAIL;
	calstore_init(&cs);
	if (!run(ctl, "BEGIN", 0, NULL, NULL) ||
	    !run(ctl, "SELECT set_config('maracd.system', 'maracctl', true)", 0,
	    NULL, NULL) ||
	    !run(ctl, CALSTORE_SQL_LOCK, 0, NULL, NULL) || !load(ctl, &cs))
		goto fail;
	if (!add && (old = workdays_holiday_name(&cs.cal, d)) == NULL) {
		ctl_fail("%s is not a bank holiday", day);
		goto fail;
	}
	if (replaces != NULL && (!date_arg(replaces, &from) ||
	    calstore_movable(&cs, from) == NULL)) {
		ctl_fail("%s is not a bank holiday", replaces);
		goto fail;
	}
	if (!run(ctl, add ? CALSTORE_SQL_HOLIDAY_ADD : CALSTORE_SQL_HOLIDAY_REMOVE,
	    add ? 3 : 1, p, NULL) || !refresh(ctl, &changed) || !run(ctl, "COMMIT", 0, NULL, NULL))
		goto fail;
	if (add)
		printf("holiday %s saved", day);
	else
		printf("holiday %s (%s) removed", day, old);
	printf("; %ld sittings changed\n", changed);
	calstore_free(&cs);
	return CTL_OK;
fail:
	calstore_free(&cs);
	return CTL_FAIL;
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

#define CALENDAR_SQL \
	"SELECT to_char(date, 'YYYY-MM-DD'), forum, area, " \
	"calendar_rfc3339(cutoff_at), status FROM sittings " \
	"WHERE ($1::text IS NULL OR forum = $1) AND ($2::text IS NULL OR area = $2) " \
	"AND date >= coalesce($3::date, $5::date) " \
	"ORDER BY date, forum, area, id LIMIT $4::int"

int
ctl_calendar(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--forum", "--area", "--from",
	    "--count", NULL };
	const char *forum = ctl_opt(argc, argv, "--forum");
	const char *count = ctl_opt(argc, argv, "--count");
	const char *p[5];
	char today[DATE_STRLEN];
	PGresult *res;
	char *end;
	long n = 10;
	date_t d;

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
	if (connect_local(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = forum;
	p[1] = ctl_opt(argc, argv, "--area");
	p[2] = ctl_opt(argc, argv, "--from");
	p[3] = count != NULL ? count : "10";
	p[4] = date_format(clock_today(), today);	/* from today by default */
	if ((res = ctl_exec(ctl, CALENDAR_SQL, 5, p)) == NULL)
		return CTL_FAIL;
	for (int i = 0; i < PQntuples(res); i++)
		printf("%s\t%s\t%s\tcutoff %s\t%s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	PQclear(res);
	return CTL_OK;
usage:
	return ctl_usage("calendar [--forum marac|masc] [--area CODE] "
	    "[--from YYYY-MM-DD] [--count N]");
}

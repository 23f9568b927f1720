/*
 * Calendar I/O for maracd: each operation is a short chain of statements
 * in the caller's transaction, ending in one callback.  The rules are the
 * core's; this file only moves rows in and out (see statements/calendar.h for the
 * statements, shared with maracctl).
 */
#include "shell/calendar.h"
#include "shell/clock.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/scheduler.h"
#include "shell/config.h"
#include "core/sittings.h"
#include "core/workdays.h"
#include "shell/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- loading ----------------------------------------------------------- */

struct load {
	struct calendar_stmt		*cs;
	calendar_load_cb	 cb;
	void			*arg;
	char			 why[CALENDAR_WHY_MAX];
	char			 today[DATE_STRLEN];
};

static void
load_end(struct load *l, bool ok, const PGresult *res, bool invalid)
{
	struct calendar_status st = { ok, ok ? NULL : res,
	    invalid ? l->why : NULL };
	calendar_load_cb cb = l->cb;
	void *arg = l->arg;

	cb(&st, arg);
	free(l);
}

static void
load_series(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct load *l = arg;

	(void)txn;
	if (!db_ok(res)) {
		load_end(l, false, res, false);
		return;
	}
	if (calendar_stmt_read_series(l->cs, res, l->why, sizeof(l->why)) != 0) {
		load_end(l, false, NULL, true);
		return;
	}
	load_end(l, true, NULL, false);
}

static void
load_overrides(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct load *l = arg;
	const char *p[1] = { l->today };

	if (!db_ok(res)) {
		load_end(l, false, res, false);
		return;
	}
	if (calendar_stmt_read_overrides(l->cs, res, l->why, sizeof(l->why)) != 0) {
		load_end(l, false, NULL, true);
		return;
	}
	db_query(txn, CALENDAR_SQL_SERIES, 1, p, load_series, l);
}

void
calendar_load(struct db_txn *txn, struct calendar_stmt *cs, calendar_load_cb cb,
    void *arg)
{
	struct load *l = calloc(1, sizeof(*l));

	if (l == NULL) {
		struct calendar_status st = { false, NULL, NULL };

		cb(&st, arg);
		return;
	}
	l->cs = cs;
	l->cb = cb;
	l->arg = arg;
	/* The clock's, not the database's: it decides what has been held. */
	date_format(clock_today(), l->today);
	db_query(txn, CALENDAR_SQL_OVERRIDES, 0, NULL, load_overrides, l);
}

/* --- refreshing sittings ---------------------------------------------- */

struct refresh {
	struct db_txn		*txn;
	int			 horizon_days;
	char			*coordinator;
	char			 today[DATE_STRLEN];
	struct calendar_stmt		 cs;
	struct calendar_stmt_plan	 plan;
	struct calendar_refreshed out;
	calendar_refresh_cb	 cb;
	void			*arg;
};

static void
refresh_end(struct refresh *rf, bool ok, const PGresult *res, const char *why)
{
	rf->out.status.ok = ok;
	rf->out.status.res = ok ? NULL : res;
	rf->out.status.why = ok ? NULL : why;
	rf->cb(&rf->out, rf->arg);
	calendar_stmt_plan_free(&rf->plan);
	calendar_stmt_free(&rf->cs);
	free(rf->coordinator);
	free(rf);
}

static void
refresh_resolved(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct refresh *rf = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		refresh_end(rf, false, res, NULL);
		return;
	}
	rf->out.listed = atol(PQgetvalue(res, 0, 0));
	refresh_end(rf, true, NULL, NULL);
}

/* Last, whatever changed: waiting referrals join what now exists. */
static void
refresh_resolve(struct refresh *rf)
{
	const char *p[1] = { rf->today };

	db_query(rf->txn, CALENDAR_SQL_RESOLVE, 1, p, refresh_resolved, rf);
}

static void
refresh_reassigned(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	if (!db_ok(res)) {
		refresh_end(arg, false, res, NULL);
		return;
	}
	refresh_resolve(arg);
}

static void
refresh_updated(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct refresh *rf = arg;
	const char *p[3] = { rf->plan.reassign[0], rf->today, rf->coordinator };

	if (!db_ok(res) || PQntuples(res) != 1) {
		refresh_end(rf, false, res, NULL);
		return;
	}
	rf->out.updated = atol(PQgetvalue(res, 0, 0));
	db_query(txn, CALENDAR_SQL_REASSIGN, 3, p, refresh_reassigned, rf);
}

static void
refresh_update(struct refresh *rf)
{
	if (rf->plan.nupdate == 0) {
		refresh_resolve(rf);
		return;
	}
	db_query(rf->txn, CALENDAR_SQL_UPDATE, 6,
	    (const char *const *)rf->plan.update, refresh_updated, rf);
}

static void
refresh_inserted(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct refresh *rf = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		refresh_end(rf, false, res, NULL);
		return;
	}
	rf->out.inserted = atol(PQgetvalue(res, 0, 0));
	refresh_update(rf);
}

static void
refresh_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct refresh *rf = arg;

	if (!db_ok(res)) {
		refresh_end(rf, false, res, NULL);
		return;
	}
	if (calendar_stmt_plan_make(&rf->plan, &rf->cs, res, rf->horizon_days) != 0) {
		refresh_end(rf, false, NULL, NULL);	/* out of memory */
		return;
	}
	if (rf->plan.ninsert == 0) {
		refresh_update(rf);
		return;
	}
	db_query(txn, CALENDAR_SQL_INSERT, 5,
	    (const char *const *)rf->plan.insert, refresh_inserted, rf);
}

static void
refresh_loaded(const struct calendar_status *st, void *arg)
{
	struct refresh *rf = arg;
	char now[CLOCK_RFC3339_MAX];
	const char *params[2] = { rf->today, now };

	if (!st->ok) {
		refresh_end(rf, false, st->res, st->why);
		return;
	}
	/* Kept for the re-assignments and waiting referrals that follow. */
	date_format(rf->cs.today, rf->today);
	clock_rfc3339(now, sizeof(now));
	db_query(rf->txn, CALENDAR_SQL_ROWS, 2, params, refresh_rows, rf);
}

static void
refresh_locked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct refresh *rf = arg;

	if (!db_ok(res)) {
		refresh_end(rf, false, res, NULL);
		return;
	}
	calendar_load(txn, &rf->cs, refresh_loaded, rf);
}

void
calendar_refresh(struct db_txn *txn, int horizon_days, const char *coordinator,
    calendar_refresh_cb cb, void *arg)
{
	struct refresh *rf = calloc(1, sizeof(*rf));

	if (rf == NULL || (rf->coordinator = strdup(coordinator != NULL ?
	    coordinator : "")) == NULL) {
		struct calendar_refreshed out = { { false, NULL, NULL }, 0, 0, 0 };

		free(rf);
		cb(&out, arg);
		return;
	}
	rf->txn = txn;
	rf->horizon_days = horizon_days;
	rf->cb = cb;
	rf->arg = arg;
	calendar_stmt_init(&rf->cs);
	db_query(txn, CALENDAR_SQL_LOCK, 0, NULL, refresh_locked, rf);
}

/* --- changing the holidays -------------------------------------------- */

struct holchange {
	struct db_txn		*txn;
	struct calendar_holiday	 h;
	int			 horizon_days;
	char			*coordinator;
	char			*name;
	char			 old[256];
	struct calendar_stmt		 cs;
	struct calendar_holiday_changed out;
	calendar_holiday_cb	 cb;
	void			*arg;
};

static void
holchange_end(struct holchange *hc, bool ok, const PGresult *res,
    const char *why)
{
	hc->out.status.ok = ok;
	hc->out.status.res = ok ? NULL : res;
	hc->out.status.why = ok ? NULL : why;
	hc->out.old = hc->old[0] != '\0' ? hc->old : NULL;
	hc->cb(&hc->out, hc->arg);
	calendar_stmt_free(&hc->cs);
	free(hc->coordinator);
	free(hc->name);
	free(hc);
}

static void
holchange_refreshed(const struct calendar_refreshed *rf, void *arg)
{
	struct holchange *hc = arg;

	hc->out.changed = rf->updated;
	holchange_end(hc, rf->status.ok, rf->status.res, rf->status.why);
}

static void
holchange_written(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct holchange *hc = arg;

	if (!db_ok(res)) {
		holchange_end(hc, false, res, NULL);
		return;
	}
	calendar_refresh(txn, hc->horizon_days, hc->coordinator,
	    holchange_refreshed, hc);
}

static void
holchange_loaded(const struct calendar_status *st, void *arg)
{
	struct holchange *hc = arg;
	char d[DATE_STRLEN], from[DATE_STRLEN];
	const char *p[3] = { date_format(hc->h.date, d), hc->name, NULL };
	const char *old = NULL;

	if (!st->ok) {
		holchange_end(hc, false, st->res, st->why);
		return;
	}
	hc->out.loaded = true;
	if (hc->h.remove)
		old = workdays_holiday_name(&hc->cs.cal, hc->h.date);
	else if (hc->h.has_replaces)
		old = calendar_stmt_movable(&hc->cs, hc->h.replaces);
	if ((hc->h.remove || hc->h.has_replaces) && old == NULL) {
		hc->out.no_holiday = true;
		holchange_end(hc, true, NULL, NULL);
		return;
	}
	if (old != NULL)
		snprintf(hc->old, sizeof(hc->old), "%s", old);
	if (hc->h.has_replaces)
		p[2] = date_format(hc->h.replaces, from);
	db_query(hc->txn, hc->h.remove ? CALENDAR_SQL_HOLIDAY_REMOVE :
	    CALENDAR_SQL_HOLIDAY_ADD, hc->h.remove ? 1 : 3, p,
	    holchange_written, hc);
}

static void
holchange_locked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct holchange *hc = arg;

	if (!db_ok(res)) {
		holchange_end(hc, false, res, NULL);
		return;
	}
	calendar_load(txn, &hc->cs, holchange_loaded, hc);
}

void
calendar_holiday_change(struct db_txn *txn, const struct calendar_holiday *h,
    int horizon_days, const char *coordinator, calendar_holiday_cb cb,
    void *arg)
{
	struct holchange *hc = calloc(1, sizeof(*hc));

	if (hc == NULL || (hc->coordinator = strdup(coordinator != NULL ?
	    coordinator : "")) == NULL || (h->name != NULL &&
	    (hc->name = strdup(h->name)) == NULL)) {
		struct calendar_holiday_changed out;

		memset(&out, 0, sizeof(out));
		if (hc != NULL)
			free(hc->coordinator);
		free(hc);
		cb(&out, arg);
		return;
	}
	hc->txn = txn;
	hc->h = *h;
	hc->h.name = NULL;
	hc->horizon_days = horizon_days;
	hc->cb = cb;
	hc->arg = arg;
	calendar_stmt_init(&hc->cs);
	db_query(txn, CALENDAR_SQL_LOCK, 0, NULL, holchange_locked, hc);
}

/* --- which sitting a referral joins ------------------------------------ */


struct assign {
	calendar_assign_cb	 cb;
	void			*arg;
};

static void
assign_result(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct assign *as = arg;
	struct calendar_assignment a;

	(void)txn;
	memset(&a, 0, sizeof(a));
	if (!db_ok(res) || PQntuples(res) != 1) {
		a.status.res = res;
		goto done;
	}
	a.status.ok = true;
	snprintf(a.received_date, sizeof(a.received_date), "%s",
	    PQgetvalue(res, 0, 0));
	if (!PQgetisnull(res, 0, 1)) {
		a.found = true;
		a.sitting_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		snprintf(a.date, sizeof(a.date), "%s", PQgetvalue(res, 0, 2));
		snprintf(a.cutoff, sizeof(a.cutoff), "%s", PQgetvalue(res, 0, 3));
	}
done:
	as->cb(&a, as->arg);
	free(as);
}

void
calendar_assign(struct db_txn *txn, const char *forum, const char *area,
    const char *received_at, calendar_assign_cb cb, void *arg)
{
	struct assign *as = calloc(1, sizeof(*as));
	char today[DATE_STRLEN], now[CLOCK_RFC3339_MAX];
	const char *params[4] = { forum, area, received_at, today };

	if (as == NULL) {
		struct calendar_assignment a;

		memset(&a, 0, sizeof(a));
		cb(&a, arg);
		return;
	}
	as->cb = cb;
	as->arg = arg;
	/* Not given: received now, by the clock (clock.h), not PostgreSQL's. */
	if (received_at == NULL)
		params[2] = clock_rfc3339(now, sizeof(now));
	date_format(clock_today(), today);
	db_query(txn, CALENDAR_SQL_ASSIGN, 4, params, assign_result, as);
}

/* --- the sittings job ------------------------------------------------- */


static void
job_refreshed(const struct calendar_refreshed *r, void *arg)
{
	struct sched_run *run = arg;

	if (!r->status.ok) {
		if (r->status.why != NULL)
			log_error("job %s: %s", sched_run_name(run), r->status.why);
		sched_run_failed(run, "refreshing sittings", r->status.res);
		return;
	}
	if (r->inserted > 0 || r->updated > 0 || r->listed > 0)
		log_info("job %s: %ld sittings generated, %ld changed, "
		    "%ld waiting referrals listed", sched_run_name(run),
		    r->inserted, r->updated, r->listed);
	sched_run_done(run);
}

struct job_ctx {
	struct sched_run	*run;
	int			 horizon_days;
	char			*coordinator;
};

static void
job_ctx_free(void *p)
{
	struct job_ctx *ctx = p;

	free(ctx->coordinator);
	free(ctx);
}

static void
job_series_written(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job_ctx *ctx = arg;

	if (!db_ok(res)) {
		sched_run_failed(ctx->run, "writing the series", res);
		return;
	}
	calendar_refresh(txn, ctx->horizon_days, ctx->coordinator, job_refreshed,
	    ctx->run);
}

void
calendar_job_sittings(struct sched_run *run, struct db_txn *txn, void *arg)
{
	const struct config *cfg = ((struct app *)arg)->cfg;
	char iv[2][12], wd[2][12];
	const char *p[9];
	struct job_ctx *ctx;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL) {
		sched_run_failed(run, "starting", NULL);
		return;
	}
	ctx->run = run;
	/* Settings may be reloaded while the run goes on: keep what it uses. */
	ctx->horizon_days = cfg->horizon_weeks * 7;
	sched_run_keep(run, ctx, job_ctx_free);
	if ((ctx->coordinator = strdup(cfg->reminders_coordinator_email)) == NULL) {
		sched_run_failed(run, "starting", NULL);
		return;
	}
	snprintf(iv[0], sizeof(iv[0]), "%d", cfg->masc_interval_days);
	snprintf(wd[0], sizeof(wd[0]), "%d", cfg->masc_cutoff_workdays);
	snprintf(iv[1], sizeof(iv[1]), "%d", cfg->marac_interval_days);
	snprintf(wd[1], sizeof(wd[1]), "%d", cfg->marac_cutoff_workdays);
	p[0] = cfg->area;
	p[1] = cfg->masc_anchor;
	p[2] = iv[0];
	p[3] = wd[0];
	p[4] = cfg->marac_anchor[0] != '\0' ? cfg->marac_anchor : NULL;
	p[5] = iv[1];
	p[6] = wd[1];
	p[7] = cfg->cutoff_time;
	p[8] = cfg->holiday_policy;
	db_query(txn, CALENDAR_SQL_SERIES_UPSERT, 9, p, job_series_written, ctx);
}

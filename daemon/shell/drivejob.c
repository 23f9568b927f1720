/*
 * DRIVE screening on the event loop; see drivejob.h.  The rules are the
 * core's (drive.c, drivejson.c); this file only chains the statements of
 * statements/drive.h.
 */
#include "shell/drivejob.h"
#include "shell/app.h"
#include "shell/calendar.h"
#include "shell/db.h"
#include "shell/scheduler.h"
#include "shell/config.h"
#include "statements/drive.h"
#include "core/drivejson.h"
#include "shell/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- one screening ----------------------------------------------------- */

struct screen {
	struct db_txn		*txn;
	long long		 sitting_id;	/* 0 on demand */
	long long		 referral_id;	/* 0 for a sitting */
	char			 id[24];
	char			 day[DATE_STRLEN];
	char			 window[12];
	struct drive_rubric	 rubric;
	char			 settings[DRIVE_RUBRIC_TEXT_MAX];
	char			 why[DRIVEJSON_WHY_MAX];
	drivejob_cb		 cb;
	void			*arg;
};

static void
screen_end(struct screen *sc, bool ok, const PGresult *res, const char *why,
    const char *json)
{
	struct drivejob_done d = { ok, ok ? NULL : res, ok ? NULL : why, json };

	sc->cb(&d, sc->arg);
	free(sc);
}

static void
stored(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct screen *sc = arg;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1) {
		screen_end(sc, false, res, NULL, NULL);
		return;
	}
	screen_end(sc, true, NULL, NULL, PQgetisnull(res, 0, 0) ? NULL :
	    PQgetvalue(res, 0, 0));
}

static void
got_input(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct screen *sc = arg;
	const char *p[6];
	char *out;

	if (!db_ok(res) || PQntuples(res) != 1) {
		screen_end(sc, false, res, NULL, NULL);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		screen_end(sc, true, NULL, NULL, NULL);
		return;
	}
	out = drivejson_screen(PQgetvalue(res, 0, 0), &sc->rubric,
	    sc->referral_id != 0, sc->why, sizeof(sc->why));
	if (out == NULL) {
		screen_end(sc, false, NULL, sc->why, NULL);
		return;
	}
	p[0] = sc->sitting_id != 0 ? sc->id : NULL;
	p[1] = sc->referral_id != 0 ? sc->id : NULL;
	p[2] = sc->referral_id != 0 ? sc->day : NULL;
	p[3] = sc->rubric.version;
	p[4] = sc->settings;
	p[5] = out;
	/* libpq copies the parameters when it sends. */
	db_query(txn, DRIVE_SQL_STORE, 6, p, stored, sc);
	cJSON_free(out);
}

static struct screen *
screen_new(struct db_txn *txn, const struct drive_rubric *r, drivejob_cb cb,
    void *arg)
{
	struct screen *sc = calloc(1, sizeof(*sc));

	if (sc == NULL) {
		struct drivejob_done d = { false, NULL, "out of memory", NULL };

		cb(&d, arg);
		return NULL;
	}
	sc->txn = txn;
	sc->rubric = *r;
	(void)drive_rubric_format(r, sc->settings, sizeof(sc->settings));
	snprintf(sc->window, sizeof(sc->window), "%d", r->window_months);
	sc->cb = cb;
	sc->arg = arg;
	return sc;
}

void
drivejob_screen_sitting(struct db_txn *txn, long long sitting_id,
    const struct drive_rubric *r, drivejob_cb cb, void *arg)
{
	struct screen *sc = screen_new(txn, r, cb, arg);
	const char *p[2];

	if (sc == NULL)
		return;
	sc->sitting_id = sitting_id;
	snprintf(sc->id, sizeof(sc->id), "%lld", sitting_id);
	p[0] = sc->id;
	p[1] = sc->window;
	db_query(txn, DRIVE_SQL_SITTING_INPUT, 2, p, got_input, sc);
}

void
drivejob_screen_referral(struct db_txn *txn, long long referral_id,
    date_t day, const struct drive_rubric *r, drivejob_cb cb, void *arg)
{
	struct screen *sc = screen_new(txn, r, cb, arg);
	const char *p[3];

	if (sc == NULL)
		return;
	sc->referral_id = referral_id;
	snprintf(sc->id, sizeof(sc->id), "%lld", referral_id);
	date_format(day, sc->day);
	p[0] = sc->id;
	p[1] = sc->day;
	p[2] = sc->window;
	db_query(txn, DRIVE_SQL_REFERRAL_INPUT, 3, p, got_input, sc);
}

/* --- the job ----------------------------------------------------------- */

#define JOB_SITTINGS_MAX	64	/* due at once: a few, in practice */

struct job {
	struct sched_run	*run;
	struct db_txn		*txn;
	struct calendar_stmt		 cs;
	struct drive_rubric	 rubric;
	char			 settings[DRIVE_RUBRIC_TEXT_MAX];
	char			 window[12];
	int			 screen_workdays;
	long long		 due[JOB_SITTINGS_MAX];
	size_t			 ndue, next;
	int			 screened;
	char			 id[24];
};

static void
job_free(void *arg)
{
	struct job *j = arg;

	calendar_stmt_free(&j->cs);
	free(j);
}

static void job_next(struct job *j);

static void
job_screened(const struct drivejob_done *d, void *arg)
{
	struct job *j = arg;

	if (!d->ok) {
		if (d->why != NULL)
			log_error("job %s: sitting %s: %s", sched_run_name(j->run),
			    j->id, d->why);
		sched_run_failed(j->run, "screening a sitting", d->res);
		return;
	}
	if (d->json != NULL) {
		j->screened++;
		log_info("job %s: sitting %s screened for DRIVE (rubric %s)",
		    sched_run_name(j->run), j->id, j->rubric.version);
	}
	job_next(j);
}

static void
job_stale(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	if (!db_ok(res) || PQntuples(res) != 1) {
		sched_run_failed(j->run, "checking a screening", res);
		return;
	}
	if (PQgetvalue(res, 0, 0)[0] != 't') {
		job_next(j);
		return;
	}
	drivejob_screen_sitting(txn, j->due[j->next - 1], &j->rubric,
	    job_screened, j);
}

static void
job_next(struct job *j)
{
	const char *p[3];

	if (j->next >= j->ndue) {
		if (j->screened > 0)
			log_info("job %s: %d sitting(s) screened",
			    sched_run_name(j->run), j->screened);
		sched_run_done(j->run);
		return;
	}
	snprintf(j->id, sizeof(j->id), "%lld", j->due[j->next++]);
	p[0] = j->id;
	p[1] = j->settings;
	p[2] = j->window;
	db_query(j->txn, DRIVE_SQL_STALE, 3, p, job_stale, j);
}

static void
job_upcoming(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	date_t date;

	(void)txn;
	if (!db_ok(res)) {
		sched_run_failed(j->run, "listing sittings", res);
		return;
	}
	for (int i = 0; i < PQntuples(res) && j->ndue < JOB_SITTINGS_MAX; i++) {
		if (!date_parse(PQgetvalue(res, i, 1), &date))
			continue;
		if (drivejson_due(&j->cs.cal, date, j->screen_workdays,
		    j->cs.today))
			j->due[j->ndue++] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	}
	job_next(j);
}

static void
job_loaded(const struct calendar_status *st, void *arg)
{
	struct job *j = arg;
	char today[DATE_STRLEN];
	const char *p[1] = { today };

	if (!st->ok) {
		if (st->why != NULL)
			log_error("job %s: %s", sched_run_name(j->run), st->why);
		sched_run_failed(j->run, "loading the calendar", st->res);
		return;
	}
	date_format(j->cs.today, today);
	db_query(j->txn, DRIVE_SQL_UPCOMING, 1, p, job_upcoming, j);
}

void
drivejob_run(struct sched_run *run, struct db_txn *txn, void *arg)
{
	const struct config *cfg = ((struct app *)arg)->cfg;
	struct job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		sched_run_failed(run, "starting", NULL);
		return;
	}
	j->run = run;
	j->txn = txn;
	calendar_stmt_init(&j->cs);
	/* Settings may be reloaded while the run goes on: keep its rubric. */
	j->rubric = cfg->drive_rubric;
	j->screen_workdays = cfg->drive_screen_workdays;
	(void)drive_rubric_format(&j->rubric, j->settings, sizeof(j->settings));
	snprintf(j->window, sizeof(j->window), "%d", j->rubric.window_months);
	sched_run_keep(run, j, job_free);
	calendar_load(txn, &j->cs, job_loaded, j);
}

/*
 * A sitting's agenda on the event loop; see agendajob.h.  The agenda is
 * built and rendered by the core (core/agenda.c, core/render/);
 * statements/agenda.c turns the database's rows into the core's model and
 * back; this file only chains the statements.
 */
#include "shell/agendajob.h"
#include "shell/db.h"
#include "shell/clock.h"
#include "core/sqlstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
	const struct config	*cfg;	/* the caller's, alive until the callback */
	struct agendajob_ask	 ask;
	char			 id[24];
	struct agenda_stmt_sitting s;
	char			*prev;		/* issue: latest content */
	char			*changes;	/* a draft's, since the latest */
	struct agenda		 a;
	struct agenda_stmt_issue iss;
	agendajob_cb		 cb;
	void			*arg;
};

int
agendajob_render(const struct agendajob_got *g, enum agenda_stmt_format fmt,
    const struct config *cfg, struct buf *out)
{
	if (g->a == NULL)
		return agenda_stmt_stored_json(PQgetvalue(g->stored, 0, 1),
		    PQgetvalue(g->stored, 0, 2), PQgetvalue(g->stored, 0, 5), out);
	return agenda_stmt_render(g->a, fmt, g->diff, g->sha256,
	    (int64_t)clock_time(), cfg, out);
}

const char *
agendajob_outcome_text(enum agendajob_outcome o)
{
	static const char *const text[] = {
		[AGENDAJOB_NO_SITTING] = "no such sitting",
		[AGENDAJOB_NO_VERSION] = "no such version of this agenda",
		[AGENDAJOB_NONE_ISSUED] = "no agenda has been issued for this "
		    "sitting yet",
		[AGENDAJOB_NO_DRAFT] = "drafts are for the coordinator and the "
		    "chair; agencies read issued agendas",
		[AGENDAJOB_CANCELLED] = "the sitting is cancelled; its cases "
		    "have moved to the next sitting",
		[AGENDAJOB_HELD] = "the sitting has been held; its agenda can "
		    "no longer be issued",
		[AGENDAJOB_CONFLICT] = "another issue of this agenda came "
		    "first; read it and issue again if need be",
		[AGENDAJOB_UNCHANGED] = "nothing has changed since the latest "
		    "issued version: it stands, and there is nothing to issue",
	};

	return o < sizeof(text) / sizeof(text[0]) && text[o] != NULL ?
	    text[o] : "the agenda could not be got";
}

static void
job_end(struct job *j, struct agendajob_got *g)
{
	g->s = &j->s;
	j->cb(g, j->arg);
	free(j->prev);
	cJSON_free(j->changes);
	agenda_free(&j->a);
	agenda_stmt_issue_free(&j->iss);
	free(j);
}

/* Ends j with outcome o (res and why for a failure). */
static void
end(struct job *j, enum agendajob_outcome o, const PGresult *res,
    const char *why)
{
	struct agendajob_got g = { .outcome = o, .res = res, .why = why };

	job_end(j, &g);
}

static void
end_model(struct job *j, const char *diff, const char *sha256,
    const PGresult *issued)
{
	struct agendajob_got g = { .outcome = AGENDAJOB_OK, .a = &j->a,
	    .diff = diff, .sha256 = sha256, .issued = issued,
	    .iss = issued != NULL ? &j->iss : NULL };

	job_end(j, &g);
}

static struct job *
job_new(const struct config *cfg, long long sitting, agendajob_cb cb,
    void *arg)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		struct agenda_stmt_sitting s;
		struct agendajob_got g = { .outcome = AGENDAJOB_FAILED,
		    .why = "out of memory", .s = &s };

		memset(&s, 0, sizeof(s));
		cb(&g, arg);
		return NULL;
	}
	j->cfg = cfg;
	snprintf(j->id, sizeof(j->id), "%lld", sitting);
	j->cb = cb;
	j->arg = arg;
	return j;
}

/* The sitting row into j->s; false when j has ended. */
static bool
read_sitting(struct job *j, const PGresult *res)
{
	if (!db_ok(res)) {
		end(j, AGENDAJOB_FAILED, res, NULL);
		return false;
	}
	switch (agenda_stmt_read_sitting(res, &j->s)) {
	case 0:
		end(j, AGENDAJOB_NO_SITTING, NULL, NULL);
		return false;
	case -1:
		end(j, AGENDAJOB_FAILED, NULL, "the sitting cannot be read");
		return false;
	}
	return true;
}

static void
sitting_query(struct db_txn *txn, struct job *j, bool issuing,
    db_result_cb cb)
{
	char now[CLOCK_RFC3339_MAX];
	const char *p[3] = { j->id, issuing ? "true" : "false", now };

	clock_rfc3339(now, sizeof(now));
	db_query(txn, AGENDA_SQL_SITTING, 3, p, cb, j);
}

/* --- reading ----------------------------------------------------------- */

/* The latest issued version, read (and audited) to say what the draft changes. */
static void
got_latest(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res))
		end(j, AGENDAJOB_FAILED, res, NULL);
	else if (PQntuples(res) != 1 || (j->changes = agenda_stmt_draft_changes(
	    &j->a, PQgetvalue(res, 0, 1), j->s.latest)) == NULL)
		end(j, AGENDAJOB_FAILED, NULL, "the latest version cannot be "
		    "read back");
	else
		end_model(j, j->changes, NULL, NULL);
}

static void
got_draft(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[2] = { j->id, NULL };

	if (!db_ok(res))
		end(j, AGENDAJOB_FAILED, res, NULL);
	else if (agenda_stmt_build(res, &j->s, 0, NULL, j->cfg, &j->a) != 0)
		end(j, AGENDAJOB_FAILED, NULL, "the listed cases do not make "
		    "an agenda");
	else if (j->s.latest > 0)
		db_query(txn, AGENDA_SQL_VERSION, 2, p, got_latest, j);
	else
		end_model(j, NULL, NULL, NULL);
}

static void
draft(struct db_txn *txn, struct job *j)
{
	const char *p[1] = { j->id };

	if (!j->ask.may_draft) {
		end(j, j->ask.draft ? AGENDAJOB_NO_DRAFT : AGENDAJOB_NONE_ISSUED,
		    NULL, NULL);
		return;
	}
	db_query(txn, AGENDA_SQL_DRAFT, 1, p, got_draft, j);
}

static void
got_version(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	struct agendajob_got g = { .outcome = AGENDAJOB_OK, .stored = res };

	if (!db_ok(res)) {
		end(j, AGENDAJOB_FAILED, res, NULL);
		return;
	}
	if (PQntuples(res) == 0) {
		if (j->ask.version > 0)
			end(j, AGENDAJOB_NO_VERSION, NULL, NULL);
		else
			draft(txn, j);
		return;
	}
	if (j->ask.stored_json) {
		job_end(j, &g);
		return;
	}
	if (agenda_stmt_load(PQgetvalue(res, 0, 1), &j->a) != 0) {
		end(j, AGENDAJOB_FAILED, NULL, "a stored version cannot be "
		    "read back");
		return;
	}
	end_model(j, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 5), NULL);
}

static void
got_sitting(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	char v[16];
	const char *p[2] = { j->id, v };

	if (!read_sitting(j, res))
		return;
	if (j->ask.draft || (j->ask.version == 0 && j->s.latest == 0 &&
	    j->ask.may_draft)) {
		draft(txn, j);
		return;
	}
	snprintf(v, sizeof(v), "%d", j->ask.version);
	if (j->ask.version == 0)
		p[1] = NULL;
	db_query(txn, AGENDA_SQL_VERSION, 2, p, got_version, j);
}

void
agendajob_get(struct db_txn *txn, const struct config *cfg,
    const struct agendajob_ask *ask, agendajob_cb cb, void *arg)
{
	struct job *j = job_new(cfg, ask->sitting, cb, arg);

	if (j == NULL)
		return;
	j->ask = *ask;
	sitting_query(txn, j, false, got_sitting);
}

/* --- issuing ----------------------------------------------------------- */

static void
issued(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	(void)txn;
	if (!db_ok(res))
		end(j, strcmp(db_sqlstate(res), SQLSTATE_UNIQUE_VIOLATION) == 0 ?
		    AGENDAJOB_CONFLICT : AGENDAJOB_FAILED, res, NULL);
	else
		end_model(j, j->iss.diff, NULL, res);
}

static void
issue_rows(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[9], *why;

	if (!db_ok(res)) {
		end(j, AGENDAJOB_FAILED, res, NULL);
		return;
	}
	if (agenda_stmt_build(res, &j->s, j->s.latest + 1, j->s.now_utc,
	    j->cfg, &j->a) != 0) {
		end(j, AGENDAJOB_FAILED, NULL, "the listed cases do not make "
		    "an agenda");
		return;
	}
	if (agenda_stmt_issue_prepare(&j->a, j->prev, j->cfg,
	    (int64_t)clock_time(), &j->iss, &why) != 0) {
		end(j, AGENDAJOB_FAILED, NULL, why);
		return;
	}
	if (j->iss.unchanged) {
		end(j, AGENDAJOB_UNCHANGED, NULL, NULL);
		return;
	}
	agenda_stmt_issue_params(&j->iss, j->id, j->s.now_utc, p);
	db_query(txn, AGENDA_SQL_ISSUE, 9, p, issued, j);
}

static void
rows(struct db_txn *txn, struct job *j)
{
	const char *p[1] = { j->id };

	db_query(txn, AGENDA_SQL_ROWS, 1, p, issue_rows, j);
}

static void
issue_prev(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;

	if (!db_ok(res)) {
		end(j, AGENDAJOB_FAILED, res, NULL);
		return;
	}
	if (PQntuples(res) != 1 ||
	    (j->prev = strdup(PQgetvalue(res, 0, 1))) == NULL) {
		end(j, AGENDAJOB_FAILED, NULL, "the latest version cannot be "
		    "read");
		return;
	}
	rows(txn, j);
}

static void
issue_sitting(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	const char *p[2] = { j->id, NULL };

	if (!read_sitting(j, res))
		return;
	if (j->s.cancelled)
		end(j, AGENDAJOB_CANCELLED, NULL, NULL);
	else if (j->s.held)
		end(j, AGENDAJOB_HELD, NULL, NULL);
	else if (j->s.latest == 0)
		rows(txn, j);
	else
		db_query(txn, AGENDA_SQL_VERSION, 2, p, issue_prev, j);
}

void
agendajob_issue(struct db_txn *txn, const struct config *cfg,
    long long sitting, agendajob_cb cb, void *arg)
{
	struct job *j = job_new(cfg, sitting, cb, arg);

	if (j != NULL)
		sitting_query(txn, j, true, issue_sitting);
}

/*
 * maracctl reminders run [--dry-run] [--as-of DATE]: what maracd's
 * reminders job does, by hand and at once.  The statements, the messages
 * and their keys are the job's (statements/reminders.h), so a message enqueued
 * here is one the job will not enqueue again, and the reverse; both wait
 * for the same advisory lock.
 *
 * Unlike the job, a run by hand does not wait for [reminders] digest_day
 * and digest_time: it enqueues the digests and the summary of the week of
 * DATE (default today) and the overdue notices as of DATE, each unless
 * already enqueued.  --dry-run builds and prints them and enqueues
 * nothing; the reads are audited all the same.
 */
#include "ctl.h"
#include "statements/reminders.h"
#include "shell/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_line[] = "reminders run [--dry-run] [--as-of YYYY-MM-DD]";

static PGresult *
q(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	return ctl_exec(ctl, sql, n, p);
}

static bool
ok(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	PGresult *res = q(ctl, sql, n, p);

	PQclear(res);
	return res != NULL;
}

static int
start(struct ctl *ctl)
{
	const char *p[1] = { ctl->cfg.timezone };

	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	/* Local dates as maracd's sessions see them; audit rows name us. */
	if (!ok(ctl, "SELECT set_config('TimeZone', $1, false), "
	    "set_config('maracd.system', 'maracctl reminders', false)", 1, p) ||
	    !ok(ctl, "BEGIN", 0, NULL) ||
	    !ok(ctl, REMINDSTORE_SQL_LOCK, 0, NULL))
		return CTL_FAIL;
	return CTL_OK;
}

static int
select_all(struct ctl *ctl, struct remindstore_plan *p,
    struct remindstore_batch *b)
{
	const char *pp[2];
	char why[160];
	PGresult *res, *counts = NULL, *persistent = NULL;
	int rc;

	pp[0] = p->today;
	pp[1] = p->with_people;
	if (p->overdue) {
		if ((res = q(ctl, REMINDSTORE_SQL_OVERDUE, 2, pp)) == NULL)
			return CTL_FAIL;
		rc = remindstore_add_overdue(b, p, res, why, sizeof(why));
		PQclear(res);
		if (rc != 0)
			return ctl_fail("%s", why);
	}
	if (p->digest) {
		pp[0] = p->opts.period;
		if ((res = q(ctl, REMINDSTORE_SQL_DIGEST, 2, pp)) == NULL)
			return CTL_FAIL;
		rc = remindstore_add_digests(b, p, res, why, sizeof(why));
		PQclear(res);
		if (rc != 0)
			return ctl_fail("%s", why);
	}
	if (!p->summary)
		return CTL_OK;
	pp[0] = p->summary_key;
	if ((res = q(ctl, REMINDSTORE_SQL_SUMMARY_DONE, 1, pp)) == NULL)
		return CTL_FAIL;
	rc = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (rc)
		return CTL_OK;
	pp[0] = p->today;
	pp[1] = p->persistent_days;
	if ((counts = q(ctl, REMINDSTORE_SQL_COUNTS, 2, pp)) == NULL ||
	    (persistent = q(ctl, REMINDSTORE_SQL_PERSISTENT, 2, pp)) == NULL) {
		PQclear(counts);
		return CTL_FAIL;
	}
	pp[0] = p->summary_key;
	if ((res = q(ctl, REMINDSTORE_SQL_FAILED, 1, pp)) == NULL) {
		PQclear(counts);
		PQclear(persistent);
		return CTL_FAIL;
	}
	rc = remindstore_add_summary(b, p, counts, persistent, res, why, sizeof(why));
	PQclear(counts);
	PQclear(persistent);
	PQclear(res);
	return rc == 0 ? CTL_OK : ctl_fail("%s", why);
}

/* One line per message: what, its key, to whom, how many actions. */
static void
print_line(const char *what, const struct remindstore_batch *b, size_t i)
{
	printf("%s %s %s %s", what, b->msgs[i].kind, b->msgs[i].key, b->rcpts[i]);
	if (b->nactions[i] > 0)
		printf(" %zu action%s", b->nactions[i], b->nactions[i] == 1 ? "" : "s");
	putchar('\n');
}

static int
enqueue(struct ctl *ctl, struct remindstore_batch *b, size_t *added)
{
	const char *p[6];
	PGresult *res;

	*added = 0;
	if (b->n == 0)
		return CTL_OK;
	if (remindstore_params(b, p) != 0)
		return ctl_fail("out of memory");
	if ((res = q(ctl, REMINDSTORE_SQL_ENQUEUE, 6, p)) == NULL)
		return CTL_FAIL;
	if (PQntuples(res) != (int)b->n) {
		PQclear(res);
		return ctl_fail("the outbox answered %d rows for %zu messages",
		    PQntuples(res), b->n);
	}
	for (size_t i = 0; i < b->n; i++) {
		bool fresh = !PQgetisnull(res, (int)i, 1);

		print_line(fresh ? "enqueued" : "already", b, i);
		*added += fresh;
	}
	PQclear(res);
	return CTL_OK;
}

static int
reminders_run(struct ctl *ctl, int argc, char **argv)
{
	struct remindstore_plan plan;
	struct remindstore_batch batch;
	const char *as_of = NULL;
	char now[CLOCK_RFC3339_MAX];
	const char *pnow[1];
	bool dry = false;
	date_t d;
	PGresult *res;
	size_t added = 0;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = true;
		else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc)
			as_of = argv[++i];
		else
			return ctl_usage(usage_line);
	}
	if (as_of != NULL && !date_parse(as_of, &d))
		return ctl_fail("--as-of %s is not a date (YYYY-MM-DD)", as_of);
	if ((rc = start(ctl)) != CTL_OK)
		return rc;
	clock_rfc3339(now, sizeof(now));
	pnow[0] = now;
	if ((res = q(ctl, REMINDSTORE_SQL_NOW, 1, pnow)) == NULL)
		return CTL_FAIL;
	rc = remindstore_plan(&plan, &ctl->cfg, as_of != NULL ? as_of :
	    PQgetvalue(res, 0, 0), atoi(PQgetvalue(res, 0, 1)), true);
	PQclear(res);
	if (rc != 0)
		return ctl_fail("the database's date cannot be read");
	if (plan.summary == false && ctl->cfg.reminders_summary &&
	    plan.coordinator[0] == '\0')
		fprintf(stderr, "maracctl: no [reminders] coordinator_email: "
		    "no summary\n");
	remindstore_batch_init(&batch);
	rc = select_all(ctl, &plan, &batch);
	if (rc == CTL_OK && dry) {
		for (size_t i = 0; i < batch.n; i++)
			print_line("would-enqueue", &batch, i);
	} else if (rc == CTL_OK) {
		rc = enqueue(ctl, &batch, &added);
	}
	if (rc == CTL_OK && !ok(ctl, "COMMIT", 0, NULL))
		rc = CTL_FAIL;
	if (rc == CTL_OK)
		fprintf(stderr, "maracctl: week %s, as of %s: %zu message%s %s\n",
		    plan.opts.period, plan.today, dry ? batch.n : added,
		    (dry ? batch.n : added) == 1 ? "" : "s",
		    dry ? "would be enqueued (dry run)" : "enqueued");
	remindstore_batch_free(&batch);
	return rc;
}

int
ctl_reminders(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "run") != 0)
		return ctl_usage(usage_line);
	return reminders_run(ctl, argc - 1, argv + 1);
}

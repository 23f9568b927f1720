#include "shell/purgejob.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/scheduler.h"
#include "shell/config.h"
#include "shell/log.h"
#include "statements/retention.h"

#include <stdlib.h>

struct job {
	struct sched_run	*run;
	struct retention_params	 p;
};

static void
batch_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	struct retention_batch b;

	(void)txn;
	if (!db_ok(res) || PQntuples(res) != 1 ||
	    retention_batch_parse(PQgetvalue(res, 0, 0), &b) != 0) {
		sched_run_failed(j->run, "purging", res);
		return;
	}
	/* Counts per category only; the ids are in the audit log. */
	if (b.total > 0)
		log_info("job %s: purged %ld (%s)%s", sched_run_name(j->run), b.total,
		    b.counts, b.more ? "; more to do" : "");
	if (b.more)
		sched_run_done_again(j->run);
	else
		sched_run_done(j->run);
}

void
purgejob_run(struct sched_run *run, struct db_txn *txn, void *arg)
{
	struct app *app = arg;
	struct job *j;

	if (!app->cfg->retention_purge) {
		sched_run_done(run);
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		sched_run_failed(run, "starting", NULL);
		return;
	}
	j->run = run;
	sched_run_keep(run, j, free);
	if (retention_params_make(&j->p, app->cfg) != 0) {
		sched_run_failed(run, "reading [retention]", NULL);
		return;
	}
	db_query(txn, RETENTION_SQL_BATCH, 4, j->p.values, batch_done, j);
}

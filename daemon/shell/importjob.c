/* A CSV import on the event loop; see importjob.h. */
#include "shell/importjob.h"
#include "shell/db.h"
#include "shell/clock.h"
#include "shell/config.h"
#include "statements/import.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

/* Rows read and checked before the loop gets a turn. */
#define IMPORTJOB_READ	256

struct importjob {
	struct event_base	*base;
	struct db_txn		*txn;
	struct db_pool		*pool;		/* each batch committed: see the .h */
	unsigned long		 committed;	/* rows, in the batches committed */
	struct import		 imp;
	struct import_batch	 batch;
	/*
	 * The rows after the batch, read while the database stores it: the
	 * reading and checking is the importer's own work, and on two cores
	 * it need not wait for the database's.
	 */
	struct import_batch	 ahead;
	/* What reading met (IMPORTJOB_DONE: nothing), said at the batch's turn. */
	enum importjob_outcome	 stop;
	struct buf		 param;		/* the wave's statement parameter */
	const char		*data;		/* the caller's bytes */
	size_t			 len, off;
	bool			 at_end;	/* all of them */
	bool			 ended;		/* and every row taken */
	char			*area;		/* [calendar] area, as the import began */
	char			*coordinator;	/* [reminders] coordinator_email, likewise */
	struct importjob_io	 io;
	void			*arg;
};

static void	next_row(struct importjob *);
static void	next_wave(struct importjob *);
static void	read_rows(struct importjob *, struct import_batch *, int);

static void
job_end(struct importjob *j, enum importjob_outcome o, const PGresult *res)
{
	struct importjob_end e = { o, res, &j->imp, &j->batch, j->txn,
	    j->committed };

	j->io.end(&e, j->arg);
	import_free(&j->imp);
	import_batch_free(&j->batch);
	import_batch_free(&j->ahead);
	buf_free(&j->param);
	free(j->area);
	free(j->coordinator);
	free(j);
}

static void
stored(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct importjob *j = arg;

	(void)txn;
	if (!importstore_read_wave_store(res, &j->batch, &j->imp)) {
		job_end(j, IMPORTJOB_DB_FAILED, res);
		return;
	}
	next_wave(j);
}

static void
got_facts(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct importjob *j = arg;
	const char *params[1];

	if (!importstore_read_wave_facts(res, 0, &j->batch, &j->imp)) {
		job_end(j, IMPORTJOB_DB_FAILED, res);
		return;
	}
	if (!import_batch_store_param(&j->batch, &j->imp, &j->param)) {
		next_wave(j);		/* nothing to store, or out of memory */
		return;
	}
	params[0] = buf_str(&j->param);
	/* libpq copies the parameters when it sends. */
	if (j->pool != NULL && import_batch_last_wave(&j->batch))
		db_query_commit(txn, IMPORTSTORE_SQL_WAVE_STORE, 1, params,
		    stored, j);
	else
		db_query(txn, IMPORTSTORE_SQL_WAVE_STORE, 1, params, stored, j);
	/* While it is stored, a turn's worth of the rows after the batch. */
	read_rows(j, &j->ahead, IMPORTJOB_READ);
}

/* The next batch, in txn (NULL: none could be had, which ends the import). */
static void
next_batch(struct importjob *j, struct db_txn *txn)
{
	struct import_batch swap;

	if ((j->txn = txn) == NULL) {
		job_end(j, IMPORTJOB_DB_FAILED, NULL);
		return;
	}
	import_batch_clear(&j->batch);
	/* The rows read ahead are the next batch's first. */
	swap = j->batch;
	j->batch = j->ahead;
	j->ahead = swap;
	next_row(j);
}

static void
acquired(struct db_txn *txn, void *arg)
{
	next_batch(arg, txn);
}

static void
committed(bool ok, void *arg)
{
	struct importjob *j = arg;

	j->txn = NULL;
	if (ok)
		j->committed += j->batch.n;
	if (!ok || db_acquire(j->pool, true, acquired, j) != 0)
		next_batch(j, NULL);
}

/*
 * The first batch committed is followed by ANALYZE: a table that starts
 * empty has no statistics until autovacuum gets round to it, which on a
 * busy machine is after the import, and until then the planner took the
 * referral's agency index for "is this external_ref stored?", a scan of
 * every referral of the agency for every row: an import of N rows cost N
 * scans of a table growing to N rows.  The statements' plans are made
 * again with the new figures.
 */
static void
analysed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)res;	/* had it failed, db_finish rolls back and says so */
	db_finish(txn, true, committed, arg);
}

/* The batch's next wave to the database, or, when none is left, its end. */
static void
next_wave(struct importjob *j)
{
	char now[CLOCK_RFC3339_MAX];
	const char *params[1];

	if (import_batch_wave(&j->batch)) {
		import_batch_facts_param(&j->batch,
		    clock_rfc3339(now, sizeof(now)), &j->param);
		params[0] = buf_str(&j->param);
		db_query(j->txn, IMPORTSTORE_SQL_WAVE_FACTS, 1, params,
		    got_facts, j);
		return;
	}
	j->io.batch(&j->batch, j->arg);
	if (j->pool == NULL)
		next_batch(j, j->txn);
	else if (j->committed > 0 || db_query(j->txn, IMPORTSTORE_SQL_ANALYZE,
	    0, NULL, analysed, j) != 0)
		db_finish(j->txn, true, committed, j);
}

static void
resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	next_row(arg);
}

/*
 * Up to max rows of the file into b, until b is full, the file ends
 * (j->ended) or the reading fails (j->stop says how).
 */
static void
read_rows(struct importjob *j, struct import_batch *b, int max)
{
	enum import_event ev;
	size_t used;

	for (int n = 0; n < max && !import_batch_full(b) && !j->ended &&
	    j->stop == IMPORTJOB_DONE;) {
		if (!j->at_end && j->off == j->len) {
			if (j->io.read(j->arg, &j->data, &j->len) != 0) {
				j->stop = IMPORTJOB_UNREADABLE;
				return;
			}
			j->off = 0;
			j->at_end = j->len == 0;
			continue;
		}
		if (j->at_end)
			ev = import_end(&j->imp);
		else {
			ev = import_feed(&j->imp, j->data + j->off,
			    j->len - j->off, &used);
			j->off += used;
		}
		switch (ev) {
		case IMPORT_MORE:
			continue;
		case IMPORT_END:
			j->ended = true;
			continue;
		case IMPORT_BAD_HEADER:
			j->stop = IMPORTJOB_BAD_HEADER;
			return;
		case IMPORT_NOMEM:
			j->stop = IMPORTJOB_NOMEM;
			return;
		case IMPORT_ROW:
			break;
		}
		import_batch_add(b, &j->imp);
		n++;
	}
}

/* Rows until the batch is full, the reading's turn is up, or the end. */
static void
next_row(struct importjob *j)
{
	static const struct timeval now = { 0, 0 };

	if (j->io.alive != NULL && !j->io.alive(j->arg)) {
		job_end(j, IMPORTJOB_STOPPED, NULL);
		return;
	}
	read_rows(j, &j->batch, IMPORTJOB_READ);
	if (j->stop == IMPORTJOB_DONE && !import_batch_full(&j->batch) &&
	    !j->ended &&
	    event_base_once(j->base, -1, EV_TIMEOUT, resume, j, &now) == 0)
		return;		/* the loop's turn */
	if (j->stop != IMPORTJOB_DONE)
		job_end(j, j->stop, NULL);
	else if (j->batch.n > 0)
		next_wave(j);
	else
		job_end(j, IMPORTJOB_DONE, NULL);
}

int
importjob_start(struct event_base *base, struct db_txn *txn,
    struct db_pool *pool, const struct config *cfg, date_t today,
    size_t batch_rows, const struct importjob_io *io, void *arg)
{
	struct importjob *j = calloc(1, sizeof(*j));
	struct intake_served srv;

	if (j == NULL || !import_batch_init(&j->batch, batch_rows) ||
	    !import_batch_init(&j->ahead, batch_rows) ||
	    (j->area = strdup(cfg->area)) == NULL ||
	    (j->coordinator = strdup(cfg->reminders_coordinator_email)) == NULL) {
		if (j != NULL) {
			import_batch_free(&j->batch);
			import_batch_free(&j->ahead);
			free(j->area);
		}
		free(j);
		return -1;
	}
	j->base = base;
	j->txn = txn;
	j->pool = pool;
	j->stop = IMPORTJOB_DONE;
	j->io = *io;
	j->arg = arg;
	buf_init(&j->param);
	import_init(&j->imp, today, j->area, &cfg->intake);
	srv = (struct intake_served){ j->area, true, cfg->marac_anchor[0] != '\0' };
	import_serve(&j->imp, &srv, j->coordinator);
	next_row(j);
	return 0;
}

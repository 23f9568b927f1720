/*
 * Asynchronous libpq pool.
 *
 * Each connection is a small state machine driven by socket readiness:
 * DOWN (waiting out a back-off) -> CONNECTING (PQconnectPoll) -> SETUP
 * (session settings) -> IDLE <-> BUSY (checked out by a caller).  An idle
 * connection is still watched for reading, so a server that goes away is
 * noticed at once and not on the next request.
 *
 * A transaction costs no round trip of its own: BEGIN waits for the
 * holder's first statement and goes with it in one libpq pipeline, and a
 * holder that will commit whenever its last statement succeeds sends that
 * statement with COMMIT behind it (db_query_commit).  A request is then
 * two or three round trips to the server, not four or five.
 *
 * Server error text is never logged: PostgreSQL quotes input values in
 * its messages, and those values may be personal data.  Only SQLSTATEs
 * and constraint names reach the log.
 */
#include "shell/db.h"
#include "shell/log.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum conn_state {
	CONN_DOWN,
	CONN_CONNECTING,
	CONN_SETUP,
	CONN_IDLE,
	CONN_BUSY,
};

enum deferred_action {
	DEFER_NONE,
	DEFER_ACQUIRED,		/* hand the connection to acq_cb */
	DEFER_LOST,		/* report a statement lost with the link */
	DEFER_DONE,		/* report db_finish on a lost link */
};

struct waiter {
	struct waiter	*next;
	bool		 begin;
	db_acquire_cb	 cb;
	void		*arg;
};

struct db_txn {
	struct db_pool	*pool;
	int		 index;
	PGconn		*pg;
	enum conn_state	 state;
	struct event	*io;
	int		 io_fd;
	short		 io_what;
	struct event	*timer;		/* back-off, then deferred calls */
	int		 delay_ms;

	bool		 broken;	/* link lost while checked out */
	bool		 failed;	/* a statement failed inside BEGIN */
	bool		 in_begin;
	bool		 begin_pending;	/* BEGIN goes with the first statement */
	bool		 querying;
	/* A pipeline in flight: [BEGIN,] the statement[, COMMIT], sync. */
	bool		 pipelined;
	bool		 pipe_commit;
	enum { PIPE_BEGIN, PIPE_MAIN, PIPE_COMMIT, PIPE_SYNC } pipe_stage;
	PGresult	*begin_result;	/* kept when BEGIN failed */
	enum { COMMIT_NONE, COMMIT_OK, COMMIT_FAILED } committed;
	PGresult	*result;
	db_result_cb	 cb;
	void		*cb_arg;

	db_acquire_cb	 acq_cb;
	void		*acq_arg;
	db_done_cb	 done_cb;
	void		*done_arg;
	enum deferred_action deferred;
};

struct db_pool {
	struct event_base *base;
	char		*dsn;
	char		 statement_timeout[16];
	char		*timezone;
	int		 queue_max;
	int		 reconnect_max_delay_ms;
	int		 size;
	struct db_txn	*conns;
	struct waiter	*head, *tail;
	int		 waiting;
	bool		 unsafe;	/* the role would bypass row-level security */
	bool		 adopted;	/* db_pool_adopt: never reconnects */
};

static void	conn_start(struct db_txn *c);
static void	conn_lost(struct db_txn *c);
static void	conn_io_cb(evutil_socket_t fd, short what, void *arg);
static void	conn_release(struct db_txn *c);
static void	pool_dispatch(struct db_pool *pool);

const char *
db_sqlstate(const PGresult *res)
{
	const char *s;

	if (res == NULL)
		return "";
	s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return s != NULL ? s : "";
}

bool
db_ok(const PGresult *res)
{
	ExecStatusType st;

	if (res == NULL)
		return false;
	st = PQresultStatus(res);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static void
conn_watch(struct db_txn *c, short what)
{
	int fd = PQsocket(c->pg);

	if (c->io != NULL && c->io_fd == fd && c->io_what == what)
		return;
	if (c->io != NULL) {
		event_free(c->io);
		c->io = NULL;
	}
	if (fd < 0)
		return;
	c->io = event_new(c->pool->base, fd, what | EV_PERSIST, conn_io_cb, c);
	c->io_fd = fd;
	c->io_what = what;
	event_add(c->io, NULL);
}

static void
conn_unwatch(struct db_txn *c)
{
	if (c->io != NULL) {
		event_free(c->io);
		c->io = NULL;
	}
}

static void
timer_arm(struct db_txn *c, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(c->timer, &tv);
}

static void
defer(struct db_txn *c, enum deferred_action what)
{
	c->deferred = what;
	timer_arm(c, 0);
}

static int
pool_ready_count(const struct db_pool *pool)
{
	int n = 0;

	for (int i = 0; i < pool->size; i++)
		if (pool->conns[i].state == CONN_IDLE ||
		    (pool->conns[i].state == CONN_BUSY && !pool->conns[i].broken))
			n++;
	return n;
}

bool
db_pool_ready(const struct db_pool *pool)
{
	return pool_ready_count(pool) > 0;
}

bool
db_pool_unsafe(const struct db_pool *pool)
{
	return pool->unsafe;
}

int
db_pool_waiting(const struct db_pool *pool)
{
	return pool->waiting;
}

/* With no open connection left, nobody in the queue will be served soon. */
static void
pool_fail_waiters(struct db_pool *pool)
{
	struct waiter *w;

	while ((w = pool->head) != NULL) {
		pool->head = w->next;
		pool->waiting--;
		w->cb(NULL, w->arg);
		free(w);
	}
	pool->tail = NULL;
}

static void
conn_schedule_retry(struct db_txn *c)
{
	struct db_pool *pool = c->pool;
	int jitter;

	c->state = CONN_DOWN;
	c->querying = false;
	if (pool->adopted) {
		pool_fail_waiters(pool);
		return;
	}
	if (c->delay_ms == 0)
		c->delay_ms = 100;
	else if ((c->delay_ms *= 2) > pool->reconnect_max_delay_ms)
		c->delay_ms = pool->reconnect_max_delay_ms;
	/* Jitter, so that a pool (or many processes) do not reconnect in step. */
	jitter = c->delay_ms / 5;
	c->deferred = DEFER_NONE;
	timer_arm(c, c->delay_ms - jitter + (jitter > 0 ? rand() % (2 * jitter + 1) : 0));
	if (!db_pool_ready(pool))
		pool_fail_waiters(pool);
}

static void
conn_close(struct db_txn *c)
{
	conn_unwatch(c);
	if (c->result != NULL) {
		PQclear(c->result);
		c->result = NULL;
	}
	if (c->begin_result != NULL) {
		PQclear(c->begin_result);
		c->begin_result = NULL;
	}
	c->pipelined = false;
	if (c->pg != NULL) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
}

/* The link failed: report it to whoever holds the connection, then retry. */
static void
conn_lost(struct db_txn *c)
{
	enum conn_state was = c->state;

	if (was == CONN_IDLE || was == CONN_SETUP)
		log_warn("db: connection %d lost", c->index);
	conn_close(c);
	if (was != CONN_BUSY) {
		conn_schedule_retry(c);
		return;
	}
	c->broken = true;
	if (c->querying) {
		c->querying = false;
		if (c->cb != NULL)
			defer(c, DEFER_LOST);
	}
	/* It stays BUSY until its holder calls db_finish. */
	if (!db_pool_ready(c->pool))
		pool_fail_waiters(c->pool);
}

/* The statement in flight is complete: hand its result to the holder. */
static void
conn_deliver(struct db_txn *c, PGresult *res)
{
	db_result_cb cb = c->cb;
	void *arg = c->cb_arg;

	c->querying = false;
	c->cb = NULL;
	if (res != NULL && !db_ok(res)) {
		const char *cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);

		if (c->in_begin)
			c->failed = true;
		log_debug("db: statement failed: SQLSTATE %s%s%s", db_sqlstate(res),
		    cons != NULL ? " constraint " : "", cons != NULL ? cons : "");
	}
	if (c->state != CONN_BUSY && c->state != CONN_SETUP) {
		PQclear(res);
		return;
	}
	conn_watch(c, EV_READ);
	if (cb != NULL)
		cb(c, res, arg);
	PQclear(res);
}

static void
conn_result_ready(struct db_txn *c)
{
	PGresult *res;

	while (!PQisBusy(c->pg)) {
		res = PQgetResult(c->pg);
		if (res == NULL)
			break;
		if (c->result != NULL)
			PQclear(c->result);
		c->result = res;
	}
	if (PQisBusy(c->pg))
		return;
	res = c->result;
	c->result = NULL;
	conn_deliver(c, res);
}

/*
 * A pipeline answers each statement with its results and a NULL, then
 * the sync.  After an error the rest answer PGRES_PIPELINE_ABORTED, so a
 * failed BEGIN is what the holder sees in place of its statement's result.
 */
static void
conn_pipeline_ready(struct db_txn *c)
{
	PGresult *res;
	bool synced = false;

	while (!synced && !PQisBusy(c->pg)) {
		res = PQgetResult(c->pg);
		if (res == NULL) {
			if (c->pipe_stage == PIPE_BEGIN)
				c->pipe_stage = PIPE_MAIN;
			else if (c->pipe_stage == PIPE_MAIN)
				c->pipe_stage = c->pipe_commit ? PIPE_COMMIT : PIPE_SYNC;
			else
				c->pipe_stage = PIPE_SYNC;
			continue;
		}
		switch (PQresultStatus(res) == PGRES_PIPELINE_SYNC ? PIPE_SYNC :
		    c->pipe_stage) {
		case PIPE_BEGIN:
			if (c->begin_result != NULL)
				PQclear(c->begin_result);
			c->begin_result = db_ok(res) ? (PQclear(res), NULL) : res;
			break;
		case PIPE_MAIN:
			if (c->result != NULL)
				PQclear(c->result);
			c->result = res;
			break;
		case PIPE_COMMIT:
			c->committed = db_ok(res) ? COMMIT_OK : COMMIT_FAILED;
			PQclear(res);
			break;
		case PIPE_SYNC:
			synced = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
			PQclear(res);
			break;
		}
	}
	if (!synced)
		return;
	if (!PQexitPipelineMode(c->pg)) {
		conn_lost(c);
		return;
	}
	c->pipelined = false;
	if (c->begin_result != NULL) {
		PQclear(c->result);
		c->result = c->begin_result;
		c->begin_result = NULL;
	}
	res = c->result;
	c->result = NULL;
	conn_deliver(c, res);
}

static void
conn_readable(struct db_txn *c)
{
	PGnotify *n;

	if (!PQconsumeInput(c->pg) || PQstatus(c->pg) == CONNECTION_BAD) {
		conn_lost(c);
		return;
	}
	while ((n = PQnotifies(c->pg)) != NULL)
		PQfreemem(n);
	if (c->querying) {
		if (c->pipelined)
			conn_pipeline_ready(c);
		else
			conn_result_ready(c);
		return;
	}
	/* An idle connection only hears from a server going away. */
	if (PQstatus(c->pg) != CONNECTION_OK)
		conn_lost(c);
}

static void
conn_flush(struct db_txn *c)
{
	int r = PQflush(c->pg);

	if (r < 0) {
		conn_lost(c);
		return;
	}
	conn_watch(c, r == 1 ? EV_READ | EV_WRITE : EV_READ);
}

static void
conn_poll_connect(struct db_txn *c)
{
	switch (PQconnectPoll(c->pg)) {
	case PGRES_POLLING_READING:
		conn_watch(c, EV_READ);
		return;
	case PGRES_POLLING_WRITING:
		conn_watch(c, EV_WRITE);
		return;
	case PGRES_POLLING_OK:
		break;
	default:
		log_warn("db: connection %d failed, retrying", c->index);
		conn_close(c);
		conn_schedule_retry(c);
		return;
	}
	if (PQsetnonblocking(c->pg, 1) != 0) {
		conn_close(c);
		conn_schedule_retry(c);
		return;
	}
	conn_start(c);
}

static void
conn_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_txn *c = arg;

	(void)fd;
	if (c->state == CONN_CONNECTING) {
		conn_poll_connect(c);
		return;
	}
	if (what & EV_WRITE) {
		conn_flush(c);
		if (c->pg == NULL)
			return;
	}
	if (what & EV_READ)
		conn_readable(c);
}

static int
conn_send(struct db_txn *c, const char *sql, int nparams,
    const char *const *params, db_result_cb cb, void *arg)
{
	if (!PQsendQueryParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0))
		return -1;
	c->querying = true;
	c->cb = cb;
	c->cb_arg = arg;
	conn_flush(c);
	return 0;
}

/* [BEGIN,] sql[, COMMIT] and a sync, in one write. */
static int
conn_send_pipeline(struct db_txn *c, bool begin, const char *sql, int nparams,
    const char *const *params, bool commit, db_result_cb cb, void *arg)
{
	if (!PQenterPipelineMode(c->pg) ||
	    (begin && !PQsendQueryParams(c->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0)) ||
	    !PQsendQueryParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0) ||
	    (commit && !PQsendQueryParams(c->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0)) ||
	    !PQpipelineSync(c->pg))
		return -1;
	c->pipelined = true;
	c->pipe_commit = commit;
	c->pipe_stage = begin ? PIPE_BEGIN : PIPE_MAIN;
	c->querying = true;
	c->cb = cb;
	c->cb_arg = arg;
	conn_flush(c);
	return 0;
}

static void
setup_done(struct db_txn *c, const PGresult *res, void *arg)
{
	(void)arg;
	if (!db_ok(res)) {
		log_error("db: session set-up failed (SQLSTATE %s): check "
		    "[calendar] timezone", db_sqlstate(res));
		conn_close(c);
		conn_schedule_retry(c);
		return;
	}
	/*
	 * Row-level security does not bind a superuser, a BYPASSRLS role or
	 * a table's owner, and a role that owns anything, may create objects
	 * or may become the owner could make itself one of those: a
	 * connection as any of them would leave every policy unenforced, so
	 * it is refused, not used.
	 */
	if (PQgetvalue(res, 0, 2)[0] != '\0') {
		if (!c->pool->unsafe)
			log_error("db: the database role %s; refusing to use it "
			    "(see maracd(8), SECURITY)", PQgetvalue(res, 0, 2));
		c->pool->unsafe = true;
		conn_close(c);
		conn_schedule_retry(c);
		return;
	}
	c->pool->unsafe = false;
	if (c->delay_ms != 0)
		log_info("db: connection %d open", c->index);
	c->delay_ms = 0;
	c->state = CONN_IDLE;
	pool_dispatch(c->pool);
}

/*
 * Why maracd's login must not be used, or "": what it is or may do that
 * would put it above row-level security.
 */
#define DB_ROLE_UNSAFE_SQL \
	"(SELECT CASE " \
	"WHEN r.rolsuper THEN 'is a superuser' " \
	"WHEN r.rolbypassrls THEN 'has BYPASSRLS' " \
	"WHEN r.rolcreaterole THEN 'has CREATEROLE' " \
	"WHEN to_regclass('public.api_tokens') IS NOT NULL AND pg_has_role(r.oid, " \
	"(SELECT relowner FROM pg_class WHERE oid = to_regclass('public.api_tokens')), " \
	"'MEMBER') THEN 'is a member of the schema owner''s role' " \
	"WHEN EXISTS (SELECT 1 FROM pg_class WHERE relowner = r.oid) OR " \
	"EXISTS (SELECT 1 FROM pg_proc WHERE proowner = r.oid) OR " \
	"EXISTS (SELECT 1 FROM pg_namespace WHERE nspowner = r.oid) OR " \
	"EXISTS (SELECT 1 FROM pg_type WHERE typowner = r.oid) OR " \
	"EXISTS (SELECT 1 FROM pg_database WHERE datdba = r.oid) THEN 'owns objects' " \
	"WHEN has_database_privilege(r.oid, current_database(), 'CREATE') OR " \
	"EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\\_%' " \
	"AND n.nspname <> 'information_schema' " \
	"AND has_schema_privilege(r.oid, n.oid, 'CREATE')) " \
	"THEN 'may create objects (CREATE on the database or a schema)' " \
	"ELSE '' END FROM pg_roles r WHERE r.rolname = current_user)"

/* Session settings every connection needs, whatever the DSN says. */
static void
conn_start(struct db_txn *c)
{
	const char *params[2] = { c->pool->statement_timeout, c->pool->timezone };

	c->state = CONN_SETUP;
	if (conn_send(c, "SELECT set_config('statement_timeout', $1, false), "
	    "set_config('TimeZone', $2, false), " DB_ROLE_UNSAFE_SQL, 2, params,
	    setup_done, NULL) != 0)
		conn_lost(c);
}

static void
conn_connect(struct db_txn *c)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { c->pool->dsn, "maracd", NULL };

	c->pg = PQconnectStartParams(keys, vals, 1);
	if (c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD) {
		conn_close(c);
		conn_schedule_retry(c);
		return;
	}
	c->state = CONN_CONNECTING;
	c->io_fd = -1;
	conn_watch(c, EV_WRITE);
	if (c->io == NULL) {
		conn_close(c);
		conn_schedule_retry(c);
	}
}

static void
conn_hand_over(struct db_txn *c, struct waiter *w)
{
	c->state = CONN_BUSY;
	c->broken = false;
	c->failed = false;
	c->in_begin = w->begin;
	c->begin_pending = w->begin;
	c->committed = COMMIT_NONE;
	c->acq_cb = w->cb;
	c->acq_arg = w->arg;
	defer(c, DEFER_ACQUIRED);
}

static void
pool_dispatch(struct db_pool *pool)
{
	struct waiter *w;

	for (int i = 0; i < pool->size && pool->head != NULL; i++) {
		struct db_txn *c = &pool->conns[i];

		if (c->state != CONN_IDLE)
			continue;
		w = pool->head;
		pool->head = w->next;
		if (pool->head == NULL)
			pool->tail = NULL;
		pool->waiting--;
		conn_hand_over(c, w);
		free(w);
	}
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_txn *c = arg;
	enum deferred_action act = c->deferred;
	db_result_cb cb;
	db_done_cb done;

	(void)fd;
	(void)what;
	c->deferred = DEFER_NONE;
	switch (act) {
	case DEFER_NONE:
		if (c->state == CONN_DOWN)
			conn_connect(c);
		break;
	case DEFER_ACQUIRED:
		c->acq_cb(c, c->acq_arg);
		break;
	case DEFER_LOST:
		cb = c->cb;
		c->cb = NULL;
		cb(c, NULL, c->cb_arg);
		break;
	case DEFER_DONE:
		done = c->done_cb;
		c->done_cb = NULL;
		conn_release(c);
		if (done != NULL)
			done(false, c->done_arg);
		break;
	}
}

int
db_acquire(struct db_pool *pool, bool begin, db_acquire_cb cb, void *arg)
{
	struct waiter *w;

	if (!db_pool_ready(pool) || pool->waiting >= pool->queue_max)
		return -1;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->begin = begin;
	w->cb = cb;
	w->arg = arg;
	if (pool->tail != NULL)
		pool->tail->next = w;
	else
		pool->head = w;
	pool->tail = w;
	pool->waiting++;
	pool_dispatch(pool);
	return 0;
}

static int
query(struct db_txn *c, const char *sql, int nparams,
    const char *const *params, bool commit, db_result_cb cb, void *arg)
{
	bool begin = c->begin_pending;
	int rc;

	if (c->broken || c->pg == NULL) {
		c->cb = cb;
		c->cb_arg = arg;
		defer(c, DEFER_LOST);
		return 0;
	}
	commit = commit && c->in_begin;
	c->begin_pending = false;
	if (begin || commit)
		rc = conn_send_pipeline(c, begin, sql, nparams, params, commit, cb, arg);
	else
		rc = conn_send(c, sql, nparams, params, cb, arg);
	if (rc != 0) {
		c->cb = cb;
		c->cb_arg = arg;
		conn_lost(c);
		if (c->deferred == DEFER_NONE)
			defer(c, DEFER_LOST);
	}
	return 0;
}

int
db_query(struct db_txn *c, const char *sql, int nparams,
    const char *const *params, db_result_cb cb, void *arg)
{
	return query(c, sql, nparams, params, false, cb, arg);
}

int
db_query_commit(struct db_txn *c, const char *sql, int nparams,
    const char *const *params, db_result_cb cb, void *arg)
{
	return query(c, sql, nparams, params, true, cb, arg);
}

/* Back to the pool, or to reconnection if the link was lost meanwhile. */
static void
conn_release(struct db_txn *c)
{
	c->acq_cb = NULL;
	c->in_begin = false;
	c->begin_pending = false;
	c->committed = COMMIT_NONE;
	if (c->broken || c->pg == NULL) {
		c->broken = false;
		conn_close(c);
		conn_schedule_retry(c);
		return;
	}
	c->state = CONN_IDLE;
	pool_dispatch(c->pool);
}

static void
finish_done(struct db_txn *c, const PGresult *res, void *arg)
{
	db_done_cb done = c->done_cb;
	bool ok = db_ok(res);

	(void)arg;
	c->done_cb = NULL;
	if (res == NULL)
		c->broken = true;
	conn_release(c);
	if (done != NULL)
		done(ok, c->done_arg);
}

void
db_finish(struct db_txn *c, bool commit, db_done_cb cb, void *arg)
{
	c->done_cb = cb;
	c->done_arg = arg;
	if (c->broken || c->pg == NULL) {
		defer(c, DEFER_DONE);
		return;
	}
	/*
	 * No transaction to end: none was asked for, BEGIN was never sent,
	 * or the last statement's COMMIT already ended it.  A statement that
	 * failed before its COMMIT left the transaction open and aborted: that
	 * one still needs its ROLLBACK, below.
	 */
	if (!c->in_begin || c->begin_pending ||
	    (c->committed != COMMIT_NONE && !c->failed)) {
		db_done_cb done = c->done_cb;
		bool ok = c->committed != COMMIT_FAILED;

		c->done_cb = NULL;
		conn_release(c);
		if (done != NULL)
			done(ok, arg);
		return;
	}
	/* A failed statement aborted the transaction: COMMIT would lie. */
	if (c->failed)
		commit = false;
	if (conn_send(c, commit ? "COMMIT" : "ROLLBACK", 0, NULL, finish_done,
	    NULL) != 0) {
		conn_lost(c);
		defer(c, DEFER_DONE);
	}
}

struct db_pool *
db_pool_new(struct event_base *base, const struct db_settings *s)
{
	struct db_pool *pool;

	if ((pool = calloc(1, sizeof(*pool))) == NULL)
		return NULL;
	pool->base = base;
	pool->dsn = strdup(s->dsn);
	pool->timezone = strdup(s->timezone);
	snprintf(pool->statement_timeout, sizeof(pool->statement_timeout), "%d",
	    s->statement_timeout_ms);
	pool->size = s->pool_size;
	pool->conns = calloc((size_t)pool->size, sizeof(*pool->conns));
	if (pool->dsn == NULL || pool->timezone == NULL || pool->conns == NULL) {
		db_pool_free(pool);
		return NULL;
	}
	db_pool_update(pool, s);
	for (int i = 0; i < pool->size; i++) {
		struct db_txn *c = &pool->conns[i];

		c->pool = pool;
		c->index = i;
		c->timer = evtimer_new(base, timer_cb, c);
		c->state = CONN_DOWN;
		timer_arm(c, 0);
	}
	return pool;
}

struct db_pool *
db_pool_adopt(struct event_base *base, PGconn *pg)
{
	struct db_pool *pool;
	struct db_txn *c;

	if ((pool = calloc(1, sizeof(*pool))) == NULL)
		return NULL;
	if ((pool->conns = calloc(1, sizeof(*pool->conns))) == NULL ||
	    PQsetnonblocking(pg, 1) != 0) {
		free(pool->conns);
		free(pool);
		return NULL;
	}
	pool->base = base;
	pool->adopted = true;
	pool->size = 1;
	pool->queue_max = 1;
	c = &pool->conns[0];
	c->pool = pool;
	c->pg = pg;
	c->io_fd = -1;
	c->state = CONN_IDLE;
	if ((c->timer = evtimer_new(base, timer_cb, c)) == NULL) {
		free(pool->conns);
		free(pool);
		return NULL;
	}
	conn_watch(c, EV_READ);
	return pool;
}

void
db_pool_update(struct db_pool *pool, const struct db_settings *s)
{
	pool->queue_max = s->queue_max;
	pool->reconnect_max_delay_ms = s->reconnect_max_delay_ms;
}

void
db_pool_free(struct db_pool *pool)
{
	if (pool == NULL)
		return;
	pool_fail_waiters(pool);
	for (int i = 0; pool->conns != NULL && i < pool->size; i++) {
		conn_close(&pool->conns[i]);
		if (pool->conns[i].timer != NULL)
			event_free(pool->conns[i].timer);
	}
	free(pool->conns);
	free(pool->dsn);
	free(pool->timezone);
	free(pool);
}

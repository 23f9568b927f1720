/*
 * A pool of asynchronous libpq connections on the libevent loop.
 *
 * Callers check out a connection (optionally inside BEGIN), send
 * statements one after another, each answered by a callback, and finish
 * with COMMIT or ROLLBACK.  Nothing here blocks: a slow or absent
 * database turns into callbacks with NULL, never into a stalled loop.
 */
#ifndef MARACD_DB_H
#define MARACD_DB_H

#include <stdbool.h>
#include <libpq-fe.h>

struct event_base;
struct db_pool;
struct db_txn;

struct db_settings {
	const char	*dsn;
	int		 pool_size;
	int		 queue_max;
	int		 reconnect_max_delay_ms;
	int		 statement_timeout_ms;
	const char	*timezone;
};

/* txn is NULL when no connection could be had (the database is down). */
typedef void (*db_acquire_cb)(struct db_txn *txn, void *arg);
/* res is NULL when the connection was lost; the pool clears res after. */
typedef void (*db_result_cb)(struct db_txn *txn, const PGresult *res, void *arg);
/* ok: the COMMIT (or ROLLBACK) was acknowledged by the server. */
typedef void (*db_done_cb)(bool ok, void *arg);

struct db_pool *db_pool_new(struct event_base *base, const struct db_settings *s);
/*
 * A pool of one around pg, a connection the caller opened (blocking) and
 * set up, and which the pool now owns: maracctl's, as the schema owner,
 * to drive maracd's own workflows (maracctl(1)).  The owner is above
 * row-level security by design, so the checks of db_pool_new's
 * connections are not made; a lost connection is not reopened.  NULL
 * when out of memory (pg is then still the caller's).
 */
struct db_pool *db_pool_adopt(struct event_base *base, PGconn *pg);
void	db_pool_free(struct db_pool *pool);
/* Settings that may change on reload: queue_max, reconnect delay. */
void	db_pool_update(struct db_pool *pool, const struct db_settings *s);

/* True while at least one connection is open and usable. */
bool	db_pool_ready(const struct db_pool *pool);
int	db_pool_waiting(const struct db_pool *pool);
/* True when the role maracd connects as would bypass row-level security. */
bool	db_pool_unsafe(const struct db_pool *pool);

/*
 * Ask for a connection.  With begin, the callback runs inside BEGIN.
 * Returns -1 at once (and never calls cb) when no connection is open or
 * the queue is full: the caller answers 503.
 */
int	db_acquire(struct db_pool *pool, bool begin, db_acquire_cb cb, void *arg);

/* One statement with text parameters (NULL for SQL NULL). -1: not sent. */
int	db_query(struct db_txn *txn, const char *sql, int nparams,
	    const char *const *params, db_result_cb cb, void *arg);

/*
 * The transaction's last statement, with COMMIT sent behind it in the same
 * round trip: for a holder that commits whenever this statement succeeds.
 * cb sees the statement's result; db_finish then only reports whether the
 * COMMIT succeeded (ok false if not) and releases the connection.  If the
 * statement fails, nothing is committed and db_finish rolls back.
 */
int	db_query_commit(struct db_txn *txn, const char *sql, int nparams,
	    const char *const *params, db_result_cb cb, void *arg);

/*
 * COMMIT (commit true, and no statement failed) or ROLLBACK, then give the
 * connection back.  cb may be NULL.  A lost connection reports ok=false.
 */
void	db_finish(struct db_txn *txn, bool commit, db_done_cb cb, void *arg);

/* The SQLSTATE of a failed result, or "" */
const char *db_sqlstate(const PGresult *res);
bool	db_ok(const PGresult *res);

#endif

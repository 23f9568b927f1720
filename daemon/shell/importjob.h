/*
 * A CSV import of referrals on the event loop, as POST
 * /v1/referrals/import and maracctl import run it: rows go through
 * core/import.c (the same validation and rules as POST /v1/referrals) a
 * batch at a time (core/importbatch.h); per wave of a batch, one
 * statement reads the facts of its rows and one stores them set-based
 * (statements/import.h: referral_import_rows(), which stores them one at a time,
 * each in a savepoint, when the database refuses any), so that a row the
 * database refuses costs that row only.
 *
 * The caller gives the bytes (all at once, or a chunk at a time: a file
 * of any size imports in bounded memory) and is told of each batch
 * stored; the import then goes on in the same transaction, or, given a
 * pool (importjob_start), commits the batch and goes on in a fresh one.
 * A wave is a chain of two callbacks, each of which comes back from the
 * event loop, and rows are read and checked IMPORTJOB_READ at a time
 * before the loop gets a turn, so neither the stack nor the loop's
 * latency grows with the file.  While a wave is stored, a turn's worth
 * of the next batch's rows is read and checked, so that the importer's
 * work and the database's overlap; memory is two batches' rows.
 */
#ifndef MARACD_IMPORTJOB_H
#define MARACD_IMPORTJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

#include "core/date.h"
#include "core/import.h"
#include "core/importbatch.h"

struct config;
struct db_pool;
struct db_txn;
struct event_base;
struct importjob;

enum importjob_outcome {
	IMPORTJOB_DONE,
	IMPORTJOB_BAD_HEADER,	/* imp->row.errs says why; nothing imported */
	IMPORTJOB_NOMEM,
	IMPORTJOB_UNREADABLE,	/* the caller's read failed */
	IMPORTJOB_STOPPED,	/* the caller's alive said no */
	IMPORTJOB_DB_FAILED,	/* res (NULL: lost), storing batch */
};

struct importjob_end {
	enum importjob_outcome		 outcome;
	const PGresult			*res;
	const struct import		*imp;	/* totals, header errors */
	const struct import_batch	*batch;
	/* The transaction the import ended in (NULL: none), the caller's to end. */
	struct db_txn			*txn;
	unsigned long			 committed;	/* rows, given a pool */
};

struct importjob_io {
	/*
	 * The file's next bytes, valid until the next call (*len 0: its
	 * end).  -1: they cannot be read (the caller says why).
	 */
	int	(*read)(void *arg, const char **data, size_t *len);
	/* NULL, or false to stop at once (nothing more is sent). */
	bool	(*alive)(void *arg);
	/* A batch was stored: b says what became of each of its rows. */
	void	(*batch)(const struct import_batch *b, void *arg);
	/* The end, however it came; the import is freed after. */
	void	(*end)(const struct importjob_end *e, void *arg);
};

/*
 * Start an import in txn with the [calendar] and [referrals] settings of
 * cfg (copied), today the clock's local date.  Admin only: back-dated
 * received_at is allowed.  -1 when out of memory (nothing called); the
 * hooks may be called before it returns.
 *
 * pool NULL: the import is all in txn, which the caller ends.  Given the
 * pool txn came from (maracctl, as the schema owner), each batch is
 * committed and the import goes on in a fresh transaction from the pool,
 * so that a failure part way keeps the batches committed.  COMMIT goes
 * behind the batch's last store statement, in its round trip, so that
 * batch sees the transaction ended already (db_finish then only says
 * whether the COMMIT succeeded).  The first batch committed is followed
 * by ANALYZE, which only the owner of the tables may run.
 */
int	importjob_start(struct event_base *base, struct db_txn *txn,
	    struct db_pool *pool, const struct config *cfg, date_t today,
	    size_t batch_rows, const struct importjob_io *io, void *arg);

#endif

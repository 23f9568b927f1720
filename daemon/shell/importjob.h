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
 * of any size imports in bounded memory), is told of each batch stored,
 * and decides whether to commit it before the import goes on
 * (importjob_resume).  A wave is a chain of two callbacks, each of which
 * comes back from the event loop, and rows are read and checked
 * IMPORTJOB_READ at a time before the loop gets a turn, so neither the
 * stack nor the loop's latency grows with the file.  While a wave is
 * stored, a turn's worth of the next batch's rows is read and checked,
 * so that the importer's work and the database's overlap; memory is two
 * batches' rows.
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
};

struct importjob_io {
	/*
	 * The file's next bytes, valid until the next call (*len 0: its
	 * end).  -1: they cannot be read (the caller says why).
	 */
	int	(*read)(void *arg, const char **data, size_t *len);
	/* NULL, or false to stop at once (nothing more is sent). */
	bool	(*alive)(void *arg);
	/*
	 * A batch was stored: b says what became of each of its rows.  The
	 * caller calls importjob_resume with the transaction the import goes
	 * on in (NULL: it cannot, which ends it as IMPORTJOB_DB_FAILED).
	 */
	void	(*batch)(struct importjob *j, const struct import_batch *b,
		    void *arg);
	/* The end, however it came; j is freed after. */
	void	(*end)(const struct importjob_end *e, void *arg);
	/*
	 * Each batch is committed (maracctl): COMMIT goes behind the batch's
	 * last store statement, in its round trip, so that batch sees the
	 * transaction ended already (db_finish then only says whether the
	 * COMMIT succeeded).  false: the caller ends the transaction.
	 */
	bool	commit;
};

/*
 * Start an import in txn with the [calendar] and [referrals] settings of
 * cfg (copied), today the clock's local date.  Admin only: back-dated
 * received_at is allowed.  -1 when out of memory (nothing called); the
 * hooks may be called before it returns.
 */
int	importjob_start(struct event_base *base, struct db_txn *txn,
	    const struct config *cfg, date_t today, size_t batch_rows,
	    const struct importjob_io *io, void *arg);
void	importjob_resume(struct importjob *j, struct db_txn *txn);

#endif

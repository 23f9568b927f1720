/*
 * An import's rows on their way to the database a batch at a time
 * (core/import.h has the rows themselves).  One statement reads the facts
 * of many rows and one stores many rows (statements/import.h), instead of two
 * each, and the database does the storing set-based.
 *
 * Rows of one victim must still go one after another: the repeat rule
 * asks when the victim was last referred to MARAC before this referral,
 * and the case a referral links to is the victim's waiting case, both of
 * which an earlier row of the same file may have just made.  So a batch
 * goes in waves: a wave takes every waiting row whose victim no earlier
 * waiting row of the batch has, so that no two rows of a wave share a
 * victim, and each row's facts are read after every earlier row of its
 * victim is stored.  Most batches are one wave; a victim named k times
 * makes k.
 *
 *	import_batch_add (until full or the file ends)
 *	while import_batch_wave(now):
 *	    facts statement with import_batch_facts_param;
 *	    import_batch_route for each wave row, in order;
 *	    if import_batch_store_param: store statement, then
 *		import_batch_stored / import_batch_store_failed for each
 *	rows[0..n) are now finished, in file order: report, import_batch_clear
 *
 * Pure; memory is bounded by the batch's capacity.
 */
#ifndef MARACD_CORE_IMPORTBATCH_H
#define MARACD_CORE_IMPORTBATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/import.h"

struct import_batch {
	struct import_row	*rows;		/* file order, n of cap */
	size_t			 n, cap;
	size_t			*wave;		/* this wave's rows (indices) */
	size_t			 nwave;
	size_t			*sent;		/* those the store statement has */
	size_t			 nsent;

	/* Private: victim keys seen while picking a wave (open addressing). */
	const char		**seen;
	size_t			 nseen;
};

bool	import_batch_init(struct import_batch *, size_t cap);
void	import_batch_free(struct import_batch *);
bool	import_batch_full(const struct import_batch *);
/* Moves imp's current row (import_take), whatever its status, in. */
void	import_batch_add(struct import_batch *, struct import *);
/* Frees the rows (after they were reported); the batch is empty again. */
void	import_batch_clear(struct import_batch *);

/* The next wave: false when no row of the batch waits for the database. */
bool	import_batch_wave(struct import_batch *);
/*
 * The facts statement's one parameter: a JSON array with, for each row of
 * the wave, [victim key, received_at or null, now] (now: the clock's
 * instant, RFC 3339, the same for the whole wave).
 */
void	import_batch_facts_param(const struct import_batch *, const char *now,
	    struct buf *out);
/* The facts of the wave's i-th row: routes it (import_row_route). */
void	import_batch_route(struct import_batch *, struct import *, size_t i,
	    const struct intake_facts *);
/*
 * The store statement's one parameter: a JSON array of [referral,
 * decision] pairs for the rows of the wave that are to be stored; false
 * when there are none (out of memory: those rows are INVALID).
 */
bool	import_batch_store_param(struct import_batch *, struct import *,
	    struct buf *out);
/*
 * After import_batch_store_param: no row of the batch is left waiting but
 * those sent, so no wave comes after this one.
 */
bool	import_batch_last_wave(const struct import_batch *);
/* What became of the k-th row sent (k < nsent). */
void	import_batch_stored(struct import_batch *, struct import *, size_t k,
	    bool created, long long id, const char *reference, const char *forum,
	    const char *status);
void	import_batch_store_failed(struct import_batch *, struct import *,
	    size_t k, const char *sqlstate);

#endif

/*
 * A CSV import of referrals: bytes in, one row at a time through the
 * same intake as POST /v1/referrals, and what became of every row.
 *
 * Shared by POST /v1/referrals/import (maracd, asynchronous) and
 * maracctl import (blocking), which differ only in how they run the two
 * statements a valid row needs (statements/import.h).  Pure: the caller reads
 * the bytes and talks to the database, then tells the import what came
 * back.  One row is held at a time, so memory does not grow with the
 * file.  A row goes:
 *
 *	import_feed/import_end -> IMPORT_ROW
 *	    status INVALID: finished (errors by column)
 *	    status PENDING: run the facts statement with import_facts_params,
 *		then import_route(facts):
 *		    false: REFUSED (under 16), finished, nothing stored
 *		    true:  run the store statement with import_store_json,
 *			   then import_stored or import_store_failed
 *
 * Row numbers are CSV line numbers (the header is line 1), so a row that
 * spans lines is named by its first.  Blank rows are skipped and not
 * counted.
 */
#ifndef MARACD_CORE_IMPORT_H
#define MARACD_CORE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/csvread.h"
#include "core/date.h"
#include "core/fielderr.h"
#include "core/intake.h"
#include "core/referral.h"
#include "core/referral_csv.h"
#include "core/routing.h"

/* Larger than any value a referral takes, so the validator names it. */
#define IMPORT_FIELD_MAX	32768
#define IMPORT_FIELDS_MAX	256
#define IMPORT_REFERENCE_MAX	40

enum import_status {
	IMPORT_PENDING,		/* valid so far: the database is next */
	IMPORT_CREATED,
	IMPORT_DUPLICATE,	/* (referring_agency, external_ref) known */
	IMPORT_REFUSED,		/* under 16: nothing stored */
	IMPORT_INVALID
};

enum import_event {
	IMPORT_MORE,		/* every byte used: feed more, or import_end */
	IMPORT_ROW,		/* a data row, in row */
	IMPORT_BAD_HEADER,	/* the header row is wrong (row.errs): stop */
	IMPORT_END,		/* nothing more */
	IMPORT_NOMEM
};

struct import_row {
	unsigned long		 line;
	enum import_status	 status;
	struct field_errors	 errs;		/* by column; "" the whole row */
	const char		*error;		/* refused: the API's code */
	char			 message[ROUTING_MESSAGE_MAX];	/* refused */
	long long		 id;		/* created, duplicate */
	char			 reference[IMPORT_REFERENCE_MAX];
	char			 forum[8];	/* "" when below threshold */
	/* created, duplicate: listed, waiting (for a sitting), below_threshold */
	char			 referral_status[24];

	/* Private: the row on its way through the intake. */
	struct referral		 ref;
	/*
	 * The referral's JSON as the store statement takes it, written as
	 * the row is read: the row's tree is freed at once, and the writing
	 * is done while an earlier batch is stored (shell/importjob.c).
	 */
	char			*req;
	struct intake_decision	 d;
	struct intake_facts	 f;
};

struct import_totals {
	unsigned long	rows;
	unsigned long	imported;
	unsigned long	duplicates;
	unsigned long	refused;
	unsigned long	invalid;
	unsigned long	waiting;	/* of those imported: no sitting yet */
};

struct import {
	struct import_row	 row;
	struct import_totals	 totals;

	/* Private. */
	struct csvread		 csv;
	struct referral_csv	 cols;
	bool			 have_header;
	bool			 ended;
	date_t			 today;
	const char		*default_area;
	struct intake_params	 params;
	struct intake_served	 served;
	const char		*coordinator;
	struct buf		 json;		/* a row's JSON, being written */
};

/*
 * today: the local date (dates after it are refused); default_area: the
 * area of rows that name none ([calendar] area), which must outlive imp;
 * params: the [referrals] numbers (NULL: the defaults), copied, so that
 * every row of one import is scored and routed alike.
 */
void	import_init(struct import *, date_t today, const char *default_area,
	    const struct intake_params *params);
/*
 * What the deployment holds sittings for (by default both forums in the
 * default area): a row for another area or forum is INVALID on "area".
 * coordinator: whom referral_create() tells of a row that must wait for
 * a sitting (NULL: nobody).  Both must outlive imp.
 */
void	import_serve(struct import *, const struct intake_served *srv,
	    const char *coordinator);
void	import_free(struct import *);

/*
 * Reads from data until a row is ready (IMPORT_ROW, *used bytes taken:
 * call again with the rest) or the bytes run out (IMPORT_MORE).  A
 * pending row must be finished before the next call.
 */
enum import_event import_feed(struct import *, const void *data, size_t len,
	    size_t *used);
/* At the end of the file: the last row if any, then IMPORT_END. */
enum import_event import_end(struct import *);

/* The facts statement's $1 (victim key) and $2 (received_at or NULL). */
void	import_facts_params(const struct import *, const char *params[2]);
/*
 * With the facts: true to store the row, false when it was refused (under
 * 16: REFUSED) or is for an area or forum without sittings (INVALID).
 */
bool	import_route(struct import *, const struct intake_facts *);
/*
 * The store statement's row, [the referral's JSON, the decision's JSON],
 * added to out; false when out of memory (the row is then INVALID).
 */
bool	import_store_json(struct import *, struct buf *out);
/* What the store statement answered: created or not, and its body. */
void	import_stored(struct import *, bool created, const char *body);
/* The store statement failed for this row (rolled back on its own). */
void	import_store_failed(struct import *, const char *sqlstate);

/*
 * The same, for a row taken out of the import (import_take), so that many
 * rows can be on their way to the database at once (core/importbatch.h).
 * import_take moves the row just read (any status) into *out and leaves
 * the import ready to read the next; import_row_free frees what a taken
 * row still holds.
 */
void	import_take(struct import *, struct import_row *out);
void	import_row_free(struct import_row *);
void	import_row_facts_params(const struct import_row *, const char *params[2]);
bool	import_row_route(struct import *, struct import_row *,
	    const struct intake_facts *);
bool	import_row_store_json(struct import *, struct import_row *,
	    struct buf *out);
/* What the database stored for the row (or already had: !created). */
void	import_row_stored(struct import *, struct import_row *, bool created,
	    long long id, const char *reference, const char *forum,
	    const char *status);
void	import_row_store_failed(struct import *, struct import_row *,
	    const char *sqlstate);

/*
 * {"row", "status", "id", "reference", "forum", "errors"} of a row, and
 * "referral_status" of a stored one.
 */
cJSON  *import_row_json(const struct import_row *);
/* The row's problems as "column: reason; ...", for people. */
void	import_row_text(const struct import_row *, struct buf *out);

#endif

/*
 * A sitting's agenda on the event loop, as GET /v1/sittings/{id}/agenda,
 * POST .../agenda/issue and maracctl agenda read and issue it: a short
 * chain of the statements of statements/agenda.h in the caller's transaction
 * (the SQL functions of sql/008_agenda.sql audit reads and issues),
 * ending in one callback.  Nothing commits; nothing answers: the caller
 * renders what it got (agenda_stmt_render) and says why it got nothing.
 */
#ifndef MARACD_AGENDAJOB_H
#define MARACD_AGENDAJOB_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "statements/agenda.h"

struct buf;
struct config;
struct db_txn;

enum agendajob_outcome {
	AGENDAJOB_OK,
	AGENDAJOB_FAILED,	/* res: the failed result; NULL: lost, or why */
	AGENDAJOB_NO_SITTING,	/* for this caller */
	AGENDAJOB_NO_VERSION,	/* the version asked for */
	AGENDAJOB_NONE_ISSUED,	/* none yet, and no draft for this caller */
	AGENDAJOB_NO_DRAFT,	/* a draft asked for by whom may not have one */
	AGENDAJOB_CANCELLED,	/* issue: the sitting is cancelled */
	AGENDAJOB_HELD,		/* issue: it has been held */
	AGENDAJOB_CONFLICT,	/* issue: another came first (res) */
	AGENDAJOB_UNCHANGED,	/* issue: nothing changed since the latest */
};

/*
 * What was got, valid during the callback: the sitting, and either the
 * model (a draft, a stored version read back with its diff and sha256,
 * or the version just issued with iss and issued, the row of
 * AGENDA_SQL_ISSUE), or, when the caller wants an issued version's
 * JSON only, stored (the row of AGENDA_SQL_VERSION) and no model.
 */
struct agendajob_got {
	enum agendajob_outcome		 outcome;
	const PGresult			*res;
	const char			*why;
	const struct agenda_stmt_sitting *s;
	const struct agenda		*a;
	const char			*diff;
	const char			*sha256;
	const PGresult			*stored;
	const struct agenda_stmt_issue	*iss;
	const PGresult			*issued;
};

typedef void (*agendajob_cb)(const struct agendajob_got *g, void *arg);

struct agendajob_ask {
	long long	 sitting;
	int		 version;	/* 0: the latest */
	bool		 draft;		/* a draft asked for */
	bool		 may_draft;	/* the caller may have drafts */
	bool		 stored_json;	/* an issued version's JSON will do */
};

/*
 * The latest issued version, or the one ask->version names; a draft
 * built now from the cases listed at the sitting when asked for, or when
 * none is issued yet (may_draft: under row-level security an agency
 * would see a draft of its own cases alone, and drafts are the
 * coordinator's work).
 */
void	agendajob_get(struct db_txn *txn, const struct config *cfg,
	    const struct agendajob_ask *ask, agendajob_cb cb, void *arg);

/* What an outcome but OK and FAILED means, in a sentence for anyone. */
const char *agendajob_outcome_text(enum agendajob_outcome o);

/*
 * The agenda got (outcome OK) in fmt, added to out: an issued version's
 * stored JSON as it was stored, else rendered from the model now.  0, or
 * -1 when a stored version cannot be read back or memory ran out.
 */
int	agendajob_render(const struct agendajob_got *g,
	    enum agenda_stmt_format fmt, const struct config *cfg, struct buf *out);

/* Issue the next version of the sitting's agenda and mail it. */
void	agendajob_issue(struct db_txn *txn, const struct config *cfg,
	    long long sitting, agendajob_cb cb, void *arg);

#endif

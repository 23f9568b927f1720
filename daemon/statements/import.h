/*
 * The two statements a valid import row needs (core/import.h), and their
 * results handed back to the import.  Shared by maracd (asynchronous,
 * daemon/shell/api_import.c) and maracctl (blocking, ctl_import.c), so
 * that both store a row the same way.  Nothing here talks to the
 * database: callers run the statements and hand in the results.
 *
 * Both statements read local dates in the session's TimeZone, which both
 * set from [calendar] timezone.
 */
#ifndef MARACD_IMPORTSTORE_H
#define MARACD_IMPORTSTORE_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "core/import.h"
#include "core/importbatch.h"
#include "core/intake.h"

/*
 * The facts the rules need: the received instant (given, else now), its
 * local date, and the victim's last MARAC referral before it.  "Now" is
 * the clock's (clock.h: clock_rfc3339, read for each row, never the
 * database's now()), so that the rows of one import are received one
 * after another, and a second referral of the same victim in one file
 * counts the first as before it.
 * $1 victim key, $2 received_at or NULL (import_facts_params), $3 now.
 */
#define IMPORTSTORE_FACTS(KEY, RECEIVED, NOW) \
	"SELECT to_char(t, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'), " \
	"to_char(t::date, 'YYYY-MM-DD'), " \
	"coalesce(to_char(referral_previous_marac(" KEY ", t), 'YYYY-MM-DD'), '') " \
	"FROM (SELECT coalesce(" RECEIVED "::timestamptz, " NOW "::timestamptz) AS t) x"
#define IMPORTSTORE_SQL_FACTS	IMPORTSTORE_FACTS("$1", "$2", "$3")

/* Statistics for the tables an import fills (the schema owner's to take). */
#define IMPORTSTORE_SQL_ANALYZE "ANALYZE referrals, referral_people, audit_log"

/*
 * The facts of a wave of a batch (core/importbatch.h), one row each, in
 * the wave's order: what IMPORTSTORE_SQL_FACTS answers for each element of
 * $1 (import_batch_facts_param), the victims' last MARAC referrals asked
 * in one call (sql/004_referrals.sql) instead of one per row.
 */
#define IMPORTSTORE_SQL_WAVE_FACTS \
	"WITH x AS MATERIALIZED (SELECT j.o, j.e->>0 AS k, " \
	"coalesce((j.e->>1)::timestamptz, (j.e->>2)::timestamptz) AS t " \
	"FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS j(e, o)) " \
	"SELECT to_char(x.t, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'), " \
	"to_char(x.t::date, 'YYYY-MM-DD'), " \
	"coalesce(to_char(p.previous, 'YYYY-MM-DD'), '') " \
	"FROM x JOIN referral_previous_maracs(" \
	"ARRAY(SELECT k FROM x ORDER BY o), ARRAY(SELECT t FROM x ORDER BY o)) p " \
	"ON p.ord = x.o ORDER BY x.o"

/*
 * Store a wave's rows (sql/004_referrals.sql): set-based, or one at a time
 * when the database refuses any.  $1: import_batch_store_param.
 */
#define IMPORTSTORE_SQL_WAVE_STORE \
	"SELECT ord, created, id, reference, forum, status, failed " \
	"FROM referral_import_rows($1::jsonb)"

/*
 * Route the wave's rows with the facts in res (IMPORTSTORE_SQL_WAVE_FACTS,
 * from column col on); false when res is not what it returns.
 */
bool	importstore_read_wave_facts(const PGresult *res, int col,
	    struct import_batch *b, struct import *imp);
/* What became of the rows sent; false when res is not what it returns. */
bool	importstore_read_wave_store(const PGresult *res, struct import_batch *b,
	    struct import *imp);

/*
 * False when res, from column col on, is not what IMPORTSTORE_SQL_FACTS
 * returns (0 for that statement; HTTP_PREFETCH_COL after the token check).
 */
bool	importstore_read_facts(const PGresult *res, int col, struct intake_facts *f);

#endif

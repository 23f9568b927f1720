/*
 * Reminders between the database and the core: which steps a run takes,
 * the statements that select rows (sql/010_reminders.sql), rows turned
 * into core messages (core/reminders.h), and the messages turned into
 * the parameters of one outbox_enqueue_set statement.
 *
 * Shared by maracd's "reminders" job (asynchronous, shell/reminders.c)
 * and maracctl reminders run (blocking), so that both select, build and
 * enqueue the same way.  Nothing here talks to the database: callers run
 * the statements, in one transaction, and hand in the results.
 */
#ifndef MARACD_STATEMENTS_REMINDERS_H
#define MARACD_STATEMENTS_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

#include "core/reminders.h"

struct config;

/*
 * maracd's job tries this lock (the scheduler's pg_try_advisory_xact_lock
 * on "maracd.job.reminders"); maracctl waits for it, so that a manual run
 * and the job never select at the same time.  The outbox keys would keep
 * them from sending twice anyway; the lock keeps them from building twice.
 */
#define REMINDERS_SQL_LOCK \
	"SELECT pg_advisory_xact_lock(hashtext('maracd.job.reminders'))"

/*
 * The local date and second of the day, in the session's TimeZone, of $1:
 * now by the clock (clock_rfc3339), never the database's now().
 */
#define REMINDERS_SQL_NOW \
	"SELECT to_char(l, 'YYYY-MM-DD'), extract(epoch FROM l::time)::int " \
	"FROM (SELECT $1::timestamptz AT TIME ZONE current_setting('TimeZone') AS l) x"

/*
 * The overdue notices' and the digests' actions in one statement, each
 * read once: $1 today, $2 period, $3 look for overdue notices, $4 the
 * week's digests, $5 with_people.  Rows say which they are for.
 */
#define REMINDERS_SQL_ACTIONS \
	"SELECT * FROM reminder_actions($1::date, $2, $3::boolean, $4::boolean, " \
	"$5::boolean)"
/* $1 the summary's key: is it enqueued already? */
#define REMINDERS_SQL_SUMMARY_DONE \
	"SELECT outbox_has($1)"
/* $1 today, $2 persistent_days */
#define REMINDERS_SQL_COUNTS \
	"SELECT * FROM reminder_summary_counts($1::date, $2::int)"
#define REMINDERS_SQL_PERSISTENT \
	"SELECT * FROM reminder_summary_persistent($1::date, $2::int, 50)"
/* $1 the summary's key */
#define REMINDERS_SQL_FAILED \
	"SELECT * FROM reminder_summary_failed($1, 50)"
/*
 * The six arrays of reminders_stmt_params; one row (key, id or NULL)
 * each, in order: one INSERT per batch of messages (sql/005_outbox.sql).
 */
#define REMINDERS_SQL_ENQUEUE \
	"SELECT key, id FROM outbox_enqueue_set($1::text[], $2::text[], " \
	"$3::text[], $4::text[], $5::text[], $6::text[])"

struct reminders_stmt_plan {
	struct reminders_opts	opts;
	bool		overdue;	/* look for overdue actions */
	bool		digest;		/* the week's digests */
	bool		summary;	/* the week's coordinator summary */
	const char	*with_people;	/* "true" / "false", a parameter */
	char		today[DATE_STRLEN];
	char		persistent_days[12];
	char		summary_key[REMINDERS_KEY_MAX + 1];
	/* Copies: settings may be reloaded while a run goes on. */
	char		base_url[256];	/* [mail] base_url; opts points here */
	char		coordinator[1024];	/* [reminders] coordinator_email */
};

/*
 * What a run does at local date today ("YYYY-MM-DD"), second of the day
 * seconds, under cfg.  forced (maracctl reminders run): the digests and
 * the summary of today's week whatever the day and hour.  -1 if today is
 * not a date.
 */
int	reminders_stmt_plan(struct reminders_stmt_plan *p, const struct config *cfg,
	    const char *today, int seconds, bool forced);

/* Messages built by a run, in enqueue order. */
struct reminders_stmt_batch {
	struct reminders_msg	*msgs;
	char			**rcpts;	/* comma-joined addresses */
	size_t			*nactions;	/* actions in each message */
	size_t			 n, cap;
	char			*params[6];	/* from reminders_stmt_params */
};

void	reminders_stmt_batch_init(struct reminders_stmt_batch *b);
void	reminders_stmt_batch_free(struct reminders_stmt_batch *b);

/*
 * Add the messages for rows of REMINDERS_SQL_ACTIONS: the digests (one
 * per agency, of its rows marked listed) or the overdue notices (one per
 * row marked notice).  -1: out of memory, or a row the core cannot use
 * (the reason in why).
 */
int	reminders_stmt_add_digests(struct reminders_stmt_batch *b,
	    const struct reminders_stmt_plan *p, const PGresult *res,
	    char *why, size_t whylen);
int	reminders_stmt_add_overdue(struct reminders_stmt_batch *b,
	    const struct reminders_stmt_plan *p, const PGresult *res,
	    char *why, size_t whylen);
/* The summary from the rows of the three summary statements. */
int	reminders_stmt_add_summary(struct reminders_stmt_batch *b,
	    const struct reminders_stmt_plan *p, const PGresult *counts,
	    const PGresult *persistent, const PGresult *failed,
	    char *why, size_t whylen);

/*
 * The six array parameters of REMINDERS_SQL_ENQUEUE for the messages
 * from from on, as many as fit in REMINDERS_ENQUEUE_BYTES (one at
 * least: a national agency's digest may be larger) and
 * REMINDERS_ENQUEUE_MSGS.  The index after the last one taken, or -1
 * when out of memory.  Bounded so that neither maracd nor PostgreSQL
 * holds every message of a first run (about 200 MiB for five national
 * years, bench/national) twice more in parameters.
 */
#define REMINDERS_ENQUEUE_BYTES	(16u << 20)
#define REMINDERS_ENQUEUE_MSGS	5000u
long	reminders_stmt_params(struct reminders_stmt_batch *b, size_t from,
	    const char *params[6]);

#endif

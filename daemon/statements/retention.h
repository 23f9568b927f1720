/*
 * The purge between the clock, the configuration and the database: the
 * statements of sql/013_retention.sql and their parameters.
 *
 * Shared by maracd's "purge" job (shell/purgejob.c, asynchronous) and
 * maracctl purge (blocking), so that both ask the same due functions the
 * same way.  Which rows are due is decided in SQL, in one function per
 * category (sql/013_retention.sql says why); this file only supplies
 * "now" and "today" from the clock (never the database's now()) and the
 * [retention] settings.
 */
#ifndef MARACD_STATEMENTS_RETENTION_H
#define MARACD_STATEMENTS_RETENTION_H

#include <stdbool.h>

#include "shell/clock.h"
#include "core/date.h"

struct config;

/*
 * maracd's job tries this lock per batch (the scheduler's
 * pg_try_advisory_xact_lock on "maracd.job.purge"); maracctl purge waits
 * for it, so that batches of the job and of maracctl never overlap.  Rows
 * are locked FOR UPDATE SKIP LOCKED as well, against requests.
 */
#define RETENTION_SQL_LOCK \
	"SELECT pg_advisory_xact_lock(hashtext('maracd.job.purge'))"
/* One batch: $1 now, $2 today, $3 settings, $4 batch size. */
#define RETENTION_SQL_BATCH \
	"SELECT retention_purge_batch($1::timestamptz, $2::date, $3::jsonb, $4::integer)::text"
/* What is due, as maracctl purge --dry-run prints it: one line an object. */
#define RETENTION_SQL_DUE \
	"SELECT format('would-purge %s %s %s %s', category, object_type, " \
	"object_id, reason) FROM retention_due($1::timestamptz, $2::date, $3::jsonb)"

/*
 * Everything held on the person of identity key $1 (core/identity.h), as
 * of $2: one JSON text; every referral returned is audited.
 */
#define RETENTION_SQL_SUBJECT_ACCESS \
	"SELECT subject_access($1, $2::timestamptz)::text"

struct retention_params {
	char	now[CLOCK_RFC3339_MAX];
	char	today[DATE_STRLEN];
	char	settings[256];		/* the [retention] settings as JSON */
	char	batch[16];
	const char *values[4];		/* for the statements above */
};

/* From the clock now and cfg.  0, or -1 when the settings do not fit. */
int	retention_params_make(struct retention_params *p, const struct config *cfg);

/* A batch's answer: {"counts": {...}, "total": n, "more": bool}. */
struct retention_batch {
	long	total;
	bool	more;
	char	counts[256];		/* the counts object as JSON */
};

/* 0, or -1 when json is not a batch's answer. */
int	retention_batch_parse(const char *json, struct retention_batch *out);

/* A legal hold on case $1 for reason $2: the purge leaves it alone. */
#define RETENTION_SQL_HOLD_PLACE \
	"SELECT legal_hold_place($1::bigint, $2)::text"

/* Legal hold $1 lifted. */
#define RETENTION_SQL_HOLD_LIFT \
	"SELECT legal_hold_lift($1::bigint)::text"

/* Every legal hold. */
#define RETENTION_SQL_HOLD_LIST "SELECT legal_hold_list()::text"

#endif

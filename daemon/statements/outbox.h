/*
 * The outbox sender's statements (sql/005_outbox.sql), each authenticated
 * as the job token in its own statement (JOBAUTH_FROM): the outbox is
 * under row-level security, and only a job may claim or acknowledge.
 * $1 is always the job token's hash and $2 the sender's name,
 * "job:outbox".
 *
 * The text of each statement, once: the shell sends it and reads its rows.
 */
#ifndef MARACD_STATEMENTS_OUTBOX_H
#define MARACD_STATEMENTS_OUTBOX_H

#include "statements/auth.h"

/*
 * Queue depth, age in seconds of the oldest unsent row and the number of
 * failed rows: one row (GET /v1/metrics).
 */
#define OUTBOX_SQL_BACKLOG \
	"SELECT pending, oldest_seconds, failed FROM outbox_backlog()"

/*
 * A claim of due rows with a lease: $3 the process, $4 how many, $5 the
 * lease in seconds, $6 the message-id domain.  It also records the rows
 * this process has sent since its last statement ($7): in the same
 * commit, and never claimed by it.
 */
#define OUTBOX_SQL_CLAIM \
	"SELECT c.* FROM " JOBAUTH_FROM("$1", "$2") ", " \
	"LATERAL outbox_claim($3, $4::int, $5::int, $6, $7::bigint[]) c"
/*
 * Sent messages are recorded in batches: every message that finished
 * while the previous batch was being committed goes in the next one, so
 * that at full speed a commit records many messages instead of one.
 */
#define OUTBOX_SQL_SENT \
	"SELECT outbox_sent($3::bigint[]) FROM " JOBAUTH_FROM("$1", "$2")
/* A retry after $6 ms, or with $6 NULL given up on. */
#define OUTBOX_SQL_UNSENT \
	"SELECT outbox_unsent($3::bigint, $4, $5::int, $6::bigint, $7) FROM " \
	JOBAUTH_FROM("$1", "$2")

#endif

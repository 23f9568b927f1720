/*
 * The identity maracd's own work runs under: the job token.
 *
 * Scheduled jobs and the outbox sender are callers the database checks
 * like any other (maracd_authenticate, then maracd_is_job() in the
 * policies and SECURITY DEFINER functions): they authenticate with a
 * token of role "job" read from [database] job_token_file at start-up,
 * whose SHA-256 only is ever sent (JOBAUTH_FROM, statements/auth.h).
 * The application login alone, with arbitrary SQL, cannot become a job:
 * no setting it can set makes one.
 */
#ifndef MARACD_JOBAUTH_H
#define MARACD_JOBAUTH_H

#include <stddef.h>

/*
 * Reads the token (its first line), checks its shape and keeps its hash.
 * 0, or -1 with why filled.
 */
int	jobauth_load(const char *path, char *why, size_t len);
/* The hex SHA-256 of the job token (after jobauth_load). */
const char *jobauth_hash(void);

#endif

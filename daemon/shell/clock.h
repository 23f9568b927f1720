/*
 * The one source of "now" for maracd and maracctl.
 *
 * Every date or instant a rule depends on (which sitting a referral joins,
 * whether a sitting has been held, what is overdue, the digest day) comes
 * from here, never from time(3) or PostgreSQL's now(): the shell reads
 * the clock and hands the value to the core and to the statements as a
 * parameter.  The core never reads it.
 *
 * Where the line is drawn: times that only record when a row was written
 * (created_at, updated_at, the audit log's at, sign-off and screening
 * times, record exports) or that pace work (outbox leases, retries and
 * back-off, rate limits, timeouts, the scheduler, log stamps) stay on the
 * real clock and PostgreSQL's now(): no rule reads them, and moving them
 * would only make the system's own bookkeeping lie.
 *
 * A build configured with --enable-test-clock honours MARACD_CLOCK, an
 * RFC 3339 instant ("2026-12-13T09:00:00Z"): the clock starts there when
 * the process starts and runs on at the real rate, so tests can run on a
 * Sunday, on 24 December or across a change of offset on any day.  Any
 * other build refuses to start when MARACD_CLOCK is set (clock_init), so
 * a release cannot be made to live on another day.
 */
#ifndef MARACD_CLOCK_H
#define MARACD_CLOCK_H

#include <stddef.h>
#include <time.h>

#include "core/date.h"

/* "2026-12-06T18:15:26.123456Z" and its NUL. */
#define CLOCK_RFC3339_MAX 32

/*
 * Reads MARACD_CLOCK once.  0 on success (the clock is real, or the test
 * clock is set), -1 with why filled when MARACD_CLOCK is malformed or this
 * build has no test clock.  Call before anything reads the clock.
 */
int	clock_init(char *why, size_t len);
/*
 * MARACD_CLOCK's form: "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM" /
 * "-HH:MM".  0 and *out the instant, or -1 when s is anything else.
 */
int	clock_parse_instant(const char *s, time_t *out);
/* True when MARACD_CLOCK moved this process's clock. */
int	clock_is_test(void);

struct timespec clock_now(void);
time_t	clock_time(void);
/* Now as an RFC 3339 UTC instant with microseconds; buf holds CLOCK_RFC3339_MAX. */
char   *clock_rfc3339(char *buf, size_t len);
/* The local date now, in the process's zone (TZ, set from [calendar] timezone). */
date_t	clock_today(void);
/* The local date of instant t, in the process's zone. */
date_t	clock_local_date(time_t t);

#endif

/*
 * The calendar on the event loop: bank holidays and series read from the
 * database into the core's structs, sittings kept generated and up to
 * date (the "sittings" job), and the question the referral intake asks:
 * which sitting does a referral received at this instant join?
 *
 * Everything runs in a transaction the caller holds (a request's r->txn,
 * or a job run's) and answers through a callback; nothing commits.
 */
#ifndef MARACD_CALENDAR_H
#define MARACD_CALENDAR_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "statements/calendar.h"
#include "core/date.h"

struct db_txn;
struct sched_run;

/*
 * ok false: res is the failed result (NULL: connection lost), or, when
 * res is NULL and why is set, the stored rows make no calendar.  res
 * and why are valid during the callback only.
 */
struct calendar_status {
	bool		 ok;
	const PGresult	*res;
	const char	*why;
};

typedef void (*calendar_load_cb)(const struct calendar_status *st, void *arg);

/*
 * Fill cs (calendar_stmt_init'ed by the caller, who frees it) with the
 * holiday overrides, the series and today's local date (the clock's).
 */
void	calendar_load(struct db_txn *txn, struct calendar_stmt *cs,
	    calendar_load_cb cb, void *arg);

struct calendar_refreshed {
	struct calendar_status	status;
	long			inserted;	/* sittings generated */
	long			updated;	/* moved, cancelled, reinstated or re-cut */
	long			listed;		/* waiting referrals given a sitting */
};

typedef void (*calendar_refresh_cb)(const struct calendar_refreshed *r,
	    void *arg);

/*
 * Bring the sittings of every series in line with the series and the
 * holidays over [today, today + horizon_days] (core/sitplan.h; today is
 * the clock's, and sittings before it, held, are never touched), under
 * the sittings lock, writing an audit row per sitting and calling the
 * referral hook (sitting_reassign) for each changed one; then list every
 * waiting referral for which a sitting now exists
 * (referral_resolve_waiting).  coordinator ([reminders]
 * coordinator_email, copied) is told of cases a change left waiting.
 */
void	calendar_refresh(struct db_txn *txn, int horizon_days,
	    const char *coordinator, calendar_refresh_cb cb, void *arg);

/* A change to the bank holidays (a move: an add with replaces). */
#define CALENDAR_HOLIDAY_NAME_MAX	200	/* bytes of a name */
struct calendar_holiday {
	bool		 remove;
	date_t		 date;
	const char	*name;		/* add; NULL: the moved holiday's */
	bool		 has_replaces;
	date_t		 replaces;	/* the day whose holiday moves to date */
};

struct calendar_holiday_changed {
	/*
	 * ok false with why: loaded false, the stored rows make no calendar;
	 * loaded true, the change would make none (a holiday too many).
	 */
	struct calendar_status	status;
	bool		loaded;
	bool		no_holiday;	/* date (remove) or replaces is none */
	const char	*old;		/* the removed or moved holiday's name */
	long		changed;	/* sittings moved, cancelled or re-cut */
};

typedef void (*calendar_holiday_cb)(const struct calendar_holiday_changed *c,
	    void *arg);

/*
 * Change the holidays (audited, CALENDAR_SQL_HOLIDAY_ADD or _REMOVE)
 * under the sittings lock, then calendar_refresh in the same
 * transaction, so that no cutoff waits for the job to see a new holiday.
 * POST and DELETE /v1/holidays and maracctl holidays make changes so.
 */
void	calendar_holiday_change(struct db_txn *txn, const struct calendar_holiday *h,
	    int horizon_days, const char *coordinator, calendar_holiday_cb cb,
	    void *arg);

struct calendar_assignment {
	struct calendar_status	status;
	bool		found;		/* false: no sitting generated that far ahead */
	long long	sitting_id;
	char		date[DATE_STRLEN];	/* the sitting's local date */
	char		cutoff[32];	/* RFC 3339 with the zone's offset */
	char		received_date[DATE_STRLEN];	/* local date of received_at */
};

typedef void (*calendar_assign_cb)(const struct calendar_assignment *a,
	    void *arg);

/*
 * The sitting a referral for forum and area received at received_at
 * (RFC 3339 text, already validated; NULL: now) joins: the earliest
 * scheduled sitting still to come (on or after the clock's today) whose
 * cutoff it meets (received <= cutoff instant).  The database decides, by
 * the function intake uses (referral_sitting_for, sql/004_referrals.sql).
 */
void	calendar_assign(struct db_txn *txn, const char *forum, const char *area,
	    const char *received_at, calendar_assign_cb cb, void *arg);

/*
 * The "sittings" job (arg: struct app *): write the [calendar] series of
 * maracd.conf to the series table, then calendar_refresh over
 * [calendar] horizon_weeks.
 */
void	calendar_job_sittings(struct sched_run *run, struct db_txn *txn,
	    void *arg);

#endif

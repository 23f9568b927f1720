/*
 * DRIVE screening on the event loop: one sitting (the scheduled job and
 * POST /v1/sittings/{id}/drive/screen) or one referral's perpetrator on
 * demand (POST /v1/drive/screen), and the "drive" job that screens each
 * MARAC sitting [drive] screen_workdays working days before it.
 *
 * Each screening is three steps in the caller's transaction (see
 * statements/drive.h): fetch the input, score it in the core (drivejson.h),
 * store the results, replacing a sitting's earlier ones.  Nothing commits.
 */
#ifndef MARACD_DRIVEJOB_H
#define MARACD_DRIVEJOB_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "core/date.h"
#include "core/drive.h"

struct db_txn;
struct sched_run;

/*
 * ok false: res is the failed result (NULL: connection lost or, with why
 * set, the core refused the input).  ok true: json is the stored
 * screening as the API shows it, or NULL when there is no such MARAC
 * sitting or referral for this caller.  All valid during the callback.
 */
struct drivejob_done {
	bool		 ok;
	const PGresult	*res;
	const char	*why;
	const char	*json;
};

typedef void (*drivejob_cb)(const struct drivejob_done *d, void *arg);

/* Screen a sitting's perpetrators with rubric r (copied). */
void	drivejob_screen_sitting(struct db_txn *txn, long long sitting_id,
	    const struct drive_rubric *r, drivejob_cb cb, void *arg);
/* Screen one referral's perpetrator on demand, scored against day. */
void	drivejob_screen_referral(struct db_txn *txn, long long referral_id,
	    date_t day, const struct drive_rubric *r, drivejob_cb cb, void *arg);

/*
 * The "drive" job (arg: struct app *): every MARAC sitting due
 * (drivejson_due) and stale (never screened, or its cases, identities,
 * history or the rubric changed since) is screened.
 */
void	drivejob_run(struct sched_run *run, struct db_txn *txn, void *arg);

#endif

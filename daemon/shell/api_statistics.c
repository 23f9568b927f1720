/*
 * GET /v1/statistics?from=&to=&as_of=&forum=: counts for partnership
 * leads and the steering group (referrals by forum, risk and agency;
 * actions and reviews by owning agency), of one forum or both.  Totals
 * only, over what row-level security lets the caller see; the read is
 * audited.  What each count is: docs/statistics.md, and sql/011.
 */
#include <stdbool.h>
#include <string.h>

#include "core/forum.h"
#include "core/date.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "statements/statistics.h"

/* Ten years: enough for any report, and a bound on the work. */
#define SPAN_MAX_DAYS	3660

static void
counted(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "nothing to count");
}

static bool
date_param(struct http_req *r, const char *name, date_t def, date_t *out,
    struct field_errors *errs)
{
	const char *v = http_query_get(r, name);

	*out = def;
	if (v != NULL && !date_parse(v, out)) {
		field_errors_add(errs, name, "must be a date written YYYY-MM-DD");
		return false;
	}
	return true;
}

void
api_statistics(struct http_req *r)
{
	char from[DATE_STRLEN], to[DATE_STRLEN], as_of[DATE_STRLEN];
	const char *forum = http_query_get(r, "forum");
	const char *params[4] = { from, to, as_of, NULL };
	struct field_errors errs;
	date_t today = api_today(), f, t, a;
	bool ok;

	field_errors_init(&errs);
	ok = date_param(r, "to", today, &t, &errs);
	ok &= date_param(r, "from", t - 365, &f, &errs);
	ok &= date_param(r, "as_of", today, &a, &errs);
	if (forum != NULL && forum_of(forum) == FORUM_NONE)
		field_errors_add(&errs, "forum", "must be marac or masc");
	if (ok && f > t)
		field_errors_add(&errs, "from", "must not be after to");
	else if (ok && t - f > SPAN_MAX_DAYS)
		field_errors_add(&errs, "from", "must be at most %d days before to",
		    SPAN_MAX_DAYS);
	if (field_errors_any(&errs)) {
		api_reply_invalid(r, &errs);
		return;
	}
	date_format(f, from);
	date_format(t, to);
	date_format(a, as_of);
	params[3] = forum;
	db_query(r->txn, STATISTICS_SQL_GET, 4, params, counted, r);
}

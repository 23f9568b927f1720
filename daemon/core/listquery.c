#include "core/listquery.h"

#include <string.h>

#include "core/action.h"
#include "core/date.h"
#include "core/forum.h"

bool
listquery_id(const char *s, long long *out)
{
	long long v = 0;
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > LISTQUERY_ID_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v > 0;
}

static bool
one_of(const char *s, const char *const *allowed)
{
	for (int i = 0; allowed[i] != NULL; i++)
		if (strcmp(s, allowed[i]) == 0)
			return true;
	return false;
}

static void
id_param(const char *s, const char *name, const char *what,
    struct field_errors *errs)
{
	long long n;

	if (s != NULL && !listquery_id(s, &n))
		field_errors_add(errs, name, "must be %s id", what);
}

static void
limit_param(const char *s, long long max, struct field_errors *errs)
{
	long long n;

	if (s != NULL && (!listquery_id(s, &n) || n > max))
		field_errors_add(errs, "limit", "must be a whole number from 1 to %lld",
		    max);
}

void
listquery_referrals(const struct referral_list_query *q, struct field_errors *errs)
{
	static const char *const statuses[] = { "listed", "waiting",
	    "below_threshold", "transferred", NULL };

	if (q->forum != NULL && !one_of(q->forum, forum_codes))
		field_errors_add(errs, "forum", "must be marac or masc");
	if (q->status != NULL && !one_of(q->status, statuses))
		field_errors_add(errs, "status",
		    "must be listed, waiting, below_threshold or transferred");
	id_param(q->sitting, "sitting", "a sitting", errs);
	id_param(q->after, "after", "a referral", errs);
	limit_param(q->limit, REFERRAL_LIST_LIMIT_MAX, errs);
}

void
listquery_actions(const struct action_list_query *q, struct field_errors *errs)
{
	static const char code[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	date_t d;

	if (q->agency != NULL) {
		size_t n = strlen(q->agency);

		if (n == 0 || n > AGENCY_CODE_MAX || strspn(q->agency, code) != n)
			field_errors_add(errs, "agency", "must be an agency code");
	}
	if (q->status != NULL && !one_of(q->status, action_filters))
		field_errors_add(errs, "status", "must be open, in_progress, "
		    "completed, no_longer_relevant, outstanding or overdue");
	id_param(q->referral, "referral", "a referral", errs);
	id_param(q->sitting, "sitting", "a sitting", errs);
	if (q->as_of != NULL && !date_parse(q->as_of, &d))
		field_errors_add(errs, "as_of", "must be a date written YYYY-MM-DD");
	id_param(q->after, "after", "an action", errs);
	limit_param(q->limit, ACTION_LIST_LIMIT_MAX, errs);
}

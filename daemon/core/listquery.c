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

/* An area's or agency's code: lower-case letters, digits and _, 1 to 32. */
static void
code_param(const char *s, const char *name, const char *what,
    struct field_errors *errs)
{
	static const char code[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	size_t n = s != NULL ? strlen(s) : 0;

	if (s != NULL && (n == 0 || n > AGENCY_CODE_MAX || strspn(s, code) != n))
		field_errors_add(errs, name, "must be %s", what);
}

/* A date written YYYY-MM-DD; true when present and valid. */
static bool
date_param(const char *s, const char *name, date_t *out, struct field_errors *errs)
{
	if (s == NULL)
		return false;
	if (date_parse(s, out))
		return true;
	field_errors_add(errs, name, "must be a date written YYYY-MM-DD");
	return false;
}

void
listquery_referrals(const struct referral_list_query *q, struct field_errors *errs)
{
	static const char *const statuses[] = { "listed", "waiting",
	    "below_threshold", "linked", "transferred", NULL };
	date_t from, to;
	bool hf, ht;

	if (q->forum != NULL && !one_of(q->forum, forum_codes))
		field_errors_add(errs, "forum", "must be marac or masc");
	if (q->status != NULL && !one_of(q->status, statuses))
		field_errors_add(errs, "status",
		    "must be listed, waiting, below_threshold, linked or transferred");
	id_param(q->sitting, "sitting", "a sitting", errs);
	id_param(q->after, "after", "a referral", errs);
	limit_param(q->limit, REFERRAL_LIST_LIMIT_MAX, errs);
	code_param(q->area, "area", "an area code", errs);
	code_param(q->agency, "agency", "an agency code", errs);
	hf = date_param(q->from, "from", &from, errs);
	ht = date_param(q->to, "to", &to, errs);
	if (hf && ht && to < from)
		field_errors_add(errs, "to", "must not be before from");
}

void
listquery_actions(const struct action_list_query *q, struct field_errors *errs)
{
	date_t d;

	code_param(q->agency, "agency", "an agency code", errs);
	if (q->status != NULL && !one_of(q->status, action_filters))
		field_errors_add(errs, "status", "must be open, in_progress, "
		    "completed, no_longer_relevant, outstanding or overdue");
	id_param(q->referral, "referral", "a referral", errs);
	id_param(q->sitting, "sitting", "a sitting", errs);
	(void)date_param(q->as_of, "as_of", &d, errs);
	id_param(q->after, "after", "an action", errs);
	limit_param(q->limit, ACTION_LIST_LIMIT_MAX, errs);
}

void
listquery_case(const char *referral, struct field_errors *errs)
{
	id_param(referral, "referral", "a referral", errs);
}

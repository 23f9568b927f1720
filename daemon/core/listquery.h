/*
 * The query parameters of the list endpoints, checked before anything is
 * sent to PostgreSQL.  Pure: the handler takes the values out of the
 * parsed query string (libevent decodes it) and passes them here; NULL
 * means absent.  Every mistake is added to errs under the parameter's
 * name, so a client sees them all at once.  Fuzzed by fuzz/fuzz_query.c.
 */
#ifndef MARACD_CORE_LISTQUERY_H
#define MARACD_CORE_LISTQUERY_H

#include <stdbool.h>

#include "core/fielderr.h"

#define LISTQUERY_ID_DIGITS	15

/* A positive decimal id of at most 15 digits (leading zeros allowed). */
bool	listquery_id(const char *s, long long *out);

/*
 * GET /v1/referrals?forum=&status=&sitting=&after=&limit=
 *     &area=&agency=&from=&to= (received between two dates, both included)
 */
struct referral_list_query {
	const char	*forum, *status, *sitting, *after, *limit;
	const char	*area, *agency, *from, *to;
};
#define REFERRAL_LIST_LIMIT_MAX	500
void	listquery_referrals(const struct referral_list_query *,
	    struct field_errors *errs);

/* GET /v1/actions?agency=&status=&referral=&sitting=&as_of=&after=&limit= */
struct action_list_query {
	const char	*agency, *status, *referral, *sitting, *as_of, *after, *limit;
};
#define ACTION_LIST_LIMIT_MAX	1000
#define AGENCY_CODE_MAX		32
void	listquery_actions(const struct action_list_query *,
	    struct field_errors *errs);

/*
 * GET /v1/sittings/{id}/research?referral= and /v1/sittings/{id}/drive?referral=:
 * one case of the sitting (the chair's page of one case reads no other).
 */
void	listquery_case(const char *referral, struct field_errors *errs);

#endif

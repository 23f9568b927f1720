/*
 * A referral's decision, from the validated referral and the two facts
 * only the database knows (when it was received, in local time, and when
 * the victim was last referred to MARAC).  Shared by every way a referral
 * comes in: the JSON API, the CSV import and maracctl import.
 */
#ifndef MARACD_CORE_INTAKE_H
#define MARACD_CORE_INTAKE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "core/dash.h"
#include "core/date.h"
#include "core/identity.h"
#include "core/referral.h"
#include "core/routing.h"

/*
 * The deployment's numbers (maracd.conf [referrals]): the shell hands
 * them in, the core never reads the configuration.
 */
struct intake_params {
	struct risk_params	risk;
	struct routing_params	routing;
};

struct intake_facts {
	char	received_at[48];	/* RFC 3339, as the database stored it */
	date_t	received_date;		/* local */
	bool	has_previous_marac;
	date_t	previous_marac;
};

struct intake_decision {
	struct intake_params params;	/* as intake_prepare was given them */
	struct risk	risk;
	struct routing	route;
	char		victim_key[IDENTITY_KEY_MAX];
	char		perpetrator_key[IDENTITY_KEY_MAX];	/* "" if none */
	const char	*area;
	/*
	 * Ages on the received date, for the figures (docs/statistics.md):
	 * set by intake_route; the perpetrator's -1 when not known.
	 */
	int		victim_age;
	int		perpetrator_age;
	date_t		today;		/* local, from the clock: no sitting before it */
	/*
	 * Whom to tell when the referral must wait for a sitting: the
	 * [reminders] coordinator_email list, or NULL.  Borrowed; the caller
	 * sets it after intake_prepare.
	 */
	const char	*coordinator;
};

void	intake_params_default(struct intake_params *);
/*
 * The forums and area this deployment holds sittings for (its [calendar]
 * series): the area, MASC (always configured) and MARAC (unless
 * marac_anchor is empty).
 */
struct intake_served {
	const char	*area;
	bool		 masc;
	bool		 marac;
};

/*
 * Risk and identity keys: everything that needs no database.  today is
 * the local date of the clock; p (NULL: the national defaults) is copied
 * into d, so that routing uses the numbers scoring used even if the
 * settings are reloaded in between.
 */
void	intake_prepare(const struct referral *ref, const char *default_area,
	    date_t today, const struct intake_params *p, struct intake_decision *d);
/* Routing, once the facts are in, with d's params. */
void	intake_route(const struct referral *ref, const struct intake_facts *f,
	    struct intake_decision *d);
/*
 * Whether the deployment holds sittings for the routed referral: 0 if so
 * (or if it is routed to no forum and its area is served), else -1 with
 * why not in why, for the field "area" of a 422: a referral for an area
 * or forum without a series would be heard nowhere.
 */
int	intake_unserved(const struct intake_decision *d,
	    const struct intake_served *srv, char *why, size_t len);
/* The decision as referral_create() (sql/004_referrals.sql) reads it. */
cJSON  *intake_decision_json(const struct intake_decision *d,
	    const struct intake_facts *f);

#endif

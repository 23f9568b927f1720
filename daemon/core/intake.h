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
};

void	intake_params_default(struct intake_params *);
/*
 * Risk and identity keys: everything that needs no database.  p (NULL:
 * the national defaults) is copied into d, so that routing uses the
 * numbers scoring used even if the settings are reloaded in between.
 */
void	intake_prepare(const struct referral *ref, const char *default_area,
	    const struct intake_params *p, struct intake_decision *d);
/* Routing, once the facts are in, with d's params. */
void	intake_route(const struct referral *ref, const struct intake_facts *f,
	    struct intake_decision *d);
/* The decision as referral_create() (sql/004_referrals.sql) reads it. */
cJSON  *intake_decision_json(const struct intake_decision *d,
	    const struct intake_facts *f);

#endif

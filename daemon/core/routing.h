/*
 * Routing: which forum hears a validated referral, or why none does.
 *
 * Pure: the shell supplies the victim's local received date and the
 * repeat input (the received date of the same victim identity's latest
 * earlier MARAC referral), and the deployment's numbers (routing_params,
 * from maracd.conf [referrals]), so the decision is a function of its
 * arguments.
 */
#ifndef MARACD_CORE_ROUTING_H
#define MARACD_CORE_ROUTING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/dash.h"
#include "core/date.h"
#include "core/referral.h"

#define ROUTING_WARNINGS_MAX	6
#define ROUTING_MESSAGE_MAX	320

enum routing_outcome {
	ROUTING_REFUSED,		/* not accepted: see error, message */
	ROUTING_LISTED,			/* forum chosen */
	ROUTING_BELOW_THRESHOLD		/* stored, no forum: see advice */
};

struct routing_params {
	int	 min_victim_age;	/* default 16, 16..25 */
	int	 repeat_months;		/* default 12 (SafeLives), 1..120 */
};

/* code is stable for clients; message is for people. */
struct routing_warning {
	const char	*code;
	const char	*message;
};

struct routing {
	enum routing_outcome	 outcome;
	enum forum		 forum;		/* FORUM_NONE unless listed */
	int			 victim_age;	/* on the received date */
	bool			 repeat;
	/*
	 * Domestic abuse as the Act defines it, which routing used: the
	 * referral's domestic_abuse unless the relationship or the
	 * perpetrator's age says otherwise (a "da_" or "not_da_" warning
	 * then says why).
	 */
	bool			 domestic_abuse;
	/* For a coordinator: the requested forum or the DA answer overridden. */
	bool			 review;
	const char		*error;	/* "victim_under_16" if refused */
	char			 message[ROUTING_MESSAGE_MAX];
	const char		*advice;	/* when below threshold */
	const char		*reason;	/* why below threshold */
	size_t			 nwarnings;
	struct routing_warning	 warnings[ROUTING_WARNINGS_MAX];
};

void	routing_params_default(struct routing_params *);
bool	routing_params_valid(const struct routing_params *);

/*
 * previous_marac: received date of the victim's latest MARAC referral
 * before this one, or NULL when there is none.
 */
void	routing_decide(const struct referral *, const struct risk *,
	    date_t received, const date_t *previous_marac,
	    const struct routing_params *, struct routing *out);

/* "listed", "below_threshold", "refused". */
const char *routing_outcome_name(enum routing_outcome);

#endif

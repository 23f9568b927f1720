/*
 * The repeat rule, for a case that changes forum or stops being linked
 * after intake (a transfer, an unlink): a MARAC referral is a repeat when
 * the same victim was referred to MARAC within the months before its
 * received date (SafeLives: 12, the first day included); a MASC referral
 * never is.  The same arithmetic as routing_decide()'s at intake.
 */
#ifndef MARACD_CORE_REPEAT_H
#define MARACD_CORE_REPEAT_H

#include <stdbool.h>

#include "core/date.h"
#include "core/referral.h"	/* enum forum */

/*
 * previous: received date of the victim's latest MARAC referral before
 * this one, NULL when there is none; months: routing_params.repeat_months.
 */
bool	repeat_for_forum(enum forum forum, date_t received,
	    const date_t *previous, int months);

#endif

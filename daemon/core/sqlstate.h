/*
 * The SQLSTATEs maracd tells apart, each with what it means here.
 *
 * PostgreSQL's own codes first, then maracd's: class MD (decisions and
 * actions, sql/006), class MR (referrals, sql/004) and class MU
 * (accounts, sql/012), raised by the SQL
 * functions with RAISE ... USING ERRCODE.  This header is the list the C
 * side compares against; docs/sqlstates.md is the same list for readers,
 * with the HTTP answer each one gives.  A new code is added to both and
 * to the function that raises it.
 */
#ifndef MARACD_CORE_SQLSTATE_H
#define MARACD_CORE_SQLSTATE_H

/* --- PostgreSQL's ------------------------------------------------------ */
#define SQLSTATE_UNIQUE_VIOLATION	"23505"	/* the thing exists: 409 */
#define SQLSTATE_FOREIGN_KEY_VIOLATION	"23503"	/* names what is not there */
#define SQLSTATE_CHECK_VIOLATION	"23514"	/* a table's CHECK refused it */
#define SQLSTATE_INVALID_PARAMETER	"22023"	/* invalid_parameter_value */
#define SQLSTATE_INSUFFICIENT_PRIVILEGE	"42501"	/* row-level security, grants */
#define SQLSTATE_UNDEFINED_TABLE	"42P01"	/* schema not migrated yet */
#define SQLSTATE_SERIALIZATION_FAILURE	"40001"	/* retry the transaction */
#define SQLSTATE_DEADLOCK_DETECTED	"40P01"	/* retry the transaction */
/* Classes (the first two characters): the server went away or was stopped. */
#define SQLSTATE_CLASS_CONNECTION	"08"
#define SQLSTATE_CLASS_OPERATOR		"57"	/* admin shutdown, query canceled */

/* --- maracd's: decisions and actions (sql/006) ------------------------- */
#define SQLSTATE_ACTION_NO_SITTING	"MD001"	/* no later sitting for a default due date */
#define SQLSTATE_ACTION_NOTE_NEEDED	"MD002"	/* closing an action needs a note */
#define SQLSTATE_DECISION_NOT_HEARD	"MD003"	/* the case is not heard at the sitting */
#define SQLSTATE_DECISION_SIGNED_OFF	"MD004"	/* amending a signed-off decision needs a reason */
#define SQLSTATE_DECISION_ALREADY_SIGNED "MD005"	/* signed off already */
#define SQLSTATE_DECISION_ATTENDEE	"MD006"	/* an attendee is no known agency */
#define SQLSTATE_DECISION_REVIEW	"MD007"	/* a review names an action not the case's */
#define SQLSTATE_ACTION_FORUM		"MD008"	/* the sitting is not of the case's forum */

/* --- maracd's: referrals (sql/004) -------------------------------------- */
#define SQLSTATE_REFERRAL_TRANSFERRED	"MR001"	/* transferred already (message: where) */
#define SQLSTATE_REFERRAL_SAME_FORUM	"MR002"	/* a transfer to the forum it is at */
#define SQLSTATE_REFERRAL_LINKED	"MR003"	/* a linked case cannot be transferred */
#define SQLSTATE_REFERRAL_NOT_LINKED	"MR004"	/* unlinking a case not linked */

/* --- maracd's: accounts (sql/012) ---------------------------------------- */
#define SQLSTATE_ACCOUNT_LAST_ADMIN	"MU001"	/* the last active admin would go */

#endif

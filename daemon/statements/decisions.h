/*
 * Decisions and minutes.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_DECISIONS_H
#define MARACD_STATEMENTS_DECISIONS_H

/*
 * The decision of case $2 at sitting $1, body $3; $4: the DRIVE team's
 * address to tell of a referral to DRIVE, or ''.
 */
#define DECISIONS_SQL_RECORD \
	"SELECT decision_record($1::bigint, $2::bigint, $3::jsonb, " \
	"CASE WHEN $4 = '' THEN NULL ELSE ARRAY[$4] END)::text"

/* The forum of sitting $1: it says which areas a decision covers. */
#define DECISIONS_SQL_SITTING_FORUM \
	"SELECT forum FROM sittings WHERE id = $1::bigint"

/* The decision of case $2 at sitting $1, audited. */
#define DECISIONS_SQL_GET \
	"SELECT decision_get($1::bigint, $2::bigint)::text"

/* The chair signs off the decision of case $2 at sitting $1. */
#define DECISIONS_SQL_SIGN_OFF \
	"SELECT decision_sign_off($1::bigint, $2::bigint)::text"

/* The minutes of sitting $1, audited. */
#define DECISIONS_SQL_MINUTES_GET "SELECT minutes_get($1::bigint)::text"

/* The minutes of sitting $1 replaced by $2. */
#define DECISIONS_SQL_MINUTES_PUT \
	"SELECT minutes_put($1::bigint, $2::jsonb)::text"

#endif

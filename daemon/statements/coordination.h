/*
 * The coordinator's views and the manual link (sql/022_coordination.sql).
 *
 * The text of each statement, once: the handlers send it and read its
 * rows.
 */
#ifndef MARACD_STATEMENTS_COORDINATION_H
#define MARACD_STATEMENTS_COORDINATION_H

/* The dashboard on day $1 at instant $2 (the clock's); audited. */
#define COORD_SQL_DASHBOARD \
	"SELECT coord_dashboard($1::date, $2::timestamptz)::text"

/* Sitting $1 for its coordinator on day $2 at instant $3; audited. */
#define COORD_SQL_SITTING \
	"SELECT coord_sitting_overview($1::bigint, $2::date, $3::timestamptz)::text"

/*
 * Referral $1 linked to case $2 (its id) or $3 (its reference) on day $4:
 * the referral's answer, or {"refused": why}; audited when linked.
 */
#define COORD_SQL_LINK \
	"SELECT referral_link($1::bigint, $2::bigint, $3, $4::date)::text"

#endif

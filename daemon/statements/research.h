/*
 * Agencies' research returns before a sitting (sql/014_research.sql).
 *
 * The text of each statement, once: the handlers send it and read its
 * rows.
 */
#ifndef MARACD_STATEMENTS_RESEARCH_H
#define MARACD_STATEMENTS_RESEARCH_H

/*
 * Sitting $1's research list as the caller may see it, $2 today, of case
 * $3 only when it is not NULL (sql/014_research.sql); audited.
 */
#define RESEARCH_SQL_LIST \
	"SELECT research_list($1::bigint, $2::date, $3::bigint)::text"

/*
 * The caller's (an invited agency's) return for case $2 of sitting $1:
 * $3 nothing known ("t"/"f"), $4 the text, $5 today.
 */
#define RESEARCH_SQL_RETURN \
	"SELECT research_return($1::bigint, $2::bigint, $3::boolean, $4, $5::date)"

/* Sitting $1's information deadline set to $2 (NULL: cleared). */
#define RESEARCH_SQL_SET_DUE \
	"SELECT research_set_due($1::bigint, $2::date)"

/* The caller's sittings with research open, $1 today (sql/014). */
#define RESEARCH_SQL_OVERVIEW \
	"SELECT research_overview($1::date)::text"

/*
 * The research reminders to enqueue (the job's): $1 today, $2 the last
 * deadline near enough.  Rows: sitting id, forum, sitting date, deadline,
 * agency code, name, reminder address, cases owing, their references
 * (a JSON array).
 */
#define RESEARCH_SQL_REMINDER_ROWS \
	"SELECT sitting_id, forum, sitting_date, due, agency, agency_name, " \
	"email, cases, to_jsonb(refs)::text FROM research_reminder_rows($1::date, $2::date)"

/* One reminder into the outbox: key, kind, address, subject, text, HTML. */
#define RESEARCH_SQL_ENQUEUE \
	"SELECT outbox_enqueue($1, $2, ARRAY[$3], $4, $5, $6)"

#endif

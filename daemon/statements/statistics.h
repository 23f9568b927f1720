/*
 * Statistics.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_STATISTICS_H
#define MARACD_STATEMENTS_STATISTICS_H

/* The statistics from $1 to $2 as on $3, audited. */
#define STATISTICS_SQL_GET \
	"WITH audit AS (INSERT INTO audit_log (action, object_type) " \
	"VALUES ('read', 'statistics')) SELECT statistics_json($1::date, $2::date, " \
	"$3::date)::text"

#endif

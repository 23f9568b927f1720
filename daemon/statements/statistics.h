/*
 * Statistics.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_STATISTICS_H
#define MARACD_STATEMENTS_STATISTICS_H

/* The statistics from $1 to $2 as on $3, of forum $4 (NULL: both), audited. */
#define STATISTICS_SQL_GET \
	"WITH audit AS (INSERT INTO audit_log (action, object_type) " \
	"VALUES ('read', 'statistics')) SELECT statistics_json($1::date, $2::date, " \
	"$3::date, $4)::text"

/* Area $1's SafeLives return for the quarter $2 to $3, as on $4, audited. */
#define STATISTICS_SQL_SAFELIVES \
	"WITH audit AS (INSERT INTO audit_log (action, " \
	"object_type, object_id) VALUES ('read', 'statistics', " \
	"'safelives:' || $1)) SELECT statistics_safelives($1, $2::date, " \
	"$3::date, $4::date)::text"

/* Area $1's MASC indicators for the quarter $2 to $3, as on $4, audited. */
#define STATISTICS_SQL_MASC \
	"WITH audit AS (INSERT INTO audit_log (action, " \
	"object_type, object_id) VALUES ('read', 'statistics', " \
	"'masc:' || $1)) SELECT statistics_masc($1, $2::date, $3::date, " \
	"$4::date)::text"

#endif

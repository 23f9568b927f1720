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

/*
 * Area $1's quarterly report for the quarter $2 to $3, as on $4: the
 * counts of the three above in one document, audited.
 */
#define STATISTICS_SQL_REPORT \
	"WITH audit AS (INSERT INTO audit_log (action, " \
	"object_type, object_id) VALUES ('read', 'statistics', " \
	"'report:' || $1)) SELECT jsonb_build_object('safelives', " \
	"statistics_safelives($1, $2::date, $3::date, $4::date), 'masc', " \
	"statistics_masc($1, $2::date, $3::date, $4::date), 'report', " \
	"statistics_report($1, $2::date, $3::date, $4::date))::text"

/*
 * The report job: area $1's counts for quarter $2 ($3 to $4, as on $5),
 * or NULL when its report was mailed already.
 */
#define STATISTICS_SQL_REPORT_MAIL_COUNTS \
	"SELECT report_mail_counts($1, $2, $3::date, $4::date, $5::date)::text"

/*
 * The report of area $1, quarter $2, to $3 (addresses separated by commas): subject
 * $4, text $5, HTML $6, PDF $7 (binary); true when queued, false when it
 * was already.
 */
#define STATISTICS_SQL_REPORT_MAIL_ENQUEUE \
	"SELECT report_mail_enqueue($1, $2, $3, $4, $5, $6, $7::bytea)"

#endif

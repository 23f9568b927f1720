/*
 * Decision records: the source a record is built from and
 * the log of its exports, for maracd and maracctl alike.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_RECORDS_H
#define MARACD_STATEMENTS_RECORDS_H

/*
 * An export logged: $1 kind ("sitting", "referral"), $2 its id, $3 who
 * or what asked, $4 format, $5 SHA-256 of the canonical JSON.
 */
#define RECORDS_SQL_EXPORT_LOG \
	"SELECT record_export($1, $2::bigint, $3, $4, $5)"

/* What a sitting's decision record is built from (record_build). */
#define RECORDS_SQL_SITTING_SOURCE \
	"SELECT record_sitting_source($1::bigint)::text"

/* What a case's decision record is built from (record_build). */
#define RECORDS_SQL_REFERRAL_SOURCE \
	"SELECT record_referral_source($1::bigint)::text"

/*
 * Each case heard at sitting $1 that the caller may see, with the source
 * of its own record (record_sitting_case_sources): no rows when the caller
 * may not see the sitting, one row with NULL case columns when it heard
 * none.
 */
#define RECORDS_SQL_SITTING_CASE_SOURCES \
	"SELECT s.id, c.referral_id, c.reference, c.source FROM " \
	"(SELECT id FROM sittings WHERE id = $1::bigint AND " \
	"record_forum_visible(forum)) s LEFT JOIN LATERAL " \
	"record_sitting_case_sources(s.id) c ON true"

/*
 * Exports of several records logged at once: $1 kind, $2 their ids
 * (bigint[] literal), $3 forum, $4 format, $5 their hashes (text[]).
 */
#define RECORDS_SQL_EXPORT_SET \
	"SELECT record_export_set($1, $2::bigint[], $3, $4, $5::text[])"

/*
 * How many exports of $1 $2 with hash $3 are logged, and the first's
 * instant: a file is verified against the log.
 */
#define RECORDS_SQL_EXPORTS_OF \
	"SELECT count(*), record_instant(min(at)) FROM " \
	"record_exports WHERE kind = $1 AND object_id = $2::bigint AND " \
	"sha256 = $3"

#endif

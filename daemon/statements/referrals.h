/*
 * Referrals: stored, read, listed, transferred, unlinked.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_REFERRALS_H
#define MARACD_STATEMENTS_REFERRALS_H

/*
 * A referral stored ($1 the validated body, $2 what intake decided);
 * answers whether it is new and its body.
 */
#define REFERRALS_SQL_CREATE \
	"SELECT created, body FROM referral_create($1::jsonb, " \
	"$2::jsonb)"

/* The same referral checked and not stored (POST /v1/referrals/check). */
#define REFERRALS_SQL_CHECK \
	"SELECT already, body FROM referral_check($1::jsonb, $2::jsonb)"

/* The same referral stored from draft $3, which goes with it. */
#define REFERRALS_SQL_DRAFT_SUBMIT \
	"SELECT created, body FROM draft_submit($3::bigint, $1::jsonb, $2::jsonb)"

/* Referral $1, audited. */
#define REFERRALS_SQL_GET "SELECT referral_get($1::bigint)::text"

/*
 * Referral $1 moved to forum $2 for reason $3 ($4: a repeat there, $5
 * now, $6 today).
 */
#define REFERRALS_SQL_TRANSFER \
	"SELECT referral_transfer($1::bigint, $2, $3, $4::boolean, " \
	"$5::timestamptz, $6::date)::text"

/*
 * Referral $1 unlinked from its case ($2: a repeat on its own, $3 today).
 */
#define REFERRALS_SQL_UNLINK \
	"SELECT referral_unlink($1::bigint, $2::boolean, " \
	"$3::date)::text"

/* A page of referrals, audited as one list. */
#define REFERRALS_SQL_LIST \
	"WITH audit AS (INSERT INTO audit_log (action, object_type) " \
	"VALUES ('list', 'referral')), " \
	"page AS (SELECT * FROM referrals WHERE ($1::text IS NULL OR forum = $1) " \
	"AND ($2::bigint IS NULL OR sitting_id = $2) " \
	"AND ($3::text IS NULL OR status = $3) AND id > coalesce($4::bigint, 0) " \
	"AND ($6::text IS NULL OR area = $6) " \
	"AND ($7::text IS NULL OR referring_agency = $7) " \
	"AND ($8::date IS NULL OR received_date >= $8) " \
	"AND ($9::date IS NULL OR received_date <= $9) " \
	"ORDER BY id LIMIT $5::int) " \
	"SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'reference', reference, " \
	"'referring_agency', referring_agency, 'forum', forum, 'status', status, " \
	"'area', area, 'received_date', to_char(received_date, 'YYYY-MM-DD'), " \
	"'risk', jsonb_build_object('level', risk_level, 'bases', to_jsonb(risk_bases), " \
	"'dash_score', dash_score, 'sdash_score', sdash_score), 'repeat', repeat, " \
	"'urgent', urgent, 'sitting', referral_sitting_json(sitting_id)) ORDER BY id), " \
	"'[]')::text, CASE WHEN count(*) = $5::int THEN max(id) END FROM page"

/*
 * What a transfer or an unlink of referral $1 decides the repeat flag
 * from; both read the same facts, and no row means no such referral.
 */
#define REFERRALS_SQL_REPEAT_FACTS \
	"SELECT received_date, previous_marac, forum " \
	"FROM referral_repeat_facts($1::bigint)"

#endif

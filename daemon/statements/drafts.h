/*
 * Referral drafts (sql/016_drafts.sql): a referral saved part-way by its
 * author, finished later.
 *
 * The text of each statement, once: the handlers send it and read its
 * rows.
 */
#ifndef MARACD_STATEMENTS_DRAFTS_H
#define MARACD_STATEMENTS_DRAFTS_H

/* Draft $1 (NULL: a new one) saved with body $2 at instant $3, audited. */
#define DRAFTS_SQL_SAVE \
	"SELECT draft_save($1::bigint, $2::jsonb, $3::timestamptz)::text"

/* Draft $1 as its author may read it, audited. */
#define DRAFTS_SQL_GET "SELECT draft_get($1::bigint)::text"

/* Draft $1 deleted by its author, audited. */
#define DRAFTS_SQL_DELETE "SELECT draft_delete($1::bigint, 'delete')"

/* The caller's drafts, last saved first, without bodies (200 at most), audited. */
#define DRAFTS_SQL_LIST \
	"WITH audit AS (INSERT INTO audit_log (action, object_type) " \
	"VALUES ('list', 'draft')), " \
	"page AS (SELECT * FROM referral_drafts ORDER BY updated_at DESC, id DESC " \
	"LIMIT 200) " \
	"SELECT coalesce(jsonb_agg(draft_json(page, false) ORDER BY updated_at DESC, " \
	"id DESC), '[]')::text, NULL FROM page"

/* The body of draft $1, to submit through the intake (which audits it). */
#define DRAFTS_SQL_BODY "SELECT body::text FROM referral_drafts WHERE id = $1::bigint"

#endif

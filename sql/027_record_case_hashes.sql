-- The records page of a sitting (issue 21): the hash of every case's record
-- in one call (GET /v1/sittings/{id}/record/cases), not one export per case.
--
-- Each case's source is made by record_referral_source, the very function
-- a download of that case's record uses (009_records.sql), so the hash
-- maracd computes from it is the download's; and that function audits the
-- read of each case as a download does.  The exports are then logged for
-- the whole set in one statement each (record_exports and audit_log), in
-- the caller's transaction, as record_export logs one.

-- The cases heard at sitting sid that the caller may see (row-level
-- security on referrals, record_forum_visible for the sitting's forum),
-- each with the source of its own record.  "Heard" as in
-- record_sitting_json: listed there, decided there or given actions there.
-- No rows when the caller may not see the sitting.  VOLATILE: each source
-- writes its audit row.
CREATE FUNCTION record_sitting_case_sources(sid bigint)
RETURNS TABLE (referral_id bigint, reference text, source text)
LANGUAGE sql
SET search_path = public, pg_temp
AS $$
	SELECT r.id, r.reference, record_referral_source(r.id)::text
	  FROM sittings s JOIN referrals r ON r.forum = s.forum
	 WHERE s.id = sid AND record_forum_visible(s.forum)
	   AND r.id IN (SELECT x.id FROM referrals x WHERE x.sitting_id = sid
	       UNION SELECT d.referral_id FROM decisions d WHERE d.sitting_id = sid
	       UNION SELECT a.referral_id FROM actions a WHERE a.sitting_id = sid)
	 ORDER BY r.id
$$;

-- Exports of several records of one kind logged at once: one
-- record_exports row and one audit row for each (as record_export writes
-- for one).  oids and shas are parallel.  Returns how many were logged.
CREATE FUNCTION record_export_set(k text, oids bigint[], f text, fmt text,
    shas text[])
RETURNS bigint LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	IF cardinality(oids) IS DISTINCT FROM cardinality(shas) THEN
		RAISE EXCEPTION 'record_export_set: % ids and % hashes',
		    cardinality(oids), cardinality(shas)
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO record_exports (kind, object_id, forum, format, sha256)
	SELECT k, u.o, f, fmt, u.h FROM unnest(oids, shas) AS u(o, h);
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT 'export', k || '_record', u.o::text FROM unnest(oids) AS u(o);
	RETURN n;
END
$$;

GRANT EXECUTE ON FUNCTION record_sitting_case_sources(bigint),
    record_export_set(text, bigint[], text, text, text[]) TO maracd_app;

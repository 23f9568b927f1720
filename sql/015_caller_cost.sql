-- What the row-level security policies cost per statement.  Each policy
-- asks (SELECT maracd_role()) and its kin; a referral's read applies the
-- referrals policies again in every child table's EXISTS, so a GET asked
-- who the caller is about thirty times.  As LANGUAGE sql functions with a
-- SET clause none of them could be inlined or keep a plan: PostgreSQL
-- parsed and planned each body at every call (about 70 microseconds
-- each, half the read's time inside PostgreSQL; bench/RESULTS.md).
--
-- The same rules, cheaper: maracd_caller() (sql/002_access.sql) is
-- PL/pgSQL, whose statement plans are cached for the session, and
-- maracd_role() and its kin have no SET clause, so that the planner inlines
-- them.  Here: referral_sitting_json() and referral_decision_json() (every
-- referral answer) and referral_previous_marac() (every new referral)
-- become PL/pgSQL for the same reason.

CREATE OR REPLACE FUNCTION referral_sitting_json(sid bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN (SELECT jsonb_build_object('id', s.id, 'forum', s.forum,
	    'date', to_char(s.date, 'YYYY-MM-DD'),
	    'cutoff', to_char(s.cutoff_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
	  FROM sittings s WHERE s.id = sid);
END
$$;

-- A waiting referral's answer says so in plain words (warnings): derived,
-- not stored, so it goes once the referral is listed.
CREATE FUNCTION referral_waiting_warning(r referrals)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_array(jsonb_build_object('code', 'waiting_for_sitting',
	    'message', format('This referral waits for a %s sitting: %s. The coordinator '
	    'has been told; it will be listed at the first sitting that exists and whose '
	    'cutoff it meets.', upper(r.forum), referral_waiting_why(r.forum, r.area)->>'message')))
$$;

CREATE OR REPLACE FUNCTION referral_decision_json(r referrals)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN jsonb_build_object(
	    'id', r.id, 'reference', r.reference, 'status', r.status,
	    'forum', r.forum,
	    'risk', jsonb_build_object('level', r.risk_level, 'bases', to_jsonb(r.risk_bases),
	        'dash_score', r.dash_score, 'sdash_score', r.sdash_score),
	    'repeat', r.repeat, 'urgent', r.urgent, 'review', r.review,
	    'sitting', referral_sitting_json(r.sitting_id),
	    'advice', r.advice, 'warnings', CASE WHEN r.status = 'waiting'
	        THEN r.warnings || referral_waiting_warning(r) ELSE r.warnings END)
	    -- A linked referral is heard as part of the waiting case: the answer
	    -- names that case by reference (and its sitting), nothing more.
	    || CASE WHEN r.linked_to IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(
	        'linked_to', referral_peer_json(r.linked_to) - 'status' - 'forum') END
	    || CASE WHEN r.transferred_to IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(
	        'transferred_to', referral_peer_json(r.transferred_to)) END;
END
$$;

CREATE OR REPLACE FUNCTION referral_previous_marac(victim_key text, before timestamptz)
RETURNS date LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	-- The old forum's record of a transfer is not a referral of its own:
	-- the case it became counts, in the forum it went to.
	RETURN (SELECT max(r.received_date) FROM referrals r
	         WHERE r.victim_key = referral_previous_marac.victim_key
	           AND r.forum = 'marac' AND r.status <> 'transferred'
	           AND r.received_at < before);
END
$$;

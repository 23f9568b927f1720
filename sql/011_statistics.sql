-- Figures for partnership leads and the steering group: counts only, over
-- what the caller may see (row-level security applies: a chair gets the
-- chair's forum, an agency its own referrals and actions).  No personal
-- data: ids do not leave this function, only totals by forum, agency,
-- risk and status.

CREATE FUNCTION statistics_json(d_from date, d_to date, as_of date)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	-- Cases, not records: a referral linked to a waiting case is part of
	-- that case (its risk may govern the case's, and it is never a
	-- repeat), and the old forum's record of a transfer is the same case
	-- as the record it became.  Both are counted on their own
	-- ('linked', 'transferred').
	WITH rr AS (SELECT * FROM referrals WHERE received_date BETWEEN d_from AND d_to),
	r AS (SELECT c.id, c.forum, c.referring_agency, c.repeat, c.urgent, c.status,
	        (SELECT x.lvl FROM (SELECT l.risk_level AS lvl FROM referrals l
	                WHERE l.linked_to = c.id UNION ALL SELECT c.risk_level) x
	          ORDER BY array_position(ARRAY['standard', 'medium', 'high'], x.lvl) DESC
	          LIMIT 1) AS risk_level
	        FROM rr c WHERE c.status NOT IN ('linked', 'transferred')),
	a AS (SELECT * FROM actions),
	rv AS (SELECT v.*, x.agency FROM action_reviews v JOIN actions x ON x.id = v.action_id
	        JOIN sittings s ON s.id = v.sitting_id WHERE s.date BETWEEN d_from AND d_to)
	SELECT jsonb_build_object(
	    'from', to_char(d_from, 'YYYY-MM-DD'), 'to', to_char(d_to, 'YYYY-MM-DD'),
	    'as_of', to_char(as_of, 'YYYY-MM-DD'),
	    'referrals', jsonb_build_object(
	        'total', (SELECT count(*) FROM r),
	        'by_forum', coalesce((SELECT jsonb_object_agg(f, n) FROM (SELECT
	            coalesce(forum, 'below_threshold') f, count(*) n FROM r GROUP BY 1) x), '{}'),
	        'by_risk', coalesce((SELECT jsonb_object_agg(risk_level, n) FROM (SELECT
	            risk_level, count(*) n FROM r GROUP BY 1) x), '{}'),
	        'by_agency', coalesce((SELECT jsonb_object_agg(referring_agency, n) FROM (SELECT
	            referring_agency, count(*) n FROM r GROUP BY 1) x), '{}'),
	        'repeat', (SELECT count(*) FROM r WHERE repeat),
	        'urgent', (SELECT count(*) FROM r WHERE urgent),
	        'linked', (SELECT count(*) FROM rr WHERE status = 'linked'),
	        'transferred', (SELECT count(*) FROM rr WHERE status = 'transferred'),
	        'transfers', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	            coalesce(t.from_forum, 'below_threshold') || '_to_' || t.to_forum k,
	            count(*) n FROM rr JOIN referral_transfers t ON t.referral_id = rr.id
	              AND t.to_referral = rr.transferred_to
	            WHERE rr.status = 'transferred' GROUP BY 1) x), '{}'),
	        'children', (SELECT count(*) FROM referral_people p JOIN r ON r.id = p.referral_id
	            WHERE p.role = 'child')),
	    -- Actions as they stand on as_of, by owning agency.
	    'actions', coalesce((SELECT jsonb_object_agg(agency, jsonb_build_object(
	        'open', open, 'in_progress', prog, 'overdue', overdue,
	        'completed', done, 'no_longer_relevant', nlr)) FROM (SELECT agency,
	        count(*) FILTER (WHERE status = 'open') open,
	        count(*) FILTER (WHERE status = 'in_progress') prog,
	        count(*) FILTER (WHERE status IN ('open', 'in_progress') AND due < as_of) overdue,
	        count(*) FILTER (WHERE status = 'completed') done,
	        count(*) FILTER (WHERE status = 'no_longer_relevant') nlr
	        FROM a GROUP BY agency) x), '{}'),
	    -- What sittings in the period found when they reviewed earlier
	    -- actions: persistent non-completion goes to the steering group.
	    'reviews', coalesce((SELECT jsonb_object_agg(agency, jsonb_build_object(
	        'completed', c, 'change_in_circumstance', cic, 'not_undertaken', nu,
	        'carried_forward', cf)) FROM (SELECT agency,
	        count(*) FILTER (WHERE result = 'completed') c,
	        count(*) FILTER (WHERE result = 'change_in_circumstance') cic,
	        count(*) FILTER (WHERE result = 'not_undertaken') nu,
	        count(*) FILTER (WHERE result = 'carried_forward') cf
	        FROM rv GROUP BY agency) x), '{}'))
$$;
GRANT EXECUTE ON FUNCTION statistics_json(date, date, date) TO maracd_app;

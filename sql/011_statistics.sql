-- Figures for partnership leads and the steering group: counts only, over
-- what the caller may see (row-level security applies: a chair gets the
-- chair's forum, an agency its own referrals and actions).  No personal
-- data: ids do not leave this function, only totals by forum, agency,
-- risk and status.

-- The children in the household of a case: the number the referrer gave
-- (referrals.children_in_household, sql/004), else the children listed as
-- resident.  The one place this is decided; every figure that counts
-- children asks it.
CREATE FUNCTION referral_household_children(rid bigint, given integer)
RETURNS integer LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(given, (SELECT count(*)::int FROM referral_people p
	    WHERE p.referral_id = rid AND p.role = 'child' AND p.resident))
$$;

-- Counts over what the caller may see (row-level security applies), for
-- referrals received d_from..d_to, of forum f (NULL: both; a forum leaves
-- out the referrals below threshold, which have none).
CREATE FUNCTION statistics_json(d_from date, d_to date, as_of date, f text)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	-- Cases, not records: a referral linked to a waiting case is part of
	-- that case (its risk may govern the case's, and it is never a
	-- repeat), and the old forum's record of a transfer is the same case
	-- as the record it became.  Both are counted on their own
	-- ('linked', 'transferred').
	WITH rr AS (SELECT * FROM referrals WHERE received_date BETWEEN d_from AND d_to
	        AND (f IS NULL OR forum = f)),
	r AS (SELECT c.id, c.forum, c.referring_agency, c.repeat, c.urgent, c.status,
	        c.children_in_household,
	        (SELECT x.lvl FROM (SELECT l.risk_level AS lvl FROM referrals l
	                WHERE l.linked_to = c.id UNION ALL SELECT c.risk_level) x
	          ORDER BY array_position(ARRAY['standard', 'medium', 'high'], x.lvl) DESC
	          LIMIT 1) AS risk_level
	        FROM rr c WHERE c.status NOT IN ('linked', 'transferred')),
	-- Transfers made in the period, each once: every record of the case
	-- after it carries a copy of its row, and the caller may see only one
	-- end (a chair sees the record of the chair's forum).
	tr AS (SELECT DISTINCT t.from_reference, t.to_reference, t.from_forum, t.to_forum
	        FROM referral_transfers t
	        WHERE t.at::date BETWEEN d_from AND d_to
	          AND (f IS NULL OR t.from_forum = f OR t.to_forum = f)),
	-- Actions agreed at a sitting held in the period (or, for one added
	-- outside a sitting, made in it), as they stand now.
	a AS (SELECT x.* FROM actions x LEFT JOIN sittings s ON s.id = x.sitting_id
	        WHERE coalesce(s.date, x.created_at::date) BETWEEN d_from AND d_to
	          AND (f IS NULL OR x.forum = f)),
	rv AS (SELECT v.*, x.agency FROM action_reviews v JOIN actions x ON x.id = v.action_id
	        JOIN sittings s ON s.id = v.sitting_id WHERE s.date BETWEEN d_from AND d_to
	          AND (f IS NULL OR s.forum = f))
	SELECT jsonb_build_object(
	    'from', to_char(d_from, 'YYYY-MM-DD'), 'to', to_char(d_to, 'YYYY-MM-DD'),
	    'as_of', to_char(as_of, 'YYYY-MM-DD'), 'forum', f,
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
	        'transferred', (SELECT count(*) FROM tr),
	        'transfers', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	            coalesce(from_forum, 'below_threshold') || '_to_' || to_forum k,
	            count(*) n FROM tr GROUP BY 1) x), '{}'),
	        -- Cases heard at a forum only: below threshold is no case.
	        'children', (SELECT coalesce(sum(referral_household_children(r.id,
	            r.children_in_household)), 0) FROM r WHERE r.forum IS NOT NULL)),
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
GRANT EXECUTE ON FUNCTION statistics_json(date, date, date, text) TO maracd_app;

-- The counts of the SafeLives quarterly return of area a (docs/statistics.md),
-- set-based; the figures are made from them by daemon/core/safelives.c.
-- Counted per MARAC meeting held in the quarter q_from..q_to: a sitting
-- of the area not cancelled and dated before today (the clock's date; a
-- sitting dated today is still to come), by the date of the sitting, not
-- the referrals' received dates.  Its cases are the referrals listed at
-- it: a linked referral is part of its case and has no sitting of its
-- own, and the old forum's record of a transfer has none either, so each
-- case counts once, where it was heard.  Groups, not rules: which
-- ethnicities are minoritised, which agencies are of which type, which
-- ages count, is the core's.  Ages under 18 only: the figures need no
-- more.  Runs as the caller: row-level security decides what is counted.
CREATE FUNCTION statistics_safelives(a text, q_from date, q_to date, today date)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH s AS MATERIALIZED (SELECT id FROM sittings WHERE forum = 'marac' AND area = a
	        AND status = 'scheduled' AND date BETWEEN q_from AND q_to AND date < today),
	c AS MATERIALIZED (SELECT r.id, r.repeat, r.referring_agency, r.victim_ethnicity,
	        r.victim_gender, r.victim_disability, r.victim_lgbt, r.victim_age,
	        r.perpetrator_age, r.children_in_household
	        FROM referrals r WHERE r.sitting_id IN (SELECT id FROM s)
	          AND r.forum = 'marac' AND r.status = 'listed')
	SELECT jsonb_build_object(
	    'meetings', (SELECT count(*) FROM s),
	    'cases', (SELECT count(*) FROM c),
	    'repeats', (SELECT count(*) FROM c WHERE repeat),
	    'by_agency', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        referring_agency k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_ethnicity', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_ethnicity k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_gender', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_gender k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_disability', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_disability k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_lgbt', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_lgbt k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'victim_ages', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_age::text k, count(*) n FROM c WHERE victim_age < 18 GROUP BY 1) x), '{}'),
	    'perpetrator_ages', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        perpetrator_age::text k, count(*) n FROM c WHERE perpetrator_age < 18
	        GROUP BY 1) x), '{}'),
	    'children', (SELECT coalesce(sum(referral_household_children(c.id,
	        c.children_in_household)), 0) FROM c))
$$;
GRANT EXECUTE ON FUNCTION statistics_safelives(text, date, date, date) TO maracd_app;

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

-- The MASC indicators and the quarterly report (docs/statistics.md): their
-- counts, set-based, and the report's mailing once a quarter.  The MASC
-- outcomes they count are the decisions' (sql/006_decisions_actions.sql).

-- The counts of the MASC indicators of area a for the quarter q_from..q_to
-- (docs/statistics.md), set-based; daemon/core/masc_indicators.c makes
-- the figures.  Meetings are MASC sittings of the area held in the
-- quarter (not cancelled, before today), as for the SafeLives return.
-- days_to_hearing: for each case heard at one, the days from its received
-- date to the sitting's.  actions: by agency, those agreed at the
-- meetings that are settled (completed, or due before today) and of them
-- those completed (the first time the status became completed, local
-- date) on or before their due date.  attendance: by agency, the
-- meetings at which a decision lists it among the agencies present.
-- outcomes: the cases decided at the meetings (a case decided at two of
-- them counts once), those with outcomes recorded, and by SPO stage and
-- onward referral the cases of which a decision records it.  Runs as the
-- caller.
CREATE FUNCTION statistics_masc(a text, q_from date, q_to date, today date)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH s AS MATERIALIZED (SELECT id, date FROM sittings WHERE forum = 'masc' AND area = a
	        AND status = 'scheduled' AND date BETWEEN q_from AND q_to AND date < today),
	x AS MATERIALIZED (SELECT x.agency, x.due, x.status, (SELECT min(h.at)::date
	            FROM action_history h WHERE h.action_id = x.id AND h.field = 'status'
	              AND h.to_value = 'completed') AS done
	        FROM actions x WHERE x.sitting_id IN (SELECT id FROM s)),
	d AS MATERIALIZED (SELECT d.sitting_id, d.referral_id, d.attendees, d.masc_spo,
	        d.masc_onward_referrals FROM decisions d
	        WHERE d.sitting_id IN (SELECT id FROM s) AND d.forum = 'masc')
	SELECT jsonb_build_object(
	    'meetings', (SELECT count(*) FROM s),
	    'days_to_hearing', coalesce((SELECT jsonb_agg(s.date - r.received_date)
	        FROM referrals r JOIN s ON s.id = r.sitting_id
	        WHERE r.forum = 'masc' AND r.status = 'listed'), '[]'),
	    'actions', coalesce((SELECT jsonb_object_agg(agency, jsonb_build_object(
	        'due', due, 'on_time', on_time)) FROM (SELECT agency,
	        count(*) FILTER (WHERE status = 'completed' OR x.due < today) due,
	        count(*) FILTER (WHERE status = 'completed' AND done <= x.due) on_time
	        FROM x GROUP BY agency) y), '{}'),
	    'attendance', coalesce((SELECT jsonb_object_agg(g.code, (SELECT
	        count(DISTINCT d.sitting_id) FROM d WHERE g.code = ANY (d.attendees)))
	        FROM agencies g), '{}'),
	    'decided', (SELECT count(DISTINCT referral_id) FROM d),
	    'recorded', (SELECT count(DISTINCT referral_id) FROM d WHERE masc_spo IS NOT NULL),
	    'spo', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT k,
	        count(DISTINCT d.referral_id) n FROM d, unnest(d.masc_spo) k GROUP BY k) y), '{}'),
	    'onward_referrals', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT k,
	        count(DISTINCT d.referral_id) n FROM d, unnest(d.masc_onward_referrals) k
	        GROUP BY k) y), '{}'))
$$;
GRANT EXECUTE ON FUNCTION statistics_masc(text, date, date, date) TO maracd_app;

-- The quarterly report of area a (docs/statistics.md, The quarterly
-- report): the counts its charts need beyond the SafeLives return and the
-- MASC indicators.  months: by month of the quarter (received date) and
-- forum ('below_threshold' for none), the cases received (not linked
-- referrals, nor the old forum's record of a transfer).  by_agency: those
-- cases by referring agency.  actions: the actions agreed at the area's
-- sittings held in the quarter (not cancelled, before today), by due date
-- and status as they stand, for the core's RAG rule (core/action.c).
-- Runs as the caller.
CREATE FUNCTION statistics_report(a text, q_from date, q_to date, today date)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH c AS MATERIALIZED (SELECT to_char(received_date, 'YYYY-MM') AS month,
	        coalesce(forum, 'below_threshold') AS forum, referring_agency
	        FROM referrals WHERE area = a AND received_date BETWEEN q_from AND q_to
	          AND status NOT IN ('linked', 'transferred')),
	s AS MATERIALIZED (SELECT id FROM sittings WHERE area = a AND status = 'scheduled'
	        AND date BETWEEN q_from AND q_to AND date < today)
	SELECT jsonb_build_object(
	    'months', coalesce((SELECT jsonb_object_agg(month, f) FROM (SELECT month,
	        jsonb_object_agg(forum, n) f FROM (SELECT month, forum, count(*) n FROM c
	        GROUP BY 1, 2) x GROUP BY month) y), '{}'),
	    'by_agency', coalesce((SELECT jsonb_object_agg(referring_agency, n) FROM (SELECT
	        referring_agency, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'actions', coalesce((SELECT jsonb_agg(jsonb_build_object('due',
	        to_char(due, 'YYYY-MM-DD'), 'status', status, 'n', n) ORDER BY due, status)
	        FROM (SELECT x.due, x.status, count(*) n FROM actions x
	        WHERE x.sitting_id IN (SELECT id FROM s) GROUP BY 1, 2) y), '[]'))
$$;
GRANT EXECUTE ON FUNCTION statistics_report(text, date, date, date) TO maracd_app;

-- Each area's report is mailed once a quarter: the row here and the
-- message in the outbox are made in one transaction (report_mail_enqueue),
-- so a report is never sent twice, whichever maracd process makes it, and
-- never lost (the outbox retries; a run that failed leaves no row and the
-- next run makes it again).
CREATE TABLE report_mailings (
	area		text NOT NULL,
	quarter		text NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
	outbox_id	bigint,
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (area, quarter)
);
ALTER TABLE report_mailings ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_mailings FORCE ROW LEVEL SECURITY;
CREATE POLICY report_mailings_owner ON report_mailings TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- The report job's counts of area a's quarter q_from..q_to (the three
-- functions above, as the schema's owner: the report covers the whole
-- area whoever runs maracd), or NULL when the quarter's report was
-- mailed already.  Jobs only.
CREATE FUNCTION report_mail_counts(a text, q text, q_from date, q_to date, today date)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT maracd_is_job() THEN
		RAISE EXCEPTION 'the quarterly report is made by maracd''s job'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF EXISTS (SELECT 1 FROM report_mailings m WHERE m.area = a AND m.quarter = q) THEN
		RETURN NULL;
	END IF;
	RETURN jsonb_build_object('safelives', statistics_safelives(a, q_from, q_to, today),
	    'masc', statistics_masc(a, q_from, q_to, today),
	    'report', statistics_report(a, q_from, q_to, today));
END
$$;
REVOKE ALL ON FUNCTION report_mail_counts(text, text, date, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_mail_counts(text, text, date, date, date) TO maracd_app;

-- The report of area a's quarter q into the outbox, with the HTML and
-- the PDF (bytes, base64 here) attached, to rcpts, once: false when it
-- was already.
CREATE FUNCTION report_mail_enqueue(a text, q text, rcpts text, subj text,
    body text, html text, pdf bytea)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	id bigint;
	-- [statistics] report_recipients: addresses separated by commas.
	rcpt text[] := ARRAY(SELECT btrim(x) FROM unnest(string_to_array(
	    coalesce(rcpts, ''), ',')) x WHERE btrim(x) <> '');
BEGIN
	IF NOT maracd_is_job() THEN
		RAISE EXCEPTION 'the quarterly report is made by maracd''s job'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	INSERT INTO report_mailings (area, quarter) VALUES (a, q) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	id := outbox_enqueue('quarterly_report:' || a || ':' || q, 'quarterly_report', rcpt,
	    subj, body, NULL, jsonb_build_array(
	        jsonb_build_object('filename', 'report-' || a || '-' || q || '.html',
	            'content_type', 'text/html',
	            'content_base64', translate(encode(convert_to(html, 'UTF8'), 'base64'),
	                E'\n', '')),
	        jsonb_build_object('filename', 'report-' || a || '-' || q || '.pdf',
	            'content_type', 'application/pdf',
	            'content_base64', translate(encode(pdf, 'base64'), E'\n', ''))));
	UPDATE report_mailings SET outbox_id = id WHERE area = a AND quarter = q;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('mail', 'statistics', 'report:' || a || ':' || q);
	RETURN true;
END
$$;
REVOKE ALL ON FUNCTION report_mail_enqueue(text, text, text, text, text, text, bytea)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_mail_enqueue(text, text, text, text, text, text, bytea)
    TO maracd_app;

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

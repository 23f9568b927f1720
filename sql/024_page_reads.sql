-- The reads behind the chair's and the coordinator's pages at the speed of
-- the SQL they need (issue 21: the dashboard and the chair's sitting page
-- under 50 ms at p99 with a 300-case sitting and a year of a county's
-- data; bench/pages), and the mail that could not be delivered on the
-- coordinator's dashboard.
--
-- 1. One case's research and DRIVE screening: the chair's page of one
--    case (/sittings/{s}/meeting/{r}) read the whole sitting's research
--    list (every case's people and returns, one audit row per case) and
--    every perpetrator screened, to show one case.  research_list and
--    drive_sitting_get take the case (GET .../research?referral= and
--    .../drive?referral=): the same checks of who may read the sitting,
--    the rows of that case only, and the audit of what was read.
-- 2. Functions the pages call once or more per statement, written in
--    SQL but never inlined (a SET clause, SECURITY DEFINER, or a set
--    returned), are planned again at every statement that calls them:
--    PostgreSQL keeps a SQL function's plan for one statement only, a
--    PL/pgSQL function's for the session.  On bench/pages' stack
--    (a county's year, load average about 20) the failed mail's query took
--    16 ms at best as SQL and 0.2 ms as PL/pgSQL, planning being nearly
--    all of it; so those on the dashboard's and the sitting page's paths
--    are PL/pgSQL here, with the same text.
-- 3. Failed mail: mail_failed_list() for the dashboard.
-- 4. The dashboard's statement, with the failed mail, and which areas
--    the caller runs asked once, not once per sitting.

--
-- 1. One case's research and DRIVE screening.
--

-- The research list of a sitting (sql/014_research.sql, unchanged in
-- what it shows and audits), of case rid only when rid is not NULL: a
-- case not listed at the sitting gives no cases.
DROP FUNCTION research_list(bigint, date);
CREATE FUNCTION research_list(sid bigint, today date, rid bigint) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s record;
	people boolean;
	mine text := CASE WHEN maracd_role() = 'agency' THEN maracd_agency() END;
	doc jsonb;
BEGIN
	SELECT * INTO s FROM research_sitting(sid, today);
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	people := NOT s.held;
	SELECT jsonb_build_object(
	    'sitting', jsonb_build_object('id', s.id, 'forum', s.forum, 'area', s.area,
	        'date', s.date, 'held', s.held),
	    'due', s.research_due,
	    'invited', to_jsonb(s.invited),
	    'cases', coalesce(jsonb_agg(jsonb_build_object(
	        'referral_id', r.id, 'reference', r.reference,
	        'people', CASE WHEN people THEN (SELECT coalesce(jsonb_agg(jsonb_build_object(
	            'role', p.role, 'name', p.name, 'dob', p.dob, 'postcode', p.postcode)
	            ORDER BY CASE p.role WHEN 'victim' THEN 0 WHEN 'perpetrator' THEN 1 ELSE 2 END,
	                p.ordinal), '[]')
	          FROM referral_people p WHERE p.referral_id = r.id) END,
	        'returns', (SELECT coalesce(jsonb_agg(jsonb_build_object(
	            'agency', x.agency, 'nothing_known', x.nothing_known, 'text', x.text,
	            'returned_at', x.returned_at) ORDER BY x.agency), '[]')
	          FROM research_returns x WHERE x.sitting_id = s.id AND x.referral_id = r.id
	           AND (mine IS NULL OR x.agency = mine)),
	        'missing', to_jsonb(ARRAY(SELECT i FROM unnest(CASE WHEN mine IS NULL
	            THEN s.invited ELSE ARRAY[mine] END) i
	          WHERE NOT EXISTS (SELECT 1 FROM research_returns x WHERE x.sitting_id = s.id
	              AND x.referral_id = r.id AND x.agency = i) ORDER BY i)))
	        ORDER BY r.id), '[]'))
	  INTO doc
	  FROM referrals r WHERE r.sitting_id = s.id AND r.status = 'listed'
	   AND (rid IS NULL OR r.id = rid);
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT CASE WHEN people THEN 'research_read' ELSE 'research_status' END, 'referral',
	    r.id::text
	  FROM referrals r WHERE r.sitting_id = s.id AND r.status = 'listed'
	   AND (rid IS NULL OR r.id = rid);
	RETURN doc;
END
$$;

-- A screening as the API shows it (sql/007_drive.sql), its perpetrators
-- those naming case rid only when rid is not NULL.
CREATE FUNCTION drive_run_json(run_id bigint, rid bigint) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object(
	    'screened', true,
	    'rubric', run.rubric_version,
	    'rubric_settings', run.rubric_settings,
	    'screened_on', to_char(run.screened_on, 'YYYY-MM-DD'),
	    'screened_at', calendar_rfc3339(run.screened_at),
	    'screened_by', run.screened_by,
	    'perpetrators', coalesce((SELECT jsonb_agg(jsonb_build_object(
	        'initials', d.initials, 'referral_ids', to_jsonb(d.referral_ids),
	        'eligible', d.eligible, 'reasons', d.reasons,
	        'components', jsonb_build_object('recency', d.recency, 'frequency', d.frequency,
	            'gravity', d.gravity, 'victims', d.victims),
	        'score', d.score, 'threshold', d.threshold, 'candidate', d.candidate,
	        'basis', d.basis)
	        ORDER BY d.candidate DESC, d.score DESC, d.initials, d.referral_ids)
	        FROM drive_results d WHERE d.run_id = run.id
	         AND (rid IS NULL OR rid = ANY (d.referral_ids))), '[]'))
	  FROM drive_runs run WHERE run.id = run_id
$$;

-- The one-argument form stays (drive_store answers with it): every
-- perpetrator.
CREATE OR REPLACE FUNCTION drive_run_json(run_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT drive_run_json(run_id, NULL)
$$;

-- A sitting's screening (sql/007_drive.sql), of case rid only when rid is
-- not NULL.  Audited as before: the sitting's screening was read.
DROP FUNCTION drive_sitting_get(bigint);
CREATE FUNCTION drive_sitting_get(sid bigint, rid bigint) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s sittings;
BEGIN
	SELECT * INTO s FROM sittings WHERE id = sid AND forum = 'marac';
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('drive.read', 'sitting', sid::text);
	-- One statement, one snapshot (sql/007_drive.sql).
	RETURN jsonb_build_object('sitting', referral_sitting_json(sid)) || coalesce(
	    (SELECT drive_run_json(r.id, rid) FROM drive_runs r WHERE r.sitting_id = sid),
	    jsonb_build_object('screened', false, 'rubric', NULL, 'perpetrators', '[]'::jsonb));
END
$$;

REVOKE ALL ON FUNCTION research_list(bigint, date, bigint), drive_run_json(bigint, bigint),
    drive_sitting_get(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION research_list(bigint, date, bigint), drive_run_json(bigint, bigint),
    drive_sitting_get(bigint, bigint) TO maracd_app;

--
-- 3. Mail that could not be delivered.
--

-- The messages the sender gave up on (sql/005_outbox.sql: status 'failed'),
-- as a coordinator may see them: the outbox is maracd's own and the
-- application role reads none of it, so this runs as the owner and lets
-- out what the key of each kind says it concerns, never an address, a
-- subject or a body: the kind, when it failed, the agency it was for
-- (code and name; none for mail to the coordinators, the DRIVE team, a
-- person's account or a report's list), and the case's reference or the
-- sitting it was about.  Each message is the area's whose case, sitting,
-- action or report it concerns; one with no area (an agency's digest,
-- the coordinators' summary, account mail) is for callers of every area.
-- A message stays listed until the retention job clears its body
-- ([retention] outbox_days after it failed): by then it is history.
-- Staff only (NULL for anyone else); the first lim, newest first, and
-- how many in all.  Codes and references only: nothing to audit.  A
-- message with no area (NULL) is in no list of areas: every area's only.
CREATE FUNCTION mail_failed_list(lim integer) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	areas text[] := maracd_areas();
	everywhere boolean := areas IS NULL;
BEGIN
	IF NOT maracd_is_staff() THEN
		RETURN NULL;
	END IF;
	RETURN (
		WITH failed AS (
			SELECT o.id, o.kind, o.failed_at, split_part(o.key, ':', 2) AS k2,
			       split_part(o.key, ':', 3) AS k3, split_part(o.key, ':', 4) AS k4,
			       -- The id the key holds second, when it is one: a CASE,
			       -- as nothing else orders a test before the cast.
			       CASE WHEN split_part(o.key, ':', 2) ~ '^[0-9]{1,18}$'
			           THEN split_part(o.key, ':', 2)::bigint END AS n2
			  FROM outbox o
			 WHERE o.status = 'failed' AND o.body_purged_at IS NULL
		), about AS (
			SELECT f.id, f.kind, f.failed_at,
			       CASE f.kind WHEN 'urgent' THEN f.k3 WHEN 'agenda' THEN f.k4
			           WHEN 'research' THEN f.k3 WHEN 'digest' THEN f.k2
			           WHEN 'overdue' THEN x.agency END AS agency,
			       coalesce(r.reference, x.reference, d.reference) AS reference,
			       s.id AS sitting_id, s.forum, s.date,
			       coalesce(r.area, x.area, s.area, CASE f.kind WHEN 'waiting' THEN f.k3
			           WHEN 'quarterly_report' THEN f.k2 END) AS area
			  FROM failed f
			  LEFT JOIN referrals r ON f.kind = 'urgent' AND r.reference = f.k2
			  LEFT JOIN actions x ON f.kind = 'overdue' AND x.id = f.n2
			  LEFT JOIN decisions d ON f.kind = 'drive_risk' AND d.id = f.n2
			  LEFT JOIN sittings s ON s.id = CASE WHEN f.kind IN ('agenda', 'research')
			           THEN f.n2 ELSE d.sitting_id END
		), mine AS (
			SELECT a.*, g.name, count(*) OVER () AS total
			  FROM about a LEFT JOIN agencies g ON g.code = a.agency
			 WHERE everywhere OR a.area = ANY (areas)
		)
		SELECT jsonb_build_object(
		    'count', coalesce(max(m.total), 0),
		    'messages', coalesce(jsonb_agg(jsonb_build_object('kind', m.kind,
		        'failed_at', calendar_rfc3339(m.failed_at),
		        'agency', CASE WHEN m.name IS NOT NULL
		            THEN jsonb_build_object('code', m.agency, 'name', m.name) END,
		        'reference', m.reference,
		        'sitting', CASE WHEN m.sitting_id IS NOT NULL THEN jsonb_build_object(
		            'id', m.sitting_id, 'forum', m.forum, 'date', to_char(m.date, 'YYYY-MM-DD')) END)
		        ORDER BY m.failed_at DESC, m.id DESC) FILTER (WHERE m.n <= lim), '[]'))
		  FROM (SELECT mine.*, row_number() OVER (ORDER BY mine.failed_at DESC, mine.id DESC) AS n
		          FROM mine) m);
END
$$;
REVOKE ALL ON FUNCTION mail_failed_list(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mail_failed_list(integer) TO maracd_app;

--
-- 4. The dashboard (sql/022_coordination.sql), with the mail that could
--    not be delivered (mail_failed_list, the newest 20).
--
CREATE OR REPLACE FUNCTION coord_dashboard(today date, at timestamptz)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	doc jsonb;
	areas text[] := maracd_areas();
BEGIN
	IF NOT maracd_is_staff() THEN
		RETURN NULL;
	END IF;
	SELECT jsonb_build_object(
	    'today', to_char(today, 'YYYY-MM-DD'),
	    'sittings', coalesce((SELECT jsonb_agg(coord_sitting_json(n, today, at)
	        ORDER BY n.date, n.forum, n.area)
	      FROM sittings n
	     WHERE n.status = 'scheduled' AND n.date >= today
	       AND (areas IS NULL OR n.area = ANY (areas))
	       AND NOT EXISTS (SELECT 1 FROM sittings o WHERE o.forum = n.forum
	           AND o.area = n.area AND o.status = 'scheduled' AND o.cutoff_at > at
	           AND o.cutoff_at < n.cutoff_at)), '[]'),
	    'attention', (attention_list(today)->'items') || coalesce((SELECT jsonb_agg(
	        jsonb_build_object('kind', 'review',
	        'why', jsonb_build_object('code', 'flagged_for_review', 'message',
	            'flagged for review: the forum chosen is not the one requested, or '
	            'the Act overrode the domestic abuse answer'),
	        'referral', jsonb_build_object('id', r.id, 'reference', r.reference,
	            'forum', r.forum, 'area', r.area,
	            'received_date', to_char(r.received_date, 'YYYY-MM-DD')))
	        ORDER BY r.received_at, r.id)
	      FROM referrals r LEFT JOIN sittings s ON s.id = r.sitting_id
	     WHERE r.review AND r.received_date >= today - 30
	       AND (r.status IN ('waiting', 'below_threshold')
	            OR (r.status = 'listed' AND s.date >= today))), '[]'),
	    'mail_failed', mail_failed_list(20),
	    'actions', coalesce((SELECT jsonb_agg(jsonb_build_object('agency', a.agency,
	        'name', g.name, 'overdue', a.overdue, 'due_soon', a.due_soon)
	        ORDER BY a.overdue DESC, a.due_soon DESC, a.agency)
	      FROM (SELECT x.agency,
	                   count(*) FILTER (WHERE x.due < today) AS overdue,
	                   count(*) FILTER (WHERE x.due >= today) AS due_soon
	              FROM actions x
	             WHERE x.status IN ('open', 'in_progress') AND x.due <= today + 7
	             GROUP BY x.agency) a
	      JOIN agencies g ON g.code = a.agency), '[]'))
	  INTO doc;
	INSERT INTO audit_log (action, object_type) VALUES ('view', 'dashboard');
	RETURN doc;
END
$$;

--
-- 2. The pages' per-call functions as PL/pgSQL (see the top): the same
--    text as their migrations', plans kept for the session.
--

-- sql/022_coordination.sql: one sitting as the coordinator follows it
-- (the dashboard's sittings, GET /v1/sittings/{id}).
CREATE OR REPLACE FUNCTION coord_sitting_json(s sittings, today date, at timestamptz)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN (SELECT jsonb_build_object('id', s.id, 'forum', s.forum, 'area', s.area,
	    'date', to_char(s.date, 'YYYY-MM-DD'), 'status', s.status, 'venue', s.venue,
	    'held', s.date < today,
	    'cutoff', calendar_rfc3339(s.cutoff_at),
	    'cutoff_seconds_left', greatest(0, floor(extract(epoch FROM s.cutoff_at - at)))::bigint,
	    'cases', c.n,
	    'research', jsonb_build_object('due', to_char(s.research_due, 'YYYY-MM-DD'),
	        'invited', coalesce(cardinality(v.invited), 0),
	        'returned', coalesce((SELECT count(*) FROM unnest(v.invited) i(agency)
	            WHERE (SELECT count(*) FROM research_returns x JOIN referrals r
	                ON r.id = x.referral_id AND r.sitting_id = s.id AND r.status = 'listed'
	                WHERE x.sitting_id = s.id AND x.agency = i.agency) >= c.n), 0)),
	    'agenda', CASE WHEN v.version IS NULL THEN jsonb_build_object('state', 'draft')
	        ELSE jsonb_build_object('state', 'issued', 'version', v.version,
	            'issued_at', calendar_rfc3339(v.issued_at), 'cases', v.case_count) END,
	    'drive', CASE WHEN s.forum <> 'marac' THEN jsonb_build_object('state', 'not_applicable')
	        WHEN d.id IS NULL THEN jsonb_build_object('state', 'not_screened')
	        ELSE jsonb_build_object('state', 'screened',
	            'screened_on', to_char(d.screened_on, 'YYYY-MM-DD'),
	            'candidates', (SELECT count(*) FROM drive_results x
	                WHERE x.run_id = d.id AND x.candidate)) END)
	  FROM (SELECT count(*) AS n FROM referrals r
	         WHERE r.sitting_id = s.id AND r.status = 'listed') c
	  LEFT JOIN LATERAL (SELECT a.version, a.invited, a.issued_at, a.case_count
	      FROM agenda_versions a WHERE a.sitting_id = s.id
	      ORDER BY a.version DESC LIMIT 1) v ON true
	  LEFT JOIN drive_runs d ON d.sitting_id = s.id);
END
$$;

-- sql/008_agenda.sql: the DRIVE flag of each case of a sitting, for its
-- agenda (the chair's sitting page reads the draft).
CREATE OR REPLACE FUNCTION agenda_drive_flags(sitting bigint)
RETURNS TABLE (referral_id bigint, flag text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT rid, CASE WHEN bool_or(d.candidate) THEN 'candidate' ELSE 'not_candidate' END
	  FROM drive_results d, unnest(d.referral_ids) AS rid
	 WHERE d.sitting_id = agenda_drive_flags.sitting
	 GROUP BY rid;
END
$$;

-- sql/014_research.sql: the sitting as research sees it (every research
-- read and return asks it first).
CREATE OR REPLACE FUNCTION research_sitting(sid bigint, today date)
RETURNS TABLE (id bigint, forum text, area text, date date, research_due date,
    invited text[], held boolean, issued boolean, agency_view boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT s.id, s.forum, s.area, s.date, s.research_due,
	    coalesce(v.invited, '{}'), s.date < today, v.invited IS NOT NULL,
	    maracd_role() = 'agency'
	  FROM sittings s
	  LEFT JOIN LATERAL (SELECT a.invited FROM agenda_versions a WHERE a.sitting_id = s.id
	      ORDER BY a.version DESC LIMIT 1) v ON true
	 WHERE s.id = sid AND s.status = 'scheduled'
	   AND CASE maracd_role()
	       WHEN 'agency' THEN maracd_agency() = ANY (coalesce(v.invited, '{}'))
	       WHEN 'chair' THEN s.forum = maracd_forum() AND maracd_area_allowed(s.area)
	       ELSE maracd_is_staff() AND maracd_area_allowed(s.area) END;
END
$$;

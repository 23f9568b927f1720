-- The coordinator's views (maracd(8), WEB PAGES: /dashboard, /sittings/{id})
-- as one statement each: the next sitting of every forum and area the
-- caller runs, with its cutoff, cases, research returned, agenda and DRIVE
-- screening; what needs attention; the mail that could not be delivered;
-- overdue actions by agency.  And the
-- coordinator's manual link of a further referral to the same victim's
-- case (POST /v1/referrals/{id}/link), the other way of referral_unlink().
--
-- Every function here but mail_failed_list (the outbox is maracd's own)
-- runs as the caller: row-level security decides which referrals, returns,
-- agendas, screenings and actions it counts, and the sittings are those of
-- the caller's areas.  Counts and references only: no names, no free text.

-- One sitting as the coordinator follows it, on day today at instant at
-- (the clock's): its cutoff and the seconds left to it, the cases listed,
-- the information deadline and how many invited agencies have returned on
-- every case, the agenda (draft until a version is issued) and the DRIVE
-- PL/pgSQL for its plan: the dashboard calls it once a sitting (see
-- agenda_drive_flags, 008_agenda.sql).
-- screening (MARAC only).
CREATE FUNCTION coord_sitting_json(s sittings, today date, at timestamptz)
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

-- Referrals flagged for review (docs/domain.md, Review and warnings) are
-- on the dashboard for 30 days after they are received, while still to
-- be heard (or below threshold, which a transfer may change).
CREATE INDEX referrals_review ON referrals (received_date) WHERE review;

-- The messages the sender gave up on (005_outbox.sql: status 'failed'),
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

-- The dashboard: for each forum and area of the caller's (asked once, not
-- once per sitting), its next sittings: those still to be held (today's
-- included) up to the first whose cutoff has not passed, the one taking
-- referrals; the needs-attention list (attention_list(), audited there,
-- and the referrals flagged for review received in the last 30 days that
-- are still to be heard); the mail that could not be delivered
-- (mail_failed_list(), the newest 20); and, per agency, its outstanding
-- actions overdue (red) or due within 7 days (amber), as core/action.c
-- rates them.  One audit row for the view.
CREATE FUNCTION coord_dashboard(today date, at timestamptz)
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

-- One sitting for its coordinator: coord_sitting_json(), its cases
-- (reference, referring agency, risk, flags) and, per invited agency, how
-- many cases it has returned on.  NULL: not a sitting of the caller's
-- areas.  One audit row for the sitting's cases read.
CREATE FUNCTION coord_sitting_overview(sid bigint, today date, at timestamptz)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s sittings;
	invited text[];
	doc jsonb;
BEGIN
	SELECT * INTO s FROM sittings x WHERE x.id = sid;
	IF NOT FOUND OR NOT maracd_is_staff() OR NOT maracd_area_allowed(s.area) THEN
		RETURN NULL;
	END IF;
	SELECT a.invited INTO invited FROM agenda_versions a WHERE a.sitting_id = sid
	 ORDER BY a.version DESC LIMIT 1;
	doc := coord_sitting_json(s, today, at) || jsonb_build_object(
	    'research_due', to_char(s.research_due, 'YYYY-MM-DD'),
	    'case_list', coalesce((SELECT jsonb_agg(jsonb_build_object('id', r.id,
	        'reference', r.reference, 'referring_agency', r.referring_agency,
	        'risk_level', r.risk_level, 'urgent', r.urgent, 'repeat', r.repeat,
	        'received_date', to_char(r.received_date, 'YYYY-MM-DD'),
	        'linked', (SELECT count(*) FROM referrals l WHERE l.linked_to = r.id))
	        ORDER BY r.received_at, r.id)
	      FROM referrals r WHERE r.sitting_id = sid AND r.status = 'listed'), '[]'),
	    'returns', coalesce((SELECT jsonb_agg(jsonb_build_object('agency', i.agency,
	        'returned', (SELECT count(*) FROM research_returns x JOIN referrals r
	            ON r.id = x.referral_id AND r.sitting_id = sid AND r.status = 'listed'
	            WHERE x.sitting_id = sid AND x.agency = i.agency)) ORDER BY i.agency)
	      FROM unnest(invited) i(agency)), '[]'));
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('overview', 'sitting', sid::text);
	RETURN doc;
END
$$;

-- A coordinator says referral rid is a further referral of the victim of
-- case target (by id, or by reference: target_ref) (the match the intake did not make: a misspelt name, say):
-- it is heard as part of that case, as referral_create() links one.  The
-- answer is the referral's, or {"refused": why}: no_referral, no_case
-- (target not found), same (itself), not_open (rid is not listed or
-- waiting, or is linked already), has_linked (others are linked to rid:
-- unlink them first), case_not_open (target is not a case still to be
-- heard: listed at a sitting to come, or waiting), other_forum (not the
-- same forum and area).
CREATE FUNCTION referral_link(rid bigint, target bigint, target_ref text, today date)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	c referrals;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('refused', 'no_referral');
	END IF;
	SELECT * INTO c FROM referrals WHERE id = target OR reference = target_ref FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('refused', 'no_case');
	END IF;
	IF rid = c.id THEN
		RETURN jsonb_build_object('refused', 'same');
	END IF;
	IF r.status NOT IN ('listed', 'waiting') THEN
		RETURN jsonb_build_object('refused', 'not_open');
	END IF;
	IF EXISTS (SELECT 1 FROM referrals l WHERE l.linked_to = rid) THEN
		RETURN jsonb_build_object('refused', 'has_linked');
	END IF;
	IF c.status NOT IN ('listed', 'waiting') OR EXISTS (SELECT 1 FROM sittings s
	    WHERE s.id = c.sitting_id AND (s.status <> 'scheduled' OR s.date < today)) THEN
		RETURN jsonb_build_object('refused', 'case_not_open');
	END IF;
	IF c.forum IS DISTINCT FROM r.forum OR c.area <> r.area THEN
		RETURN jsonb_build_object('refused', 'other_forum');
	END IF;
	UPDATE referrals SET linked_to = c.id, sitting_id = NULL, status = 'linked'
	 WHERE id = rid RETURNING * INTO r;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('link', 'referral', rid::text || '>' || c.id::text);
	RETURN referral_decision_json(r);
END
$$;

REVOKE ALL ON FUNCTION coord_sitting_json(sittings, date, timestamptz),
    mail_failed_list(integer), coord_dashboard(date, timestamptz), coord_sitting_overview(bigint, date, timestamptz),
    referral_link(bigint, bigint, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION coord_sitting_json(sittings, date, timestamptz),
    mail_failed_list(integer), coord_dashboard(date, timestamptz), coord_sitting_overview(bigint, date, timestamptz),
    referral_link(bigint, bigint, text, date) TO maracd_app;

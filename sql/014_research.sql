-- Agencies' research before a sitting (docs/domain.md, Research): each
-- agency the agenda was circulated to records, per case, what its records
-- hold (a free-text return, or "nothing known"), by the information
-- deadline the coordinator sets on the sitting (sittings.research_due).
--
-- Who sees what:
--   - an invited agency (in the latest issued agenda version's invited
--     list) gets, until the sitting has been held, the identities of the
--     sitting's cases, which it needs to search its own records: names,
--     dates of birth and postcodes of victim, perpetrator and children.
--     That is what a MARAC's research list has always carried; each
--     case's read is audited.  It sees and writes its own returns only.
--   - coordinators of the area and chairs of the forum see every return
--     and who has not returned; they write none.

CREATE TABLE research_returns (
	sitting_id	bigint NOT NULL REFERENCES sittings(id),
	referral_id	bigint NOT NULL REFERENCES referrals(id),
	agency		text NOT NULL REFERENCES agencies(code),
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	area		text NOT NULL,
	nothing_known	boolean NOT NULL,
	text		text CHECK (length(text) BETWEEN 1 AND 20000),
	returned_at	timestamptz NOT NULL DEFAULT now(),
	-- The person (users.id) or token (api_tokens.id) that returned it.
	returned_by_user bigint,
	returned_by_token bigint,
	CHECK (nothing_known = (text IS NULL)),
	PRIMARY KEY (sitting_id, referral_id, agency)
);
CREATE INDEX research_returns_referral ON research_returns (referral_id);

ALTER TABLE research_returns ENABLE ROW LEVEL SECURITY;
ALTER TABLE research_returns FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('research_returns', 'forum', 'area', 'SELECT', 'SELECT');
CREATE POLICY research_returns_agency ON research_returns
	USING (agency = (SELECT maracd_agency()))
	WITH CHECK (agency = (SELECT maracd_agency()));
GRANT SELECT, INSERT, UPDATE ON research_returns TO maracd_app;

-- The sitting as research sees it, for any caller that may: its latest
-- issued agenda's invited agencies, whether it has been held by today,
-- and whether the caller is one of the invited (an agency) or runs it
-- PL/pgSQL for its plan: every research read and return asks it first
-- (see agenda_drive_flags, 008_agenda.sql).
-- (staff of the area, the forum's chair).  No row: not the caller's.
CREATE FUNCTION research_sitting(sid bigint, today date)
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

-- The research list of a sitting: its cases (listed there now), of case
-- rid only when rid is not NULL (the chair's page of one case, GET
-- .../research?referral=; a case not listed at the sitting gives no
-- cases), with their people, and the returns the caller may see, as one
-- JSON document.  An invited agency gets the people only before the
-- sitting is held, and its own returns; staff and the chair get every
-- return, the invited agencies and, per case, who has not returned.  Every
-- case read is audited.  NULL: no such sitting for this caller.
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

-- An invited agency's return for one case of a sitting not yet held:
-- nothing_known, or the text of what its records hold (replacing an
-- earlier return).  'returned' or, refused: 'no_sitting' (not the
-- caller's, or not an agency), 'held', 'no_case' (not listed there).
CREATE FUNCTION research_return(sid bigint, rid bigint, nothing_known boolean, txt text,
    today date) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s record;
	c maracd_caller_t := maracd_caller();
BEGIN
	SELECT * INTO s FROM research_sitting(sid, today);
	IF NOT FOUND OR NOT s.agency_view THEN
		RETURN 'no_sitting';
	END IF;
	IF s.held THEN
		RETURN 'held';
	END IF;
	PERFORM 1 FROM referrals r WHERE r.id = rid AND r.sitting_id = sid AND r.status = 'listed';
	IF NOT FOUND THEN
		RETURN 'no_case';
	END IF;
	INSERT INTO research_returns AS x (sitting_id, referral_id, agency, forum, area,
	    nothing_known, text, returned_by_user, returned_by_token)
	VALUES (sid, rid, c.agency, s.forum, s.area, research_return.nothing_known,
	    CASE WHEN research_return.nothing_known THEN NULL ELSE txt END, c.user_id, c.token_id)
	ON CONFLICT (sitting_id, referral_id, agency) DO UPDATE
	   SET nothing_known = EXCLUDED.nothing_known, text = EXCLUDED.text,
	       returned_at = now(), returned_by_user = EXCLUDED.returned_by_user,
	       returned_by_token = EXCLUDED.returned_by_token;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('research_return', 'referral', rid::text);
	RETURN 'returned';
END
$$;

-- The coordinator sets (or clears) a sitting's information deadline: on
-- or before the sitting's date.  'set', or 'no_sitting', 'after_sitting'.
CREATE FUNCTION research_set_due(sid bigint, due date) RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp
AS $$
DECLARE
	d date;
BEGIN
	SELECT s.date INTO d FROM sittings s WHERE s.id = sid
	   AND maracd_is_staff() AND maracd_area_allowed(s.area) FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'no_sitting';
	END IF;
	IF due > d THEN
		RETURN 'after_sitting';
	END IF;
	UPDATE sittings SET research_due = due, updated_at = now() WHERE id = sid;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('research_due', 'sitting', sid::text);
	RETURN 'set';
END
$$;

REVOKE ALL ON FUNCTION research_sitting(bigint, date), research_list(bigint, date, bigint),
    research_return(bigint, bigint, boolean, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION research_sitting(bigint, date), research_list(bigint, date, bigint),
    research_return(bigint, bigint, boolean, text, date), research_set_due(bigint, date)
    TO maracd_app;

-- The caller's sittings with research open, for the agencies' /research
-- page, and the reminder each invited agency that has not returned gets
-- before the information deadline ([reminders] research_workdays working
-- days before it; maracd's "research_reminders" job).
--
-- Neither carries identities.  The overview is counts per sitting; the
-- reminder names the sitting (forum, date, deadline) and the references
-- of the cases still owing, with a link: each reference read for a
-- reminder is audited ('remind', as the action reminders of
-- sql/010_reminders.sql are).

-- The job reads every agency's returns to find who owes one (its caller,
-- the job token, is no agency and no staff).  Read-only, for the schema
-- owner that runs the SECURITY DEFINER functions, as actions_owner_read
-- is (sql/006_decisions_actions.sql); every other role keeps the policies
-- above.
CREATE POLICY research_returns_owner_read ON research_returns FOR SELECT
	TO CURRENT_USER USING (true);

-- The sittings not yet held (date on or after today) whose research the
-- caller takes part in (research_sitting decides: an invited agency, the
-- area's staff, the forum's chair), soonest first, with the information
-- deadline and counts: cases listed, returns expected (for an agency, one
-- a case; for staff, one a case per invited agency) and made.  No case
-- data, so no audit row per case: one for the list.
CREATE FUNCTION research_overview(today date) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	mine text := CASE WHEN maracd_role() = 'agency' THEN maracd_agency() END;
	doc jsonb;
BEGIN
	SELECT coalesce(jsonb_agg(jsonb_build_object(
	    'sitting', jsonb_build_object('id', rs.id, 'forum', rs.forum, 'area', rs.area,
	        'date', to_char(rs.date, 'YYYY-MM-DD')),
	    'due', to_char(rs.research_due, 'YYYY-MM-DD'),
	    'overdue', rs.research_due IS NOT NULL AND rs.research_due < today,
	    'cases', c.cases,
	    'expected', c.cases * CASE WHEN mine IS NULL THEN cardinality(rs.invited) ELSE 1 END,
	    'returned', c.returned)
	    ORDER BY rs.date, rs.id), '[]')
	  INTO doc
	  FROM sittings s
	  CROSS JOIN LATERAL research_sitting(s.id, today) rs
	  CROSS JOIN LATERAL (
		SELECT count(*) AS cases,
		    coalesce(sum((SELECT count(*) FROM research_returns x
		       WHERE x.sitting_id = s.id AND x.referral_id = r.id
		         AND x.agency = ANY (rs.invited)
		         AND (mine IS NULL OR x.agency = mine))), 0) AS returned
		  FROM referrals r WHERE r.sitting_id = s.id AND r.status = 'listed') c
	 WHERE s.status = 'scheduled' AND s.date >= today AND rs.issued;
	INSERT INTO audit_log (action, object_type) VALUES ('list', 'research');
	RETURN jsonb_build_object('sittings', doc);
END
$$;

-- The research reminders due to be enqueued: for each sitting not yet
-- held whose deadline is today or later but no later than last_due (the
-- job works out, in working days, which deadlines are near enough), each
-- invited agency with a usable reminder address that owes a return on at
-- least one listed case and has had no reminder for this deadline
-- (outbox key research:<sitting>:<agency>:<deadline>).  A deadline moved
-- later gives a new reminder; the same one never goes twice.  Only the
-- job (and maracctl as the owner) gets rows.
CREATE FUNCTION research_reminder_rows(today date, last_due date)
RETURNS TABLE (sitting_id bigint, forum text, sitting_date text, due text,
    agency text, agency_name text, email text, cases bigint, refs text[])
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	WITH g AS MATERIALIZED (
		SELECT * FROM reminder_agencies()
	), owing AS (
		SELECT s.id, s.forum, s.date, s.research_due, g.code, g.name, g.reminder_email,
		    r.id AS referral_id, r.reference,
		    count(*) OVER (PARTITION BY s.id, g.code) AS cases
		  FROM sittings s
		  JOIN LATERAL (SELECT v.invited FROM agenda_versions v WHERE v.sitting_id = s.id
		      ORDER BY v.version DESC LIMIT 1) v ON true
		  JOIN g ON g.code = ANY (v.invited)
		  JOIN referrals r ON r.sitting_id = s.id AND r.status = 'listed'
		 WHERE s.status = 'scheduled' AND s.date >= today
		   AND s.research_due BETWEEN today AND last_due
		   AND NOT EXISTS (SELECT 1 FROM research_returns x WHERE x.sitting_id = s.id
		       AND x.referral_id = r.id AND x.agency = g.code)
		   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'research:' || s.id || ':'
		       || g.code || ':' || to_char(s.research_due, 'YYYY-MM-DD'))
	), audited AS (
		INSERT INTO audit_log (action, object_type, object_id)
		SELECT DISTINCT 'remind', 'referral', owing.referral_id::text FROM owing
	)
	SELECT o.id, o.forum, to_char(o.date, 'YYYY-MM-DD'), to_char(o.research_due, 'YYYY-MM-DD'),
	    o.code, o.name, o.reminder_email, max(o.cases),
	    array_agg(o.reference ORDER BY o.referral_id)
	  FROM owing o
	 GROUP BY o.id, o.forum, o.date, o.research_due, o.code, o.name, o.reminder_email
	 ORDER BY o.id, o.code
$$;

REVOKE ALL ON FUNCTION research_overview(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION research_reminder_rows(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION research_overview(date) TO maracd_app;
GRANT EXECUTE ON FUNCTION research_reminder_rows(date, date) TO maracd_app;

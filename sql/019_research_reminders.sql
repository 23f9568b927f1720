-- Research returns, continued (sql/014_research.sql): the caller's
-- sittings with research open, for the agencies' /research page, and the
-- reminder each invited agency that has not returned gets before the
-- information deadline ([reminders] research_workdays working days
-- before it; maracd's "research_reminders" job).
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
-- of 014.
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

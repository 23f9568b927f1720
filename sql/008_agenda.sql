-- Agendas (docs/domain.md, Agendas): the issued versions of each sitting's
-- agenda, and the one query that fetches what an agenda is built from.
--
-- The agenda itself (grouping, ordering, minimisation, the canonical JSON,
-- the diff between versions) is built in C (daemon/core/agenda.c); maracd
-- (daemon/shell/api_agenda.c) and maracctl (tools/maracctl/ctl_agenda.c)
-- both fetch its rows with agenda_rows() and store a version with
-- agenda_issue(), so that they build and issue it the same way.
--
-- Who may read what:
--   admin	every sitting's drafts and versions, and issues them;
--   chair	drafts and versions of the chair's forum;
--   agency	the issued versions it was invited to (the agenda is
--		circulated to those agencies anyway), never a draft: a
--		draft is work in progress, and under the referrals' own
--		policies an agency could only ever see its own cases in it.

-- One row per issued version; rows are never changed.  content is the
-- canonical JSON exactly as agenda_to_json printed it (text, not jsonb:
-- jsonb would reorder its keys); its SHA-256 lets anyone check a copy.
CREATE TABLE agenda_versions (
	sitting_id	bigint NOT NULL REFERENCES sittings(id),
	version		integer NOT NULL CHECK (version >= 1),
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	content		text NOT NULL CHECK (content::jsonb IS NOT NULL),
	content_sha256	text NOT NULL,
	case_count	integer NOT NULL CHECK (case_count >= 0),
	-- {"counts": {"added", "removed", "changed"}, "added": [references], ...}
	-- against version - 1 (every case is "added" in version 1).
	diff		jsonb NOT NULL,
	-- Referring agencies of the cases on this version.
	agencies	text[] NOT NULL DEFAULT '{}',
	-- Whom it was circulated to: the forum's core agencies, the referring
	-- agencies of this version and of the one before (a case taken off
	-- the agenda is news to its agency); mailed: those with an address.
	invited		text[] NOT NULL DEFAULT '{}',
	mailed		text[] NOT NULL DEFAULT '{}',
	issued_at	timestamptz NOT NULL DEFAULT now(),
	issued_by	bigint,		-- api_tokens.id; NULL from maracctl
	issued_via	text NOT NULL,	-- 'token:ID' or the maracd.system setting
	PRIMARY KEY (sitting_id, version)
);

GRANT SELECT, INSERT ON agenda_versions TO maracd_app;

ALTER TABLE agenda_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE agenda_versions FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('agenda_versions', 'forum', '(SELECT s.area FROM public.sittings s WHERE s.id = sitting_id)', 'ALL', 'SELECT');
CREATE POLICY agenda_versions_agency ON agenda_versions FOR SELECT
	USING ((SELECT maracd_role()) = 'agency' AND (SELECT maracd_agency()) = ANY (invited));
-- maracctl agenda connects as the schema owner (see referrals_owner,
-- 004_referrals.sql).
CREATE POLICY agenda_versions_owner ON agenda_versions TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- The DRIVE candidate flag of each case of a sitting's agenda: 'candidate'
-- or 'not_candidate' for each case whose perpetrator was screened
-- (007_drive.sql), nothing (shown "not screened") for the rest: the one
-- place the agenda learns it.  SECURITY DEFINER because the flag is on
-- the issued agenda every invited agency reads, while drive_results
-- itself stays the chair's and coordinators'.
--
-- PL/pgSQL rather than SQL, for its plan (issue 21, bench/pages): a SQL
-- function that is never inlined (a SET clause, SECURITY DEFINER, or a
-- set returned) is planned again at every statement that calls it, as
-- PostgreSQL keeps a SQL function's plan for one statement only and a
-- PL/pgSQL function's for the session.  On bench/pages' stack (a county's
-- year, load average about 20) the failed mail's query took 16 ms at best
-- as SQL and 0.2 ms as PL/pgSQL, planning being nearly all of it; so the
-- functions on the dashboard's and the chair's sitting page's paths are
-- PL/pgSQL: this one, research_sitting (014_research.sql),
-- coord_sitting_json and mail_failed_list (022_coordination.sql).
CREATE FUNCTION agenda_drive_flags(sitting bigint)
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
REVOKE ALL ON FUNCTION agenda_drive_flags(bigint) FROM PUBLIC;

-- The sitting an agenda is for, as the caller may see it (nothing for a
-- chair of the other forum), with the latest version the caller may see,
-- whether the sitting has been held, and the instant at (maracd's clock,
-- never now(): daemon/clock.h) in UTC (the issue time).  With lock, the
-- sitting's row is locked until the end of the transaction, so that two
-- issues of one sitting take turns.
CREATE FUNCTION agenda_sitting(sid bigint, lock boolean, at timestamptz)
RETURNS TABLE (id bigint, forum text, area text, date text, cutoff_date text,
    venue text, status text, held boolean, latest integer, now_utc text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	IF lock THEN
		PERFORM 1 FROM sittings s WHERE s.id = sid FOR UPDATE;
	END IF;
	RETURN QUERY
	SELECT s.id, s.forum, s.area, to_char(s.date, 'YYYY-MM-DD'),
	    to_char(s.cutoff_date, 'YYYY-MM-DD'), s.venue, s.status,
	    s.date < (at AT TIME ZONE current_setting('TimeZone'))::date,
	    (SELECT max(v.version) FROM agenda_versions v WHERE v.sitting_id = s.id),
	    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
	  FROM sittings s
	 WHERE s.id = sid
	   AND maracd_area_allowed(s.area)
	   AND ((SELECT maracd_role()) IS DISTINCT FROM 'chair'
	        OR s.forum = (SELECT maracd_forum()));
END
$$;

-- What an agenda is built from: every case listed at the sitting, with the
-- fields core/agenda.h's struct agenda_row takes, in referral id order (the
-- core orders the agenda).  Security invoker: the referrals' row-level
-- security decides which cases the caller gets, so only callers who see
-- the forum's every case (admin, the forum's chair, the schema owner) are
-- given a draft.  Children are those living in the household (resident not
-- false).  Names and the date of birth leave the database here only to be
-- turned into initials and an age, unless [agenda] full_names is set.
--
-- PL/pgSQL, not SQL: a SQL function with a SET clause is planned again at
-- every call, and planning this costs about as much as running it.  The
-- people of all the cases are read in one pass (victim, perpetrator and
-- children together) rather than three probes per case, each of which
-- would apply referral_people's policy again.
CREATE FUNCTION agenda_rows(sid bigint)
RETURNS TABLE (referral_id bigint, reference text, agency text, agency_name text,
    officer text, victim_name text, victim_dob text, perpetrator_name text,
    children integer, risk text, bases text, repeat boolean, urgent boolean,
    drive text, received bigint, linked_to bigint)
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN QUERY
	WITH listed AS (
		-- The sitting's forum read once, not joined: in the generic
		-- plan PL/pgSQL settles on, the join scanned sittings again
		-- for every case (half the statement's time, bench/pages).
		SELECT r.* FROM referrals r
		 WHERE r.sitting_id = sid AND r.status = 'listed'
		   AND r.forum = (SELECT s.forum FROM sittings s WHERE s.id = sid)
	), cases AS (
		-- The referrals linked to a listed case come too: the core makes
		-- one entry of each case and its linked referrals.
		SELECT * FROM listed
		UNION ALL
		SELECT r.* FROM referrals r
		 WHERE r.status = 'linked' AND r.linked_to IN (SELECT l.id FROM listed l)
	), people AS (
		SELECT p.referral_id,
		    max(p.name) FILTER (WHERE p.role = 'victim' AND p.ordinal = 0) AS victim,
		    max(to_char(p.dob, 'YYYY-MM-DD'))
		        FILTER (WHERE p.role = 'victim' AND p.ordinal = 0) AS dob,
		    max(p.name) FILTER (WHERE p.role = 'perpetrator' AND p.ordinal = 0)
		        AS perpetrator,
		    count(*) FILTER (WHERE p.role = 'child' AND p.resident IS NOT FALSE)
		        AS children
		  FROM referral_people p WHERE p.referral_id IN (SELECT c.id FROM cases c)
		 GROUP BY p.referral_id
	)
	SELECT c.id, c.reference, c.referring_agency, a.name, c.referrer_name,
	    coalesce(pp.victim, ''), pp.dob, pp.perpetrator,
	    coalesce(pp.children, 0)::integer,
	    c.risk_level, array_to_string(c.risk_bases, ','), c.repeat, c.urgent,
	    coalesce(d.flag, 'not_screened'),
	    extract(epoch FROM date_trunc('second', c.received_at))::bigint,
	    c.linked_to
	  FROM cases c
	  JOIN agencies a ON a.code = c.referring_agency
	  LEFT JOIN people pp ON pp.referral_id = c.id
	  LEFT JOIN agenda_drive_flags(sid) d ON d.referral_id = c.id
	 ORDER BY c.id;
END
$$;

-- One issued version as the caller may see it: the latest when v is NULL.
-- Audited when something was read.
CREATE FUNCTION agenda_version_get(sid bigint, v integer)
RETURNS TABLE (version integer, content text, diff text, issued_at text,
    issued_via text, content_sha256 text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r agenda_versions;
BEGIN
	SELECT * INTO r FROM agenda_versions a
	 WHERE a.sitting_id = sid AND (v IS NULL OR a.version = v)
	 ORDER BY a.version DESC LIMIT 1;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('read', 'agenda', sid || ':' || r.version);
	RETURN QUERY SELECT r.version, r.content, r.diff::text,
	    to_char(r.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	    r.issued_via, r.content_sha256;
END
$$;

-- Freeze version v of a sitting's agenda (content: its canonical JSON; d:
-- the diff against v - 1, both made by the core) and enqueue its
-- circulation, one message per invited agency with an address, in the
-- caller's transaction.  The version must be the next one: a concurrent
-- issue that got in first makes this fail on the primary key (or, with
-- agenda_sitting(sid, true) first, never happens).  attachments:
-- [{"filename", "content_type", "content"}], the content as text.  Returns the invited
-- agencies and those of them that were mailed.  at: the issue time, the
-- one the content states (agenda_sitting's now_utc).
CREATE FUNCTION agenda_issue(sid bigint, v integer, content text, d jsonb,
    subject text, body_text text, body_html text, attachments jsonb,
    at timestamptz, OUT invited text[], OUT mailed text[])
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	f text;
	doc jsonb := content::jsonb;
	refs text[];
	prev text[];
	a record;
	att jsonb;
BEGIN
	-- The attachments come as text ({"filename", "content_type",
	-- "content"}); the outbox keeps them base64-encoded.
	SELECT coalesce(jsonb_agg(jsonb_build_object('filename', x->>'filename',
	    'content_type', x->>'content_type', 'content_base64',
	    encode(convert_to(x->>'content', 'UTF8'), 'base64'))), '[]')
	  INTO att FROM jsonb_array_elements(coalesce(attachments, '[]')) x;
	SELECT s.forum INTO f FROM sittings s WHERE s.id = sid;
	-- The agencies of the cases and of the referrals linked to them: each
	-- referred a case on this version.
	SELECT coalesce(array_agg(DISTINCT x.agency), '{}') INTO refs FROM (
	    SELECT g->>'agency' AS agency FROM jsonb_array_elements(doc->'groups') g
	    UNION
	    SELECT l->>'agency' FROM jsonb_array_elements(doc->'groups') g,
	        jsonb_array_elements(g->'cases') c,
	        jsonb_array_elements(coalesce(c->'linked', '[]')) l) x;
	SELECT coalesce(p.agencies, '{}') INTO prev FROM agenda_versions p
	 WHERE p.sitting_id = sid AND p.version = v - 1;
	invited := ARRAY(SELECT x FROM (
	    SELECT c.agency AS x FROM forum_core_agencies c WHERE c.forum = f
	    UNION SELECT unnest(refs) UNION SELECT unnest(coalesce(prev, '{}'))) u
	    ORDER BY x);
	mailed := '{}';
	FOR a IN SELECT ag.code, ag.reminder_email FROM agencies ag
	    WHERE ag.code = ANY (invited) AND ag.reminder_email IS NOT NULL
	      AND outbox_addresses_ok(ARRAY[ag.reminder_email])
	    ORDER BY ag.code
	LOOP
		PERFORM outbox_enqueue('agenda:' || sid || ':v' || v || ':' || a.code,
		    'agenda', ARRAY[a.reminder_email], subject, body_text, body_html, att);
		mailed := mailed || a.code;
	END LOOP;
	INSERT INTO agenda_versions (sitting_id, version, forum, content, content_sha256,
	    case_count, diff, agencies, invited, mailed, issued_at, issued_by, issued_via)
	VALUES (sid, v, f, content, encode(sha256(convert_to(content, 'UTF8')), 'hex'),
	    (doc->>'case_count')::integer, d, refs, invited, mailed, at,
	    nullif(current_setting('maracd.token_id', true), '')::bigint,
	    coalesce('token:' || nullif(current_setting('maracd.token_id', true), ''),
	        nullif(current_setting('maracd.system', true), ''), current_user));
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('issue', 'agenda', sid || ':' || v);
END
$$;

GRANT EXECUTE ON FUNCTION agenda_drive_flags(bigint), agenda_sitting(bigint, boolean, timestamptz),
	agenda_rows(bigint), agenda_version_get(bigint, integer),
	agenda_issue(bigint, integer, text, jsonb, text, text, text, jsonb, timestamptz) TO maracd_app;

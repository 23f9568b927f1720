-- Decision records: what a sitting (or a case across its sittings)
-- decided, gathered for export, and the log of every export with the
-- SHA-256 of the record's canonical JSON (docs/domain.md, Records).
--
-- The gathering runs as the caller, so row-level security decides what a
-- record holds; core/record.c turns the source into the record's canonical
-- form (fixed key and array order), which is what is hashed.  Nothing here
-- reads a victim's or perpetrator's name, date of birth or address: a case
-- is named by its reference.  Instants are written in UTC so that the same
-- rows give the same bytes whatever the session's time zone (maracd and
-- maracctl may be configured differently).
--
-- Speed: a record is gathered in one statement per sitting, set-based
-- (each table scanned once for all the sitting's cases), not with a
-- function per case and per action: row-level security puts a lookup of
-- the caller's token into every query that reads a case table, once per
-- execution, and per-row helper functions ran it thousands of times (a
-- sitting of 40 cases took most of a second).  The parts are MATERIALIZED
-- so that each is computed once: with a freshly filled table's statistics
-- the planner would otherwise put an aggregate on the inner side of a
-- nested loop and run it once per case.
-- record_instant is inlined (a plain SQL expression, no SET clause).
-- STABLE, as to_char is: an IMMUTABLE wrapper of it would not be inlined.
CREATE FUNCTION record_instant(t timestamptz) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

-- The schema owner (maracctl) reads records too; it has no token.
CREATE FUNCTION record_caller_is_owner() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT pg_has_role(current_user, (SELECT relowner FROM pg_class
	    WHERE oid = 'public.sittings'::regclass), 'MEMBER')
$$;

-- May the caller see the records of a forum?  Chairs their own forum,
-- coordinators and the owner every forum, agencies none.
CREATE FUNCTION record_forum_visible(f text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT CASE (SELECT maracd_role())
	    WHEN 'admin' THEN true
	    WHEN 'coordinator' THEN true
	    WHEN 'chair' THEN f = (SELECT maracd_forum())
	    WHEN 'agency' THEN false
	    ELSE record_caller_is_owner() END
$$;

-- maracctl reads records as the owner: its read policies on the minutes,
-- decisions and actions are with their tables (006_decisions_actions.sql).

-- One sitting of a record: the sitting, its minutes, the cases heard
-- there (only rid's when rid is given) with the referral's facts a record
-- needs, each one's decision there with every signed version (the first
-- sign-off and each amendment with its reason and the words it signed),
-- the actions that sitting gave with every change to them, and the
-- reviews of earlier actions made there (only of rid's actions when
-- given).  A case is heard at a sitting when it is listed there, or was
-- decided or given actions there (a case back for review is listed at a
-- later sitting but decided at each); an action stored without a sitting
-- belongs to the sitting its referral is listed at.  The changer of an
-- action is named by role, agency and token id, never by name.
--
-- Made of three parts, so that the records of many cases can share each
-- sitting's (record_sitting_case_sources): the sitting itself
-- (record_sitting_head), one item per case (record_sitting_cases) and
-- one per review (record_sitting_reviews), the last two for the cases
-- rids only (all when NULL).  record_sitting_json puts them together;
-- every record is made of these, so each case's record is the same
-- whichever way it was gathered.
CREATE FUNCTION record_sitting_head(s sittings) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH minutes AS MATERIALIZED (
		SELECT m.* FROM sitting_minutes m WHERE m.sitting_id = s.id
	)
	SELECT jsonb_build_object('id', s.id, 'date', to_char(s.date, 'YYYY-MM-DD'),
	    'status', s.status,
	    'venue', coalesce((SELECT venue FROM minutes), s.venue),
	    'minutes', (SELECT jsonb_build_object('chair', m.chair,
	        'attendees', m.attendees, 'observers', m.observers,
	        'apologies', m.apologies,
	        'confidentiality_statement', m.confidentiality_statement,
	        'updated_at', record_instant(m.updated_at)) FROM minutes m))
$$;

-- A MASC decision carries its outcomes (decision_masc_outcomes, sql/006;
-- null when none are recorded); a MARAC one has no such member.
CREATE FUNCTION record_sitting_cases(s sittings, rids bigint[])
RETURNS TABLE (referral_id bigint, item jsonb)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH heard AS MATERIALIZED (
		SELECT r.* FROM referrals r
		 WHERE r.forum = s.forum AND (rids IS NULL OR r.id = ANY (rids))
		   AND r.id IN (SELECT x.id FROM referrals x WHERE x.sitting_id = s.id
		       UNION SELECT d.referral_id FROM decisions d WHERE d.sitting_id = s.id
		       UNION SELECT a.referral_id FROM actions a WHERE a.sitting_id = s.id)
	), acts AS MATERIALIZED (
		SELECT a.* FROM actions a JOIN heard r ON r.id = a.referral_id
		 WHERE coalesce(a.sitting_id, r.sitting_id) = s.id
	), hist AS MATERIALIZED (
		SELECT h.action_id, jsonb_agg(jsonb_build_object('id', h.id,
		    'at', record_instant(h.at), 'role', h.role, 'agency', h.agency,
		    'token_id', h.token_id, 'field', h.field, 'from', h.from_value,
		    'to', h.to_value, 'note', h.note) ORDER BY h.id) AS history
		  FROM action_history h WHERE h.action_id IN (SELECT id FROM acts)
		 GROUP BY h.action_id
	), case_acts AS MATERIALIZED (
		SELECT a.referral_id, jsonb_agg(jsonb_build_object('id', a.id,
		    'agency', a.agency, 'area', a.area, 'description', a.description,
		    'due', to_char(a.due, 'YYYY-MM-DD'), 'status', a.status,
		    'created_at', record_instant(a.created_at),
		    'history', coalesce(h.history, '[]')) ORDER BY a.id) AS actions
		  FROM acts a LEFT JOIN hist h ON h.action_id = a.id
		 GROUP BY a.referral_id
	), decided AS MATERIALIZED (
		SELECT d.* FROM decisions d
		 WHERE d.sitting_id = s.id AND d.referral_id IN (SELECT id FROM heard)
	), vers AS MATERIALIZED (
		SELECT v.decision_id, jsonb_agg(jsonb_build_object('version', v.version,
		    'reason', v.reason, 'at', record_instant(v.at), 'content', v.content)
		    ORDER BY v.version) AS versions
		  FROM decision_versions v JOIN decided d ON d.id = v.decision_id
		 GROUP BY v.decision_id
	), decs AS MATERIALIZED (
		SELECT d.referral_id, jsonb_build_object('id', d.id,
		    'attendees', to_jsonb(d.attendees), 'areas', d.areas,
		    'outcome', d.outcome, 'drive_increases_risk', d.drive_increases_risk,
		    'lawful_basis', to_jsonb(d.lawful_basis), 'version', d.version,
		    'signed_off_at', record_instant(d.signed_off_at),
		    'versions', coalesce(v.versions, '[]'))
		    || CASE WHEN s.forum = 'masc' THEN jsonb_build_object('masc_outcomes',
		        decision_masc_outcomes(d)) ELSE '{}' END AS decision
		  FROM decided d LEFT JOIN vers v ON v.decision_id = d.id
	)
	SELECT r.id, jsonb_build_object(
	    'referral_id', r.id, 'reference', r.reference,
	    'referring_agency', r.referring_agency, 'risk_level', r.risk_level,
	    'risk_bases', to_jsonb(r.risk_bases), 'repeat', r.repeat,
	    'lawful_basis', to_jsonb(r.lawful_basis), 'consent', r.consent,
	    'decision', d.decision, 'actions', coalesce(a.actions, '[]'))
	  FROM heard r LEFT JOIN decs d ON d.referral_id = r.id
	  LEFT JOIN case_acts a ON a.referral_id = r.id
$$;

CREATE FUNCTION record_sitting_reviews(s sittings, rids bigint[])
RETURNS TABLE (referral_id bigint, action_id bigint, item jsonb)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT a.referral_id, a.id, jsonb_build_object('action_id', a.id,
	    'referral_id', a.referral_id, 'reference', a.reference,
	    'agency', a.agency, 'area', a.area, 'description', a.description,
	    'due', to_char(a.due, 'YYYY-MM-DD'), 'status', a.status,
	    'result', v.result, 'note', v.note, 'at', record_instant(v.at))
	  FROM action_reviews v JOIN actions a ON a.id = v.action_id
	 WHERE v.sitting_id = s.id AND (rids IS NULL OR a.referral_id = ANY (rids))
$$;

CREATE FUNCTION record_sitting_json(s sittings, rid bigint) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT record_sitting_head(s) || jsonb_build_object(
	    'cases', coalesce((SELECT jsonb_agg(c.item ORDER BY c.referral_id)
	        FROM record_sitting_cases(s, CASE WHEN rid IS NOT NULL THEN ARRAY[rid] END) c),
	        '[]'),
	    'reviews', coalesce((SELECT jsonb_agg(v.item ORDER BY v.action_id)
	        FROM record_sitting_reviews(s, CASE WHEN rid IS NOT NULL THEN ARRAY[rid] END) v),
	        '[]'))
$$;

-- Every agency with its display name, so that a printed record reads
-- "Probation Service" and still matches its codes.  core/record.c keeps
-- only those the record names (so adding an agency changes no hash);
-- the table is small, and finding the codes in the document here cost
-- more than the rest of the gathering.
CREATE FUNCTION record_agencies() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object('code', code, 'name', name)
	    ORDER BY code), '[]')
	  FROM agencies
$$;

-- Everything the record of one sitting needs, or NULL when the caller may
-- not see it (absent and not yours look the same).  The read is audited.
CREATE FUNCTION record_sitting_source(sid bigint) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s sittings;
	doc jsonb;
BEGIN
	SELECT * INTO s FROM sittings WHERE id = sid;
	IF NOT FOUND OR NOT record_forum_visible(s.forum) THEN
		RETURN NULL;
	END IF;
	doc := jsonb_build_object('kind', 'sitting', 'id', s.id, 'forum', s.forum,
	    'area', s.area, 'sittings', jsonb_build_array(record_sitting_json(s, NULL)));
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('read', 'sitting_record', sid::text);
	RETURN doc || jsonb_build_object('agencies', record_agencies());
END
$$;

-- The records of the cases rids, each as its download has it (without
-- the audit: the callers write it): each sitting that heard the case,
-- decided it, gave it actions or reviewed them, in date order.  Set-wise,
-- so that a sitting's records page is one cheap statement however many
-- cases it heard: each sitting's parts are made once, for all the cases
-- of rids it concerns, and shared out (a function per case read each
-- sitting again for every case: a sitting of 655 cases took over a minute,
-- now a fraction of a second).
-- Runs as the caller; the callers check the forum is visible.
CREATE FUNCTION record_referral_docs(rids bigint[])
RETURNS TABLE (referral_id bigint, source jsonb)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH cases AS MATERIALIZED (
		SELECT r.id, r.forum, r.area, r.sitting_id FROM referrals r
		 WHERE r.id = ANY (rids)
	), pairs AS MATERIALIZED (
		SELECT c.id AS rid, c.sitting_id AS sid FROM cases c
		 WHERE c.sitting_id IS NOT NULL
		UNION SELECT d.referral_id, d.sitting_id FROM decisions d
		 WHERE d.referral_id IN (SELECT id FROM cases)
		UNION SELECT a.referral_id, a.sitting_id FROM actions a
		 WHERE a.referral_id IN (SELECT id FROM cases) AND a.sitting_id IS NOT NULL
		UNION SELECT a.referral_id, v.sitting_id FROM action_reviews v
		  JOIN actions a ON a.id = v.action_id
		 WHERE a.referral_id IN (SELECT id FROM cases)
	), sits AS MATERIALIZED (
		SELECT s AS sitting, s.id, s.date, ARRAY(SELECT p.rid FROM pairs p
		    WHERE p.sid = s.id ORDER BY p.rid) AS rids
		  FROM sittings s WHERE s.id IN (SELECT sid FROM pairs)
	), heads AS MATERIALIZED (
		SELECT x.id, x.date, record_sitting_head(x.sitting) AS head FROM sits x
	), items AS MATERIALIZED (
		SELECT x.id AS sid, c.referral_id AS rid, jsonb_agg(c.item) AS items
		  FROM sits x, LATERAL record_sitting_cases(x.sitting, x.rids) c
		 GROUP BY x.id, c.referral_id
	), reviews AS MATERIALIZED (
		SELECT x.id AS sid, v.referral_id AS rid,
		    jsonb_agg(v.item ORDER BY v.action_id) AS items
		  FROM sits x, LATERAL record_sitting_reviews(x.sitting, x.rids) v
		 GROUP BY x.id, v.referral_id
	), docs AS MATERIALIZED (
		SELECT p.rid, jsonb_agg(h.head || jsonb_build_object(
		    'cases', coalesce(i.items, '[]'), 'reviews', coalesce(v.items, '[]'))
		    ORDER BY h.date, h.id) AS sittings
		  FROM pairs p JOIN heads h ON h.id = p.sid
		  LEFT JOIN items i ON i.sid = p.sid AND i.rid = p.rid
		  LEFT JOIN reviews v ON v.sid = p.sid AND v.rid = p.rid
		 GROUP BY p.rid
	), agencies AS MATERIALIZED (
		SELECT record_agencies() AS list
	)
	SELECT c.id, jsonb_build_object('kind', 'referral', 'id', c.id, 'forum', c.forum,
	    'area', c.area, 'sittings', coalesce(d.sittings, '[]'), 'agencies', g.list)
	  FROM cases c LEFT JOIN docs d ON d.rid = c.id CROSS JOIN agencies g
$$;

-- Everything the record of one case needs (record_referral_docs), or NULL
-- when the caller may not see the case.  The read is audited.
CREATE FUNCTION record_referral_source(rid bigint) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	doc jsonb;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid;
	IF NOT FOUND OR r.forum IS NULL OR NOT record_forum_visible(r.forum) THEN
		RETURN NULL;
	END IF;
	SELECT d.source INTO doc FROM record_referral_docs(ARRAY[rid]) d;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('read', 'referral_record', rid::text);
	RETURN doc;
END
$$;

-- Every export: who, when, of what, in which format, with the hash the
-- record carried.  A chair who shows a record later can be checked
-- against this row.  Who and when come from the transaction's caller, as
-- in audit_log; rows are never changed.
CREATE TABLE record_exports (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	token_id	bigint,
	role		text,
	kind		text NOT NULL CHECK (kind IN ('sitting', 'referral')),
	object_id	bigint NOT NULL,
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	format		text NOT NULL CHECK (format IN ('json', 'html', 'csv', 'pdf')),
	sha256		text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	request_id	text
);
CREATE INDEX record_exports_object ON record_exports (kind, object_id, at);

CREATE FUNCTION record_exports_fill() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	c maracd_caller_t := maracd_caller();
BEGIN
	NEW.at := now();
	NEW.token_id := c.token_id;
	NEW.role := maracd_caller_name(c);
	IF NEW.role IS NULL THEN
		RAISE EXCEPTION 'a record export needs an authenticated caller'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	NEW.request_id := nullif(current_setting('maracd.request_id', true), '');
	RETURN NEW;
END
$$;
CREATE TRIGGER record_exports_fill BEFORE INSERT ON record_exports
	FOR EACH ROW EXECUTE FUNCTION record_exports_fill();
CREATE TRIGGER record_exports_immutable BEFORE UPDATE OR DELETE ON record_exports
	FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();

GRANT SELECT, INSERT ON record_exports TO maracd_app;
ALTER TABLE record_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE record_exports FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('record_exports', 'forum',
    'CASE kind WHEN ''sitting'' THEN (SELECT s.area FROM public.sittings s WHERE s.id = object_id) '
    'ELSE (SELECT r.area FROM public.referrals r WHERE r.id = object_id) END');
CREATE POLICY record_exports_owner ON record_exports TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- Log an export in the caller's transaction: the record_exports row and
-- the audit row.  Returns the export's id.
CREATE FUNCTION record_export(k text, oid bigint, f text, fmt text, sha text)
RETURNS bigint LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	INSERT INTO record_exports (kind, object_id, forum, format, sha256)
	VALUES (k, oid, f, fmt, sha) RETURNING id INTO n;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('export', k || '_record', oid::text);
	RETURN n;
END
$$;

GRANT EXECUTE ON FUNCTION record_instant(timestamptz), record_caller_is_owner(),
    record_forum_visible(text), record_sitting_head(sittings),
    record_sitting_cases(sittings, bigint[]), record_sitting_reviews(sittings, bigint[]),
    record_sitting_json(sittings, bigint), record_agencies(),
    record_referral_docs(bigint[]), record_sitting_source(bigint),
    record_referral_source(bigint), record_export(text, bigint, text, text, text)
    TO maracd_app;

-- The records page of a sitting (issue 21): the hash of every case's record
-- in one call (GET /v1/sittings/{id}/record/cases), not one export per case.
--
-- Each case's source is made by record_referral_docs, as a download of
-- that case's record makes it (above), so the hash maracd computes from
-- it is the download's; the read of each case is audited as a download's
-- is.  The exports are then logged for the whole set in one statement
-- each (record_exports and audit_log), in the caller's transaction, as
-- record_export logs one.

-- The cases heard at sitting sid that the caller may see (row-level
-- security on referrals, record_forum_visible for the sitting's forum),
-- each with the source of its own record.  "Heard" as in
-- record_sitting_cases: listed there, decided there or given actions
-- there.  No rows when the caller may not see the sitting.
CREATE FUNCTION record_sitting_case_sources(sid bigint)
RETURNS TABLE (referral_id bigint, reference text, source text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	f text;
	ids bigint[];
BEGIN
	SELECT s.forum INTO f FROM sittings s WHERE s.id = sid;
	IF NOT FOUND OR NOT record_forum_visible(f) THEN
		RETURN;
	END IF;
	SELECT array_agg(r.id ORDER BY r.id) INTO ids FROM referrals r
	 WHERE r.forum = f AND r.id IN (SELECT x.id FROM referrals x WHERE x.sitting_id = sid
	       UNION SELECT d.referral_id FROM decisions d WHERE d.sitting_id = sid
	       UNION SELECT a.referral_id FROM actions a WHERE a.sitting_id = sid);
	IF ids IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT 'read', 'referral_record', u.id::text FROM unnest(ids) AS u(id) ORDER BY u.id;
	RETURN QUERY SELECT r.id, r.reference, d.source::text
	  FROM record_referral_docs(ids) d JOIN referrals r ON r.id = d.referral_id
	 ORDER BY r.id;
END
$$;

-- Exports of several records of one kind logged at once: one
-- record_exports row and one audit row for each (as record_export writes
-- for one).  oids and shas are parallel.  Returns how many were logged.
CREATE FUNCTION record_export_set(k text, oids bigint[], f text, fmt text,
    shas text[])
RETURNS bigint LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	IF cardinality(oids) IS DISTINCT FROM cardinality(shas) THEN
		RAISE EXCEPTION 'record_export_set: % ids and % hashes',
		    cardinality(oids), cardinality(shas)
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO record_exports (kind, object_id, forum, format, sha256)
	SELECT k, u.o, f, fmt, u.h FROM unnest(oids, shas) AS u(o, h);
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT 'export', k || '_record', u.o::text FROM unnest(oids) AS u(o);
	RETURN n;
END
$$;

GRANT EXECUTE ON FUNCTION record_sitting_case_sources(bigint),
    record_export_set(text, bigint[], text, text, text[]) TO maracd_app;

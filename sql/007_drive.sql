-- DRIVE screening (docs/domain.md, DRIVE screening): perpetrator identities a
-- coordinator can merge and split, the screening results of each MARAC
-- sitting with the rubric they were scored by, and the narrow questions
-- the screening asks of every agency's referrals.
--
-- The rules (eligibility, RFGV bands, the question map of each checklist
-- version) are decided in C (daemon/core/drive.c); these functions fetch
-- what the rules need and store what they answered.

-- A perpetrator is matched across referrals on referrals.perpetrator_key
-- (normalised name + date of birth, core/identity.c).  A coordinator who
-- knows two keys are one person merges them: the merged key gets a row
-- here naming the key it now counts as (its canonical key).  Chains are
-- kept flat: a canonical key never has a row of its own, so one lookup
-- answers.  Keys are personal data: coordinators only (row-level
-- security), read by the screening through the functions below.
CREATE TABLE perpetrator_aliases (
	key		text PRIMARY KEY,
	canonical	text NOT NULL CHECK (canonical <> key),
	merged_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX perpetrator_aliases_canonical ON perpetrator_aliases (canonical);

-- Every merge and split, named by referral ids (never by keys): who asked
-- is in the audit row of the same transaction.  A screening is stale when
-- a change came after it.
CREATE TABLE perpetrator_identity_changes (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('merge', 'split')),
	referral_id	bigint NOT NULL REFERENCES referrals(id),
	other_referral_id bigint REFERENCES referrals(id),	-- merge: merged with
	at		timestamptz NOT NULL DEFAULT now(),
	by_token	bigint,
	CHECK ((kind = 'merge') = (other_referral_id IS NOT NULL))
);

-- One screening of a sitting (the last; re-screening replaces it), or of
-- one referral on demand (kept, one row each).
CREATE TABLE drive_runs (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	sitting_id	bigint UNIQUE REFERENCES sittings(id),
	referral_id	bigint REFERENCES referrals(id),	-- on demand
	screened_on	date NOT NULL,		-- the date scored against
	screened_at	timestamptz NOT NULL DEFAULT now(),
	screened_by	text NOT NULL,		-- 'token:ID', 'job:drive', 'maracctl'
	rubric_version	text NOT NULL,
	rubric_settings	text NOT NULL,		-- every setting, key=value
	-- What the screening saw, to tell when it is stale: the ids of the
	-- cases and of the history referrals, and the latest identity change.
	seen		bigint[] NOT NULL DEFAULT '{}',
	identity_change	bigint NOT NULL DEFAULT 0,
	CHECK ((sitting_id IS NULL) <> (referral_id IS NULL))
);

-- One perpetrator of a screening.
CREATE TABLE drive_results (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_id		bigint NOT NULL REFERENCES drive_runs(id) ON DELETE CASCADE,
	sitting_id	bigint REFERENCES sittings(id),		-- NULL on demand
	perpetrator_key	text,			-- canonical key when screened; NULL: none
	initials	text NOT NULL,
	referral_ids	bigint[] NOT NULL,	-- the cases of the sitting naming them
	eligible	boolean NOT NULL,
	reasons		jsonb NOT NULL CHECK (jsonb_typeof(reasons) = 'array'),
	recency		integer NOT NULL,
	frequency	integer NOT NULL,
	gravity		integer NOT NULL,
	victims		integer NOT NULL,
	score		integer NOT NULL,
	threshold	integer NOT NULL,
	candidate	boolean NOT NULL,
	basis		jsonb NOT NULL DEFAULT '{}',	-- what the components came from
	rubric_version	text NOT NULL,
	screened_at	timestamptz NOT NULL
);
CREATE INDEX drive_results_sitting ON drive_results (sitting_id);
CREATE INDEX drive_results_run ON drive_results (run_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON perpetrator_aliases TO maracd_app;
GRANT SELECT, INSERT ON perpetrator_identity_changes TO maracd_app;
GRANT SELECT ON drive_runs, drive_results TO maracd_app;

-- Row-level security: identities are the coordinators'; results are read
-- by coordinators and the MARAC chair, never by agencies, and written
-- only by drive_store() below.  The owner's policies let the SECURITY
-- DEFINER functions (which run as the owner) and maracctl see the rows,
-- as with the referrals (referrals_owner, 004_referrals.sql).
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['perpetrator_aliases', 'perpetrator_identity_changes',
	    'drive_runs', 'drive_results'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON %I TO CURRENT_USER USING (true) '
		    'WITH CHECK (true)', t || '_owner', t);
	END LOOP;
	-- Aliases join perpetrators across every area the deployment serves:
	-- only an admin or coordinator of every area keeps them.
	FOREACH t IN ARRAY ARRAY['perpetrator_aliases', 'perpetrator_identity_changes'] LOOP
		PERFORM maracd_scope_policies(t, 'NULL', 'NULL::text', 'ALL', NULL);
	END LOOP;
END
$$;
-- Screenings: coordinators and MARAC chairs of the sitting's area (of the
-- referral's, for one screened on demand).
SELECT maracd_scope_policies('drive_runs', '''marac''',
    'coalesce((SELECT s.area FROM public.sittings s WHERE s.id = sitting_id), '
    '(SELECT r.area FROM public.referrals r WHERE r.id = referral_id))', 'SELECT', 'SELECT');
CREATE POLICY drive_results_follow ON drive_results FOR SELECT
	USING (EXISTS (SELECT 1 FROM drive_runs r WHERE r.id = run_id));

-- The identity a key counts as.
CREATE FUNCTION perpetrator_identity(k text) RETURNS text
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce((SELECT canonical FROM perpetrator_aliases WHERE key = k), k) $$;

-- Every key of an identity (the canonical key and those merged into it).
CREATE FUNCTION perpetrator_keys(ident text) RETURNS SETOF text
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT ident UNION SELECT key FROM perpetrator_aliases WHERE canonical = ident $$;

-- Who may screen: a coordinator, the MARAC chair (on demand only: the
-- caller says), maracd's drive job (maracd_is_job) or maracctl as the
-- schema owner.  Agencies never, and nobody the database does not know.
CREATE FUNCTION drive_may_screen(chair_too boolean) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT CASE WHEN NOT maracd_has_caller()
	    THEN maracd_owner_session()
	    ELSE maracd_role() IN ('admin', 'coordinator', 'job') OR (chair_too AND maracd_role() = 'chair'
	        AND maracd_forum() = 'marac') END
$$;

-- The referral ids of an identity, oldest first (for merge and split).
CREATE FUNCTION perpetrator_referrals(ident text) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(jsonb_agg(id ORDER BY id), '[]') FROM referrals
	 WHERE perpetrator_key IN (SELECT perpetrator_keys(ident))
$$;

-- Merge the perpetrators of two referrals into one identity (the second
-- referral's).  Runs as the caller: a coordinator (both referrals and the
-- alias table are admin-only to write).  NULL when either referral is
-- not visible; raises 22023 when either names no matchable perpetrator.
CREATE FUNCTION perpetrator_merge(a bigint, b bigint) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	ka text;
	kb text;
	ca text;
	cb text;
	n integer;
BEGIN
	SELECT count(*) INTO n FROM referrals WHERE id IN (a, b);
	IF n < (CASE WHEN a = b THEN 1 ELSE 2 END) THEN
		RETURN NULL;
	END IF;
	SELECT perpetrator_key INTO ka FROM referrals WHERE id = a;
	SELECT perpetrator_key INTO kb FROM referrals WHERE id = b;
	IF ka IS NULL OR kb IS NULL THEN
		RAISE EXCEPTION 'a referral names no perpetrator with a date of birth'
		    USING ERRCODE = '22023';
	END IF;
	ca := perpetrator_identity(ka);
	cb := perpetrator_identity(kb);
	IF ca <> cb THEN
		UPDATE perpetrator_aliases SET canonical = cb, merged_at = now()
		 WHERE canonical = ca;
		INSERT INTO perpetrator_aliases (key, canonical) VALUES (ca, cb);
		INSERT INTO perpetrator_identity_changes (kind, referral_id, other_referral_id, by_token)
		VALUES ('merge', a, b, nullif(current_setting('maracd.token_id', true), '')::bigint);
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('perpetrator.merge', 'referral', a::text), ('perpetrator.merge', 'referral', b::text);
	END IF;
	RETURN jsonb_build_object('changed', ca <> cb, 'referral_ids', perpetrator_referrals(cb));
END
$$;

-- Take the perpetrator of a referral out of the identity it was merged
-- into: its key (every referral with the same name and date of birth)
-- becomes an identity of its own again, and the rest stay together.
CREATE FUNCTION perpetrator_split(a bigint) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	ka text;
	c text;
	heir text;
	changed boolean := false;
BEGIN
	SELECT perpetrator_key INTO ka FROM referrals WHERE id = a;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF ka IS NULL THEN
		RAISE EXCEPTION 'the referral names no perpetrator with a date of birth'
		    USING ERRCODE = '22023';
	END IF;
	c := perpetrator_identity(ka);
	IF c <> ka THEN
		DELETE FROM perpetrator_aliases WHERE key = ka;
		changed := true;
	ELSE
		-- ka is the canonical key of others: the least of them takes over.
		SELECT min(key) INTO heir FROM perpetrator_aliases WHERE canonical = ka;
		IF heir IS NOT NULL THEN
			DELETE FROM perpetrator_aliases WHERE key = heir;
			UPDATE perpetrator_aliases SET canonical = heir WHERE canonical = ka;
			changed := true;
		END IF;
	END IF;
	IF changed THEN
		INSERT INTO perpetrator_identity_changes (kind, referral_id, by_token)
		VALUES ('split', a, nullif(current_setting('maracd.token_id', true), '')::bigint);
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('perpetrator.split', 'referral', a::text);
	END IF;
	RETURN jsonb_build_object('changed', changed, 'referral_ids', perpetrator_referrals(ka));
END
$$;

-- The DA history of one identity up to day d, as the rule takes it: each
-- referral's id, local received date, victim (a number, distinct per
-- victim within this history: no name leaves this function), checklist
-- version and the question numbers answered yes.  Referrals received more
-- than window_months before d are left out, except the latest, which
-- recency counts however old it is.
CREATE FUNCTION drive_history(ident text, d date, window_months integer) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	-- Two index lookups (= ANY of an array, and the id of a perpetrator
	-- without a key), not an OR, which would scan every referral.
	WITH ids AS (
		SELECT r.id FROM referrals r
		 WHERE r.perpetrator_key = ANY (ARRAY(SELECT perpetrator_keys(ident)))
		UNION
		SELECT r.id FROM referrals r
		 WHERE r.id = CASE WHEN ident LIKE 'referral:%' THEN substr(ident, 10)::bigint END
	), h AS (
		SELECT r.id, r.received_date, r.victim_key, r.dash_version,
		    max(r.received_date) OVER () AS latest
		  FROM referrals r JOIN ids ON ids.id = r.id
		 WHERE r.domestic_abuse AND r.received_date <= d
		   -- The old forum's record of a transfer is the same referral
		   -- as the record it became: counted once.
		   AND r.status <> 'transferred'
	)
	SELECT coalesce(jsonb_agg(jsonb_build_object(
	    'id', h.id, 'received', to_char(h.received_date, 'YYYY-MM-DD'),
	    'victim', (SELECT count(DISTINCT v.victim_key) FROM h v WHERE v.victim_key <= h.victim_key)::text,
	    'checklist', h.dash_version,
	    'yes', coalesce((SELECT jsonb_agg(a.question ORDER BY a.question) FROM referral_answers a
	        WHERE a.referral_id = h.id AND a.checklist = 'dash' AND a.answer), '[]'))
	    ORDER BY h.received_date, h.id), '[]')
	  FROM h
	 WHERE h.received_date >= (d - make_interval(months => window_months))::date
	    OR h.received_date = h.latest
$$;

-- The input of one perpetrator: the identity, name and date of birth of
-- the latest of its cases (for initials and age), the latest stated value
-- of each optional field across those cases, and the history.
CREATE FUNCTION drive_perpetrator_input(ident text, case_ids bigint[], d date,
    at_marac boolean, window_months integer) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object(
	    'identity', ident,
	    'name', (array_agg(p.name ORDER BY r.received_at DESC, r.id DESC))[1],
	    'dob', to_char((array_agg(p.dob ORDER BY r.received_at DESC, r.id DESC))[1], 'YYYY-MM-DD'),
	    'referral_ids', jsonb_agg(r.id ORDER BY r.id),
	    'in_custody', (array_agg(p.in_custody ORDER BY r.received_at DESC, r.id DESC)
	        FILTER (WHERE p.in_custody IS NOT NULL))[1],
	    'mappa_level', (array_agg(p.mappa_level ORDER BY r.received_at DESC, r.id DESC)
	        FILTER (WHERE p.mappa_level IS NOT NULL))[1],
	    'on_drive', (array_agg(p.on_drive ORDER BY r.received_at DESC, r.id DESC)
	        FILTER (WHERE p.on_drive IS NOT NULL))[1],
	    'in_area', (array_agg(p.in_area ORDER BY r.received_at DESC, r.id DESC)
	        FILTER (WHERE p.in_area IS NOT NULL))[1],
	    'at_marac', at_marac,
	    'history', drive_history(ident, d, window_months))
	  FROM referrals r
	  JOIN referral_people p ON p.referral_id = r.id AND p.role = 'perpetrator'
	 WHERE r.id = ANY (case_ids)
$$;

-- The cases of a MARAC sitting that name a perpetrator, by identity; a
-- perpetrator without a date of birth has no key and stands alone.  A
-- referral linked to a case of the sitting is heard with it, so the
-- perpetrator it names is screened there too.
CREATE FUNCTION drive_sitting_cases(sid bigint)
RETURNS TABLE (ident text, case_ids bigint[])
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(perpetrator_identity(r.perpetrator_key), 'referral:' || r.id),
	    array_agg(r.id ORDER BY r.id)
	  FROM referrals r
	  JOIN referral_people p ON p.referral_id = r.id AND p.role = 'perpetrator'
	 WHERE r.forum = 'marac' AND (r.sitting_id = sid OR r.linked_to IN (
	       SELECT x.id FROM referrals x WHERE x.sitting_id = sid AND x.status = 'listed'))
	 GROUP BY 1
	 ORDER BY 1
$$;

-- What screening a sitting needs, whoever referred its cases and whoever
-- referred the history: the sitting, and per perpetrator the input above.
-- NULL when there is no such MARAC sitting or the caller may not screen.
-- SECURITY DEFINER, like referral_previous_marac (004_referrals.sql): it answers
-- only what the rule needs, and only to those who may screen.
CREATE FUNCTION drive_sitting_input(sid bigint, window_months integer) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('sitting_id', s.id, 'date', to_char(s.date, 'YYYY-MM-DD'),
	    'perpetrators', coalesce((SELECT jsonb_agg(drive_perpetrator_input(c.ident, c.case_ids,
	        s.date, true, window_months) ORDER BY c.ident) FROM drive_sitting_cases(s.id) c), '[]'))
	  FROM sittings s
	 WHERE s.id = sid AND s.forum = 'marac' AND drive_may_screen(false)
$$;

-- The same for one referral's perpetrator on demand (a serial medium-risk
-- perpetrator not heard at MARAC), scored against day d.  NULL when the
-- referral does not exist, names no perpetrator, or the caller may not
-- see it: the MARAC chair screens MARAC cases only.
CREATE FUNCTION drive_referral_input(rid bigint, d date, window_months integer) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('referral_id', r.id, 'date', to_char(d, 'YYYY-MM-DD'),
	    'perpetrators', jsonb_build_array(drive_perpetrator_input(
	        coalesce(perpetrator_identity(r.perpetrator_key), 'referral:' || r.id),
	        ARRAY[r.id], d, r.forum = 'marac', window_months)))
	  FROM referrals r
	 WHERE r.id = rid AND drive_may_screen(true)
	   AND EXISTS (SELECT 1 FROM referral_people p WHERE p.referral_id = r.id
	       AND p.role = 'perpetrator')
	   AND (maracd_role() IS DISTINCT FROM 'chair' OR r.forum = 'marac')
$$;

-- The referrals a screening saw, from its input (the perpetrators'
-- cases and histories) or from its results (drivejson.c copies the same
-- ids out), and the latest identity change: stored with a run, compared
-- to tell when it is stale.  Comparing ids rather than times cannot miss
-- a referral whose transaction began before the screening and committed
-- after it.
CREATE FUNCTION drive_seen(perpetrators jsonb) RETURNS bigint[]
LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(array_agg(DISTINCT v::bigint ORDER BY v::bigint), '{}')
	  FROM jsonb_array_elements(perpetrators) p,
	       jsonb_array_elements_text(coalesce(p->'referral_ids', '[]')
	           || coalesce(p->'history_ids', '[]')
	           || coalesce((SELECT jsonb_agg(h->'id') FROM jsonb_array_elements(
	               coalesce(p->'history', '[]')) h), '[]')) v
$$;

CREATE FUNCTION drive_identity_change() RETURNS bigint
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce(max(id), 0) FROM perpetrator_identity_changes $$;

-- Whether the sitting must be screened (again): never screened (and it has
-- a case naming a perpetrator: an empty sitting is left alone), or since
-- then its cases or their perpetrators' DA histories changed, identities
-- were merged or split, or the rubric changed.
CREATE FUNCTION drive_sitting_stale(sid bigint, settings text, window_months integer)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT drive_may_screen(false) AND CASE WHEN run.id IS NULL
	    THEN EXISTS (SELECT 1 FROM drive_sitting_cases(sid))
	    ELSE run.rubric_settings <> settings
	      OR run.identity_change <> drive_identity_change()
	      OR run.seen IS DISTINCT FROM drive_seen(
	          drive_sitting_input(sid, window_months)->'perpetrators') END
	  FROM (SELECT 1) one LEFT JOIN drive_runs run ON run.sitting_id = sid
$$;

-- A screening, for the API: the rubric and the perpetrators, candidates
-- first, then by score, those naming case rid only when rid is not NULL
-- (the chair's page of one case, GET .../drive?referral=).  Initials and
-- referral ids only: no names.
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
-- Every perpetrator of a screening (drive_store answers with it).
CREATE FUNCTION drive_run_json(run_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT drive_run_json(run_id, NULL)
$$;

-- Store a screening (results: the JSON array core/drivejson.c makes; d:
-- the date scored against, NULL for a sitting's date).  A
-- sitting's screening replaces the one before; an on-demand screening is
-- kept beside the others.  Audited.  Returns the screening as the API
-- shows it, or NULL when the caller may not screen.
CREATE FUNCTION drive_store(sid bigint, rid bigint, d date, version text,
    settings text, results jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	rn bigint;
	who text := CASE WHEN maracd_is_job() OR NOT maracd_has_caller()
	    THEN maracd_caller_name(maracd_caller())
	    ELSE 'token:' || current_setting('maracd.token_id', true) END;
BEGIN
	IF NOT drive_may_screen(sid IS NULL) OR (sid IS NULL) = (rid IS NULL) THEN
		RETURN NULL;
	END IF;
	IF sid IS NOT NULL THEN
		-- The job of another maracd, an admin and maracctl may screen the
		-- same sitting at once: one at a time, the last one stays.
		PERFORM pg_advisory_xact_lock(hashtext('maracd.drive.sitting'),
		    (sid % 2147483647)::integer);
		DELETE FROM drive_runs WHERE sitting_id = sid;
	END IF;
	INSERT INTO drive_runs (sitting_id, referral_id, screened_on, screened_by,
	    rubric_version, rubric_settings, seen, identity_change)
	VALUES (sid, rid, coalesce(d, (SELECT date FROM sittings WHERE id = sid)), who, version, settings,
	    drive_seen(results), drive_identity_change())
	RETURNING id INTO rn;
	INSERT INTO drive_results (run_id, sitting_id, perpetrator_key, initials, referral_ids,
	    eligible, reasons, recency, frequency, gravity, victims, score, threshold,
	    candidate, basis, rubric_version, screened_at)
	SELECT rn, sid, CASE WHEN x->>'identity' LIKE 'referral:%' THEN NULL ELSE x->>'identity' END,
	    x->>'initials', ARRAY(SELECT jsonb_array_elements_text(x->'referral_ids'))::bigint[],
	    (x->>'eligible')::boolean, x->'reasons',
	    (x#>>'{components,recency}')::int, (x#>>'{components,frequency}')::int,
	    (x#>>'{components,gravity}')::int, (x#>>'{components,victims}')::int,
	    (x->>'score')::int, (x->>'threshold')::int, (x->>'candidate')::boolean,
	    coalesce(x->'basis', '{}'), version, now()
	  FROM jsonb_array_elements(results) x;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('drive.screen', CASE WHEN sid IS NULL THEN 'referral' ELSE 'sitting' END,
	    coalesce(sid, rid)::text);
	RETURN CASE WHEN sid IS NULL THEN jsonb_build_object('referral_id', rid)
	    ELSE jsonb_build_object('sitting', referral_sitting_json(sid)) END || drive_run_json(rn);
END
$$;

-- The sitting's screening for the API (the caller's row-level security
-- decides: coordinators and the MARAC chair), of case rid only when rid
-- is not NULL, audited: the sitting's screening was read.  NULL when there
-- is no such MARAC sitting; {"screened": false, ...} before the first one.
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

-- For the agenda: is the perpetrator of this case a DRIVE candidate in
-- the sitting's screening?  NULL when the sitting has not been screened
-- or the case was not in it.  Only the flag leaves, to whoever renders
-- the agenda (it is on the agenda every invited agency gets), so this
-- runs as the owner.
CREATE FUNCTION drive_candidate(sitting_id bigint, referral_id bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT bool_or(d.candidate) FROM drive_results d
	 WHERE d.sitting_id = drive_candidate.sitting_id
	   AND drive_candidate.referral_id = ANY (d.referral_ids)
$$;

REVOKE ALL ON FUNCTION drive_sitting_input(bigint, integer), drive_referral_input(bigint, date, integer),
	drive_sitting_stale(bigint, text, integer), drive_store(bigint, bigint, date, text, text, jsonb),
	drive_candidate(bigint, bigint), drive_sitting_get(bigint, bigint),
	drive_run_json(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION drive_sitting_input(bigint, integer), drive_referral_input(bigint, date, integer),
	drive_sitting_stale(bigint, text, integer), drive_store(bigint, bigint, date, text, text, jsonb),
	drive_candidate(bigint, bigint), drive_sitting_get(bigint, bigint), drive_run_json(bigint),
	drive_run_json(bigint, bigint),
	perpetrator_merge(bigint, bigint), perpetrator_split(bigint) TO maracd_app;

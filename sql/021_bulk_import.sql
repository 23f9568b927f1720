-- Bulk import at COPY speed (issue 24), and one way of storing referrals.
--
-- 1. A referral's checklist answers live on its row: dash_answers and
--    sdash_answers, boolean[28] indexed by question number (NULL where a
--    question was not answered; the column NULL when the checklist was not
--    sent).  They were 27 rows of referral_answers per referral, 3.5
--    million for a national year, each with its foreign key check and
--    index entry: 41 % of an import's time in the database, and most of
--    what COPY of the same rows cost too (bench/RESULTS.md, Import).
--    referral_answers stays, as a view with the same columns, so every
--    reader (referral_get, DRIVE's history, the retention export) reads
--    what it read; it runs as the caller (security_invoker), so the
--    referral's row-level security decides, as the old table's _follow
--    policy did.  An INSERT into it (a transfer copies its answers) sets
--    the element.
--
-- 2. Every intake path stores through one function, set-based:
--    referral_store_rows(rows) takes [req, d] pairs and stores the case,
--    its equality fields and its answers in one INSERT, its people in
--    another and its audit rows in a third.  referral_create (POST
--    /v1/referrals, drafts, an import's row alone) is that function with
--    one row, so the single and the bulk path cannot disagree.  Replaces
--    sql/004's referral_create and referral_store_rows and sql/015's
--    wrappers around them, which stored the equality fields by an UPDATE
--    of every row just inserted.

ALTER TABLE referrals
	ADD COLUMN dash_answers boolean[] CHECK (cardinality(dash_answers) <= 28),
	ADD COLUMN sdash_answers boolean[] CHECK (cardinality(sdash_answers) <= 28);

-- A checklist's answers as sent ({"1": true, ...}, core/referral.c has
-- checked the question numbers) as the column stores them; NULL when
-- the checklist was not sent.  Spelt out, without a subquery or a SET
-- clause, so that the planner inlines it into the INSERT (a call per
-- checklist was 30 microseconds).
CREATE FUNCTION referral_answers_array(a jsonb) RETURNS boolean[]
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN jsonb_typeof(a) = 'object'
	    THEN ARRAY[(a->>'1')::boolean, (a->>'2')::boolean, (a->>'3')::boolean,
	        (a->>'4')::boolean, (a->>'5')::boolean, (a->>'6')::boolean,
	        (a->>'7')::boolean, (a->>'8')::boolean, (a->>'9')::boolean,
	        (a->>'10')::boolean, (a->>'11')::boolean, (a->>'12')::boolean,
	        (a->>'13')::boolean, (a->>'14')::boolean, (a->>'15')::boolean,
	        (a->>'16')::boolean, (a->>'17')::boolean, (a->>'18')::boolean,
	        (a->>'19')::boolean, (a->>'20')::boolean, (a->>'21')::boolean,
	        (a->>'22')::boolean, (a->>'23')::boolean, (a->>'24')::boolean,
	        (a->>'25')::boolean, (a->>'26')::boolean, (a->>'27')::boolean,
	        (a->>'28')::boolean] END
$$;

-- Answers already stored move onto their referral.
UPDATE referrals r SET
    dash_answers = (SELECT array_agg(a.answer ORDER BY q) FROM generate_series(1, 28) q
        LEFT JOIN referral_answers a ON a.referral_id = r.id AND a.checklist = 'dash'
         AND a.question = q HAVING count(a.answer) > 0),
    sdash_answers = (SELECT array_agg(a.answer ORDER BY q) FROM generate_series(1, 28) q
        LEFT JOIN referral_answers a ON a.referral_id = r.id AND a.checklist = 'sdash'
         AND a.question = q HAVING count(a.answer) > 0)
 WHERE EXISTS (SELECT 1 FROM referral_answers a WHERE a.referral_id = r.id);
DROP TABLE referral_answers;

CREATE VIEW referral_answers WITH (security_invoker = true) AS
SELECT r.id AS referral_id, c.checklist, q.question, c.answers[q.question] AS answer
  FROM referrals r
 CROSS JOIN LATERAL (VALUES ('dash'::text, r.dash_answers), ('sdash', r.sdash_answers))
       AS c(checklist, answers)
 CROSS JOIN LATERAL generate_subscripts(c.answers, 1) AS q(question)
 WHERE c.answers[q.question] IS NOT NULL;
GRANT SELECT, INSERT ON referral_answers TO maracd_app;

-- One answer inserted (referral_transfer copies a case's answers to the
-- record it becomes): the element set on the referral, which the caller
-- must be allowed to change.
CREATE FUNCTION referral_answers_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	a boolean[];
BEGIN
	IF NEW.checklist IS NULL OR NEW.checklist NOT IN ('dash', 'sdash')
	    OR NEW.question IS NULL OR NEW.question NOT BETWEEN 1 AND 28
	    OR NEW.answer IS NULL THEN
		RAISE EXCEPTION 'referral_answers: not an answer'
		    USING ERRCODE = 'check_violation';
	END IF;
	SELECT CASE NEW.checklist WHEN 'dash' THEN r.dash_answers ELSE r.sdash_answers END
	  INTO a FROM referrals r WHERE r.id = NEW.referral_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'referral_answers: no such referral'
		    USING ERRCODE = 'foreign_key_violation';
	END IF;
	a := coalesce(a, array_fill(NULL::boolean, ARRAY[28]));
	a[NEW.question] := NEW.answer;
	UPDATE referrals r SET
	    dash_answers = CASE NEW.checklist WHEN 'dash' THEN a ELSE r.dash_answers END,
	    sdash_answers = CASE NEW.checklist WHEN 'sdash' THEN a ELSE r.sdash_answers END
	 WHERE r.id = NEW.referral_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER referral_answers_insert INSTEAD OF INSERT ON referral_answers
	FOR EACH ROW EXECUTE FUNCTION referral_answers_insert();

-- Store referrals: rows is a JSON array of [req, d] pairs (core/import.c,
-- import_row_store_params; api_referrals.c for one), each the request
-- body as core/referral.c checked it and the decision core/dash.c and
-- core/routing.c made (d->'today': the local date of maracd's clock;
-- d->'coordinator': who is told when a referral has to wait).  No two
-- rows have the same victim (an import splits a batch into waves by
-- victim key), so the repeat facts the caller read for each row and the
-- case each links to are what they would be one row at a time.  The
-- rules that must be decided with the write are the same functions for
-- every path: the sitting is referral_sitting_for(), asked once per
-- forum, area and instant; the waiting case a row links to
-- referral_link_target(); references are reserved n at a time per prefix
-- and year.  Idempotent on (referring_agency, external_ref): a row
-- already stored (or named twice in the rows) comes back with created =
-- false and its read audited.  Audit rows: a stored row's creation (and
-- its link to the waiting case), a duplicate's read.  One row per
-- element, in its order (ord counts from 1).  Fails as a whole;
-- referral_import_rows() then stores the rows one at a time.
CREATE OR REPLACE FUNCTION referral_store_rows(rows jsonb)
RETURNS TABLE (ord integer, created boolean, id bigint, reference text,
    forum text, status text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	i_id bigint[];		-- what the INSERT stored, in no order
	i_agency text[];
	i_xref text[];
	i_reference text[];
	i_forum text[];
	i_status text[];
	i_link bigint[];
	n_ord integer[];	-- the rows stored, and their ids
	n_id bigint[];
	r_ord integer[];	-- every row, and its referral
	r_id bigint[];
	r_new boolean[];
	w record;
BEGIN
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(rows) x
	    WHERE x->1->>'forum' IS NOT NULL AND x->1->>'today' IS NULL) THEN
		RAISE EXCEPTION 'referral_store_rows: a decision has no today'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	WITH src AS MATERIALIZED (
		SELECT t.o::integer AS ord, t.x->0 AS req, t.x->1 AS d
		  FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o)
		 -- A probe of the unique index per row, whatever the planner
		 -- thinks of the table's size: never a scan of every referral.
		 WHERE (SELECT k.id FROM referrals k
		     WHERE k.referring_agency = t.x->0->>'referring_agency'
		       AND k.external_ref = t.x->0->>'external_ref') IS NULL),
	slot AS MATERIALIZED (
		SELECT x.f, x.a, x.t, x.today, referral_sitting_for(x.f, x.a, x.t, x.today) AS sid
		  FROM (SELECT DISTINCT s.d->>'forum' AS f, s.d->>'area' AS a,
		      (s.d->>'received_at')::timestamptz AS t, (s.d->>'today')::date AS today
		      FROM src s WHERE s.d->>'forum' IS NOT NULL) x),
	dec AS MATERIALIZED (
		SELECT s.*, coalesce(upper(s.d->>'forum'), 'REF') AS prefix,
		    extract(year FROM (s.d->>'received_date')::date)::integer AS year, slot.sid,
		    CASE WHEN s.d->>'forum' IS NOT NULL THEN referral_link_target(s.d->>'victim_key',
		        s.d->>'forum', s.d->>'area', (s.d->>'today')::date)
		    END AS link
		  FROM src s LEFT JOIN slot ON slot.f = s.d->>'forum' AND slot.a = s.d->>'area'
		   AND slot.t = (s.d->>'received_at')::timestamptz
		   AND slot.today = (s.d->>'today')::date),
	numbered AS MATERIALIZED (
		SELECT dec.*, row_number() OVER w AS k, count(*) OVER w AS cnt
		  FROM dec WINDOW w AS (PARTITION BY prefix, year ORDER BY ord
		      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
	base AS MATERIALIZED (
		SELECT g.prefix, g.year, referral_reserve_references(g.prefix, g.year,
		    g.cnt::integer) AS first
		  FROM (SELECT DISTINCT n.prefix, n.year, n.cnt FROM numbered n) g),
	ins AS (
		INSERT INTO referrals (reference, external_ref, referring_agency,
		    referrer_name, referrer_email, referrer_phone, received_at, received_date,
		    area, forum_requested, forum, status, domestic_abuse, stalking, urgent,
		    risk_level, risk_bases, dash_version, dash_score, sdash_score,
		    judgement_level, judgement_reason, escalation, police_callouts_12m,
		    lawful_basis, consent, summary, repeat, review, advice, warnings,
		    victim_key, perpetrator_key, sitting_id, linked_to, created_by,
		    dash_answers, sdash_answers,
		    victim_gender, victim_gender_description, victim_ethnicity,
		    victim_disability, victim_lgbt, victim_informed, victim_age,
		    perpetrator_gender, perpetrator_gender_description, perpetrator_age,
		    children_in_household)
		SELECT referral_format_reference(n.prefix, n.year, (b.first + n.k - 1)::integer),
		    req->>'external_ref', req->>'referring_agency',
		    req#>>'{referrer,name}', req#>>'{referrer,email}', req#>>'{referrer,phone}',
		    (d->>'received_at')::timestamptz, (d->>'received_date')::date, d->>'area',
		    req->>'forum_requested', d->>'forum',
		    CASE WHEN d->>'forum' IS NULL THEN d->>'status' WHEN link IS NOT NULL
		        THEN 'linked' WHEN sid IS NULL THEN 'waiting' ELSE 'listed' END,
		    (req->>'domestic_abuse')::boolean, (req->>'stalking')::boolean,
		    coalesce((req->>'urgent')::boolean, false),
		    d->>'risk_level', ARRAY(SELECT jsonb_array_elements_text(d->'risk_bases')),
		    req#>>'{dash,version}', (d->>'dash_score')::int, (d->>'sdash_score')::int,
		    req#>>'{professional_judgement,level}', req#>>'{professional_judgement,reason}',
		    coalesce((req->>'escalation')::boolean, false), (req->>'police_callouts_12m')::int,
		    ARRAY(SELECT jsonb_array_elements_text(req->'lawful_basis')), req->>'consent',
		    -- A linked referral is part of the waiting case: never a repeat.
		    req->>'summary', (d->>'repeat')::boolean AND link IS NULL, (d->>'review')::boolean,
		    d->>'advice', coalesce(d->'warnings', '[]'), d->>'victim_key',
		    d->>'perpetrator_key', CASE WHEN link IS NULL THEN sid END, link,
		    nullif(current_setting('maracd.token_id', true), '')::bigint,
		    referral_answers_array(req#>'{dash,answers}'),
		    referral_answers_array(req#>'{sdash,answers}'),
		    -- The equality fields (sql/015), "not known" when not given.
		    coalesce(req#>>'{victim,gender}', 'not_known'),
		    req#>>'{victim,gender_description}',
		    coalesce(req#>>'{victim,ethnicity}', 'not_known'),
		    coalesce(req#>>'{victim,disability}', 'not_known'),
		    coalesce(req#>>'{victim,lgbt}', 'not_known'),
		    (req#>>'{victim,informed_of_referral}')::boolean, (d->>'victim_age')::int,
		    CASE WHEN jsonb_typeof(req->'perpetrator') = 'object'
		        THEN coalesce(req#>>'{perpetrator,gender}', 'not_known') ELSE 'not_known' END,
		    req#>>'{perpetrator,gender_description}', (d->>'perpetrator_age')::int,
		    (req->>'children_in_household')::int
		  FROM numbered n JOIN base b ON b.prefix = n.prefix AND b.year = n.year
		 ORDER BY n.ord
		ON CONFLICT (referring_agency, external_ref) DO NOTHING
		RETURNING referrals.id, referrals.referring_agency, referrals.external_ref,
		    referrals.reference, referrals.forum, referrals.status, referrals.linked_to)
	-- Everything after this works on what the INSERT returned, never on a
	-- join with referrals: within an import the table grows faster than
	-- its statistics, and a plan that thought it small scanned all of it
	-- for every wave.
	SELECT array_agg(i.id), array_agg(i.referring_agency), array_agg(i.external_ref),
	    array_agg(i.reference), array_agg(i.forum), array_agg(i.status),
	    array_agg(i.linked_to)
	  INTO i_id, i_agency, i_xref, i_reference, i_forum, i_status, i_link
	  FROM ins i;

	-- The rows may name one referral twice: the first stores it.
	SELECT array_agg(f.ord ORDER BY f.ord), array_agg(i.id ORDER BY f.ord)
	  INTO n_ord, n_id
	  FROM unnest(i_id, i_agency, i_xref) AS i(id, agency, xref)
	  JOIN (SELECT DISTINCT ON (t.x->0->>'referring_agency', t.x->0->>'external_ref')
	      t.o::integer AS ord, t.x->0->>'referring_agency' AS agency,
	      t.x->0->>'external_ref' AS xref
	      FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o)
	      ORDER BY t.x->0->>'referring_agency', t.x->0->>'external_ref', t.o) f
	    ON f.agency = i.agency AND f.xref = i.xref;

	WITH n AS (
		SELECT u.id, t.x->0 AS req, t.x->1 AS d
		  FROM unnest(n_ord, n_id) AS u(ord, id)
		  JOIN jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o) ON t.o = u.ord)
	INSERT INTO referral_people (referral_id, role, ordinal, name, dob, gender, postcode,
	    relationship, in_custody, mappa_level, on_drive, in_area, resident, identity_key)
	SELECT n.id, 'victim', 0, req#>>'{victim,name}', (req#>>'{victim,dob}')::date,
	    req#>>'{victim,gender}', req#>>'{victim,postcode}', NULL::text, NULL::boolean,
	    NULL::integer, NULL::boolean, NULL::boolean, NULL::boolean, d->>'victim_key'
	  FROM n
	UNION ALL
	SELECT n.id, 'perpetrator', 0, p->>'name', (p->>'dob')::date, p->>'gender', NULL,
	    p->>'relationship', (p->>'in_custody')::boolean, (p->>'mappa_level')::int,
	    (p->>'on_drive')::boolean, (p->>'in_area')::boolean, NULL, d->>'perpetrator_key'
	  FROM n, LATERAL (SELECT n.req->'perpetrator' AS p) x
	 WHERE jsonb_typeof(p) = 'object'
	UNION ALL
	SELECT n.id, 'child', (c.i - 1)::integer, c.p->>'name', (c.p->>'dob')::date, NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL, (c.p->>'resident')::boolean, NULL
	  FROM n, LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(n.req->'children') = 'array'
	      THEN n.req->'children' ELSE '[]' END) WITH ORDINALITY AS c(p, i);

	-- Every row's referral: the one it stored, or the one it duplicates.
	SELECT array_agg(t.o::integer ORDER BY t.o), array_agg(coalesce(u.id,
	    (SELECT k.id FROM referrals k
	      WHERE k.referring_agency = t.x->0->>'referring_agency'
	        AND k.external_ref = t.x->0->>'external_ref')) ORDER BY t.o),
	    array_agg(u.id IS NOT NULL ORDER BY t.o)
	  INTO r_ord, r_id, r_new
	  FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o)
	  LEFT JOIN unnest(n_ord, n_id) AS u(ord, id) ON u.ord = t.o;

	INSERT INTO audit_log (action, object_type, object_id)
	SELECT a.action, 'referral', a.object_id
	  FROM (SELECT r.id, 0 AS step, CASE WHEN r.new THEN 'create' ELSE 'read' END
	            AS action, r.id::text AS object_id
	          FROM unnest(r_id, r_new) AS r(id, new)
	        UNION ALL
	        SELECT k.id, 1, 'link', k.id::text || '>' || k.link::text
	          FROM unnest(i_id, i_link) AS k(id, link) WHERE k.link IS NOT NULL) a
	 ORDER BY a.id, a.step;

	IF 'waiting' = ANY (i_status) THEN
		FOR w IN SELECT k AS r, t.x->1->>'coordinator' AS who
		    FROM unnest(n_ord, n_id) AS u(ord, id)
		    JOIN jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o) ON t.o = u.ord
		    JOIN referrals k ON k.id = u.id
		   WHERE k.status = 'waiting' ORDER BY u.ord LOOP
			PERFORM referral_waiting_notify(w.r, w.who);
		END LOOP;
	END IF;

	-- A duplicate's referral is looked up by its id, one probe each.
	RETURN QUERY
	SELECT r.ord, r.new, r.id,
	    CASE WHEN r.new THEN i.reference
	        ELSE (SELECT k.reference FROM referrals k WHERE k.id = r.id) END,
	    CASE WHEN r.new THEN i.forum
	        ELSE (SELECT k.forum FROM referrals k WHERE k.id = r.id) END,
	    CASE WHEN r.new THEN i.status
	        ELSE (SELECT k.status FROM referrals k WHERE k.id = r.id) END
	  FROM unnest(r_ord, r_id, r_new) AS r(ord, id, new)
	  LEFT JOIN unnest(i_id, i_reference, i_forum, i_status) AS i(id, reference, forum, status)
	    ON i.id = r.id
	 ORDER BY r.ord;
END
$$;

-- One referral (POST /v1/referrals, a draft's submission, an import's
-- row alone): referral_store_rows with one row, and the answer.
CREATE OR REPLACE FUNCTION referral_create(req jsonb, d jsonb,
    OUT created boolean, OUT body jsonb)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s record;
	r referrals;
BEGIN
	SELECT * INTO s FROM referral_store_rows(jsonb_build_array(jsonb_build_array(req, d)));
	SELECT * INTO r FROM referrals k WHERE k.id = s.id;
	created := s.created;
	body := referral_decision_json(r);
END
$$;

DROP FUNCTION referral_create_case(jsonb, jsonb);
DROP FUNCTION referral_store_rows_case(jsonb);
DROP FUNCTION referral_equality_store(jsonb);

-- 3. Every audit row asks who the caller is (audit_log_fill, sql/002):
--    maracd_caller(), then maracd_caller_name().  Three of the functions
--    on that path were SQL functions with a SET clause, which PostgreSQL
--    can neither inline nor keep a plan for, so each was parsed and
--    planned at every call: about 250 microseconds an audit row, a third
--    of an import's time in the database once the answers were one column
--    (bench/RESULTS.md, Import).  The same bodies in PL/pgSQL, whose plans
--    are cached for the session; the caller is still looked up again at
--    every call.
CREATE OR REPLACE FUNCTION maracd_owner_session() RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN pg_has_role(session_user, (SELECT relowner FROM pg_class
	    WHERE oid = 'public.api_tokens'::regclass), 'MEMBER');
END
$$;

CREATE OR REPLACE FUNCTION maracd_caller_name(c maracd_caller_t) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN CASE
	    WHEN c.role = 'job' THEN coalesce(nullif(current_setting('maracd.request_id', true), ''), 'job')
	    WHEN c.role IS NOT NULL THEN c.role
	    WHEN maracd_owner_session() THEN coalesce(nullif(current_setting('maracd.system', true), ''),
	        session_user::text)
	    END;
END
$$;

CREATE OR REPLACE FUNCTION account_hash(h text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN CASE WHEN h ~ '^[0-9a-f]{64}$' THEN decode(h, 'hex') END;
END
$$;

-- The session a caller signed in with, if any (sql/012): an audit row of
-- a token or of maracctl has none, so the look-up is skipped when the
-- transaction names no session.  The same answer as before.
CREATE OR REPLACE FUNCTION account_caller_session() RETURNS sessions
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions;
BEGIN
	IF nullif(current_setting('maracd.session_hash', true), '') IS NULL THEN
		RETURN s;
	END IF;
	SELECT x.* INTO s FROM sessions x JOIN users u ON u.id = x.user_id
	 WHERE x.id_hash = account_hash(nullif(current_setting('maracd.session_hash', true), ''))
	   AND x.stage = 'active' AND x.ended_at IS NULL AND x.expires_at > now()
	   AND u.state = 'active';
	RETURN s;
END
$$;

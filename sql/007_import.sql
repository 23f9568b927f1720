-- CSV import of referrals: POST /v1/referrals/import (as an admin token)
-- and maracctl import (as the schema owner).

-- maracctl import connects as the schema owner (MARACCTL_OWNER_DSN), and
-- row-level security is FORCED on the referral tables, so without a policy
-- of its own the owner could neither see nor add a referral.  The owner
-- administers the schema and could switch row-level security off anyway
-- (ALTER TABLE ... NO FORCE ROW LEVEL SECURITY): a policy for it gives it
-- nothing it does not already have, and keeps security forced for every
-- other role, maracd's own included.  CURRENT_USER is the owner: it is the
-- role that runs the migrations.
CREATE POLICY referrals_owner ON referrals TO CURRENT_USER
	USING (true) WITH CHECK (true);
CREATE POLICY referral_people_owner ON referral_people TO CURRENT_USER
	USING (true) WITH CHECK (true);
CREATE POLICY referral_answers_owner ON referral_answers TO CURRENT_USER
	USING (true) WITH CHECK (true);
CREATE POLICY referral_transfers_owner ON referral_transfers TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- referral_link_target() looks a victim's waiting case up by victim key,
-- forum and area in any forum, which referrals_victim (MARAC only) does
-- not cover: without this, every referral scanned the whole table, and
-- an import of N rows cost N scans of a table growing to N rows.
CREATE INDEX referrals_link ON referrals (victim_key, forum, area)
	WHERE status IN ('listed', 'waiting') AND linked_to IS NULL;

-- One row of an import, stored on its own.  The EXCEPTION clause makes
-- this a savepoint: a row the database refuses (an agency code that does
-- not exist, say) is rolled back alone, and the import's transaction goes
-- on with the next row, in one round trip instead of three (SAVEPOINT,
-- referral_create, RELEASE).  Only the SQLSTATE comes back: a message may
-- quote the row's personal data.  A cancelled statement (statement
-- timeout) is not caught: it ends the import.
CREATE FUNCTION referral_import(req jsonb, d jsonb,
    OUT created boolean, OUT body jsonb, OUT failed text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	SELECT c.created, c.body INTO created, body FROM referral_create(req, d) c;
EXCEPTION WHEN OTHERS THEN
	failed := SQLSTATE;
END
$$;
GRANT EXECUTE ON FUNCTION referral_import(jsonb, jsonb) TO maracd_app;

-- A year's 10 000th reference of a kind: lpad() cuts a longer string down
-- to the width it is given, so it came out as the 1000th again (and the
-- insert failed on the unique reference).  An import reaches that number
-- in one go; busy areas would in time.  Four digits at least, more when
-- the number needs them.  An import takes its numbers n at a time
-- (referral_reserve_references): the counter is one row per prefix and
-- year, and one update per referral of a batch would be most of its cost.
CREATE FUNCTION referral_reserve_references(p_prefix text, p_year integer, n integer)
RETURNS integer LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	last integer;
BEGIN
	INSERT INTO reference_counters AS c (prefix, year, last) VALUES (p_prefix, p_year, n)
	ON CONFLICT (prefix, year) DO UPDATE SET last = c.last + n
	RETURNING c.last INTO last;
	RETURN last - n + 1;
END
$$;

-- The k-th reference of a prefix and year, as people read it.
CREATE FUNCTION referral_format_reference(p_prefix text, p_year integer, k integer)
RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$
	SELECT format('%s-%s-%s', p_prefix, p_year, lpad(k::text, greatest(4, length(k::text)), '0'))
$$;

CREATE OR REPLACE FUNCTION referral_next_reference(p_prefix text, p_year integer)
RETURNS text LANGUAGE sql
SET search_path = public, pg_temp
AS $$
	SELECT referral_format_reference(p_prefix, p_year,
	    referral_reserve_references(p_prefix, p_year, 1))
$$;

-- Rows of an import, all at once: what referral_create() does for one,
-- done set-based for a batch, so that a batch costs a few statements
-- instead of a dozen per row.  rows is a JSON array of [req, d] pairs
-- (core/import.c, import_row_store_params), each as referral_create()
-- takes them; no two of them have the same victim (the caller splits a
-- batch into waves by victim key), so that the repeat facts the caller
-- read for each row and the case each links to are what they would be
-- one row at a time.  The rules are the same functions: the sitting is
-- referral_sitting_for(), the case a row links to referral_link_target().
-- One row per element, in its order (ord counts from 1).  Fails as a
-- whole; referral_import_rows() then stores the rows one at a time.
CREATE FUNCTION referral_store_rows(rows jsonb)
RETURNS TABLE (ord integer, created boolean, id bigint, reference text,
    forum text, status text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	n_ord integer[];
	n_id bigint[];
	r_ord integer[];
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
	-- The rows of a wave that give no received_at share the wave's "now",
	-- so a few calls answer the sitting for all of them.
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
		    victim_key, perpetrator_key, sitting_id, linked_to, created_by)
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
		    nullif(current_setting('maracd.token_id', true), '')::bigint
		  FROM numbered n JOIN base b ON b.prefix = n.prefix AND b.year = n.year
		 ORDER BY n.ord
		ON CONFLICT (referring_agency, external_ref) DO NOTHING
		RETURNING referrals.id, referrals.referring_agency, referrals.external_ref)
	-- A file may name one referral twice: the first row stores it.
	SELECT array_agg(f.ord ORDER BY f.ord), array_agg(i.id ORDER BY f.ord)
	  INTO n_ord, n_id
	  FROM ins i JOIN (SELECT DISTINCT ON (s.req->>'referring_agency', s.req->>'external_ref')
	      s.ord, s.req->>'referring_agency' AS agency, s.req->>'external_ref' AS xref
	      FROM src s ORDER BY s.req->>'referring_agency', s.req->>'external_ref', s.ord) f
	    ON f.agency = i.referring_agency AND f.xref = i.external_ref;

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

	WITH n AS (
		SELECT u.id, t.x->0 AS req
		  FROM unnest(n_ord, n_id) AS u(ord, id)
		  JOIN jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o) ON t.o = u.ord)
	INSERT INTO referral_answers (referral_id, checklist, question, answer)
	SELECT n.id, a.checklist, a.key::int, a.value::boolean
	  FROM n, LATERAL (
	    SELECT 'dash' AS checklist, e.key, e.value
	      FROM jsonb_each_text(coalesce(n.req#>'{dash,answers}', '{}')) e
	    UNION ALL
	    SELECT 'sdash', e.key, e.value
	      FROM jsonb_each_text(coalesce(n.req#>'{sdash,answers}', '{}')) e) a
	 WHERE a.value IS NOT NULL;

	-- Every row's referral: the one it stored, or the one it duplicates.
	SELECT array_agg(t.o::integer ORDER BY t.o), array_agg(coalesce(u.id,
	    (SELECT k.id FROM referrals k
	      WHERE k.referring_agency = t.x->0->>'referring_agency'
	        AND k.external_ref = t.x->0->>'external_ref')) ORDER BY t.o),
	    array_agg(u.id IS NOT NULL ORDER BY t.o)
	  INTO r_ord, r_id, r_new
	  FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o)
	  LEFT JOIN unnest(n_ord, n_id) AS u(ord, id) ON u.ord = t.o;

	-- The audit rows referral_create() writes: a stored row's creation
	-- (and its link to the waiting case), a duplicate's read.
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT a.action, 'referral', a.object_id
	  FROM (SELECT r.id, 0 AS step, CASE WHEN r.new THEN 'create' ELSE 'read' END
	            AS action, r.id::text AS object_id
	          FROM unnest(r_id, r_new) AS r(id, new)
	        UNION ALL
	        SELECT k.id, 1, 'link', k.id::text || '>' || k.linked_to::text
	          FROM referrals k WHERE k.id = ANY (n_id) AND k.linked_to IS NOT NULL) a
	 ORDER BY a.id, a.step;

	FOR w IN SELECT k AS r, t.x->1->>'coordinator' AS who
	    FROM unnest(n_ord, n_id) AS u(ord, id)
	    JOIN jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o) ON t.o = u.ord
	    JOIN referrals k ON k.id = u.id
	   WHERE k.status = 'waiting' ORDER BY u.ord LOOP
		PERFORM referral_waiting_notify(w.r, w.who);
	END LOOP;

	RETURN QUERY
	SELECT r.ord, r.new, k.id, k.reference, k.forum, k.status
	  FROM unnest(r_ord, r_id, r_new) AS r(ord, id, new)
	  JOIN referrals k ON k.id = r.id
	 ORDER BY r.ord;
END
$$;

-- An import's batch (referral_store_rows), or, when the database refuses
-- any of it (an agency code that does not exist, say), each row alone
-- (referral_import), so that only the rows at fault are lost.  failed is
-- a refused row's SQLSTATE.
CREATE FUNCTION referral_import_rows(rows jsonb)
RETURNS TABLE (ord integer, created boolean, id bigint, reference text,
    forum text, status text, failed text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	BEGIN
		RETURN QUERY SELECT s.*, NULL::text FROM referral_store_rows(rows) s;
		RETURN;
	EXCEPTION WHEN OTHERS THEN
		-- Nothing of the batch is left; the rows go one at a time.
	END;
	RETURN QUERY
	SELECT t.o::integer, i.created, (i.body->>'id')::bigint, i.body->>'reference',
	    i.body->>'forum', i.body->>'status', i.failed
	  FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(x, o),
	  LATERAL referral_import(t.x->0, t.x->1) i
	 ORDER BY t.o;
END
$$;
GRANT EXECUTE ON FUNCTION referral_import_rows(jsonb) TO maracd_app;

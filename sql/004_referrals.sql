-- Referrals: the case, its people, its checklist answers, its forum history.
--
-- Rules (risk, routing, repeats) are decided in C (daemon/core); these
-- functions only store and fetch.  Row-level security is on and forced for
-- every table here: an agency sees the referrals it made, a chair those of
-- the chair's forum, a coordinator (admin) all.

CREATE TABLE referrals (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reference	text NOT NULL UNIQUE,
	external_ref	text,
	referring_agency text NOT NULL REFERENCES agencies(code),
	referrer_name	text,
	referrer_email	text,
	referrer_phone	text,
	received_at	timestamptz NOT NULL,
	received_date	date NOT NULL,		-- local date of received_at
	area		text NOT NULL,
	forum_requested	text CHECK (forum_requested IN ('marac', 'masc')),
	forum		text CHECK (forum IN ('marac', 'masc')),
	status		text NOT NULL CHECK (status IN ('listed', 'below_threshold', 'transferred')),
	domestic_abuse	boolean NOT NULL,
	stalking	boolean NOT NULL,
	urgent		boolean NOT NULL DEFAULT false,
	risk_level	text NOT NULL CHECK (risk_level IN ('standard', 'medium', 'high')),
	risk_bases	text[] NOT NULL DEFAULT '{}',
	dash_version	text,
	dash_score	integer NOT NULL DEFAULT 0,
	sdash_score	integer NOT NULL DEFAULT 0,
	judgement_level	text CHECK (judgement_level IN ('standard', 'medium', 'high')),
	judgement_reason text,
	escalation	boolean NOT NULL DEFAULT false,
	police_callouts_12m integer,
	lawful_basis	text[] NOT NULL,
	consent		text NOT NULL CHECK (consent IN ('given', 'refused', 'not_sought')),
	summary		text,
	repeat		boolean NOT NULL DEFAULT false,
	review		boolean NOT NULL DEFAULT false,
	advice		text,
	warnings	jsonb NOT NULL DEFAULT '[]',
	victim_key	text NOT NULL,		-- normalised name + dob (core/identity.c)
	perpetrator_key	text,
	sitting_id	bigint REFERENCES sittings(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint,			-- api_tokens.id
	UNIQUE (referring_agency, external_ref),
	CHECK ((status = 'below_threshold') = (forum IS NULL))
);
CREATE INDEX referrals_victim ON referrals (victim_key, received_at) WHERE forum = 'marac';
CREATE INDEX referrals_perpetrator ON referrals (perpetrator_key, received_at);
CREATE INDEX referrals_sitting ON referrals (sitting_id);
CREATE INDEX referrals_agency ON referrals (referring_agency, id);

CREATE TABLE referral_people (
	referral_id	bigint NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('victim', 'perpetrator', 'child')),
	ordinal		integer NOT NULL DEFAULT 0,
	name		text NOT NULL,
	dob		date,
	gender		text,
	postcode	text,
	relationship	text,
	in_custody	boolean,
	mappa_level	integer CHECK (mappa_level BETWEEN 0 AND 3),
	on_drive	boolean,
	in_area		boolean,
	resident	boolean,
	identity_key	text,
	PRIMARY KEY (referral_id, role, ordinal)
);
CREATE INDEX referral_people_identity ON referral_people (identity_key);

-- Checklist answers by question number: the wording is copyright and is
-- never stored (domain.md section 5).
CREATE TABLE referral_answers (
	referral_id	bigint NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	checklist	text NOT NULL CHECK (checklist IN ('dash', 'sdash')),
	question	integer NOT NULL CHECK (question BETWEEN 1 AND 28),
	answer		boolean NOT NULL,
	PRIMARY KEY (referral_id, checklist, question)
);

CREATE TABLE referral_transfers (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	referral_id	bigint NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	from_forum	text,
	to_forum	text NOT NULL,
	from_sitting	bigint,
	to_sitting	bigint,
	reason		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	by_token	bigint
);

-- Human references, MASC-2026-0042: one counter per prefix and year.
CREATE TABLE reference_counters (
	prefix	text NOT NULL,
	year	integer NOT NULL,
	last	integer NOT NULL,
	PRIMARY KEY (prefix, year)
);

GRANT SELECT, INSERT, UPDATE ON referrals, referral_people, referral_answers TO maracd_app;
GRANT SELECT, INSERT ON referral_transfers TO maracd_app;
GRANT SELECT, INSERT, UPDATE ON reference_counters TO maracd_app;

-- Row-level security.  (SELECT maracd_role()) is evaluated once per
-- statement, not once per row.
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
ALTER TABLE referrals FORCE ROW LEVEL SECURITY;
CREATE POLICY referrals_admin ON referrals
	USING ((SELECT maracd_role()) = 'admin')
	WITH CHECK ((SELECT maracd_role()) = 'admin');
CREATE POLICY referrals_chair ON referrals
	USING ((SELECT maracd_role()) = 'chair' AND forum = (SELECT maracd_forum()))
	WITH CHECK ((SELECT maracd_role()) = 'chair' AND forum = (SELECT maracd_forum()));
CREATE POLICY referrals_agency ON referrals
	USING ((SELECT maracd_role()) = 'agency' AND referring_agency = (SELECT maracd_agency()))
	WITH CHECK ((SELECT maracd_role()) = 'agency' AND referring_agency = (SELECT maracd_agency()));

-- The child tables follow their referral: a row is visible exactly when the
-- referral is (the subquery is itself subject to the policies above).
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['referral_people', 'referral_answers', 'referral_transfers'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON %I USING (EXISTS (SELECT 1 FROM referrals r '
		    'WHERE r.id = referral_id)) WITH CHECK (EXISTS (SELECT 1 FROM referrals r '
		    'WHERE r.id = referral_id))', t || '_follow', t);
	END LOOP;
END
$$;

-- The repeat rule must see every agency's MARAC referrals, which the
-- caller may not: this answers only "when was this victim last referred to
-- MARAC before t", the one fact the rule needs, and nothing else.
CREATE FUNCTION referral_previous_marac(victim_key text, before timestamptz)
RETURNS date LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT max(received_date) FROM referrals
	 WHERE referrals.victim_key = referral_previous_marac.victim_key
	   AND forum = 'marac' AND received_at < before
$$;
REVOKE ALL ON FUNCTION referral_previous_marac(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_previous_marac(text, timestamptz) TO maracd_app;

-- The sitting a referral received at t joins: the first one still to be
-- held whose cutoff instant it meets.  Cutoff instants are computed from
-- the core's working-day rule when sittings are generated (calendar.c).
CREATE FUNCTION referral_sitting_for(f text, a text, t timestamptz)
RETURNS bigint LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT id FROM sittings
	 WHERE forum = f AND area = a AND status = 'scheduled' AND cutoff_at >= t
	 ORDER BY date, id LIMIT 1
$$;

CREATE FUNCTION referral_next_reference(p_prefix text, p_year integer)
RETURNS text LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	INSERT INTO reference_counters AS c (prefix, year, last) VALUES (p_prefix, p_year, 1)
	ON CONFLICT (prefix, year) DO UPDATE SET last = c.last + 1
	RETURNING c.last INTO n;
	RETURN format('%s-%s-%s', p_prefix, p_year, lpad(n::text, 4, '0'));
END
$$;

-- The sitting part of an answer.
CREATE FUNCTION referral_sitting_json(sid bigint)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('id', s.id, 'forum', s.forum,
	    'date', to_char(s.date, 'YYYY-MM-DD'),
	    'cutoff', to_char(s.cutoff_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
	  FROM sittings s WHERE s.id = sid
$$;

-- The decision fields of a referral (the 201 answer, and part of GET).
CREATE FUNCTION referral_decision_json(r referrals)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object(
	    'id', r.id, 'reference', r.reference, 'status', r.status,
	    'forum', r.forum,
	    'risk', jsonb_build_object('level', r.risk_level, 'bases', to_jsonb(r.risk_bases),
	        'dash_score', r.dash_score, 'sdash_score', r.sdash_score),
	    'repeat', r.repeat, 'urgent', r.urgent, 'review', r.review,
	    'sitting', referral_sitting_json(r.sitting_id),
	    'advice', r.advice, 'warnings', r.warnings)
$$;

-- Store a validated referral (req: the request body, already checked by
-- core/referral.c) with its decision (d: computed by core/dash.c and
-- core/routing.c).  Idempotent on (referring_agency, external_ref): a
-- resend returns the stored referral with created = false.  One call, one
-- round trip, one audit row.
CREATE FUNCTION referral_create(req jsonb, d jsonb,
    OUT created boolean, OUT body jsonb)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	t timestamptz := (d->>'received_at')::timestamptz;
	sid bigint;
	prefix text;
	p jsonb;
	i integer := 0;
BEGIN
	IF d->>'forum' IS NOT NULL THEN
		sid := referral_sitting_for(d->>'forum', d->>'area', t);
	END IF;
	prefix := coalesce(upper(d->>'forum'), 'REF');
	INSERT INTO referrals (reference, external_ref, referring_agency,
	    referrer_name, referrer_email, referrer_phone, received_at, received_date,
	    area, forum_requested, forum, status, domestic_abuse, stalking, urgent,
	    risk_level, risk_bases, dash_version, dash_score, sdash_score,
	    judgement_level, judgement_reason, escalation, police_callouts_12m,
	    lawful_basis, consent, summary, repeat, review, advice, warnings,
	    victim_key, perpetrator_key, sitting_id, created_by)
	VALUES (referral_next_reference(prefix, extract(year FROM (d->>'received_date')::date)::int),
	    req->>'external_ref', req->>'referring_agency',
	    req#>>'{referrer,name}', req#>>'{referrer,email}', req#>>'{referrer,phone}',
	    t, (d->>'received_date')::date, d->>'area', req->>'forum_requested',
	    d->>'forum', d->>'status', (req->>'domestic_abuse')::boolean,
	    (req->>'stalking')::boolean, coalesce((req->>'urgent')::boolean, false),
	    d->>'risk_level', ARRAY(SELECT jsonb_array_elements_text(d->'risk_bases')),
	    req#>>'{dash,version}', (d->>'dash_score')::int, (d->>'sdash_score')::int,
	    req#>>'{professional_judgement,level}', req#>>'{professional_judgement,reason}',
	    coalesce((req->>'escalation')::boolean, false), (req->>'police_callouts_12m')::int,
	    ARRAY(SELECT jsonb_array_elements_text(req->'lawful_basis')), req->>'consent',
	    req->>'summary', (d->>'repeat')::boolean, (d->>'review')::boolean,
	    d->>'advice', coalesce(d->'warnings', '[]'), d->>'victim_key',
	    d->>'perpetrator_key', sid, nullif(current_setting('maracd.token_id', true), '')::bigint)
	ON CONFLICT (referring_agency, external_ref) DO NOTHING
	RETURNING * INTO r;
	IF NOT FOUND THEN
		SELECT * INTO r FROM referrals
		 WHERE referring_agency = req->>'referring_agency' AND external_ref = req->>'external_ref';
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('read', 'referral', r.id::text);
		created := false;
		body := referral_decision_json(r);
		RETURN;
	END IF;

	INSERT INTO referral_people (referral_id, role, name, dob, gender, postcode, identity_key)
	VALUES (r.id, 'victim', req#>>'{victim,name}', (req#>>'{victim,dob}')::date,
	    req#>>'{victim,gender}', req#>>'{victim,postcode}', d->>'victim_key');
	IF jsonb_typeof(req->'perpetrator') = 'object' THEN
		p := req->'perpetrator';
		INSERT INTO referral_people (referral_id, role, name, dob, gender, relationship,
		    in_custody, mappa_level, on_drive, in_area, identity_key)
		VALUES (r.id, 'perpetrator', p->>'name', (p->>'dob')::date, p->>'gender',
		    p->>'relationship', (p->>'in_custody')::boolean, (p->>'mappa_level')::int,
		    (p->>'on_drive')::boolean, (p->>'in_area')::boolean, d->>'perpetrator_key');
	END IF;
	IF jsonb_typeof(req->'children') = 'array' THEN
		FOR p IN SELECT * FROM jsonb_array_elements(req->'children') LOOP
			INSERT INTO referral_people (referral_id, role, ordinal, name, dob, resident)
			VALUES (r.id, 'child', i, p->>'name', (p->>'dob')::date, (p->>'resident')::boolean);
			i := i + 1;
		END LOOP;
	END IF;
	INSERT INTO referral_answers (referral_id, checklist, question, answer)
	SELECT r.id, 'dash', key::int, value::boolean
	  FROM jsonb_each_text(coalesce(req#>'{dash,answers}', '{}')) WHERE value IS NOT NULL
	UNION ALL
	SELECT r.id, 'sdash', key::int, value::boolean
	  FROM jsonb_each_text(coalesce(req#>'{sdash,answers}', '{}')) WHERE value IS NOT NULL;
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('create', 'referral', r.id::text);
	created := true;
	body := referral_decision_json(r);
END
$$;

-- A referral as submitted (field names of the request) plus its decision,
-- or NULL when it does not exist or the caller may not see it; the read is
-- audited only when something was read.
CREATE FUNCTION referral_get(rid bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	v referral_people;
	p referral_people;
	doc jsonb;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO v FROM referral_people WHERE referral_id = rid AND role = 'victim';
	SELECT * INTO p FROM referral_people WHERE referral_id = rid AND role = 'perpetrator';
	doc := referral_decision_json(r) || jsonb_build_object(
	    'external_ref', r.external_ref,
	    'referring_agency', r.referring_agency,
	    'referrer', jsonb_strip_nulls(jsonb_build_object('name', r.referrer_name,
	        'email', r.referrer_email, 'phone', r.referrer_phone)),
	    'received_at', to_char(r.received_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'area', r.area,
	    'forum_requested', r.forum_requested,
	    'domestic_abuse', r.domestic_abuse,
	    'stalking', r.stalking,
	    'victim', jsonb_strip_nulls(jsonb_build_object('name', v.name,
	        'dob', to_char(v.dob, 'YYYY-MM-DD'), 'gender', v.gender, 'postcode', v.postcode)),
	    'perpetrator', CASE WHEN p.name IS NULL THEN NULL ELSE jsonb_strip_nulls(
	        jsonb_build_object('name', p.name, 'dob', to_char(p.dob, 'YYYY-MM-DD'),
	        'gender', p.gender, 'relationship', p.relationship, 'in_custody', p.in_custody,
	        'mappa_level', p.mappa_level, 'on_drive', p.on_drive, 'in_area', p.in_area)) END,
	    'children', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
	        'name', c.name, 'dob', to_char(c.dob, 'YYYY-MM-DD'), 'resident', c.resident))
	        ORDER BY c.ordinal) FROM referral_people c
	        WHERE c.referral_id = rid AND c.role = 'child'), '[]'),
	    'dash', CASE WHEN r.dash_version IS NULL THEN NULL ELSE jsonb_build_object(
	        'version', r.dash_version, 'answers', coalesce((SELECT jsonb_object_agg(
	        a.question::text, a.answer) FROM referral_answers a
	        WHERE a.referral_id = rid AND a.checklist = 'dash'), '{}')) END,
	    'sdash', (SELECT jsonb_build_object('answers', jsonb_object_agg(a.question::text, a.answer))
	        FROM referral_answers a WHERE a.referral_id = rid AND a.checklist = 'sdash'
	        HAVING count(*) > 0),
	    'professional_judgement', CASE WHEN r.judgement_level IS NULL THEN NULL ELSE
	        jsonb_strip_nulls(jsonb_build_object('level', r.judgement_level,
	        'reason', r.judgement_reason)) END,
	    'escalation', r.escalation,
	    'police_callouts_12m', r.police_callouts_12m,
	    'lawful_basis', to_jsonb(r.lawful_basis),
	    'consent', r.consent,
	    'summary', r.summary,
	    'received_date', to_char(r.received_date, 'YYYY-MM-DD'),
	    'created_at', to_char(r.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'transfers', coalesce((SELECT jsonb_agg(jsonb_build_object('from', t.from_forum,
	        'to', t.to_forum, 'reason', t.reason,
	        'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')) ORDER BY t.id)
	        FROM referral_transfers t WHERE t.referral_id = rid), '[]'));
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('read', 'referral', rid::text);
	RETURN doc;
END
$$;

-- A coordinator moves a case to the other forum (professional judgement):
-- it joins that forum's next sitting it qualifies for, and the history
-- keeps where it came from.  at: now by maracd's clock (daemon/clock.h).
CREATE FUNCTION referral_transfer(rid bigint, new_forum text, why text, at timestamptz)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	sid bigint;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	sid := referral_sitting_for(new_forum, r.area, at);
	INSERT INTO referral_transfers (referral_id, from_forum, to_forum, from_sitting,
	    to_sitting, reason, by_token)
	VALUES (rid, r.forum, new_forum, r.sitting_id, sid, why,
	    nullif(current_setting('maracd.token_id', true), '')::bigint);
	UPDATE referrals SET forum = new_forum, status = 'listed', sitting_id = sid,
	    advice = NULL, review = false
	 WHERE id = rid RETURNING * INTO r;
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('transfer', 'referral', rid::text);
	RETURN referral_decision_json(r) || jsonb_build_object('transferred_from', (
	    SELECT from_forum FROM referral_transfers WHERE referral_id = rid ORDER BY id DESC LIMIT 1));
END
$$;

-- A sitting was cancelled or moved: its referrals join, by the same rule
-- as at intake (received_at against cutoff instants), the sitting they
-- now qualify for.  Each re-assigned referral is audited.
CREATE OR REPLACE FUNCTION sitting_reassign(sitting bigint) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	WITH moved AS (
		UPDATE referrals r
		   SET sitting_id = referral_sitting_for(r.forum, r.area, r.received_at)
		 WHERE r.sitting_id = sitting_reassign.sitting AND r.forum IS NOT NULL
		RETURNING r.id
	)
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT 'reassign', 'referral', id::text FROM moved;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

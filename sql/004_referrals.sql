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
	-- listed: a case of its forum, heard at sitting_id; waiting: the forum
	-- is decided but no sitting it can join exists yet (none generated, or
	-- none still to come whose cutoff it meets): it joins the first one
	-- that exists; below_threshold: no forum; linked: a further referral
	-- of the victim of a case still waiting for its sitting, heard as part
	-- of that case (linked_to); transferred: the old forum's record of a
	-- case a coordinator moved to the other forum, where it goes on as a
	-- new referral (transferred_to).
	status		text NOT NULL CHECK (status IN ('listed', 'waiting', 'below_threshold',
			    'linked', 'transferred')),
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
	linked_to	bigint REFERENCES referrals(id),
	transferred_from bigint REFERENCES referrals(id),
	transferred_to	bigint REFERENCES referrals(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint,			-- api_tokens.id
	UNIQUE (referring_agency, external_ref),
	-- Below threshold has no forum; the record of a transfer keeps the
	-- forum it left (none, when a coordinator listed a case the rules had
	-- put below threshold).
	CHECK (status <> 'below_threshold' OR forum IS NULL),
	CHECK (forum IS NOT NULL OR status IN ('below_threshold', 'transferred')),
	CHECK ((status = 'linked') = (linked_to IS NOT NULL)),
	CHECK ((status = 'transferred') = (transferred_to IS NOT NULL)),
	CHECK (status NOT IN ('linked', 'transferred', 'waiting') OR sitting_id IS NULL)
);
CREATE INDEX referrals_linked ON referrals (linked_to) WHERE linked_to IS NOT NULL;
CREATE INDEX referrals_victim ON referrals (victim_key, received_at) WHERE forum = 'marac';
CREATE INDEX referrals_perpetrator ON referrals (perpetrator_key, received_at);
CREATE INDEX referrals_sitting ON referrals (sitting_id);
CREATE INDEX referrals_agency ON referrals (referring_agency, id);
-- The sittings job looks for waiting cases at every run.
CREATE INDEX referrals_waiting ON referrals (id) WHERE status = 'waiting';

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

-- One row per transfer, on the record that was moved away (referral_id,
-- now status transferred); to_referral is the case it became.
CREATE TABLE referral_transfers (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	referral_id	bigint NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	to_referral	bigint REFERENCES referrals(id),
	from_reference	text,
	to_reference	text,
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
-- statement, not once per row.  Admins and coordinators see their areas'
-- referrals, chairs their forum's in their areas (sql/002_access.sql),
-- agencies their own.
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
ALTER TABLE referrals FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('referrals', 'forum', 'area');
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

-- The sitting a referral of forum f and area a received at t joins: the
-- first one still to come (held on today or later) whose cutoff instant it
-- meets, or NULL when none exists yet (the referral then waits: status
-- 'waiting').  today is the caller's local date from maracd's clock
-- (clock_today(), passed as a parameter), never PostgreSQL's now(): a
-- sitting before it has been held, and a late referral (received_at in
-- the past: back-dated, or an old CSV row) must not join it.  A sitting on
-- today's date is still to come (maracd(8), SITTINGS).  Every path that
-- assigns a sitting asks this: intake, import, re-assignment, the
-- resolution of waiting referrals, and transfers.  Cutoff instants are
-- computed from the core's working-day rule when sittings are generated
-- (calendar.c).
CREATE FUNCTION referral_sitting_for(f text, a text, t timestamptz, today date)
RETURNS bigint LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT id FROM sittings
	 WHERE forum = f AND area = a AND status = 'scheduled' AND cutoff_at >= t
	   AND date >= today
	 ORDER BY date, id LIMIT 1
$$;

-- Why a referral of forum f and area a has no sitting, for the referrer's
-- answer, the coordinator's mail and the needs-attention list: no series
-- of that forum and area is stored (maracd's sittings job has not run
-- since a fresh start, or [calendar] no longer configures it), or none of
-- the sittings generated so far is still to come with a cutoff it meets
-- (the next is beyond [calendar] horizon_weeks, or was cancelled).
CREATE FUNCTION referral_waiting_why(f text, a text)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM series s WHERE s.forum = f AND s.area = a)
	    THEN jsonb_build_object('code', 'no_series', 'message', format(
	        'no %s sittings have been generated for area %s yet (maracd''s sittings '
	        'job has not run since a fresh start, or [calendar] no longer has the series)',
	        upper(f), a))
	    ELSE jsonb_build_object('code', 'no_sitting', 'message', format(
	        'no %s sitting for area %s still to come has a cutoff this referral meets '
	        '(the next one is beyond the sittings generated so far, or was cancelled)',
	        upper(f), a)) END
$$;

-- Tell the coordinator (coordinator: [reminders] coordinator_email, the
-- addresses separated by commas; empty or unusable: nobody, the
-- needs-attention list still shows the case) that referral r waits for a
-- sitting.  References, forum, area and dates only: never a name.  One
-- message per transaction, forum and area: the referrals of one import
-- (or of one cancelled sitting) make one message listing them, not one
-- each.  The message stays invisible to the sender until the transaction
-- commits, so it may still grow; it lists 50 references and then
-- points at the needs-attention list.
CREATE FUNCTION referral_waiting_notify(r referrals, coordinator text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	rcpts text[] := ARRAY(SELECT btrim(x) FROM unnest(string_to_array(
	    coalesce(coordinator, ''), ',')) x WHERE btrim(x) <> '');
	k text := format('waiting:%s:%s:%s', r.forum, r.area, txid_current());
	more constant text := E'... and more: see the needs-attention list.\n';
	line text;
	head text;
BEGIN
	-- SECURITY DEFINER for the outbox, which is the owner's alone (sql/005):
	-- for authenticated callers only, as outbox_enqueue.
	PERFORM outbox_caller_check();
	IF cardinality(rcpts) = 0 OR NOT outbox_addresses_ok(rcpts) THEN
		RETURN;
	END IF;
	line := format(E'%s, received %s: %s\n', r.reference,
	    to_char(r.received_date, 'YYYY-MM-DD'),
	    referral_waiting_why(r.forum, r.area)->>'message');
	head := format('These referrals to %s for area %s have no sitting to be '
	    'heard at yet.  Each waits (status "waiting") and will be listed at the '
	    'first sitting that exists and whose cutoff it meets, as soon as maracd''s '
	    'sittings job generates one.  Until then they are on the needs-attention '
	    'list (GET /v1/attention).', upper(r.forum), r.area)
	    || E'\n\nThis message carries no personal details. '
	    || E'Sign in to maracd to see the cases.\n\n';
	IF outbox_enqueue(k, 'waiting', rcpts, format('%s referrals waiting for a sitting (%s)',
	    upper(r.forum), r.area), head || line) IS NOT NULL THEN
		RETURN;
	END IF;
	UPDATE outbox o SET body_text = o.body_text || CASE
	    WHEN length(o.body_text) - length(replace(o.body_text, E'\n', '')) - 4 < 50
	    THEN line ELSE more END
	 WHERE o.key = k AND o.status = 'queued' AND position(more IN o.body_text) = 0;
END
$$;
REVOKE ALL ON FUNCTION referral_waiting_notify(referrals, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_waiting_notify(referrals, text) TO maracd_app;

-- Case linking: the one rule, for every intake path (referral_create,
-- and so referral_import).  A new referral is linked to the waiting case
-- of the same victim (victim_key, the identity rule of repeats and
-- DRIVE) in the same forum and area: a case not linked itself, listed or
-- waiting, whose sitting is still to come on today (the clock's date) or
-- which has no sitting yet.  The oldest such case wins.  SECURITY DEFINER
-- because the case may be another agency's, which the caller cannot see:
-- only its id comes back.
CREATE FUNCTION referral_link_target(k text, f text, a text, today date)
RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN (SELECT r.id FROM referrals r LEFT JOIN sittings s ON s.id = r.sitting_id
	 WHERE r.victim_key = k AND r.forum = f AND r.area = a
	   AND r.status IN ('listed', 'waiting') AND r.linked_to IS NULL
	   AND (r.sitting_id IS NULL OR (s.status = 'scheduled' AND s.date >= today))
	 ORDER BY r.received_at, r.id LIMIT 1);
END
$$;
REVOKE ALL ON FUNCTION referral_link_target(text, text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_link_target(text, text, text, date) TO maracd_app;

-- Another referral as an answer may name it: the case a referral is
-- linked to, the record a transfer came from or went to.  SECURITY
-- DEFINER because that referral may be another agency's or forum's: what
-- comes back is its id, reference, forum, status and sitting, never a
-- name or free text.
CREATE FUNCTION referral_peer_json(rid bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	IF rid IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (SELECT jsonb_build_object('id', r.id, 'reference', r.reference,
	    'forum', r.forum, 'status', r.status,
	    'sitting', referral_sitting_json(r.sitting_id))
	  FROM referrals r WHERE r.id = rid);
END
$$;
REVOKE ALL ON FUNCTION referral_peer_json(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_peer_json(bigint) TO maracd_app;

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
-- core/routing.c; d->'today' is the local date of maracd's clock, and
-- d->'coordinator' the addresses told when the referral has to wait).  A
-- referral routed to a forum is 'listed' at the sitting it joins
-- (referral_sitting_for), or 'waiting' when none exists yet, and the
-- coordinator is told.  Idempotent on (referring_agency, external_ref): a
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
	st text := d->>'status';
	prefix text;
	p jsonb;
	i integer := 0;
	link bigint;
BEGIN
	IF d->>'forum' IS NOT NULL THEN
		IF d->>'today' IS NULL THEN
			RAISE EXCEPTION 'referral_create: the decision has no today'
			    USING ERRCODE = 'invalid_parameter_value';
		END IF;
		sid := referral_sitting_for(d->>'forum', d->>'area', t, (d->>'today')::date);
		-- The clock's date: which waiting case a referral links to.
		link := referral_link_target(d->>'victim_key', d->>'forum', d->>'area',
		    (d->>'today')::date);
		st := CASE WHEN link IS NOT NULL THEN 'linked'
		    WHEN sid IS NULL THEN 'waiting' ELSE 'listed' END;
	END IF;
	prefix := coalesce(upper(d->>'forum'), 'REF');
	INSERT INTO referrals (reference, external_ref, referring_agency,
	    referrer_name, referrer_email, referrer_phone, received_at, received_date,
	    area, forum_requested, forum, status, domestic_abuse, stalking, urgent,
	    risk_level, risk_bases, dash_version, dash_score, sdash_score,
	    judgement_level, judgement_reason, escalation, police_callouts_12m,
	    lawful_basis, consent, summary, repeat, review, advice, warnings,
	    victim_key, perpetrator_key, sitting_id, linked_to, created_by)
	VALUES (referral_next_reference(prefix, extract(year FROM (d->>'received_date')::date)::int),
	    req->>'external_ref', req->>'referring_agency',
	    req#>>'{referrer,name}', req#>>'{referrer,email}', req#>>'{referrer,phone}',
	    t, (d->>'received_date')::date, d->>'area', req->>'forum_requested',
	    d->>'forum', st, (req->>'domestic_abuse')::boolean,
	    (req->>'stalking')::boolean, coalesce((req->>'urgent')::boolean, false),
	    d->>'risk_level', ARRAY(SELECT jsonb_array_elements_text(d->'risk_bases')),
	    req#>>'{dash,version}', (d->>'dash_score')::int, (d->>'sdash_score')::int,
	    req#>>'{professional_judgement,level}', req#>>'{professional_judgement,reason}',
	    coalesce((req->>'escalation')::boolean, false), (req->>'police_callouts_12m')::int,
	    ARRAY(SELECT jsonb_array_elements_text(req->'lawful_basis')), req->>'consent',
	    -- A linked referral is part of the waiting case: never a repeat.
	    req->>'summary', (d->>'repeat')::boolean AND link IS NULL, (d->>'review')::boolean,
	    d->>'advice', coalesce(d->'warnings', '[]'), d->>'victim_key',
	    d->>'perpetrator_key', CASE WHEN link IS NULL THEN sid END, link,
	    nullif(current_setting('maracd.token_id', true), '')::bigint)
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
	IF link IS NOT NULL THEN
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('link', 'referral', r.id::text || '>' || link::text);
	ELSIF r.status = 'waiting' THEN
		PERFORM referral_waiting_notify(r, d->>'coordinator');
	END IF;
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
	    'linked', coalesce((SELECT jsonb_agg(jsonb_build_object('id', l.id,
	        'reference', l.reference, 'referring_agency', l.referring_agency,
	        'risk', l.risk_level) ORDER BY l.id)
	        FROM referrals l WHERE l.linked_to = rid), '[]'),
	    'transferred_from', referral_peer_json(r.transferred_from),
	    'transferred_to', referral_peer_json(r.transferred_to),
	    -- Every forum the case went through, oldest first, with the
	    -- references it had (a transfer copies the history along).
	    'transfers', coalesce((SELECT jsonb_agg(jsonb_build_object('from', t.from_forum,
	        'to', t.to_forum, 'from_reference', t.from_reference,
	        'to_reference', t.to_reference, 'reason', t.reason,
	        'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')) ORDER BY t.id)
	        FROM referral_transfers t WHERE t.referral_id = rid), '[]'));
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('read', 'referral', rid::text);
	RETURN doc;
END
$$;

-- A coordinator moves a case to the other forum (professional judgement).
-- The record it leaves becomes the old forum's record of the case (status
-- transferred, no sitting, its reference kept, transferred_to set); the
-- case goes on as a new referral of the new forum: a reference of the new
-- forum's series, the sitting the assignment rule gives it now (t, today:
-- the clock's), the repeat flag rep (computed by the shell with the core's
-- rule for the new forum), the same people and answers, the referrer's
-- external reference (a resend finds the case where it now is), and the
-- urgent alert of the new forum's core agencies when it is urgent (the
-- insert fires it, sql/006).  Decisions and actions stay with the record
-- they were made on.  Errors: MR001 the record was already transferred
-- (the case is transferred_to), MR002 it is already in that forum, MR003
-- it is linked to, or has linked to it, another referral (unlink first).
-- NULL when the referral does not exist.
CREATE FUNCTION referral_transfer(rid bigint, new_forum text, why text,
    rep boolean, t timestamptz, today date)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	n referrals;
	sid bigint;
	ext text;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF r.status = 'transferred' THEN
		RAISE EXCEPTION '%', r.transferred_to USING ERRCODE = 'MR001';
	END IF;
	IF r.forum IS NOT DISTINCT FROM new_forum THEN
		RAISE EXCEPTION 'same forum' USING ERRCODE = 'MR002';
	END IF;
	IF r.linked_to IS NOT NULL OR EXISTS (SELECT 1 FROM referrals l WHERE l.linked_to = rid) THEN
		RAISE EXCEPTION 'linked' USING ERRCODE = 'MR003';
	END IF;
	sid := referral_sitting_for(new_forum, r.area, t, today);
	ext := r.external_ref;
	UPDATE referrals SET external_ref = NULL WHERE id = rid;
	INSERT INTO referrals (reference, external_ref, referring_agency,
	    referrer_name, referrer_email, referrer_phone, received_at, received_date,
	    area, forum_requested, forum, status, domestic_abuse, stalking, urgent,
	    risk_level, risk_bases, dash_version, dash_score, sdash_score,
	    judgement_level, judgement_reason, escalation, police_callouts_12m,
	    lawful_basis, consent, summary, repeat, review, advice, warnings,
	    victim_key, perpetrator_key, sitting_id, transferred_from, created_by)
	VALUES (referral_next_reference(upper(new_forum), extract(year FROM today)::int),
	    ext, r.referring_agency, r.referrer_name, r.referrer_email, r.referrer_phone,
	    r.received_at, r.received_date, r.area, r.forum_requested, new_forum,
	    CASE WHEN sid IS NULL THEN 'waiting' ELSE 'listed' END,
	    r.domestic_abuse, r.stalking, r.urgent, r.risk_level, r.risk_bases,
	    r.dash_version, r.dash_score, r.sdash_score, r.judgement_level,
	    r.judgement_reason, r.escalation, r.police_callouts_12m, r.lawful_basis,
	    r.consent, r.summary, rep, false, NULL, r.warnings, r.victim_key,
	    r.perpetrator_key, sid, rid,
	    nullif(current_setting('maracd.token_id', true), '')::bigint)
	RETURNING * INTO n;
	INSERT INTO referral_people (referral_id, role, ordinal, name, dob, gender, postcode,
	    relationship, in_custody, mappa_level, on_drive, in_area, resident, identity_key)
	SELECT n.id, role, ordinal, name, dob, gender, postcode, relationship, in_custody,
	    mappa_level, on_drive, in_area, resident, identity_key
	  FROM referral_people WHERE referral_id = rid;
	INSERT INTO referral_answers (referral_id, checklist, question, answer)
	SELECT n.id, checklist, question, answer FROM referral_answers WHERE referral_id = rid;
	INSERT INTO referral_transfers (referral_id, to_referral, from_reference, to_reference,
	    from_forum, to_forum, from_sitting, to_sitting, reason, at, by_token)
	VALUES (rid, n.id, r.reference, n.reference, r.forum, new_forum, r.sitting_id, sid,
	    why, t, nullif(current_setting('maracd.token_id', true), '')::bigint);
	-- The new record carries the whole history, so that whoever may see it
	-- (the new forum's chair) sees where it came from.
	INSERT INTO referral_transfers (referral_id, to_referral, from_reference, to_reference,
	    from_forum, to_forum, from_sitting, to_sitting, reason, at, by_token)
	SELECT n.id, to_referral, from_reference, to_reference, from_forum, to_forum,
	    from_sitting, to_sitting, reason, at, by_token
	  FROM referral_transfers WHERE referral_id = rid ORDER BY id;
	UPDATE referrals SET status = 'transferred', transferred_to = n.id, sitting_id = NULL
	 WHERE id = rid;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('transfer', 'referral', rid::text || '>' || n.id::text);
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('create', 'referral', n.id::text);
	RETURN referral_decision_json(n) || jsonb_build_object('transferred_from',
	    jsonb_build_object('id', r.id, 'reference', r.reference, 'forum', r.forum));
END
$$;

-- The facts a transfer or an unlink needs for the repeat rule (computed
-- by the shell with daemon/core/repeat.c): the received date and the
-- victim's last MARAC referral before it.  No row: no such referral.
CREATE FUNCTION referral_repeat_facts(rid bigint,
    OUT received_date text, OUT previous_marac text, OUT forum text)
RETURNS SETOF record LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT to_char(r.received_date, 'YYYY-MM-DD'),
	    coalesce(to_char(referral_previous_marac(r.victim_key, r.received_at),
	        'YYYY-MM-DD'), ''), r.forum
	  FROM referrals r WHERE r.id = rid
$$;

-- A coordinator says a linked referral is not the waiting case's victim
-- after all: it becomes its own case, at the sitting it qualifies for by
-- its received time, with the repeat flag rep (the intake rule, computed
-- by the shell).  MR004: it is not linked.  NULL: no such referral.
CREATE FUNCTION referral_unlink(rid bigint, rep boolean, today date)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	was bigint;
	sid bigint;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF r.linked_to IS NULL THEN
		RAISE EXCEPTION 'not linked' USING ERRCODE = 'MR004';
	END IF;
	was := r.linked_to;
	sid := referral_sitting_for(r.forum, r.area, r.received_at, today);
	UPDATE referrals SET linked_to = NULL, repeat = rep, sitting_id = sid,
	    status = CASE WHEN sid IS NULL THEN 'waiting' ELSE 'listed' END
	 WHERE id = rid RETURNING * INTO r;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('unlink', 'referral', rid::text || '>' || was::text);
	RETURN referral_decision_json(r) || jsonb_build_object('unlinked_from',
	    referral_peer_json(was) - 'sitting' - 'status');
END
$$;

-- A sitting was cancelled or moved: its referrals join, by the same rule
-- as at intake (received_at against cutoff instants, today: the caller's
-- local date from maracd's clock), the sitting they now qualify for, or
-- wait for one (status 'waiting', and the coordinator is told).  Each
-- re-assigned referral is audited.
--
-- SECURITY DEFINER: the sittings job's caller is the job token, which no
-- policy on the referrals admits, so it would see none of them, and a
-- sitting it moved or cancelled (after a holiday change) would keep its
-- cases.  It runs as the schema owner, whose policy (sql/007) sees every
-- referral, and admits only an admin token, a job or maracctl as the
-- schema owner (referral_assign_check); it touches only the referrals of
-- the one sitting it is given.
-- Who may move cases between sittings (SECURITY DEFINER callers below): an
-- admin token, a job (maracd_is_job(), sql/002) or maracctl as the schema
-- owner; and only with the clock's date.
CREATE FUNCTION referral_assign_check(fn text, today date) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT (maracd_is_staff() OR maracd_is_job() OR
	    (NOT maracd_has_caller() AND maracd_owner_session())) THEN
		RAISE EXCEPTION '%: for an admin token or a job only', fn
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF today IS NULL THEN
		RAISE EXCEPTION '%: today is required', fn
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION sitting_reassign(sitting bigint, today date, coordinator text)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
	w referrals;
	waiting bigint[];
BEGIN
	PERFORM referral_assign_check('sitting_reassign', today);
	WITH x AS (
		SELECT r.id, referral_sitting_for(r.forum, r.area, r.received_at, today) AS sid
		  FROM referrals r
		 WHERE r.sitting_id = sitting_reassign.sitting AND r.forum IS NOT NULL
	), moved AS (
		UPDATE referrals r
		   SET sitting_id = x.sid,
		       status = CASE WHEN x.sid IS NULL THEN 'waiting' ELSE 'listed' END
		  FROM x WHERE r.id = x.id
		RETURNING r.id, r.status
	), audited AS (
		INSERT INTO audit_log (action, object_type, object_id)
		SELECT 'reassign', 'referral', id::text FROM moved
	)
	SELECT count(*), array_agg(id ORDER BY id) FILTER (WHERE status = 'waiting')
	  INTO n, waiting FROM moved;
	FOR w IN SELECT * FROM referrals WHERE id = ANY (coalesce(waiting, '{}')) ORDER BY id LOOP
		PERFORM referral_waiting_notify(w, coordinator);
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION sitting_reassign(bigint, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sitting_reassign(bigint, date, text) TO maracd_app;

-- Every waiting referral for which a sitting now exists joins it, by the
-- same rule as at intake (referral_sitting_for, today from maracd's
-- clock); each one listed is audited ('assign').  Run by the sittings job
-- right after it generates sittings, by every other refresh of sittings
-- (a holiday change through the API or maracctl) and when an admin adds a
-- sitting.  SECURITY DEFINER for the job, as sitting_reassign: an admin
-- token or a job only.  Returns how many were listed.
CREATE FUNCTION referral_resolve_waiting(today date)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	PERFORM referral_assign_check('referral_resolve_waiting', today);
	WITH x AS (
		SELECT r.id, referral_sitting_for(r.forum, r.area, r.received_at, today) AS sid
		  FROM referrals r WHERE r.status = 'waiting'
	), listed AS (
		UPDATE referrals r SET sitting_id = x.sid, status = 'listed'
		  FROM x WHERE r.id = x.id AND x.sid IS NOT NULL AND r.status = 'waiting'
		RETURNING r.id
	)
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT 'assign', 'referral', id::text FROM listed;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION referral_resolve_waiting(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_resolve_waiting(date) TO maracd_app;

-- The coordinator's needs-attention list (GET /v1/attention, admin only):
-- what maracd cannot settle by itself, oldest first.  Every item has a
-- kind, why (a code and a sentence) and the object it is about:
--	{"kind": "referral_waiting", "why": {"code", "message"},
--	 "referral": {"id", "reference", "forum", "area", "received_date"}}
--	{"kind": "referral_linked", "why": {...}, "referral": {...},
--	 "case": {"id", "reference"}}
-- Two kinds: referrals waiting for a sitting, and referrals linked to a
-- case still to be heard (today: the clock's date), whose match on the
-- victim's name and date of birth the coordinator confirms or undoes
-- (DELETE /v1/referrals/{id}/link).  Another kind is another UNION ALL
-- branch with the same common members (kind, why) and an object of its
-- own, ordered by the date it concerns.  References and codes only, no
-- names.  Runs as the caller (row-level security applies: an admin sees
-- every referral); the read is audited once.
CREATE FUNCTION attention_list(today date)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	items jsonb;
BEGIN
	SELECT coalesce(jsonb_agg(i.item ORDER BY i.at, i.kind, i.n), '[]') INTO items FROM (
		SELECT r.received_at AS at, 'referral_waiting' AS kind, r.id AS n,
		    jsonb_build_object('kind', 'referral_waiting',
		    'why', referral_waiting_why(r.forum, r.area),
		    'referral', jsonb_build_object('id', r.id, 'reference', r.reference,
		        'forum', r.forum, 'area', r.area,
		        'received_date', to_char(r.received_date, 'YYYY-MM-DD'))) AS item
		  FROM referrals r WHERE r.status = 'waiting'
		UNION ALL
		SELECT r.received_at, 'referral_linked', r.id,
		    jsonb_build_object('kind', 'referral_linked',
		    'why', jsonb_build_object('code', 'linked_to_waiting_case', 'message',
		        format('heard as part of %s, the same victim by name and date of birth; '
		        'unlink it if the match is wrong', c.reference)),
		    'referral', jsonb_build_object('id', r.id, 'reference', r.reference,
		        'forum', r.forum, 'area', r.area,
		        'received_date', to_char(r.received_date, 'YYYY-MM-DD')),
		    'case', jsonb_build_object('id', c.id, 'reference', c.reference))
		  FROM referrals r JOIN referrals c ON c.id = r.linked_to
		  LEFT JOIN sittings s ON s.id = c.sitting_id
		 WHERE r.status = 'linked' AND (c.sitting_id IS NULL OR s.date >= today)
	) i;
	INSERT INTO audit_log (action, object_type) VALUES ('list', 'attention');
	RETURN jsonb_build_object('items', items);
END
$$;

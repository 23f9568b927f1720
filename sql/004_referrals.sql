-- Referrals: the case, its people, its checklist answers, its forum
-- history, and their intake one at a time (POST /v1/referrals) or by CSV
-- import (POST /v1/referrals/import, maracctl import).
--
-- Risk, routing and the repeat rule are decided in C (daemon/core) and
-- stored here.  What must be decided atomically with the write is decided
-- here, in the referral's own transaction: which sitting a referral joins
-- (referral_sitting_for), the waiting case it links to
-- (referral_link_targets) and its reference (referral_next_reference);
-- docs/architecture.md says why.  Row-level security is on and forced for
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
	-- When the retention purge anonymised it (013_retention.sql).
	purged_at	timestamptz,
	-- Intake's optional equality fields (docs/statistics.md), validated by
	-- daemon/core/referral.c; never required, "not known" when not given.
	-- The ages are those on the received date, computed once by the core
	-- (core/intake.c) for the figures.  The self-descriptions of gender are
	-- the person's own words: kept for the case, never counted, and removed
	-- when the referral is anonymised (referral_equality_purge, below).
	victim_gender text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_gender IN ('not_known', 'female', 'male', 'non_binary',
	        'self_described', 'prefer_not_to_say')),
	victim_gender_description text,
	victim_ethnicity text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_ethnicity IN ('not_known', 'prefer_not_to_say',
	        'asian_bangladeshi', 'asian_chinese', 'asian_indian', 'asian_pakistani',
	        'asian_other', 'black_african', 'black_caribbean', 'black_other',
	        'mixed_white_asian', 'mixed_white_black_african',
	        'mixed_white_black_caribbean', 'mixed_other', 'white_british',
	        'white_irish', 'white_gypsy_traveller', 'white_roma', 'white_other',
	        'other_arab', 'other_any')),
	victim_disability text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_disability IN ('not_known', 'yes', 'no', 'prefer_not_to_say')),
	victim_lgbt text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_lgbt IN ('not_known', 'yes', 'no', 'prefer_not_to_say')),
	victim_informed boolean,
	victim_age integer,
	perpetrator_gender text NOT NULL DEFAULT 'not_known'
	    CHECK (perpetrator_gender IN ('not_known', 'female', 'male', 'non_binary',
	        'self_described', 'prefer_not_to_say')),
	perpetrator_gender_description text,
	perpetrator_age integer,
	children_in_household integer CHECK (children_in_household >= 0),
	-- The checklists' answers, indexed by question number (NULL where a
	-- question was not answered; the column NULL when the checklist was not
	-- sent): one column each, not 27 rows of a table, each with its foreign
	-- key check and index entry (an import's time, bench/RESULTS.md).
	-- referral_answers, below, shows them as rows.
	dash_answers boolean[] CHECK (cardinality(dash_answers) <= 28),
	sdash_answers boolean[] CHECK (cardinality(sdash_answers) <= 28),
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
-- referral_link_targets() looks a victim's waiting case up by victim key,
-- forum and area in any forum, which referrals_victim (MARAC only) does
-- not cover: without this, every referral scanned the whole table, and
-- an import of N rows cost N scans of a table growing to N rows.
CREATE INDEX referrals_link ON referrals (victim_key, forum, area)
	WHERE status IN ('listed', 'waiting') AND linked_to IS NULL;
-- Deleting a referral (retention_purge_referrals, 013_retention.sql) checks
-- that no referral names it as transferred from or to: without these, two
-- sequential scans of every referral in the country per referral deleted
-- (issue 24).  Few referrals are transferred, hence partial.
CREATE INDEX referrals_transferred_from ON referrals (transferred_from)
	WHERE transferred_from IS NOT NULL;
CREATE INDEX referrals_transferred_to ON referrals (transferred_to)
	WHERE transferred_to IS NOT NULL;

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
-- never stored (docs/domain.md, Referrals).  They live on the referral's
-- row (dash_answers, sdash_answers); referral_answers shows them as rows
-- with the columns every reader (referral_get, DRIVE's history, the
-- retention export) reads.  It runs as the caller (security_invoker), so
-- the referral's row-level security decides.  An INSERT into it (a
-- transfer copies its answers) sets the element.
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
-- A referral's transfers: GET of a referral lists them (referral_get), and
-- deleting a referral (the retention purge) checks both foreign keys;
-- without these each was a sequential scan of every transfer.
CREATE INDEX referral_transfers_referral ON referral_transfers (referral_id);
CREATE INDEX referral_transfers_to ON referral_transfers (to_referral);

-- Human references, MASC-2026-0042: one counter per prefix and year.
CREATE TABLE reference_counters (
	prefix	text NOT NULL,
	year	integer NOT NULL,
	last	integer NOT NULL,
	PRIMARY KEY (prefix, year)
);

GRANT SELECT, INSERT, UPDATE ON referrals, referral_people TO maracd_app;
GRANT SELECT, INSERT ON referral_transfers TO maracd_app;
GRANT SELECT, INSERT, UPDATE ON reference_counters TO maracd_app;

-- Row-level security.  (SELECT maracd_role()) is evaluated once per
-- statement, not once per row.  Admins and coordinators see their areas'
-- referrals, chairs their forum's in their areas (002_access.sql),
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
	FOREACH t IN ARRAY ARRAY['referral_people', 'referral_transfers'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON %I USING (EXISTS (SELECT 1 FROM referrals r '
		    'WHERE r.id = referral_id)) WITH CHECK (EXISTS (SELECT 1 FROM referrals r '
		    'WHERE r.id = referral_id))', t || '_follow', t);
	END LOOP;
END
$$;

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
CREATE POLICY referral_transfers_owner ON referral_transfers TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- The repeat rule must see every agency's MARAC referrals, which the
-- caller may not: this answers only "when was this victim last referred to
-- MARAC before t", the one fact the rule needs, and nothing else.
--
-- This one (every new referral asks it) and the two parts of every
-- referral answer below (referral_sitting_json, referral_decision_json)
-- are PL/pgSQL, not SQL: a SQL function with a SET clause can be neither
-- inlined nor keep a plan, so PostgreSQL parsed and planned its body at
-- every call (about 70 microseconds each, half a read's time inside
-- PostgreSQL; bench/RESULTS.md), while PL/pgSQL caches its plans for the
-- session.
CREATE FUNCTION referral_previous_marac(victim_key text, before timestamptz)
RETURNS date LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN (SELECT p.previous FROM referral_previous_maracs(ARRAY[victim_key],
	    ARRAY[before]) p);
END
$$;

-- The same for many victims at once (an import's wave): element i of
-- victim_keys and befores, the answer for it as ord i.  One call, not one
-- per row: a SECURITY DEFINER call with a SET clause costs more than the
-- index probe it makes.
CREATE FUNCTION referral_previous_maracs(victim_keys text[], befores timestamptz[])
RETURNS TABLE (ord bigint, previous date) LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	-- The old forum's record of a transfer is not a referral of its own:
	-- the case it became counts, in the forum it went to.
	RETURN QUERY
	SELECT x.o, (SELECT max(r.received_date) FROM referrals r
	         WHERE r.victim_key = x.k AND r.forum = 'marac' AND r.status <> 'transferred'
	           AND r.received_at < x.t)
	  FROM unnest(victim_keys, befores) WITH ORDINALITY AS x(k, t, o);
END
$$;
REVOKE ALL ON FUNCTION referral_previous_maracs(text[], timestamptz[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_previous_maracs(text[], timestamptz[]) TO maracd_app;
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

-- Case linking: the one rule, for every intake path (referral_store_rows,
-- and so referral_create and an import).  A new referral is linked to the
-- waiting case of the same victim (victim_key, the identity rule of
-- repeats and DRIVE) in the same forum and area: a case not linked itself,
-- listed or waiting, whose sitting is still to come on today (the clock's
-- date) or which has no sitting yet.  The oldest such case wins.  For
-- many referrals at once (element i of each array is one; ord i its
-- answer, NULL: none), in one call: a SECURITY DEFINER call with a SET
-- clause per referral cost more than the index probe it made.  SECURITY
-- DEFINER because the case may be another agency's, which the caller
-- cannot see: only its id comes back.
CREATE FUNCTION referral_link_targets(k text[], f text[], a text[], today date[])
RETURNS TABLE (ord bigint, target bigint) LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT x.o, (SELECT r.id FROM referrals r LEFT JOIN sittings s ON s.id = r.sitting_id
	 WHERE r.victim_key = x.k AND r.forum = x.f AND r.area = x.a
	   AND r.status IN ('listed', 'waiting') AND r.linked_to IS NULL
	   AND (r.sitting_id IS NULL OR (s.status = 'scheduled' AND s.date >= x.today))
	 ORDER BY r.received_at, r.id LIMIT 1)
	  FROM unnest(k, f, a, today) WITH ORDINALITY AS x(k, f, a, today, o);
END
$$;
REVOKE ALL ON FUNCTION referral_link_targets(text[], text[], text[], date[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referral_link_targets(text[], text[], text[], date[]) TO maracd_app;

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
-- Without a SET clause and STABLE as format() is, so that the planner
-- inlines it (an import formats a reference per row); it names only
-- pg_catalog's functions.
CREATE FUNCTION referral_format_reference(p_prefix text, p_year integer, k integer)
RETURNS text LANGUAGE sql STABLE
AS $$
	SELECT pg_catalog.format('%s-%s-%s', p_prefix, p_year,
	    pg_catalog.lpad(k::text, greatest(4, pg_catalog.length(k::text)), '0'))
$$;

CREATE FUNCTION referral_next_reference(p_prefix text, p_year integer)
RETURNS text LANGUAGE sql
SET search_path = public, pg_temp
AS $$
	SELECT referral_format_reference(p_prefix, p_year,
	    referral_reserve_references(p_prefix, p_year, 1))
$$;

-- The sitting part of an answer.
CREATE FUNCTION referral_sitting_json(sid bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN (SELECT jsonb_build_object('id', s.id, 'forum', s.forum,
	    'date', to_char(s.date, 'YYYY-MM-DD'),
	    'cutoff', to_char(s.cutoff_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
	  FROM sittings s WHERE s.id = sid);
END
$$;

-- A waiting referral's answer says so in plain words (warnings): derived,
-- not stored, so it goes once the referral is listed.
CREATE FUNCTION referral_waiting_warning(r referrals)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_array(jsonb_build_object('code', 'waiting_for_sitting',
	    'message', format('This referral waits for a %s sitting: %s. The coordinator '
	    'has been told; it will be listed at the first sitting that exists and whose '
	    'cutoff it meets.', upper(r.forum), referral_waiting_why(r.forum, r.area)->>'message')))
$$;

-- The decision fields of a referral (the 201 answer, and part of GET).
CREATE FUNCTION referral_decision_json(r referrals)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN jsonb_build_object(
	    'id', r.id, 'reference', r.reference, 'status', r.status,
	    'forum', r.forum,
	    'risk', jsonb_build_object('level', r.risk_level, 'bases', to_jsonb(r.risk_bases),
	        'dash_score', r.dash_score, 'sdash_score', r.sdash_score),
	    'repeat', r.repeat, 'urgent', r.urgent, 'review', r.review,
	    'sitting', referral_sitting_json(r.sitting_id),
	    'advice', r.advice, 'warnings', CASE WHEN r.status = 'waiting'
	        THEN r.warnings || referral_waiting_warning(r) ELSE r.warnings END)
	    -- A linked referral is heard as part of the waiting case: the answer
	    -- names that case by reference (and its sitting), nothing more.
	    || CASE WHEN r.linked_to IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(
	        'linked_to', referral_peer_json(r.linked_to) - 'status' - 'forum') END
	    || CASE WHEN r.transferred_to IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(
	        'transferred_to', referral_peer_json(r.transferred_to)) END;
END
$$;

-- A referral as submitted (field names of the request) plus its decision,
-- or NULL when it does not exist or the caller may not see it; the read is
-- audited only when something was read.
CREATE FUNCTION referral_get_case(rid bigint)
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
-- insert fires it, 005_outbox.sql).  Decisions and actions stay with the record
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

-- Who may move cases between sittings (SECURITY DEFINER callers below): an
-- admin token, a job (maracd_is_job(), 002_access.sql) or maracctl as the
-- schema owner; and only with the clock's date.
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

-- Called, in the same transaction, whenever a sitting is cancelled or its
-- date or cutoff changes (by an admin through the API, or by the sittings
-- job after a holiday change): the sitting's referrals join, by the same
-- rule as at intake (referral_sitting_for: received_at against cutoff
-- instants, today: the caller's local date from maracd's clock), the
-- sitting they now qualify for, or wait for one (status 'waiting', and
-- coordinator, the addresses told of a case left with no sitting, is
-- told).  Each re-assigned referral is audited.  Returns how many
-- referrals moved.
--
-- SECURITY DEFINER: the sittings job's caller is the job token, which no
-- policy on the referrals admits, so it would see none of them, and a
-- sitting it moved or cancelled (after a holiday change) would keep its
-- cases.  It runs as the schema owner, whose policy (referrals_owner,
-- above) sees every referral, and admits only an admin token, a job or
-- maracctl as the schema owner (referral_assign_check); it touches only
-- the referrals of the one sitting it is given.
CREATE FUNCTION sitting_reassign(sitting bigint, today date, coordinator text)
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
		UNION ALL
		-- Agencies past a sitting's information deadline with cases
		-- not researched (sql/014_research.sql), until it is held.
		SELECT s.research_due::timestamptz, 'research_missing', s.id,
		    jsonb_build_object('kind', 'research_missing',
		    'why', jsonb_build_object('code', 'research_overdue', 'message',
		        format('%s has not returned research on %s of %s cases; due %s',
		            m.agency, m.missing, m.cases, to_char(s.research_due, 'YYYY-MM-DD'))),
		    'sitting', jsonb_build_object('id', s.id, 'forum', s.forum, 'area', s.area,
		        'date', to_char(s.date, 'YYYY-MM-DD')),
		    'agency', m.agency)
		  FROM sittings s
		  JOIN LATERAL (SELECT v.invited FROM agenda_versions v WHERE v.sitting_id = s.id
		      ORDER BY v.version DESC LIMIT 1) v ON true
		  CROSS JOIN LATERAL (
			SELECT i.agency, count(*) AS cases,
			    count(*) FILTER (WHERE x.agency IS NULL) AS missing
			  FROM unnest(v.invited) i(agency)
			  JOIN referrals r ON r.sitting_id = s.id AND r.status = 'listed'
			  LEFT JOIN research_returns x ON x.sitting_id = s.id
			   AND x.referral_id = r.id AND x.agency = i.agency
			 GROUP BY i.agency) m
		 WHERE s.status = 'scheduled' AND s.research_due < today AND s.date >= today
		   AND m.missing > 0
	) i;
	INSERT INTO audit_log (action, object_type) VALUES ('list', 'attention');
	RETURN jsonb_build_object('items', items);
END
$$;

--
-- CSV import: many referrals in one transaction, by the same rules.
--

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

-- Intake's equality fields (docs/statistics.md).

-- A transfer's new record is the same case: it keeps the equality fields
-- (referral_transfer, above, copies the columns it knows).
CREATE FUNCTION referral_equality_carry() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	o referrals;
BEGIN
	SELECT * INTO o FROM referrals WHERE id = NEW.transferred_from;
	IF FOUND THEN
		NEW.victim_gender := o.victim_gender;
		NEW.victim_gender_description := o.victim_gender_description;
		NEW.victim_ethnicity := o.victim_ethnicity;
		NEW.victim_disability := o.victim_disability;
		NEW.victim_lgbt := o.victim_lgbt;
		NEW.victim_informed := o.victim_informed;
		NEW.victim_age := o.victim_age;
		NEW.perpetrator_gender := o.perpetrator_gender;
		NEW.perpetrator_gender_description := o.perpetrator_gender_description;
		NEW.perpetrator_age := o.perpetrator_age;
		NEW.children_in_household := o.children_in_household;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER referral_equality_carry BEFORE INSERT ON referrals
	FOR EACH ROW WHEN (NEW.transferred_from IS NOT NULL)
	EXECUTE FUNCTION referral_equality_carry();

-- Anonymising (retention_purge_referrals, sql/013) sets purged_at: the
-- person's own words about their gender go with the other free text.
CREATE FUNCTION referral_equality_purge() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	NEW.victim_gender_description := NULL;
	NEW.perpetrator_gender_description := NULL;
	RETURN NEW;
END
$$;
CREATE TRIGGER referral_equality_purge BEFORE UPDATE OF purged_at ON referrals
	FOR EACH ROW WHEN (NEW.purged_at IS NOT NULL)
	EXECUTE FUNCTION referral_equality_purge();

-- Store referrals: rows is a JSON array of [req, d] pairs (core/import.c,
-- import_row_store_json; api_referrals.c for one), each the request
-- body as core/referral.c checked it and the decision core/dash.c and
-- core/routing.c made (d->'today': the local date of maracd's clock;
-- d->'coordinator': who is told when a referral has to wait).  No two
-- rows have the same victim (an import splits a batch into waves by
-- victim key), so the repeat facts the caller read for each row and the
-- case each links to are what they would be one row at a time.  The
-- rules that must be decided with the write are the same functions for
-- every path: the sitting is referral_sitting_for(), asked once per
-- forum, area and instant; the waiting case a row links to
-- referral_link_targets(); references are reserved n at a time per prefix
-- and year.  Idempotent on (referring_agency, external_ref): a row
-- already stored (or named twice in the rows) comes back with created =
-- false and its read audited.  Audit rows: a stored row's creation (and
-- its link to the waiting case), a duplicate's read.  One row per
-- element, in its order (ord counts from 1).  Fails as a whole;
-- referral_import_rows() then stores the rows one at a time.
CREATE FUNCTION referral_store_rows(rows jsonb)
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
	routed AS MATERIALIZED (
		SELECT s.ord, s.d->>'victim_key' AS k, s.d->>'forum' AS f, s.d->>'area' AS a,
		    (s.d->>'today')::date AS today
		  FROM src s WHERE s.d->>'forum' IS NOT NULL),
	-- The case each routed row links to, one call for them all.
	link AS MATERIALIZED (
		SELECT r.ord, l.target
		  FROM referral_link_targets(ARRAY(SELECT k FROM routed ORDER BY ord),
		      ARRAY(SELECT f FROM routed ORDER BY ord), ARRAY(SELECT a FROM routed ORDER BY ord),
		      ARRAY(SELECT today FROM routed ORDER BY ord)) l
		  JOIN (SELECT routed.ord, row_number() OVER (ORDER BY routed.ord) AS i
		      FROM routed) r ON r.i = l.ord),
	dec AS MATERIALIZED (
		SELECT s.*, coalesce(upper(s.d->>'forum'), 'REF') AS prefix,
		    extract(year FROM (s.d->>'received_date')::date)::integer AS year, slot.sid,
		    link.target AS link
		  FROM src s LEFT JOIN slot ON slot.f = s.d->>'forum' AND slot.a = s.d->>'area'
		   AND slot.t = (s.d->>'received_at')::timestamptz
		   AND slot.today = (s.d->>'today')::date
		  LEFT JOIN link ON link.ord = s.ord),
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

GRANT EXECUTE ON FUNCTION referral_store_rows(jsonb) TO maracd_app;

-- One referral (POST /v1/referrals, a draft's submission, an import's
-- row alone): referral_store_rows with one row, and the answer.
CREATE FUNCTION referral_create(req jsonb, d jsonb,
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
GRANT EXECUTE ON FUNCTION referral_create(jsonb, jsonb) TO maracd_app;

-- GET /v1/referrals/{id}: referral_get_case's answer with the equality fields.
CREATE FUNCTION referral_get(rid bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	doc jsonb := referral_get_case(rid);
	r referrals;
BEGIN
	IF doc IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO r FROM referrals WHERE id = rid;
	-- As submitted: "not known" is what an absent field means, so it is
	-- left out (the gender of sql/004's answer with it).
	doc := jsonb_set(doc, '{victim}', ((doc->'victim') - 'gender') || jsonb_strip_nulls(
	    jsonb_build_object('gender', nullif(r.victim_gender, 'not_known'),
	    'gender_description', r.victim_gender_description,
	    'ethnicity', nullif(r.victim_ethnicity, 'not_known'),
	    'disability', nullif(r.victim_disability, 'not_known'),
	    'lgbt', nullif(r.victim_lgbt, 'not_known'),
	    'informed_of_referral', r.victim_informed)));
	IF jsonb_typeof(doc->'perpetrator') = 'object' THEN
		doc := jsonb_set(doc, '{perpetrator}', ((doc->'perpetrator') - 'gender') ||
		    jsonb_strip_nulls(jsonb_build_object(
		    'gender', nullif(r.perpetrator_gender, 'not_known'),
		    'gender_description', r.perpetrator_gender_description,
		    -- The age as stated; with a date of birth it is computed.
		    'age', CASE WHEN doc#>>'{perpetrator,dob}' IS NULL THEN r.perpetrator_age END)));
	END IF;
	IF r.children_in_household IS NOT NULL THEN
		doc := doc || jsonb_build_object('children_in_household', r.children_in_household);
	END IF;
	RETURN doc;
END
$$;
GRANT EXECUTE ON FUNCTION referral_get(bigint) TO maracd_app;

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

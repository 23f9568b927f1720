-- What a sitting decided: the minutes, a decision per case, the actions
-- it gave agencies, and the review of earlier actions (docs/domain.md,
-- Decisions, minutes, actions and reminders).
--
-- Which areas a forum records and which statuses an action may take are
-- checked in C (daemon/core/actions.c) for clear errors, and again here so
-- that nothing else can write them wrong.  Every change keeps who, when
-- and what it was before.

-- The SafeLives minutes checklist: venue or link, chair, attendees by
-- agency, observers and their confidentiality statements, apologies and
-- whether the agency sent information, the statement read out.
CREATE TABLE sitting_minutes (
	sitting_id	bigint PRIMARY KEY REFERENCES sittings(id),
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	venue		text CHECK (length(venue) <= 500),
	chair		text CHECK (length(chair) <= 200),
	-- [{"agency": "police", "name": "DS Smith"}]
	attendees	jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attendees) = 'array'),
	-- [{"name": "...", "organisation": "...", "confidentiality_signed": true}]
	observers	jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(observers) = 'array'),
	-- [{"agency": "housing", "information_sent": true}]
	apologies	jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(apologies) = 'array'),
	confidentiality_statement text CHECK (length(confidentiality_statement) <= 10000),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint
);

-- One decision per case per sitting.  Editable until the chair signs it
-- off; after that a change is an amendment with a reason, and the signed
-- text it replaces is kept in decision_versions.
CREATE TABLE decisions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	sitting_id	bigint NOT NULL REFERENCES sittings(id),
	referral_id	bigint NOT NULL REFERENCES referrals(id),
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	reference	text NOT NULL,
	attendees	text[] NOT NULL DEFAULT '{}',
	-- {"victim": "...", "offender": "...", ...}: keys are the forum's areas
	areas		jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(areas) = 'object'),
	outcome		text CHECK (length(outcome) <= 20000),
	-- "Will enforcement or DRIVE increase the risk?" (MARAC only)
	drive_increases_risk boolean,
	lawful_basis	text[] NOT NULL,	-- carried from the referral
	version		integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	signed_off_at	timestamptz,
	signed_off_by	bigint,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint,
	-- Who signed it off: the caller's token (signed_off_by) or, for a
	-- chair signed in through the pages (web_chair.c), who has no token,
	-- the user.
	signed_off_user	bigint,
	-- MASC decisions' structured outcomes (docs/statistics.md, MASC
	-- indicators; docs/api.md, the decision): the stages a Stalking
	-- Protection Order reached and the onward referrals made, recorded
	-- where they are counted.  The values are checked by
	-- daemon/core/decision.c (decision_spo_stages,
	-- decision_onward_referrals); the CHECKs only guard the table against
	-- anything else.  NULL: nothing recorded.
	masc_spo	text[]
	    CHECK (masc_spo <@ ARRAY['considered', 'applied_for', 'interim_granted',
	        'full_granted', 'breached']),
	masc_onward_referrals text[]
	    CHECK (masc_onward_referrals <@ ARRAY['mappa', 'stalking_clinic', 'isac_idva',
	        'perpetrator_programme']),
	UNIQUE (sitting_id, referral_id),
	CHECK (forum = 'marac' OR drive_increases_risk IS NULL),
	CONSTRAINT decisions_signed_off_signer
		CHECK ((signed_off_at IS NULL) = (signed_off_by IS NULL AND signed_off_user IS NULL)),
	CONSTRAINT decisions_masc_outcomes CHECK ((masc_spo IS NULL) =
	    (masc_onward_referrals IS NULL) AND (forum = 'masc' OR masc_spo IS NULL))
);
CREATE INDEX decisions_referral ON decisions (referral_id);

-- Every signed version: version 1 when first signed off, then one row per
-- amendment with its reason.  Rows are never changed.
CREATE TABLE decision_versions (
	decision_id	bigint NOT NULL REFERENCES decisions(id),
	version		integer NOT NULL,
	content		jsonb NOT NULL,
	reason		text CHECK (length(reason) <= 2000),	-- NULL for the first sign-off
	at		timestamptz NOT NULL DEFAULT now(),
	by_token	bigint,
	PRIMARY KEY (decision_id, version)
);

-- Actions.  The reference is copied from the referral: an agency that owns
-- an action may not be the agency that referred, and must still be able
-- to name the case (references are not personal data).
CREATE TABLE actions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	referral_id	bigint NOT NULL REFERENCES referrals(id),
	sitting_id	bigint REFERENCES sittings(id),
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	reference	text NOT NULL,
	agency		text NOT NULL REFERENCES agencies(code),
	area		text NOT NULL CHECK (area ~ '^[a-z][a-z0-9_]{0,31}$'),
	description	text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
	due		date NOT NULL,
	status		text NOT NULL DEFAULT 'open' CHECK (status IN
			    ('open', 'in_progress', 'completed', 'no_longer_relevant')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX actions_agency_outstanding ON actions (agency, due)
	WHERE status IN ('open', 'in_progress');
CREATE INDEX actions_referral ON actions (referral_id);
-- Actions of a sitting: the decision record of a sitting (record_sitting_json,
-- 009_records.sql), the action list's ?sitting= filter, and the foreign
-- key's check when a sitting's records are purged (013_retention.sql).
-- Without it each was a sequential scan of every action in the country
-- (issue 24: about 2 million), with the row-level security check on each
-- row.  Actions stored without a sitting belong to their referral's: they
-- are never looked up by sitting.
CREATE INDEX actions_sitting ON actions (sitting_id) WHERE sitting_id IS NOT NULL;

-- Who changed what, when, from what to what, and why.
CREATE TABLE action_history (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	action_id	bigint NOT NULL REFERENCES actions(id),
	at		timestamptz NOT NULL DEFAULT now(),
	token_id	bigint,
	role		text,
	agency		text,
	field		text NOT NULL CHECK (field IN ('created', 'status', 'due',
			    'description', 'note', 'review')),
	from_value	text,
	to_value	text,
	note		text CHECK (length(note) <= 4000)
);
CREATE INDEX action_history_action ON action_history (action_id, id);

-- An earlier action reviewed when its case comes back.  A missed action is
-- a change in circumstance or the agency not having done it: persistent
-- non-completion goes to the steering group, so the two are kept apart.
CREATE TABLE action_reviews (
	action_id	bigint NOT NULL REFERENCES actions(id),
	sitting_id	bigint NOT NULL REFERENCES sittings(id),
	result		text NOT NULL CHECK (result IN ('completed',
			    'change_in_circumstance', 'not_undertaken', 'carried_forward')),
	note		text CHECK (length(note) <= 4000),
	at		timestamptz NOT NULL DEFAULT now(),
	by_token	bigint,
	PRIMARY KEY (action_id, sitting_id)
);

GRANT SELECT, INSERT, UPDATE ON sitting_minutes, decisions TO maracd_app;
GRANT SELECT, INSERT ON decision_versions, action_history TO maracd_app;
GRANT SELECT, INSERT, UPDATE ON actions, action_reviews TO maracd_app;

-- Row-level security.  Minutes and decisions belong to the forum's chairs
-- and the coordinators of the sitting's area; agencies see neither (the
-- chair's export is how a decision leaves the meeting).  An agency sees and
-- updates the actions it owns, whoever referred the case.
ALTER TABLE sitting_minutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE sitting_minutes FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('sitting_minutes', 'forum', '(SELECT s.area FROM public.sittings s WHERE s.id = sitting_id)');
ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE decisions FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('decisions', 'forum', '(SELECT s.area FROM public.sittings s WHERE s.id = sitting_id)');
ALTER TABLE actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE actions FORCE ROW LEVEL SECURITY;
SELECT maracd_scope_policies('actions', 'forum',
    '(SELECT r.area FROM public.referrals r WHERE r.id = referral_id)');
CREATE POLICY actions_agency ON actions
	USING ((SELECT maracd_role()) = 'agency' AND agency = (SELECT maracd_agency()))
	WITH CHECK ((SELECT maracd_role()) = 'agency' AND agency = (SELECT maracd_agency()));

-- The child tables follow their parent row.
ALTER TABLE decision_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE decision_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY decision_versions_follow ON decision_versions
	USING (EXISTS (SELECT 1 FROM decisions d WHERE d.id = decision_id))
	WITH CHECK (EXISTS (SELECT 1 FROM decisions d WHERE d.id = decision_id));
ALTER TABLE action_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_history FORCE ROW LEVEL SECURITY;
CREATE POLICY action_history_follow ON action_history
	USING (EXISTS (SELECT 1 FROM actions a WHERE a.id = action_id))
	WITH CHECK (EXISTS (SELECT 1 FROM actions a WHERE a.id = action_id));
-- Reviews are the sitting's business: chairs and coordinators write them;
-- the owning agency may read how its action was reviewed.
ALTER TABLE action_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY action_reviews_read ON action_reviews FOR SELECT
	USING (EXISTS (SELECT 1 FROM actions a WHERE a.id = action_id));
CREATE POLICY action_reviews_write ON action_reviews FOR INSERT
	WITH CHECK ((SELECT maracd_role()) IN ('admin', 'coordinator', 'chair')
	    AND EXISTS (SELECT 1 FROM actions a WHERE a.id = action_id));
CREATE POLICY action_reviews_update ON action_reviews FOR UPDATE
	USING ((SELECT maracd_role()) IN ('admin', 'coordinator', 'chair')
	    AND EXISTS (SELECT 1 FROM actions a WHERE a.id = action_id));

-- The schema owner: maracctl connects as the owner, and the SECURITY
-- DEFINER functions that read for a job (the reminders, 010_reminders.sql)
-- or purge (013_retention.sql) run as the owner, which is itself under
-- forced row-level security on these tables.  As with the referrals
-- (referrals_owner, 004_referrals.sql) a policy for the owner gives it
-- nothing it could not take, and keeps security forced for every other
-- role.  Reading serves the decision records (009_records.sql) and the
-- reminders; changing and deleting only the purge, hence no INSERT.
CREATE POLICY sitting_minutes_owner_read ON sitting_minutes FOR SELECT
	TO CURRENT_USER USING (true);
CREATE POLICY decisions_owner_read ON decisions FOR SELECT
	TO CURRENT_USER USING (true);
CREATE POLICY decision_versions_owner_read ON decision_versions FOR SELECT
	TO CURRENT_USER USING (true);
CREATE POLICY actions_owner_read ON actions FOR SELECT
	TO CURRENT_USER USING (true);
CREATE POLICY action_history_owner_read ON action_history FOR SELECT
	TO CURRENT_USER USING (true);
CREATE POLICY action_reviews_owner_read ON action_reviews FOR SELECT
	TO CURRENT_USER USING (true);
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['sitting_minutes', 'decisions', 'decision_versions',
	    'actions', 'action_history', 'action_reviews'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE TO CURRENT_USER '
		    'USING (true) WITH CHECK (true)', t || '_owner_purge_update', t);
		EXECUTE format('CREATE POLICY %I ON %I FOR DELETE TO CURRENT_USER '
		    'USING (true)', t || '_owner_purge_delete', t);
	END LOOP;
END
$$;

-- An agency may move its own action along (status) and nothing else: the
-- description, due date, area and owner are the sitting's.  Policies
-- decide which rows; this decides which columns.
CREATE FUNCTION actions_agency_columns() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	IF (SELECT maracd_role()) = 'agency' AND (NEW.description, NEW.due, NEW.area,
	    NEW.agency, NEW.referral_id, NEW.sitting_id, NEW.forum, NEW.reference)
	    IS DISTINCT FROM (OLD.description, OLD.due, OLD.area, OLD.agency,
	    OLD.referral_id, OLD.sitting_id, OLD.forum, OLD.reference) THEN
		RAISE EXCEPTION 'an agency may change only the status of its actions'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER actions_agency_columns BEFORE UPDATE ON actions
	FOR EACH ROW EXECUTE FUNCTION actions_agency_columns();

-- An action's history, oldest first, for action_json.
CREATE FUNCTION action_history_json(aid bigint) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
	    'at', to_char(h.at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'role', h.role, 'agency', h.agency, 'token_id', h.token_id,
	    'field', h.field, 'from', h.from_value, 'to', h.to_value,
	    'note', h.note)) ORDER BY h.id), '[]')
	  FROM action_history h WHERE h.action_id = aid
$$;
-- An action as the API shows it, with its history when asked for; cheap
-- enough to call per row.  A page of the action list (200 actions) spent
-- about 0.5 ms an action here when this had a SET clause and a sub-select
-- (issue 24): a SQL function with either is never inlined, so each call
-- started an executor for its body.  Without either, the planner writes
-- the body into the calling statement; the history (only with_history, a
-- single action) is action_history_json's, which keeps its SET clause.
-- SECURITY INVOKER, so row-level security on action_history applies; the
-- only name it uses is schema-qualified, so the caller's search_path gives
-- the caller nothing (as with the policy functions, 002_access.sql).
--
-- The members themselves are action_fields_json's, as json with overdue as
-- of as_of (NULL: as_of not given): a list of actions is answered as text,
-- and json_build_object builds it in about a third of jsonb's time (the
-- national action list of 200: 4.5 -> 1.9 ms, bench/RESULTS.md).
CREATE FUNCTION action_fields_json(a actions, as_of date)
RETURNS json LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', a.id, 'referral_id', a.referral_id,
	    'reference', a.reference, 'forum', a.forum, 'sitting_id', a.sitting_id,
	    'agency', a.agency, 'area', a.area, 'description', a.description,
	    'due', to_char(a.due, 'YYYY-MM-DD'), 'status', a.status,
	    'created_at', to_char(a.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'updated_at', to_char(a.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'overdue', a.status IN ('open', 'in_progress') AND a.due < as_of)
$$;

CREATE FUNCTION action_json(a actions, with_history boolean)
RETURNS jsonb LANGUAGE sql STABLE
AS $$
	SELECT (public.action_fields_json(a, NULL)::jsonb - 'overdue')
	 || CASE WHEN with_history THEN jsonb_build_object('history',
	    public.action_history_json(a.id)) ELSE '{}'::jsonb END
$$;

-- A history row stamped with the caller, as audit rows are.
CREATE FUNCTION action_history_add(aid bigint, f text, old text, new text, why text)
RETURNS void LANGUAGE sql
SET search_path = public, pg_temp
AS $$
	INSERT INTO action_history (action_id, token_id, role, agency, field,
	    from_value, to_value, note)
	SELECT aid, c.token_id, c.role, c.agency, f, old, new, why
	  FROM (SELECT (maracd_caller()).*) c
$$;

-- The forum's next sitting after a date, in the referral's area: the
-- default due date of an action (docs/domain.md).
CREATE FUNCTION action_default_due(f text, a text, after date)
RETURNS date LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT min(date) FROM sittings
	 WHERE forum = f AND area = a AND status = 'scheduled' AND date > after
$$;

-- A sitting gives an agency an action on a case.  NULL when the caller
-- cannot see the referral.  d: NULL for the default due date.  today: the
-- local date by maracd's clock (never current_date: daemon/clock.h).
CREATE FUNCTION action_create(rid bigint, sid bigint, ag text, ar text,
    descr text, d date, today date)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	s sittings;
	a actions;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid;
	IF NOT FOUND OR r.forum IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO s FROM sittings WHERE id = coalesce(sid, r.sitting_id);
	IF sid IS NOT NULL AND (s.id IS NULL OR s.forum <> r.forum) THEN
		RAISE EXCEPTION 'sitting % is not one of the case''s forum', sid
		    USING ERRCODE = 'MD008';
	END IF;
	IF d IS NULL THEN
		d := action_default_due(r.forum, r.area,
		    greatest(coalesce(s.date, today), today));
		IF d IS NULL THEN
			RAISE EXCEPTION 'no later sitting to default the due date to'
			    USING ERRCODE = 'MD001';
		END IF;
	END IF;
	INSERT INTO actions (referral_id, sitting_id, forum, reference, agency,
	    area, description, due, created_by)
	VALUES (rid, s.id, r.forum, r.reference, ag, ar, descr, d,
	    (maracd_caller()).token_id)
	RETURNING * INTO a;
	PERFORM action_history_add(a.id, 'created', NULL, a.status, NULL);
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('create', 'action', a.id::text);
	RETURN action_json(a, true);
END
$$;

-- Change an action: any of status, due, description (NULL: unchanged).
-- completed and no_longer_relevant need a note.  Returns NULL when the
-- caller cannot see the action; an agency changing anything but the
-- status is refused by actions_agency_columns.
CREATE FUNCTION action_update(aid bigint, st text, d date, descr text, why text)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	old actions;
	a actions;
BEGIN
	SELECT * INTO old FROM actions WHERE id = aid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF st IN ('completed', 'no_longer_relevant') AND st IS DISTINCT FROM old.status
	    AND coalesce(btrim(why), '') = '' THEN
		RAISE EXCEPTION 'a note is needed to mark an action %', st
		    USING ERRCODE = 'MD002';
	END IF;
	UPDATE actions SET status = coalesce(st, status), due = coalesce(d, due),
	    description = coalesce(descr, description)
	 WHERE id = aid RETURNING * INTO a;
	IF a.status IS DISTINCT FROM old.status THEN
		PERFORM action_history_add(aid, 'status', old.status, a.status, why);
	END IF;
	IF a.due IS DISTINCT FROM old.due THEN
		PERFORM action_history_add(aid, 'due', to_char(old.due, 'YYYY-MM-DD'),
		    to_char(a.due, 'YYYY-MM-DD'), why);
	END IF;
	IF a.description IS DISTINCT FROM old.description THEN
		-- The text itself is in the action; history says that it changed.
		PERFORM action_history_add(aid, 'description', NULL, NULL, why);
	END IF;
	-- A note on its own ("chased the landlord") is history too.
	IF (a.status, a.due, a.description) IS NOT DISTINCT FROM (old.status, old.due, old.description)
	    AND coalesce(btrim(why), '') <> '' THEN
		PERFORM action_history_add(aid, 'note', NULL, NULL, why);
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('update', 'action', aid::text);
	RETURN action_json(a, true);
END
$$;

-- The outcomes of a decision as the API and the record show them, or
-- NULL when none are recorded.  The one place their JSON is made.
CREATE FUNCTION decision_masc_outcomes(d decisions)
RETURNS jsonb LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$
	SELECT CASE WHEN d.masc_spo IS NOT NULL THEN jsonb_build_object(
	    'spo', to_jsonb(d.masc_spo), 'onward_referrals', to_jsonb(d.masc_onward_referrals)) END
$$;

-- A decision as the API and the record show it; a MASC decision with its
-- outcomes (an amendment that changes them is a new version).
--
-- PL/pgSQL rather than SQL, for its plan (issue 21, bench/pages), as are
-- decision_case_referrals, decision_earlier_actions and decision_case_at
-- below: what the chair's case page calls through decision_get.  A SQL
-- function with a SET clause or a set returned is never inlined and is
-- planned again at every call, while PL/pgSQL keeps its plans for the
-- session (as agenda_drive_flags, 008_agenda.sql).
CREATE FUNCTION decision_json(d decisions)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN jsonb_build_object('id', d.id, 'sitting_id', d.sitting_id,
	    'referral_id', d.referral_id, 'reference', d.reference, 'forum', d.forum,
	    'attendees', to_jsonb(d.attendees), 'areas', d.areas, 'outcome', d.outcome,
	    'drive_increases_risk', d.drive_increases_risk,
	    'lawful_basis', to_jsonb(d.lawful_basis), 'version', d.version,
	    'signed_off', d.signed_off_at IS NOT NULL,
	    'signed_off_at', to_char(d.signed_off_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'updated_at', to_char(d.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'amendments', coalesce((SELECT jsonb_agg(jsonb_build_object('version', v.version,
	        'reason', v.reason, 'at', to_char(v.at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	        'content', v.content) ORDER BY v.version)
	        FROM decision_versions v WHERE v.decision_id = d.id), '[]'))
	    || CASE WHEN d.forum = 'masc'
	    THEN jsonb_build_object('masc_outcomes', decision_masc_outcomes(d)) ELSE '{}' END;
END
$$;

-- What a signed version holds: the decision's own words, no bookkeeping;
-- a MASC decision's outcomes too.
CREATE FUNCTION decision_content(d decisions)
RETURNS jsonb LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('attendees', to_jsonb(d.attendees), 'areas', d.areas,
	    'outcome', d.outcome, 'drive_increases_risk', d.drive_increases_risk)
	    || CASE WHEN d.forum = 'masc'
	    THEN jsonb_build_object('masc_outcomes', decision_masc_outcomes(d)) ELSE '{}' END
$$;

-- The same victim's referrals to a forum, for decision_case_referrals:
-- referrals_victim (004_referrals.sql) holds MARAC's only, and a query
-- cannot use it for a forum it reads from the referral, so without this
-- every case page scanned every referral in the country (issue 21: 358
-- buffers and most of decision_earlier_actions' time with a county's year,
-- 18 with this).
CREATE INDEX referrals_victim_forum ON referrals (victim_key, forum);

-- Whose actions a case's decision may review: the case itself and the
-- same victim's earlier referrals to the same forum (received before it,
-- or linked to it).  The one rule for both the list offered for review
-- and the check of what a decision's reviews[] name.  Runs as the
-- caller: RLS decides what is visible.
CREATE FUNCTION decision_case_referrals(rid bigint)
RETURNS SETOF bigint LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT rid
	UNION
	SELECT o.id FROM referrals o, referrals r
	 WHERE r.id = rid AND o.victim_key = r.victim_key AND o.forum = r.forum
	   AND o.id <> r.id AND (o.received_at < r.received_at OR o.linked_to = r.id);
END
$$;

-- The outstanding actions of a case's earlier sittings, for review when
-- it comes back: actions on the same referral at other sittings, and on
-- the victim's earlier referrals to the same forum.
CREATE FUNCTION decision_earlier_actions(rid bigint, sid bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(action_json(a, false) || jsonb_build_object(
	    'review', (SELECT jsonb_strip_nulls(jsonb_build_object('result', v.result,
	        'note', v.note)) FROM action_reviews v
	        WHERE v.action_id = a.id AND v.sitting_id = sid)) ORDER BY a.due, a.id), '[]')
	  FROM actions a
	 WHERE a.status IN ('open', 'in_progress')
	   AND a.sitting_id IS DISTINCT FROM sid
	   AND a.referral_id IN (SELECT decision_case_referrals(rid)));
END
$$;

-- Is the case heard at this sitting?  It is listed there, or it comes back
-- for review: a decision at an earlier sitting of the same forum.
CREATE FUNCTION decision_case_at(r referrals, s sittings)
RETURNS boolean LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN r.forum = s.forum AND (r.sitting_id = s.id OR EXISTS (SELECT 1
	    FROM decisions d JOIN sittings e ON e.id = d.sitting_id
	   WHERE d.referral_id = r.id AND e.date < s.date));
END
$$;

-- Write the decision for a case at a sitting.  Errors, by SQLSTATE:
-- MD003 the case is not heard at that sitting, MD004 it is signed off and
-- no amendment reason was given.  NULL when the caller cannot see the
-- sitting's forum or the referral.
CREATE FUNCTION decision_put(sid bigint, rid bigint, att text[], ar jsonb,
    oc text, drive boolean, why text)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	s sittings;
	d decisions;
	me bigint := (maracd_caller()).token_id;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO s FROM sittings WHERE id = sid;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF NOT decision_case_at(r, s) THEN
		RAISE EXCEPTION 'case % is not heard at sitting %', rid, sid USING ERRCODE = 'MD003';
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(att) x WHERE x NOT IN (SELECT code FROM agencies)) THEN
		RAISE EXCEPTION 'unknown attendee agency' USING ERRCODE = 'MD006';
	END IF;
	SELECT * INTO d FROM decisions WHERE sitting_id = sid AND referral_id = rid FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO decisions (sitting_id, referral_id, forum, reference, attendees,
		    areas, outcome, drive_increases_risk, lawful_basis, updated_by)
		VALUES (sid, rid, r.forum, r.reference, att, ar, oc, drive, r.lawful_basis, me)
		RETURNING * INTO d;
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('create', 'decision', d.id::text);
	ELSE
		IF d.signed_off_at IS NOT NULL AND coalesce(btrim(why), '') = '' THEN
			RAISE EXCEPTION 'decision % is signed off', d.id USING ERRCODE = 'MD004';
		END IF;
		UPDATE decisions SET attendees = att, areas = ar, outcome = oc,
		    drive_increases_risk = drive, updated_at = now(), updated_by = me,
		    version = CASE WHEN signed_off_at IS NULL THEN version ELSE version + 1 END
		 WHERE id = d.id RETURNING * INTO d;
		IF d.signed_off_at IS NOT NULL THEN
			INSERT INTO decision_versions (decision_id, version, content, reason, by_token)
			VALUES (d.id, d.version, decision_content(d), why, me);
		END IF;
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES (CASE WHEN d.signed_off_at IS NULL THEN 'update' ELSE 'amend' END,
		    'decision', d.id::text);
	END IF;
	RETURN decision_json(d);
END
$$;

-- The chair signs the decision off, as its token or, signed in through the
-- pages, as its user: version 1 is frozen.  MD005: already signed off.  NULL: no decision the caller can see.
CREATE FUNCTION decision_sign_off(sid bigint, rid bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	d decisions;
	c maracd_caller_t := maracd_caller();
BEGIN
	SELECT * INTO d FROM decisions WHERE sitting_id = sid AND referral_id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF d.signed_off_at IS NOT NULL THEN
		RAISE EXCEPTION 'decision % is already signed off', d.id USING ERRCODE = 'MD005';
	END IF;
	UPDATE decisions SET signed_off_at = now(), signed_off_by = c.token_id,
	    signed_off_user = CASE WHEN c.token_id IS NULL THEN c.user_id END
	 WHERE id = d.id RETURNING * INTO d;
	INSERT INTO decision_versions (decision_id, version, content, reason, by_token)
	VALUES (d.id, d.version, decision_content(d), NULL, c.token_id);
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('sign_off', 'decision', d.id::text);
	RETURN decision_json(d);
END
$$;

-- The decision of a case at a sitting, with the earlier actions to review.
-- NULL when neither the referral nor the sitting is visible; a case with
-- no decision yet gives {"decision": null, ...}.
CREATE FUNCTION decision_get(sid bigint, rid bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	r referrals;
	s sittings;
	d decisions;
BEGIN
	SELECT * INTO r FROM referrals WHERE id = rid;
	SELECT * INTO s FROM sittings WHERE id = sid;
	IF r.id IS NULL OR s.id IS NULL OR NOT decision_case_at(r, s) THEN
		RETURN NULL;
	END IF;
	SELECT * INTO d FROM decisions WHERE sitting_id = sid AND referral_id = rid;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('read', 'decision', rid::text || '@' || sid::text);
	RETURN jsonb_build_object('sitting_id', sid, 'referral_id', rid,
	    'reference', r.reference, 'forum', r.forum,
	    'lawful_basis', to_jsonb(r.lawful_basis),
	    'decision', CASE WHEN d.id IS NULL THEN NULL ELSE decision_json(d) END,
	    'actions', coalesce((SELECT jsonb_agg(action_json(a, false) ORDER BY a.id)
	        FROM actions a WHERE a.referral_id = rid AND a.sitting_id = sid), '[]'),
	    'earlier_actions', decision_earlier_actions(rid, sid));
END
$$;

-- Review an earlier action at a sitting.  completed closes it and
-- change_in_circumstance makes it no longer relevant (both with the note);
-- not_undertaken and carried_forward leave it outstanding, so it goes on
-- being chased.  NULL when the action is not visible.
CREATE FUNCTION action_review(aid bigint, sid bigint, res text, why text)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	a actions;
	s sittings;
	note text;
BEGIN
	SELECT * INTO a FROM actions WHERE id = aid;
	SELECT * INTO s FROM sittings WHERE id = sid;
	IF a.id IS NULL OR s.id IS NULL THEN
		RETURN NULL;
	END IF;
	note := 'reviewed at the sitting of ' || to_char(s.date, 'YYYY-MM-DD') || ': '
	    || replace(res, '_', ' ') || coalesce(': ' || nullif(btrim(why), ''), '');
	INSERT INTO action_reviews (action_id, sitting_id, result, note, by_token)
	VALUES (aid, sid, res, why, (maracd_caller()).token_id)
	ON CONFLICT (action_id, sitting_id) DO UPDATE
	    SET result = EXCLUDED.result, note = EXCLUDED.note, at = now(),
	        by_token = EXCLUDED.by_token;
	IF res = 'completed' AND a.status IN ('open', 'in_progress') THEN
		RETURN action_update(aid, 'completed', NULL, NULL, note);
	ELSIF res = 'change_in_circumstance' AND a.status IN ('open', 'in_progress') THEN
		RETURN action_update(aid, 'no_longer_relevant', NULL, NULL, note);
	END IF;
	PERFORM action_history_add(aid, 'review', NULL, res, note);
	RETURN action_json(a, false);
END
$$;

-- The chair said enforcement or DRIVE may increase the risk: the DRIVE
-- team hears before the perpetrator panel adopts the case (docs/domain.md,
-- DRIVE screening).  By reference only; once per signed version that says so.
CREATE FUNCTION decision_drive_feedback(d decisions, team text[])
RETURNS boolean LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s sittings;
	body text;
BEGIN
	IF d.forum <> 'marac' OR d.drive_increases_risk IS NOT TRUE
	    OR cardinality(team) IS NULL OR NOT outbox_addresses_ok(team) THEN
		RETURN false;
	END IF;
	SELECT * INTO s FROM sittings WHERE id = d.sitting_id;
	body := format(E'At the MARAC sitting of %s, partner agencies and/or the chair '
	    'said that enforcement action or DRIVE intervention may increase the risk of '
	    'harm to the victim or children.\n\nCase reference: %s\n\n'
	    'Please take this into account before the case is adopted.\n\n'
	    'This message carries no personal details. Sign in to maracd to see the case.\n',
	    to_char(s.date, 'FMDay DD Month YYYY'), d.reference);
	PERFORM outbox_enqueue('drive_risk:' || d.id || ':' || d.version, 'drive_risk', team,
	    format('MARAC %s: DRIVE may increase risk', d.reference), body,
	    format('<p>At the MARAC sitting of %s, partner agencies and/or the chair said '
	        'that <strong>enforcement action or DRIVE intervention may increase the risk'
	        '</strong> of harm to the victim or children.</p><p>Case reference: %s</p>'
	        '<p>Please take this into account before the case is adopted.</p>'
	        '<p>This message carries no personal details. Sign in to maracd to see the '
	        'case.</p>', to_char(s.date, 'FMDay DD Month YYYY'), d.reference));
	RETURN true;
END
$$;

-- PUT .../decision in one statement: the decision, then the reviews of
-- earlier actions, then the DRIVE feedback.  b is the body as
-- daemon/core/decision.c normalised it.  MD007: reviews[i] names an
-- action the caller cannot see, or one that belongs to neither this case
-- nor the same victim's earlier cases (decision_case_referrals): a chair
-- sees every case of the forum, and must not settle another case's
-- actions from this one (the message carries i).  b->'masc_outcomes' is
-- {"spo": [...], "onward_referrals": [...]} or null: an existing decision
-- takes them first, so that the version an amendment freezes
-- (decision_put) holds them; a new one once decision_put has made it.
CREATE FUNCTION decision_record(sid bigint, rid bigint, b jsonb, drive_team text[])
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	mo jsonb := nullif(b->'masc_outcomes', 'null');
	spo text[] := CASE WHEN mo IS NOT NULL
	    THEN ARRAY(SELECT jsonb_array_elements_text(mo->'spo')) END;
	onward text[] := CASE WHEN mo IS NOT NULL
	    THEN ARRAY(SELECT jsonb_array_elements_text(mo->'onward_referrals')) END;
	existed boolean;
	before boolean;
	doc jsonb;
	d decisions;
	rv record;
	n integer := 0;
BEGIN
	UPDATE decisions SET masc_spo = spo, masc_onward_referrals = onward
	 WHERE sitting_id = sid AND referral_id = rid;
	existed := FOUND;
	SELECT drive_increases_risk INTO before FROM decisions
	 WHERE sitting_id = sid AND referral_id = rid;
	doc := decision_put(sid, rid, ARRAY(SELECT jsonb_array_elements_text(b->'attendees')),
	    b->'areas', b->>'outcome', (b->>'drive_increases_risk')::boolean,
	    b->>'amendment_reason');
	IF doc IS NULL THEN
		RETURN NULL;
	END IF;
	IF NOT existed THEN
		UPDATE decisions SET masc_spo = spo, masc_onward_referrals = onward
		 WHERE sitting_id = sid AND referral_id = rid;
	END IF;
	FOR rv IN SELECT * FROM jsonb_to_recordset(coalesce(b->'reviews', '[]'))
	    AS x(action bigint, result text, note text)
	LOOP
		IF NOT EXISTS (SELECT 1 FROM actions a WHERE a.id = rv.action
		    AND a.referral_id IN (SELECT decision_case_referrals(rid)))
		    OR action_review(rv.action, sid, rv.result, rv.note) IS NULL THEN
			RAISE EXCEPTION '%', n USING ERRCODE = 'MD007';
		END IF;
		n := n + 1;
	END LOOP;
	SELECT * INTO d FROM decisions WHERE sitting_id = sid AND referral_id = rid;
	IF d.drive_increases_risk IS TRUE AND before IS NOT TRUE THEN
		PERFORM decision_drive_feedback(d, drive_team);
	END IF;
	RETURN decision_get(sid, rid);
END
$$;

-- The minutes of a sitting (SafeLives checklist).  NULL when the sitting is
-- not visible to the caller.
CREATE FUNCTION minutes_put(sid bigint, m jsonb)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s sittings;
	x sitting_minutes;
BEGIN
	SELECT * INTO s FROM sittings WHERE id = sid;
	IF NOT FOUND OR NOT maracd_area_allowed(s.area)
	    OR ((SELECT maracd_role()) = 'chair' AND s.forum <> (SELECT maracd_forum())) THEN
		RETURN NULL;
	END IF;
	INSERT INTO sitting_minutes AS o (sitting_id, forum, venue, chair, attendees,
	    observers, apologies, confidentiality_statement, updated_by)
	VALUES (sid, s.forum, m->>'venue', m->>'chair', coalesce(m->'attendees', '[]'),
	    coalesce(m->'observers', '[]'), coalesce(m->'apologies', '[]'),
	    m->>'confidentiality_statement', (maracd_caller()).token_id)
	ON CONFLICT (sitting_id) DO UPDATE SET venue = EXCLUDED.venue, chair = EXCLUDED.chair,
	    attendees = EXCLUDED.attendees, observers = EXCLUDED.observers,
	    apologies = EXCLUDED.apologies,
	    confidentiality_statement = EXCLUDED.confidentiality_statement,
	    updated_at = now(), updated_by = EXCLUDED.updated_by
	RETURNING * INTO x;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('update', 'minutes', sid::text);
	RETURN minutes_json(x, s);
END
$$;

CREATE FUNCTION minutes_json(x sitting_minutes, s sittings)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('sitting_id', s.id, 'forum', s.forum,
	    'date', to_char(s.date, 'YYYY-MM-DD'), 'venue', coalesce(x.venue, s.venue),
	    'chair', x.chair, 'attendees', coalesce(x.attendees, '[]'),
	    'observers', coalesce(x.observers, '[]'), 'apologies', coalesce(x.apologies, '[]'),
	    'confidentiality_statement', x.confidentiality_statement,
	    'updated_at', to_char(x.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
$$;

-- The chair of another forum must not learn a sitting exists: the sitting
-- table has no RLS (dates are public), so visibility is the forum check.
CREATE FUNCTION minutes_get(sid bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	s sittings;
	x sitting_minutes;
BEGIN
	SELECT * INTO s FROM sittings WHERE id = sid;
	IF NOT FOUND OR NOT maracd_area_allowed(s.area)
	    OR ((SELECT maracd_role()) = 'chair' AND s.forum <> (SELECT maracd_forum())) THEN
		RETURN NULL;
	END IF;
	SELECT * INTO x FROM sitting_minutes WHERE sitting_id = sid;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('read', 'minutes', sid::text);
	RETURN minutes_json(x, s);
END
$$;

GRANT EXECUTE ON FUNCTION action_json(actions, boolean), action_fields_json(actions, date),
    action_history_json(bigint),
    action_history_add(bigint,
    text, text, text, text), action_default_due(text, text, date),
    action_create(bigint, bigint, text, text, text, date, date),
    action_update(bigint, text, date, text, text), decision_masc_outcomes(decisions),
    decision_json(decisions),
    decision_content(decisions), decision_earlier_actions(bigint, bigint),
    decision_case_at(referrals, sittings),
    decision_put(bigint, bigint, text[], jsonb, text, boolean, text),
    decision_sign_off(bigint, bigint), decision_get(bigint, bigint),
    action_review(bigint, bigint, text, text), minutes_put(bigint, jsonb),
    minutes_json(sitting_minutes, sittings), minutes_get(bigint),
    decision_drive_feedback(decisions, text[]), decision_record(bigint, bigint, jsonb, text[])
    TO maracd_app;

-- Statistics, second version (docs/statistics.md defines every figure).
--
-- GET /v1/statistics now counts what sql/011 got wrong: transfers are
-- counted from whichever record of the case the caller may see (the old
-- forum's record, or the new one, which carries the history), children
-- only where they live in the household of a case heard at a forum, an
-- optional forum filter, and the actions agreed in the period rather than
-- every action ever.

DROP FUNCTION statistics_json(date, date, date);

-- Intake's optional equality fields (docs/statistics.md), validated by
-- daemon/core/referral.c; never required, "not known" when not given.
-- The ages are those on the received date, computed once by the core
-- (core/intake.c) for the figures.  The self-descriptions of gender are
-- the person's own words: kept for the case, never counted, and removed
-- when the referral is anonymised.
ALTER TABLE referrals
	ADD COLUMN victim_gender text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_gender IN ('not_known', 'female', 'male', 'non_binary',
	        'self_described', 'prefer_not_to_say')),
	ADD COLUMN victim_gender_description text,
	ADD COLUMN victim_ethnicity text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_ethnicity IN ('not_known', 'prefer_not_to_say',
	        'asian_bangladeshi', 'asian_chinese', 'asian_indian', 'asian_pakistani',
	        'asian_other', 'black_african', 'black_caribbean', 'black_other',
	        'mixed_white_asian', 'mixed_white_black_african',
	        'mixed_white_black_caribbean', 'mixed_other', 'white_british',
	        'white_irish', 'white_gypsy_traveller', 'white_roma', 'white_other',
	        'other_arab', 'other_any')),
	ADD COLUMN victim_disability text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_disability IN ('not_known', 'yes', 'no', 'prefer_not_to_say')),
	ADD COLUMN victim_lgbt text NOT NULL DEFAULT 'not_known'
	    CHECK (victim_lgbt IN ('not_known', 'yes', 'no', 'prefer_not_to_say')),
	ADD COLUMN victim_informed boolean,
	ADD COLUMN victim_age integer,
	ADD COLUMN perpetrator_gender text NOT NULL DEFAULT 'not_known'
	    CHECK (perpetrator_gender IN ('not_known', 'female', 'male', 'non_binary',
	        'self_described', 'prefer_not_to_say')),
	ADD COLUMN perpetrator_gender_description text,
	ADD COLUMN perpetrator_age integer,
	ADD COLUMN children_in_household integer CHECK (children_in_household >= 0);

-- Existing referrals: gender was free text.  The plain words for female
-- and male become those codes; anything else is not known (its text is
-- dropped: free text is no category).  Ages from the dates of birth.
UPDATE referrals r SET
    victim_gender = coalesce((SELECT CASE
        WHEN lower(btrim(v.gender)) IN ('female', 'f', 'woman') THEN 'female'
        WHEN lower(btrim(v.gender)) IN ('male', 'm', 'man') THEN 'male' END
        FROM referral_people v WHERE v.referral_id = r.id AND v.role = 'victim'), 'not_known'),
    perpetrator_gender = coalesce((SELECT CASE
        WHEN lower(btrim(p.gender)) IN ('female', 'f', 'woman') THEN 'female'
        WHEN lower(btrim(p.gender)) IN ('male', 'm', 'man') THEN 'male' END
        FROM referral_people p WHERE p.referral_id = r.id AND p.role = 'perpetrator'),
        'not_known'),
    victim_age = (SELECT extract(year FROM age(r.received_date, v.dob))::int
        FROM referral_people v WHERE v.referral_id = r.id AND v.role = 'victim'),
    perpetrator_age = (SELECT extract(year FROM age(r.received_date, p.dob))::int
        FROM referral_people p WHERE p.referral_id = r.id AND p.role = 'perpetrator');
-- The gender of the people rows is the code from now on (referral_get
-- reads the referral's columns; the copy here is what transfers carry).
UPDATE referral_people p SET gender = CASE p.role
    WHEN 'victim' THEN r.victim_gender ELSE r.perpetrator_gender END
  FROM referrals r WHERE r.id = p.referral_id AND p.role IN ('victim', 'perpetrator');

-- A transfer's new record is the same case: it keeps the equality fields
-- (referral_transfer, sql/004, copies the columns it knows).
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

-- The equality fields of new referrals, as validated (req) and aged (d)
-- by the core: rows is a JSON array of [id, req, d].  Every intake path
-- stores through it: referral_create (POST /v1/referrals, an import's
-- row alone) and referral_store_rows (an import's batch), below.
CREATE FUNCTION referral_equality_store(rows jsonb)
RETURNS void LANGUAGE sql
SET search_path = public, pg_temp
AS $$
	UPDATE referrals k SET
	    victim_gender = coalesce(x.req#>>'{victim,gender}', 'not_known'),
	    victim_gender_description = x.req#>>'{victim,gender_description}',
	    victim_ethnicity = coalesce(x.req#>>'{victim,ethnicity}', 'not_known'),
	    victim_disability = coalesce(x.req#>>'{victim,disability}', 'not_known'),
	    victim_lgbt = coalesce(x.req#>>'{victim,lgbt}', 'not_known'),
	    victim_informed = (x.req#>>'{victim,informed_of_referral}')::boolean,
	    victim_age = (x.d->>'victim_age')::int,
	    perpetrator_gender = CASE WHEN jsonb_typeof(x.req->'perpetrator') = 'object'
	        THEN coalesce(x.req#>>'{perpetrator,gender}', 'not_known') ELSE 'not_known' END,
	    perpetrator_gender_description = x.req#>>'{perpetrator,gender_description}',
	    perpetrator_age = (x.d->>'perpetrator_age')::int,
	    children_in_household = (x.req->>'children_in_household')::int
	  FROM (SELECT (e->>0)::bigint AS id, e->1 AS req, e->2 AS d
	      FROM jsonb_array_elements(rows) e) x
	 WHERE k.id = x.id
$$;

-- sql/004's functions store the case; these then its
-- equality fields, for new referrals only (a resend stores nothing).
ALTER FUNCTION referral_create(jsonb, jsonb) RENAME TO referral_create_case;
CREATE FUNCTION referral_create(req jsonb, d jsonb,
    OUT created boolean, OUT body jsonb)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	SELECT c.created, c.body INTO created, body FROM referral_create_case(req, d) c;
	IF created THEN
		PERFORM referral_equality_store(jsonb_build_array(
		    jsonb_build_array((body->>'id')::bigint, req, d)));
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION referral_create(jsonb, jsonb) TO maracd_app;

ALTER FUNCTION referral_store_rows(jsonb) RENAME TO referral_store_rows_case;
CREATE FUNCTION referral_store_rows(rows jsonb)
RETURNS TABLE (ord integer, created boolean, id bigint, reference text,
    forum text, status text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	res jsonb;
	stored jsonb;
BEGIN
	SELECT jsonb_agg(to_jsonb(c) ORDER BY c.ord) INTO res
	  FROM referral_store_rows_case(rows) c;
	SELECT jsonb_agg(jsonb_build_array((o->>'id')::bigint, t.x->0, t.x->1)) INTO stored
	  FROM jsonb_array_elements(res) o
	  JOIN jsonb_array_elements(rows) WITH ORDINALITY AS t(x, n) ON t.n = (o->>'ord')::int
	 WHERE (o->>'created')::boolean;
	IF stored IS NOT NULL THEN
		PERFORM referral_equality_store(stored);
	END IF;
	RETURN QUERY SELECT (o->>'ord')::integer, (o->>'created')::boolean, (o->>'id')::bigint,
	    o->>'reference', o->>'forum', o->>'status'
	  FROM jsonb_array_elements(coalesce(res, '[]')) o ORDER BY (o->>'ord')::integer;
END
$$;
GRANT EXECUTE ON FUNCTION referral_store_rows(jsonb) TO maracd_app;

-- GET /v1/referrals/{id}: sql/004's answer with the equality fields.
ALTER FUNCTION referral_get(bigint) RENAME TO referral_get_case;
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

-- The children in the household of a case: the number the referrer gave
-- (children_in_household, sql below), else the children listed as
-- resident.  The one place this is decided; every figure that counts
-- children asks it.
CREATE FUNCTION referral_household_children(rid bigint, given integer)
RETURNS integer LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(given, (SELECT count(*)::int FROM referral_people p
	    WHERE p.referral_id = rid AND p.role = 'child' AND p.resident))
$$;

-- Counts over what the caller may see (row-level security applies), for
-- referrals received d_from..d_to, of forum f (NULL: both; a forum leaves
-- out the referrals below threshold, which have none).
CREATE FUNCTION statistics_json(d_from date, d_to date, as_of date, f text)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	-- Cases, not records: a referral linked to a waiting case is part of
	-- that case (its risk may govern the case's, and it is never a
	-- repeat), and the old forum's record of a transfer is the same case
	-- as the record it became.  Both are counted on their own
	-- ('linked', 'transferred').
	WITH rr AS (SELECT * FROM referrals WHERE received_date BETWEEN d_from AND d_to
	        AND (f IS NULL OR forum = f)),
	r AS (SELECT c.id, c.forum, c.referring_agency, c.repeat, c.urgent, c.status,
	        c.children_in_household,
	        (SELECT x.lvl FROM (SELECT l.risk_level AS lvl FROM referrals l
	                WHERE l.linked_to = c.id UNION ALL SELECT c.risk_level) x
	          ORDER BY array_position(ARRAY['standard', 'medium', 'high'], x.lvl) DESC
	          LIMIT 1) AS risk_level
	        FROM rr c WHERE c.status NOT IN ('linked', 'transferred')),
	-- Transfers made in the period, each once: every record of the case
	-- after it carries a copy of its row, and the caller may see only one
	-- end (a chair sees the record of the chair's forum).
	tr AS (SELECT DISTINCT t.from_reference, t.to_reference, t.from_forum, t.to_forum
	        FROM referral_transfers t
	        WHERE t.at::date BETWEEN d_from AND d_to
	          AND (f IS NULL OR t.from_forum = f OR t.to_forum = f)),
	-- Actions agreed at a sitting held in the period (or, for one added
	-- outside a sitting, made in it), as they stand now.
	a AS (SELECT x.* FROM actions x LEFT JOIN sittings s ON s.id = x.sitting_id
	        WHERE coalesce(s.date, x.created_at::date) BETWEEN d_from AND d_to
	          AND (f IS NULL OR x.forum = f)),
	rv AS (SELECT v.*, x.agency FROM action_reviews v JOIN actions x ON x.id = v.action_id
	        JOIN sittings s ON s.id = v.sitting_id WHERE s.date BETWEEN d_from AND d_to
	          AND (f IS NULL OR s.forum = f))
	SELECT jsonb_build_object(
	    'from', to_char(d_from, 'YYYY-MM-DD'), 'to', to_char(d_to, 'YYYY-MM-DD'),
	    'as_of', to_char(as_of, 'YYYY-MM-DD'), 'forum', f,
	    'referrals', jsonb_build_object(
	        'total', (SELECT count(*) FROM r),
	        'by_forum', coalesce((SELECT jsonb_object_agg(f, n) FROM (SELECT
	            coalesce(forum, 'below_threshold') f, count(*) n FROM r GROUP BY 1) x), '{}'),
	        'by_risk', coalesce((SELECT jsonb_object_agg(risk_level, n) FROM (SELECT
	            risk_level, count(*) n FROM r GROUP BY 1) x), '{}'),
	        'by_agency', coalesce((SELECT jsonb_object_agg(referring_agency, n) FROM (SELECT
	            referring_agency, count(*) n FROM r GROUP BY 1) x), '{}'),
	        'repeat', (SELECT count(*) FROM r WHERE repeat),
	        'urgent', (SELECT count(*) FROM r WHERE urgent),
	        'linked', (SELECT count(*) FROM rr WHERE status = 'linked'),
	        'transferred', (SELECT count(*) FROM tr),
	        'transfers', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	            coalesce(from_forum, 'below_threshold') || '_to_' || to_forum k,
	            count(*) n FROM tr GROUP BY 1) x), '{}'),
	        -- Cases heard at a forum only: below threshold is no case.
	        'children', (SELECT coalesce(sum(referral_household_children(r.id,
	            r.children_in_household)), 0) FROM r WHERE r.forum IS NOT NULL)),
	    -- Actions as they stand on as_of, by owning agency.
	    'actions', coalesce((SELECT jsonb_object_agg(agency, jsonb_build_object(
	        'open', open, 'in_progress', prog, 'overdue', overdue,
	        'completed', done, 'no_longer_relevant', nlr)) FROM (SELECT agency,
	        count(*) FILTER (WHERE status = 'open') open,
	        count(*) FILTER (WHERE status = 'in_progress') prog,
	        count(*) FILTER (WHERE status IN ('open', 'in_progress') AND due < as_of) overdue,
	        count(*) FILTER (WHERE status = 'completed') done,
	        count(*) FILTER (WHERE status = 'no_longer_relevant') nlr
	        FROM a GROUP BY agency) x), '{}'),
	    -- What sittings in the period found when they reviewed earlier
	    -- actions: persistent non-completion goes to the steering group.
	    'reviews', coalesce((SELECT jsonb_object_agg(agency, jsonb_build_object(
	        'completed', c, 'change_in_circumstance', cic, 'not_undertaken', nu,
	        'carried_forward', cf)) FROM (SELECT agency,
	        count(*) FILTER (WHERE result = 'completed') c,
	        count(*) FILTER (WHERE result = 'change_in_circumstance') cic,
	        count(*) FILTER (WHERE result = 'not_undertaken') nu,
	        count(*) FILTER (WHERE result = 'carried_forward') cf
	        FROM rv GROUP BY agency) x), '{}'))
$$;
GRANT EXECUTE ON FUNCTION statistics_json(date, date, date, text) TO maracd_app;

-- The counts of the SafeLives quarterly return of area a (docs/statistics.md),
-- set-based; the figures are made from them by daemon/core/safelives.c.
-- Counted per MARAC meeting held in the quarter q_from..q_to: a sitting
-- of the area not cancelled and dated before today (the clock's date; a
-- sitting dated today is still to come), by the date of the sitting, not
-- the referrals' received dates.  Its cases are the referrals listed at
-- it: a linked referral is part of its case and has no sitting of its
-- own, and the old forum's record of a transfer has none either, so each
-- case counts once, where it was heard.  Groups, not rules: which
-- ethnicities are minoritised, which agencies are of which type, which
-- ages count, is the core's.  Ages under 18 only: the figures need no
-- more.  Runs as the caller: row-level security decides what is counted.
CREATE FUNCTION statistics_safelives(a text, q_from date, q_to date, today date)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH s AS MATERIALIZED (SELECT id FROM sittings WHERE forum = 'marac' AND area = a
	        AND status = 'scheduled' AND date BETWEEN q_from AND q_to AND date < today),
	c AS MATERIALIZED (SELECT r.id, r.repeat, r.referring_agency, r.victim_ethnicity,
	        r.victim_gender, r.victim_disability, r.victim_lgbt, r.victim_age,
	        r.perpetrator_age, r.children_in_household
	        FROM referrals r WHERE r.sitting_id IN (SELECT id FROM s)
	          AND r.forum = 'marac' AND r.status = 'listed')
	SELECT jsonb_build_object(
	    'meetings', (SELECT count(*) FROM s),
	    'cases', (SELECT count(*) FROM c),
	    'repeats', (SELECT count(*) FROM c WHERE repeat),
	    'by_agency', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        referring_agency k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_ethnicity', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_ethnicity k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_gender', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_gender k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_disability', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_disability k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'by_lgbt', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_lgbt k, count(*) n FROM c GROUP BY 1) x), '{}'),
	    'victim_ages', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        victim_age::text k, count(*) n FROM c WHERE victim_age < 18 GROUP BY 1) x), '{}'),
	    'perpetrator_ages', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT
	        perpetrator_age::text k, count(*) n FROM c WHERE perpetrator_age < 18
	        GROUP BY 1) x), '{}'),
	    'children', (SELECT coalesce(sum(referral_household_children(c.id,
	        c.children_in_household)), 0) FROM c))
$$;
GRANT EXECUTE ON FUNCTION statistics_safelives(text, date, date, date) TO maracd_app;

-- The counts of the MASC indicators of area a for the quarter q_from..q_to
-- (docs/statistics.md), set-based; daemon/core/masc_indicators.c makes
-- the figures.  Meetings are MASC sittings of the area held in the
-- quarter (not cancelled, before today), as for the SafeLives return.
-- days_to_hearing: for each case heard at one, the days from its received
-- date to the sitting's.  actions: by agency, those agreed at the
-- meetings that are settled (completed, or due before today) and of them
-- those completed (the first time the status became completed, local
-- date) on or before their due date.  attendance: by agency, the
-- meetings whose minutes list an attendee of it.  Runs as the caller.
CREATE FUNCTION statistics_masc(a text, q_from date, q_to date, today date)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH s AS MATERIALIZED (SELECT id, date FROM sittings WHERE forum = 'masc' AND area = a
	        AND status = 'scheduled' AND date BETWEEN q_from AND q_to AND date < today),
	x AS MATERIALIZED (SELECT x.agency, x.due, x.status, (SELECT min(h.at)::date
	            FROM action_history h WHERE h.action_id = x.id AND h.field = 'status'
	              AND h.to_value = 'completed') AS done
	        FROM actions x WHERE x.sitting_id IN (SELECT id FROM s))
	SELECT jsonb_build_object(
	    'meetings', (SELECT count(*) FROM s),
	    'days_to_hearing', coalesce((SELECT jsonb_agg(s.date - r.received_date)
	        FROM referrals r JOIN s ON s.id = r.sitting_id
	        WHERE r.forum = 'masc' AND r.status = 'listed'), '[]'),
	    'actions', coalesce((SELECT jsonb_object_agg(agency, jsonb_build_object(
	        'due', due, 'on_time', on_time)) FROM (SELECT agency,
	        count(*) FILTER (WHERE status = 'completed' OR x.due < today) due,
	        count(*) FILTER (WHERE status = 'completed' AND done <= x.due) on_time
	        FROM x GROUP BY agency) y), '{}'),
	    'attendance', coalesce((SELECT jsonb_object_agg(g.code, (SELECT count(*) FROM s
	        JOIN sitting_minutes mi ON mi.sitting_id = s.id
	        WHERE mi.attendees @> jsonb_build_array(jsonb_build_object('agency', g.code))))
	        FROM agencies g), '{}'))
$$;
GRANT EXECUTE ON FUNCTION statistics_masc(text, date, date, date) TO maracd_app;

-- Retention: how long maracd keeps what, legal holds, and the purge.
--
-- Why the rules are SQL and not C (daemon/core).  Whether a heard case is
-- due depends on every other referral of the same victim, whichever
-- agency made it, and on the dates of the sittings that heard them: a
-- set-wide question that the database answers with one scan, and that the
-- job's caller could not even ask in C (no policy shows it referrals).
-- Streaming every referral out to decide in C, then sending the ids back,
-- would cost more and decide on a snapshot the purge no longer holds.  So
-- each category has ONE due function here (retention_due_*), used by the
-- dry run, by the purge itself and by nothing else; maracd and maracctl
-- only hand them the clock ("now", "today": never PostgreSQL's now() for
-- a rule) and the [retention] settings as one jsonb.
--
-- Categories (retention_categories, in the order a purge takes them):
--   below_threshold  referrals below threshold, [retention]
--                    below_threshold_months after receipt;
--   case             every other referral, with its decisions, actions,
--                    reviews and on-demand DRIVE screenings,
--                    case_years after the latest of the victim's referral
--                    and hearing dates (the victim as the repeat rule
--                    knows her: victim_key), the whole victim together;
--   sitting          a sitting's own records (agenda versions, minutes,
--                    DRIVE screening) case_years after it was held, once
--                    every case it heard or decided is purged;
--   outbox           a sent or failed message's body, outbox_days after
--                    it was sent or given up on (the row stays: key,
--                    Message-ID, recipients, subject, times).
-- A referral under a legal hold keeps its victim's every referral, and
-- the sittings that heard them, out of the purge.
--
-- Delete or anonymise: anonymising keeps the row and every column the
-- statistics count (011_statistics.sql: status, forum, risk, agency, repeat, urgent,
-- links, transfers, children, actions' agency, status and due date,
-- reviews' results) and removes names, dates of birth, postcodes, keys
-- made of them and free text.  GET /v1/statistics gives the same figures
-- before and after.  Deleting removes the rows: the figures of those
-- periods then drop.
--
-- Another category (sessions and one-time links, import uploads) joins by
-- adding a row to retention_categories naming its due and purge
-- functions, with the signatures of those below; the purge, the dry run,
-- the audit and maracctl need no change.

-- What a purge did is marked on the rows it keeps: referrals.purged_at,
-- sittings.records_purged_at and outbox.body_purged_at (with their
-- tables).  These indexes find what is still to purge.
CREATE INDEX referrals_unpurged ON referrals (victim_key) WHERE purged_at IS NULL;
CREATE INDEX outbox_body_kept ON outbox (id) WHERE body_purged_at IS NULL
	AND status IN ('sent', 'failed');

-- Legal holds: a Domestic Abuse Related Death Review, a court order, a
-- complaint.  One row per hold, kept when it is lifted (who and when);
-- at most one hold in force per referral.
CREATE TABLE legal_holds (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	referral_id	bigint NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	reason		text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
	placed_at	timestamptz NOT NULL DEFAULT now(),
	placed_by	bigint,
	lifted_at	timestamptz,
	lifted_by	bigint
);
CREATE UNIQUE INDEX legal_holds_in_force ON legal_holds (referral_id) WHERE lifted_at IS NULL;
GRANT SELECT, INSERT, UPDATE ON legal_holds TO maracd_app;
ALTER TABLE legal_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE legal_holds FORCE ROW LEVEL SECURITY;
-- The admins and coordinators of the held case's area (002_access.sql).
SELECT maracd_scope_policies('legal_holds', 'NULL',
    '(SELECT r.area FROM public.referrals r WHERE r.id = referral_id)', 'ALL', NULL);
CREATE POLICY legal_holds_owner ON legal_holds TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- The purge functions run as the owner (SECURITY DEFINER: the job's caller
-- sees no case), under forced row-level security: the owner's policies on
-- the referrals (004_referrals.sql) and on the minutes, decisions and
-- actions (006_decisions_actions.sql) let them read, change and delete.

-- Who may purge or list what is due: maracd's purge job (maracd_is_job)
-- and maracctl purge as the schema owner.
CREATE FUNCTION retention_may_run() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT maracd_is_job() OR (NOT maracd_has_caller() AND maracd_owner_session()) $$;

CREATE FUNCTION retention_check(now timestamptz, today date, cfg jsonb) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT retention_may_run() THEN
		RAISE EXCEPTION 'retention: only maracd''s purge job or maracctl purge may do this'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF now IS NULL OR today IS NULL OR cfg IS NULL THEN
		RAISE EXCEPTION 'retention: now, today and the settings are required'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

-- A setting from cfg, with its default: maracd checks the ranges
-- (config.c), this only guards against a missing key.
CREATE FUNCTION retention_int(cfg jsonb, k text, dflt integer) RETURNS integer
LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce((cfg->>k)::integer, dflt) $$;

CREATE FUNCTION retention_delete(cfg jsonb, k text) RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce(cfg->>k, 'anonymise') = 'delete' $$;

-- Referrals a hold in force keeps: the held ones and every referral of
-- their victims.
CREATE FUNCTION retention_held_victims() RETURNS TABLE (victim_key text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT DISTINCT r.victim_key FROM legal_holds h JOIN referrals r ON r.id = h.referral_id
	 WHERE h.lifted_at IS NULL
$$;

-- ---------------------------------------------------------------------
-- Due functions: (now, today, cfg) -> (object_type, object_id, reason).
-- The reason names the rule and its dates, never a person.

CREATE FUNCTION retention_due_below_threshold(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (object_type text, object_id bigint, reason text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT 'referral', r.id, format('below threshold, received %s: kept %s months',
	    r.received_date, retention_int(cfg, 'below_threshold_months', 12))
	  FROM referrals r
	 WHERE r.status = 'below_threshold' AND r.purged_at IS NULL
	   AND r.received_date + make_interval(months =>
	       retention_int(cfg, 'below_threshold_months', 12)) <= today
	   AND r.victim_key NOT IN (SELECT victim_key FROM retention_held_victims())
$$;

-- The cases due for the purge.  A referral's last date is the latest on
-- which anything happened to it: its received date, its sitting's date and
-- the latest sitting that recorded a decision on it (greatest() ignores
-- the ones it lacks); the victim's last date is the latest of its
-- referrals'.  Set-based: a function called once a referral took, at one
-- national year, 16 s of a 20 s dry run (issue 24), and the job's batch
-- asks twice (cases, and sittings waiting for their cases).
CREATE FUNCTION retention_due_case(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (object_type text, object_id bigint, reason text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH decided AS (
		SELECT d.referral_id, max(s.date) AS date
		  FROM decisions d JOIN sittings s ON s.id = d.sitting_id
		 GROUP BY d.referral_id
	), live AS (
		SELECT r.id, r.status, r.victim_key,
		       greatest(r.received_date, s.date, dd.date) AS last
		  FROM referrals r
		  LEFT JOIN sittings s ON s.id = r.sitting_id
		  LEFT JOIN decided dd ON dd.referral_id = r.id
		 WHERE r.purged_at IS NULL
	), victims AS (
		-- Every referral of the victim counts, below threshold too: a
		-- later referral restarts the clock.
		SELECT victim_key, max(last) AS last FROM live GROUP BY victim_key
	)
	SELECT 'referral', l.id, format('case: the victim''s last referral or hearing was '
	    '%s; kept %s years', v.last, retention_int(cfg, 'case_years', 6))
	  FROM live l JOIN victims v USING (victim_key)
	 WHERE l.status <> 'below_threshold'
	   AND v.last + make_interval(years => retention_int(cfg, 'case_years', 6)) <= today
	   AND l.victim_key NOT IN (SELECT victim_key FROM retention_held_victims())
$$;

-- A sitting's records wait for every case it heard or decided on: a
-- case already purged, or due in this same purge (it comes first, see
-- retention_categories), so that the dry run shows both.
CREATE FUNCTION retention_due_sitting(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (object_type text, object_id bigint, reason text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	WITH going AS (SELECT d.object_id AS id FROM retention_due_case(now, today, cfg) d)
	SELECT 'sitting', s.id, format('sitting held %s, every case it heard purged; kept %s years',
	    s.date, retention_int(cfg, 'case_years', 6))
	  FROM sittings s
	 WHERE s.records_purged_at IS NULL
	   AND s.date + make_interval(years => retention_int(cfg, 'case_years', 6)) <= today
	   AND (EXISTS (SELECT 1 FROM agenda_versions a WHERE a.sitting_id = s.id)
	        OR EXISTS (SELECT 1 FROM sitting_minutes m WHERE m.sitting_id = s.id)
	        OR EXISTS (SELECT 1 FROM drive_runs d WHERE d.sitting_id = s.id))
	   AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.purged_at IS NULL
	        AND r.id NOT IN (SELECT id FROM going)
	        AND (r.sitting_id = s.id OR EXISTS (SELECT 1 FROM decisions d
	             WHERE d.referral_id = r.id AND d.sitting_id = s.id)))
$$;

CREATE FUNCTION retention_due_outbox(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (object_type text, object_id bigint, reason text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT 'outbox', o.id, format('message %s %s; body kept %s days', o.status,
	    to_char(coalesce(o.sent_at, o.failed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
	    retention_int(cfg, 'outbox_days', 30))
	  FROM outbox o
	 WHERE o.status IN ('sent', 'failed') AND o.body_purged_at IS NULL
	   AND coalesce(o.sent_at, o.failed_at) + make_interval(days =>
	       retention_int(cfg, 'outbox_days', 30)) <= now
$$;

-- ---------------------------------------------------------------------
-- Purge functions: (now, today, cfg, batch) -> (action, object_type,
-- object_id) of what they purged, at most batch objects (a case: at most
-- batch referrals, whole victims only).  Each locks what it takes with
-- FOR UPDATE SKIP LOCKED and rechecks that it is still unpurged, so two
-- purges at once (two maracd processes, or maracctl and maracd) share the
-- work and never do it twice; a row a request holds waits for the next
-- batch or run.

-- What anonymising or deleting a set of referrals does; both categories
-- of referrals share it.  Returns what it did, as the purge functions.
CREATE FUNCTION retention_purge_referrals(ids bigint[], del boolean, now timestamptz)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	-- What agencies' records held is kept no longer than the case.
	DELETE FROM research_returns WHERE referral_id = ANY (ids);
	IF del THEN
		DELETE FROM action_reviews WHERE action_id IN
		    (SELECT id FROM actions WHERE referral_id = ANY (ids));
		DELETE FROM action_history WHERE action_id IN
		    (SELECT id FROM actions WHERE referral_id = ANY (ids));
		DELETE FROM actions WHERE referral_id = ANY (ids);
		DELETE FROM decision_versions WHERE decision_id IN
		    (SELECT id FROM decisions WHERE referral_id = ANY (ids));
		DELETE FROM decisions WHERE referral_id = ANY (ids);
		DELETE FROM perpetrator_identity_changes
		 WHERE referral_id = ANY (ids) OR other_referral_id = ANY (ids);
		DELETE FROM drive_runs WHERE referral_id = ANY (ids);
		DELETE FROM referral_transfers WHERE to_referral = ANY (ids);
		-- One statement: links between the victim's referrals are
		-- checked at its end, when all of them are gone.
		DELETE FROM referrals WHERE id = ANY (ids);
		RETURN QUERY SELECT 'delete'::text, 'referral'::text, i FROM unnest(ids) i;
		RETURN;
	END IF;
	UPDATE referrals SET external_ref = NULL, referrer_name = NULL, referrer_email = NULL,
	    referrer_phone = NULL, judgement_reason = NULL, summary = NULL, advice = NULL,
	    warnings = '[]', victim_key = 'purged:' || id, perpetrator_key = NULL,
	    purged_at = now
	 WHERE id = ANY (ids);
	UPDATE referral_people SET name = '', dob = NULL, postcode = NULL, identity_key = NULL
	 WHERE referral_id = ANY (ids);
	UPDATE referral_transfers SET reason = '' WHERE referral_id = ANY (ids);
	UPDATE decisions SET areas = '{}', outcome = NULL WHERE referral_id = ANY (ids);
	UPDATE decision_versions SET content = '{}', reason = NULL WHERE decision_id IN
	    (SELECT id FROM decisions WHERE referral_id = ANY (ids));
	UPDATE actions SET description = '(removed: retention)' WHERE referral_id = ANY (ids);
	UPDATE action_history SET note = NULL,
	    from_value = CASE WHEN field IN ('description', 'note') THEN NULL ELSE from_value END,
	    to_value = CASE WHEN field IN ('description', 'note') THEN NULL ELSE to_value END
	 WHERE action_id IN (SELECT id FROM actions WHERE referral_id = ANY (ids));
	UPDATE action_reviews SET note = NULL WHERE action_id IN
	    (SELECT id FROM actions WHERE referral_id = ANY (ids));
	UPDATE drive_results SET initials = '', perpetrator_key = NULL, basis = '{}'
	 WHERE run_id IN (SELECT id FROM drive_runs WHERE referral_id = ANY (ids));
	RETURN QUERY SELECT 'anonymise'::text, 'referral'::text, i FROM unnest(ids) i;
END
$$;

CREATE FUNCTION retention_purge_below_threshold(now timestamptz, today date, cfg jsonb,
    batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	ids bigint[];
	del boolean := retention_delete(cfg, 'below_threshold_action');
BEGIN
	SELECT array_agg(id ORDER BY id) INTO ids FROM (
		SELECT r.id FROM referrals r
		 WHERE r.id IN (SELECT d.object_id FROM retention_due_below_threshold(now, today, cfg) d)
		   AND r.purged_at IS NULL AND r.status = 'below_threshold'
		 ORDER BY r.id LIMIT batch FOR UPDATE SKIP LOCKED) x;
	RETURN QUERY SELECT * FROM retention_purge_referrals(coalesce(ids, '{}'), del, now);
END
$$;

CREATE FUNCTION retention_purge_case(now timestamptz, today date, cfg jsonb, batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	del boolean := retention_delete(cfg, 'case_action');
	v record;
	want bigint[];
	got bigint[];
	ids bigint[] := '{}';
BEGIN
	-- Victim by victim, so that a deletion never leaves a link to a
	-- referral of the same victim dangling; a victim one of whose
	-- referrals is locked waits for the next batch.
	FOR v IN SELECT r.victim_key, array_agg(r.id ORDER BY r.id) AS ids
	    FROM retention_due_case(now, today, cfg) d JOIN referrals r ON r.id = d.object_id
	    GROUP BY r.victim_key ORDER BY min(r.id) LOOP
		EXIT WHEN cardinality(ids) >= batch;
		want := v.ids;
		SELECT array_agg(r.id ORDER BY r.id) INTO got FROM (SELECT id FROM referrals
		    WHERE id = ANY (want) AND purged_at IS NULL FOR UPDATE SKIP LOCKED) r;
		IF got IS NOT NULL AND cardinality(got) = cardinality(want) THEN
			ids := ids || got;
		END IF;
	END LOOP;
	RETURN QUERY SELECT * FROM retention_purge_referrals(ids, del, now);
END
$$;

CREATE FUNCTION retention_purge_sitting(now timestamptz, today date, cfg jsonb, batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	ids bigint[];
	del boolean := retention_delete(cfg, 'case_action');
BEGIN
	SELECT array_agg(id ORDER BY id) INTO ids FROM (
		SELECT s.id FROM sittings s
		 WHERE s.id IN (SELECT d.object_id FROM retention_due_sitting(now, today, cfg) d)
		   AND s.records_purged_at IS NULL
		 ORDER BY s.id LIMIT batch FOR UPDATE SKIP LOCKED) x;
	IF ids IS NULL THEN
		RETURN;
	END IF;
	IF del THEN
		DELETE FROM agenda_versions WHERE sitting_id = ANY (ids);
		DELETE FROM sitting_minutes WHERE sitting_id = ANY (ids);
		DELETE FROM drive_runs WHERE sitting_id = ANY (ids);
	ELSE
		-- The agenda's hash stays: it proves what was issued, and
		-- without the content it reveals nothing.
		UPDATE agenda_versions SET content = '{"purged": true}' WHERE sitting_id = ANY (ids);
		UPDATE sitting_minutes SET venue = NULL, chair = NULL, observers = '[]',
		    attendees = (SELECT coalesce(jsonb_agg(x - 'name'), '[]')
		        FROM jsonb_array_elements(attendees) x)
		 WHERE sitting_id = ANY (ids);
		UPDATE drive_results SET initials = '', perpetrator_key = NULL, basis = '{}'
		 WHERE run_id IN (SELECT id FROM drive_runs WHERE sitting_id = ANY (ids));
	END IF;
	UPDATE sittings SET records_purged_at = now WHERE id = ANY (ids);
	RETURN QUERY SELECT CASE WHEN del THEN 'delete' ELSE 'anonymise' END, 'sitting', i
	    FROM unnest(ids) i;
END
$$;

CREATE FUNCTION retention_purge_outbox(now timestamptz, today date, cfg jsonb, batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN QUERY
	WITH x AS (
		SELECT o.id FROM outbox o
		 WHERE o.id IN (SELECT d.object_id FROM retention_due_outbox(now, today, cfg) d)
		   AND o.body_purged_at IS NULL
		 ORDER BY o.id LIMIT batch FOR UPDATE SKIP LOCKED
	), cleared AS (
		UPDATE outbox o SET body_text = '', body_html = NULL, attachments = '[]',
		    body_purged_at = now
		  FROM x WHERE o.id = x.id RETURNING o.id
	)
	SELECT 'clear_body'::text, 'outbox'::text, c.id FROM cleared c;
END
$$;

-- A category whose objects are rows deleted whole: at most batch of the
-- rows of tbl that due (the category's due function, so that the rule is
-- written once) lists as object_type, locked and deleted.
CREATE FUNCTION retention_purge_rows(tbl regclass, kind text, due regproc,
    now timestamptz, today date, cfg jsonb, batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN QUERY EXECUTE format('WITH x AS (SELECT t.id FROM %1$s t WHERE t.id IN '
	    '(SELECT d.object_id FROM %2$s($1, $2, $3) d WHERE d.object_type = $4) '
	    'ORDER BY t.id LIMIT greatest($5, 0) FOR UPDATE SKIP LOCKED), '
	    'gone AS (DELETE FROM %1$s t USING x WHERE t.id = x.id RETURNING t.id) '
	    'SELECT ''delete''::text, $4, gone.id FROM gone', tbl, due)
	    USING now, today, cfg, kind, batch;
END
$$;

-- Browser sessions and one-time links (012_accounts.sql) go when they
-- can no longer be used: a session once ended or past its absolute
-- lifetime, an invitation or reset link once used or expired.  Nothing in
-- them is needed afterwards (the audit log keeps who signed in).
CREATE FUNCTION retention_due_access(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (object_type text, object_id bigint, reason text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT 'session', s.id, CASE WHEN s.ended_at IS NOT NULL THEN 'session ended'
	    ELSE 'session expired' END
	  FROM sessions s WHERE s.ended_at IS NOT NULL OR s.expires_at <= now
	UNION ALL
	SELECT 'link', l.id, format('%s link %s', l.kind,
	    CASE WHEN l.used_at IS NOT NULL THEN 'used' ELSE 'expired' END)
	  FROM user_links l WHERE l.used_at IS NOT NULL OR l.expires_at <= now
$$;

CREATE FUNCTION retention_purge_access(now timestamptz, today date, cfg jsonb, batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	RETURN QUERY SELECT * FROM retention_purge_rows('sessions', 'session',
	    'retention_due_access', now, today, cfg, batch);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN QUERY SELECT * FROM retention_purge_rows('user_links', 'link',
	    'retention_due_access', now, today, cfg, batch - n);
END
$$;

-- ---------------------------------------------------------------------
-- The categories, in the order a purge takes them: cases before the
-- sittings whose records wait for them.  ord leaves room between.
CREATE TABLE retention_categories (
	category	text PRIMARY KEY CHECK (category ~ '^[a-z][a-z0-9_]{0,31}$'),
	ord		integer NOT NULL UNIQUE,
	due_fn		regproc NOT NULL,
	purge_fn	regproc NOT NULL,
	description	text NOT NULL
);
INSERT INTO retention_categories VALUES
	('below_threshold', 10, 'retention_due_below_threshold', 'retention_purge_below_threshold',
	 'referrals below threshold, [retention] below_threshold_months after receipt'),
	('case', 20, 'retention_due_case', 'retention_purge_case',
	 'cases with their decisions and actions, [retention] case_years after the victim''s last referral or hearing'),
	('sitting', 30, 'retention_due_sitting', 'retention_purge_sitting',
	 'agendas, minutes and DRIVE screenings of a sitting, [retention] case_years after it, once its cases are purged'),
	('outbox', 40, 'retention_due_outbox', 'retention_purge_outbox',
	 'bodies of sent or failed mail, [retention] outbox_days after'),
	('access', 50, 'retention_due_access', 'retention_purge_access',
	 'browser sessions once ended or expired, invitation and reset links once used or expired');

-- Everything due now, category by category, for maracctl purge --dry-run:
-- ids, categories and reasons only.  Reading it is audited (one row).
CREATE FUNCTION retention_due(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (category text, object_type text, object_id bigint, reason text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	c retention_categories;
BEGIN
	PERFORM retention_check(now, today, cfg);
	FOR c IN SELECT * FROM retention_categories ORDER BY ord LOOP
		RETURN QUERY EXECUTE format('SELECT $1, d.object_type, d.object_id, d.reason '
		    'FROM %s($2, $3, $4) d ORDER BY d.object_id', c.due_fn)
		    USING c.category, now, today, cfg;
	END LOOP;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('purge_dry_run', 'retention', to_char(today, 'YYYY-MM-DD'));
END
$$;

-- One batch of the purge: at most batch objects, the categories in
-- order, in the caller's transaction (one batch, one transaction: a crash
-- loses at most the batch in flight, which the next run does again).
-- Every object purged gets its audit row ('purge_delete',
-- 'purge_anonymise' or 'purge_clear_body', its type and id), and the
-- batch one more ('purge', 'retention', the counts per category as JSON).
-- Returns {"counts": {category: n}, "total": n, "more": bool}; more:
-- the batch was full, run another.
CREATE FUNCTION retention_purge_batch(now timestamptz, today date, cfg jsonb, batch integer)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	c retention_categories;
	counts jsonb := '{}';
	n integer;
	total integer := 0;
BEGIN
	PERFORM retention_check(now, today, cfg);
	IF batch IS NULL OR batch < 1 THEN
		RAISE EXCEPTION 'retention: batch must be at least 1'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR c IN SELECT * FROM retention_categories ORDER BY ord LOOP
		EXIT WHEN total >= batch;
		EXECUTE format('WITH p AS (SELECT * FROM %s($1, $2, $3, $4)), '
		    'a AS (INSERT INTO audit_log (action, object_type, object_id) '
		    'SELECT ''purge_'' || p.action, p.object_type, p.object_id::text FROM p '
		    'RETURNING 1) SELECT count(*) FROM a', c.purge_fn)
		    INTO n USING now, today, cfg, batch - total;
		IF n > 0 THEN
			counts := counts || jsonb_build_object(c.category, n);
			total := total + n;
		END IF;
	END LOOP;
	IF total > 0 THEN
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('purge', 'retention', counts::text);
	END IF;
	RETURN jsonb_build_object('counts', counts, 'total', total, 'more', total >= batch);
END
$$;

-- Only through the two entry points above, which check the caller.
REVOKE ALL ON FUNCTION retention_due(timestamptz, date, jsonb),
    retention_purge_batch(timestamptz, date, jsonb, integer),
    retention_purge_referrals(bigint[], boolean, timestamptz),
    retention_purge_below_threshold(timestamptz, date, jsonb, integer),
    retention_purge_case(timestamptz, date, jsonb, integer),
    retention_purge_sitting(timestamptz, date, jsonb, integer),
    retention_purge_outbox(timestamptz, date, jsonb, integer),
    retention_purge_access(timestamptz, date, jsonb, integer),
    retention_purge_rows(regclass, text, regproc, timestamptz, date, jsonb, integer),
    retention_due_access(timestamptz, date, jsonb),
    retention_due_below_threshold(timestamptz, date, jsonb),
    retention_due_case(timestamptz, date, jsonb),
    retention_due_sitting(timestamptz, date, jsonb),
    retention_due_outbox(timestamptz, date, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_due(timestamptz, date, jsonb),
    retention_purge_batch(timestamptz, date, jsonb, integer) TO maracd_app;

-- ---------------------------------------------------------------------
-- Legal holds through the API (admin: the coordinator).  Runs as the
-- caller: row-level security decides who sees the referral and the holds.

CREATE FUNCTION legal_hold_json(h legal_holds) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('id', h.id, 'referral_id', h.referral_id,
	    'reference', (SELECT reference FROM referrals WHERE id = h.referral_id),
	    'reason', h.reason, 'placed_at', h.placed_at, 'placed_by', h.placed_by,
	    'lifted_at', h.lifted_at, 'lifted_by', h.lifted_by)
$$;

-- NULL: no such referral (or not the caller's to see); {"conflict": true}
-- when it is already held.  Otherwise the new hold.
CREATE FUNCTION legal_hold_place(rid bigint, why text) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	h legal_holds;
BEGIN
	PERFORM 1 FROM referrals WHERE id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF EXISTS (SELECT 1 FROM legal_holds WHERE referral_id = rid AND lifted_at IS NULL) THEN
		RETURN jsonb_build_object('conflict', true);
	END IF;
	INSERT INTO legal_holds (referral_id, reason, placed_by)
	VALUES (rid, btrim(why), (maracd_caller()).token_id) RETURNING * INTO h;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('hold', 'referral', rid::text);
	RETURN legal_hold_json(h);
END
$$;

-- NULL: the referral has no hold in force.  Otherwise the lifted hold.
CREATE FUNCTION legal_hold_lift(rid bigint) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	h legal_holds;
BEGIN
	UPDATE legal_holds SET lifted_at = now(), lifted_by = (maracd_caller()).token_id
	 WHERE referral_id = rid AND lifted_at IS NULL RETURNING * INTO h;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('lift_hold', 'referral', rid::text);
	RETURN legal_hold_json(h);
END
$$;

CREATE FUNCTION legal_hold_list() RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	out jsonb;
BEGIN
	SELECT coalesce(jsonb_agg(legal_hold_json(h) ORDER BY h.id), '[]') INTO out
	  FROM legal_holds h WHERE h.lifted_at IS NULL;
	INSERT INTO audit_log (action, object_type) VALUES ('list', 'legal_holds');
	RETURN jsonb_build_object('holds', out);
END
$$;

GRANT EXECUTE ON FUNCTION legal_hold_json(legal_holds), legal_hold_place(bigint, text),
    legal_hold_lift(bigint), legal_hold_list() TO maracd_app;

-- ---------------------------------------------------------------------
-- Subject access (UK GDPR Art. 15): everything held on one person, as
-- victim, perpetrator or child, for maracctl subject-access (the schema
-- owner only: it sees every case; the DPO gets the file).  The person is
-- matched as the repeat rule and DRIVE match people: by the identity key
-- of name and date of birth (core/identity.c), computed by maracctl.
-- Each referral found is audited ('subject_access', 'referral', id), and
-- the request once ('subject_access', 'subject', the number found).
CREATE FUNCTION subject_access(key text, asked_at timestamptz) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	ids bigint[];
	out jsonb;
BEGIN
	IF NOT (NOT maracd_has_caller() AND maracd_owner_session()) THEN
		RAISE EXCEPTION 'subject_access: only maracctl subject-access, as the schema owner'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT coalesce(array_agg(DISTINCT x.id ORDER BY x.id), '{}') INTO ids FROM (
		SELECT p.referral_id AS id FROM referral_people p WHERE p.identity_key = key
		UNION SELECT r.id FROM referrals r WHERE r.victim_key = key OR r.perpetrator_key = key
	) x;
	SELECT jsonb_build_object(
	    'asked_at', asked_at,
	    'referrals', coalesce(jsonb_agg(jsonb_build_object(
	        'referral', to_jsonb(r) - 'victim_key' - 'perpetrator_key',
	        'as', (SELECT coalesce(jsonb_agg(DISTINCT p.role), '[]') FROM referral_people p
	            WHERE p.referral_id = r.id AND p.identity_key = key),
	        'people', (SELECT coalesce(jsonb_agg(to_jsonb(p) - 'identity_key' - 'referral_id'
	            ORDER BY p.role, p.ordinal), '[]') FROM referral_people p WHERE p.referral_id = r.id),
	        'answers', (SELECT coalesce(jsonb_agg(jsonb_build_object('checklist', a.checklist,
	            'question', a.question, 'answer', a.answer) ORDER BY a.checklist, a.question), '[]')
	            FROM referral_answers a WHERE a.referral_id = r.id),
	        'transfers', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]')
	            FROM referral_transfers t WHERE t.referral_id = r.id),
	        'decisions', (SELECT coalesce(jsonb_agg(to_jsonb(d) || jsonb_build_object(
	            'versions', (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY v.version), '[]')
	                FROM decision_versions v WHERE v.decision_id = d.id)) ORDER BY d.id), '[]')
	            FROM decisions d WHERE d.referral_id = r.id),
	        'actions', (SELECT coalesce(jsonb_agg(to_jsonb(a) || jsonb_build_object(
	            'history', (SELECT coalesce(jsonb_agg(to_jsonb(h) ORDER BY h.id), '[]')
	                FROM action_history h WHERE h.action_id = a.id),
	            'reviews', (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY v.at), '[]')
	                FROM action_reviews v WHERE v.action_id = a.id)) ORDER BY a.id), '[]')
	            FROM actions a WHERE a.referral_id = r.id),
	        'agendas', (SELECT coalesce(jsonb_agg(jsonb_build_object('sitting_id', v.sitting_id,
	            'version', v.version, 'issued_at', v.issued_at, 'content', v.content::jsonb)
	            ORDER BY v.sitting_id, v.version), '[]')
	            FROM agenda_versions v WHERE strpos(v.content, r.reference) > 0),
	        'mail', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'kind', o.kind,
	            'recipients', o.recipients, 'subject', o.subject, 'body_text', o.body_text,
	            'status', o.status, 'message_id', o.message_id, 'created_at', o.created_at,
	            'sent_at', o.sent_at) ORDER BY o.id), '[]')
	            FROM outbox o WHERE strpos(o.subject, r.reference) > 0
	               OR strpos(o.body_text, r.reference) > 0),
	        'holds', (SELECT coalesce(jsonb_agg(to_jsonb(h) ORDER BY h.id), '[]')
	            FROM legal_holds h WHERE h.referral_id = r.id)
	    ) ORDER BY r.id), '[]'))
	  INTO out FROM referrals r WHERE r.id = ANY (ids);
	INSERT INTO audit_log (action, object_type, object_id)
	SELECT 'subject_access', 'referral', i::text FROM unnest(ids) i;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('subject_access', 'subject', cardinality(ids)::text);
	RETURN out;
END
$$;
REVOKE ALL ON FUNCTION subject_access(text, timestamptz) FROM PUBLIC;

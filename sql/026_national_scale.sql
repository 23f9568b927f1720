-- What five national years in the database showed (issue 24, bench/national;
-- the plans before and after are in bench/RESULTS.md, "National scale").
-- Nothing here changes what anyone may see or what is audited: row-level
-- security and the audit rows stay exactly as they were; this only lets
-- PostgreSQL find the rows those statements already ask for without
-- reading whole tables, and stops it compiling statements that take
-- milliseconds.

-- JIT compilation.  PostgreSQL compiles a statement to machine code when
-- the planner's estimate of its cost passes jit_above_cost (100 000).
-- Row-level security's per-row checks (a sub-select of the referral's area
-- for every action, 006_decisions_actions.sql) make the planner's estimate
-- of every read of a large table huge even when it stops after a page
-- (LIMIT 200), so at national scale every list and read of actions was
-- compiled: GET /v1/actions spent about 1.5 s compiling a statement that
-- runs in 2 ms.  maracd's statements are short transactions; none runs
-- long enough to win back what compiling costs.  Set for the database,
-- so that it holds for every session of it: maracd's connections,
-- maracctl's (the reminder run, imports, record exports) and its jobs.
-- The database's owner (the schema owner, sql/dba and tools/pgcluster
-- bootstrap) may set it; a session takes it from its next connection.
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;

-- Actions of a sitting: the decision record of a sitting (record_sitting_json,
-- 009_records.sql: the cases given actions there), the action list's
-- ?sitting= filter, and the foreign key's check when a sitting's records
-- are purged (013_retention.sql).  Without it each was a sequential scan
-- of every action in the country (about 2 million), with the row-level
-- security check on each row.  Actions stored without a sitting belong to
-- their referral's: they are never looked up by sitting.
CREATE INDEX actions_sitting ON actions (sitting_id) WHERE sitting_id IS NOT NULL;

-- A referral's transfers: GET of a referral lists them (referral_get,
-- 004_referrals.sql), and deleting a referral (the retention purge) checks
-- both foreign keys; each was a sequential scan of every transfer.
CREATE INDEX referral_transfers_referral ON referral_transfers (referral_id);
CREATE INDEX referral_transfers_to ON referral_transfers (to_referral);

-- Deleting a referral (retention_purge_referrals, 013_retention.sql) checks
-- that no referral names it as transferred from or to: without these, two
-- sequential scans of every referral in the country per referral deleted.
-- Few referrals are transferred, hence partial.
CREATE INDEX referrals_transferred_from ON referrals (transferred_from)
	WHERE transferred_from IS NOT NULL;
CREATE INDEX referrals_transferred_to ON referrals (transferred_to)
	WHERE transferred_to IS NOT NULL;

-- An action as the API shows it (006_decisions_actions.sql), made cheap
-- enough to call per row.  A page of the action list (200 actions) spent
-- about 0.5 ms an action in action_json: a SQL function with a SET clause
-- or a sub-select is never inlined, so each call started an executor for
-- its body.  Without either, the planner writes the body into the
-- calling statement; the history (only with_history, a single action)
-- moves to a function of its own, which keeps its SET clause.  The same
-- JSON, the same callers, the same security: it is SECURITY INVOKER as
-- before, so row-level security on action_history still applies, and
-- the only name it uses is schema-qualified, so the caller's search_path
-- gives the caller nothing (as with the policy functions, 002_access.sql).
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
CREATE OR REPLACE FUNCTION action_json(a actions, with_history boolean)
RETURNS jsonb LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', a.id, 'referral_id', a.referral_id,
	    'reference', a.reference, 'forum', a.forum, 'sitting_id', a.sitting_id,
	    'agency', a.agency, 'area', a.area, 'description', a.description,
	    'due', to_char(a.due, 'YYYY-MM-DD'), 'status', a.status,
	    'created_at', to_char(a.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'updated_at', to_char(a.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
	 || CASE WHEN with_history THEN jsonb_build_object('history',
	    public.action_history_json(a.id)) ELSE '{}'::jsonb END
$$;
GRANT EXECUTE ON FUNCTION action_history_json(bigint) TO maracd_app;

-- The cases due for the retention purge (013_retention.sql).  The purge job
-- asked, every run, for the last date of every live referral in the
-- country through retention_last_date, a function with sub-selects called
-- once a referral: at one national year 16 s of a 20 s dry run, and the
-- job's batch asks twice (cases, and sittings waiting for their cases).
-- The same rule, set-based: a referral's last date is the latest of its
-- received date, its sitting's date and the latest sitting that recorded
-- a decision on it (greatest() ignores the ones it lacks, as before); the
-- victim's last date is the latest of its referrals'.  retention_last_date
-- had no other caller and goes, so the rule is written once.
CREATE OR REPLACE FUNCTION retention_due_case(now timestamptz, today date, cfg jsonb)
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
DROP FUNCTION retention_last_date(referrals);

-- Reminders (docs/domain.md): the weekly digest of each agency's
-- outstanding actions, a notice when an action passes its due date, and
-- the coordinator's summary.  maracd's "reminders" job and maracctl
-- reminders run select rows with the functions below, build the messages
-- in C (daemon/core/reminders.c) and enqueue them with outbox_enqueue_set
-- (005_outbox.sql), all in one transaction.
--
-- Why SECURITY DEFINER functions.  The job's caller is the job token
-- (maracd_is_job), which no policy of 006_decisions_actions.sql admits to
-- actions: it would see no action at all.  The other ways in would be
-- worse: a policy that trusts a "system" setting (maracd.system) could be
-- set by any statement maracd runs, and a role with BYPASSRLS would let
-- every query of the daemon see everything.  The urgent alerts
-- (005_outbox.sql) needed neither, because their trigger runs inside the
-- transaction of the caller who stored the referral.  Here each
-- function answers one question reminders ask, returns only the columns a
-- message needs (reference, forum, area, the action's text, due date,
-- status; names only when asked for with [mail] personal_data = yes), and
-- writes an audit row for every action it returns, so that reading case
-- data for a reminder is on the record like any other read.
--
-- The functions run as the schema owner, which is itself under forced
-- row-level security on these tables; read-only policies for it (the same
-- device as referrals_owner, 004_referrals.sql) let it see every action and
-- review.  The owner could switch security off anyway: the policies give
-- it nothing it lacks, and keep it forced for every other role.  Those
-- policies (actions_owner_read, action_reviews_owner_read) are created
-- with their tables (006_decisions_actions.sql); the decision records
-- need them too.

-- The first person of a role on a referral (the owner's policy on
-- referral_people, 004_referrals.sql, lets the functions below read it).
CREATE FUNCTION reminder_person(rid bigint, r text) RETURNS text
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT name FROM referral_people
	 WHERE referral_id = rid AND role = r ORDER BY ordinal LIMIT 1
$$;
REVOKE ALL ON FUNCTION reminder_person(bigint, text) FROM PUBLIC;

-- The agencies reminders can reach: an address the outbox accepts.  Asked
-- once per agency, not once per action (the address check is a regular
-- expression per call).
-- Who reminders answer: maracd's reminders job (maracd_is_job) and
-- maracctl reminders as the schema owner; every other caller, and the
-- application login with no caller at all, gets no rows.  Every function
-- below reads through reminder_agencies() or reminder_outstanding().
CREATE FUNCTION reminder_may_run() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT maracd_is_job() OR (NOT maracd_has_caller() AND maracd_owner_session()) $$;

CREATE FUNCTION reminder_agencies()
RETURNS TABLE (code text, name text, reminder_email text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT code, name, reminder_email FROM agencies
	 WHERE reminder_email IS NOT NULL AND outbox_addresses_ok(ARRAY[reminder_email])
	   AND reminder_may_run()
$$;
REVOKE ALL ON FUNCTION reminder_agencies() FROM PUBLIC;

-- An action is persistently not completed when a review found it not
-- undertaken, or when it is more than persistent_days overdue: the
-- outstanding actions with the number of such reviews.
CREATE FUNCTION reminder_outstanding()
RETURNS TABLE (id bigint, reference text, forum text, agency text, due date,
    not_undertaken bigint)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT a.id, a.reference, a.forum, a.agency, a.due, coalesce(v.n, 0)
	  FROM actions a LEFT JOIN (SELECT action_id, count(*) AS n FROM action_reviews
	       WHERE result = 'not_undertaken' GROUP BY action_id) v ON v.action_id = a.id
	 WHERE a.status IN ('open', 'in_progress') AND reminder_may_run()
$$;
REVOKE ALL ON FUNCTION reminder_outstanding() FROM PUBLIC;

-- The run's actions, each read (and audited) once: the overdue notices
-- still to send and the week's digest rows, in one statement.  notices:
-- look for outstanding actions due before today (the local date) whose
-- notice for that due date is not in the outbox yet (a due date moved
-- later and then passed again gives a new notice; the same one never goes
-- twice).  digests: every outstanding action of every agency whose digest
-- for period ('2026-W48') is not in the outbox yet.  Only agencies with a
-- usable reminder address; one with nothing outstanding has no rows, so
-- it gets no message.  Each row says what it is for: notice (send its
-- overdue notice), listed (list it in its agency's digest), or both.
-- Ordered by agency, then due date.
--
-- Why one statement: on a digest day an overdue action is in both, and
-- each read of it writes an audit row (the audit log's trigger asks who
-- the caller is, row by row: most of what a selection costs).  The same
-- row twice in one transaction would say nothing more: the caller, time
-- and request are the transaction's.
CREATE FUNCTION reminder_actions(today date, period text, notices boolean,
    digests boolean, with_people boolean)
RETURNS TABLE (agency text, agency_name text, email text, id bigint,
    reference text, forum text, area text, description text, due text,
    status text, victim text, perpetrator text, notice boolean,
    listed boolean)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	WITH g AS MATERIALIZED (
		SELECT r.code, r.name, r.reminder_email,
		       digests AND NOT EXISTS (SELECT 1 FROM outbox o
		           WHERE o.key = 'digest:' || r.code || ':' || period) AS listed
		  FROM reminder_agencies() r
	), c AS (
		SELECT a.id, a.referral_id, a.agency, g.name, g.reminder_email,
		       a.reference, a.forum, a.area, a.description, a.due, a.status,
		       g.listed
		  FROM actions a JOIN g ON g.code = a.agency
		 WHERE a.status IN ('open', 'in_progress')
		   AND (g.listed OR (notices AND a.due < today))
	), d AS MATERIALIZED (
		SELECT c.*, CASE WHEN notices AND c.due < today THEN NOT EXISTS (
		           SELECT 1 FROM outbox o WHERE o.key = 'overdue:' || c.id
		           || ':' || to_char(c.due, 'YYYY-MM-DD')) ELSE false END AS notice
		  FROM c
	), audited AS (
		INSERT INTO audit_log (action, object_type, object_id)
		SELECT 'remind', 'action', d.id::text FROM d WHERE d.listed OR d.notice
	)
	SELECT d.agency, d.name, d.reminder_email, d.id, d.reference, d.forum,
	       d.area, d.description, to_char(d.due, 'YYYY-MM-DD'), d.status,
	       CASE WHEN with_people THEN reminder_person(d.referral_id, 'victim') END,
	       CASE WHEN with_people THEN reminder_person(d.referral_id, 'perpetrator') END,
	       d.notice, d.listed
	  FROM d WHERE d.listed OR d.notice ORDER BY d.agency, d.due, d.id
$$;

-- The summary's counts per agency with anything outstanding: counts only,
-- no case data.  reminded is false for an agency maracd cannot mail.
CREATE FUNCTION reminder_summary_counts(today date, persistent_days integer)
RETURNS TABLE (agency text, agency_name text, reminded boolean,
    outstanding bigint, overdue bigint, persistent bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT g.code, g.name, g.reminder_email IS NOT NULL
	       AND outbox_addresses_ok(ARRAY[g.reminder_email]), c.n, c.late, c.persistent
	  FROM (SELECT a.agency, count(*) AS n, count(*) FILTER (WHERE a.due < today) AS late,
	               count(*) FILTER (WHERE a.due < today - persistent_days
	                   OR a.not_undertaken > 0) AS persistent
	          FROM reminder_outstanding() a GROUP BY a.agency) c
	  JOIN agencies g ON g.code = c.agency
	 ORDER BY g.code
$$;

-- The first lim persistently incomplete actions (oldest due first) and how
-- many there are in all; references and dates, not the action's text.
CREATE FUNCTION reminder_summary_persistent(today date, persistent_days integer, lim integer)
RETURNS TABLE (id bigint, reference text, forum text, agency text, due text,
    not_undertaken bigint, total bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	WITH p AS (
		SELECT a.id, a.reference, a.forum, a.agency, a.due, a.not_undertaken AS nu
		  FROM reminder_outstanding() a
	), top AS (
		SELECT p.*, count(*) OVER () AS total FROM p
		 WHERE p.nu > 0 OR p.due < today - persistent_days
		 ORDER BY p.due, p.id LIMIT lim
	), audited AS (
		INSERT INTO audit_log (action, object_type, object_id)
		SELECT 'remind', 'action', top.id::text FROM top
	)
	SELECT top.id, top.reference, top.forum, top.agency,
	       to_char(top.due, 'YYYY-MM-DD'), top.nu, top.total
	  FROM top ORDER BY top.due, top.id
$$;

-- Outbox rows given up on since the previous summary was enqueued (all of
-- them before the first), the first lim and how many in all.  Not case
-- data: the outbox (005_outbox.sql) holds references and codes.
CREATE FUNCTION reminder_summary_failed(summary_key text, lim integer)
RETURNS TABLE (id bigint, key text, kind text, attempts integer,
    last_error text, total bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT o.id, o.key, o.kind, o.attempts, coalesce(o.last_error, ''),
	       count(*) OVER ()
	  FROM outbox o
	 WHERE reminder_may_run() AND o.status = 'failed' AND o.failed_at > coalesce((SELECT max(s.created_at)
	       FROM outbox s WHERE s.kind = 'summary' AND s.key <> summary_key),
	       '-infinity')
	 ORDER BY o.id LIMIT lim
$$;

REVOKE ALL ON FUNCTION reminder_actions(date, text, boolean, boolean, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION reminder_summary_counts(date, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION reminder_summary_persistent(date, integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION reminder_summary_failed(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reminder_actions(date, text, boolean, boolean, boolean) TO maracd_app;
GRANT EXECUTE ON FUNCTION reminder_summary_counts(date, integer) TO maracd_app;
GRANT EXECUTE ON FUNCTION reminder_summary_persistent(date, integer, integer) TO maracd_app;
GRANT EXECUTE ON FUNCTION reminder_summary_failed(text, integer) TO maracd_app;

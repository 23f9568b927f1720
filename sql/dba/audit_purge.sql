-- Remove audit rows older than a date, keeping every purge's own rows:
-- the one way audit_log loses rows ([retention] audit_years,
-- maracd.conf(5); RETENTION in maracd(8)).
--
--	psql -v before=2019-01-01 -d maracd -f sql/dba/audit_purge.sql
--
-- Run by a DBA whose login is a member of maracd_audit_admin (the guard,
-- audit_guard.sql, refuses the ALTER TABLE to anyone else) and of the
-- schema owner (ALTER TABLE needs the table's owner; the audit row it
-- writes names the session), or a superuser.  maracd and maracctl never
-- can: the append-only trigger holds for every role, and only this
-- script, in one transaction under an ACCESS EXCLUSIVE lock, switches it
-- off and on again, so no other session writes or changes a row
-- meanwhile.  before must be at least 7 years ago (the least
-- audit_years); rows of purges (action purge*, audit_purge) stay for
-- ever, so that what was removed, and when, can always be shown.
\set ON_ERROR_STOP on
SELECT (:'before'::date <= (now() - interval '7 years')::date) AS old_enough \gset
\if :old_enough
\else
SELECT 'audit_purge: before must be at least 7 years ago' AS refused;
DO $$ BEGIN RAISE EXCEPTION 'audit_purge: refused'; END $$;
\endif
BEGIN;
SELECT set_config('maracd.system', 'audit_purge.sql', true);
ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable;
WITH gone AS (
	DELETE FROM audit_log
	 WHERE at < :'before'::date AND action NOT LIKE 'purge%' AND action <> 'audit_purge'
	RETURNING 1)
SELECT count(*) AS removed FROM gone \gset
ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable;
INSERT INTO audit_log (action, object_type, object_id)
VALUES ('audit_purge', 'audit_log', format('before %s: %s rows', :'before', :'removed'));
COMMIT;
SELECT :'removed' AS removed;

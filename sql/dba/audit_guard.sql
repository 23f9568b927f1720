-- The audit log's guard, made by the DBA (a superuser) in maracd's
-- database right after creating it (tools/pgcluster bootstrap runs it).
--
-- The schema owner could otherwise disable the audit log's triggers
-- (ALTER TABLE ... DISABLE TRIGGER), drop them, or drop or alter the
-- table, and then truncate or rewrite history.  An event trigger is the
-- one thing the owner can neither make nor undo: only a superuser
-- creates, alters or drops one, and its function lives in a schema the
-- owner does not own.  It refuses any DDL on audit_log, its triggers or
-- their functions (a replaced audit_log_fill could write anything)
-- unless the session's login is a member of maracd_audit_admin
-- (roles.sql); CREATE TABLE, CREATE TRIGGER and CREATE INDEX, which the
-- migrations run, pass.  A superuser is a member of every role.
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS maracd_guard AUTHORIZATION CURRENT_USER;
-- Event trigger functions run as the session's user: every role may call
-- them (they only refuse), none but a superuser may change them.
REVOKE ALL ON SCHEMA maracd_guard FROM PUBLIC;
GRANT USAGE ON SCHEMA maracd_guard TO PUBLIC;

CREATE OR REPLACE FUNCTION maracd_guard.refuse(tag text, what text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT pg_has_role(session_user, 'maracd_audit_admin', 'MEMBER') THEN
		RAISE EXCEPTION '% on % is refused: the audit log is changed only by maracd_audit_admin',
		    tag, what USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- The audit log: public.audit_log, or whatever a rename made of it (the
-- table whose trigger calls public.audit_log_fill).
CREATE OR REPLACE FUNCTION maracd_guard.audit_tables() RETURNS SETOF oid
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT to_regclass('public.audit_log')::oid
	UNION
	SELECT t.tgrelid FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
	 WHERE p.pronamespace = 'public'::regnamespace AND p.proname = 'audit_log_fill'
$$;

-- Is the object the audit log, one of its triggers, or a function one of
-- them calls?  By oid, not name: after a RENAME the command reports the
-- new name.  A function may be created (the first migration) but, once a
-- trigger on the audit log calls it, not replaced, altered or renamed.
CREATE OR REPLACE FUNCTION maracd_guard.is_audit(classid oid, objid oid) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE classid
	    WHEN 'pg_class'::regclass THEN objid IN (SELECT maracd_guard.audit_tables())
	    WHEN 'pg_trigger'::regclass THEN EXISTS (SELECT 1 FROM pg_trigger t
	        WHERE t.oid = objid AND t.tgrelid IN (SELECT maracd_guard.audit_tables()))
	    WHEN 'pg_proc'::regclass THEN EXISTS (SELECT 1 FROM pg_trigger t
	        WHERE t.tgfoid = objid AND t.tgrelid IN (SELECT maracd_guard.audit_tables()))
	    ELSE false END
$$;

CREATE OR REPLACE FUNCTION maracd_guard.ddl_end() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
		IF c.command_tag NOT IN ('CREATE TABLE', 'CREATE TRIGGER', 'CREATE INDEX')
		   AND maracd_guard.is_audit(c.classid, c.objid) THEN
			PERFORM maracd_guard.refuse(c.command_tag, c.object_identity);
		END IF;
	END LOOP;
END
$$;

-- Dropped objects are gone from the catalogs: known by their names, which
-- cannot have changed (renaming is refused above).
CREATE OR REPLACE FUNCTION maracd_guard.dropped() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	o record;
BEGIN
	FOR o IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
		IF o.object_identity = 'public.audit_log' OR
		   o.object_identity ~ ' on public\.audit_log$' OR
		   o.object_identity ~ '^public\.audit_log_(fill|immutable)\(' THEN
			PERFORM maracd_guard.refuse('DROP', o.object_identity);
		END IF;
	END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS maracd_audit_ddl;
DROP EVENT TRIGGER IF EXISTS maracd_audit_drop;
CREATE EVENT TRIGGER maracd_audit_ddl ON ddl_command_end
	EXECUTE FUNCTION maracd_guard.ddl_end();
CREATE EVENT TRIGGER maracd_audit_drop ON sql_drop
	EXECUTE FUNCTION maracd_guard.dropped();

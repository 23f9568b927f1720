-- The roles maracd needs, made once per cluster by the DBA (a superuser):
-- tools/pgcluster bootstrap runs it; a real deployment runs it with psql
-- and then sets the logins' passwords.  maracd(8), SECURITY, says who
-- holds which.
--
--   maracd_owner        LOGIN: owns the schema; maracctl migrate.
--   maracd_app          NOLOGIN: what the application may do, granted by
--                       the migrations; nothing without a caller.
--   maracd              LOGIN in maracd_app: maracd's [database] dsn.
--   maracd_audit_admin  NOLOGIN: the only role (besides superusers) that
--                       may alter or drop the audit log or its triggers
--                       (audit_guard.sql).  Nobody uses it day to day:
--                       grant it to a DBA's login for the rare change.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maracd_owner') THEN
		CREATE ROLE maracd_owner LOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maracd_app') THEN
		CREATE ROLE maracd_app NOLOGIN NOBYPASSRLS;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maracd') THEN
		CREATE ROLE maracd LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE maracd_app;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maracd_audit_admin') THEN
		CREATE ROLE maracd_audit_admin NOLOGIN;
	END IF;
END
$$;

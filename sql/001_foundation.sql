-- Foundation: the application role, agencies, API tokens and the audit log.
--
-- Migrations run as the schema owner.  maracd itself connects as a login
-- role that is a member of maracd_app: it owns nothing, so row-level
-- security applies to it (see maracd(8), SECURITY).

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maracd_app') THEN
		CREATE ROLE maracd_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO maracd_app;
GRANT SELECT ON schema_migrations TO maracd_app;

-- Agencies are identified by a short code everywhere (docs/domain.md).
CREATE TABLE agencies (
	code		text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,32}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	reminder_email	text CHECK (reminder_email IS NULL OR reminder_email ~ '^[^@\s]+@[^@\s]+$'),
	created_at	timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON agencies TO maracd_app;

-- Bearer tokens: only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	-- 'job': maracd's scheduled jobs ([database] job_token_file), a caller
	-- the database checks like any other; never a person's.
	-- 'coordinator': runs the cycle, with the case data of its areas, as
	-- 'admin' does; 'admin' is the one that will also manage people.
	role		text NOT NULL CHECK (role IN ('admin', 'coordinator', 'chair',
			    'agency', 'job')),
	agency		text REFERENCES agencies(code),
	forum		text CHECK (forum IN ('marac', 'masc')),
	-- The areas (series' area codes) whose cases an admin, coordinator or
	-- chair may see; NULL: every area the deployment serves.  An agency is
	-- scoped by its agency, wherever its cases are heard.
	areas		text[] CHECK (areas IS NULL OR (cardinality(areas) BETWEEN 1 AND 12
			    AND array_to_string(areas, ',') ~ '^[a-z0-9_]{1,32}(,[a-z0-9_]{1,32})*$')),
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz,
	revoked_at	timestamptz,
	-- Machine tokens run out (maracctl token create --days, a year by
	-- default); maracd's job token lasts until revoked ('infinity').
	expires_at	timestamptz NOT NULL DEFAULT now() + interval '1 year',
	CHECK (role <> 'agency' OR agency IS NOT NULL),
	CHECK (role <> 'chair' OR forum IS NOT NULL),
	CHECK (role <> 'job' OR (agency IS NULL AND forum IS NULL)),
	CHECK (role NOT IN ('agency', 'job') OR areas IS NULL)
);

-- Who read or changed what, written in the same transaction as the read or
-- change itself.  Ids only: never the personal data.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	token_id	bigint,
	-- The person, for a signed-in user (no foreign key: the log outlives
	-- accounts).
	user_id		bigint,
	role		text,
	agency		text,
	action		text NOT NULL,
	object_type	text NOT NULL,
	object_id	text,
	client_addr	inet,
	request_id	text
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
GRANT INSERT ON audit_log TO maracd_app;

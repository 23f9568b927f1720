-- Foundation: the application role, agencies, the callers (people with
-- their memberships and sessions, API tokens) and the audit log.
--
-- Migrations run as the schema owner.  maracd itself connects as a login
-- role that is a member of maracd_app: it owns nothing, so row-level
-- security applies to it (see maracd(8), SECURITY).  Who a caller is, and
-- what a caller may see, is decided in 002_access.sql; what people do
-- with their accounts (sign-in, links, administration) in 012_accounts.sql.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maracd_app') THEN
		CREATE ROLE maracd_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO maracd_app;
GRANT SELECT ON schema_migrations TO maracd_app;

-- No JIT compilation, for every session of this database: maracd's
-- connections, maracctl's (the reminder run, imports, record exports) and
-- its jobs.  PostgreSQL compiles a statement to machine code when the
-- planner's estimate of its cost passes jit_above_cost (100 000).
-- Row-level security's per-row checks (a sub-select of the referral's
-- area for every action, 006_decisions_actions.sql) make the estimate of
-- every read of a large table huge even when it stops after a page
-- (LIMIT 200), so at national scale (issue 24, bench/national) every list
-- and read of actions was compiled: GET /v1/actions spent about 1.5 s
-- compiling a statement that runs in 2 ms.  maracd's statements are short
-- transactions; none runs long enough to win back what compiling costs.
-- The database's owner (the schema owner, sql/dba and tools/pgcluster
-- bootstrap) may set it; a session takes it from its next connection.
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;

-- Agencies are identified by a short code everywhere (docs/domain.md).
CREATE TABLE agencies (
	code		text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,32}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	reminder_email	text CHECK (reminder_email IS NULL OR reminder_email ~ '^[^@\s]+@[^@\s]+$'),
	created_at	timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON agencies TO maracd_app;

-- Named accounts: people, their roles, their sessions (maracd(8), ACCOUNTS).
--
-- A person signs in with an email, a password (Argon2id, hashed and
-- checked by maracd off its event loop) and a TOTP code; a browser then
-- holds a session cookie whose SHA-256 is all the database keeps.  The
-- tables below are the owner's alone: row-level security is forced and no
-- policy admits maracd's role, which reaches them only through the
-- SECURITY DEFINER functions of 012_accounts.sql (and maracd_caller(),
-- 002_access.sql, which finds a signed-in caller's session).

CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		text NOT NULL CHECK (email ~ '^[^@\s<>(),;:"\\\[\]]{1,64}@[A-Za-z0-9.-]{1,190}$'),
	display_name	text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200
			    AND display_name !~ '[\r\n]'),
	agency		text REFERENCES agencies(code),
	state		text NOT NULL DEFAULT 'invited'
			    CHECK (state IN ('invited', 'active', 'disabled')),
	password_hash	text CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
	-- The TOTP key (RFC 6238): maracd needs it to check a code, so it
	-- is kept as it is and handed out only to a session half signed in
	-- (account_signin_key) or enrolling (account_enrol_key).
	totp_secret	bytea CHECK (totp_secret IS NULL OR length(totp_secret) BETWEEN 10 AND 64),
	totp_enrolled	boolean NOT NULL DEFAULT false,
	-- The last time step accepted: a code is good once (RFC 6238 5.2).
	totp_last_step	bigint NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now(),
	state_changed_at timestamptz NOT NULL DEFAULT now(),
	CHECK (state <> 'active' OR (password_hash IS NOT NULL AND totp_enrolled))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- A user acts under one membership at a time (the session's role_id).
CREATE TABLE user_roles (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('admin', 'coordinator', 'chair', 'agency')),
	agency		text REFERENCES agencies(code),
	forum		text CHECK (forum IN ('marac', 'masc')),
	-- NULL: every area the deployment serves (as api_tokens.areas).  An
	-- agency member's areas bound only who may manage the account: the
	-- agency's policies do not look at areas.
	areas		text[] CHECK (areas IS NULL OR (cardinality(areas) BETWEEN 1 AND 12
			    AND array_to_string(areas, ',') ~ '^[a-z0-9_]{1,32}(,[a-z0-9_]{1,32})*$')),
	CONSTRAINT an_agency_member_needs_an_agency CHECK (role <> 'agency' OR agency IS NOT NULL),
	CONSTRAINT a_chair_needs_a_forum CHECK (role <> 'chair' OR forum IS NOT NULL),
	UNIQUE NULLS NOT DISTINCT (user_id, role, agency, forum)
);

-- stage: 'password' (the password was right; the second factor is
-- awaited, for five minutes), 'enrol' (an invitation was accepted; the
-- TOTP key is being set up), 'active' (signed in).
CREATE TABLE sessions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id_hash		bytea NOT NULL UNIQUE CHECK (length(id_hash) = 32),
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role_id		bigint REFERENCES user_roles(id) ON DELETE CASCADE,
	stage		text NOT NULL CHECK (stage IN ('password', 'enrol', 'active')),
	csrf_hash	bytea CHECK (length(csrf_hash) = 32),
	second_failures	integer NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	ended_at	timestamptz,
	client_addr	inet,
	CHECK (stage <> 'active' OR (role_id IS NOT NULL AND csrf_hash IS NOT NULL))
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE ended_at IS NULL;

-- One-time links (invitation, password reset): the SHA-256 of the token.
CREATE TABLE user_links (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	link_hash	bytea NOT NULL UNIQUE CHECK (length(link_hash) = 32),
	kind		text NOT NULL CHECK (kind IN ('invite', 'reset')),
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);

CREATE TABLE recovery_codes (
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash	bytea NOT NULL CHECK (length(code_hash) = 32),
	used_at		timestamptz,
	PRIMARY KEY (user_id, code_hash)
);

-- Every sign-in step, kept: the throttle counts these, and they are the
-- record of who tried which account from where.  email_key is the
-- lower-cased address tried, known or not.
CREATE TABLE signin_attempts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	email_key	text NOT NULL CHECK (length(email_key) <= 300),
	user_id		bigint,
	client_addr	inet,
	outcome		text NOT NULL CHECK (outcome IN ('pending', 'failed', 'throttled',
			    'password_ok', 'second_failed', 'ok')),
	request_id	text
);
CREATE INDEX signin_attempts_email ON signin_attempts (email_key, at);
CREATE INDEX signin_attempts_addr ON signin_attempts (client_addr, at);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE user_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_roles FORCE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE user_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_links FORCE ROW LEVEL SECURITY;
ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE recovery_codes FORCE ROW LEVEL SECURITY;
ALTER TABLE signin_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE signin_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY users_owner ON users TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_roles_owner ON user_roles TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY sessions_owner ON sessions TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_links_owner ON user_links TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY recovery_codes_owner ON recovery_codes TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY signin_attempts_owner ON signin_attempts TO CURRENT_USER USING (true) WITH CHECK (true);

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
	-- API tokens are for machines, each answerable to a named admin.
	owner		bigint REFERENCES users(id),
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

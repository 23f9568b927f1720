-- Access control: who the caller is, as PostgreSQL itself establishes it.
--
-- maracd_authenticate() takes the SHA-256 of the bearer token (hashed by
-- maracd, so that the token never reaches the server or its logs), finds it, and records the
-- caller for this transaction only (set_config(..., true)).  The policies
-- on case tables never trust a plain setting: they go through
-- maracd_role(), maracd_agency() and maracd_forum(), which look the caller
-- up again by the token hash.  maracd's role cannot read api_tokens, so
-- it cannot learn another token's hash, and set_config() of a made-up
-- role or agency gains it nothing.

CREATE FUNCTION maracd_authenticate(token_sha256 text, request_id text, client_addr text)
RETURNS TABLE (token_id bigint, role text, agency text, forum text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	h bytea;
	t api_tokens%ROWTYPE;
BEGIN
	IF token_sha256 IS NULL OR token_sha256 !~ '^[0-9a-f]{64}$' THEN
		RETURN;
	END IF;
	h := decode(token_sha256, 'hex');
	SELECT * INTO t FROM api_tokens a WHERE a.token_hash = h AND a.revoked_at IS NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	-- Last use is kept to the minute: a write per request would cost more
	-- than it tells.
	UPDATE api_tokens a SET last_used_at = now()
	 WHERE a.id = t.id AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute');
	PERFORM set_config('maracd.token_hash', encode(h, 'hex'), true);
	PERFORM set_config('maracd.token_id', t.id::text, true);
	PERFORM set_config('maracd.role', t.role, true);
	PERFORM set_config('maracd.agency', coalesce(t.agency, ''), true);
	PERFORM set_config('maracd.forum', coalesce(t.forum, ''), true);
	PERFORM set_config('maracd.request_id', coalesce(request_id, ''), true);
	PERFORM set_config('maracd.client_addr', coalesce(client_addr, ''), true);
	token_id := t.id; role := t.role; agency := t.agency; forum := t.forum;
	RETURN NEXT;
END
$$;

-- The caller's token row, re-established from the hash for every policy.
CREATE FUNCTION maracd_caller_token() RETURNS api_tokens
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT * FROM api_tokens
	 WHERE token_hash = decode(nullif(current_setting('maracd.token_hash', true), ''), 'hex')
	   AND revoked_at IS NULL
$$;

CREATE FUNCTION maracd_role() RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT (maracd_caller_token()).role $$;

CREATE FUNCTION maracd_agency() RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT (maracd_caller_token()).agency $$;

CREATE FUNCTION maracd_forum() RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT (maracd_caller_token()).forum $$;

-- Is this transaction one of maracd's scheduled jobs?  A job is a caller
-- like any other: it authenticates with a token of role 'job' that only
-- maracd holds ([database] job_token_file), and its name rides in the
-- request id ("job:sittings").  No setting that SQL can set makes a job:
-- this function is the one place that decides it.
CREATE FUNCTION maracd_is_job() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce(maracd_role() = 'job', false) $$;

-- Is this session the schema owner's (maracctl migrate, and the maracctl
-- commands that still run as the owner)?  session_user, not current_user:
-- inside a SECURITY DEFINER function current_user is always the owner.
-- maracd refuses to start when its own login is a member of the owner.
CREATE FUNCTION maracd_owner_session() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class
	    WHERE oid = 'public.api_tokens'::regclass), 'MEMBER')
$$;

-- Who the caller is, as audit rows and records name it: a token's role,
-- a job's name, or the owner's session with the label maracctl gives it
-- (maracd.system: only believed from the owner, who could write anything
-- anyway).  NULL: nobody the database knows.
CREATE FUNCTION maracd_caller_name(t api_tokens) RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT CASE
	    WHEN t.role = 'job' THEN coalesce(nullif(current_setting('maracd.request_id', true), ''), 'job')
	    WHEN t.role IS NOT NULL THEN t.role
	    WHEN maracd_owner_session() THEN coalesce(nullif(current_setting('maracd.system', true), ''),
	        session_user::text)
	    END
$$;

REVOKE ALL ON FUNCTION maracd_authenticate(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION maracd_caller_token() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION maracd_authenticate(text, text, text) TO maracd_app;
GRANT EXECUTE ON FUNCTION maracd_caller_token() TO maracd_app;

-- The audit row's who, when and from where come from the transaction's
-- caller, whatever the INSERT says: a handler names only the action and
-- the object.
CREATE FUNCTION audit_log_fill() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	t api_tokens%ROWTYPE := maracd_caller_token();
BEGIN
	NEW.at := now();
	NEW.token_id := t.id;
	NEW.role := maracd_caller_name(t);
	-- Nobody the database knows writes nothing: a login without a caller
	-- (maracd's own, with arbitrary SQL) cannot put rows of its choosing
	-- into the log.
	IF NEW.role IS NULL THEN
		RAISE EXCEPTION 'an audit row needs an authenticated caller'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	NEW.agency := t.agency;
	NEW.client_addr := nullif(current_setting('maracd.client_addr', true), '')::inet;
	NEW.request_id := nullif(current_setting('maracd.request_id', true), '');
	RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_fill BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_fill();

-- Append-only, even for the owner's roles: history is not rewritten.
CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();
GRANT USAGE ON SCHEMA public TO maracd_app;

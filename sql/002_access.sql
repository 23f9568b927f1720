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
RETURNS TABLE (token_id bigint, role text, agency text, forum text, areas text[])
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
	SELECT * INTO t FROM api_tokens a WHERE a.token_hash = h AND a.revoked_at IS NULL
	   AND a.expires_at > now();
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
	token_id := t.id; role := t.role; agency := t.agency; forum := t.forum; areas := t.areas;
	RETURN NEXT;
END
$$;

-- Who the caller of this transaction is: one row, every field NULL for
-- nobody.  A token that is neither revoked nor expired, or a signed-in
-- session (account_caller_session, 012_accounts.sql), as the person under
-- the membership it acts under, with the same fields, so no policy has a
-- second code path for people.  It re-establishes the caller from the
-- token's or the session's hash of this transaction at every call (and
-- refuses a disabled user or an ended session): nothing the session can
-- set is trusted instead.  PL/pgSQL, whose statement plans are cached for
-- the session: the policies ask it about thirty times per referral read
-- (bench/RESULTS.md).
CREATE TYPE maracd_caller_t AS (
	token_id	bigint,
	user_id		bigint,
	session_id	bigint,
	role		text,
	agency		text,
	forum		text,
	areas		text[],		-- NULL: every area
	name		text
);

CREATE FUNCTION maracd_caller() RETURNS maracd_caller_t
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	c maracd_caller_t;
	s sessions;
BEGIN
	IF nullif(current_setting('maracd.token_hash', true), '') IS NOT NULL THEN
		SELECT t.id, NULL, NULL, t.role, t.agency, t.forum, t.areas, t.name INTO c
		  FROM api_tokens t
		 WHERE t.token_hash = decode(current_setting('maracd.token_hash', true), 'hex')
		   AND t.revoked_at IS NULL AND t.expires_at > now();
		RETURN c;
	END IF;
	s := account_caller_session();
	IF s.id IS NOT NULL THEN
		SELECT NULL, s.user_id, s.id, m.role, m.agency, m.forum, m.areas, u.display_name
		  INTO c FROM user_roles m JOIN users u ON u.id = m.user_id WHERE m.id = s.role_id;
	END IF;
	RETURN c;
END
$$;

-- The policies' questions.  Not SECURITY DEFINER and without a SET clause,
-- so that the planner inlines them; the one name they use is
-- schema-qualified, so the caller's search_path gives the caller nothing.
CREATE FUNCTION maracd_role() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT (public.maracd_caller()).role $$;

CREATE FUNCTION maracd_agency() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT (public.maracd_caller()).agency $$;

CREATE FUNCTION maracd_forum() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT (public.maracd_caller()).forum $$;

-- The areas an admin, coordinator or chair sees (NULL: all).  A policy
-- spells the check out (maracd_policy_areas below), so that it is
-- evaluated once per statement.
CREATE FUNCTION maracd_areas() RETURNS text[] LANGUAGE sql STABLE
AS $$ SELECT (public.maracd_caller()).areas $$;

-- The text of the policies' scope checks, used when the policies are
-- created (never at run time): the one place that spells out who of the
-- admin, coordinator and chair roles sees a row, given SQL expressions
-- for the row's area and forum.  Each question is (SELECT ...): evaluated
-- once per statement, not once per row.
CREATE FUNCTION maracd_policy_areas(area_expr text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT format('((SELECT public.maracd_areas()) IS NULL OR '
	    '(%s) = ANY (CAST((SELECT public.maracd_areas()) AS text[])))', area_expr)
$$;

CREATE FUNCTION maracd_policy_staff(area_expr text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT format('(SELECT public.maracd_role()) IN (''admin'', ''coordinator'') AND %s',
	    maracd_policy_areas(area_expr))
$$;

CREATE FUNCTION maracd_policy_chair(forum_expr text, area_expr text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT format('(SELECT public.maracd_role()) = ''chair'' AND (%s) = (SELECT public.maracd_forum()) AND %s',
	    forum_expr, maracd_policy_areas(area_expr))
$$;

-- Create the policy for admins and coordinators (t_admin, for the
-- commands staff_cmd) and the one for chairs (t_chair, for chair_cmd;
-- NULL: none) on table t.
CREATE FUNCTION maracd_scope_policies(t text, forum_expr text, area_expr text,
    staff_cmd text DEFAULT 'ALL', chair_cmd text DEFAULT 'ALL') RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	who text;
	cmd text;
	expr text;
BEGIN
	FOREACH who IN ARRAY ARRAY['admin', 'chair'] LOOP
		cmd := CASE who WHEN 'admin' THEN staff_cmd ELSE chair_cmd END;
		CONTINUE WHEN cmd IS NULL;
		expr := CASE who WHEN 'admin' THEN maracd_policy_staff(area_expr)
		    ELSE maracd_policy_chair(forum_expr, area_expr) END;
		EXECUTE format('CREATE POLICY %I ON %I FOR %s %s', t || '_' || who, t, cmd,
		    CASE cmd WHEN 'INSERT' THEN format('WITH CHECK (%s)', expr)
		        WHEN 'SELECT' THEN format('USING (%s)', expr)
		        WHEN 'DELETE' THEN format('USING (%s)', expr)
		        ELSE format('USING (%s) WITH CHECK (%s)', expr, expr) END);
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION maracd_scope_policies(text, text, text, text, text) FROM PUBLIC;

-- Does this transaction have a caller the database knows?
CREATE FUNCTION maracd_has_caller() RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT (public.maracd_caller()).role IS NOT NULL $$;

-- Is this transaction one of maracd's scheduled jobs?  A job is a caller
-- like any other: it authenticates with a token of role 'job' that only
-- maracd holds ([database] job_token_file), and its name rides in the
-- request id ("job:sittings").  No setting that SQL can set makes a job:
-- this function is the one place that decides it.
CREATE FUNCTION maracd_is_job() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce(maracd_role() = 'job', false) $$;

-- Does the caller run the cycle (admin or coordinator)?  For functions;
-- policies spell it out.
CREATE FUNCTION maracd_is_staff() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce(maracd_role() IN ('admin', 'coordinator'), false) $$;

-- May the caller see cases of this area?  For functions (per call);
-- policies spell it out (per statement).
CREATE FUNCTION maracd_area_allowed(a text) RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT maracd_areas() IS NULL OR a = ANY (maracd_areas()) $$;

-- Is this session the schema owner's (maracctl migrate, and the maracctl
-- commands that still run as the owner)?  session_user, not current_user:
-- inside a SECURITY DEFINER function current_user is always the owner.
-- maracd refuses to start when its own login is a member of the owner.
-- PL/pgSQL, not SQL, for its plan: every audit row asks who the caller is
-- (audit_log_fill: maracd_caller(), then maracd_caller_name()), and a SQL
-- function with a SET clause can be neither inlined nor planned once, so
-- each call was parsed and planned again: about 250 microseconds an audit
-- row, a third of an import's time in the database (issue 24,
-- bench/RESULTS.md, Import).  PL/pgSQL keeps its plans for the session;
-- the caller is still looked up again at every call.  The same holds for
-- maracd_caller_name below and account_hash and account_caller_session
-- (012_accounts.sql).
CREATE FUNCTION maracd_owner_session() RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN pg_has_role(session_user, (SELECT relowner FROM pg_class
	    WHERE oid = 'public.api_tokens'::regclass), 'MEMBER');
END
$$;

-- Who the caller is, as audit rows and records name it: a token's role,
-- a job's name, or the owner's session with the label maracctl gives it
-- (maracd.system: only believed from the owner, who could write anything
-- anyway).  NULL: nobody the database knows.
CREATE FUNCTION maracd_caller_name(c maracd_caller_t) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN CASE
	    WHEN c.role = 'job' THEN coalesce(nullif(current_setting('maracd.request_id', true), ''), 'job')
	    WHEN c.role IS NOT NULL THEN c.role
	    WHEN maracd_owner_session() THEN coalesce(nullif(current_setting('maracd.system', true), ''),
	        session_user::text)
	    END;
END
$$;

REVOKE ALL ON FUNCTION maracd_authenticate(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION maracd_caller() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION maracd_authenticate(text, text, text) TO maracd_app;
GRANT EXECUTE ON FUNCTION maracd_caller() TO maracd_app;

-- The audit row's who, when and from where come from the transaction's
-- caller, whatever the INSERT says: a handler names only the action and
-- the object.
CREATE FUNCTION audit_log_fill() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	c maracd_caller_t := maracd_caller();
BEGIN
	NEW.at := now();
	NEW.token_id := c.token_id;
	NEW.user_id := c.user_id;
	NEW.role := maracd_caller_name(c);
	IF NEW.role IS NULL THEN
		-- A sign-in attempt has no caller yet: its row says what the
		-- attempt says, whatever the INSERT did (audit_signin_fill,
		-- sql/012_accounts.sql).  Otherwise nobody the database knows
		-- writes nothing: a login without a caller (maracd's own, with
		-- arbitrary SQL) cannot put rows of its choosing into the log.
		NEW := audit_signin_fill(NEW);
		IF NEW.role IS NULL THEN
			RAISE EXCEPTION 'an audit row needs an authenticated caller'
			    USING ERRCODE = 'insufficient_privilege';
		END IF;
		RETURN NEW;
	END IF;
	NEW.agency := c.agency;
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

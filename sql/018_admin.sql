-- Administration over HTTP as well as by maracctl (maracd(8), WEB PAGES,
-- /admin): the agencies (name, reminder address, the forums whose core
-- agency each is) and the API tokens; who may is admin_may_administer(),
-- with a second factor's reset in 012_accounts.sql.  maracd's role may
-- not write agencies, forum_core_agencies or api_tokens, nor read
-- api_tokens: it reaches them through the SECURITY DEFINER functions
-- below, which maracctl (the owner) calls too, so that each rule (who
-- may, what a new token gets, the audit row) is here once.

--
-- Agencies.
--

-- An agency as the API shows it: core_of lists the forums (marac, masc)
-- whose urgent alerts and agendas it gets as a core agency.
CREATE FUNCTION agency_json(a agencies) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('code', a.code, 'name', a.name, 'email', a.reminder_email,
	    'core_of', coalesce((SELECT jsonb_agg(f.forum ORDER BY f.forum)
	        FROM forum_core_agencies f WHERE f.agency = a.code), '[]'))
$$;

-- Every agency (GET /v1/agencies: any caller; no case data).  maracd's
-- role reads both tables itself: no SECURITY DEFINER needed.
CREATE FUNCTION agency_list() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT coalesce(jsonb_agg(agency_json(a) ORDER BY a.code), '[]') FROM agencies a $$;

-- Add or change an agency.  creating: true, a new code (unique_violation
-- if it exists); false, an existing one (NULL if there is none), its name
-- kept when name is NULL and its address when set_email is false; NULL,
-- either (maracctl agency add: seeding twice is harmless).  core_of, when
-- not NULL, is the whole set of forums it is a core agency of; a new
-- agency without it gets the defaults of forum_core_agencies_seed.  The
-- tables' checks refuse a bad code, name or address (check_violation,
-- named by constraint).
CREATE FUNCTION agency_save(code text, name text, email text, set_email boolean,
    core_of text[], creating boolean) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	a agencies;
	existed boolean;
BEGIN
	IF NOT admin_may_administer() THEN
		PERFORM account_refuse('permission denied: only an admin changes agencies');
	END IF;
	existed := EXISTS (SELECT 1 FROM agencies x WHERE x.code = agency_save.code);
	IF creating AND existed THEN
		RAISE EXCEPTION 'an agency with this code exists' USING ERRCODE = 'unique_violation';
	ELSIF creating IS NOT NULL AND NOT creating AND NOT existed THEN
		RETURN NULL;
	END IF;
	IF existed THEN
		UPDATE agencies x SET name = coalesce(agency_save.name, x.name),
		    reminder_email = CASE WHEN set_email THEN email ELSE x.reminder_email END
		 WHERE x.code = agency_save.code RETURNING * INTO a;
	ELSE
		INSERT INTO agencies (code, name, reminder_email) VALUES (code, name, email)
		RETURNING * INTO a;
	END IF;
	IF core_of IS NOT NULL THEN
		DELETE FROM forum_core_agencies f WHERE f.agency = a.code AND f.forum <> ALL (core_of);
		INSERT INTO forum_core_agencies (forum, agency)
		SELECT DISTINCT f, a.code FROM unnest(core_of) f ON CONFLICT DO NOTHING;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES (CASE WHEN existed THEN 'agency_update' ELSE 'agency_create' END, 'agency', a.code);
	RETURN agency_json(a);
END
$$;

--
-- API tokens.
--

-- A token as the API shows it: never its hash.
CREATE FUNCTION api_token_json(t api_tokens) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('id', t.id, 'name', t.name, 'role', t.role, 'agency', t.agency,
	    'forum', t.forum, 'areas', to_jsonb(t.areas), 'created_at', t.created_at,
	    'last_used_at', t.last_used_at, 'expires_at', CASE WHEN isfinite(t.expires_at)
	        THEN to_jsonb(t.expires_at) ELSE 'null'::jsonb END,
	    'revoked_at', t.revoked_at,
	    'state', CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
	        WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END,
	    'owner', (SELECT u.email FROM users u WHERE u.id = t.owner))
$$;

CREATE FUNCTION api_token_list() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT admin_may_administer() THEN
		PERFORM account_refuse('permission denied: only an admin sees the API tokens');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(api_token_json(t) ORDER BY t.id), '[]') FROM api_tokens t);
END
$$;

-- A new token, of which the caller (maracd or maracctl) hashed the
-- secret and shows it once.  It answers to a named person: owner_email's
-- account (maracctl --owner), else the signed-in caller.  It runs out in
-- days (a year by default), but for maracd's own job token, which would
-- otherwise stop every job a year on: it lasts until it is revoked.  Only
-- the owner makes a job token.  Least privilege: an admin, coordinator or
-- chair token sees the areas it is given (all_areas: every one); given
-- neither, a deployment serving one area gives that one (every area is
-- the same thing there), one serving several refuses rather than guess
-- (invalid_parameter_value).  NULL when owner_email is nobody's.
CREATE FUNCTION api_token_create(name text, role text, agency text, forum text,
    token_sha256 text, areas text[], all_areas boolean, owner_email text, days integer)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	t api_tokens;
	who bigint := (maracd_caller()).user_id;
BEGIN
	IF NOT admin_may_administer() OR (role = 'job' AND NOT maracd_owner_session()) THEN
		PERFORM account_refuse('permission denied: only an admin makes API tokens, and only '
		    'maracctl a job token');
	END IF;
	IF owner_email IS NOT NULL THEN
		SELECT u.id INTO who FROM users u WHERE lower(u.email) = lower(owner_email);
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
	END IF;
	IF areas IS NULL AND NOT coalesce(all_areas, false)
	    AND role IN ('admin', 'coordinator', 'chair')
	    AND (SELECT count(DISTINCT s.area) FROM series s) > 1 THEN
		RAISE EXCEPTION 'this deployment serves several areas: give the token''s areas '
		    '(maracctl: --areas A,B or --areas all; the API: areas or all_areas)'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO api_tokens (name, role, agency, forum, token_hash, areas, owner, expires_at)
	VALUES (name, role, CASE WHEN role = 'agency' THEN agency END,
	    CASE WHEN role = 'chair' THEN forum END, account_hash(token_sha256),
	    areas, who,
	    CASE WHEN days IS NULL AND role = 'job' THEN 'infinity'
	    ELSE now() + coalesce(days, 365) * interval '1 day' END)
	RETURNING * INTO t;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('token_create', 'api_token', t.id::text);
	RETURN api_token_json(t);
END
$$;

-- Revoke a token at once (its next request is refused).  maracd's job
-- token only by the owner: revoking it stops every job.  NULL when there
-- is no such token still in force.
CREATE FUNCTION api_token_revoke(id bigint) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	t api_tokens;
BEGIN
	IF NOT admin_may_administer() THEN
		PERFORM account_refuse('permission denied: only an admin revokes API tokens');
	END IF;
	SELECT * INTO t FROM api_tokens x WHERE x.id = api_token_revoke.id
	   AND x.revoked_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF t.role = 'job' AND NOT maracd_owner_session() THEN
		PERFORM account_refuse('only maracctl revokes maracd''s job token');
	END IF;
	UPDATE api_tokens x SET revoked_at = now() WHERE x.id = t.id RETURNING * INTO t;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('token_revoke', 'api_token', t.id::text);
	RETURN api_token_json(t);
END
$$;

REVOKE ALL ON FUNCTION agency_list(),
	agency_save(text, text, text, boolean, text[], boolean), api_token_list(),
	api_token_create(text, text, text, text, text, text[], boolean, text, integer),
	api_token_revoke(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agency_list(),
	agency_save(text, text, text, boolean, text[], boolean), api_token_list(),
	api_token_create(text, text, text, text, text, text[], boolean, text, integer),
	api_token_revoke(bigint) TO maracd_app;

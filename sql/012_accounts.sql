-- Named accounts: people, their roles, their sessions (maracd(8), ACCOUNTS).
--
-- A person signs in with an email, a password (Argon2id, hashed and
-- checked by maracd off its event loop) and a TOTP code; a browser then
-- holds a session cookie whose SHA-256 is all the database keeps.  The
-- tables (users, user_roles, sessions, user_links, recovery_codes,
-- signin_attempts: 001_foundation.sql, since maracd_caller() reads them)
-- are the owner's alone: row-level security is forced and no policy
-- admits maracd's role, which reaches them only through the SECURITY
-- DEFINER functions of this file.  Each of those functions re-checks what
-- entitles its caller to call it: a sign-in step needs the step before it
-- (a recorded attempt, a session half signed in), an administrative one
-- needs an admin or coordinator caller in scope (or the owner's session:
-- maracctl).
--
-- What maracd must be trusted with, and is: it checks the password against
-- the hash and the TOTP code against the key, so a login that can call
-- these functions with arbitrary SQL could claim a check it never made.
-- It can do so only one account at a time, through the throttle, and
-- every step leaves its row in signin_attempts.  It still cannot read a
-- session, a link or a recovery code, all stored hashed.

-- Every sign-in attempt is in the audit log too, named by the account
-- tried (if any) and the address it came from, at each change of its
-- outcome.  The attempt has no caller for audit_log_fill to name, so the
-- trigger points it at the attempt (maracd.signin_attempt) and
-- audit_signin_fill writes the row from the attempt alone: a login that
-- sets the name itself can only log a real attempt again.
CREATE FUNCTION audit_signin_fill(n audit_log) RETURNS audit_log
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	a signin_attempts%ROWTYPE;
BEGIN
	SELECT * INTO a FROM signin_attempts s
	 WHERE s.id = nullif(current_setting('maracd.signin_attempt', true), '')::bigint;
	IF FOUND THEN
		n.role := 'signin';
		n.user_id := a.user_id;
		n.action := 'signin_' || a.outcome;
		n.object_type := 'signin_attempt';
		n.object_id := a.id::text;
		n.client_addr := a.client_addr;
		n.request_id := a.request_id;
	END IF;
	RETURN n;
END
$$;

CREATE FUNCTION signin_attempts_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	PERFORM set_config('maracd.signin_attempt', NEW.id::text, true);
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('signin_' || NEW.outcome, 'signin_attempt', NEW.id::text);
	PERFORM set_config('maracd.signin_attempt', '', true);
	RETURN NULL;
END
$$;
CREATE TRIGGER signin_attempts_audit AFTER INSERT OR UPDATE OF outcome ON signin_attempts
	FOR EACH ROW EXECUTE FUNCTION signin_attempts_audit();
REVOKE ALL ON FUNCTION audit_signin_fill(audit_log), signin_attempts_audit() FROM PUBLIC;

-- A hex SHA-256 from maracd, as bytea, or NULL for anything else.
CREATE FUNCTION account_hash(h text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN CASE WHEN h ~ '^[0-9a-f]{64}$' THEN decode(h, 'hex') END;
END
$$;

-- The SHA-256 of a link token as maracd and maracctl compute it
-- (tokenhash.h): links are made in the database so that the mail that
-- carries them is written in the same transaction.
CREATE FUNCTION account_token_hash(tok text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
SET search_path = public, pg_temp
AS $$ SELECT sha256(convert_to(tok, 'UTF8')) $$;

--
-- Sign-in.
--

-- How long email_key (or, with by_addr, addr) must wait before its next
-- attempt: failures since the last success within lock_minutes count;
-- the first three are free, then each doubles the wait (2, 4, 8 ...
-- seconds, at most a minute), and at failures_before_lock the account
-- (or the address, at five times as many) is locked for lock_minutes
-- from its last failure.  0: go ahead.
CREATE FUNCTION account_throttle_wait(email_key text, addr inet,
    failures_before_lock integer, lock_minutes integer) RETURNS integer
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
DECLARE
	window_start timestamptz := now() - lock_minutes * interval '1 minute';
	n integer; last timestamptz; w integer := 0;
BEGIN
	SELECT count(*), max(a.at) INTO n, last FROM signin_attempts a
	 WHERE a.email_key = account_throttle_wait.email_key
	   AND a.outcome IN ('pending', 'failed', 'second_failed')
	   AND a.at > greatest(window_start, coalesce((SELECT max(s.at) FROM signin_attempts s
	       WHERE s.email_key = account_throttle_wait.email_key AND s.outcome = 'ok'), '-infinity'));
	IF n >= failures_before_lock THEN
		w := ceil(extract(epoch FROM last + lock_minutes * interval '1 minute' - now()));
	ELSIF n > 3 THEN
		w := ceil(extract(epoch FROM last + least(60, 2 ^ (n - 3)) * interval '1 second' - now()));
	END IF;
	IF addr IS NOT NULL THEN
		SELECT count(*), max(a.at) INTO n, last FROM signin_attempts a
		 WHERE a.client_addr = addr AND a.outcome IN ('pending', 'failed', 'second_failed')
		   AND a.at > window_start;
		IF n >= 5 * failures_before_lock THEN
			w := greatest(w, ceil(extract(epoch FROM last + lock_minutes * interval '1 minute' - now())));
		END IF;
	END IF;
	RETURN greatest(w, 0);
END
$$;

-- The first step: record the attempt and, unless it must wait, hand maracd
-- the password hash to check (NULL for an unknown, invited or disabled
-- account: maracd then checks against a dummy hash, so that the answer
-- and its timing are the same).  Anyone may call it: it is the door.
CREATE FUNCTION account_signin_begin(email text, addr text, request_id text,
    failures_before_lock integer, lock_minutes integer,
    OUT attempt_id bigint, OUT password_hash text, OUT wait_seconds integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	k text := left(lower(coalesce(email, '')), 300);
	a inet := nullif(addr, '')::inet;
	u users%ROWTYPE;
BEGIN
	wait_seconds := account_throttle_wait(k, a, failures_before_lock, lock_minutes);
	SELECT * INTO u FROM users x WHERE lower(x.email) = k;
	IF wait_seconds > 0 THEN
		INSERT INTO signin_attempts (email_key, user_id, client_addr, outcome, request_id)
		VALUES (k, u.id, a, 'throttled', request_id);
		RETURN;
	END IF;
	INSERT INTO signin_attempts (email_key, user_id, client_addr, outcome, request_id)
	VALUES (k, u.id, a, 'pending', request_id) RETURNING id INTO attempt_id;
	IF u.state = 'active' THEN
		password_hash := u.password_hash;
	END IF;
END
$$;

-- maracd's verdict on the password of attempt_id (begun within the
-- minute).  Right, for an active account: a session half signed in,
-- whose id hash maracd chose, for five minutes; true is returned.
CREATE FUNCTION account_signin_password(attempt_id bigint, password_ok boolean,
    session_sha256 text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	t signin_attempts%ROWTYPE;
	u users%ROWTYPE;
BEGIN
	SELECT * INTO t FROM signin_attempts a WHERE a.id = attempt_id
	   AND a.outcome = 'pending' AND a.at > now() - interval '1 minute' FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	SELECT * INTO u FROM users x WHERE x.id = t.user_id AND x.state = 'active';
	IF NOT password_ok OR NOT FOUND OR account_hash(session_sha256) IS NULL THEN
		UPDATE signin_attempts SET outcome = 'failed' WHERE id = t.id;
		RETURN false;
	END IF;
	UPDATE signin_attempts SET outcome = 'password_ok' WHERE id = t.id;
	INSERT INTO sessions (id_hash, user_id, stage, expires_at, client_addr)
	VALUES (account_hash(session_sha256), u.id, 'password', now() + interval '5 minutes',
	    t.client_addr);
	RETURN true;
END
$$;

-- The half-signed-in session's account: its TOTP key and the last step
-- used, for maracd to check a code against.
CREATE FUNCTION account_signin_key(session_sha256 text,
    OUT user_id bigint, OUT totp_secret bytea, OUT totp_last_step bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT u.id, u.totp_secret, u.totp_last_step FROM sessions s JOIN users u ON u.id = s.user_id
	 WHERE s.id_hash = account_hash(session_sha256) AND s.stage = 'password'
	   AND s.ended_at IS NULL AND s.expires_at > now() AND u.state = 'active'
$$;

-- The second step's verdict.  With a step (maracd found the code good at
-- that time step) or the hash of a recovery code: the half-signed-in
-- session ends and a signed-in one starts under a new id (the user's
-- first membership unless role_id names another of theirs), lasting
-- absolute_seconds at most.  A step at or before the last one used is a
-- replay and fails.  A failure counts against the account like a wrong
-- password; the fifth ends the half-signed-in session.
-- Returns the new session's user id, or NULL.
CREATE FUNCTION account_signin_second(session_sha256 text, step bigint,
    recovery_sha256 text, new_session_sha256 text, csrf_sha256 text,
    absolute_seconds integer, request_id text) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions%ROWTYPE;
	u users%ROWTYPE;
	ok boolean := false;
	rid bigint;
BEGIN
	SELECT * INTO s FROM sessions x WHERE x.id_hash = account_hash(session_sha256)
	   AND x.stage = 'password' AND x.ended_at IS NULL AND x.expires_at > now() FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM users x WHERE x.id = s.user_id AND x.state = 'active' FOR UPDATE;
	IF FOUND AND step IS NOT NULL AND step > u.totp_last_step THEN
		UPDATE users SET totp_last_step = step WHERE id = u.id;
		ok := true;
	ELSIF FOUND AND recovery_sha256 IS NOT NULL THEN
		UPDATE recovery_codes r SET used_at = now()
		 WHERE r.user_id = u.id AND r.code_hash = account_hash(recovery_sha256)
		   AND r.used_at IS NULL;
		ok := FOUND;
	END IF;
	IF NOT ok OR account_hash(new_session_sha256) IS NULL OR account_hash(csrf_sha256) IS NULL THEN
		INSERT INTO signin_attempts (email_key, user_id, client_addr, outcome, request_id)
		VALUES (lower(coalesce(u.email, '')), s.user_id, s.client_addr, 'second_failed', request_id);
		UPDATE sessions SET second_failures = second_failures + 1,
		    ended_at = CASE WHEN second_failures + 1 >= 5 THEN now() END
		 WHERE id = s.id;
		RETURN NULL;
	END IF;
	SELECT r.id INTO rid FROM user_roles r WHERE r.user_id = u.id ORDER BY r.id LIMIT 1;
	UPDATE sessions SET ended_at = now() WHERE id = s.id;
	INSERT INTO sessions (id_hash, user_id, role_id, stage, csrf_hash, expires_at, client_addr)
	VALUES (account_hash(new_session_sha256), u.id, rid, 'active', account_hash(csrf_sha256),
	    now() + absolute_seconds * interval '1 second', s.client_addr);
	INSERT INTO signin_attempts (email_key, user_id, client_addr, outcome, request_id)
	VALUES (lower(u.email), u.id, s.client_addr, 'ok', request_id);
	PERFORM account_session_audit(account_hash(new_session_sha256), 'signin', request_id);
	RETURN u.id;
END
$$;

--
-- Sessions as callers.
--

-- A session that has just started (signed in, enrolled) is this
-- transaction's caller from here on, so that the audit row that records
-- its start names the person.
CREATE FUNCTION account_session_audit(id_hash bytea, action text, request_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp
AS $$
BEGIN
	PERFORM set_config('maracd.session_hash', encode(id_hash, 'hex'), true);
	PERFORM set_config('maracd.request_id', coalesce(request_id, ''), true);
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES (action, 'user', (account_caller_session()).user_id::text);
END
$$;

-- The session of this transaction's caller, re-established from the hash
-- maracd_authenticate_session recorded, every time it is asked: signed
-- in, not ended, not past its lifetime, and its user still active (a
-- disabled user's next request is refused).  An audit row of a token or
-- of maracctl has no session: the look-up is skipped when the transaction
-- names none.  PL/pgSQL for its plan (see maracd_owner_session,
-- 002_access.sql).
CREATE FUNCTION account_caller_session() RETURNS sessions
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions;
BEGIN
	IF nullif(current_setting('maracd.session_hash', true), '') IS NULL THEN
		RETURN s;
	END IF;
	SELECT x.* INTO s FROM sessions x JOIN users u ON u.id = x.user_id
	 WHERE x.id_hash = account_hash(nullif(current_setting('maracd.session_hash', true), ''))
	   AND x.stage = 'active' AND x.ended_at IS NULL AND x.expires_at > now()
	   AND u.state = 'active';
	RETURN s;
END
$$;

-- maracd_authenticate for a session cookie: the caller's membership, the
-- user, and whether csrf_sha256 is the session's CSRF token.  A session
-- idle for idle_seconds ends here.  No row: no such signed-in session.
--
-- The session's last_seen_at moves on at most once a minute (a tenth of
-- idle_seconds, if less), and the row is not locked: a page that only
-- reads then writes nothing, and its commit waits for no disk flush (a
-- write per page view cost every page a WAL flush).  A session may so
-- end up to that much before idle_seconds after its last request.
CREATE FUNCTION maracd_authenticate_session(session_sha256 text, csrf_sha256 text,
    idle_seconds integer, request_id text, client_addr text)
RETURNS TABLE (token_id bigint, role text, agency text, forum text, areas text[],
    user_id bigint, csrf_ok boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions%ROWTYPE;
	m user_roles%ROWTYPE;
BEGIN
	SELECT x.* INTO s FROM sessions x JOIN users u ON u.id = x.user_id
	 WHERE x.id_hash = account_hash(session_sha256) AND x.stage = 'active'
	   AND x.ended_at IS NULL AND x.expires_at > now() AND u.state = 'active';
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF s.last_seen_at < now() - idle_seconds * interval '1 second' THEN
		UPDATE sessions SET ended_at = now() WHERE id = s.id;
		RETURN;
	END IF;
	IF s.last_seen_at < now() - least(60, idle_seconds / 10) * interval '1 second' THEN
		UPDATE sessions SET last_seen_at = now() WHERE id = s.id;
	END IF;
	SELECT * INTO m FROM user_roles r WHERE r.id = s.role_id;
	PERFORM set_config('maracd.session_hash', encode(s.id_hash, 'hex'), true);
	PERFORM set_config('maracd.request_id', coalesce(request_id, ''), true);
	PERFORM set_config('maracd.client_addr', coalesce(client_addr, ''), true);
	token_id := NULL; role := m.role; agency := m.agency; forum := m.forum;
	areas := m.areas; user_id := s.user_id;
	csrf_ok := s.csrf_hash = account_hash(csrf_sha256);
	RETURN NEXT;
END
$$;

-- Sign out: the caller's session, or (everywhere) every session of theirs.
CREATE FUNCTION account_signout(everywhere boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions := account_caller_session();
	n integer;
BEGIN
	IF s.id IS NULL THEN
		RETURN 0;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES (CASE WHEN everywhere THEN 'signout_everywhere' ELSE 'signout' END, 'user',
	    s.user_id::text);
	UPDATE sessions SET ended_at = now()
	 WHERE ended_at IS NULL AND (id = s.id OR (everywhere AND user_id = s.user_id));
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- Who the session is, for GET /v1/whoami.
CREATE FUNCTION account_whoami() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('user_id', u.id, 'email', u.email,
	    'display_name', u.display_name, 'role', m.role, 'agency', m.agency,
	    'forum', m.forum, 'areas', to_jsonb(m.areas), 'membership', m.id,
	    'expires_at', to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	    'memberships', (SELECT jsonb_agg(jsonb_build_object('id', r.id, 'role', r.role,
	        'agency', r.agency, 'forum', r.forum, 'areas', to_jsonb(r.areas)) ORDER BY r.id)
	      FROM user_roles r WHERE r.user_id = u.id))
	  FROM (SELECT (account_caller_session()).*) s
	  JOIN users u ON u.id = s.user_id JOIN user_roles m ON m.id = s.role_id
$$;

-- Act under another of the caller's memberships.  A change of privilege:
-- the session ends and a new one (new id, new CSRF token, the same
-- lifetime) starts under it.  Returns the membership's role, or NULL.
CREATE FUNCTION account_switch_membership(membership bigint, new_session_sha256 text,
    csrf_sha256 text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions := account_caller_session();
	m user_roles%ROWTYPE;
BEGIN
	IF s.id IS NULL OR account_hash(new_session_sha256) IS NULL
	    OR account_hash(csrf_sha256) IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO m FROM user_roles r WHERE r.id = membership AND r.user_id = s.user_id;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	UPDATE sessions SET ended_at = now() WHERE id = s.id;
	INSERT INTO sessions (id_hash, user_id, role_id, stage, csrf_hash, created_at,
	    expires_at, client_addr)
	VALUES (account_hash(new_session_sha256), s.user_id, m.id, 'active',
	    account_hash(csrf_sha256), s.created_at, s.expires_at, s.client_addr);
	PERFORM account_session_audit(account_hash(new_session_sha256), 'membership',
	    current_setting('maracd.request_id', true));
	RETURN m.role;
END
$$;

--
-- One-time links, and the mail that carries them.
--

-- Where a link's token is used (the address the mail and maracctl give):
-- the page a person opens in a browser (maracd(8), WEB PAGES), whose
-- form posts to the same place; the API's own routes take the same token.
CREATE FUNCTION account_link_url(kind text, tok text, link_base text) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$
	SELECT rtrim(coalesce(link_base, ''), '/') || CASE kind WHEN 'invite'
	    THEN '/account/invitation/' ELSE '/account/reset/' END || tok
$$;

-- A new link of kind for user u, valid for hours; with link_base, the
-- mail that carries it goes into the outbox (never a password).
CREATE FUNCTION account_link_make(u users, kind text, tok text, link_base text,
    hours integer) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp
AS $$
DECLARE
	url text;
BEGIN
	IF tok IS NULL OR length(tok) < 40 THEN
		RAISE EXCEPTION 'a link token needs at least 40 characters'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	UPDATE user_links SET used_at = now()
	 WHERE user_id = u.id AND user_links.kind = account_link_make.kind AND used_at IS NULL;
	INSERT INTO user_links (link_hash, kind, user_id, expires_at)
	VALUES (account_token_hash(tok), kind, u.id, now() + hours * interval '1 hour');
	IF link_base IS NULL THEN
		RETURN;
	END IF;
	url := account_link_url(kind, tok, link_base);
	INSERT INTO outbox (key, kind, recipients, subject, body_text)
	VALUES ('account:' || kind || ':' || encode(account_token_hash(tok), 'hex'),
	    'account_' || kind, ARRAY[u.email],
	    CASE kind WHEN 'invite' THEN 'Your MARAC account' ELSE 'Reset your MARAC password' END,
	    -- No name: mail carries no identities (the address is enough).
	    format(E'Hello,\n\n%s\n\n  %s\n\nThe link works once, for %s hours. '
	        'If you did not expect this message, ignore it.\n',
	        CASE kind WHEN 'invite' THEN 'An account has been made for you. Open this '
	            'link to choose a password and set up your second factor:'
	        ELSE 'Someone asked to reset the password of your account. Open this link '
	            'to choose a new one:' END, url, hours));
END
$$;

-- The link's user, if tok is a link of kind still usable.
CREATE FUNCTION account_link_user(tok text, kind text) RETURNS users
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT u.* FROM user_links l JOIN users u ON u.id = l.user_id
	 WHERE l.link_hash = account_token_hash(tok) AND l.kind = account_link_user.kind
	   AND l.used_at IS NULL AND l.expires_at > now() AND u.state <> 'disabled'
$$;

-- What an invitation's page shows: whose it is (NULL: no such link).
CREATE FUNCTION account_invitation(tok text) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('email', u.email, 'display_name', u.display_name)
	  FROM account_link_user(tok, 'invite') u WHERE u.id IS NOT NULL
$$;

-- Accept an invitation: the password (hashed by maracd), a fresh TOTP key
-- to enrol, and a session in stage 'enrol' for thirty minutes.  The link
-- is used up.  Returns the user's id, or NULL (no such link).
CREATE FUNCTION account_invitation_accept(tok text, password_hash text,
    totp_secret bytea, session_sha256 text, csrf_sha256 text, client_addr text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	u users;
BEGIN
	u := account_link_user(tok, 'invite');
	IF u.id IS NULL OR account_hash(session_sha256) IS NULL
	    OR account_hash(csrf_sha256) IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE user_links SET used_at = now() WHERE link_hash = account_token_hash(tok);
	UPDATE users x SET password_hash = account_invitation_accept.password_hash,
	    totp_secret = account_invitation_accept.totp_secret, totp_enrolled = false,
	    state = 'invited', state_changed_at = now()
	 WHERE x.id = u.id;
	UPDATE sessions SET ended_at = now() WHERE user_id = u.id AND ended_at IS NULL;
	INSERT INTO sessions (id_hash, user_id, stage, csrf_hash, expires_at, client_addr)
	VALUES (account_hash(session_sha256), u.id, 'enrol', account_hash(csrf_sha256),
	    now() + interval '30 minutes', nullif(client_addr, '')::inet);
	RETURN u.id;
END
$$;

-- The enrolling session's account: its email and TOTP key, and whether
-- csrf_sha256 is the session's.
CREATE FUNCTION account_enrol_key(session_sha256 text, csrf_sha256 text,
    OUT user_id bigint, OUT email text, OUT totp_secret bytea, OUT csrf_ok boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT u.id, u.email, u.totp_secret, s.csrf_hash = account_hash(csrf_sha256)
	  FROM sessions s JOIN users u ON u.id = s.user_id
	 WHERE s.id_hash = account_hash(session_sha256) AND s.stage = 'enrol'
	   AND s.ended_at IS NULL AND s.expires_at > now() AND u.state = 'invited'
$$;

-- Finish enrolment: maracd found a code good at step.  The account is
-- active, its recovery codes (hashes) replace any earlier ones, and the
-- enrolling session gives way to a signed-in one under a new id.
CREATE FUNCTION account_enrol_finish(session_sha256 text, step bigint,
    recovery_sha256 text[], new_session_sha256 text, csrf_sha256 text,
    absolute_seconds integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	s sessions%ROWTYPE;
	rid bigint;
BEGIN
	SELECT x.* INTO s FROM sessions x JOIN users u ON u.id = x.user_id
	 WHERE x.id_hash = account_hash(session_sha256) AND x.stage = 'enrol'
	   AND x.ended_at IS NULL AND x.expires_at > now() AND u.state = 'invited'
	   FOR UPDATE OF x;
	IF NOT FOUND OR step IS NULL OR cardinality(recovery_sha256) <> 10
	    OR account_hash(new_session_sha256) IS NULL OR account_hash(csrf_sha256) IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE users SET totp_enrolled = true, totp_last_step = step, state = 'active',
	    state_changed_at = now() WHERE id = s.user_id;
	DELETE FROM recovery_codes WHERE user_id = s.user_id;
	INSERT INTO recovery_codes (user_id, code_hash)
	SELECT s.user_id, account_hash(h) FROM unnest(recovery_sha256) h;
	SELECT r.id INTO rid FROM user_roles r WHERE r.user_id = s.user_id ORDER BY r.id LIMIT 1;
	UPDATE sessions SET ended_at = now() WHERE id = s.id;
	INSERT INTO sessions (id_hash, user_id, role_id, stage, csrf_hash, expires_at, client_addr)
	VALUES (account_hash(new_session_sha256), s.user_id, rid, 'active',
	    account_hash(csrf_sha256), now() + absolute_seconds * interval '1 second', s.client_addr);
	PERFORM account_session_audit(account_hash(new_session_sha256), 'enrol',
	    current_setting('maracd.request_id', true));
	RETURN s.user_id;
END
$$;

-- A password reset asked for by anyone: for an active account, a link by
-- mail; for any other address, nothing, and the same answer (maracd says
-- 202 either way).
CREATE FUNCTION account_reset_request(email text, tok text, link_base text, hours integer)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	u users;
BEGIN
	SELECT * INTO u FROM users x WHERE lower(x.email) = lower(account_reset_request.email)
	   AND x.state = 'active';
	IF FOUND AND link_base IS NOT NULL THEN
		PERFORM account_link_make(u, 'reset', tok, link_base, hours);
	END IF;
END
$$;

-- Use a reset link: the new password (hashed by maracd); every session of
-- the account ends.  The second factor stays as it was.
CREATE FUNCTION account_reset_finish(tok text, password_hash text) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	u users;
BEGIN
	u := account_link_user(tok, 'reset');
	IF u.id IS NULL OR u.state <> 'active' THEN
		RETURN NULL;
	END IF;
	UPDATE user_links SET used_at = now() WHERE link_hash = account_token_hash(tok);
	UPDATE users x SET password_hash = account_reset_finish.password_hash WHERE x.id = u.id;
	UPDATE sessions SET ended_at = now() WHERE user_id = u.id AND ended_at IS NULL;
	RETURN u.id;
END
$$;

--
-- Administration: admins, coordinators within their areas (agency
-- members only), and the owner's session (maracctl).
--

-- May the caller give (or change) a membership of role within areas?
CREATE FUNCTION account_may_manage(role text, areas text[]) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT maracd_owner_session()
	    OR coalesce(maracd_role() = 'admin', false)
	    OR (coalesce(maracd_role() = 'coordinator', false) AND role = 'agency'
	        AND (maracd_areas() IS NULL
	             OR (areas IS NOT NULL AND areas <@ maracd_areas())))
$$;

CREATE FUNCTION account_refuse(why text) RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION '%', why USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Invite a person: the user, their membership and a link (mailed unless
-- link_base is NULL: maracctl --print-link shows it instead).  An address
-- already known gains the membership and a fresh invitation if it is
-- still invited; an active account is refused (unique_violation).
CREATE FUNCTION account_invite(email text, display_name text, role text,
    agency text, forum text, areas text[], tok text, link_base text, hours integer)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	u users;
BEGIN
	IF NOT account_may_manage(role, areas) THEN
		PERFORM account_refuse('this caller may not invite this role');
	END IF;
	SELECT * INTO u FROM users x WHERE lower(x.email) = lower(account_invite.email);
	IF FOUND AND u.state <> 'invited' THEN
		RAISE EXCEPTION 'an account with this email exists' USING ERRCODE = 'unique_violation';
	END IF;
	IF NOT FOUND THEN
		INSERT INTO users (email, display_name, agency)
		VALUES (email, display_name, CASE WHEN role = 'agency' THEN agency END)
		RETURNING * INTO u;
	END IF;
	INSERT INTO user_roles (user_id, role, agency, forum, areas)
	VALUES (u.id, role, CASE WHEN role = 'agency' THEN agency END,
	    CASE WHEN role = 'chair' THEN forum END, areas)
	ON CONFLICT DO NOTHING;
	PERFORM account_link_make(u, 'invite', tok, link_base, hours);
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('user_invite', 'user', u.id::text);
	RETURN u.id;
END
$$;

-- May the caller manage user id (every membership of theirs)?
CREATE FUNCTION account_may_manage_user(id bigint) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(bool_and(account_may_manage(r.role, r.areas)), account_may_manage('admin', NULL))
	  FROM user_roles r WHERE r.user_id = account_may_manage_user.id
$$;

CREATE FUNCTION account_user_json(u users) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name,
	    'agency', u.agency, 'state', u.state, 'second_factor', u.totp_enrolled,
	    'roles', coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role,
	        'agency', r.agency, 'forum', r.forum, 'areas', to_jsonb(r.areas)) ORDER BY r.id)
	      FROM user_roles r WHERE r.user_id = u.id), '[]'))
$$;

-- The users the caller may manage.
CREATE FUNCTION account_users() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT coalesce(jsonb_agg(account_user_json(u) ORDER BY u.id), '[]')
	  FROM users u WHERE account_may_manage_user(u.id)
$$;

-- May the caller administer the deployment (its agencies, API tokens and
-- second factors)?  An admin (not a coordinator: these reach beyond any
-- area), or the owner's session (maracctl).
CREATE FUNCTION admin_may_administer() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT maracd_owner_session() OR coalesce(maracd_role() = 'admin', false) $$;

-- Whether user id is an active admin.
CREATE FUNCTION account_is_active_admin(id bigint) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT EXISTS (SELECT 1 FROM users x JOIN user_roles r ON r.user_id = x.id
	    WHERE x.id = account_is_active_admin.id AND x.state = 'active'
	    AND r.role = 'admin')
$$;

-- After a change that took an active admin's role or state away: the
-- last active admin must stay one (MU001), but for the owner (maracctl),
-- so that somebody can always sign in as an admin.
CREATE FUNCTION account_keep_an_admin() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT maracd_owner_session() AND NOT EXISTS (SELECT 1 FROM users x
	    JOIN user_roles r ON r.user_id = x.id WHERE x.state = 'active' AND r.role = 'admin') THEN
		RAISE EXCEPTION 'the last active admin must stay an active admin'
		    USING ERRCODE = 'MU001';
	END IF;
END
$$;

-- Change a user's state, name or memberships.  Disabling ends their
-- sessions (and is seen at their next request anyway); enabling needs a
-- password and a second factor.  roles, when given, is the whole new set
-- of memberships ([{role, agency, forum, areas}], maracd has checked
-- each): the caller must be allowed to give every one of them, as to
-- invite; a membership that goes takes its sessions with it, and one whose
-- areas change ends its sessions (a change of privilege starts a new
-- session).  The last active admin keeps the role and stays active,
-- except for the owner (maracctl).  Returns the user, or NULL when not
-- found or out of scope.
CREATE FUNCTION account_user_update(id bigint, state text, display_name text,
    roles jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	u users;
	was_admin boolean;
	m record;
	kept bigint[] := '{}';
	rid bigint;
BEGIN
	SELECT * INTO u FROM users x WHERE x.id = account_user_update.id FOR UPDATE;
	IF NOT FOUND OR NOT account_may_manage_user(u.id) THEN
		RETURN NULL;
	END IF;
	was_admin := account_is_active_admin(u.id);
	IF state IS NOT NULL AND state <> u.state THEN
		IF state = 'active' AND NOT (u.password_hash IS NOT NULL AND u.totp_enrolled) THEN
			state := 'invited';
		END IF;
		UPDATE users x SET state = account_user_update.state, state_changed_at = now()
		 WHERE x.id = u.id;
		IF account_user_update.state = 'disabled' THEN
			UPDATE sessions SET ended_at = now() WHERE user_id = u.id AND ended_at IS NULL;
		END IF;
	END IF;
	IF display_name IS NOT NULL THEN
		UPDATE users x SET display_name = account_user_update.display_name WHERE x.id = u.id;
	END IF;
	IF roles IS NOT NULL THEN
		FOR m IN SELECT e->>'role' AS role, e->>'agency' AS agency, e->>'forum' AS forum,
		    CASE WHEN e ? 'areas' AND jsonb_typeof(e->'areas') = 'array'
		         THEN ARRAY(SELECT jsonb_array_elements_text(e->'areas')) END AS areas
		  FROM jsonb_array_elements(roles) e
		LOOP
			IF NOT account_may_manage(m.role, m.areas) THEN
				PERFORM account_refuse('this caller may not give this role');
			END IF;
			SELECT r.id INTO rid FROM user_roles r WHERE r.user_id = u.id
			   AND r.role = m.role AND r.agency IS NOT DISTINCT FROM m.agency
			   AND r.forum IS NOT DISTINCT FROM m.forum;
			IF FOUND THEN
				UPDATE sessions SET ended_at = now() WHERE role_id = rid AND ended_at IS NULL
				   AND EXISTS (SELECT 1 FROM user_roles r WHERE r.id = rid
				       AND r.areas IS DISTINCT FROM m.areas);
				UPDATE user_roles r SET areas = m.areas WHERE r.id = rid;
			ELSE
				INSERT INTO user_roles (user_id, role, agency, forum, areas)
				VALUES (u.id, m.role, m.agency, m.forum, m.areas) RETURNING user_roles.id INTO rid;
			END IF;
			kept := kept || rid;
		END LOOP;
		DELETE FROM user_roles r WHERE r.user_id = u.id AND r.id <> ALL (kept);
		-- The agency a person belongs to follows their agency membership.
		UPDATE users x SET agency = (SELECT r.agency FROM user_roles r
		    WHERE r.user_id = u.id AND r.role = 'agency' ORDER BY r.id LIMIT 1)
		 WHERE x.id = u.id;
	END IF;
	IF was_admin THEN
		PERFORM account_keep_an_admin();
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES (CASE WHEN roles IS NOT NULL THEN 'user_roles'
	    ELSE coalesce('user_' || state, 'user_update') END, 'user', u.id::text);
	SELECT * INTO u FROM users x WHERE x.id = account_user_update.id;
	RETURN account_user_json(u);
END
$$;

-- Reset a user's second factor (an admin's act, over HTTP or by
-- maracctl): the key and recovery codes go, every session ends, and the
-- user is invited again to set a password and enrol a new key.  The last
-- active admin's is refused (account_keep_an_admin).
CREATE FUNCTION account_reset_2fa(id bigint, tok text, link_base text, hours integer)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	u users;
	was_admin boolean;
BEGIN
	IF NOT admin_may_administer() THEN
		PERFORM account_refuse('only an admin resets a second factor');
	END IF;
	SELECT * INTO u FROM users x WHERE x.id = account_reset_2fa.id FOR UPDATE;
	IF NOT FOUND OR u.state = 'disabled' THEN
		RETURN false;
	END IF;
	was_admin := account_is_active_admin(u.id);
	UPDATE users SET totp_secret = NULL, totp_enrolled = false, state = 'invited',
	    state_changed_at = now() WHERE users.id = u.id;
	IF was_admin THEN
		PERFORM account_keep_an_admin();
	END IF;
	DELETE FROM recovery_codes WHERE user_id = u.id;
	UPDATE sessions SET ended_at = now() WHERE user_id = u.id AND ended_at IS NULL;
	PERFORM account_link_make(u, 'invite', tok, link_base, hours);
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('user_reset_2fa', 'user', u.id::text);
	RETURN true;
END
$$;

REVOKE ALL ON FUNCTION account_signin_begin(text, text, text, integer, integer),
	account_signin_password(bigint, boolean, text), account_signin_key(text),
	account_signin_second(text, bigint, text, text, text, integer, text),
	account_caller_session(),
	maracd_authenticate_session(text, text, integer, text, text),
	account_signout(boolean), account_whoami(), account_invitation(text),
	account_switch_membership(bigint, text, text),
	account_invitation_accept(text, text, bytea, text, text, text),
	account_enrol_key(text, text),
	account_enrol_finish(text, bigint, text[], text, text, integer),
	account_reset_request(text, text, text, integer), account_reset_finish(text, text),
	account_invite(text, text, text, text, text, text[], text, text, integer),
	account_users(), account_user_update(bigint, text, text, jsonb),
	account_reset_2fa(bigint, text, text, integer),
	account_link_make(users, text, text, text, integer), account_link_user(text, text),
	admin_may_administer(), account_is_active_admin(bigint), account_keep_an_admin()
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_signin_begin(text, text, text, integer, integer),
	account_signin_password(bigint, boolean, text), account_signin_key(text),
	account_signin_second(text, bigint, text, text, text, integer, text),
	account_caller_session(),
	maracd_authenticate_session(text, text, integer, text, text),
	account_signout(boolean), account_whoami(), account_invitation(text),
	account_switch_membership(bigint, text, text),
	account_invitation_accept(text, text, bytea, text, text, text),
	account_enrol_key(text, text),
	account_enrol_finish(text, bigint, text[], text, text, integer),
	account_reset_request(text, text, text, integer), account_reset_finish(text, text),
	account_invite(text, text, text, text, text, text[], text, text, integer),
	account_users(), account_user_update(bigint, text, text, jsonb),
	account_reset_2fa(bigint, text, text, integer)
	TO maracd_app;

-- The audit path of bulk writes (issue 24).  (A referral's answers as
-- columns and the one set-based store, referral_store_rows, were made
-- here first; they are part of sql/004_referrals.sql now.)
--
-- Every audit row asks who the caller is (audit_log_fill, sql/002):
-- maracd_caller(), then maracd_caller_name().  Three of the functions
-- on that path were SQL functions with a SET clause, which PostgreSQL
-- can neither inline nor keep a plan for, so each was parsed and
-- planned at every call: about 250 microseconds an audit row, a third
-- of an import's time in the database once the answers were one column
-- (bench/RESULTS.md, Import).  The same bodies in PL/pgSQL, whose plans
-- are cached for the session; the caller is still looked up again at
-- every call.
CREATE OR REPLACE FUNCTION maracd_owner_session() RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN pg_has_role(session_user, (SELECT relowner FROM pg_class
	    WHERE oid = 'public.api_tokens'::regclass), 'MEMBER');
END
$$;

CREATE OR REPLACE FUNCTION maracd_caller_name(c maracd_caller_t) RETURNS text
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

CREATE OR REPLACE FUNCTION account_hash(h text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	RETURN CASE WHEN h ~ '^[0-9a-f]{64}$' THEN decode(h, 'hex') END;
END
$$;

-- The session a caller signed in with, if any (sql/012): an audit row of
-- a token or of maracctl has none, so the look-up is skipped when the
-- transaction names no session.  The same answer as before.
CREATE OR REPLACE FUNCTION account_caller_session() RETURNS sessions
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

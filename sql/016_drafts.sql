-- What the agency pages need beyond intake: referral drafts, the dry run
-- of intake ("check your answers"), and the purge of stale drafts.
--
-- Drafts.  A draft is a referral body as far as its author got: any JSON
-- object, never validated (it is unfinished by definition), finished
-- later and gone when it is submitted.  It belongs to the one caller who
-- saved it, under the agency membership they saved it as: a signed-in
-- person (user_id) or, for a machine, its token (token_id).  Not the
-- whole agency: a draft may hold a victim's name typed before the lawful
-- basis for sharing it was chosen, so it stays with its author until it
-- is submitted; the agency sees the referral from then on, as it sees
-- every referral it made.  A person who switches membership sees the
-- drafts of the membership they act under.
CREATE TABLE referral_drafts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	agency		text REFERENCES agencies(code),	-- NULL for an admin's
	user_id		bigint REFERENCES users(id) ON DELETE CASCADE,
	token_id	bigint REFERENCES api_tokens(id) ON DELETE CASCADE,
	body		jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
	-- maracd's clock, not the database's: retention compares them with it.
	created_at	timestamptz NOT NULL,
	updated_at	timestamptz NOT NULL,
	CHECK ((user_id IS NULL) <> (token_id IS NULL))
);
CREATE INDEX referral_drafts_user ON referral_drafts (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX referral_drafts_token ON referral_drafts (token_id) WHERE token_id IS NOT NULL;
CREATE INDEX referral_drafts_updated ON referral_drafts (updated_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON referral_drafts TO maracd_app;
ALTER TABLE referral_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral_drafts FORCE ROW LEVEL SECURITY;
-- The author, as the agency (or none) they act as: one policy for every
-- command, so that a draft can be neither read nor written into another's.
CREATE POLICY referral_drafts_author ON referral_drafts TO maracd_app
	USING (agency IS NOT DISTINCT FROM (SELECT public.maracd_agency())
	   AND (user_id = (SELECT (public.maracd_caller()).user_id)
	     OR token_id = (SELECT (public.maracd_caller()).token_id)))
	WITH CHECK (agency IS NOT DISTINCT FROM (SELECT public.maracd_agency())
	   AND (user_id = (SELECT (public.maracd_caller()).user_id)
	     OR token_id = (SELECT (public.maracd_caller()).token_id)));
-- The purge runs as the owner (sql/013_retention.sql).
CREATE POLICY referral_drafts_owner ON referral_drafts TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- A draft as the API answers it: with_body false for lists, which carry
-- no personal data (the agency's own reference only).
CREATE FUNCTION draft_json(d referral_drafts, with_body boolean)
RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_build_object('id', d.id, 'agency', d.agency,
	    'external_ref', CASE WHEN jsonb_typeof(d.body->'external_ref') = 'string'
	        THEN d.body->>'external_ref' END,
	    'created_at', to_char(d.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
	    'updated_at', to_char(d.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
	 || CASE WHEN with_body THEN jsonb_build_object('body', d.body) ELSE '{}' END
$$;

-- Save a draft: a new one (did NULL) or over the caller's own (NULL when
-- it is not there or not theirs).  at: maracd's clock.  Audited.
CREATE FUNCTION draft_save(did bigint, b jsonb, at timestamptz)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	c maracd_caller_t := maracd_caller();
	d referral_drafts;
BEGIN
	IF did IS NULL THEN
		INSERT INTO referral_drafts (agency, user_id, token_id, body, created_at, updated_at)
		VALUES (c.agency, c.user_id, CASE WHEN c.user_id IS NULL THEN c.token_id END,
		    b, at, at)
		RETURNING * INTO d;
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('create', 'draft', d.id::text);
	ELSE
		UPDATE referral_drafts x SET body = b, updated_at = at WHERE x.id = did
		RETURNING * INTO d;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		INSERT INTO audit_log (action, object_type, object_id)
		VALUES ('update', 'draft', d.id::text);
	END IF;
	RETURN draft_json(d, true);
END
$$;

-- The caller's draft with its body, or NULL; the read is audited.
CREATE FUNCTION draft_get(did bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	d referral_drafts;
BEGIN
	SELECT * INTO d FROM referral_drafts x WHERE x.id = did;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id) VALUES ('read', 'draft', did::text);
	RETURN draft_json(d, true);
END
$$;

-- Delete the caller's draft (why: 'delete', or 'submit' when it became a
-- referral); false when it is not there or not theirs.  Audited.
CREATE FUNCTION draft_delete(did bigint, why text)
RETURNS boolean LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	DELETE FROM referral_drafts x WHERE x.id = did;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	INSERT INTO audit_log (action, object_type, object_id) VALUES (why, 'draft', did::text);
	RETURN true;
END
$$;

-- Submit a draft: the one intake (referral_create) with the draft's body,
-- as validated and decided by maracd, and the draft deleted in the same
-- transaction.  MR010 when the draft went meanwhile: nothing is stored.
CREATE FUNCTION draft_submit(did bigint, req jsonb, d jsonb,
    OUT created boolean, OUT body jsonb)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT draft_delete(did, 'submit') THEN
		RAISE EXCEPTION 'no such draft' USING ERRCODE = 'MR010';
	END IF;
	SELECT x.created, x.body INTO created, body FROM referral_create(req, d) x;
END
$$;

-- Check your answers: what referral_create would decide for req and d,
-- storing nothing.  It runs referral_create itself, so the sitting, the
-- link to a waiting case and the status are decided by the one code that
-- decides them at intake, in a subtransaction that is then rolled back
-- (the reference counter, the referral, its people, answers, audit rows
-- and any mail to the coordinator with it; an identity number of
-- referrals is used up, which leaves a gap in ids, never in references).
-- The check itself is audited.  already: the agency referred this
-- external_ref already (body is then that stored referral's decision).
CREATE FUNCTION referral_check(req jsonb, d jsonb,
    OUT already boolean, OUT body jsonb)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	made boolean;
BEGIN
	BEGIN
		SELECT x.created, x.body INTO made, body FROM referral_create(req, d) x;
		-- PL/pgSQL variables keep their values; the rows go.
		RAISE EXCEPTION 'dry run' USING ERRCODE = 'MR011';
	EXCEPTION WHEN SQLSTATE 'MR011' THEN
		NULL;
	END;
	already := NOT made;
	IF made THEN
		body := body - 'id' - 'reference';
	END IF;
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('check', 'referral', CASE WHEN already THEN body->>'id' END);
END
$$;

GRANT EXECUTE ON FUNCTION draft_json(referral_drafts, boolean),
    draft_save(bigint, jsonb, timestamptz), draft_get(bigint),
    draft_delete(bigint, text), draft_submit(bigint, jsonb, jsonb),
    referral_check(jsonb, jsonb) TO maracd_app;

-- Retention: a draft nobody has saved for [retention] draft_days goes.
CREATE FUNCTION retention_due_draft(now timestamptz, today date, cfg jsonb)
RETURNS TABLE (object_type text, object_id bigint, reason text)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
	SELECT 'draft', d.id, format('draft not saved for %s days',
	    retention_int(cfg, 'draft_days', 30))
	  FROM referral_drafts d
	 WHERE d.updated_at < now - make_interval(days => retention_int(cfg, 'draft_days', 30))
$$;

CREATE FUNCTION retention_purge_draft(now timestamptz, today date, cfg jsonb, batch integer)
RETURNS TABLE (action text, object_type text, object_id bigint)
LANGUAGE sql
SET search_path = public, pg_temp
AS $$
	SELECT * FROM retention_purge_rows('referral_drafts', 'draft', 'retention_due_draft',
	    now, today, cfg, batch)
$$;

INSERT INTO retention_categories VALUES
	('draft', 60, 'retention_due_draft', 'retention_purge_draft',
	 'referral drafts, [retention] draft_days after they were last saved');

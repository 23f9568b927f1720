-- The chair's pages (web_chair.c) hold a sitting by session, not by API
-- token: a person signed in has a user id and no token id.  Signing a
-- decision off recorded only the token (signed_off_by), so a chair signed
-- in through the pages could not sign off at all (the check that a
-- signed-off decision names its signer refused it).  The signer is now the
-- token or the user, whichever the caller is.
--
-- The register itself (present, apologies, information sent) needs
-- nothing new: sitting_minutes holds attendees by agency and person, and
-- apologies with information_sent (006_decisions_actions.sql).

ALTER TABLE decisions ADD COLUMN signed_off_user bigint;

-- The unnamed CHECK of 006 that pairs signed_off_at with signed_off_by,
-- found by what it says rather than by the name PostgreSQL gave it.
DO $$
DECLARE
	c text;
BEGIN
	SELECT conname INTO STRICT c FROM pg_constraint
	 WHERE conrelid = 'decisions'::regclass AND contype = 'c'
	   AND pg_get_constraintdef(oid) LIKE '%signed_off_at IS NULL%signed_off_by IS NULL%';
	EXECUTE format('ALTER TABLE decisions DROP CONSTRAINT %I', c);
END
$$;
ALTER TABLE decisions ADD CONSTRAINT decisions_signed_off_signer
	CHECK ((signed_off_at IS NULL) = (signed_off_by IS NULL AND signed_off_user IS NULL));

-- As 006's, with the signer being the caller's token or user.
CREATE OR REPLACE FUNCTION decision_sign_off(sid bigint, rid bigint)
RETURNS jsonb LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	d decisions;
	c maracd_caller_t := maracd_caller();
BEGIN
	SELECT * INTO d FROM decisions WHERE sitting_id = sid AND referral_id = rid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF d.signed_off_at IS NOT NULL THEN
		RAISE EXCEPTION 'decision % is already signed off', d.id USING ERRCODE = 'MD005';
	END IF;
	UPDATE decisions SET signed_off_at = now(), signed_off_by = c.token_id,
	    signed_off_user = CASE WHEN c.token_id IS NULL THEN c.user_id END
	 WHERE id = d.id RETURNING * INTO d;
	INSERT INTO decision_versions (decision_id, version, content, reason, by_token)
	VALUES (d.id, d.version, decision_content(d), NULL, c.token_id);
	INSERT INTO audit_log (action, object_type, object_id)
	VALUES ('sign_off', 'decision', d.id::text);
	RETURN decision_json(d);
END
$$;

-- CSV import of referrals: POST /v1/referrals/import (as an admin token)
-- and maracctl import (as the schema owner).

-- maracctl import connects as the schema owner (MARACCTL_OWNER_DSN), and
-- row-level security is FORCED on the referral tables, so without a policy
-- of its own the owner could neither see nor add a referral.  The owner
-- administers the schema and could switch row-level security off anyway
-- (ALTER TABLE ... NO FORCE ROW LEVEL SECURITY): a policy for it gives it
-- nothing it does not already have, and keeps security forced for every
-- other role, maracd's own included.  CURRENT_USER is the owner: it is the
-- role that runs the migrations.
CREATE POLICY referrals_owner ON referrals TO CURRENT_USER
	USING (true) WITH CHECK (true);
CREATE POLICY referral_people_owner ON referral_people TO CURRENT_USER
	USING (true) WITH CHECK (true);
CREATE POLICY referral_answers_owner ON referral_answers TO CURRENT_USER
	USING (true) WITH CHECK (true);
CREATE POLICY referral_transfers_owner ON referral_transfers TO CURRENT_USER
	USING (true) WITH CHECK (true);

-- One row of an import, stored on its own.  The EXCEPTION clause makes
-- this a savepoint: a row the database refuses (an agency code that does
-- not exist, say) is rolled back alone, and the import's transaction goes
-- on with the next row, in one round trip instead of three (SAVEPOINT,
-- referral_create, RELEASE).  Only the SQLSTATE comes back: a message may
-- quote the row's personal data.  A cancelled statement (statement
-- timeout) is not caught: it ends the import.
CREATE FUNCTION referral_import(req jsonb, d jsonb,
    OUT created boolean, OUT body jsonb, OUT failed text)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
	SELECT c.created, c.body INTO created, body FROM referral_create(req, d) c;
EXCEPTION WHEN OTHERS THEN
	failed := SQLSTATE;
END
$$;
GRANT EXECUTE ON FUNCTION referral_import(jsonb, jsonb) TO maracd_app;

-- A year's 10 000th reference of a kind: lpad() cuts a longer string down
-- to the width it is given, so it came out as the 1000th again (and the
-- insert failed on the unique reference).  An import reaches that number
-- in one go; busy areas would in time.  Four digits at least, more when
-- the number needs them.
CREATE OR REPLACE FUNCTION referral_next_reference(p_prefix text, p_year integer)
RETURNS text LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	INSERT INTO reference_counters AS c (prefix, year, last) VALUES (p_prefix, p_year, 1)
	ON CONFLICT (prefix, year) DO UPDATE SET last = c.last + 1
	RETURNING c.last INTO n;
	RETURN format('%s-%s-%s', p_prefix, p_year,
	    lpad(n::text, greatest(4, length(n::text)), '0'));
END
$$;

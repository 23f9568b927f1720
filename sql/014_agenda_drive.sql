-- The agenda's DRIVE flag comes from the sitting's screening (sql/010):
-- 'candidate' or 'not_candidate' for each case whose perpetrator was
-- screened, nothing (shown "not screened") for the rest.  SECURITY
-- DEFINER because the flag is on the issued agenda every invited agency
-- reads, while drive_results itself stays the chair's and coordinators'.
CREATE OR REPLACE FUNCTION agenda_drive_flags(sitting bigint)
RETURNS TABLE (referral_id bigint, flag text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT rid, CASE WHEN bool_or(d.candidate) THEN 'candidate' ELSE 'not_candidate' END
	  FROM drive_results d, unnest(d.referral_ids) AS rid
	 WHERE d.sitting_id = agenda_drive_flags.sitting
	 GROUP BY rid
$$;
REVOKE ALL ON FUNCTION agenda_drive_flags(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agenda_drive_flags(bigint) TO maracd_app;

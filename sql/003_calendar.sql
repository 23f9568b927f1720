-- Calendar: bank-holiday overrides, meeting series and their sittings.
--
-- The rules of the calendar (bank holidays, working days, the cutoff of
-- each sitting) are decided in C (daemon/core/workdays.c, sittings.c);
-- these tables keep their inputs and results.  Which sitting a referral
-- joins is decided against them in SQL (referral_sitting_for,
-- 004_referrals.sql), in the transaction that stores the referral.  They
-- hold no personal data (dates, forum and area codes, venue names), so
-- every role may read them; row-level security (below) decides who
-- writes them.

-- One-off changes to the statutory holidays, made by proclamation: data,
-- not code.  They apply in id order, so a later row wins; kind 'move'
-- takes the holiday on from_date to date (keeping its name unless one is
-- given), 'add' makes date a holiday called name, 'remove' un-makes one.
CREATE TABLE holiday_overrides (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('add', 'move', 'remove')),
	date		date NOT NULL CHECK (date BETWEEN '1900-01-01' AND '2200-12-31'),
	from_date	date CHECK (from_date BETWEEN '1900-01-01' AND '2200-12-31'),
	name		text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),
	-- 'token:ID' for the API, the maracd.system setting for maracctl and jobs.
	created_by	text NOT NULL DEFAULT coalesce(
			    'token:' || nullif(current_setting('maracd.token_id', true), ''),
			    nullif(current_setting('maracd.system', true), ''),
			    current_user),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'move') = (from_date IS NOT NULL)),
	CHECK (kind <> 'add' OR name IS NOT NULL)
);

-- The changes proclaimed so far: the same list as workdays_known_overrides
-- in daemon/core/workdays.c, whose unit tests check it against gov.uk.
INSERT INTO holiday_overrides (kind, date, from_date, name, created_by) VALUES
	('move', '2020-05-08', '2020-05-04', 'Early May bank holiday (VE day)', 'seed'),
	('move', '2022-06-02', '2022-05-30', NULL, 'seed'),
	('add', '2022-06-03', NULL, 'Platinum Jubilee bank holiday', 'seed'),
	('add', '2022-09-19', NULL, 'Bank Holiday for the State Funeral of Queen Elizabeth II', 'seed'),
	('add', '2023-05-08', NULL, 'Bank holiday for the coronation of King Charles III', 'seed');

-- How each forum of each area meets.  maracd's sittings job writes these
-- rows from the [calendar] settings of maracd.conf(5) at every run.
CREATE TABLE series (
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	area		text NOT NULL CHECK (area ~ '^[a-z0-9_]{1,32}$'),
	anchor		date NOT NULL,		-- the first scheduled sitting
	interval_days	integer NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
	cutoff_workdays	integer NOT NULL CHECK (cutoff_workdays BETWEEN 0 AND 60),
	cutoff_time	time(0) NOT NULL DEFAULT '23:59:59',
	policy		text NOT NULL DEFAULT 'move' CHECK (policy IN ('move', 'skip')),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (forum, area)
);

-- Sittings: generated from a series for the horizon ahead, or added by an
-- admin.  cutoff_at is the cutoff as an instant, (cutoff_date +
-- cutoff_time) in the configured zone through PostgreSQL's time zone
-- database (calendar_instant below), so 23:59:59 is 22:59:59Z in summer
-- and 23:59:59Z in winter.
CREATE TABLE sittings (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	forum		text NOT NULL CHECK (forum IN ('marac', 'masc')),
	area		text NOT NULL CHECK (area ~ '^[a-z0-9_]{1,32}$'),
	date		date NOT NULL,		-- local date it is held
	scheduled_date	date,			-- the series slot; NULL when added by hand
	cutoff_date	date NOT NULL,
	cutoff_at	timestamptz NOT NULL,
	status		text NOT NULL DEFAULT 'scheduled'
			    CHECK (status IN ('scheduled', 'cancelled')),
	origin		text NOT NULL CHECK (origin IN ('generated', 'manual')),
	-- An admin set its date or status: the sittings job leaves both alone.
	pinned		boolean NOT NULL DEFAULT false,
	venue		text CHECK (venue IS NULL OR length(venue) BETWEEN 1 AND 200),
	-- The information deadline the coordinator sets for agencies'
	-- research returns (sql/014_research.sql); none until set.
	research_due	date,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- When the retention purge removed its own records (agenda versions,
	-- minutes, DRIVE screening; 013_retention.sql); the row stays.
	records_purged_at timestamptz,
	CHECK ((origin = 'generated') = (scheduled_date IS NOT NULL)),
	CHECK (cutoff_date <= date)
);
-- One sitting a day per forum and area, cancelled ones aside.
CREATE UNIQUE INDEX sittings_one_a_day ON sittings (forum, area, date)
	WHERE status <> 'cancelled';
-- A series slot is generated once, even if it was cancelled or moved
-- since: this is what makes generation idempotent.
CREATE UNIQUE INDEX sittings_slot ON sittings (forum, area, scheduled_date)
	WHERE scheduled_date IS NOT NULL;
CREATE INDEX sittings_cutoff ON sittings (forum, area, cutoff_date)
	WHERE status = 'scheduled';

-- The local wall-clock time t of local date d as an instant, in the zone
-- of the session (maracd and maracctl set it from [calendar] timezone).
CREATE FUNCTION calendar_instant(d date, t time) RETURNS timestamptz
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT (d + t) AT TIME ZONE current_setting('TimeZone') $$;

-- An instant as RFC 3339 with the session zone's offset at that instant:
-- "2026-12-02T23:59:59+00:00", "2026-07-01T23:59:59+01:00".
CREATE FUNCTION calendar_rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$ SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') $$;

GRANT SELECT ON holiday_overrides, series, sittings TO maracd_app;
-- The calendar is no secret (dates, areas, venues): every caller reads
-- it.  A sitting is added or changed by the admins and coordinators of its
-- area, and by the sittings job; the series only by the job, from
-- maracd.conf.  Row-level security is enabled, not forced: the owner's
-- functions (sitting_reassign and the like) act on every area.
ALTER TABLE sittings ENABLE ROW LEVEL SECURITY;
CREATE POLICY sittings_read ON sittings FOR SELECT USING (true);
CREATE POLICY sittings_job ON sittings
	USING ((SELECT maracd_role()) = 'job') WITH CHECK ((SELECT maracd_role()) = 'job');
SELECT maracd_scope_policies('sittings', 'forum', 'area', 'ALL', NULL);
ALTER TABLE series ENABLE ROW LEVEL SECURITY;
CREATE POLICY series_read ON series FOR SELECT USING (true);
CREATE POLICY series_job ON series
	USING ((SELECT maracd_role()) = 'job') WITH CHECK ((SELECT maracd_role()) = 'job');
-- Admin routes add and take back overrides; the job writes the series it
-- is configured with and the sittings it generates.
GRANT INSERT, DELETE ON holiday_overrides TO maracd_app;
GRANT INSERT, UPDATE, DELETE ON series TO maracd_app;
GRANT INSERT, UPDATE ON sittings TO maracd_app;
GRANT EXECUTE ON FUNCTION calendar_instant(date, time),
	calendar_rfc3339(timestamptz) TO maracd_app;

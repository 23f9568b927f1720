-- bench/national: fills a migrated maracd database with national-scale
-- history, straight into the tables as the superuser (no maracd, no row-
-- level security, no triggers: session_replication_role = replica), so
-- that every benchmark can run against the volume a national deployment
-- would hold.  psql variables:
--
--   years     national years of history, ending at today (5)
--   per_year  referrals a year (120000: SafeLives, year to 30/09/2024)
--   areas     MARAC areas (276); the first is `home`, the area the
--             benchmark's maracd serves
--   home      that area's code
--   today     the benchmark's today (YYYY-MM-DD)
--
-- What it makes, and why each share (docs/domain.md; bench/README.md):
--   sittings   MARAC weekly (Thursdays) and MASC fortnightly (on the grid
--              of [calendar] masc_anchor, so maracd's own sittings job
--              finds its slots taken) in every area, from the first year
--              to eight weeks ahead;
--   referrals  75 % MARAC, 10 % MASC, 15 % below threshold; 30 % of MARAC
--              cases a repeat of an earlier victim of the same area; each
--              listed at the first sitting of its forum and area whose
--              cutoff it meets (waiting when none exists yet); below-
--              threshold referrals older than 12 months purged, as the
--              retention job leaves them (no people, no answers);
--   people     victim, perpetrator and 0-3 children (1.2 on average);
--   answers    the 27 DASH answers (11 S-DASH for MASC), ticks = score;
--   decisions  one per case heard, signed off, with its signed version;
--   actions    3 to 5 per case heard (4 on average: about 400 000 a
--              national year, the issue's 2 million in five), in every
--              state: long past ones
--              mostly completed, recent ones open or in progress, 5 %
--              never done (overdue); each with its history;
--   agendas    one issued version per sitting held, its content the
--              agenda's JSON as maracd stores it (about 300 bytes a case);
--   mail       each agenda circulated to the forum's core agencies, a
--              weekly digest per agency and area, and the overdue notice
--              of every outstanding action due before yesterday (the
--              reminders job sends each once, the day after its due date,
--              under the key it would use: so a reminder run finds only
--              yesterday's new ones to send, as on any day of a running
--              deployment); bodies kept 30 days, as the retention job
--              keeps them.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SET work_mem = '256MB';
SELECT setseed(0.42);

BEGIN;

CREATE TEMP TABLE nat_areas AS
SELECT i, CASE WHEN i = 0 THEN :'home' ELSE 'a' || lpad(i::text, 3, '0') END AS area
  FROM generate_series(0, :areas - 1) i;

CREATE TEMP TABLE nat_agencies AS
SELECT * FROM (VALUES
	(0, 'police', 0.60), (1, 'idva', 0.70), (2, 'health_icb', 0.78),
	(3, 'childrens_social_care', 0.86), (4, 'adult_social_care', 0.89),
	(5, 'housing', 0.93), (6, 'probation', 0.97), (7, 'victim_support', 1.00)
) AS a(i, code, upto);

-- Sittings: from the first day of the first year to eight weeks ahead
-- (maracd's sittings job has made some of home's already).
INSERT INTO sittings (forum, area, date, scheduled_date, cutoff_date, cutoff_at, status,
    origin)
SELECT 'marac', a.area, d::date, NULL, d::date - 5,
    (d::date - 5 + time '23:59:59') AT TIME ZONE 'Europe/London', 'scheduled', 'manual'
  FROM nat_areas a,
       generate_series(date_trunc('week', :'today'::date - 365 * :years) + interval '3 days',
           :'today'::date + 56, interval '7 days') d
ON CONFLICT DO NOTHING;
INSERT INTO sittings (forum, area, date, scheduled_date, cutoff_date, cutoff_at, status,
    origin)
SELECT 'masc', a.area, d::date, d::date, d::date - 5,
    (d::date - 5 + time '23:59:59') AT TIME ZONE 'Europe/London', 'scheduled', 'generated'
  FROM nat_areas a,
       generate_series(date '2025-06-16' - 14 * ceil((date '2025-06-16'
           - (:'today'::date - 365 * :years)) / 14.0)::integer,
           :'today'::date + 56, interval '14 days') d
ON CONFLICT DO NOTHING;

-- Referrals.  n numbers them; a referral's area is n mod areas, so a
-- repeat (an earlier n of the same residue) stays in its area.
CREATE TEMP TABLE nat_ref AS
SELECT n, r1, r2, r3,
    (:'today'::date - 365 * :years) + (n::double precision / (:per_year * :years)
        * 365 * :years)::integer AS received,
    n % :areas AS ai
  FROM (SELECT n, random() AS r1, random() AS r2, random() AS r3
          FROM generate_series(1, :per_year * :years) n) x;
-- bench/agenda's size of sitting: 300 more MARAC cases of home received
-- yesterday, which all join its next MARAC sitting.
INSERT INTO nat_ref (n, r1, r2, r3, received, ai)
SELECT :per_year * :years + k, 0.5, 0.5, 0.1, :'today'::date - 1, 0
  FROM generate_series(1, 300) k;
ALTER TABLE nat_ref ADD COLUMN kind text, ADD COLUMN victim bigint, ADD COLUMN agency text;
UPDATE nat_ref SET
    kind = CASE WHEN n > :per_year * :years OR r1 < 0.75 THEN 'marac' WHEN r1 < 0.85 THEN 'masc' ELSE 'below' END,
    victim = CASE WHEN r1 < 0.75 AND r2 < 0.30 AND n > 20 * :areas AND n <= :per_year * :years
        THEN n - :areas * (1 + floor(r3 * least(20, n / :areas - 1)))::bigint ELSE n END,
    agency = (SELECT code FROM nat_agencies WHERE upto >= r3 ORDER BY upto LIMIT 1);

INSERT INTO referrals (reference, referring_agency, referrer_name, referrer_email,
    received_at, received_date, area, forum_requested, forum, status, domestic_abuse,
    stalking, urgent, risk_level, risk_bases, dash_version, dash_score, sdash_score,
    lawful_basis, consent, repeat, victim_key, perpetrator_key, created_at, purged_at,
    dash_answers, sdash_answers)
SELECT 'NAT-' || extract(year FROM f.received) || '-' || lpad(f.n::text, 7, '0'),
    f.agency, 'Officer ' || (f.n % 997), 'officer' || (f.n % 997) || '@' || f.agency || '.example',
    (f.received + time '10:00') AT TIME ZONE 'Europe/London', f.received, a.area,
    CASE f.kind WHEN 'below' THEN NULL ELSE f.kind END,
    CASE f.kind WHEN 'below' THEN NULL ELSE f.kind END,
    CASE f.kind WHEN 'below' THEN 'below_threshold' ELSE 'waiting' END,
    f.kind <> 'masc', f.kind = 'masc', f.n % 20 = 0,
    CASE f.kind WHEN 'marac' THEN 'high' WHEN 'masc' THEN 'medium' ELSE 'standard' END,
    CASE f.kind WHEN 'marac' THEN '{visible_high_risk}'::text[] ELSE '{}' END,
    CASE f.kind WHEN 'masc' THEN NULL ELSE 'dash-2009' END,
    CASE f.kind WHEN 'marac' THEN 14 + (f.n % 8) WHEN 'below' THEN 3 + (f.n % 9) ELSE 0 END,
    CASE f.kind WHEN 'masc' THEN 5 + (f.n % 6) ELSE 0 END,
    '{crime_and_disorder_act_s115}', 'not_sought', f.victim <> f.n,
    'v' || f.victim, 'p' || f.victim,
    (f.received + time '10:00') AT TIME ZONE 'Europe/London',
    CASE WHEN f.kind = 'below' AND f.received < :'today'::date - 365
        THEN (f.received + 366 + time '03:00') AT TIME ZONE 'Europe/London' END,
    -- The answers (sql/004: columns of the referral) of a case not purged:
    -- the first score-many questions yes, the rest no.
    CASE WHEN f.kind <> 'masc' AND NOT (f.kind = 'below' AND f.received < :'today'::date - 365)
        THEN ARRAY(SELECT q <= CASE f.kind WHEN 'marac' THEN 14 + (f.n % 8) ELSE 3 + (f.n % 9) END
            FROM generate_series(1, 27) q) END,
    CASE WHEN f.kind = 'masc'
        THEN ARRAY(SELECT q <= 5 + (f.n % 6) FROM generate_series(1, 11) q) END
  FROM nat_ref f JOIN nat_areas a ON a.i = f.ai
 ORDER BY f.n;

-- Each case joins the first sitting of its forum and area whose cutoff it
-- meets (the rule of referral_sitting_for, without the cutoff's hour).
UPDATE referrals r SET status = 'listed', sitting_id = s.sid
  FROM (SELECT r2.id AS rid, (SELECT s2.id FROM sittings s2
          WHERE s2.forum = r2.forum AND s2.area = r2.area AND s2.status = 'scheduled'
            AND s2.cutoff_date >= r2.received_date ORDER BY s2.cutoff_date LIMIT 1) AS sid
          FROM referrals r2 WHERE r2.status = 'waiting') s
 WHERE r.id = s.rid AND s.sid IS NOT NULL;

-- People: the victim and perpetrator of every referral not purged, and
-- its children.
INSERT INTO referral_people (referral_id, role, ordinal, name, dob, gender, postcode,
    relationship, identity_key)
SELECT r.id, 'victim', 0, 'Victim ' || substr(r.victim_key, 2),
    date '1960-01-01' + (hashtext(r.victim_key) & 16383), 'female',
    'AB' || (r.id % 97) || ' 1CD', NULL, NULL
  FROM referrals r WHERE r.purged_at IS NULL AND r.reference LIKE 'NAT-%'
UNION ALL
SELECT r.id, 'perpetrator', 0, 'Perpetrator ' || substr(r.perpetrator_key, 2),
    date '1955-01-01' + (hashtext(r.perpetrator_key) & 16383), 'male', NULL,
    CASE WHEN r.domestic_abuse THEN 'intimate_partner' ELSE 'acquaintance' END,
    r.perpetrator_key
  FROM referrals r WHERE r.purged_at IS NULL AND r.reference LIKE 'NAT-%';
INSERT INTO referral_people (referral_id, role, ordinal, name, dob, resident)
SELECT r.id, 'child', c, 'Child ' || c || ' of ' || substr(r.victim_key, 2),
    r.received_date - 365 * (1 + (r.id + c) % 15)::integer, (r.id + c) % 7 <> 0
  FROM referrals r, generate_series(0, 2) c
 WHERE r.purged_at IS NULL AND r.domestic_abuse AND r.reference LIKE 'NAT-%'
   AND c < CASE r.id % 5 WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 2 END;

-- Decisions and actions of every case heard before today.
INSERT INTO decisions (sitting_id, referral_id, forum, reference, attendees, areas, outcome,
    drive_increases_risk, lawful_basis, version, signed_off_at, signed_off_by, created_at,
    updated_at)
SELECT s.id, r.id, r.forum, r.reference, '{police,idva,health_icb}',
    '{"victim": "Safety plan reviewed.", "offender": "Bail conditions checked."}',
    'Actions agreed.', CASE WHEN r.forum = 'marac' THEN false END, r.lawful_basis, 1,
    (s.date + time '16:00') AT TIME ZONE 'Europe/London', 1,
    (s.date + time '10:00') AT TIME ZONE 'Europe/London',
    (s.date + time '16:00') AT TIME ZONE 'Europe/London'
  FROM referrals r JOIN sittings s ON s.id = r.sitting_id
 WHERE r.status = 'listed' AND s.date < :'today'::date;
INSERT INTO decision_versions (decision_id, version, content, at, by_token)
SELECT d.id, 1, jsonb_build_object('reference', d.reference, 'areas', d.areas,
    'outcome', d.outcome, 'attendees', to_jsonb(d.attendees)), d.signed_off_at, 1
  FROM decisions d;

INSERT INTO actions (referral_id, sitting_id, forum, reference, agency, area, description,
    due, status, created_at, updated_at)
SELECT d.referral_id, d.sitting_id, d.forum, d.reference,
    (SELECT code FROM nat_agencies WHERE i = (d.id + k) % 8), s.area,
    'Agreed action ' || k || ': share the safety plan and confirm contact arrangements.',
    s.date + 7 * (1 + (d.id + k) % 8)::integer,
    CASE WHEN s.date + 7 * (1 + (d.id + k) % 8)::integer >= :'today'::date
         THEN CASE (d.id + k) % 3 WHEN 0 THEN 'in_progress' ELSE 'open' END
         WHEN (d.id * 7 + k) % 20 = 0 THEN 'open'
         WHEN (d.id * 7 + k) % 20 = 1 THEN 'no_longer_relevant'
         ELSE 'completed' END,
    d.signed_off_at, d.signed_off_at
  FROM decisions d JOIN sittings s ON s.id = d.sitting_id,
       generate_series(0, 4) k
 WHERE k < 3 + (d.id % 3)::integer;
INSERT INTO action_history (action_id, at, role, agency, field, to_value)
SELECT a.id, a.created_at, 'chair', NULL, 'created', 'open' FROM actions a
UNION ALL
SELECT a.id, a.created_at + interval '10 days', 'agency', a.agency, 'status', a.status
  FROM actions a WHERE a.status <> 'open';

-- Agendas: one issued version per sitting held with cases.
INSERT INTO agenda_versions (sitting_id, version, forum, content, content_sha256, case_count,
    diff, agencies, invited, mailed, issued_at, issued_via)
SELECT s.id, 1, s.forum, c.content, encode(sha256(convert_to(c.content, 'UTF8')), 'hex'),
    c.n, '{"counts": {"added": 0, "removed": 0, "changed": 0}}', c.agencies,
    '{police,idva,health_icb,childrens_social_care,adult_social_care,housing,probation}',
    '{police,idva,health_icb,childrens_social_care,adult_social_care,housing,probation}',
    (s.cutoff_date + 1 + time '09:00') AT TIME ZONE 'Europe/London', 'bench:national'
  FROM sittings s
  JOIN LATERAL (
	SELECT count(*)::integer AS n, array_agg(DISTINCT r.referring_agency) AS agencies,
	    jsonb_build_object('sitting', jsonb_build_object('id', s.id, 'forum', s.forum,
	        'area', s.area, 'date', s.date), 'cases', jsonb_agg(jsonb_build_object(
	        'reference', r.reference, 'agency', r.referring_agency,
	        'victim', 'V.' || substr(r.victim_key, 2, 1) || '.', 'age', 30 + r.id % 40,
	        'perpetrator', 'P.' || substr(r.perpetrator_key, 2, 1) || '.',
	        'children', r.id % 3, 'risk', r.risk_level, 'repeat', r.repeat,
	        'urgent', r.urgent, 'drive', 'not_screened') ORDER BY r.id))::text AS content
	  FROM referrals r WHERE r.sitting_id = s.id AND r.status = 'listed'
  ) c ON c.n > 0
 WHERE s.date < :'today'::date;

-- Mail history: each agenda to its invited agencies, and a weekly digest
-- per agency and area; bodies of those older than 30 days cleared.
INSERT INTO outbox (key, kind, recipients, subject, body_text, status, attempts,
    next_attempt_at, message_id, created_at, sent_at, body_purged_at)
SELECT 'agenda:' || v.sitting_id || ':1:' || g.code, 'agenda', ARRAY[g.code || '@agencies.invalid'],
    upper(v.forum) || ' agenda ' || v.sitting_id,
    CASE WHEN v.issued_at > :'today'::date - 30 THEN repeat('Agenda line. ', 80) ELSE '' END,
    'sent', 1, v.issued_at, '<' || v.sitting_id || '.' || g.code || '@bench>', v.issued_at,
    v.issued_at + interval '1 minute',
    CASE WHEN v.issued_at <= :'today'::date - 30 THEN v.issued_at + interval '30 days' END
  FROM agenda_versions v, unnest(v.invited) g(code);
INSERT INTO outbox (key, kind, recipients, subject, body_text, status, attempts,
    next_attempt_at, message_id, created_at, sent_at, body_purged_at)
SELECT 'digest:' || a.area || ':' || g.code || ':' || w::date, 'digest',
    ARRAY[g.code || '@agencies.invalid'], 'Outstanding actions ' || w::date,
    CASE WHEN w > :'today'::date - 30 THEN repeat('Action line. ', 120) ELSE '' END,
    'sent', 1, w, '<d.' || a.i || '.' || g.code || '.' || w::date || '@bench>', w,
    w + interval '1 minute', CASE WHEN w <= :'today'::date - 30 THEN w + interval '30 days' END
  FROM nat_areas a, nat_agencies g,
       generate_series(:'today'::date - 365 * :years, :'today'::date - 1, interval '7 days') w;

-- The overdue notices earlier reminder runs sent (the key is
-- daemon/core/reminders.c's).
INSERT INTO outbox (key, kind, recipients, subject, body_text, status, attempts,
    next_attempt_at, message_id, created_at, sent_at, body_purged_at)
SELECT 'overdue:' || a.id || ':' || to_char(a.due, 'YYYY-MM-DD'), 'overdue',
    ARRAY[a.agency || '@agencies.invalid'], 'Overdue action ' || a.reference,
    CASE WHEN a.due > :'today'::date - 30 THEN repeat('Overdue line. ', 20) ELSE '' END,
    'sent', 1, s.at, '<o.' || a.id || '@bench>', s.at, s.at + interval '1 minute',
    CASE WHEN a.due <= :'today'::date - 30 THEN s.at + interval '30 days' END
  FROM actions a,
       LATERAL (SELECT ((a.due + 1) + time '00:05') AT TIME ZONE 'Europe/London' AS at) s
 WHERE a.status IN ('open', 'in_progress') AND a.due < :'today'::date - 1;

COMMIT;

SET session_replication_role = origin;
VACUUM (ANALYZE) referrals, referral_people, sittings, decisions,
    decision_versions, actions, action_history, agenda_versions, outbox;

-- Urgent referrals alert the forum's core agencies at once (docs/domain.md,
-- Referrals: urgent coordination must not wait for the meeting), through
-- the outbox, in the same transaction that stores the referral.

-- Which agencies are a forum's core members (docs/domain.md, Forums); a
-- deployment changes this table, not code.
CREATE TABLE forum_core_agencies (
	forum	text NOT NULL CHECK (forum IN ('marac', 'masc')),
	agency	text NOT NULL REFERENCES agencies(code) ON DELETE CASCADE,
	PRIMARY KEY (forum, agency)
);
GRANT SELECT ON forum_core_agencies TO maracd_app;

-- Seeded for the agencies that exist when this runs; maracctl agency add
-- of a seed code later adds it too (see forum_core_agencies_seed below).
CREATE FUNCTION forum_core_agencies_seed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	INSERT INTO forum_core_agencies (forum, agency)
	SELECT f, NEW.code FROM (VALUES
	    ('marac', 'police'), ('marac', 'idva'), ('marac', 'health_icb'),
	    ('marac', 'childrens_social_care'), ('marac', 'adult_social_care'),
	    ('marac', 'housing'), ('marac', 'probation'),
	    ('masc', 'probation'), ('masc', 'police'), ('masc', 'victim_support'),
	    ('masc', 'health_icb')) AS d(f, a)
	WHERE d.a = NEW.code
	ON CONFLICT DO NOTHING;
	RETURN NEW;
END
$$;
CREATE TRIGGER forum_core_agencies_seed AFTER INSERT ON agencies
	FOR EACH ROW EXECUTE FUNCTION forum_core_agencies_seed();
INSERT INTO forum_core_agencies (forum, agency)
SELECT d.f, d.a FROM (VALUES
    ('marac', 'police'), ('marac', 'idva'), ('marac', 'health_icb'),
    ('marac', 'childrens_social_care'), ('marac', 'adult_social_care'),
    ('marac', 'housing'), ('marac', 'probation'),
    ('masc', 'probation'), ('masc', 'police'), ('masc', 'victim_support'),
    ('masc', 'health_icb')) AS d(f, a)
JOIN agencies ON agencies.code = d.a
ON CONFLICT DO NOTHING;

-- The alert names the case by reference only: no victim or perpetrator
-- identity, no free text.  One message per core agency with an address,
-- keyed so that it can never be sent twice.
CREATE FUNCTION referral_urgent_alert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
	a record;
	sitting_date text;
	forum_label text := upper(NEW.forum);
	body text;
	linked jsonb := referral_peer_json(NEW.linked_to);
BEGIN
	-- A referral linked to a waiting case is heard at that case's sitting.
	SELECT to_char(date, 'FMDay DD Month YYYY') INTO sitting_date
	  FROM sittings WHERE id = coalesce(NEW.sitting_id, (linked #>> '{sitting,id}')::bigint);
	body := format(E'An urgent referral has been made to %s.\n\n'
	    'Case reference: %s\n%sRisk level: %s\nReferring agency: %s\n'
	    'Listed for the sitting of: %s\n\n'
	    'Urgent coordination should not wait for the meeting: please review '
	    'what your agency holds and contact the %s coordinator today.\n\n'
	    'This message carries no personal details. Sign in to maracd to see the case.\n',
	    forum_label, NEW.reference,
	    coalesce('Linked to the waiting case: ' || (linked->>'reference') || E'\n', ''),
	    NEW.risk_level, NEW.referring_agency,
	    coalesce(sitting_date, 'to be listed by the coordinator'), forum_label);
	FOR a IN SELECT ag.code, ag.reminder_email FROM forum_core_agencies f
	    JOIN agencies ag ON ag.code = f.agency
	    WHERE f.forum = NEW.forum AND ag.reminder_email IS NOT NULL
	      -- An address the outbox would refuse must not fail the referral.
	      AND outbox_addresses_ok(ARRAY[ag.reminder_email])
	    ORDER BY ag.code
	LOOP
		PERFORM outbox_enqueue('urgent:' || NEW.reference || ':' || a.code, 'urgent',
		    ARRAY[a.reminder_email],
		    format('URGENT %s referral %s', forum_label, NEW.reference), body,
		    format('<p>An <strong>urgent</strong> referral has been made to %s.</p>'
		        '<ul><li>Case reference: %s</li><li>Risk level: %s</li>'
		        '<li>Referring agency: %s</li><li>Listed for the sitting of: %s</li></ul>'
		        '<p>Urgent coordination should not wait for the meeting: please review '
		        'what your agency holds and contact the %s coordinator today.</p>'
		        '<p>This message carries no personal details. Sign in to maracd to see '
		        'the case.</p>', forum_label, NEW.reference, NEW.risk_level,
		        NEW.referring_agency, coalesce(sitting_date, 'to be listed'), forum_label));
	END LOOP;
	RETURN NEW;
END
$$;
CREATE TRIGGER referral_urgent_alert AFTER INSERT ON referrals
	FOR EACH ROW WHEN (NEW.urgent AND NEW.forum IS NOT NULL)
	EXECUTE FUNCTION referral_urgent_alert();

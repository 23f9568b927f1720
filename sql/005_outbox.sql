-- The outbox: every message maracd will send, written in the same
-- transaction as the event that causes it, and sent later by outbox.c.
--
-- key is the logical message ('digest:police:2026-W48',
-- 'urgent:MARAC-2026-0042:police'): UNIQUE, so that enqueueing the same
-- message twice, from a retried job or from two maracd processes, is
-- impossible.  Message-IDs are derived from it, so a message sent again
-- (after a lease ran out, RFC 1047) carries the same Message-ID and mail
-- systems can drop the copy.
--
-- Rows hold case references, action text and agency addresses (no
-- victim or perpetrator identities unless [mail] personal_data is set),
-- and only maracd's own jobs read them, through the owner's functions
-- below (row-level security admits nobody else); no API returns a row
-- (GET /metrics gives counts only).
--
-- Also here: the urgent alerts of the forums' core agencies, the first
-- mail a referral can cause (at the end of this file).

-- Addresses as the mailer will put them in RCPT TO and To: no spaces,
-- brackets, quotes or separators, so nothing can smuggle a second
-- recipient or a header.
CREATE FUNCTION outbox_addresses_ok(a text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT
SET search_path = public, pg_temp
AS $$
	SELECT cardinality(a) BETWEEN 1 AND 50
	   AND (SELECT bool_and(x ~ '^[^@\s<>(),;:"\\\[\]]{1,64}@[A-Za-z0-9.-]{1,190}$') FROM unnest(a) x)
$$;

CREATE FUNCTION outbox_attachments_ok(a jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT
SET search_path = public, pg_temp
AS $$
	SELECT jsonb_typeof(a) = 'array' AND jsonb_array_length(a) <= 10
	   AND coalesce((SELECT bool_and(jsonb_typeof(x) = 'object'
		AND coalesce(x->>'filename' ~ '^[^\r\n"\\/]{1,100}$', false)
		AND coalesce(x->>'content_type' ~ '^[a-z]+/[a-zA-Z0-9.+-]{1,100}$', false)
		AND jsonb_typeof(x->'content_base64') = 'string')
	     FROM jsonb_array_elements(a) x), true)
$$;

CREATE TABLE outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key		text NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
	kind		text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,31}$'),
	recipients	text[] NOT NULL CHECK (outbox_addresses_ok(recipients)),
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500
			    AND subject !~ '[\r\n]'),
	body_text	text NOT NULL,
	body_html	text,
	-- [{"filename", "content_type", "content_base64"}]
	attachments	jsonb NOT NULL DEFAULT '[]' CHECK (outbox_attachments_ok(attachments)),
	status		text NOT NULL DEFAULT 'queued'
			    CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	lease_until	timestamptz,
	claimed_by	text,
	-- Codes only ("smtp 550 curl 55"): server text may quote addresses.
	last_error	text CHECK (length(last_error) <= 100),
	message_id	text,		-- set at the first claim, never changed
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	failed_at	timestamptz,	-- given up on: the coordinator's summary lists it
	-- When the retention purge emptied its bodies (013_retention.sql).
	body_purged_at	timestamptz,
	CHECK (status <> 'sending' OR (lease_until IS NOT NULL AND claimed_by IS NOT NULL)),
	CHECK (status <> 'sent' OR sent_at IS NOT NULL)
) WITH (
	autovacuum_analyze_scale_factor = 0,
	autovacuum_analyze_threshold = 200,
	autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 1000
);
-- The outbox's statistics (WITH above) follow its queue, not its size.
--
-- The claim (daemon/shell/outbox.c) walks outbox_pending in id order and
-- stops after a few rows, but only while PostgreSQL knows that many rows
-- are pending.  With statistics from before a backlog (a long SMTP outage,
-- a burst of digests) it plans a bitmap scan and a sort of every pending
-- row instead: about 1 000 pages read per claim with 3 000 pending, 18
-- once analysed (EXPLAIN (ANALYZE, BUFFERS), 2026-11-26).  By default
-- autovacuum analyses after 10 % of the table changes, and the table keeps
-- every sent message, so the larger its history the later the statistics
-- catch up with a queue.  Here: after 200 changed rows, whatever the
-- table's size; and vacuumed after 1 000 dead rows, so that the pending
-- index does not fill with entries for messages long sent.  Both passes
-- are cheap on this table (the visibility map skips pages of old mail).

-- The sender's claim scans only what is still to send, however many sent
-- rows pile up; /metrics counts the same rows.
CREATE INDEX outbox_pending ON outbox (id) WHERE status IN ('queued', 'sending');
-- When a row was given up on, so that the reminders' summary
-- (010_reminders.sql) can list the failures since the previous summary.
-- outbox.c sets it with status 'failed'.
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE status = 'failed';

-- The outbox is maracd's own.  Row-level security is forced and no policy
-- admits the application role: neither a request's caller nor the
-- application login with arbitrary SQL reads a message, changes a
-- recipient or inserts one.  Mail enters through outbox_enqueue, in an
-- authenticated caller's transaction (an urgent alert, an agenda, a
-- reminder), and the sender claims and acknowledges it through the
-- functions below, which only maracd's jobs may call (maracd_is_job).
-- They run as the owner, whose policy is the only one.
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY outbox_owner ON outbox TO CURRENT_USER USING (true) WITH CHECK (true);

-- The one way other code puts a message in the outbox, inside its own
-- transaction:
--
--	SELECT outbox_enqueue('digest:police:2026-W48', 'digest',
--	    ARRAY['marac@police.example'], 'Outstanding MARAC actions',
--	    text_body, html_body);
--
-- It returns the new row's id, or NULL when a message with that key was
-- already enqueued (ON CONFLICT (key) DO NOTHING): callers need not check
-- first, and a retried job cannot send twice.  not_before delays the first
-- attempt.
-- Mail is queued only in an authenticated caller's transaction (a token,
-- a job, or maracctl as the owner): the application login alone queues
-- nothing, to nobody.
CREATE FUNCTION outbox_caller_check() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT maracd_has_caller() AND NOT maracd_owner_session() THEN
		RAISE EXCEPTION 'mail is queued by an authenticated caller only'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

CREATE FUNCTION outbox_enqueue(key text, kind text, recipients text[],
    subject text, body_text text, body_html text DEFAULT NULL,
    attachments jsonb DEFAULT '[]', not_before timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM outbox_caller_check();
	INSERT INTO outbox AS o (key, kind, recipients, subject, body_text,
	    body_html, attachments, next_attempt_at)
	VALUES (outbox_enqueue.key, outbox_enqueue.kind, outbox_enqueue.recipients,
	    outbox_enqueue.subject, outbox_enqueue.body_text, outbox_enqueue.body_html,
	    coalesce(outbox_enqueue.attachments, '[]'), coalesce(not_before, now()))
	ON CONFLICT ON CONSTRAINT outbox_key_key DO NOTHING
	RETURNING o.id INTO n;
	RETURN n;
END
$$;

-- outbox_enqueue for many messages at once (the reminders run's, 010):
-- the same caller check, once, and one INSERT for all of them, in the
-- order given, so that ids (and so the sender's claims) follow it.  One
-- row per message, in that order: its key and the new id, or NULL where
-- the key was enqueued already (by an earlier run, another process, or
-- earlier in the same arrays).  Keys are unique as with outbox_enqueue,
-- by the same constraint: never twice.  rcpts holds each message's
-- addresses joined with commas (an address the outbox accepts has none).
-- A PL/pgSQL call per message cost more than the insert itself: about
-- 100 000 overdue notices took 298 s (bench/RESULTS.md, National scale).
CREATE FUNCTION outbox_enqueue_set(keys text[], kinds text[], rcpts text[],
    subjects text[], texts text[], htmls text[])
RETURNS TABLE (key text, id bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	PERFORM outbox_caller_check();
	RETURN QUERY
	WITH m AS MATERIALIZED (
		SELECT u.k, u.kind, u.r, u.s, u.t, u.h, u.n
		  FROM unnest(keys, kinds, rcpts, subjects, texts, htmls)
		    WITH ORDINALITY AS u(k, kind, r, s, t, h, n)
	), fresh AS (
		INSERT INTO outbox AS o (key, kind, recipients, subject, body_text, body_html)
		SELECT m.k, m.kind, string_to_array(m.r, ','), m.s, m.t, m.h
		  FROM m ORDER BY m.n
		ON CONFLICT ON CONSTRAINT outbox_key_key DO NOTHING
		RETURNING o.key, o.id
	)
	-- A key twice in the arrays: the first gets the id, the second NULL.
	SELECT m.k, CASE WHEN m.n = min(m.n) OVER (PARTITION BY m.k) THEN fresh.id END
	  FROM m LEFT JOIN fresh ON fresh.key = m.k
	 ORDER BY m.n;
END
$$;

-- Only maracd's mail sender (a job, maracd_is_job) claims and
-- acknowledges messages; every function below checks it first.
CREATE FUNCTION outbox_sender_check() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
	IF NOT maracd_is_job() THEN
		RAISE EXCEPTION 'only maracd''s mail sender (a job) handles the outbox'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- Record messages sent (their 250 came): "sent" is the truth whoever
-- holds the row.  Returns how many rows changed.
CREATE FUNCTION outbox_sent(ids bigint[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	PERFORM outbox_sender_check();
	UPDATE outbox SET status = 'sent', sent_at = now(), lease_until = NULL,
	    last_error = NULL WHERE id = ANY (ids) AND status <> 'sent';
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- Claim up to lim due rows for proc for lease seconds: queued and due, or
-- claimed by someone whose lease ran out.  The Message-ID is fixed at the
-- first claim, so every attempt, by any process, carries the same one.
-- sent: rows proc has sent since its last statement, recorded in the
-- same commit and never claimed by it.
CREATE FUNCTION outbox_claim(proc text, lease integer, lim integer, domain text,
    sent bigint[])
RETURNS TABLE (id bigint, kind text, attempts integer, message_id text,
    recipients text, subject text, body_text text, body_html text, attachments text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
	PERFORM outbox_sender_check();
	PERFORM outbox_sent(sent);
	RETURN QUERY
	WITH due AS (SELECT x.id FROM outbox x
	     WHERE x.status IN ('queued', 'sending') AND
	       ((x.status = 'queued' AND x.next_attempt_at <= now()) OR
	        (x.status = 'sending' AND x.lease_until < now()))
	       AND x.id <> ALL (sent)
	     ORDER BY x.id LIMIT lim FOR UPDATE SKIP LOCKED)
	UPDATE outbox o SET status = 'sending',
	    lease_until = now() + lease * interval '1 second', claimed_by = proc,
	    attempts = o.attempts + 1, message_id = coalesce(o.message_id, '<' ||
	    left(encode(sha256(convert_to(o.key, 'UTF8')), 'hex'), 32) || '@' || domain || '>')
	  FROM due WHERE o.id = due.id
	RETURNING o.id, o.kind, o.attempts, o.message_id,
	    array_to_string(o.recipients, E'\n'), o.subject, o.body_text,
	    o.body_html, o.attachments::text;
END
$$;

-- A failed attempt of proc's goes back in the queue after retry_ms, or
-- with retry_ms NULL is given up on (failed), unless the row was claimed
-- again meanwhile.  Returns how many rows changed (0 or 1).
CREATE FUNCTION outbox_unsent(row_id bigint, proc text, attempt integer,
    retry_ms bigint, err text) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	PERFORM outbox_sender_check();
	UPDATE outbox SET status = CASE WHEN retry_ms IS NULL THEN 'failed' ELSE 'queued' END,
	    lease_until = NULL,
	    claimed_by = CASE WHEN retry_ms IS NULL THEN claimed_by END,
	    next_attempt_at = CASE WHEN retry_ms IS NULL THEN next_attempt_at
	        ELSE now() + retry_ms * interval '1 millisecond' END,
	    failed_at = CASE WHEN retry_ms IS NULL THEN now() END,
	    last_error = err
	 WHERE id = row_id AND status = 'sending' AND claimed_by = proc AND attempts = attempt;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- For /metrics (no caller): counts, nothing of any message.
CREATE FUNCTION outbox_backlog(OUT pending bigint, OUT oldest_seconds bigint,
    OUT failed bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::bigint,
	    (SELECT count(*) FROM outbox WHERE status = 'failed')
	  FROM outbox WHERE status IN ('queued', 'sending')
$$;

-- Whether a message with this key is queued or sent, for the reminders job
-- (and maracctl reminders as the owner).
CREATE FUNCTION outbox_has(k text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
	SELECT EXISTS (SELECT 1 FROM outbox WHERE key = k)
	   AND (maracd_is_job() OR maracd_owner_session())
$$;

REVOKE ALL ON FUNCTION outbox_enqueue(text, text, text[], text, text, text, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_enqueue(text, text, text[], text, text, text, jsonb, timestamptz) TO maracd_app;
REVOKE ALL ON FUNCTION outbox_enqueue_set(text[], text[], text[], text[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_enqueue_set(text[], text[], text[], text[], text[], text[]) TO maracd_app;
REVOKE ALL ON FUNCTION outbox_sender_check(), outbox_sent(bigint[]),
	outbox_claim(text, integer, integer, text, bigint[]),
	outbox_unsent(bigint, text, integer, bigint, text), outbox_backlog(),
	outbox_has(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_sent(bigint[]),
	outbox_claim(text, integer, integer, text, bigint[]),
	outbox_unsent(bigint, text, integer, bigint, text), outbox_backlog(),
	outbox_has(text) TO maracd_app;

--
-- Urgent alerts.
--

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

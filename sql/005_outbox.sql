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
-- No row-level security: rows hold case references, action text and
-- agency addresses (no victim or perpetrator identities unless
-- [mail] personal_data is set), and only maracd's own jobs read them; no
-- API returns a row (GET /metrics gives counts only).  Agencies never
-- see the table.  An API that lists outbox rows would need RLS first.

CREATE TABLE outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key		text NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
	kind		text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,31}$'),
	recipients	text[] NOT NULL,
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500
			    AND subject !~ '[\r\n]'),
	body_text	text NOT NULL,
	body_html	text,
	-- [{"filename", "content_type", "content_base64"}]
	attachments	jsonb NOT NULL DEFAULT '[]',
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
	CHECK (status <> 'sending' OR (lease_until IS NOT NULL AND claimed_by IS NOT NULL)),
	CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);

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

ALTER TABLE outbox ADD CHECK (outbox_addresses_ok(recipients));
ALTER TABLE outbox ADD CHECK (outbox_attachments_ok(attachments));

-- The sender's claim scans only what is still to send, however many sent
-- rows pile up; /metrics counts the same rows.
CREATE INDEX outbox_pending ON outbox (id) WHERE status IN ('queued', 'sending');

GRANT SELECT, INSERT, UPDATE ON outbox TO maracd_app;

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
CREATE FUNCTION outbox_enqueue(key text, kind text, recipients text[],
    subject text, body_text text, body_html text DEFAULT NULL,
    attachments jsonb DEFAULT '[]', not_before timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE sql VOLATILE
SET search_path = public, pg_temp
AS $$
	INSERT INTO outbox AS o (key, kind, recipients, subject, body_text,
	    body_html, attachments, next_attempt_at)
	VALUES (outbox_enqueue.key, outbox_enqueue.kind, outbox_enqueue.recipients,
	    outbox_enqueue.subject, outbox_enqueue.body_text, outbox_enqueue.body_html,
	    coalesce(outbox_enqueue.attachments, '[]'), coalesce(not_before, now()))
	ON CONFLICT ON CONSTRAINT outbox_key_key DO NOTHING
	RETURNING o.id
$$;
REVOKE ALL ON FUNCTION outbox_enqueue(text, text, text[], text, text, text, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_enqueue(text, text, text[], text, text, text, jsonb, timestamptz) TO maracd_app;

"""Mail: the outbox and the SMTP sender, against real SMTP servers.

Rows go into the outbox with SQL, as the job or handler that enqueues them
would; maracd sends them to tools/smtp-sink (aiosmtpd on loopback), and
the tests read the .eml files it keeps.  Messages are told apart by
Message-ID, which the outbox derives from the row's key, so a copy sent
twice shows up as two files with one Message-ID.
"""
import base64
import collections
import email
import email.policy
import hashlib
import pathlib
import signal
import socket
import subprocess
import time

import pytest

from conftest import BUILD, MAILDIR, SMTP_PORT, SRC, Maracd, free_port, wait_for

DOMAIN = "marac.example"
POLICE = "police@agencies.example"
HOUSING = "housing@agencies.example"
REFUSED = "nobody@agencies.example"


def message_id(key):
    return "<%s@%s>" % (hashlib.sha256(key.encode()).hexdigest()[:32], DOMAIN)


class Sink:
    """A tools/smtp-sink of a test's own, which the test may stop and start."""

    def __init__(self, directory, port=None, *args):
        self.dir = pathlib.Path(directory)
        self.port = port or free_port()
        self.args = [str(a) for a in args]
        self.proc = None

    def start(self, *args):
        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [str(SRC / "tools/smtp-sink"), "--dir", str(self.dir),
             "--port", str(self.port), *(list(args) or self.args)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(self.listening, 10), "smtp-sink did not start"
        return self

    def listening(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), 0.2).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture
def sinks():
    started = []

    def make(directory, *args, port=None):
        s = Sink(directory, port, *args)
        started.append(s)
        return s
    yield make
    for s in started:
        s.stop()


def configure(db, port, **mail):
    settings = {
        "smtp_url": "smtp://127.0.0.1:%d" % port,
        "smtp_tls": "none",
        "mail_from": "marac@coordinator.example",
        "mail_domain": DOMAIN,
        "retry_base_seconds": "1",
        "retry_max_seconds": "2",
    }
    settings.update({k: str(v) for k, v in mail.items()})
    db.write_conf(mail=settings)


def q(s):
    return "$q$%s$q$" % s


def enqueue(db, key, recipients=(POLICE,), subject="Outstanding MARAC actions",
            text="Case MARAC-2026-0001: action due 2026-12-01.",
            html=None, attachments="[]"):
    return db.psql("SELECT outbox_enqueue(%s, 'test', ARRAY[%s]::text[], %s, %s, %s, %s)" % (
        q(key), ", ".join(q(r) for r in recipients), q(subject), q(text),
        q(html) if html is not None else "NULL", q(attachments)))


def enqueue_many(db, prefix, n):
    db.psql("SELECT outbox_enqueue(%s || i, 'test', ARRAY[%s], 'Digest ' || i, "
            "'Actions ' || i) FROM generate_series(1, %d) i" % (q(prefix), q(POLICE), n))
    return [message_id("%s%d" % (prefix, i)) for i in range(1, n + 1)]


def statuses(db):
    out = db.psql("SELECT status, count(*) FROM outbox GROUP BY status")
    return {l.split("|")[0]: int(l.split("|")[1]) for l in out.splitlines() if l}


def messages(directory):
    found = []
    for path in sorted(pathlib.Path(directory).glob("*.eml")):
        # On the wire lines end in CRLF; the parser wants the local form.
        raw = path.read_bytes().replace(b"\r\n", b"\n")
        found.append(email.message_from_bytes(raw, policy=email.policy.default))
    return found


def count_ids(directory, ids=None):
    c = collections.Counter(m["Message-ID"] for m in messages(directory))
    return c if ids is None else collections.Counter({i: c[i] for i in ids})


def metrics(m):
    r = m.request("GET", "/metrics")
    assert r.status == 200
    values = {}
    for line in r.body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.split()
            values[name] = float(value)
    return values


def test_message_has_headers_both_parts_and_attachment(db, tmp):
    key = "digest:police:2026-W48:%s" % db.name
    # Long and not ASCII: several RFC 2047 words on folded lines.
    subject = ("Actions due \u2013 MARAC 2026-W48 \u2713 \u2014 safety plans, "
               "housing reviews and DRIVE referrals outstanding")
    rcpts = (POLICE, HOUSING, "childrens_social_care@agencies.example",
             "adult_social_care@agencies.example")
    text = "Case MARAC-2026-0042\nAction: safety plan review\nDue: 2026-12-01\n"
    html = "<p>Case <b>MARAC-2026-0042</b></p>\n<p>Due: 2026-12-01</p>\n"
    csv = b"reference,action,due\nMARAC-2026-0042,review,2026-12-01\n"
    attachments = ('[{"filename": "actions.csv", "content_type": "text/csv", '
                   '"content_base64": "%s"}]' % base64.b64encode(csv).decode())
    configure(db, SMTP_PORT)
    enqueue(db, key, rcpts, subject, text, html, attachments)
    m = Maracd(db, tmp).start()
    try:
        mid = message_id(key)
        assert wait_for(lambda: count_ids(MAILDIR, [mid])[mid] == 1, 15), m.log_text()
        msg = [x for x in messages(MAILDIR) if x["Message-ID"] == mid][0]
        assert msg["X-Sink-Rcpt-To"] == ", ".join(rcpts)
        assert msg["X-Sink-Mail-From"] == "marac@coordinator.example"
        assert [a.addr_spec for a in msg["To"].addresses] == list(rcpts)
        assert msg["From"] == "marac@coordinator.example"
        assert msg["Subject"] == subject
        assert msg["Date"].datetime is not None
        assert msg["Auto-Submitted"] == "auto-generated"
        assert msg.get_content_type() == "multipart/mixed"
        alt, att = msg.get_payload()
        assert alt.get_content_type() == "multipart/alternative"
        plain, rich = alt.get_payload()
        assert plain.get_content_type() == "text/plain"
        assert plain.get_content() == text
        assert rich.get_content_type() == "text/html"
        assert rich.get_content() == html
        assert att.get_filename() == "actions.csv"
        assert att.get_content_type() == "text/csv"
        assert att.get_payload(decode=True) == csv
        row = db.psql("SELECT status, attempts, message_id, sent_at IS NOT NULL, "
                      "last_error IS NULL FROM outbox")
        assert row == "sent|1|%s|t|t" % mid
        # The log names rows, never addresses or content.
        log = m.log_text()
        assert "outbox: 1 (test) sent, attempt 1" in log
        for secret in rcpts + ("MARAC-2026-0042", "MARAC 2026"):
            assert secret not in log

        # Sent again (as after a lease ran out): the same Message-ID.
        db.psql("UPDATE outbox SET status = 'queued', next_attempt_at = now()")
        assert wait_for(lambda: count_ids(MAILDIR, [mid])[mid] == 2, 15), m.log_text()
        assert db.psql("SELECT status, attempts, message_id FROM outbox") == "sent|2|%s" % mid
    finally:
        m.stop()
    m.assert_clean_log()


def test_text_only_message_has_one_part(db, tmp):
    key = "notice:%s" % db.name
    configure(db, SMTP_PORT)
    enqueue(db, key, text="line one\r\nline two\n")
    m = Maracd(db, tmp).start()
    try:
        mid = message_id(key)
        assert wait_for(lambda: count_ids(MAILDIR, [mid])[mid] == 1, 15), m.log_text()
        msg = [x for x in messages(MAILDIR) if x["Message-ID"] == mid][0]
        parts = msg.get_payload()
        assert len(parts) == 1
        assert parts[0].get_content_type() == "text/plain"
        assert parts[0].get_content() == "line one\nline two\n"
    finally:
        m.stop()


def test_a_key_is_enqueued_once(db):
    one = db.psql("SET ROLE maracd; SELECT outbox_enqueue('digest:x', 'digest', "
                  "ARRAY['a@b.example'], 's', 't')")
    two = db.psql("SET ROLE maracd; SELECT outbox_enqueue('digest:x', 'digest', "
                  "ARRAY['a@b.example'], 'other', 'other')")
    assert one.isdigit() and two == ""
    assert db.psql("SELECT count(*), min(subject) FROM outbox") == "1|s"


def test_many_messages_enqueued_in_one_statement_each_key_once(db):
    # outbox_enqueue_set, the reminders run's: one row per message in the
    # order given, an id for each new key, NULL for a key enqueued before
    # or earlier in the same arrays; ids follow the order given.
    db.psql("SET ROLE maracd; SELECT outbox_enqueue('digest:b', 'digest', "
            "ARRAY['a@b.example'], 'old', 'old')")
    out = db.psql("SET ROLE maracd; SELECT key, id IS NOT NULL FROM outbox_enqueue_set("
                  "ARRAY['digest:c', 'digest:b', 'digest:a', 'digest:c'], "
                  "ARRAY['digest', 'digest', 'summary', 'digest'], "
                  "ARRAY['a@b.example', 'a@b.example', 'a@b.example,c@d.example', 'x@y.example'], "
                  "ARRAY['s1', 's2', 's3', 's4'], ARRAY['t1', 't2', 't3', 't4'], "
                  "ARRAY['h1', 'h2', NULL, 'h4'])")
    assert out.splitlines() == ["digest:c|t", "digest:b|f", "digest:a|t", "digest:c|f"]
    assert db.psql("SELECT key, kind, subject, array_to_string(recipients, ' '), "
                   "coalesce(body_html, '-') FROM outbox ORDER BY id").splitlines() == [
        "digest:b|digest|old|a@b.example|-", "digest:c|digest|s1|a@b.example|h1",
        "digest:a|summary|s3|a@b.example c@d.example|-"]
    # A message the table refuses refuses the statement: none half enqueued.
    with pytest.raises(subprocess.CalledProcessError):
        db.psql("SET ROLE maracd; SELECT count(*) FROM outbox_enqueue_set(ARRAY['k1', 'k2'], "
                "ARRAY['digest', 'digest'], ARRAY['a@b.example', 'a b@c.example'], "
                "ARRAY['s', 's'], ARRAY['t', 't'], ARRAY['h', 'h'])")
    assert db.psql("SELECT count(*) FROM outbox") == "3"


def test_bad_recipients_are_refused_by_the_table(db):
    for recipients in ("ARRAY[]::text[]", "ARRAY['a b@c.example']",
                       "ARRAY['a@c.example>, <x@y']", "ARRAY[E'a@c.example\\r\\nBcc: x@y']"):
        with pytest.raises(subprocess.CalledProcessError):
            db.psql("SELECT outbox_enqueue('k', 'digest', %s, 's', 't')" % recipients)
    with pytest.raises(subprocess.CalledProcessError):
        db.psql("SELECT outbox_enqueue('k', 'digest', ARRAY['a@b.example'], E's\\r\\nBcc: x', 't')")
    assert db.psql("SELECT count(*) FROM outbox") == "0"


def test_two_processes_send_each_message_once(db, tmp, sinks):
    # A slow server, so that both processes are busy at the same time.
    sink = sinks(tmp / "mail", "--delay", "0.2").start()
    configure(db, sink.port)
    a = Maracd(db, tmp).start()
    b = Maracd(db, tmp).start()
    try:
        ids = enqueue_many(db, "pair:", 40)
        assert wait_for(lambda: statuses(db).get("sent") == 40, 60), a.log_text()
        assert count_ids(sink.dir, ids) == collections.Counter({i: 1 for i in ids})
        assert len(messages(sink.dir)) == 40
        assert db.psql("SELECT count(DISTINCT claimed_by), max(attempts) FROM outbox") == "2|1"
    finally:
        a.stop()
        b.stop()
    a.assert_clean_log()
    b.assert_clean_log()


def test_kill_mid_batch_then_restart_sends_each_once(db, tmp, sinks):
    """kill -9 while messages are claimed and talking to the server.

    The sink accepts 5 transactions and then holds every later MAIL FROM
    unanswered, so when maracd dies the claimed rows are all before the
    handoff: none can have been delivered, so the count is exact.  (A
    process that dies between the final dot and recording the 250 would
    resend that one message with the same Message-ID after the lease:
    RFC 1047's window, which no SMTP client can close.)
    """
    sink = sinks(tmp / "mail", "--stall-after", "5").start()
    configure(db, sink.port, concurrency=4, send_timeout=5, lease_seconds=6)
    ids = enqueue_many(db, "crash:", 20)
    m = Maracd(db, tmp).start()
    assert wait_for(lambda: statuses(db).get("sent") == 5 and
                    statuses(db).get("sending") == 4, 15), (statuses(db), m.log_text())
    m.proc.kill()
    m.proc.wait()
    assert len(messages(sink.dir)) == 5
    claimed = db.psql("SELECT id FROM outbox WHERE status = 'sending' ORDER BY id").split()
    assert len(claimed) == 4

    sink.stop()
    sink.args = []
    sink.start()            # the same port and folder, answering every time
    again = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db).get("sent") == 20, 30), again.log_text()
        assert count_ids(sink.dir, ids) == collections.Counter({i: 1 for i in ids})
        assert len(messages(sink.dir)) == 20
        # The rows the dead process held went again once their lease ran out.
        assert db.psql("SELECT array_agg(attempts ORDER BY id) FROM outbox WHERE id IN (%s)"
                       % ",".join(claimed)) == "{2,2,2,2}"
    finally:
        again.stop()
    again.assert_clean_log()


def test_sigterm_waits_for_the_message_being_sent(db, tmp, sinks):
    """A clean stop finishes and records its sends: no lease, no resend."""
    sink = sinks(tmp / "mail", "--delay", "2").start()
    configure(db, sink.port)
    ids = enqueue_many(db, "stop:", 1)
    m = Maracd(db, tmp).start()
    assert wait_for(lambda: statuses(db) == {"sending": 1}, 10), m.log_text()
    m.stop()
    assert statuses(db) == {"sent": 1}
    assert count_ids(sink.dir) == collections.Counter({ids[0]: 1})
    m.assert_clean_log()


def test_smtp_outage_messages_wait_and_go_when_it_returns(db, tmp, sinks):
    sink = sinks(tmp / "mail")          # its port is chosen but nobody listens
    configure(db, sink.port)
    ids = enqueue_many(db, "outage:", 3)
    m = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: db.psql(
            "SELECT bool_and(attempts >= 2 AND status = 'queued' AND "
            "last_error = 'smtp 0 curl 7' AND next_attempt_at > now() - interval '1 second') "
            "FROM outbox") == "t", 20), m.log_text()
        got = metrics(m)
        assert got["maracd_mail_retried_total"] >= 6
        assert got["maracd_mail_sent_total"] == 0
        assert got["maracd_mail_queue_depth"] == 3
        assert got["maracd_mail_oldest_unsent_seconds"] >= 1

        sink.start()
        assert wait_for(lambda: statuses(db) == {"sent": 3}, 20), m.log_text()
        assert count_ids(sink.dir, ids) == collections.Counter({i: 1 for i in ids})
        got = metrics(m)
        assert got["maracd_mail_sent_total"] == 3
        assert got["maracd_mail_failed_total"] == 0
        assert got["maracd_mail_queue_depth"] == 0
        assert got["maracd_mail_oldest_unsent_seconds"] == 0
    finally:
        m.stop()
    m.assert_clean_log()


def test_attempts_stop_at_max_attempts(db, tmp):
    configure(db, free_port(), max_attempts=2)
    enqueue(db, "doomed")
    m = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db) == {"failed": 1}, 20), m.log_text()
        assert db.psql("SELECT attempts, last_error FROM outbox") == "2|smtp 0 curl 7"
        assert metrics(m)["maracd_mail_failed_total"] == 1
    finally:
        m.stop()


def test_refused_recipient_fails_at_once_and_others_go(db, tmp, sinks):
    sink = sinks(tmp / "mail", "--refuse", REFUSED).start()
    configure(db, sink.port)
    enqueue(db, "good", (POLICE,))
    enqueue(db, "refused", (REFUSED,))
    # All or nothing: one refused recipient keeps the message from the
    # others too, so that no retry could ever duplicate it for them.
    enqueue(db, "mixed", (HOUSING, REFUSED))
    enqueue(db, "after", (HOUSING,))
    m = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db) == {"sent": 2, "failed": 2}, 20), m.log_text()
        rows = db.psql("SELECT key, status, attempts, last_error FROM outbox ORDER BY id")
        rows = [r.split("|") for r in rows.splitlines()]
        assert rows[0][:3] == ["good", "sent", "1"]
        assert rows[1][:3] == ["refused", "failed", "1"]
        assert rows[1][3].startswith("smtp 550 ")
        assert rows[2][:3] == ["mixed", "failed", "1"]
        assert rows[3][:3] == ["after", "sent", "1"]
        got = count_ids(sink.dir)
        assert got == collections.Counter({message_id("good"): 1, message_id("after"): 1})
        assert metrics(m)["maracd_mail_failed_total"] == 2
        assert REFUSED not in m.log_text()
    finally:
        m.stop()
    m.assert_clean_log()


def test_required_starttls_is_not_skipped(db, tmp):
    """smtp_tls = all against a server without STARTTLS: nothing is sent in clear."""
    key = "tls:%s" % db.name
    configure(db, SMTP_PORT, smtp_tls="all")
    enqueue(db, key)
    m = Maracd(db, tmp).start()
    try:
        # curl 64: CURLE_USE_SSL_FAILED; the row waits for a server that can.
        assert wait_for(lambda: db.psql("SELECT status, last_error LIKE '% curl 64' "
                                        "FROM outbox") == "queued|t", 15), m.log_text()
        assert count_ids(MAILDIR, [message_id(key)])[message_id(key)] == 0
    finally:
        m.stop()


def test_metrics_need_no_token_and_hold_no_personal_data(db, tmp):
    configure(db, free_port())
    enqueue(db, "metrics", (POLICE,), subject="Case MARAC-2026-0001")
    m = Maracd(db, tmp).start()
    try:
        r = m.request("GET", "/metrics")
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        body = r.body.decode()
        for name in ("maracd_mail_sent_total", "maracd_mail_failed_total",
                     "maracd_mail_retried_total", "maracd_mail_queue_depth",
                     "maracd_mail_oldest_unsent_seconds"):
            assert "# TYPE %s " % name in body
        assert "police" not in body and "MARAC-2026" not in body
    finally:
        m.stop()


def test_password_file_must_be_readable(db, tmp):
    configure(db, SMTP_PORT, smtp_tls="all", smtp_user="maracd",
              smtp_password_file=tmp / "absent")
    r = subprocess.run([str(BUILD / "maracd"), "-f", "-c", str(db.conf)],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1
    assert "cannot open [mail] smtp_password_file" in r.stderr


def make_cert(directory):
    """A self-signed certificate for 127.0.0.1, which maracd trusts through
    [mail] smtp_ca_file."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


def test_starttls_and_auth(db, tmp, sinks):
    cert, key = make_cert(tmp)
    sink = sinks(tmp / "mail", "--tls-cert", cert, "--tls-key", key,
                 "--auth", "maracd:s3cret pass").start()
    secret = tmp / "smtp-password"
    secret.write_text("wrong\n")
    secret.chmod(0o600)
    configure(db, sink.port, smtp_tls="all", smtp_user="maracd",
              smtp_password_file=secret, smtp_ca_file=cert)
    enqueue(db, "tls-auth")
    m = Maracd(db, tmp).start()
    try:
        # Refused credentials are temporary (ours to fix), never a send.
        assert wait_for(lambda: db.psql("SELECT status, attempts >= 1, last_error "
                                        "FROM outbox") == "queued|t|smtp 535 curl 67",
                        15), m.log_text()
        assert messages(sink.dir) == []
    finally:
        m.stop()
    secret.write_text("s3cret pass\n")
    db.psql("UPDATE outbox SET next_attempt_at = now()")
    m = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db) == {"sent": 1}, 15), m.log_text()
        (msg,) = messages(sink.dir)
        assert msg["Message-ID"] == message_id("tls-auth")
        assert msg["X-Sink-TLS"] == "yes"
        assert msg["X-Sink-Auth"] == "maracd"
        assert "s3cret" not in m.log_text()
    finally:
        m.stop()
    m.assert_clean_log()


def test_server_certificate_is_checked(db, tmp, sinks):
    """STARTTLS to a server whose certificate nobody vouches for: nothing goes."""
    cert, key = make_cert(tmp)
    sink = sinks(tmp / "mail", "--tls-cert", cert, "--tls-key", key).start()
    configure(db, sink.port, smtp_tls="all")        # no smtp_ca_file
    enqueue(db, "untrusted")
    m = Maracd(db, tmp).start()
    try:
        # curl 60: the peer's certificate cannot be verified.
        assert wait_for(lambda: db.psql("SELECT status, last_error LIKE '% curl 60' "
                                        "FROM outbox") == "queued|t", 15), m.log_text()
        assert messages(sink.dir) == []
    finally:
        m.stop()


def test_the_quarterly_report_is_mailed_once(db, tmp, sinks):
    """Two maracd processes, the report job every minute at most: the last
    quarter's report (2026Q3 on the test clock) is queued and sent once,
    with its HTML and PDF, to the configured recipients; a second
    recipient list later changes nothing."""
    sink = sinks(tmp / "mail").start()
    configure(db, sink.port)
    db.write_conf(statistics={"report_recipients": "steering@partnership.example, "
                                                   "lead@partnership.example",
                              "report_interval": "60"})
    a = Maracd(db, tmp).start()
    b = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db) == {"sent": 1}, 60), (statuses(db), a.log_text())
        time.sleep(2)
        assert statuses(db) == {"sent": 1}
        (msg,) = [x for x in messages(sink.dir)
                  if x["Message-ID"] == message_id("quarterly_report:cumbria:2026Q3")]
        assert msg["Subject"] == "Quarterly report: cumbria, 2026Q3"
        assert "steering@partnership.example" in msg["To"]
        names = sorted(p.get_filename() for p in msg.iter_attachments())
        assert names == ["report-cumbria-2026Q3.html", "report-cumbria-2026Q3.pdf"]
        assert db.psql("SELECT quarter FROM report_mailings") == "2026Q3"
    finally:
        a.stop()
        b.stop()
    a.assert_clean_log()
    b.assert_clean_log()
    # Restarted: the quarter is done.
    c = Maracd(db, tmp).start()
    try:
        time.sleep(2)
        assert db.psql("SELECT count(*) FROM outbox WHERE kind = 'quarterly_report'") == "1"
    finally:
        c.stop()
    c.assert_clean_log()

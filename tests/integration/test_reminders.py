"""Reminders: digests, overdue notices and the coordinator's summary.

Cases and actions are written with SQL as the cluster superuser (the
actions API is another slice's); maracd's reminders job and maracctl
reminders run select them, build the messages and enqueue them, and
maracd sends them to a tools/smtp-sink of the test's own, read back by
Message-ID (derived from the outbox key) as in test_mail.py.

What test_mail.py already shows for every kind of message (a process
killed mid-batch, SMTP down for a while, a refused recipient, two
processes sending) is not repeated here; these tests are about what is
enqueued, to whom, once, and what it says.
"""
import collections
import datetime
import subprocess
import time

import pytest

import conftest
from conftest import Maracd
from test_mail import (configure, count_ids, message_id, messages, metrics,
                       sinks, statuses, wait_for)  # noqa: F401 (fixture)

VICTIM = "Jane Testvictim"
PERP = "John Testperp"
COORDINATOR = "coordinator@marac.example"
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def q(s):
    return "$q$%s$q$" % s


def today(db):
    """The test clock's local date: maracd's and maracctl's today."""
    return conftest.today()


def week(d):
    y, w, _ = d.isocalendar()
    return "%04d-W%02d" % (y, w)


def case(db, ref, forum="marac", agency="police"):
    rid = db.psql(
        "INSERT INTO referrals (reference, referring_agency, received_at, received_date, "
        "area, forum, status, domestic_abuse, stalking, risk_level, lawful_basis, consent, "
        "victim_key) VALUES (%s, %s, %s, %s, 'cumbria', %s, 'listed', true, "
        "false, 'high', ARRAY['crime_and_disorder_act_s115'], 'not_sought', %s) RETURNING id"
        % (q(ref), q(agency), q(conftest.now().isoformat()), q(str(conftest.today())),
           q(forum), q("k-" + ref)))
    db.psql("INSERT INTO referral_people (referral_id, role, name) VALUES "
            "(%s, 'victim', %s), (%s, 'perpetrator', %s)" % (rid, q(VICTIM), rid, q(PERP)))
    return rid


def action(db, rid, agency, due, description="Review the safety plan", status="open"):
    return int(db.psql(
        "INSERT INTO actions (referral_id, forum, reference, agency, area, description, "
        "due, status) SELECT id, forum, reference, %s, 'victim', %s, %s::date, %s "
        "FROM referrals WHERE id = %s RETURNING id"
        % (q(agency), q(description), q(str(due)), q(status), rid)))


def reminders_conf(db, port, now, **over):
    """Digests due from 00:00 today, so that a run now sends them."""
    configure(db, port)
    settings = {"digest_day": DAYS[now.weekday()], "digest_time": "00:00:00",
                "coordinator_email": COORDINATOR, "check_interval": "1"}
    settings.update({k: str(v) for k, v in over.items()})
    db.write_conf(reminders=settings)
    db.write_conf(mail=dict(db.settings["mail"], base_url="https://maracd.example"))


def by_key(directory, key):
    found = [m for m in messages(directory) if m["Message-ID"] == message_id(key)]
    assert len(found) == 1, (key, len(found))
    return found[0]


def parts(msg):
    assert msg.get_content_type() == "multipart/mixed"
    (alt,) = msg.get_payload()
    plain, rich = alt.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert rich.get_content_type() == "text/html"
    return plain.get_content(), rich.get_content()


def no_people(msg):
    raw = msg.as_string()
    text, html = parts(msg)
    for name in (VICTIM, PERP, "Testvictim", "Testperp"):
        assert name not in raw and name not in text and name not in html


def outbox_keys(db):
    return sorted(db.psql("SELECT key FROM outbox ORDER BY key").split())


@pytest.fixture
def world(db):
    """Police: one overdue action, one due later, one completed (ignored).
    Housing: one overdue in progress.  IDVA: only completed work, so it
    hears nothing.  Victim Support: outstanding, but no reminder address."""
    now = today(db)
    a = case(db, "MARAC-2026-0001")
    b = case(db, "MASC-2026-0002", forum="masc")
    ids = {
        "police_late": action(db, a, "police", now - datetime.timedelta(days=3),
                              "Visit & check <locks>"),
        # Quotes, a backslash, a comma and braces: the batch's array literal.
        "police_later": action(db, b, "police", now + datetime.timedelta(days=10),
                               'Chase "CCTV" {x}, C:\\footage\nthen call', "in_progress"),
        "police_done": action(db, a, "police", now - datetime.timedelta(days=5),
                              "Done already", "completed"),
        "housing_late": action(db, b, "housing", now - datetime.timedelta(days=40),
                               "Target hardening", "in_progress"),
        "idva_done": action(db, a, "idva", now - datetime.timedelta(days=1),
                            "Closed", "no_longer_relevant"),
        "vs": action(db, b, "victim_support", now + datetime.timedelta(days=2), "Call"),
    }
    db.psql("UPDATE agencies SET reminder_email = NULL WHERE code = 'victim_support'")
    return now, ids


def expected_keys(now, ids):
    late = now - datetime.timedelta(days=3)
    housing = now - datetime.timedelta(days=40)
    return sorted([
        "digest:housing:%s" % week(now), "digest:police:%s" % week(now),
        "overdue:%d:%s" % (ids["housing_late"], housing),
        "overdue:%d:%s" % (ids["police_late"], late),
        "summary:%s" % week(now)])


def test_each_kind_arrives_once_with_both_parts_and_no_names(db, tmp, sinks, world):
    now, ids = world
    sink = sinks(tmp / "mail").start()
    reminders_conf(db, sink.port, now)
    m = Maracd(db, tmp).start()
    try:
        keys = expected_keys(now, ids)
        assert wait_for(lambda: statuses(db) == {"sent": 5}, 20), (statuses(db), m.log_text())
        assert outbox_keys(db) == keys
        # A few more runs of the job (every second) change nothing.
        time.sleep(2.5)
        assert outbox_keys(db) == keys
        assert count_ids(sink.dir) == collections.Counter({message_id(k): 1 for k in keys})

        wk = week(now)
        digest = by_key(sink.dir, "digest:police:%s" % wk)
        assert digest["X-Sink-Rcpt-To"] == "police@agencies.example"
        assert digest["Subject"] == "2 outstanding actions for Police (1 overdue), week %s" % wk
        text, html = parts(digest)
        assert "MARAC-2026-0001 (MARAC), due %s, 3 days overdue, open" % (
            now - datetime.timedelta(days=3)) in text
        assert "MASC-2026-0002 (MASC), due %s, in progress" % (
            now + datetime.timedelta(days=10)) in text
        assert "Visit & check <locks>" in text
        assert "Visit &amp; check &lt;locks&gt;" in html
        assert '      Chase "CCTV" {x}, C:\\footage\n      then call\n' in text
        assert "Chase &quot;CCTV&quot; {x}, C:\\footage<br>then call" in html
        assert "Done already" not in text
        assert "https://maracd.example/actions/%d" % ids["police_late"] in text
        assert ('href="https://maracd.example/actions?status=outstanding"'
                in html)
        no_people(digest)

        notice = by_key(sink.dir, "overdue:%d:%s" % (ids["housing_late"],
                                                     now - datetime.timedelta(days=40)))
        assert notice["X-Sink-Rcpt-To"] == "housing@agencies.example"
        assert notice["Subject"] == "Overdue action on MASC-2026-0002 for Housing: due %s" % (
            now - datetime.timedelta(days=40))
        text, _ = parts(notice)
        assert "It is 40 days overdue." in text and "Target hardening" in text
        no_people(notice)

        summary = by_key(sink.dir, "summary:%s" % wk)
        assert summary["X-Sink-Rcpt-To"] == COORDINATOR
        assert summary["Subject"] == "Actions summary, week %s: 4 outstanding, 2 overdue" % wk
        text, html = parts(summary)
        assert "* Police (police): 2 / 1 / 0\n" in text
        assert "* Housing (housing): 1 / 1 / 1\n" in text
        assert "* Victim Support (victim_support): 1 / 0 / 0  [no reminder address" in text
        assert "MASC-2026-0002 (MASC), housing, due %s, 40 days overdue" % (
            now - datetime.timedelta(days=40)) in text
        assert "Target hardening" not in text     # counts and references only
        no_people(summary)

        # Nobody else heard anything.
        rcpts = {x["X-Sink-Rcpt-To"] for x in messages(sink.dir)}
        assert rcpts == {"police@agencies.example", "housing@agencies.example", COORDINATOR}
        # Every action a reminder read is audited, by the job.
        assert db.psql("SELECT DISTINCT role FROM audit_log WHERE action = 'remind'") == \
            "job:reminders"
        assert db.psql("SELECT count(DISTINCT object_id) FROM audit_log "
                       "WHERE action = 'remind'") == "3"
        got = metrics(m)
        assert got['maracd_reminders_enqueued_total{kind="digest"}'] == 2
        assert got['maracd_reminders_enqueued_total{kind="overdue"}'] == 2
        assert got['maracd_reminders_enqueued_total{kind="summary"}'] == 1
        assert got["maracd_mail_failed_messages"] == 0
        log = m.log_text()
        assert "enqueued 2 digests, 2 overdue notices, 1 summaries" in log
        for secret in ("police@agencies.example", "MARAC-2026-0001", "Target hardening"):
            assert secret not in log
    finally:
        m.stop()
    m.assert_clean_log()


def test_nothing_before_the_digest_hour_but_overdue_notices(db, tmp, sinks, world):
    now, ids = world
    sink = sinks(tmp / "mail").start()
    # maracd starts at 09:00 today, local, and the digests are due at
    # 09:30 today: only the overdue notices go now.  (The digest day
    # cannot be "tomorrow": on a Sunday that is next week's, and this
    # week's digest day has passed.)
    at = datetime.datetime.combine(now, datetime.time(9, 0), tzinfo=conftest.ZONE)
    reminders_conf(db, sink.port, now, digest_time="09:30:00")
    m = Maracd(db, tmp, clock=at).start()
    try:
        assert wait_for(lambda: statuses(db) == {"sent": 2}, 20), m.log_text()
        time.sleep(2)
        assert all(k.startswith("overdue:") for k in outbox_keys(db))
        assert len(outbox_keys(db)) == 2
    finally:
        m.stop()
    m.assert_clean_log()


def test_manual_run_twice_enqueues_once_and_dry_run_nothing(db, world):
    now, ids = world
    db.write_conf(reminders={"coordinator_email": COORDINATOR, "digest_day": "sunday",
                             "digest_time": "23:59:59"})
    dry = db.ctl("reminders", "run", "--dry-run")
    lines = dry.stdout.splitlines()
    assert len(lines) == 5 and all(l.startswith("would-enqueue ") for l in lines)
    assert "would-enqueue digest digest:police:%s police@agencies.example 2 actions" % \
        week(now) in lines
    assert "5 messages would be enqueued (dry run)" in dry.stderr
    assert db.psql("SELECT count(*) FROM outbox") == "0"

    # By hand it does not wait for the digest day.
    first = db.ctl("reminders", "run")
    assert sorted(l.split()[2] for l in first.stdout.splitlines()) == expected_keys(now, ids)
    assert all(l.startswith("enqueued ") for l in first.stdout.splitlines())
    assert "5 messages enqueued" in first.stderr
    second = db.ctl("reminders", "run")
    assert second.stdout == ""
    assert "0 messages enqueued" in second.stderr
    assert outbox_keys(db) == expected_keys(now, ids)
    assert db.psql("SELECT DISTINCT role FROM audit_log WHERE action = 'remind'") == \
        "maracctl reminders"


def test_as_of_and_usage(db, world):
    now, ids = world
    # Four days ago nothing was overdue yet but housing's action.
    earlier = now - datetime.timedelta(days=4)
    out = db.ctl("reminders", "run", "--dry-run", "--as-of", str(earlier))
    keys = [l.split()[2] for l in out.stdout.splitlines()]
    assert keys == ["overdue:%d:%s" % (ids["housing_late"], now - datetime.timedelta(days=40)),
                    "digest:housing:%s" % week(earlier), "digest:police:%s" % week(earlier)]
    assert db.ctl("reminders", "run", "--as-of", "2026-02-30", check=False).returncode == 1
    assert db.ctl("reminders", "walk", check=False).returncode == 2
    assert db.ctl("reminders", "run", "--loud", check=False).returncode == 2


def test_a_moved_due_date_gives_a_new_notice_once(db, world):
    now, ids = world
    db.write_conf(reminders={"digest": "no", "summary": "no"})
    assert len(db.ctl("reminders", "run").stdout.splitlines()) == 2
    # Moved later: not overdue, nothing new.
    db.psql("UPDATE actions SET due = %s WHERE id = %d"
            % (q(str(now + datetime.timedelta(days=7))), ids["police_late"]))
    assert db.ctl("reminders", "run").stdout == ""
    # Passed again: one new notice for the new date, the old one stays.
    new_due = now - datetime.timedelta(days=1)
    db.psql("UPDATE actions SET due = %s WHERE id = %d" % (q(str(new_due)), ids["police_late"]))
    out = db.ctl("reminders", "run").stdout.split()
    assert out[:3] == ["enqueued", "overdue", "overdue:%d:%s" % (ids["police_late"], new_due)]
    assert db.ctl("reminders", "run").stdout == ""
    # Completed: never again.
    db.psql("UPDATE actions SET status = 'completed', due = %s WHERE id = %d"
            % (q(str(now - datetime.timedelta(days=2))), ids["police_late"]))
    assert db.ctl("reminders", "run").stdout == ""
    assert db.psql("SELECT count(*) FROM outbox WHERE kind = 'overdue'") == "3"


def test_personal_data_only_when_configured(db, tmp, sinks, world):
    now, ids = world
    sink = sinks(tmp / "mail").start()
    reminders_conf(db, sink.port, now, summary="no", overdue="no")
    db.write_conf(mail=dict(db.settings["mail"], personal_data="yes"))
    db.ctl("reminders", "run")
    m = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db) == {"sent": 2}, 20), m.log_text()
        text, html = parts(by_key(sink.dir, "digest:police:%s" % week(now)))
        assert "Victim: %s" % VICTIM in text and "Perpetrator: %s" % PERP in text
        assert "Victim: %s" % VICTIM in html
        assert VICTIM not in m.log_text()
    finally:
        m.stop()
    m.assert_clean_log()


def test_two_processes_enqueue_each_reminder_once(db, tmp, sinks):
    now = today(db)
    agencies = [c for c in db.ctl("agency", "list").stdout.split("\n") if c]
    codes = [line.split("\t")[0] for line in agencies]
    for i, code in enumerate(codes):
        rid = case(db, "MARAC-2026-%04d" % (100 + i))
        for k in range(5):
            action(db, rid, code, now + datetime.timedelta(days=k - 2))
    sink = sinks(tmp / "mail", "--delay", "0.05").start()
    reminders_conf(db, sink.port, now)
    a = Maracd(db, tmp).start()
    b = Maracd(db, tmp).start()
    try:
        # 8 digests, 8 x 2 overdue notices, 1 summary.
        assert wait_for(lambda: statuses(db) == {"sent": 25}, 60), (statuses(db), a.log_text())
        time.sleep(3)      # both keep running the job every second
        assert statuses(db) == {"sent": 25}
        got = count_ids(sink.dir)
        assert len(got) == 25 and set(got.values()) == {1}
        enq = [metrics(x)['maracd_reminders_enqueued_total{kind="digest"}'] for x in (a, b)]
        assert sum(enq) == 8
    finally:
        a.stop()
        b.stop()
    a.assert_clean_log()
    b.assert_clean_log()


def test_refused_digest_is_in_the_next_summary(db, tmp, sinks, world):
    now, ids = world
    sink = sinks(tmp / "mail", "--refuse", "housing@agencies.example").start()
    reminders_conf(db, sink.port, now, summary="no")
    m = Maracd(db, tmp).start()
    try:
        assert wait_for(lambda: statuses(db) == {"sent": 2, "failed": 2}, 20), m.log_text()
    finally:
        m.stop()
    # The coordinator hears of both in the week's summary...
    db.write_conf(reminders=dict(db.settings["reminders"], summary="yes"))
    assert db.ctl("reminders", "run").stdout.split()[:3] == [
        "enqueued", "summary", "summary:%s" % week(now)]
    text = db.psql("SELECT body_text FROM outbox WHERE kind = 'summary'")
    assert "Messages maracd gave up on since the last summary: 2." in text
    assert "digest:housing:%s, 1 attempt, smtp 550" % week(now) in text
    assert db.psql("SELECT subject FROM outbox WHERE kind = 'summary'").endswith(
        ", 2 messages failed")
    # ... and not again in a later one.
    later = db.ctl("reminders", "run", "--dry-run", "--as-of",
                   str(now + datetime.timedelta(days=7)))
    assert "summary:%s" % week(now + datetime.timedelta(days=7)) in later.stdout
    db.ctl("reminders", "run", "--as-of", str(now + datetime.timedelta(days=7)))
    text = db.psql("SELECT body_text FROM outbox WHERE key = 'summary:%s'"
                   % week(now + datetime.timedelta(days=7)))
    assert "Messages maracd gave up on since the last summary: 0." in text


def test_bad_reminder_settings_are_refused(db, tmp):
    for section, values, why in (
            ("reminders", {"digest_day": "mon"}, "digest_day must be a weekday"),
            ("reminders", {"digest_time": "8:00"}, "digest_time must be HH:MM:SS"),
            ("reminders", {"coordinator_email": "a@b.example, x y@c"}, "coordinator_email"),
            ("reminders", {"coordinator_email": "a@b.example,"}, "coordinator_email"),
            ("mail", {"base_url": "javascript:alert(1)"}, "base_url"),
            ("mail", {"base_url": "https://x.example/\"><script>"}, "base_url")):
        old = dict(db.settings.get(section, {}))
        db.write_conf(**{section: dict(old, **values)})
        r = subprocess.run([str(__import__("conftest").BUILD / "maracd"), "-f", "-c",
                            str(db.conf)], capture_output=True, text=True, timeout=20)
        assert r.returncode == 1 and why in r.stderr, (values, r.stderr)
        db.settings[section] = old
        db.write_conf()

"""The research reminder (#21): before a sitting's information deadline,
each invited agency that still owes a research return gets one message,
through the outbox to a real SMTP sink, at the test clock's instant.

[reminders] research_workdays (1 here, the default) says how near the
deadline must be.  A deadline further away gives nothing yet; one today
(or the next working day) gives each owing agency one message, with the
references still owing and a link, never a name; later runs, and a second
maracd process, add nothing; an agency that has returned everything, or
that has no reminder address, hears nothing; a deadline already past
gives nothing.
"""
import collections
import datetime
import time

from conftest import Maracd, today
from test_agenda import issue, no_screening_yet, refer, victims_anew  # noqa: F401
from test_mail import count_ids, message_id, messages, sinks, wait_for  # noqa: F401
from test_reminders import parts, reminders_conf

BASE = "https://maracd.example"


def research_keys(db):
    return db.psql("SELECT key FROM outbox WHERE kind = 'research' ORDER BY key").split()


def sent_research(db):
    return db.psql("SELECT count(*) FROM outbox WHERE kind = 'research' "
                   "AND status = 'sent'")


def set_due(db, sid, day):
    # The API keeps the deadline on or before the sitting; the test moves
    # it about freely relative to the clock's date.
    db.psql("UPDATE sittings SET research_due = '%s' WHERE id = %d" % (day, sid))


def test_one_reminder_per_owing_agency_before_the_deadline(db, tmp, sinks):
    sink = sinks(tmp / "mail").start()
    reminders_conf(db, sink.port, today(),
                   research_workdays=1)
    db.psql("UPDATE agencies SET reminder_email = NULL WHERE code = 'victim_support'")
    a = Maracd(db, tmp).start()
    b = None
    try:
        admin = db.token("admin")
        x = refer(a, db, "police")
        y = refer(a, db, "housing")
        sid = x["sitting"]["id"]
        assert y["sitting"]["id"] == sid
        assert issue(a, admin, sid).status == 201
        police = db.token("agency", agency="police")
        housing = db.token("agency", agency="housing")
        for rid in (x["id"], y["id"]):
            r = a.request("PUT", "/v1/sittings/%d/research/%d" % (sid, rid),
                          body={"nothing_known": True}, token=police)
            assert r.status == 200, r.body
        r = a.request("PUT", "/v1/sittings/%d/research/%d" % (sid, x["id"]),
                      body={"text": "One call-out."}, token=housing)
        assert r.status == 200, r.body
        invited = a.request("GET", "/v1/sittings/%d/research" % sid,
                            token=admin).json()["invited"]
        assert "housing" in invited and "police" in invited and "idva" in invited

        # A week away: not yet.  Yesterday: too late, nothing.
        d = today()
        set_due(db, sid, d + datetime.timedelta(days=7))
        time.sleep(2.5)
        assert research_keys(db) == []
        set_due(db, sid, d - datetime.timedelta(days=1))
        time.sleep(2.5)
        assert research_keys(db) == []

        # Today: every invited agency owing a return, once; a second
        # process runs the same job meanwhile.
        b = Maracd(db, tmp).start()
        set_due(db, sid, d)
        owing = sorted(i for i in invited if i not in ("police", "victim_support"))
        keys = sorted("research:%d:%s:%s" % (sid, i, d) for i in owing)
        assert wait_for(lambda: research_keys(db) == keys, 20), (research_keys(db), keys)
        assert wait_for(lambda: sent_research(db) == str(len(keys)), 20), a.log_text()
        time.sleep(2.5)
        assert research_keys(db) == keys
        ids = [message_id(k) for k in keys]
        assert count_ids(sink.dir, ids) == collections.Counter({i: 1 for i in ids})

        msg = [m for m in messages(sink.dir)
               if m["Message-ID"] == message_id("research:%d:housing:%s" % (sid, d))][0]
        assert msg["X-Sink-Rcpt-To"] == "housing@agencies.example"
        assert msg["Subject"] == "Research due %s: 1 case for the MARAC of %s" % (
            d, x["sitting"]["date"])
        text, html = parts(msg)
        assert y["reference"] in text and x["reference"] not in text
        assert "%s/research/%d" % (BASE, sid) in text
        assert 'href="%s/research/%d"' % (BASE, sid) in html
        idva = [m for m in messages(sink.dir)
                if m["Message-ID"] == message_id("research:%d:idva:%s" % (sid, d))][0]
        text, _ = parts(idva)
        assert x["reference"] in text and y["reference"] in text
        for m in messages(sink.dir):
            raw = m.as_string()
            assert "Jane Doe" not in raw and "Doe" not in raw and "One call-out" not in raw
        # The references a reminder read are audited, by the job.
        assert db.psql("SELECT DISTINCT role FROM audit_log WHERE action = 'remind' "
                       "AND object_type = 'referral'") == "job:research_reminders"
    finally:
        if b is not None:
            b.stop()
        a.stop()
    a.assert_clean_log()

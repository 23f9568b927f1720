"""The mail that could not be delivered, on the coordinator's dashboard
(#21): an urgent referral's alert to the police, refused by the mail
server (550, a permanent failure), is given up on at once; the
coordinator of the case's area sees it on GET /v1/dashboard and on
/dashboard (what it was, the agency, the case, never an address), and a
coordinator of another area sees nothing of it."""
import json

from conftest import wait_for
from test_accounts import accounts_conf, start_maracd
from test_agenda import refer, victims_anew  # noqa: F401 (each test starts at 1990-02-01)
from test_mail import configure, sinks  # noqa: F401 (the fixture)
from test_web_pages import assert_page, enrol_by_forms, invite

REFUSED = "police@agencies.example"     # the police's address (conftest's agencies)


def failed(db):
    return db.psql("SELECT kind, last_error FROM outbox WHERE status = 'failed'")


def test_undelivered_mail_is_on_the_dashboard_of_its_area_only(db, tmp, sinks):
    sink = sinks(tmp / "mail", "--refuse", REFUSED).start()
    accounts_conf(db)
    configure(db, sink.port)
    m = start_maracd(db, tmp)
    try:
        admin = db.token("admin")
        r = m.request("GET", "/v1/dashboard", token=admin)
        assert r.status == 200, r.body
        assert r.json()["mail_failed"] == {"count": 0, "messages": []}

        case = refer(m, db, "idva", urgent=True)
        # The alerts to the other core agencies go; the police's is refused.
        assert wait_for(lambda: failed(db) != "", 20), m.log_text()
        assert failed(db).startswith("urgent|smtp 550"), failed(db)

        doc = m.request("GET", "/v1/dashboard", token=admin).json()
        assert doc["mail_failed"]["count"] == 1, doc["mail_failed"]
        [msg] = doc["mail_failed"]["messages"]
        assert msg["kind"] == "urgent"
        assert msg["agency"] == {"code": "police", "name": "Police"}
        assert msg["reference"] == case["reference"]
        assert msg["sitting"] is None and msg["failed_at"]
        # Codes and references only: no address, subject or text.
        text = json.dumps(doc["mail_failed"])
        assert "@" not in text and "URGENT" not in text

        # The coordinator of another area: nothing of it.
        other = db.token("coordinator", areas="eden")
        doc = m.request("GET", "/v1/dashboard", token=other).json()
        assert doc["mail_failed"] == {"count": 0, "messages": []}
        # The area's own coordinator sees it.
        own = db.token("coordinator", areas="cumbria")
        assert m.request("GET", "/v1/dashboard", token=own).json()["mail_failed"]["count"] == 1
        # Nobody else reads it.
        r = m.request("GET", "/v1/dashboard", token=db.token("agency", agency="police"))
        assert r.status == 403

        # The page: a line for the message, in words, and what to do.
        w, _, _ = enrol_by_forms(m, invite(db, "coord@council.example", "--role", "admin",
                                           "--print-link"))
        p = w.get("/dashboard")
        assert_page(p, title="Dashboard")
        assert 'id="mail-failed"' in p.text
        assert "1 message could not be delivered." in p.text
        assert "The urgent referral alert to Police about %s" % case["reference"] in p.text
        assert "Tell each agency named by phone or secure email" in p.text
        assert "Nothing needs your attention." not in p.text
        assert REFUSED not in p.text
        m.assert_clean_log()
    finally:
        m.stop()

"""One case per victim per sitting (linked referrals, unlinking), transfers
that are complete moves, through HTTP and the CSV import."""
import datetime
import time

import pytest

from conftest import now, today
from referrals import heard_at, referral, stalking
from test_import import cells, post_csv, to_csv


@pytest.fixture
def t(db, maracd):
    tokens = {
        "admin": db.token("admin"),
        "police": db.token("agency", agency="police"),
        "idva": db.token("agency", agency="idva"),
        "chair": db.token("chair", forum="marac"),
        "masc_chair": db.token("chair", forum="masc"),
    }
    # The sittings job runs as maracd starts; cases need their sittings.
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(*) FROM sittings WHERE forum = 'masc'") in ("0", "1"):
        assert time.monotonic() < deadline, maracd.log_text()
        time.sleep(0.05)
    return tokens


# Dates relative to the test clock: CI runs this suite at several instants.
def days_ago(n):
    return (today() - datetime.timedelta(days=n)).isoformat()


# Jane Doe's earlier MARAC case: referred half a year ago, heard nine days on.
EARLIER_RECEIVED = days_ago(190) + "T10:00:00Z"
EARLIER_HEARD = days_ago(181)


def this_month():
    """The statistics query for the month so far: referrals received now."""
    return "/v1/statistics?from=%s&to=%s" % (today().replace(day=1).isoformat(),
                                              today().isoformat())


def post(m, token, body):
    return m.request("POST", "/v1/referrals", body=body, token=token)


def waiting_repeat_case(db, m, t):
    """Jane Doe heard at MARAC in June, referred again now at standard risk
    (a repeat, so MARAC): a case waiting for its sitting."""
    first = post(m, t["admin"], referral(dash_yes=15, received_at=EARLIER_RECEIVED))
    assert first.status == 201, first.body
    heard_at(db, first.json()["id"], EARLIER_HEARD)
    r = post(m, t["police"], referral(dash_yes=2))
    assert r.status == 201, r.body
    case = r.json()
    assert case["status"] == "listed" and case["repeat"] is True
    assert case["risk"]["level"] == "standard" and case["sitting"] is not None
    return case


def test_second_referral_is_linked_to_the_waiting_case(db, maracd, t):
    m = maracd
    case = waiting_repeat_case(db, m, t)
    sid = case["sitting"]["id"]
    # The IDVA refers the same victim (her name written differently) at
    # high risk while the case waits: linked, not a second case.
    r = post(m, t["idva"], referral(dash_yes=15, referring_agency="idva",
                                    referrer={"name": "IDVA Jones"},
                                    victim={"name": " jane  DOE ", "dob": "1990-02-01"}))
    assert r.status == 201, r.body
    linked = r.json()
    assert linked["status"] == "linked" and linked["forum"] == "marac"
    assert linked["repeat"] is False and linked["sitting"] is None
    assert linked["linked_to"] == {"id": case["id"], "reference": case["reference"],
                                   "sitting": case["sitting"]}
    assert "Jane" not in r.body.decode() and "Doe" not in r.body.decode()
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'link' AND object_id = "
                   "'%d>%d'" % (linked["id"], case["id"])) == "1"
    # The referrer reads it back the same way, though the case is police's.
    got = m.request("GET", "/v1/referrals/%d" % linked["id"], token=t["idva"]).json()
    assert got["linked_to"]["reference"] == case["reference"]
    assert m.request("GET", "/v1/referrals/%d" % case["id"], token=t["idva"]).status == 404
    got = m.request("GET", "/v1/referrals/%d" % case["id"], token=t["admin"]).json()
    assert [x["reference"] for x in got["linked"]] == [linked["reference"]]

    # One entry on the agenda: both agencies, both assessments, the higher
    # risk governing.
    a = m.request("GET", "/v1/sittings/%d/agenda" % sid, token=t["chair"])
    assert a.status == 200, a.body
    agenda = a.json()
    entries = [c for g in agenda["groups"] for c in g["cases"]]
    assert agenda["case_count"] == 1 and len(entries) == 1
    e = entries[0]
    assert e["reference"] == case["reference"] and e["risk"]["level"] == "high"
    assert e["own_level"] == "standard"
    assert e["linked"][0]["reference"] == linked["reference"]
    assert e["linked"][0]["agency"] == "idva" and e["linked"][0]["risk"]["level"] == "high"
    assert e["linked"][0]["officer"] == "IDVA Jones"
    assert "Jane" not in a.body.decode()

    # Figures count one case, and the linked referral is no repeat there.
    s = m.request("GET", this_month(),
                  token=t["admin"]).json()["referrals"]
    assert s["total"] == 1 and s["linked"] == 1 and s["repeat"] == 1
    assert s["by_forum"] == {"marac": 1} and s["by_risk"] == {"high": 1}
    assert s["by_agency"] == {"police": 1}

    # It is on the coordinator's list, to confirm or undo.
    items = m.request("GET", "/v1/attention", token=t["admin"]).json()["items"]
    assert [(i["kind"], i["referral"]["id"], i["case"]["reference"]) for i in items] == \
        [("referral_linked", linked["id"], case["reference"])]

    # The coordinator unlinks it: its own case at the sitting it qualifies
    # for, a repeat by the intake's rule (the same victim referred to
    # MARAC earlier today).
    assert m.request("DELETE", "/v1/referrals/%d/link" % linked["id"],
                     token=t["idva"]).status == 403
    r = m.request("DELETE", "/v1/referrals/%d/link" % linked["id"], token=t["admin"])
    assert r.status == 200, r.body
    own = r.json()
    assert own["status"] == "listed" and own["repeat"] is True
    assert own["sitting"]["id"] == sid and "linked_to" not in own
    assert own["unlinked_from"]["reference"] == case["reference"]
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'unlink'") == "1"
    assert m.request("DELETE", "/v1/referrals/%d/link" % linked["id"],
                     token=t["admin"]).status == 409
    assert m.request("GET", "/v1/attention", token=t["admin"]).json() == {"items": []}
    agenda = m.request("GET", "/v1/sittings/%d/agenda" % sid, token=t["chair"]).json()
    assert agenda["case_count"] == 2
    assert all("linked" not in c for g in agenda["groups"] for c in g["cases"])
    s = m.request("GET", this_month(),
                  token=t["admin"]).json()["referrals"]
    assert s["total"] == 2 and s["linked"] == 0 and s["repeat"] == 2


def test_no_link_once_heard_or_elsewhere(db, maracd, t):
    m = maracd
    first = post(m, t["police"], referral(dash_yes=15)).json()
    # Another forum, or another victim: no link.
    assert post(m, t["police"], stalking(victim={"name": "Jane Doe", "dob": "1990-02-01"})
                ).json()["status"] == "listed"
    other = post(m, t["police"], referral(victim={"name": "Mary Roe", "dob": "1980-01-01"}))
    assert other.json()["status"] == "listed"
    # Heard already (its sitting is past): a new case, a repeat.
    heard_at(db, first["id"], days_ago(8))
    again = post(m, t["idva"], referral(referring_agency="idva")).json()
    assert again["status"] == "listed" and again["repeat"] is True
    assert "linked_to" not in again


def test_import_links_too(db, maracd, t):
    m = maracd
    case = waiting_repeat_case(db, m, t)
    r = post_csv(m, t["admin"], to_csv([cells(referral(referring_agency="idva"))]))
    assert r.status == 200, r.body
    row = r.json()["results"][0]
    assert row["status"] == "created"
    got = m.request("GET", "/v1/referrals/%d" % row["id"], token=t["admin"]).json()
    assert got["status"] == "linked" and got["repeat"] is False
    assert got["linked_to"]["reference"] == case["reference"]


def test_transfer_is_a_complete_move(db, maracd, t):
    m = maracd
    # Jane Doe was referred to MARAC in June (heard then); now an urgent
    # stalking referral goes to MASC.
    first = post(m, t["admin"], referral(dash_yes=15, received_at=EARLIER_RECEIVED))
    heard_at(db, first.json()["id"], EARLIER_HEARD)
    body = stalking(urgent=True)
    old = post(m, t["police"], body).json()
    assert old["forum"] == "masc" and old["reference"].startswith("MASC-")
    assert old["repeat"] is False
    marac_alerts = "SELECT count(*) FROM outbox WHERE kind = 'urgent' AND subject LIKE 'URGENT MARAC%'"
    assert db.psql(marac_alerts) == "0"

    # DA context found: the coordinator moves it to MARAC.
    r = m.request("POST", "/v1/referrals/%d/transfer" % old["id"], token=t["admin"],
                  body={"forum": "marac", "reason": "DA context found"})
    assert r.status == 200, r.body
    new = r.json()
    assert new["id"] != old["id"] and new["status"] == "listed" and new["forum"] == "marac"
    # A reference of MARAC's series; the old one is kept in the answer.
    assert new["reference"].startswith("MARAC-%d-" % today().year)
    assert new["transferred_from"] == {"id": old["id"], "reference": old["reference"],
                                       "forum": "masc"}
    # MARAC's repeat rule: referred to MARAC within the 12 months before.
    assert new["repeat"] is True
    # The sitting the normal assignment gives it: MARAC's next one.
    want = db.psql("SELECT id FROM sittings WHERE forum = 'marac' AND status = 'scheduled' "
                   "AND cutoff_at >= '%s' ORDER BY date, id LIMIT 1" % now().isoformat())
    assert new["sitting"]["id"] == int(want) and new["sitting"]["forum"] == "marac"
    # MARAC's core agencies are alerted: it is urgent.
    assert int(db.psql(marac_alerts)) > 0
    alert = db.psql("SELECT body_text FROM outbox WHERE kind = 'urgent' AND subject "
                    "LIKE 'URGENT MARAC%' LIMIT 1")
    assert new["reference"] in alert and "Jane" not in alert

    # The old forum's record: transferred, off its sitting, pointing on.
    was = m.request("GET", "/v1/referrals/%d" % old["id"], token=t["admin"]).json()
    assert was["status"] == "transferred" and was["sitting"] is None
    assert was["forum"] == "masc" and was["transferred_to"]["id"] == new["id"]
    assert was["transferred_to"]["reference"] == new["reference"]
    # The new record carries the history with both references, and the
    # people: the MARAC chair sees it, the MASC chair the old record.
    got = m.request("GET", "/v1/referrals/%d" % new["id"], token=t["chair"]).json()
    assert got["victim"]["name"] == "Jane Doe"
    assert got["transfers"] == [{"from": "masc", "to": "marac",
                                 "from_reference": old["reference"],
                                 "to_reference": new["reference"],
                                 "reason": "DA context found", "at": got["transfers"][0]["at"]}]
    assert m.request("GET", "/v1/referrals/%d" % old["id"], token=t["masc_chair"]).status == 200
    assert m.request("GET", "/v1/referrals/%d" % new["id"], token=t["masc_chair"]).status == 404
    # The referrer's resend finds the case where it is now.
    again = post(m, t["police"], body)
    assert again.status == 200 and again.json()["id"] == new["id"]
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'transfer' "
                   "AND object_id = '%d>%d'" % (old["id"], new["id"])) == "1"

    # Figures: one case, one transfer.
    s = m.request("GET", this_month(),
                  token=t["admin"]).json()["referrals"]
    assert s["total"] == 1 and s["by_forum"] == {"marac": 1}
    assert s["transferred"] == 1 and s["transfers"] == {"masc_to_marac": 1}

    # The old record is not moved again; the case cannot move to where it is.
    r = m.request("POST", "/v1/referrals/%d/transfer" % old["id"], token=t["admin"],
                  body={"forum": "marac", "reason": "again"})
    assert r.status == 409
    r = m.request("POST", "/v1/referrals/%d/transfer" % new["id"], token=t["admin"],
                  body={"forum": "marac", "reason": "again"})
    assert r.status == 422 and r.json()["fields"][0]["field"] == "forum"
    # Back to MASC: MASC's series, never a repeat there.
    r = m.request("POST", "/v1/referrals/%d/transfer" % new["id"], token=t["admin"],
                  body={"forum": "masc", "reason": "no DA after all"})
    assert r.status == 200, r.body
    assert r.json()["reference"].startswith("MASC-") and r.json()["repeat"] is False
    assert r.json()["reference"] != old["reference"]
    got = m.request("GET", "/v1/referrals/%d" % r.json()["id"], token=t["admin"]).json()
    assert [x["to_reference"] for x in got["transfers"]] == [new["reference"],
                                                             r.json()["reference"]]


def test_linked_cases_do_not_transfer(db, maracd, t):
    m = maracd
    case = waiting_repeat_case(db, m, t)
    linked = post(m, t["idva"], referral(referring_agency="idva")).json()
    assert linked["status"] == "linked"
    for rid in (case["id"], linked["id"]):
        r = m.request("POST", "/v1/referrals/%d/transfer" % rid, token=t["admin"],
                      body={"forum": "masc", "reason": "x"})
        assert r.status == 409 and r.json()["error"] == "linked", r.body


def test_issued_agenda_invites_the_linked_referrer(db, maracd, t):
    m = maracd
    case = waiting_repeat_case(db, m, t)
    vs = db.token("agency", agency="victim_support")
    linked = post(m, vs, referral(referring_agency="victim_support")).json()
    assert linked["status"] == "linked"
    sid = case["sitting"]["id"]
    r = m.request("POST", "/v1/sittings/%d/agenda/issue" % sid, token=t["admin"])
    assert r.status == 201, r.body
    # Not a MARAC core agency: invited because it referred the case too.
    assert "victim_support" in r.json()["invited"]
    got = m.request("GET", "/v1/sittings/%d/agenda" % sid, token=vs)
    assert got.status == 200, got.body
    e = [c for g in got.json()["groups"] for c in g["cases"]]
    assert [x["reference"] for x in e[0]["linked"]] == [linked["reference"]]


def test_urgent_linked_referral_alerts_for_the_case(db, maracd, t):
    m = maracd
    case = waiting_repeat_case(db, m, t)
    linked = post(m, t["idva"], referral(referring_agency="idva", urgent=True)).json()
    assert linked["status"] == "linked"
    body = db.psql("SELECT body_text FROM outbox WHERE kind = 'urgent' AND key LIKE "
                   "'urgent:%s:%%' LIMIT 1" % linked["reference"])
    assert "Linked to the waiting case: %s" % case["reference"] in body
    assert "to be listed" not in body and "Jane" not in body

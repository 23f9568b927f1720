"""Decisions, minutes and actions through HTTP: the full cycle of a case at
a sitting, who may do what (row-level security), sign-off and amendment,
reviews of earlier actions, the overdue view and the DRIVE feedback mail."""
import datetime
import re
import subprocess
import time

import pytest

from referrals import referral


@pytest.fixture
def cycle(db, maracd):
    """A MARAC case listed at its sitting, and the tokens of everyone."""
    t = {
        "admin": db.token("admin"),
        "chair": db.token("chair", forum="marac"),
        "masc_chair": db.token("chair", forum="masc"),
        "police": db.token("agency", agency="police"),
        "housing": db.token("agency", agency="housing"),
    }
    # The sittings job runs as maracd starts; the case needs its sittings.
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(*) FROM sittings WHERE forum = 'marac'") in ("0", "1"):
        assert time.monotonic() < deadline, maracd.log_text()
        time.sleep(0.05)
    r = maracd.request("POST", "/v1/referrals", referral(), token=t["police"])
    assert r.status == 201, r.body
    case = r.json()
    assert case["forum"] == "marac" and case["sitting"] is not None
    t["rid"] = case["id"]
    t["sid"] = case["sitting"]["id"]
    t["date"] = case["sitting"]["date"]
    t["ref"] = case["reference"]
    return t


def decision_path(c, sid=None):
    return "/v1/sittings/%d/cases/%d/decision" % (sid or c["sid"], c["rid"])


DECISION = {
    "attendees": ["police", "probation", "idva"],
    "areas": {"victim": "IDVA to offer safety planning",
              "offender": "Police to consider a DVPN"},
    "outcome": "Actions agreed",
    "drive_increases_risk": False,
}


def add_action(m, c, agency, area, text, due=None, token=None):
    body = {"agency": agency, "area": area, "description": text}
    if due:
        body["due"] = due
    r = m.request("POST", "/v1/referrals/%d/actions" % c["rid"], body,
                  token=token or c["chair"])
    assert r.status == 201, r.body
    return r.json()


def later(date, days):
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=days)).isoformat()


def test_full_cycle(db, maracd, cycle, tmp):
    m, c = maracd, cycle
    # The chair records the decision; GET shows it with its lawful basis.
    r = m.request("PUT", decision_path(c), DECISION, token=c["chair"])
    assert r.status == 200, r.body
    d = r.json()
    assert d["decision"]["areas"]["offender"] == "Police to consider a DVPN"
    assert d["decision"]["signed_off"] is False
    assert d["lawful_basis"] == ["crime_and_disorder_act_s115"]
    assert d["decision"]["lawful_basis"] == ["crime_and_disorder_act_s115"]

    # Three actions for two agencies; one takes the default due date (the
    # forum's next sitting after this one).
    a1 = add_action(m, c, "police", "offender", "Consider a DVPN", later(c["date"], 7))
    a2 = add_action(m, c, "police", "location", "Fit a panic alarm", later(c["date"], 21))
    a3 = add_action(m, c, "housing", "victim", "Check the tenancy")
    next_sitting = db.psql("SELECT min(date) FROM sittings WHERE forum = 'marac' "
                           "AND status = 'scheduled' AND date > '%s'" % c["date"])
    assert a3["due"] == next_sitting
    assert a1["history"][0]["field"] == "created" and a1["status"] == "open"
    assert a1["reference"] == c["ref"]

    # Each agency sees its own actions only, whoever referred the case.
    r = m.request("GET", "/v1/actions", token=c["police"])
    assert sorted(a["id"] for a in r.json()["actions"]) == [a1["id"], a2["id"]]
    r = m.request("GET", "/v1/actions", token=c["housing"])
    assert [a["id"] for a in r.json()["actions"]] == [a3["id"]]
    r = m.request("GET", "/v1/actions?agency=housing", token=c["police"])
    assert r.json()["actions"] == []

    # Police closes its action: a note is required, then it is history.
    r = m.request("PATCH", "/v1/actions/%d" % a1["id"], {"status": "completed"},
                  token=c["police"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "note"
    r = m.request("PATCH", "/v1/actions/%d" % a1["id"],
                  {"status": "completed", "note": "DVPN served"}, token=c["police"])
    assert r.status == 200, r.body
    h = r.json()["history"]
    assert [x["field"] for x in h] == ["created", "status"]
    assert h[1]["from"] == "open" and h[1]["to"] == "completed"
    assert h[1]["note"] == "DVPN served" and h[1]["agency"] == "police"

    # ... and cannot touch housing's (existence does not leak), nor move
    # its own due date.
    r = m.request("PATCH", "/v1/actions/%d" % a3["id"],
                  {"status": "completed", "note": "x"}, token=c["police"])
    assert r.status == 404
    r = m.request("GET", "/v1/actions/%d" % a3["id"], token=c["police"])
    assert r.status == 404
    r = m.request("PATCH", "/v1/actions/%d" % a2["id"], {"due": "2099-01-01"},
                  token=c["police"])
    assert r.status == 403
    assert db.psql("SELECT due FROM actions WHERE id = %d" % a2["id"]) == a2["due"]
    # Not even by going round the API: the database refuses it.
    out = db.psql("SET ROLE maracd; SELECT count(*) FROM actions")
    assert out.splitlines()[-1] == "0"

    # Overdue on a given date: outstanding and due before it.
    as_of = later(a2["due"], 1)
    r = m.request("GET", "/v1/actions?status=overdue&as_of=" + as_of, token=c["admin"])
    ids = sorted(a["id"] for a in r.json()["actions"])
    expect = sorted(x["id"] for x in (a2, a3) if x["due"] < as_of)
    assert ids == expect and a2["id"] in ids
    assert all(a["overdue"] for a in r.json()["actions"])
    r = m.request("GET", "/v1/actions?status=overdue&as_of=" + a2["due"], token=c["admin"])
    assert a2["id"] not in [a["id"] for a in r.json()["actions"]]
    r = m.request("GET", "/v1/actions?status=outstanding&referral=%d" % c["rid"],
                  token=c["chair"])
    assert sorted(a["id"] for a in r.json()["actions"]) == sorted([a2["id"], a3["id"]])

    # Sign-off freezes version 1; a change is then an amendment with reason.
    r = m.request("POST", decision_path(c) + "/sign-off", token=c["chair"])
    assert r.status == 200 and r.json()["signed_off"] is True
    assert m.request("POST", decision_path(c) + "/sign-off", token=c["chair"]).status == 409
    changed = dict(DECISION, outcome="Actions agreed; review in four weeks")
    r = m.request("PUT", decision_path(c), changed, token=c["chair"])
    assert r.status == 409 and r.json()["fields"][0]["field"] == "amendment_reason"
    r = m.request("PUT", decision_path(c), dict(changed, amendment_reason="Review date agreed"),
                  token=c["chair"])
    assert r.status == 200, r.body
    d = r.json()["decision"]
    assert d["version"] == 2 and d["signed_off"] is True
    assert [(a["version"], a["reason"]) for a in d["amendments"]] == [
        (1, None), (2, "Review date agreed")]
    assert d["amendments"][0]["content"]["outcome"] == "Actions agreed"
    assert d["amendments"][1]["content"]["outcome"].endswith("four weeks")

    # The chair exports the record in every format: each carries the hash
    # of the canonical JSON, and the PDF's text has it and every action.
    path = "/v1/sittings/%d/record?format=" % c["sid"]
    r = m.request("GET", path + "json", token=c["chair"])
    assert r.status == 200, r.body
    sha = r.json()["sha256"]
    assert re.fullmatch("[0-9a-f]{64}", sha)
    for fmt in ("html", "csv", "pdf"):
        r = m.request("GET", path + fmt, token=c["chair"])
        assert r.status == 200 and r.headers["X-Record-SHA256"] == sha, fmt
    pdf = tmp / "record.pdf"
    pdf.write_bytes(r.body)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert sha in text.replace(" ", "").replace("\n", "")
    flat = " ".join(text.split())
    for a in (a1, a2, a3):
        assert a["description"] in flat, a["description"]
    assert "Review date agreed" in flat and "Jane" not in flat
    assert m.request("GET", path + "pdf", token=c["police"]).status == 403

    # Every step was audited, by id.
    n = db.psql("SELECT count(*) FROM audit_log WHERE object_type IN "
                "('decision', 'action') AND action IN ('create', 'update', "
                "'sign_off', 'amend')")
    # decision: create, sign_off, amend; actions: three creates, one update
    assert int(n) == 7


def test_roles_and_forums(maracd, cycle):
    m, c = maracd, cycle
    assert m.request("PUT", decision_path(c), DECISION, token=c["police"]).status == 403
    assert m.request("GET", decision_path(c), token=c["police"]).status == 403
    assert m.request("POST", "/v1/referrals/%d/actions" % c["rid"],
                     {"agency": "police", "area": "victim", "description": "x"},
                     token=c["police"]).status == 403
    # Another forum's chair: the case does not exist for them.
    assert m.request("PUT", decision_path(c), DECISION, token=c["masc_chair"]).status == 404
    assert m.request("GET", decision_path(c), token=c["masc_chair"]).status == 404
    assert m.request("POST", "/v1/referrals/%d/actions" % c["rid"],
                     {"agency": "police", "area": "victim", "description": "x"},
                     token=c["masc_chair"]).status == 404
    assert m.request("GET", "/v1/sittings/%d/minutes" % c["sid"],
                     token=c["masc_chair"]).status == 404
    # The admin may do it all.
    assert m.request("PUT", decision_path(c), DECISION, token=c["admin"]).status == 200


def test_bad_input_names_the_field(db, maracd, cycle):
    m, c = maracd, cycle
    r = m.request("PUT", decision_path(c), {"areas": {"garden": "x"},
                  "attendees": ["police", "nobody"]}, token=c["chair"])
    assert r.status == 422
    assert [f["field"] for f in r.json()["fields"]] == ["areas.garden"]
    r = m.request("PUT", decision_path(c), {"attendees": ["nobody"]}, token=c["chair"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "attendees"
    r = m.request("PUT", decision_path(c), "{not json", token=c["chair"],
                  headers={"Content-Type": "application/json"})
    assert r.status == 400
    r = m.request("POST", "/v1/referrals/%d/actions" % c["rid"],
                  {"agency": "nobody", "area": "victim", "description": "x"}, token=c["chair"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "agency"
    r = m.request("POST", "/v1/referrals/%d/actions" % c["rid"],
                  {"agency": "police", "area": "victim", "description": "x",
                   "due": "2020-01-01"}, token=c["chair"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "due"
    r = m.request("GET", "/v1/actions?status=late", token=c["admin"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "status"
    # A case not heard at a sitting has no decision there.
    other = db.psql("SELECT id FROM sittings WHERE forum = 'masc' LIMIT 1")
    r = m.request("PUT", decision_path(c, int(other)), {}, token=c["admin"])
    assert r.status == 409
    # Nothing of the refused requests was written.
    assert db.psql("SELECT count(*) FROM decisions") == "0"
    assert db.psql("SELECT count(*) FROM actions") == "0"


def test_returning_case_reviews_earlier_actions(db, maracd, cycle):
    m, c = maracd, cycle
    assert m.request("PUT", decision_path(c), DECISION, token=c["chair"]).status == 200
    done = add_action(m, c, "police", "offender", "Consider a DVPN")
    missed = add_action(m, c, "housing", "victim", "Check the tenancy")
    moved = add_action(m, c, "police", "location", "Fit a panic alarm")
    # The case comes back at the next sitting.
    nxt = int(db.psql("SELECT id FROM sittings WHERE forum = 'marac' AND status = "
                      "'scheduled' AND date > '%s' ORDER BY date LIMIT 1" % c["date"]))
    r = m.request("GET", decision_path(c, nxt), token=c["chair"])
    assert r.status == 200, r.body
    earlier = r.json()["earlier_actions"]
    assert sorted(a["id"] for a in earlier) == sorted([done["id"], missed["id"], moved["id"]])
    body = dict(DECISION, reviews=[
        {"action": done["id"], "result": "completed"},
        {"action": missed["id"], "result": "not_undertaken", "note": "no contact made"},
        {"action": moved["id"], "result": "change_in_circumstance",
         "note": "victim moved out of area"}])
    r = m.request("PUT", decision_path(c, nxt), body, token=c["chair"])
    assert r.status == 200, r.body
    status = dict(line.split("|") for line in db.psql(
        "SELECT id, status FROM actions").splitlines())
    assert status[str(done["id"])] == "completed"
    assert status[str(missed["id"])] == "open"      # still chased
    assert status[str(moved["id"])] == "no_longer_relevant"
    left = r.json()["earlier_actions"]
    assert [(a["id"], a["review"]["result"]) for a in left] == [
        (missed["id"], "not_undertaken")]
    assert db.psql("SELECT count(*) FROM action_reviews WHERE result = 'not_undertaken'") == "1"
    # A review naming an action the case does not have names the field.
    r = m.request("PUT", decision_path(c, nxt), dict(DECISION, reviews=[
        {"action": 999999, "result": "completed"}]), token=c["chair"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "reviews[0].action"


def test_reviews_settle_only_this_cases_actions(db, maracd, cycle):
    """The chair sees every case of the forum: a decision's reviews[] may
    still settle only the actions of its own case (and of the same
    victim's earlier cases), never another case's."""
    m, c = maracd, cycle
    other = m.request("POST", "/v1/referrals", referral(
        victim={"name": "Mary Roe", "dob": "1980-01-01"}), token=c["police"]).json()
    assert other["sitting"]["id"] == c["sid"]
    assert m.request("PUT", decision_path(c), DECISION, token=c["chair"]).status == 200
    mine = add_action(m, c, "police", "offender", "Consider a DVPN")
    theirs = add_action(m, dict(c, rid=other["id"]), "housing", "victim",
                        "Check the tenancy")
    nxt = int(db.psql("SELECT id FROM sittings WHERE forum = 'marac' AND status = "
                      "'scheduled' AND date > '%s' ORDER BY date LIMIT 1" % c["date"]))
    r = m.request("PUT", decision_path(c, nxt), dict(DECISION, reviews=[
        {"action": mine["id"], "result": "completed"},
        {"action": theirs["id"], "result": "completed"}]), token=c["chair"])
    assert r.status == 422, r.body
    assert r.json()["fields"] == [{"field": "reviews[1].action",
                                   "reason": "is not an action of this case you can see"}]
    # Nothing of it was written.
    assert db.psql("SELECT string_agg(status, ',' ORDER BY id) FROM actions") == "open,open"
    assert db.psql("SELECT count(*) FROM action_reviews") == "0"
    assert db.psql("SELECT count(*) FROM decisions WHERE sitting_id = %d" % nxt) == "0"
    # Its own action alone goes through.
    r = m.request("PUT", decision_path(c, nxt), dict(DECISION, reviews=[
        {"action": mine["id"], "result": "completed"}]), token=c["chair"])
    assert r.status == 200, r.body


def test_minutes(maracd, cycle):
    m, c = maracd, cycle
    path = "/v1/sittings/%d/minutes" % c["sid"]
    body = {"venue": "Teams", "chair": "DI Chair",
            "attendees": [{"agency": "police", "name": "DS Jones"}, {"agency": "idva"}],
            "observers": [{"name": "Student social worker", "organisation": "University",
                           "confidentiality_signed": True}],
            "apologies": [{"agency": "housing", "information_sent": True}]}
    r = m.request("PUT", path, body, token=c["chair"])
    assert r.status == 200, r.body
    got = m.request("GET", path, token=c["chair"]).json()
    assert got["venue"] == "Teams" and got["date"] == c["date"]
    assert got["observers"][0]["confidentiality_signed"] is True
    assert got["apologies"] == [{"agency": "housing", "information_sent": True}]
    assert got["confidentiality_statement"].startswith("Information shared at this meeting")
    r = m.request("PUT", path, {"observers": [{"name": "X"}]}, token=c["chair"])
    assert r.status == 422
    assert r.json()["fields"][0]["field"] == "observers[0].confidentiality_signed"
    assert m.request("GET", path, token=c["police"]).status == 403


def test_drive_yes_is_fed_back_once(db, tmp, cycle):
    from conftest import Maracd
    db.write_conf(decisions={"drive_team_address": "drive@drive.example"})
    m = Maracd(db, tmp).start()
    try:
        c = cycle
        yes = dict(DECISION, drive_increases_risk=True)
        assert m.request("PUT", decision_path(c), yes, token=c["chair"]).status == 200
        assert m.request("PUT", decision_path(c), yes, token=c["chair"]).status == 200
        assert db.psql("SELECT count(*) FROM outbox WHERE kind = 'drive_risk'") == "1"
        row = db.psql("SELECT recipients, subject, body_text, body_html FROM outbox "
                      "WHERE kind = 'drive_risk'")
        assert "{drive@drive.example}" in row and c["ref"] in row
        assert "Jane" not in row and "Roe" not in row and "Doe" not in row
        # Without an address configured nothing is queued (tested above by
        # the cycle's own maracd, which has none): the count stays one.
        r = m.request("PUT", decision_path(c), dict(DECISION, drive_increases_risk=False),
                      token=c["chair"])
        assert r.status == 200
        assert m.request("PUT", decision_path(c), yes, token=c["chair"]).status == 200
        assert db.psql("SELECT count(*) FROM outbox WHERE kind = 'drive_risk'") == "1"
    finally:
        m.stop()
        m.assert_clean_log()


def test_statistics_count_what_the_caller_may_see(db, maracd, cycle):
    m, c = maracd, cycle
    assert m.request("PUT", decision_path(c), DECISION, token=c["chair"]).status == 200
    missed = add_action(m, c, "housing", "victim", "Check the tenancy")
    add_action(m, c, "police", "offender", "Consider a DVPN")
    nxt = int(db.psql("SELECT id FROM sittings WHERE forum = 'marac' AND status = "
                      "'scheduled' AND date > '%s' ORDER BY date LIMIT 1" % c["date"]))
    r = m.request("PUT", decision_path(c, nxt), dict(DECISION, reviews=[
        {"action": missed["id"], "result": "not_undertaken", "note": "no reply"}]),
        token=c["chair"])
    assert r.status == 200, r.body
    to = later(c["date"], 30)
    r = m.request("GET", "/v1/statistics?to=" + to + "&as_of=" + later(missed["due"], 1),
                  token=c["admin"])
    assert r.status == 200, r.body
    s = r.json()
    assert s["referrals"]["total"] == 1 and s["referrals"]["by_forum"] == {"marac": 1}
    assert s["referrals"]["children"] == 1
    assert s["actions"]["housing"]["overdue"] == 1
    assert s["actions"]["police"]["open"] == 1
    assert s["reviews"]["housing"]["not_undertaken"] == 1
    # Counts only: no reference, no name.
    assert c["ref"] not in r.body.decode() and "Jane" not in r.body.decode()
    # A MASC chair counts nothing of MARAC's; an agency its own actions.
    s = m.request("GET", "/v1/statistics?to=" + to, token=c["masc_chair"]).json()
    assert s["referrals"]["total"] == 0 and s["actions"] == {}
    s = m.request("GET", "/v1/statistics?to=" + to, token=c["housing"]).json()
    assert s["referrals"]["total"] == 0 and list(s["actions"]) == ["housing"]
    r = m.request("GET", "/v1/statistics?from=2026-02-30", token=c["admin"])
    assert r.status == 422 and r.json()["fields"][0]["field"] == "from"

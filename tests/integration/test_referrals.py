"""Referral intake through HTTP: every outcome and every error class."""
import copy
import json
import signal
import subprocess
import time

import pytest

from conftest import BAD_LOG, BUILD, Maracd
from referrals import BASE, heard_at, referral, stalking


@pytest.fixture
def admin(db):
    return db.token("admin")


@pytest.fixture
def police(db):
    return db.token("agency", agency="police")


def post(maracd, token, body, **kw):
    return maracd.request("POST", "/v1/referrals", body=body, token=token, **kw)


def test_high_risk_da_goes_to_marac(maracd, police):
    r = post(maracd, police, referral(dash_yes=15))
    assert r.status == 201, r.body
    b = r.json()
    assert b["status"] == "listed" and b["forum"] == "marac"
    assert b["risk"] == {"level": "high", "bases": ["visible_high_risk"],
                         "dash_score": 15, "sdash_score": 0}
    assert b["reference"].startswith("MARAC-")
    assert r.headers["Location"] == "/v1/referrals/%d" % b["id"]
    assert b["repeat"] is False and b["review"] is False


def test_medium_stalking_not_da_goes_to_masc(maracd, police):
    b = post(maracd, police, stalking()).json()
    assert b["forum"] == "masc" and b["risk"]["level"] == "medium"
    assert b["reference"].startswith("MASC-")


def test_below_threshold_is_stored_with_advice(maracd, police):
    r = post(maracd, police, referral(dash_yes=3))
    assert r.status == 201
    b = r.json()
    assert b["status"] == "below_threshold"
    assert b["forum"] is None and b["sitting"] is None
    assert b["advice"]
    assert maracd.request("GET", "/v1/referrals/%d" % b["id"], token=police).status == 200


def test_every_basis_is_recorded(maracd, police):
    body = referral(dash_yes=20, sdash_yes=11, escalation=True,
                    professional_judgement={"level": "high", "reason": "pattern"})
    b = post(maracd, police, body).json()
    assert b["risk"]["bases"] == ["visible_high_risk", "sdash_all",
                                  "professional_judgement", "escalation"]


def test_under_16_is_refused_and_nothing_is_stored(maracd, police, db):
    body = referral(victim={"name": "Young Person", "dob": "2015-03-03"})
    r = post(maracd, police, body)
    assert r.status == 422
    assert r.json()["error"] == "victim_under_16"
    assert "safeguarding" in r.json()["message"].lower()
    assert db.psql("SELECT count(*) FROM referrals") == "0"
    assert db.psql("SELECT count(*) FROM referral_people") == "0"


def test_the_token_is_checked_before_the_body_says_anything(maracd, db):
    """The body is parsed and its facts asked for with the token check
    (http_route.prefetch); the answer still comes from the check first."""
    bad = {"Authorization": "Bearer nope"}
    for body in (referral(dash_yes=15), {"victim": 3}, "not json"):
        r = maracd.request("POST", "/v1/referrals", body=body, headers=dict(
            bad, **{"Content-Type": "application/json"}))
        assert r.status == 401, r.body
    police = db.token("agency", agency="police")
    r = maracd.request("POST", "/v1/referrals", token=police,
                       body=referral(dash_yes=15, referring_agency="probation"))
    assert r.status == 403, r.body
    assert db.psql("SELECT count(*) FROM referrals") == "0"
    assert db.psql("SELECT count(*) FROM audit_log WHERE object_type = 'referral'") == "0"
    r = maracd.request("POST", "/v1/referrals", token=police, body=referral(dash_yes=15))
    assert r.status == 201 and r.json()["forum"] == "marac", r.body


def test_repeat_da_referral_goes_to_marac_whatever_its_score(maracd, admin, db):
    first = referral(dash_yes=15, received_at="2024-01-10T10:00:00Z")
    b = post(maracd, admin, first).json()
    assert b["forum"] == "marac"
    # It was heard in January 2024: not a case still waiting, which would
    # take the next referral as linked (test_cases.py).
    heard_at(db, b["id"], "2024-01-18")
    # 11 months after the last MARAC referral: a repeat, heard at MARAC.
    again = referral(dash_yes=2, received_at="2024-12-10T10:00:00Z")
    b = post(maracd, admin, again).json()
    assert b["forum"] == "marac" and b["repeat"] is True
    assert b["risk"]["level"] == "standard"
    # 13 months after it: not a repeat, below threshold.
    late = referral(dash_yes=2, received_at="2026-01-11T10:00:00Z")
    b = post(maracd, admin, late).json()
    assert b["status"] == "below_threshold" and b["repeat"] is False


def test_requested_forum_overridden_is_flagged_for_review(maracd, police):
    b = post(maracd, police, referral(dash_yes=15, forum_requested="masc")).json()
    assert b["forum"] == "marac" and b["review"] is True
    assert any(w["code"] == "forum_overridden" for w in b["warnings"])


def perpetrator(**over):
    return dict(copy.deepcopy(BASE["perpetrator"]), **over)


def codes(b):
    return [w["code"] for w in b["warnings"]]


def test_ex_partner_stalking_marked_not_da_is_routed_as_da(maracd, police):
    """The Domestic Abuse Act 2021: an ex-partner is personally connected,
    so the stalking is DA-related and belongs at MARAC, not MASC."""
    body = stalking(perpetrator=perpetrator(relationship="Ex Partner"))
    body["dash"]["answers"] = {str(q): q <= 15 for q in range(1, 28)}
    r = post(maracd, police, body)
    assert r.status == 201, r.body
    b = r.json()
    assert b["forum"] == "marac" and b["reference"].startswith("MARAC-")
    assert b["review"] is True
    assert codes(b)[0] == "da_by_relationship"
    assert "Domestic Abuse Act 2021" in b["warnings"][0]["message"]
    # What the referrer said is kept as said.
    got = maracd.request("GET", "/v1/referrals/%d" % b["id"], token=police).json()
    assert got["domestic_abuse"] is False and got["review"] is True
    assert got["warnings"] == b["warnings"]
    # At medium risk it is below threshold: MASC does not hear DA.  (Another
    # victim: hers was just referred to MARAC, so hers would be a repeat.)
    b = post(maracd, police, stalking(perpetrator=perpetrator(relationship="ex-husband"),
                                      victim={"name": "Ann Other", "dob": "1991-03-03"})).json()
    assert b["status"] == "below_threshold" and b["forum"] is None
    assert codes(b) == ["da_by_relationship", "consent_not_sought_below_high",
                        "da_stalking_below_high"]


def test_da_with_a_stranger_or_a_child_perpetrator_is_routed_as_not_da(maracd, police):
    b = post(maracd, police, stalking(domestic_abuse=True,
                                      perpetrator=perpetrator(relationship="stranger"))).json()
    assert b["forum"] == "masc" and b["review"] is True
    assert codes(b)[0] == "not_da_not_connected"
    # 15 on the received date (the clock's today): not DA by the Act.
    young = perpetrator(dob="2011-06-01")
    b = post(maracd, police, referral(dash_yes=15, perpetrator=young)).json()
    assert b["status"] == "below_threshold" and b["review"] is True
    assert codes(b) == ["not_da_perpetrator_under_16", "not_da_or_stalking"]
    # Flag and facts agree: nothing to review.
    b = post(maracd, police, referral(dash_yes=15)).json()
    assert b["forum"] == "marac" and b["review"] is False and b["warnings"] == []
    b = post(maracd, police, stalking()).json()
    assert b["forum"] == "masc" and b["review"] is False
    assert codes(b) == ["consent_not_sought_below_high"]


def test_thresholds_come_from_the_config_and_reload_on_sighup(db, tmp):
    admin = db.token("admin")
    m = Maracd(db, tmp).start()
    try:
        def victim(n, dob="1990-02-01"):
            return {"name": "Victim %s" % n, "dob": dob}

        # The defaults: DASH 10 is medium, below threshold for DA.
        b = post(m, admin, referral(dash_yes=10, victim=victim("a"))).json()
        assert b["risk"]["level"] == "medium" and b["status"] == "below_threshold"
        assert post(m, admin, referral(victim=victim("y", "2009-06-01"))).status == 201
        first = post(m, admin, referral(dash_yes=15, victim=victim("r"),
                                        received_at="2024-01-10T10:00:00Z")).json()
        # Heard then: her later referrals are not linked to a waiting case.
        heard_at(db, first["id"], "2024-01-15")
        b = post(m, admin, referral(dash_yes=2, victim=victim("r"),
                                    received_at="2025-06-10T10:00:00Z")).json()
        assert b["repeat"] is False
        db.write_conf(referrals={"dash_high": "10", "dash_medium": "5",
                                 "min_victim_age": "18", "repeat_months": "24"})
        m.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "reloaded" not in m.log_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "reloaded" in m.log_text()
        b = post(m, admin, referral(dash_yes=10, victim=victim("b"))).json()
        assert b["risk"] == {"level": "high", "bases": ["visible_high_risk"],
                             "dash_score": 10, "sdash_score": 0}
        assert b["forum"] == "marac"
        assert post(m, admin, referral(dash_yes=5, victim=victim("c"))).json()[
            "risk"]["level"] == "medium"
        r = post(m, admin, referral(victim=victim("z", "2009-06-01")))
        assert r.status == 422 and r.json()["error"] == "victim_under_16"
        assert "under 18" in r.json()["message"]
        b = post(m, admin, referral(dash_yes=2, victim=victim("r"),
                                    received_at="2025-07-10T10:00:00Z")).json()
        assert b["repeat"] is True and b["forum"] == "marac"
        # A reload that breaks the rule keeps the running values.
        db.write_conf(referrals={"dash_medium": "12"})
        m.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "reload refused" not in m.log_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "dash_medium must be less than dash_high" in m.log_text()
        b = post(m, admin, referral(dash_yes=10, victim=victim("d"))).json()
        assert b["forum"] == "marac"
    finally:
        m.stop()
    # The refused reload is logged as an error; nothing else may be.
    assert [l for l in m.log_text().splitlines()
            if BAD_LOG.search(l) and "reload refused" not in l] == []


def test_inconsistent_thresholds_stop_startup(db):
    db.write_conf(referrals={"dash_high": "10", "dash_medium": "10"})
    r = subprocess.run([str(BUILD / "maracd"), "-f", "-c", str(db.conf)],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert "[referrals] dash_medium must be less than dash_high" in r.stderr


def test_resend_is_idempotent(maracd, police, db):
    body = referral()
    r1 = post(maracd, police, body)
    r2 = post(maracd, police, body)
    assert r1.status == 201 and r2.status == 200
    assert r1.json()["id"] == r2.json()["id"]
    assert db.psql("SELECT count(*) FROM referrals") == "1"


def test_get_returns_what_was_submitted(maracd, police):
    body = referral(dash_yes=14, sdash_yes=3)
    rid = post(maracd, police, body).json()["id"]
    got = maracd.request("GET", "/v1/referrals/%d" % rid, token=police).json()
    for k in ("external_ref", "referring_agency", "domestic_abuse", "stalking",
              "victim", "perpetrator", "children", "dash", "sdash", "lawful_basis",
              "consent", "summary", "referrer"):
        assert got[k] == body[k], k
    assert got["risk"]["dash_score"] == 14


def test_hostile_strings_are_stored_verbatim(maracd, police):
    evil = "<script>alert(1)</script> '; DROP TABLE referrals; -- \u00e9\u2603 \"q\""
    body = referral(summary=evil, victim={"name": "Robert'); DROP TABLE--", "dob": "1990-01-01"})
    rid = post(maracd, police, body).json()["id"]
    got = maracd.request("GET", "/v1/referrals/%d" % rid, token=police).json()
    assert got["summary"] == evil
    assert got["victim"]["name"] == "Robert'); DROP TABLE--"


def test_malformed_json_is_400(maracd, police):
    r = maracd.request("POST", "/v1/referrals", body=b'{"referring_agency": ',
                       token=police, headers={"Content-Type": "application/json"})
    assert r.status == 400
    assert r.json()["error"] == "malformed_json"


def test_wrong_content_type_is_415(maracd, police):
    r = maracd.request("POST", "/v1/referrals", body=b"a,b\n", token=police,
                       headers={"Content-Type": "text/csv"})
    assert r.status == 415


def test_oversized_body_is_413_json(maracd, police):
    r = maracd.request("POST", "/v1/referrals", body=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                       token=police, headers={"Content-Type": "application/json"})
    assert r.status == 413
    assert r.json()["error"] == "body_too_large"


def test_every_field_error_is_named(maracd, police):
    body = referral(consent="maybe", lawful_basis=[], victim={"name": "X", "dob": "1990-02-30"},
                    police_callouts_12m=2.5, colour="blue")
    r = post(maracd, police, body)
    assert r.status == 422
    fields = {f["field"] for f in r.json()["fields"]}
    assert {"consent", "lawful_basis", "victim.dob", "police_callouts_12m", "colour"} <= fields


def test_agency_refers_only_as_itself(maracd, db):
    housing = db.token("agency", agency="housing")
    r = post(maracd, housing, referral())
    assert r.status == 403


def test_only_admin_may_backdate(maracd, police, admin):
    r = post(maracd, police, referral(received_at="2026-01-01T10:00:00Z"))
    assert r.status == 422
    assert r.json()["fields"][0]["field"] == "received_at"
    assert post(maracd, admin, referral(received_at="2026-01-01T10:00:00Z")).status == 201


def test_chair_cannot_refer(maracd, db):
    chair = db.token("chair", forum="marac")
    assert post(maracd, chair, referral()).status == 403


def test_other_agencies_and_chairs_see_only_their_own(maracd, db, police):
    marac_case = post(maracd, police, referral()).json()["id"]
    masc_case = post(maracd, police, stalking()).json()["id"]
    housing = db.token("agency", agency="housing")
    marac_chair = db.token("chair", forum="marac")
    get = lambda tok, rid: maracd.request("GET", "/v1/referrals/%d" % rid, token=tok).status
    assert get(housing, marac_case) == 404
    assert get(marac_chair, marac_case) == 200
    assert get(marac_chair, masc_case) == 404
    assert get(police, 999999) == 404


def test_each_read_and_write_leaves_exactly_one_audit_row(maracd, db, police):
    idva = db.token("agency", agency="idva")  # made first: making a token is audited too
    before = int(db.psql("SELECT count(*) FROM audit_log"))
    rid = post(maracd, police, referral()).json()["id"]
    # concat_ws: the rows before (maracctl's seeding, audited too) name no agency.
    rows = db.psql("SELECT concat_ws(' ', action, object_type, object_id, role, agency) "
                   "FROM audit_log ORDER BY id").splitlines()
    assert rows[before:] == ["create referral %d agency police" % rid], rows
    maracd.request("GET", "/v1/referrals/%d" % rid, token=police)
    rows = db.psql("SELECT action, object_id, request_id IS NOT NULL, client_addr "
                   "FROM audit_log ORDER BY id").splitlines()
    assert rows[-1] == "read|%d|t|127.0.0.1" % rid
    assert len(rows) == before + 2
    # A failed read (not yours) is not a read of case data.
    maracd.request("GET", "/v1/referrals/%d" % rid, token=idva)
    assert int(db.psql("SELECT count(*) FROM audit_log")) == before + 2
    # The log carries no personal data.
    assert "Jane" not in maracd.log_text() and "1990-02-01" not in maracd.log_text()


def test_urgent_referral_alerts_the_core_agencies_at_once(maracd, police, db):
    body = referral(urgent=True)
    b = post(maracd, police, body).json()
    assert b["urgent"] is True
    rows = db.psql("SELECT key || ' ' || array_to_string(recipients, ',') FROM outbox "
                   "WHERE kind = 'urgent' ORDER BY key").splitlines()
    core = ["adult_social_care", "childrens_social_care", "health_icb", "housing", "idva",
            "police", "probation"]
    assert rows == ["urgent:%s:%s %s@agencies.example" % (b["reference"], a, a) for a in core]
    text = db.psql("SELECT string_agg(subject || body_text || body_html, '') FROM outbox")
    assert b["reference"] in text
    for personal in ("Jane", "Doe", "John", "Roe", "1990-02-01", "CA1", "Free text"):
        assert personal not in text
    # A resend stores nothing and enqueues nothing more.
    assert post(maracd, police, body).status == 200
    assert db.psql("SELECT count(*) FROM outbox") == str(len(core))


def test_list_has_no_personal_data_and_pages(maracd, police, db):
    ids = [post(maracd, police, referral()).json()["id"] for _ in range(3)]
    r = maracd.request("GET", "/v1/referrals?limit=2&forum=marac", token=police)
    assert r.status == 200
    page = r.json()
    assert [x["id"] for x in page["referrals"]] == ids[:2]
    assert page["next_after"] == ids[1]
    assert "Jane" not in r.body.decode() and "victim" not in r.body.decode()
    rest = maracd.request("GET", "/v1/referrals?after=%d" % ids[1], token=police).json()
    assert [x["id"] for x in rest["referrals"]] == ids[2:]
    bad = maracd.request("GET", "/v1/referrals?forum=xyz&limit=0", token=police)
    assert bad.status == 422
    assert {f["field"] for f in bad.json()["fields"]} == {"forum", "limit"}


def test_transfer_moves_the_case_and_keeps_history(maracd, police, db):
    admin = db.token("admin")
    rid = post(maracd, police, stalking()).json()["id"]
    r = maracd.request("POST", "/v1/referrals/%d/transfer" % rid, token=admin,
                       body={"forum": "marac", "reason": "DA context found"})
    assert r.status == 200, r.body
    assert r.json()["forum"] == "marac" and r.json()["transferred_from"]["forum"] == "masc"
    got = maracd.request("GET", "/v1/referrals/%d" % rid, token=admin).json()
    assert got["transfers"][0]["from"] == "masc" and got["transfers"][0]["to"] == "marac"
    assert got["status"] == "transferred"
    assert got["transferred_to"]["id"] == r.json()["id"]
    assert maracd.request("POST", "/v1/referrals/%d/transfer" % r.json()["id"], token=police,
                          body={"forum": "masc", "reason": "x"}).status == 403
    bad = maracd.request("POST", "/v1/referrals/%d/transfer" % rid, token=admin,
                         body={"forum": "court"})
    assert bad.status == 422
    assert {f["field"] for f in bad.json()["fields"]} == {"forum", "reason"}
    assert maracd.request("POST", "/v1/referrals/999999/transfer", token=admin,
                          body={"forum": "marac", "reason": "x"}).status == 404

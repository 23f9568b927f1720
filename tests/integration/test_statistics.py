"""GET /v1/statistics: what sql/013 counted wrong (docs/statistics.md).

Every figure below is counted by hand from the referrals the test makes.
"""
import datetime
import json
import subprocess

from conftest import today
from referrals import referral, stalking


def post(m, token, body):
    r = m.request("POST", "/v1/referrals", body=body, token=token)
    assert r.status == 201, r.body
    return r.json()


def month():
    t = today()
    return "from=%s&to=%s" % (t.replace(day=1).isoformat(), t.isoformat())


def add_action(db, rid, sitting_date, agency, status="open"):
    """An action agreed at a sitting held on sitting_date (made for the test)."""
    db.psql("WITH s AS (INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, "
            "origin, status) VALUES ('marac', 'cumbria', '%s', '%s', '%sT00:00:00Z', "
            "'manual', 'cancelled') RETURNING id) "
            "INSERT INTO actions (referral_id, sitting_id, forum, reference, agency, area, "
            "description, due, status) SELECT %d, s.id, 'marac', 'MARAC-X', '%s', "
            "'cumbria', 'Do it', '%s', '%s' FROM s"
            % (sitting_date, sitting_date, sitting_date, rid, agency, sitting_date, status))


def test_children_transfers_forum_and_actions_of_the_period(db, maracd):
    m = maracd
    admin = db.token("admin")
    chair = db.token("chair", forum="marac")
    masc_chair = db.token("chair", forum="masc")
    kids = [{"name": "A Doe", "dob": "2015-01-01", "resident": True},
            {"name": "B Doe", "dob": "2016-01-01", "resident": False},
            {"name": "C Doe", "dob": "2017-01-01"}]
    # 1: a MARAC case; one of its three children lives with the victim.
    a = post(m, admin, referral(dash_yes=15, children=kids))
    assert a["forum"] == "marac"
    # 2: below threshold: no case, its resident child is not counted.
    b = post(m, admin, referral(dash_yes=2, victim={"name": "Ann Other",
                                                      "dob": "1980-01-01"}))
    assert b["status"] == "below_threshold"
    # 3: a MASC case (one resident child), moved to MARAC.
    c = post(m, admin, stalking(victim={"name": "Sue Smith", "dob": "1970-03-03"}))
    assert c["forum"] == "masc"
    r = m.request("POST", "/v1/referrals/%d/transfer" % c["id"], token=admin,
                  body={"forum": "marac", "reason": "DA context found"})
    assert r.status == 200, r.body

    s = m.request("GET", "/v1/statistics?" + month(), token=admin).json()
    assert s["forum"] is None
    refs = s["referrals"]
    assert refs["total"] == 3 and refs["by_forum"] == {"marac": 2, "below_threshold": 1}
    assert refs["children"] == 2
    assert refs["transferred"] == 1 and refs["transfers"] == {"masc_to_marac": 1}

    # The MARAC chair sees only the new record: the transfer still counts.
    refs = m.request("GET", "/v1/statistics?" + month(), token=chair).json()["referrals"]
    assert refs["total"] == 2 and refs["children"] == 2
    assert refs["transferred"] == 1 and refs["transfers"] == {"masc_to_marac": 1}
    # The MASC chair sees the old record only: no case of MASC's, one transfer.
    refs = m.request("GET", "/v1/statistics?" + month(), token=masc_chair).json()["referrals"]
    assert refs["total"] == 0 and refs["transferred"] == 1

    # One forum: below threshold has none.
    s = m.request("GET", "/v1/statistics?forum=masc&" + month(), token=admin).json()
    assert s["forum"] == "masc"
    assert s["referrals"]["total"] == 0 and s["referrals"]["transferred"] == 1
    s = m.request("GET", "/v1/statistics?forum=marac&" + month(), token=admin).json()
    assert s["referrals"]["total"] == 2 and s["referrals"]["by_forum"] == {"marac": 2}
    r = m.request("GET", "/v1/statistics?forum=both", token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "forum"

    # Actions of the period only: one agreed this month, one two years ago.
    t = today()
    add_action(db, a["id"], t.replace(day=1).isoformat(), "housing")
    add_action(db, a["id"], (t - datetime.timedelta(days=730)).isoformat(), "police")
    s = m.request("GET", "/v1/statistics?" + month(), token=admin).json()
    overdue = 1 if t.day > 1 else 0     # due on the 1st, judged on today
    assert s["actions"] == {"housing": {"open": 1, "in_progress": 0, "overdue": overdue,
                                        "completed": 0, "no_longer_relevant": 0}}


# The SafeLives return, counted by hand.  Sittings of area cumbria:
#   A 2026-09-24 (Q3): case 1, police, Jane Doe.
#   B 2026-10-01 (Q4's first day): case 2, idva, received 2026-09-28 (Q3):
#     a male victim of 17, Asian Indian, perpetrator aged 16 (stated),
#     2 children in the household (one listed as resident: 2, not 3).
#   C 2026-11-19: case 3, health_icb, Jane Doe again: a repeat (case 1 was
#     MARAC within 12 months), LGBT+; a further referral of hers while it
#     waited is linked to it (counted with it, not again); case 4,
#     probation, a MASC case moved to MARAC (the old record is not a
#     case), victim disabled (carried by the transfer).
#   D 2026-10-22, cancelled: not a meeting held.
# Q4: 2 meetings; 3 cases; 1 repeat; idva 1, health 1, probation 1,
# partners 3; minoritised 1, LGBT+ 1, disabled 1, male 1, aged 16-17 1;
# perpetrators under 18 1; children 2 + 1 + 1 = 4.
def sitting(db, date, status="scheduled"):
    return int(db.psql("INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, "
                       "origin, status) VALUES ('marac', 'cumbria', '%s', '%s', "
                       "'%sT00:00:00Z', 'manual', '%s') RETURNING id"
                       % (date, date, date, status)).split()[0])


def heard(db, rid, sid):
    db.psql("UPDATE referrals SET sitting_id = %d, status = 'listed' WHERE id = %d" % (sid, rid))


def figures(doc):
    return {f["key"]: f for f in doc["figures"]}


def test_safelives_return_hand_counted(db, tmp):
    from conftest import Maracd
    db.write_conf(statistics={"population": "cumbria:10000",
                              "expected_repeat_rate": "28-40"})
    m = Maracd(db, tmp).start()
    try:
        admin = db.token("admin")
        a, b, c = sitting(db, "2026-09-24"), sitting(db, "2026-10-01"), sitting(db, "2026-11-19")
        sitting(db, "2026-10-22", "cancelled")

        one = post(m, admin, referral(received_at="2026-09-20T10:00:00Z"))
        heard(db, one["id"], a)
        two = post(m, admin, referral(
            referring_agency="idva", received_at="2026-09-28T10:00:00Z",
            victim={"name": "Sam Khan", "dob": "2009-06-01", "gender": "male",
                    "ethnicity": "asian_indian"},
            perpetrator={"name": "Lee Roe", "age": 16, "relationship": "partner"},
            children_in_household=2))
        heard(db, two["id"], b)
        three = post(m, admin, referral(
            referring_agency="health_icb", received_at="2026-11-10T10:00:00Z",
            victim=dict(name="Jane Doe", dob="1990-02-01", lgbt="yes")))
        assert three["repeat"] is True
        linked = post(m, admin, referral(referring_agency="police",
                                         received_at="2026-11-11T10:00:00Z"))
        assert linked["status"] == "linked"
        heard(db, three["id"], c)
        four = post(m, admin, stalking(
            referring_agency="probation", received_at="2026-11-01T10:00:00Z",
            victim={"name": "Sue Smith", "dob": "1970-03-03", "disability": "yes"}))
        r = m.request("POST", "/v1/referrals/%d/transfer" % four["id"], token=admin,
                      body={"forum": "marac", "reason": "DA context found"})
        assert r.status == 200, r.body
        heard(db, r.json()["id"], c)

        r = m.request("GET", "/v1/statistics/safelives?area=cumbria&quarter=2026Q4",
                      token=admin)
        assert r.status == 200, r.body
        doc = r.json()
        assert doc["quarter"] == "2026Q4" and doc["from"] == "2026-10-01"
        assert doc["to"] == "2026-12-31" and doc["population"] == 10000
        f = figures(doc)
        counts = {k: v.get("count") for k, v in f.items()}
        assert counts == {
            "meetings": 2, "cases": 3, "cases_per_10k": None, "repeat_cases": 1,
            "referred_police": 0, "referred_idva": 1, "referred_health": 1,
            "referred_childrens_social_care": 0, "referred_adult_social_care": 0,
            "referred_housing": 0, "referred_probation": 1, "referred_education": 0,
            "referred_substance_misuse": 0, "referred_mental_health": 0,
            "referred_other": 0, "referred_partners": 3, "victims_minoritised": 1,
            "victims_lgbt": 1, "victims_disabled": 1, "victims_male": 1,
            "victims_aged_16_17": 1, "perpetrators_under_18": 1, "children": 4}
        assert f["repeat_cases"]["percent"] == 33.3 and f["repeat_cases"]["rag"] == "green"
        assert f["cases_per_10k"]["rate"] == 3.0 and f["cases_per_10k"]["rag"] == "red"
        assert f["cases_per_10k"]["expected"] == {"low": 10}
        assert f["cases"]["shown"] == "fewer than 5" and f["meetings"]["shown"] == "2"
        assert "rag" not in f["victims_male"]

        # The quarter before: sitting A and case 1 only.
        q3 = figures(m.request("GET", "/v1/statistics/safelives?quarter=2026Q3",
                               token=admin).json())
        assert q3["meetings"]["count"] == 1 and q3["cases"]["count"] == 1
        assert q3["referred_police"]["count"] == 1 and q3["repeat_cases"]["count"] == 0

        # The export hides small numbers and what would give them back.
        r = m.request("GET", "/v1/statistics/safelives?quarter=2026Q4&format=csv",
                      token=admin)
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/csv")
        text = r.body.decode()
        assert '"Cases discussed","fewer than 5","","",""\r\n' in text
        assert '"Repeat cases (repeat rate)","fewer than 5","","28.0% to 40.0%",""\r\n' in text
        assert '"MARAC meetings held","2","","",""\r\n' in text
        r = m.request("GET", "/v1/statistics/safelives?quarter=2026Q4&format=html",
                      token=admin)
        assert r.status == 200 and "<td>Children in the households</td><td>fewer than 5" \
            in r.body.decode()
        assert "Jane" not in r.body.decode()
        r = m.request("GET", "/v1/statistics/safelives?quarter=2026Q4&format=pdf",
                      token=admin)
        assert r.status == 200 and r.body.startswith(b"%PDF")
        pdf = tmp / "return.pdf"
        pdf.write_bytes(r.body)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "Cases discussed: fewer than 5" in text
        assert "MARAC meetings held: 2" in text
        # The rate would give the hidden count back: not shown, nor its RAG.
        assert "Cases per 10,000 adult women: -" in text

        # Whoever asks sees what row-level security lets them count.
        masc_chair = db.token("chair", forum="masc")
        f = figures(m.request("GET", "/v1/statistics/safelives?quarter=2026Q4",
                              token=masc_chair).json())
        assert f["cases"]["count"] == 0 and f["meetings"]["count"] == 2
        assert m.request("GET", "/v1/statistics/safelives",
                         token=db.token("agency", agency="police")).status == 403
        r = m.request("GET", "/v1/statistics/safelives?quarter=2026Q5&format=xls", token=admin)
        assert r.status == 422
        assert {e["field"] for e in r.json()["fields"]} == {"quarter", "format"}
        assert db.psql("SELECT count(*) FROM audit_log WHERE object_type = 'statistics' "
                       "AND object_id = 'safelives:cumbria'") == "6"
    finally:
        m.stop()
        m.assert_clean_log()


EQUALITY = {"victim": {"name": "Ann Lee", "dob": "1991-04-04", "gender": "self_described",
                       "gender_description": "agender", "ethnicity": "black_caribbean",
                       "disability": "no", "lgbt": "prefer_not_to_say",
                       "informed_of_referral": True},
            "perpetrator": {"name": "Kim Roe", "gender": "female", "age": 15,
                            "relationship": "partner"},
            "children_in_household": 3}


def test_equality_fields_by_json_and_by_csv_are_the_same(db, maracd):
    """The optional fields, stored and given back alike by every intake path."""
    from test_import import COLUMNS, cells, post_csv, to_csv
    m, admin = maracd, db.token("admin")
    body = referral(received_at="2026-11-02T09:00:00Z", **EQUALITY)
    a = post(m, admin, dict(body, external_ref=body["external_ref"] + "-json"))
    row = cells(referral(received_at="2026-11-02T09:00:00Z",
                         victim={"name": "Bo Lee", "dob": "1991-04-04"}, **{
                             k: v for k, v in EQUALITY.items() if k != "victim"}))
    row.update({"victim_" + k: v for k, v in EQUALITY["victim"].items()
                if k not in ("name", "dob", "informed_of_referral")})
    row.update(victim_informed="yes", children_in_household="3")
    columns = COLUMNS + ["victim_gender_description", "victim_ethnicity", "victim_disability",
                         "victim_lgbt", "victim_informed", "perpetrator_gender_description",
                         "perpetrator_age", "children_in_household"]
    r = post_csv(m, admin, to_csv([row], columns))
    assert r.status == 200 and r.json()["results"][0]["status"] == "created", r.body
    b = r.json()["results"][0]
    got_a = m.request("GET", "/v1/referrals/%d" % a["id"], token=admin).json()
    got_b = m.request("GET", "/v1/referrals/%d" % b["id"], token=admin).json()
    want = dict(EQUALITY["victim"])
    for got in (got_a, got_b):
        v = dict(got["victim"], name=want["name"])
        assert v == want
        assert got["perpetrator"]["gender"] == "female" and got["perpetrator"]["age"] == 15
        assert got["children_in_household"] == 3
    # Nothing given: not known; and a bad code is the field's error.
    plain = post(m, admin, referral(victim={"name": "Cy Lee", "dob": "1980-01-01"}))
    got = m.request("GET", "/v1/referrals/%d" % plain["id"], token=admin).json()
    assert not {"gender", "ethnicity", "disability", "lgbt",
                "informed_of_referral"} & set(got["victim"])
    assert db.psql("SELECT victim_ethnicity, victim_lgbt FROM referrals WHERE id = %d"
                   % plain["id"]) == "not_known|not_known"
    r = m.request("POST", "/v1/referrals", token=admin, body=referral(
        victim={"name": "Di Lee", "dob": "1980-01-01", "ethnicity": "white"}))
    assert r.status == 422 and r.json()["fields"][0]["field"] == "victim.ethnicity"
    # The ages the figures count are stored, from the dates of birth or as stated.
    assert db.psql("SELECT victim_age, perpetrator_age FROM referrals WHERE id = %d"
                   % a["id"]) == "35|15"


# MASC, hand-counted (docs/statistics.md, MASC indicators).  Area cumbria:
#   M0 2026-06-30 (Q2): Ann (received 06-20, 10 days), decided: SPO
#     considered.  The quarter boundary: none of it counts in Q3.
#   M1 2026-07-07: Bea (received 06-30, in Q2: 7 days), decided with
#     police and housing present: SPO considered, applied for, interim;
#     MAPPA, ISAC/IDVA.  Actions: housing due 07-20 done 07-19 (on time),
#     housing due 07-20 done 07-25 (late), police due 08-01 open (late).
#   M2 2026-09-29: Cat (09-01, 28 days; her second referral of 09-15 is
#     linked to the case: no hearing, no decision of its own), decided
#     with police: SPO considered, stalking clinic; Dee (09-20, 9 days),
#     decided with police and probation, no outcomes recorded; Bea back
#     for review, decided again (police): SPO considered, applied for,
#     interim, full granted (a case decided twice counts once); Ann again,
#     a repeat referral (07-01, 90 days), not decided; Eve (09-10) decided
#     with police: SPO considered, perpetrator programme, then transferred
#     to MARAC (no longer heard at MASC: not in the days; its decision at
#     MASC still counts).  Actions: police due 2027-01-10, open (not due).
#   2026-08-04, cancelled: not a meeting, its decision's attendees not
#     counted.
# Q3: 2 meetings; 4 cases heard, days 7, 9, 28, 90: median 18.5, p90 90
# (rank ceil(3.6) = 4); housing 1 of 2 by the due date (50%), police 0 of
# 1; attendance police 2 of 2 (100%), housing 1 (50%), probation 1 (50%),
# idva 0.  Outcomes: 4 cases decided (Bea, Cat, Dee, Eve), 3 recorded;
# SPO considered 3, applied for 1, interim 1, full 1, breached 0; MAPPA 1,
# stalking clinic 1, ISAC/IDVA 1, perpetrator programme 1.
def masc_sitting(db, date, status="scheduled"):
    return int(db.psql("INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, "
                       "origin, status) VALUES ('masc', 'cumbria', '%s', '%s', "
                       "'%sT00:00:00Z', 'manual', '%s') RETURNING id"
                       % (date, date, date, status)).split()[0])


def masc_action(db, rid, sid, agency, due, completed=None):
    aid = int(db.psql("INSERT INTO actions (referral_id, sitting_id, forum, reference, "
                      "agency, area, description, due, status) VALUES (%d, %d, 'masc', "
                      "'MASC-X', '%s', 'cumbria', 'Do it', '%s', '%s') RETURNING id"
                      % (rid, sid, agency, due, "completed" if completed else "open"))
              .split()[0])
    if completed:
        db.psql("INSERT INTO action_history (action_id, at, field, from_value, to_value) "
                "VALUES (%d, '%sT12:00:00Z', 'status', 'open', 'completed')"
                % (aid, completed))


def decide(m, token, sid, rid, attendees, outcomes=None):
    body = {"attendees": list(attendees), "outcome": "Agreed"}
    if outcomes is not None:
        body["masc_outcomes"] = outcomes
    r = m.request("PUT", "/v1/sittings/%d/cases/%d/decision" % (sid, rid), body=body,
                  token=token)
    assert r.status == 200, r.body
    return r.json()


def test_masc_indicators_hand_counted(db, maracd):
    m, admin = maracd, db.token("admin")
    m0, m1, m2 = (masc_sitting(db, d) for d in ("2026-06-30", "2026-07-07", "2026-09-29"))
    off = masc_sitting(db, "2026-08-04", "cancelled")
    ids = {}

    def case(key, name, received, sid=None):
        ref = post(m, admin, stalking(victim={"name": name, "dob": "1980-01-01"},
                                      received_at=received + "T10:00:00Z"))
        assert ref["forum"] == "masc"
        if sid is not None:
            heard(db, ref["id"], sid)
        ids[key] = ref["id"]
        return ref

    case("ann", "Ann One", "2026-06-20", m0)
    case("bea", "Bea Two", "2026-06-30", m1)
    case("cat", "Cat Three", "2026-09-01")
    assert case("cat2", "Cat Three", "2026-09-15")["status"] == "linked"
    heard(db, ids["cat"], m2)
    case("dee", "Dee Four", "2026-09-20", m2)
    case("ann2", "Ann One", "2026-07-01", m2)
    case("eve", "Eve Five", "2026-09-10", m2)

    decide(m, admin, m0, ids["ann"], ["police"], {"spo": ["considered"]})
    d = decide(m, admin, m1, ids["bea"], ["police", "housing"],
               {"spo": ["interim_granted", "considered", "applied_for"],
                "onward_referrals": ["isac_idva", "mappa"]})
    assert d["decision"]["masc_outcomes"] == {
        "spo": ["considered", "applied_for", "interim_granted"],
        "onward_referrals": ["mappa", "isac_idva"]}
    decide(m, admin, m2, ids["cat"], ["police"],
           {"spo": ["considered"], "onward_referrals": ["stalking_clinic"]})
    d = decide(m, admin, m2, ids["dee"], ["police", "probation"])
    assert d["decision"]["masc_outcomes"] is None
    decide(m, admin, m2, ids["bea"], ["police"],
           {"spo": ["considered", "applied_for", "interim_granted", "full_granted"]})
    decide(m, admin, m2, ids["eve"], ["police"],
           {"spo": ["considered"], "onward_referrals": ["perpetrator_programme"]})
    r = m.request("POST", "/v1/referrals/%d/transfer" % ids["eve"], token=admin,
                  body={"forum": "marac", "reason": "DA context found"})
    assert r.status == 200, r.body
    db.psql("INSERT INTO decisions (sitting_id, referral_id, forum, reference, attendees, "
            "lawful_basis) VALUES (%d, %d, 'masc', 'MASC-X', '{idva}', '{}')"
            % (off, ids["dee"]))
    masc_action(db, ids["bea"], m1, "housing", "2026-07-20", completed="2026-07-19")
    masc_action(db, ids["bea"], m1, "housing", "2026-07-20", completed="2026-07-25")
    masc_action(db, ids["bea"], m1, "police", "2026-08-01")
    masc_action(db, ids["cat"], m2, "police", "2027-01-10")

    r = m.request("GET", "/v1/statistics/masc?quarter=2026Q3", token=admin)
    assert r.status == 200, r.body
    doc = r.json()
    assert doc["meetings"] == 2
    assert doc["referral_to_hearing"] == {"cases": 4, "median_days": 18.5, "p90_days": 90}
    acts = {a.pop("agency"): a for a in doc["actions_by_due_date"]}
    assert acts == {"housing": {"due": 2, "completed_by_due_date": 1, "percent": 50},
                    "police": {"due": 1, "completed_by_due_date": 0, "percent": 0}}
    attend = {a["agency"]: (a["meetings_attended"], a["percent"]) for a in doc["attendance"]}
    assert attend["police"] == (2, 100) and attend["housing"] == (1, 50)
    assert attend["probation"] == (1, 50) and attend["idva"] == (0, 0)
    assert doc["outcomes"] == {
        "cases_decided": 4, "recorded": 3,
        "spo": {"considered": 3, "applied_for": 1, "interim_granted": 1,
                "full_granted": 1, "breached": 0},
        "onward_referrals": {"mappa": 1, "stalking_clinic": 1, "isac_idva": 1,
                             "perpetrator_programme": 1}}
    # The quarter before: M0 alone, 10 days, Ann's decision.
    q2 = m.request("GET", "/v1/statistics/masc?quarter=2026Q2", token=admin).json()
    assert q2["meetings"] == 1 and q2["referral_to_hearing"]["median_days"] == 10
    assert q2["outcomes"]["cases_decided"] == 1 and q2["outcomes"]["spo"]["considered"] == 1
    assert q2["outcomes"]["spo"]["applied_for"] == 0
    r = m.request("GET", "/v1/statistics/masc?format=csv", token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "format"


def test_masc_outcomes_refused_and_recorded(db, maracd):
    m, admin = maracd, db.token("admin")
    sid = masc_sitting(db, "2026-12-03")
    ref = post(m, admin, stalking(victim={"name": "Fay Six", "dob": "1980-01-01"}))
    heard(db, ref["id"], sid)
    path = "/v1/sittings/%d/cases/%d/decision" % (sid, ref["id"])
    r = m.request("PUT", path, token=admin, body={
        "masc_outcomes": {"spo": ["granted"], "onward_referrals": ["mappa", "mappa"],
                          "other": []}})
    assert r.status == 422, r.body
    assert {f["field"] for f in r.json()["fields"]} == {
        "masc_outcomes.spo[0]", "masc_outcomes.onward_referrals[1]", "masc_outcomes.other"}
    # On a MARAC decision: refused, naming the field.
    marac = post(m, admin, referral(victim={"name": "Gus Seven", "dob": "1981-01-01"}))
    msid = sitting(db, "2026-12-03")
    heard(db, marac["id"], msid)
    r = m.request("PUT", "/v1/sittings/%d/cases/%d/decision" % (msid, marac["id"]),
                  token=admin, body={"masc_outcomes": {"spo": ["considered"]}})
    assert r.status == 422 and r.json()["fields"] == [
        {"field": "masc_outcomes", "reason": "is recorded at MASC only"}]
    decision = m.request("GET", "/v1/sittings/%d/cases/%d/decision" % (msid, marac["id"]),
                         token=admin).json()
    assert decision["decision"] is None

    # Recorded, signed off, amended: the version holds what was decided.
    d = decide(m, admin, sid, ref["id"], ["police"], {"spo": ["considered"]})
    assert d["decision"]["masc_outcomes"] == {"spo": ["considered"], "onward_referrals": []}
    r = m.request("POST", path + "/sign-off", token=admin)
    assert r.status == 200, r.body
    r = m.request("PUT", path, token=admin, body={
        "attendees": ["police"], "amendment_reason": "Order applied for",
        "masc_outcomes": {"spo": ["considered", "applied_for"]}})
    assert r.status == 200, r.body
    dec = r.json()["decision"]
    assert dec["masc_outcomes"]["spo"] == ["considered", "applied_for"]
    assert [a["content"]["masc_outcomes"]["spo"] for a in dec["amendments"]] == [
        ["considered"], ["considered", "applied_for"]]
    # Without a reason a signed-off decision keeps its outcomes.
    r = m.request("PUT", path, token=admin, body={"masc_outcomes": {"spo": []}})
    assert r.status == 409
    assert m.request("GET", path, token=admin).json()["decision"]["masc_outcomes"][
        "spo"] == ["considered", "applied_for"]

    # The record, in every format.
    rec = "/v1/sittings/%d/record" % sid
    doc = m.request("GET", rec, token=admin).json()
    (c,) = doc["sittings"][0]["cases"]
    assert c["decision"]["masc_outcomes"] == {"spo": ["considered", "applied_for"],
                                              "onward_referrals": []}
    assert c["decision"]["versions"][0]["content"]["masc_outcomes"]["spo"] == ["considered"]
    html = m.request("GET", rec + "?format=html", token=admin).body.decode()
    assert "<tr><th>Stalking Protection Order</th><td>considered, applied for</td></tr>" in html
    assert "<tr><th>Onward referrals</th><td>none recorded</td></tr>" in html
    csv = m.request("GET", rec + "?format=csv", token=admin).body.decode()
    assert ',"outcome",' in csv and '"spo","considered; applied_for"' in csv
    pdf = m.request("GET", rec + "?format=pdf", token=admin)
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.body, check=True,
                          capture_output=True).stdout.decode()
    assert "considered, applied for" in " ".join(text.split())
    # The case's own record says the same, and the sitting's records page
    # (every case's record at once) hashes exactly its download.
    one = m.request("GET", "/v1/referrals/%d/record" % ref["id"], token=admin)
    assert one.json()["sittings"][0]["cases"][0]["decision"]["masc_outcomes"] == \
        c["decision"]["masc_outcomes"]
    (listed,) = m.request("GET", rec + "/cases", token=admin).json()["cases"]
    assert (listed["sha256"], listed["size"]) == (one.headers["X-Record-SHA256"],
                                                  len(one.body))
    # A MARAC record has no such field.
    marac_rec = m.request("GET", "/v1/sittings/%d/record" % msid, token=admin).json()
    assert "masc_outcomes" not in json.dumps(marac_rec)


# The quarterly report, 2026Q3 of cumbria (hand-counted; today 2026-12-09):
#   received: July MARAC 5 (one a repeat of the same victim, one whose
#   second referral is linked: not a case), August MASC 1, September
#   MARAC 1 transferred to MASC (one case, now MASC: counted once, in
#   MASC); an October referral (Q4: not counted).
#   by month and forum: July MARAC 5, August MASC 1, September MASC 1:
#   MASC's 1s are "fewer than 5", their bars not drawn.
#   by agency: police 5, idva 2 ("fewer than 5").
#   actions agreed at a sitting held in Q3: 6 open due 2026-10-01 (red).
def test_quarterly_report_hand_counted(db, maracd, tmp):
    m, admin = maracd, db.token("admin")
    s = sitting(db, "2026-07-30")
    ids = []
    for i, (name, received) in enumerate((("Ann Lee", "07-01"), ("Bea Lee", "07-02"),
                                          ("Cat Lee", "07-03"), ("Ann Lee", "07-20"),
                                          ("Dee Lee", "07-21"))):
        ref = post(m, admin, referral(victim={"name": name, "dob": "1980-01-01"},
                                      received_at="2026-%sT10:00:00Z" % received))
        ids.append(ref["id"])
        if name != "Dee Lee":
            heard(db, ref["id"], s)
    assert post(m, admin, referral(victim={"name": "Dee Lee", "dob": "1980-01-01"},
                                   received_at="2026-07-22T10:00:00Z"))["status"] == "linked"
    post(m, admin, stalking(referring_agency="idva", received_at="2026-08-05T10:00:00Z",
                            victim={"name": "Eve Lee", "dob": "1980-01-01"}))
    moved = post(m, admin, referral(referring_agency="idva",
                                    received_at="2026-09-05T10:00:00Z",
                                    victim={"name": "Fay Lee", "dob": "1980-01-01"}))
    r = m.request("POST", "/v1/referrals/%d/transfer" % moved["id"], token=admin,
                  body={"forum": "masc", "reason": "Stalking, not DA"})
    assert r.status == 200, r.body
    post(m, admin, referral(received_at="2026-10-02T10:00:00Z",
                            victim={"name": "Gus Lee", "dob": "1980-01-01"}))
    for _ in range(6):
        masc_action(db, ids[0], s, "police", "2026-10-01")
    db.psql("UPDATE actions SET forum = 'marac' WHERE sitting_id = %d" % s)

    r = m.request("GET", "/v1/statistics/report?quarter=2026Q3", token=admin)
    assert r.status == 200, r.body
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    html = r.body.decode()
    assert html.count("<svg ") == 4
    assert ">July 2026, MARAC</text>" in html
    for label, shown in (("July 2026, MARAC", "5"), ("August 2026, MASC", "fewer than 5"),
                         ("September 2026, MASC", "fewer than 5"),
                         ("September 2026, MARAC", "0"), ("police", "5"),
                         ("idva", "fewer than 5"), ("Red: overdue", "6"), ("Closed", "0")):
        i = html.index(">%s</text>" % label)
        assert html[i:].split("<text", 2)[1].split(">", 1)[1].startswith(shown + "</text>"), \
            label
    assert "October" not in html
    for name in ("Ann", "Bea", "Lee"):
        assert name not in html
    r = m.request("GET", "/v1/statistics/report?quarter=2026Q3&format=pdf", token=admin)
    assert r.status == 200 and r.body.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=r.body, check=True,
                          capture_output=True).stdout.decode()
    assert "Quarterly report: cumbria, 2026 Q3" in text and "fewer than 5" in text
    r = m.request("GET", "/v1/statistics/report?format=json", token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "format"
    assert m.request("GET", "/v1/statistics/report",
                     token=db.token("agency", agency="police")).status == 403

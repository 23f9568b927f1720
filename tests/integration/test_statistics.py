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


# The MASC indicators, counted by hand.  MASC sittings of cumbria:
#   M0 2026-06-30 (Q2): a case received 2026-06-20, not counted in Q3.
#   M1 2026-07-07: a case received 2026-06-30 (7 days); housing's two
#     actions, due 2026-07-20, one completed on the 19th, one on the 25th;
#     police's, due 2026-08-01, still open.  Police and housing attend.
#   M2 2026-09-29: cases received 2026-09-01 (28 days) and 2026-09-20
#     (9 days); police's action due in 2027, open: not yet settled.
#     Police attend.
#   M3 2026-08-04, cancelled.
# Q3: 2 meetings; 3 cases, days 7, 9, 28: median 9, p90 28 (rank 3);
# housing 1 of 2 by the due date (50%), police 0 of 1; attendance
# police 2 of 2, housing 1 of 2.
def masc_sitting(db, date, status="scheduled", attendees=()):
    sid = int(db.psql("INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, "
                      "origin, status) VALUES ('masc', 'cumbria', '%s', '%s', "
                      "'%sT00:00:00Z', 'manual', '%s') RETURNING id"
                      % (date, date, date, status)).split()[0])
    if attendees:
        db.psql("INSERT INTO sitting_minutes (sitting_id, forum, attendees) VALUES "
                "(%d, 'masc', '%s')" % (sid, json.dumps(
                    [{"agency": a, "name": "Someone"} for a in attendees])))
    return sid


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


def test_masc_indicators_hand_counted(db, maracd):
    m, admin = maracd, db.token("admin")
    m0 = masc_sitting(db, "2026-06-30")
    m1 = masc_sitting(db, "2026-07-07", attendees=("police", "housing"))
    m2 = masc_sitting(db, "2026-09-29", attendees=("police",))
    masc_sitting(db, "2026-08-04", "cancelled", attendees=("probation",))
    ids = {}
    for name, received, sid in (("Ann One", "2026-06-20", m0), ("Bea Two", "2026-06-30", m1),
                                ("Cat Three", "2026-09-01", m2), ("Dee Four", "2026-09-20", m2)):
        ref = post(m, admin, stalking(victim={"name": name, "dob": "1980-01-01"},
                                      received_at=received + "T10:00:00Z"))
        assert ref["forum"] == "masc"
        heard(db, ref["id"], sid)
        ids[name] = ref["id"]
    masc_action(db, ids["Bea Two"], m1, "housing", "2026-07-20", completed="2026-07-19")
    masc_action(db, ids["Bea Two"], m1, "housing", "2026-07-20", completed="2026-07-25")
    masc_action(db, ids["Bea Two"], m1, "police", "2026-08-01")
    masc_action(db, ids["Cat Three"], m2, "police", "2027-01-10")

    r = m.request("GET", "/v1/statistics/masc?quarter=2026Q3", token=admin)
    assert r.status == 200, r.body
    doc = r.json()
    assert doc["meetings"] == 2
    assert doc["referral_to_hearing"] == {"cases": 3, "median_days": 9, "p90_days": 28}
    acts = {a.pop("agency"): a for a in doc["actions_by_due_date"]}
    assert acts == {"housing": {"due": 2, "completed_by_due_date": 1, "percent": 50},
                    "police": {"due": 1, "completed_by_due_date": 0, "percent": 0}}
    attend = {a["agency"]: (a["meetings_attended"], a["percent"]) for a in doc["attendance"]}
    assert attend["police"] == (2, 100) and attend["housing"] == (1, 50)
    assert attend["probation"] == (0, 0)
    # The quarter before: M0 alone, 10 days.
    q2 = m.request("GET", "/v1/statistics/masc?quarter=2026Q2", token=admin).json()
    assert q2["meetings"] == 1 and q2["referral_to_hearing"]["median_days"] == 10
    r = m.request("GET", "/v1/statistics/masc?format=csv", token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "format"

"""DRIVE screening end to end: the RFGV score of issue 9's perpetrator
through HTTP, perpetrator identities merged and split, the scheduled job,
on-demand screening, maracctl drive, and who may see what.

Sittings are generated from today (the database's clock), so the sitting
under test is the next MARAC sitting, and the history is dated back from
it; expected points are worked out here from docs/domain.md (DRIVE)."""
import datetime as dt
import time

import pytest

from conftest import Maracd, today, wait_for
from referrals import referral
from test_rls import as_app, last

# Thursdays; a year of sittings ahead.
CALENDAR = {"horizon_weeks": "52", "marac_anchor": "2025-06-19"}
NAMES = ("John", "Roe", "Jane", "Doe", "Alex", "Blake", "1985-05-05")


def start(db, tmp, **drive):
    db.write_conf(calendar=CALENDAR, drive=drive)
    m = Maracd(db, tmp).start()
    assert wait_for(lambda: int(db.psql("SELECT count(*) FROM sittings")) > 0, 10)
    return m


@pytest.fixture
def m(db, tmp):
    m = start(db, tmp)
    yield m
    m.stop()
    m.assert_clean_log()


@pytest.fixture
def admin(db):
    return db.token("admin")


def answers(*yes, n=27):
    return {str(q): q in yes for q in range(1, n + 1)}


def post(m, token, body):
    r = m.request("POST", "/v1/referrals", body=body, token=token)
    assert r.status == 201, r.body
    return r.json()


def at(d):
    return "%sT10:00:00Z" % d.isoformat()


def months_before(d, n):
    y, mo = divmod(d.year * 12 + d.month - 1 - n, 12)
    return dt.date(y, mo + 1, min(d.day, 28))


def perpetrator(name="John Roe", dob="1985-05-05", **over):
    p = {"name": name, "dob": dob, "gender": "male", "relationship": "ex-partner",
         "in_custody": False, "mappa_level": 0, "on_drive": False, "in_area": True}
    p.update(over)
    return p


def victim(name, dob):
    return {"name": name, "dob": dob, "gender": "female", "postcode": "CA1 1AA"}


ALEX = victim("Alex Ash", "1992-04-04")
BLAKE = victim("Blake Birch", "1995-09-09")


def three_referrals(m, admin):
    """Issue 9: three DA referrals naming one perpetrator against two
    victims over 20 months.  The first two were medium risk (stored below
    threshold, heard nowhere); the third is high risk and at MARAC."""
    third = post(m, admin, referral(victim=BLAKE, perpetrator=perpetrator()))
    assert third["forum"] == "marac" and third["status"] == "listed"
    sitting = third["sitting"]
    sdate = dt.date.fromisoformat(sitting["date"])
    first = post(m, admin, referral(
        victim=ALEX, perpetrator=perpetrator(), received_at=at(months_before(sdate, 20)),
        dash={"version": "dash-2009", "answers": answers(1, 2, 3, 4, 5, 6, 7, 8)}))
    second = post(m, admin, referral(
        victim=ALEX, perpetrator=perpetrator(), received_at=at(months_before(sdate, 10)),
        dash={"version": "dash-2009", "answers": answers(1, 2, 3, 4, 5, 6, 7, 16)}))
    for r in (first, second):
        assert r["status"] == "below_threshold" and r["risk"]["level"] == "medium"
    return sitting, [first["id"], second["id"], third["id"]]


def expected_recency(days):
    for limit, points in ((30, 5), (90, 4), (180, 3), (365, 2)):
        if days <= limit:
            return points
    return 1


def screen(m, token, sid):
    r = m.request("POST", "/v1/sittings/%d/drive/screen" % sid, token=token)
    assert r.status == 200, r.body
    return r.json()


def drive_list(m, token, sid):
    r = m.request("GET", "/v1/sittings/%d/drive" % sid, token=token)
    assert r.status == 200, r.body
    return r.json()


def test_three_referrals_two_victims_twenty_months(m, db, admin):
    sitting, ids = three_referrals(m, admin)
    sid = sitting["id"]
    chair = db.token("chair", forum="marac")

    before = drive_list(m, chair, sid)
    assert before["screened"] is False and before["perpetrators"] == []
    assert db.psql("SELECT drive_candidate(%d, %d) IS NULL" % (sid, ids[2])) == "t"

    out = screen(m, admin, sid)
    assert out["rubric"] == "maracd-rfgv-1"
    assert "drive_threshold=12" in out["rubric_settings"]
    got = drive_list(m, chair, sid)
    for k in ("rubric", "screened_at", "perpetrators"):
        assert got[k] == out[k]
    assert got["sitting"]["id"] == sid
    assert len(got["perpetrators"]) == 1
    p = got["perpetrators"][0]
    assert p["initials"] == "J.R."
    assert p["referral_ids"] == [ids[2]]         # the case at this sitting
    received = dt.date.fromisoformat(db.psql(
        "SELECT received_date FROM referrals WHERE id = %d" % ids[2]))
    days = (dt.date.fromisoformat(sitting["date"]) - received).days
    assert p["components"] == {"recency": expected_recency(days), "frequency": 3,
                               "gravity": 4, "victims": 3}
    assert expected_recency(days) == 5          # the next sitting is days away
    assert p["score"] == 15 and p["threshold"] == 12
    assert p["eligible"] is True and p["candidate"] is True
    assert p["reasons"] == []
    assert p["basis"]["referrals"] == 3 and p["basis"]["victims"] == 2
    assert sorted(p["basis"]["gravity"]) == ["injury", "weapons"]
    assert not any(n in m.request("GET", "/v1/sittings/%d/drive" % sid, token=chair)
                   .body.decode() for n in NAMES)
    # The flag the agenda shows.
    assert db.psql("SELECT drive_candidate(%d, %d)" % (sid, ids[2])) == "t"
    assert db.psql("SELECT drive_candidate(%d, %d) IS NULL" % (sid, ids[0])) == "t"
    # Reads and screenings are audited, by id.
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'drive.screen' "
                   "AND object_id = '%d' AND role = 'admin'" % sid) == "1"
    assert int(db.psql("SELECT count(*) FROM audit_log WHERE action = 'drive.read' "
                       "AND object_id = '%d' AND role = 'chair'" % sid)) >= 2


def test_a_stricter_threshold_and_weights_from_the_config(db, tmp, admin):
    m = start(db, tmp, threshold="16", weight_victims="2", rubric_version="test-2")
    try:
        sitting, ids = three_referrals(m, admin)
        p = screen(m, admin, sitting["id"])
        assert p["rubric"] == "test-2"
        p = p["perpetrators"][0]
        assert p["score"] == 5 + 3 + 4 + 2 * 3 and p["threshold"] == 16
        assert p["candidate"] is True
    finally:
        m.stop()


def test_exclusions_are_stated_reasons(m, db, admin):
    young = post(m, admin, referral(perpetrator=perpetrator(
        name="Kid Young", dob=(today() - dt.timedelta(days=365 * 17)).isoformat())))
    # Three victims: the same one's referrals would be one case (linked).
    custody = post(m, admin, referral(victim=ALEX, perpetrator=perpetrator(
        name="Cal Cell", in_custody=True, mappa_level=3, in_area=False)))
    unknown = post(m, admin, referral(victim=BLAKE,
                                      perpetrator={"name": "Una Known", "dob": "1970-01-01"}))
    sid = young["sitting"]["id"]
    assert custody["sitting"]["id"] == sid == unknown["sitting"]["id"]
    got = {p["initials"]: p for p in screen(m, admin, sid)["perpetrators"]}
    codes = {k: [r["code"] for r in p["reasons"]] for k, p in got.items()}
    assert codes["K.Y."] == ["under_18"]
    assert codes["C.C."] == ["in_custody", "mappa_2_3", "out_of_area"]
    assert codes["U.K."] == ["custody_unknown", "mappa_unknown",
                             "drive_status_unknown", "in_area_unknown"]
    assert got["K.Y."]["eligible"] is False and got["C.C."]["eligible"] is False
    assert got["U.K."]["eligible"] is True
    assert all(r["excludes"] for r in got["C.C."]["reasons"])
    assert not any(r["excludes"] for r in got["U.K."]["reasons"])
    assert all(p["candidate"] is False for p in got.values())


def test_merge_and_split_change_the_counts(m, db, admin):
    a = post(m, admin, referral(victim=ALEX, perpetrator=perpetrator("John Roe")))
    b = post(m, admin, referral(victim=BLAKE, perpetrator=perpetrator("Jon Roe")))
    sid = a["sitting"]["id"]
    assert b["sitting"]["id"] == sid

    def perps():
        return sorted((p["referral_ids"], p["components"]["frequency"],
                       p["components"]["victims"])
                      for p in screen(m, admin, sid)["perpetrators"])

    assert perps() == [([a["id"]], 1, 1), ([b["id"]], 1, 1)]
    r = m.request("POST", "/v1/drive/identities/merge",
                  body={"referral_ids": [b["id"], a["id"]]}, token=admin)
    assert r.status == 200, r.body
    assert r.json() == {"changed": True, "referral_ids": [a["id"], b["id"]]}
    assert perps() == [([a["id"], b["id"]], 2, 3)]     # 2 referrals, 2 victims
    # Merging again changes nothing.
    r = m.request("POST", "/v1/drive/identities/merge",
                  body={"referral_ids": [a["id"], b["id"]]}, token=admin)
    assert r.json()["changed"] is False
    # A third name joins the identity through either of its keys.  Alex's
    # second referral is linked to her waiting case, and screened with it.
    c = post(m, admin, referral(victim=ALEX, perpetrator=perpetrator("J Roe")))
    assert c["status"] == "linked" and c["linked_to"]["id"] == a["id"]
    r = m.request("POST", "/v1/drive/identities/merge",
                  body={"referral_ids": [c["id"], b["id"]]}, token=admin)
    assert r.json()["referral_ids"] == [a["id"], b["id"], c["id"]]
    assert perps() == [([a["id"], b["id"], c["id"]], 3, 3)]
    # Split the canonical key out: the other two stay together.
    r = m.request("POST", "/v1/drive/identities/split",
                  body={"referral_id": a["id"]}, token=admin)
    assert r.status == 200, r.body
    assert r.json() == {"changed": True, "referral_ids": [a["id"]]}
    assert perps() == [([a["id"]], 1, 1), ([b["id"], c["id"]], 2, 3)]
    r = m.request("POST", "/v1/drive/identities/split",
                  body={"referral_id": a["id"]}, token=admin)
    assert r.json()["changed"] is False
    # Audited by referral id; the keys never leave the alias table.
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'perpetrator.merge'") == "4"
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'perpetrator.split'") == "1"
    assert db.psql("SELECT string_agg(kind, ',' ORDER BY id) FROM "
                   "perpetrator_identity_changes") == "merge,merge,split"


def test_merge_and_split_refusals(m, db, admin):
    a = post(m, admin, referral(perpetrator=perpetrator()))
    nodob = post(m, admin, referral(perpetrator={"name": "No Date"}))
    chair = db.token("chair", forum="marac")
    police = db.token("agency", agency="police")
    url = "/v1/drive/identities/merge"
    for token in (chair, police):
        assert m.request("POST", url, body={"referral_ids": [a["id"], nodob["id"]]},
                         token=token).status == 403
    r = m.request("POST", url, body={"referral_ids": [a["id"], nodob["id"]]}, token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "referral_ids"
    r = m.request("POST", url, body={"referral_ids": [a["id"], 999999]}, token=admin)
    assert r.status == 404
    for body in ({"referral_ids": [a["id"]]}, {"referral_ids": [a["id"], "x"]},
                 {"referral_ids": [a["id"], 1.5]}, {}, {"referral_ids": [1, 2], "x": 1}, []):
        assert m.request("POST", url, body=body, token=admin).status == 422, body
    assert m.request("POST", url, body="{", token=admin,
                     headers={"Content-Type": "application/json"}).status == 400
    r = m.request("POST", "/v1/drive/identities/split", body={"referral_id": 999999},
                  token=admin)
    assert r.status == 404
    assert db.psql("SELECT count(*) FROM perpetrator_identity_changes") == "0"


def test_roles(m, db, admin):
    sitting, ids = three_referrals(m, admin)
    sid = sitting["id"]
    marac = db.token("chair", forum="marac")
    masc = db.token("chair", forum="masc")
    police = db.token("agency", agency="police")
    path = "/v1/sittings/%d/drive" % sid
    assert m.request("GET", path).status == 401
    for token in (masc, police):
        assert m.request("GET", path, token=token).status == 403
    for token in (marac, masc, police):
        assert m.request("POST", path + "/screen", token=token).status == 403
    screen(m, admin, sid)
    # A MASC sitting has no DRIVE list; nor does a sitting that is not there.
    masc_sid = int(db.psql("SELECT min(id) FROM sittings WHERE forum = 'masc'"))
    for s in (masc_sid, 999999):
        assert m.request("GET", "/v1/sittings/%d/drive" % s, token=admin).status == 404
        assert m.request("POST", "/v1/sittings/%d/drive/screen" % s,
                         token=admin).status == 404
    # Row-level security, straight in SQL: agencies and the MASC chair see
    # no result; the MARAC chair reads; nobody writes but drive_store().
    assert last(as_app(db, police, "SELECT count(*) FROM drive_results")) == "0"
    assert last(as_app(db, masc, "SELECT count(*) FROM drive_results")) == "0"
    assert last(as_app(db, marac, "SELECT count(*) FROM drive_results")) == "1"
    out = as_app(db, marac, "DELETE FROM drive_results")
    assert out.returncode != 0 or "DELETE 0" in out.stdout
    # The history question answers nobody but those who may screen.
    for token in (police, marac, masc):
        out = as_app(db, token, "SELECT drive_sitting_input(%d, 36) IS NULL" % sid)
        assert last(out) == "t", out.stderr
    out = as_app(db, police, "SELECT drive_referral_input(%d, '%s', 36) IS NULL"
                 % (ids[0], today()))
    assert last(out) == "t"
    out = as_app(db, admin, "SELECT drive_sitting_input(%d, 36) IS NULL" % sid)
    assert last(out) == "f"
    out = as_app(db, police, "SELECT count(*) FROM perpetrator_aliases")
    assert last(out) == "0"


def test_on_demand_for_a_serial_medium_risk_perpetrator(m, db, admin):
    sitting, ids = three_referrals(m, admin)
    marac = db.token("chair", forum="marac")
    masc = db.token("chair", forum="masc")
    police = db.token("agency", agency="police")
    url = "/v1/drive/screen"
    # The second referral: medium risk, heard nowhere, scored against today.
    r = m.request("POST", url, body={"referral_id": ids[1]}, token=admin)
    assert r.status == 200, r.body
    out = r.json()
    assert out["referral_id"] == ids[1]
    p = out["perpetrators"][0]
    assert [x["code"] for x in p["reasons"]] == ["screened_on_demand"]
    assert p["eligible"] is True
    assert p["referral_ids"] == [ids[1]]
    # Today: every referral received up to now counts.
    assert p["components"]["frequency"] == 3 and p["components"]["victims"] == 3
    assert p["components"]["gravity"] == 4
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'drive.screen' "
                   "AND object_type = 'referral' AND object_id = '%d'" % ids[1]) == "1"
    # The MARAC chair screens the cases of MARAC, which they can see, only.
    assert m.request("POST", url, body={"referral_id": ids[1]}, token=marac).status == 404
    assert m.request("POST", url, body={"referral_id": ids[2]}, token=marac).status == 200
    assert m.request("POST", url, body={"referral_id": ids[2]}, token=masc).status == 403
    assert m.request("POST", url, body={"referral_id": ids[2]}, token=police).status == 403
    assert m.request("POST", url, body={"referral_id": 999999}, token=admin).status == 404
    assert m.request("POST", url, body={"referral_id": "1"}, token=admin).status == 422
    # On-demand screenings are not a sitting's list.
    assert drive_list(m, admin, sitting["id"])["screened"] is False


def test_the_job_screens_the_next_sitting_and_again_when_it_changes(db, tmp, admin):
    m = start(db, tmp, screen_workdays="20", job_interval="1")
    try:
        sitting, ids = three_referrals(m, admin)
        sid = sitting["id"]

        def listed():
            got = drive_list(m, admin, sid)
            return got if got["screened"] else None

        assert wait_for(lambda: listed() and listed()["screened_by"] == "job:drive"
                        and listed()["perpetrators"][0]["basis"]["referrals"] == 3, 15), \
            m.log_text()
        first = listed()
        # The sitting after it is due too (20 working days), but has no case.
        later = db.psql("SELECT min(id) FROM sittings WHERE forum = 'marac' "
                        "AND date > '%s'" % sitting["date"])
        assert drive_list(m, admin, int(later))["screened"] is False
        assert db.psql("SELECT count(*) FROM drive_runs") == "1"
        # Nothing changed: the job leaves the screening alone.
        time.sleep(2.5)
        assert listed()["screened_at"] == first["screened_at"]
        # A new case at the sitting: screened again by itself.
        other = post(m, admin, referral(perpetrator=perpetrator("Other Person")))
        assert wait_for(lambda: len(listed()["perpetrators"]) == 2, 15), m.log_text()
        # A new DA referral in a perpetrator's history, heard nowhere: again.
        post(m, admin, referral(victim=ALEX, perpetrator=perpetrator(), dash_yes=8))
        assert wait_for(lambda: any(p["basis"]["referrals"] == 4
                                    for p in listed()["perpetrators"]), 15), m.log_text()
        # A merge: again, and the two are one.
        r = m.request("POST", "/v1/drive/identities/merge",
                      body={"referral_ids": [other["id"], ids[2]]}, token=admin)
        assert r.status == 200, r.body
        assert wait_for(lambda: len(listed()["perpetrators"]) == 1, 15), m.log_text()
        assert listed()["perpetrators"][0]["referral_ids"] == sorted([other["id"], ids[2]])
        assert db.psql("SELECT count(*) FROM drive_runs WHERE sitting_id = %d" % sid) == "1"
        assert "screened for DRIVE" in m.log_text()
    finally:
        m.stop()
    m.assert_clean_log()


def test_the_job_leaves_sittings_beyond_the_lead_alone(db, tmp, admin):
    # No lead at all: only a sitting held today would be screened.
    m = start(db, tmp, screen_workdays="0", job_interval="1")
    try:
        sitting, _ = three_referrals(m, admin)
        time.sleep(2.5)
        got = drive_list(m, admin, sitting["id"])
        assert got["screened"] is (sitting["date"] == today().isoformat())
    finally:
        m.stop()


def test_maracctl_drive(m, db, admin):
    sitting, ids = three_referrals(m, admin)
    sid = str(sitting["id"])
    out = db.ctl("drive", sid)
    assert out.stdout.splitlines()[0].endswith("not screened")
    out = db.ctl("drive", sid, "--screen")
    lines = out.stdout.splitlines()
    assert lines[0].startswith("sitting %s\t%s\trubric maracd-rfgv-1" % (sid, sitting["date"]))
    assert lines[1].split("\t") == ["J.R.", str(ids[2]), "candidate", "eligible", "15",
                                    "5/3/4/3", "-"]
    assert not any(n in out.stdout for n in NAMES)
    assert drive_list(m, admin, int(sid))["screened_by"] == "maracctl"
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'drive.screen' "
                   "AND role = 'maracctl'") == "1"
    assert db.ctl("drive", check=False).returncode == 2
    assert db.ctl("drive", "x", check=False).returncode == 2
    assert db.ctl("drive", sid, "--again", check=False).returncode == 2
    r = db.ctl("drive", "999999", check=False)
    assert r.returncode == 1 and "no MARAC sitting" in r.stderr

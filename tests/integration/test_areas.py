"""Areas: a deployment serving several MARACs.  Admins, coordinators and
chairs see only their areas' cases, decided by the database's policies
(sql/002_access.sql), whatever the route; agencies are scoped by agency."""
import datetime

import pytest

from conftest import Maracd, today
from referrals import referral


@pytest.fixture
def eden(db, tmp, maracd):
    """A second MARAC area on the same database: a county runs a maracd for
    each of its MARACs ([calendar] area), all sharing one database."""
    db.write_conf(calendar={"area": "eden"})
    m = Maracd(db, tmp).start()
    db.write_conf(calendar={"area": "cumbria"})
    yield m
    m.stop()
    m.assert_clean_log()


@pytest.fixture
def two(db, maracd, eden):
    police = db.token("agency", agency="police")
    refs = {}
    for area, m in (("cumbria", maracd), ("eden", eden)):
        r = m.request("POST", "/v1/referrals", token=police,
                      body=referral(area=area, victim={"name": "V " + area,
                                                       "dob": "1990-01-01"}))
        assert r.status == 201, r.body
        assert r.json()["status"] == "listed"
        refs[area] = r.json()
    return {"police": police, "refs": refs}


def visible(m, token, refs):
    """The areas whose referral this token can read, and what it lists."""
    got = {a for a, ref in refs.items()
           if m.request("GET", "/v1/referrals/%d" % ref["id"], token=token).status == 200}
    listed = m.request("GET", "/v1/referrals", token=token).json()
    ids = {x["id"] for x in listed["referrals"]}
    return got, {a for a, ref in refs.items() if ref["id"] in ids}


def test_each_caller_sees_its_areas(db, maracd, two):
    m, refs = maracd, two["refs"]
    cases = [
        (db.token("admin", areas="cumbria"), {"cumbria"}),
        (db.token("coordinator", areas="eden"), {"eden"}),
        (db.token("chair", forum="marac", areas="eden"), {"eden"}),
        (db.token("chair", forum="masc", areas="eden,cumbria"), set()),
        (db.token("admin", areas="all"), {"cumbria", "eden"}),
        (db.token("coordinator", areas="cumbria,eden"), {"cumbria", "eden"}),
        (two["police"], {"cumbria", "eden"}),
        (db.token("agency", agency="idva"), set()),
    ]
    for token, want in cases:
        assert visible(m, token, refs) == (want, want), want

    who = m.request("GET", "/v1/whoami", token=cases[2][0]).json()
    assert who["role"] == "chair" and who["areas"] == ["eden"]
    assert m.request("GET", "/v1/whoami", token=cases[4][0]).json()["areas"] is None

    # The statistics count what the caller may see.
    s = m.request("GET", "/v1/statistics", token=cases[0][0]).json()["referrals"]
    assert s["total"] == 1
    s = m.request("GET", "/v1/statistics", token=cases[4][0]).json()["referrals"]
    assert s["total"] == 2


def test_decisions_actions_and_agendas_keep_to_their_areas(db, maracd, two):
    m, refs = maracd, two["refs"]
    eden_chair = db.token("chair", forum="marac", areas="eden")
    cumbria_chair = db.token("chair", forum="marac", areas="cumbria")
    eden = refs["eden"]
    sid = eden["sitting"]["id"]
    body = {"outcome": "Safety plan agreed"}
    path = "/v1/sittings/%d/cases/%d/decision" % (sid, eden["id"])
    assert m.request("PUT", path, body=body, token=cumbria_chair).status in (403, 404)
    r = m.request("PUT", path, body=body, token=eden_chair)
    assert r.status in (200, 201), r.body
    assert m.request("GET", path, token=cumbria_chair).status in (403, 404)
    r = m.request("POST", "/v1/referrals/%d/actions" % eden["id"], token=eden_chair,
                  body={"agency": "police", "area": "victim", "description": "Check"})
    assert r.status == 201, r.body
    aid = r.json()["id"]
    assert m.request("GET", "/v1/actions/%d" % aid, token=cumbria_chair).status == 404
    assert m.request("GET", "/v1/actions/%d" % aid, token=eden_chair).status == 200
    assert m.request("GET", "/v1/actions/%d" % aid, token=two["police"]).status == 200
    # The sitting's agenda and minutes are its area's.
    assert m.request("GET", "/v1/sittings/%d/agenda" % sid, token=cumbria_chair).status == 404
    assert m.request("GET", "/v1/sittings/%d/agenda" % sid, token=eden_chair).status == 200
    assert m.request("GET", "/v1/sittings/%d/minutes" % sid,
                     token=cumbria_chair).status in (403, 404)


def test_the_calendar_is_changed_within_its_areas(db, maracd, two):
    m = maracd
    cumbria = db.token("coordinator", areas="cumbria")
    eden = db.token("coordinator", areas="eden")
    d = today() + datetime.timedelta(days=40)
    while d.weekday() != 2:
        d += datetime.timedelta(days=1)
    body = {"forum": "marac", "area": "eden", "date": d.isoformat()}
    # Everybody reads the calendar; only eden's coordinators change eden's.
    assert m.request("GET", "/v1/sittings?area=eden", token=cumbria).status == 200
    r = m.request("POST", "/v1/sittings", body=body, token=cumbria)
    assert r.status == 403, r.body
    assert r.json()["error"] == "forbidden"
    r = m.request("POST", "/v1/sittings", body=body, token=eden)
    assert r.status == 201, r.body
    sid = r.json()["id"]
    r = m.request("PATCH", "/v1/sittings/%d" % sid, body={"venue": "Penrith"}, token=cumbria)
    assert r.status in (403, 404), r.body
    r = m.request("PATCH", "/v1/sittings/%d" % sid, body={"venue": "Penrith"}, token=eden)
    assert r.status == 200, r.body


def test_tokens_name_their_areas_where_there_are_several(db, maracd, two):
    # Two areas served: a token for people says which it sees.
    out = db.ctl("token", "create", "--role", "admin", "--name", "x", check=False)
    assert out.returncode != 0 and "--areas" in out.stderr
    assert db.ctl("token", "create", "--role", "agency", "--agency", "police",
                  "--name", "y").returncode == 0
    out = db.ctl("token", "create", "--role", "agency", "--agency", "police",
                 "--areas", "eden", "--name", "z", check=False)
    assert out.returncode != 0
    out = db.ctl("token", "create", "--role", "chair", "--forum", "marac",
                 "--areas", "Eden!", "--name", "z", check=False)
    assert out.returncode != 0
    listed = db.ctl("token", "list").stdout.splitlines()
    assert listed[0].split("\t")[5] == "areas"
    assert any(line.split("\t")[5] == "*" for line in listed[1:])

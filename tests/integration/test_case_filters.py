"""One case of a sitting's research list and DRIVE screening (?referral=,
#21): the chair's page of one case asks for that case only, not the whole
sitting's.  The filter gives that case's rows only, audits that case's
read only, and changes nothing of who may read what."""
from referrals import referral
from test_agenda import admin, issue, no_screening_yet, refer, victims_anew  # noqa: F401


def research(maracd, token, sid, query=""):
    return maracd.request("GET", "/v1/sittings/%d/research%s" % (sid, query), token=token)


def give(maracd, token, sid, rid, body):
    r = maracd.request("PUT", "/v1/sittings/%d/research/%d" % (sid, rid), body=body,
                       token=token)
    assert r.status == 200, r.body


def reads(db, rid):
    return int(db.psql("SELECT count(*) FROM audit_log WHERE action = 'research_read' "
                       "AND object_id = '%d'" % rid))


def test_research_of_one_case(maracd, db, admin):
    a = refer(maracd, db, "police")
    b = refer(maracd, db, "housing")
    sid = a["sitting"]["id"]
    police = db.token("agency", agency="police")
    housing = db.token("agency", agency="housing")
    chair = db.token("chair", forum="marac")
    assert issue(maracd, admin, sid).status == 201
    give(maracd, police, sid, a["id"], {"text": "Two call-outs in 2026."})
    give(maracd, police, sid, b["id"], {"nothing_known": True})
    give(maracd, housing, sid, a["id"], {"nothing_known": True})

    whole = research(maracd, chair, sid).json()
    assert [c["referral_id"] for c in whole["cases"]] == [a["id"], b["id"]]
    before_a, before_b = reads(db, a["id"]), reads(db, b["id"])
    r = research(maracd, chair, sid, "?referral=%d" % b["id"])
    assert r.status == 200, r.body
    one = r.json()
    # That case's row only, as the whole list has it; the rest is the sitting's.
    assert one["cases"] == [whole["cases"][1]]
    assert [x["agency"] for x in one["cases"][0]["returns"]] == ["police"]
    assert "housing" in one["cases"][0]["missing"]
    assert {k: v for k, v in one.items() if k != "cases"} == \
        {k: v for k, v in whole.items() if k != "cases"}
    # Only that case's read is audited.
    assert (reads(db, a["id"]), reads(db, b["id"])) == (before_a, before_b + 1)

    # An agency still sees its own returns only.
    mine = research(maracd, housing, sid, "?referral=%d" % a["id"]).json()["cases"]
    assert [c["referral_id"] for c in mine] == [a["id"]]
    assert [x["agency"] for x in mine[0]["returns"]] == ["housing"]
    # A case not listed at the sitting: no cases, and nothing read.
    r = research(maracd, chair, sid, "?referral=%d" % 10 ** 9)
    assert r.status == 200 and r.json()["cases"] == []
    # Who may read the sitting is as without the filter.
    db.ctl("agency", "add", "education", "--name", "Education")
    for token in (db.token("agency", agency="education"), db.token("chair", forum="masc"),
                  db.token("coordinator", areas="eden")):
        assert research(maracd, token, sid, "?referral=%d" % a["id"]).status == 404
    r = research(maracd, chair, sid, "?referral=first")
    assert r.status == 422 and r.json()["fields"][0]["field"] == "referral"


def test_drive_screening_of_one_case(maracd, db, admin):
    a = refer(maracd, db, "police")
    b = refer(maracd, db, "housing", perpetrator=dict(
        referral()["perpetrator"], name="Sam Smith", dob="1980-03-03"))
    sid = a["sitting"]["id"]
    r = maracd.request("POST", "/v1/sittings/%d/drive/screen" % sid, token=admin)
    assert r.status == 200, r.body
    chair = db.token("chair", forum="marac")
    url = "/v1/sittings/%d/drive" % sid

    whole = maracd.request("GET", url, token=chair).json()
    assert sorted(p["referral_ids"] for p in whole["perpetrators"]) == [[a["id"]], [b["id"]]]
    r = maracd.request("GET", url + "?referral=%d" % b["id"], token=chair)
    assert r.status == 200, r.body
    one = r.json()
    assert one["perpetrators"] == [p for p in whole["perpetrators"]
                                   if p["referral_ids"] == [b["id"]]]
    assert {k: v for k, v in one.items() if k != "perpetrators"} == \
        {k: v for k, v in whole.items() if k != "perpetrators"}
    # The read is audited as the sitting's, with or without the filter.
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'drive.read' "
                   "AND object_id = '%d'" % sid) == "2"
    # Who may read it is as without the filter.
    r = maracd.request("GET", url + "?referral=%d" % a["id"], token=db.token("chair", forum="masc"))
    assert r.status == 403
    r = maracd.request("GET", url + "?referral=%d" % a["id"],
                       token=db.token("agency", agency="police"))
    assert r.status == 403
    r = maracd.request("GET", url + "?referral=0", token=chair)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "referral"

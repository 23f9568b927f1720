"""Agencies' research before a sitting: the research list an invited
agency works from (the cases' people, until the sitting is held), its
returns, the coordinator's deadline and view of who has not returned,
who may see what, and the audit of each read."""
from conftest import today
from test_agenda import admin, issue, no_screening_yet, refer, victims_anew  # noqa: F401


def research(maracd, token, sid):
    return maracd.request("GET", "/v1/sittings/%d/research" % sid, token=token)


def give(maracd, token, sid, rid, body):
    return maracd.request("PUT", "/v1/sittings/%d/research/%d" % (sid, rid), body=body,
                          token=token)


def test_invited_agencies_research_and_the_coordinator_sees_who_has_not(maracd, db, admin):
    a = refer(maracd, db, "police")
    b = refer(maracd, db, "housing")
    sid = a["sitting"]["id"]
    police = db.token("agency", agency="police")
    housing = db.token("agency", agency="housing")
    # education is no core agency of MARAC and referred nothing here.
    db.ctl("agency", "add", "education", "--name", "Education")
    education = db.token("agency", agency="education")

    # Nothing circulated yet: no agency has a research list.
    assert research(maracd, police, sid).status == 404
    assert issue(maracd, admin, sid).status == 201

    r = research(maracd, police, sid)
    assert r.status == 200, r.body
    doc = r.json()
    assert doc["due"] is None and "police" in doc["invited"]
    assert [c["reference"] for c in doc["cases"]] == [a["reference"], b["reference"]]
    people = doc["cases"][0]["people"]
    assert [p["role"] for p in people][:2] == ["victim", "perpetrator"]
    assert people[0]["name"] == "Jane Doe" and people[0]["dob"]
    assert doc["cases"][0]["missing"] == ["police"]
    assert research(maracd, education, sid).status == 404

    # Returns: what the records hold, or that they hold nothing.
    assert give(maracd, police, sid, a["id"], {"text": "Two call-outs in 2026."}).status == 200
    assert give(maracd, police, sid, b["id"], {"nothing_known": True}).status == 200
    assert give(maracd, housing, sid, a["id"], {"nothing_known": True}).status == 200
    r = give(maracd, police, sid, a["id"], {"nothing_known": True, "text": "x"})
    assert r.status == 422 and r.json()["fields"][0]["field"] == "text"
    r = give(maracd, police, sid, a["id"], {})
    assert r.status == 422 and r.json()["fields"][0]["field"] == "text"
    assert give(maracd, education, sid, a["id"], {"nothing_known": True}).status == 404
    assert give(maracd, police, sid, 10 ** 9, {"nothing_known": True}).status == 404
    assert give(maracd, admin, sid, a["id"], {"nothing_known": True}).status == 403

    # An agency sees its own returns only; the coordinator sees all, and who is missing.
    mine = research(maracd, housing, sid).json()["cases"]
    assert [x["agency"] for x in mine[0]["returns"]] == ["housing"]
    assert mine[1]["missing"] == ["housing"]
    staff = research(maracd, admin, sid).json()["cases"]
    assert {x["agency"]: x["text"] for x in staff[0]["returns"]} == {
        "housing": None, "police": "Two call-outs in 2026."}
    assert "police" not in staff[0]["missing"] and "housing" not in staff[0]["missing"]
    assert "idva" in staff[0]["missing"] and "housing" in staff[1]["missing"]

    # The deadline: on or before the sitting.
    date = doc["sitting"]["date"]
    url = "/v1/sittings/%d/research" % sid
    r = maracd.request("PUT", url, body={"due": "2099-01-01"}, token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "due"
    assert maracd.request("PUT", url, body={"due": date}, token=admin).status == 200
    assert research(maracd, police, sid).json()["due"] == date
    assert maracd.request("PUT", url, body={"due": date}, token=police).status == 403

    # Past the deadline, the agencies still owing research need attention.
    def owing():
        items = maracd.request("GET", "/v1/attention", token=admin).json()["items"]
        return {i["agency"]: i["why"]["message"] for i in items if i["kind"] == "research_missing"}
    assert owing() == {}
    db.psql("UPDATE sittings SET research_due = '%s'::date - 1 WHERE id = %d" % (today(), sid))
    late = owing()
    assert "police" not in late and "idva" in late, late
    assert late["housing"].startswith("housing has not returned research on 1 of 2 cases")

    # Each read of a case's people is audited, and so is each return.
    reads = db.psql("SELECT count(*) FROM audit_log WHERE action = 'research_read' "
                    "AND object_id = '%d'" % a["id"])
    assert int(reads) >= 3, reads
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'research_return' "
                   "AND object_id = '%d'" % a["id"]) == "2"

    # Once the sitting is held, the people are gone from the list and
    # returns are closed.
    db.psql("UPDATE sittings SET date = '%s'::date - 1, cutoff_date = '%s'::date - 3 "
            "WHERE id = %d" % (today(), today(), sid))
    r = research(maracd, police, sid)
    assert r.status == 200 and r.json()["cases"][0]["people"] is None
    r = give(maracd, police, sid, a["id"], {"nothing_known": True})
    assert r.status == 409 and r.json()["error"] == "held"

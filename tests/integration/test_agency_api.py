"""What the agency pages ask of the API: referral drafts, the dry run of
intake (check your answers), what the confirmation shows, the RAG status
of actions and the list of agendas an agency may read."""
import datetime
import json
import signal
import time

import pytest

import conftest
from referrals import referral, stalking
from test_decisions import add_action, cycle, later  # noqa: F401 (fixture)
from test_agenda import issue, refer, sittings_generated


@pytest.fixture
def police(db):
    return db.token("agency", agency="police")


def audit(db, action, otype):
    return int(db.psql("SELECT count(*) FROM audit_log WHERE action = '%s' "
                       "AND object_type = '%s'" % (action, otype)))


# --- drafts -----------------------------------------------------------------

def test_a_draft_is_saved_listed_read_changed_and_deleted_by_its_author(maracd, db, police):
    part = {"external_ref": "POL-D-1", "victim": {"name": "Jane Doe"}}
    r = maracd.request("POST", "/v1/drafts", part, token=police)
    assert r.status == 201, r.body
    d = r.json()
    assert r.headers["Location"] == "/v1/drafts/%d" % d["id"]
    assert d["body"] == part and d["agency"] == "police" and d["external_ref"] == "POL-D-1"
    # maracd's clock (the suite's), not the database's.
    assert d["created_at"] == d["updated_at"]
    assert d["created_at"].startswith(conftest.today().isoformat())
    # A list carries no personal data: no bodies.
    r = maracd.request("GET", "/v1/drafts", token=police)
    assert r.status == 200
    assert [x["id"] for x in r.json()["drafts"]] == [d["id"]]
    assert "body" not in r.json()["drafts"][0]
    more = dict(part, perpetrator={"name": "John Roe"})
    r = maracd.request("PUT", "/v1/drafts/%d" % d["id"], more, token=police)
    assert r.status == 200 and r.json()["body"] == more
    assert maracd.request("GET", "/v1/drafts/%d" % d["id"], token=police).json()["body"] == more
    # Partial and even wrong: a draft is not validated; only its shape is.
    r = maracd.request("PUT", "/v1/drafts/%d" % d["id"], {"victim": {"dob": "yesterday"}},
                       token=police)
    assert r.status == 200
    r = maracd.request("PUT", "/v1/drafts/%d" % d["id"], [1, 2], token=police)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "$"
    r = maracd.request("DELETE", "/v1/drafts/%d" % d["id"], token=police)
    assert r.status == 200 and r.json() == {"id": d["id"], "deleted": True}
    assert maracd.request("GET", "/v1/drafts/%d" % d["id"], token=police).status == 404
    assert maracd.request("DELETE", "/v1/drafts/%d" % d["id"], token=police).status == 404
    for action in ("create", "update", "read", "list", "delete"):
        assert audit(db, action, "draft") >= 1, action
    assert db.psql("SELECT count(*) FROM referral_drafts") == "0"


def test_a_draft_is_its_authors_alone(maracd, db, police):
    d = maracd.request("POST", "/v1/drafts", {"victim": {"name": "Jane Doe"}},
                       token=police).json()
    colleague = db.token("agency", agency="police", name="colleague")
    other = db.token("agency", agency="housing")
    admin = db.token("admin")
    for tok in (colleague, other, admin):
        assert maracd.request("GET", "/v1/drafts/%d" % d["id"], token=tok).status == 404
        assert maracd.request("PUT", "/v1/drafts/%d" % d["id"], {}, token=tok).status == 404
        assert maracd.request("DELETE", "/v1/drafts/%d" % d["id"], token=tok).status == 404
        assert maracd.request("POST", "/v1/drafts/%d/submit" % d["id"],
                              token=tok).status == 404
        assert maracd.request("GET", "/v1/drafts", token=tok).json()["drafts"] == []
    assert maracd.request("GET", "/v1/drafts", token=db.token("chair", forum="marac")).status == 403
    # Row-level security, not the handler, keeps it: maracd's role sees none.
    assert db.psql("SET ROLE maracd; SELECT count(*) FROM referral_drafts") == "0"
    assert json.loads(db.psql("SELECT body::text FROM referral_drafts"))["victim"]


def test_submitting_a_draft_is_intake_and_the_draft_goes(maracd, db, police):
    sittings_generated(db)
    body = referral(dash_yes=15)
    d = maracd.request("POST", "/v1/drafts", dict(body, victim={"name": "Jane Doe"}),
                       token=police).json()
    # Unfinished: the intake's field errors, and the draft stays.
    r = maracd.request("POST", "/v1/drafts/%d/submit" % d["id"], token=police)
    assert r.status == 422, r.body
    assert {"victim.dob"} <= {f["field"] for f in r.json()["fields"]}
    assert db.psql("SELECT count(*) FROM referral_drafts") == "1"
    assert db.psql("SELECT count(*) FROM referrals") == "0"
    maracd.request("PUT", "/v1/drafts/%d" % d["id"], body, token=police)
    r = maracd.request("POST", "/v1/drafts/%d/submit" % d["id"], token=police)
    assert r.status == 201, r.body
    b = r.json()
    assert b["status"] == "listed" and b["reference"].startswith("MARAC-")
    assert r.headers["Location"] == "/v1/referrals/%d" % b["id"]
    assert db.psql("SELECT count(*) FROM referral_drafts") == "0"
    assert audit(db, "submit", "draft") == 1 and audit(db, "create", "referral") == 1
    # Made exactly as POST /v1/referrals makes it: the same answer again.
    again = maracd.request("POST", "/v1/referrals", body, token=police)
    assert again.status == 200 and again.json() == b


def test_a_draft_of_another_agency_is_refused_at_submission(maracd, db, police):
    sittings_generated(db)
    d = maracd.request("POST", "/v1/drafts", referral(referring_agency="housing"),
                       token=police).json()
    r = maracd.request("POST", "/v1/drafts/%d/submit" % d["id"], token=police)
    assert r.status == 403, r.body
    assert db.psql("SELECT count(*) FROM referral_drafts") == "1"


def test_stale_drafts_are_purged_after_draft_days(maracd, db, police):
    old = maracd.request("POST", "/v1/drafts", {"external_ref": "OLD"}, token=police).json()
    new = maracd.request("POST", "/v1/drafts", {"external_ref": "NEW"}, token=police).json()
    # Saved by maracd's clock: 31 and 29 days before the suite's today.
    db.psql("UPDATE referral_drafts SET updated_at = updated_at - interval '31 days' "
            "WHERE id = %d" % old["id"])
    db.psql("UPDATE referral_drafts SET updated_at = updated_at - interval '29 days' "
            "WHERE id = %d" % new["id"])
    dry = db.ctl("purge", "--dry-run").stdout
    assert "would-purge draft draft %d " % old["id"] in dry, dry
    assert "draft %d " % new["id"] not in dry, dry
    db.ctl("purge")
    assert db.psql("SELECT id FROM referral_drafts") == str(new["id"])
    assert db.psql("SELECT count(*) FROM audit_log WHERE object_type = 'draft' "
                   "AND object_id = '%d' AND action LIKE 'purge%%'" % old["id"]) == "1"
    # [retention] draft_days decides.
    db.write_conf(retention={"draft_days": "28"})
    assert "would-purge draft draft %d " % new["id"] in db.ctl("purge", "--dry-run").stdout


# --- check your answers -------------------------------------------------------

def test_check_answers_what_post_would_and_stores_nothing(maracd, db, police):
    sittings_generated(db)
    body = referral(dash_yes=15, sdash_yes=11)
    r = maracd.request("POST", "/v1/referrals/check", body, token=police)
    assert r.status == 200, r.body
    c = r.json()
    assert "id" not in c and "reference" not in c
    assert c["risk"]["dash_score"] == 15
    assert c["risk"]["bases"] == ["visible_high_risk", "sdash_all"]
    assert c["forum"] == "marac" and c["status"] == "listed"
    assert c["sitting"]["date"] and c["sitting"]["cutoff"]
    for t in ("referrals", "referral_people", "referral_answers", "reference_counters"):
        assert db.psql("SELECT count(*) FROM %s" % t) == "0", t
    assert audit(db, "check", "referral") == 1
    made = maracd.request("POST", "/v1/referrals", body, token=police).json()
    # The reference the check did not use is the first one.
    assert made["reference"].endswith("-0001")
    assert {k: v for k, v in made.items() if k not in ("id", "reference")} == c
    r = maracd.request("POST", "/v1/referrals/check", body, token=police)
    assert r.status == 409 and r.json()["error"] == "already_referred"
    assert made["reference"] in r.json()["message"]


def test_check_gives_the_same_errors_as_post(maracd, db, police):
    sittings_generated(db)
    bad = referral(victim={"name": "", "dob": "1990-13-01"}, consent="maybe")
    want = maracd.request("POST", "/v1/referrals", bad, token=police)
    got = maracd.request("POST", "/v1/referrals/check", bad, token=police)
    assert want.status == got.status == 422
    assert got.json() == want.json()
    child = referral(victim={"name": "Young Person", "dob": "2015-03-03"})
    got = maracd.request("POST", "/v1/referrals/check", child, token=police)
    assert got.status == 422 and got.json()["error"] == "victim_under_16"
    other = maracd.request("POST", "/v1/referrals/check",
                           referral(referring_agency="housing"), token=police)
    assert other.status == 403
    assert db.psql("SELECT count(*) FROM referrals") == "0"


def test_check_of_a_waiting_referral_mails_nobody(maracd, db, police):
    """A referral with no sitting to join waits, and the coordinator is
    told by mail: not for a check, which rolls the mail back too."""
    sittings_generated(db)
    db.psql("UPDATE sittings SET status = 'cancelled' WHERE forum = 'masc'")
    r = maracd.request("POST", "/v1/referrals/check", stalking(), token=police)
    assert r.status == 200, r.body
    assert r.json()["status"] == "waiting" and r.json()["sitting"] is None
    assert db.psql("SELECT count(*) FROM outbox") == "0"


def test_below_threshold_says_why_and_what_to_do_instead(maracd, db, police):
    sittings_generated(db)
    c = maracd.request("POST", "/v1/referrals/check", referral(dash_yes=3), token=police).json()
    assert c["status"] == "below_threshold" and c["forum"] is None
    assert c["advice"].startswith("Domestic abuse below high risk")
    assert "IDVA" in c["advice"]
    b = maracd.request("POST", "/v1/referrals", referral(dash_yes=3), token=police).json()
    assert b["advice"] == c["advice"]


# --- actions: RAG -------------------------------------------------------------

def test_actions_carry_their_rag_status(maracd, db, cycle):  # noqa: F811
    c = cycle
    today = conftest.today().isoformat()
    soon = add_action(maracd, c, "police", "victim", "Soon", due=later(today, 7))
    far = add_action(maracd, c, "police", "victim", "Far", due=later(today, 8))
    done = add_action(maracd, c, "police", "victim", "Done", due=later(today, 30))
    assert soon["rag"] == "amber" and far["rag"] == "green"
    r = maracd.request("PATCH", "/v1/actions/%d" % done["id"],
                       {"status": "completed", "note": "Done and dusted"}, token=c["police"])
    assert r.status == 200 and r.json()["rag"] is None
    assert [h["note"] for h in r.json()["history"] if h.get("note")] == ["Done and dusted"]
    rag = lambda as_of: {a["id"]: a["rag"] for a in maracd.request(
        "GET", "/v1/actions?as_of=" + as_of, token=c["police"]).json()["actions"]}
    assert rag(today) == {soon["id"]: "amber", far["id"]: "green", done["id"]: None}
    # The day after soon is due it is red; far is due that day: amber.
    assert rag(later(today, 8)) == {soon["id"]: "red", far["id"]: "amber", done["id"]: None}
    r = maracd.request("GET", "/v1/actions/%d" % far["id"], token=c["police"])
    assert r.json()["rag"] == "green" and r.json()["history"][0]["field"] == "created"


# --- agendas --------------------------------------------------------------------

def test_an_agency_lists_the_agendas_it_was_invited_to(maracd, db):
    admin = db.token("admin")
    case = refer(maracd, db, "housing")
    sid = case["sitting"]["id"]
    housing = db.token("agency", agency="housing")
    assert maracd.request("GET", "/v1/agendas", token=housing).json() == \
        {"agendas": [], "next_after": None}
    assert issue(maracd, admin, sid).status in (200, 201)
    r = maracd.request("GET", "/v1/agendas", token=housing)
    assert r.status == 200, r.body
    (a,) = r.json()["agendas"]
    assert a["sitting_id"] == sid and a["version"] == 1 and a["case_count"] == 1
    assert a["date"] == case["sitting"]["date"] and a["forum"] == "marac"
    invited = db.psql("SELECT array_to_string(invited, ',') FROM agenda_versions").split(",")
    assert "housing" in invited
    (outsider,) = [c for c, _ in conftest.AGENCIES if c not in invited][:1]
    nobody = db.token("agency", agency=outsider)
    assert maracd.request("GET", "/v1/agendas", token=nobody).json()["agendas"] == []
    assert len(maracd.request("GET", "/v1/agendas", token=admin).json()["agendas"]) == 1
    assert maracd.request("GET", "/v1/agendas?limit=0", token=housing).status == 422
    assert audit(db, "list", "agenda") >= 4


# --- checklists -------------------------------------------------------------------

def wording(doc, checklist, n):
    (c,) = [c for c in doc["checklists"] if c["checklist"] == checklist]
    return c["questions"][n - 1]


def test_checklists_are_worded_by_the_deployment_file(db, tmp, police):
    m = conftest.Maracd(db, tmp).start()
    try:
        doc = m.request("GET", "/v1/checklists", token=police).json()
        assert wording(doc, "dash-2009", 7) == {"number": 7, "text": "Question 7",
                                               "source": "maracd"}
        assert [len(c["questions"]) for c in doc["checklists"]] == [27, 24, 28, 11]
        # Given a file, reloaded on SIGHUP.
        f = tmp / "wording.json"
        f.write_text(json.dumps({"dash-2009": {"7": "Seventh, as licensed"},
                                 "sdash": {"1": "First S-DASH"}}))
        db.write_conf(referrals={"checklist_wording": str(f)})
        m.signal(signal.SIGHUP)
        conftest.wait_for(lambda: wording(m.request("GET", "/v1/checklists", token=police)
                                          .json(), "dash-2009", 7)["source"] == "deployment")
        doc = m.request("GET", "/v1/checklists", token=police).json()
        assert wording(doc, "dash-2009", 7)["text"] == "Seventh, as licensed"
        assert wording(doc, "sdash", 1)["text"] == "First S-DASH"
        assert wording(doc, "dash-2009", 8)["source"] == "maracd"
        # A bad file on reload: logged, and the wording in use stays.
        f.write_text(json.dumps({"dash-2009": {"28": "no such question"}}))
        m.signal(signal.SIGHUP)
        conftest.wait_for(lambda: "checklist_wording" in m.log_text())
        assert "keeping the wording in use" in m.log_text()
        doc = m.request("GET", "/v1/checklists", token=police).json()
        assert wording(doc, "dash-2009", 7)["text"] == "Seventh, as licensed"
    finally:
        m.stop()
    # At start, a bad file stops maracd, saying why.
    bad = conftest.Maracd(db, tmp)
    with pytest.raises(AssertionError) as e:
        bad.start()
    assert "no question \"28\"" in str(e.value)

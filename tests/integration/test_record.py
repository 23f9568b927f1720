"""Decision records through HTTP and maracctl: every format, the hash of
the canonical JSON (stable across exports, changed by an amendment), the
export log, minimisation, and who may export what.

Decisions, actions and minutes are written with the SQL functions of
sql/006_decisions_actions.sql, called as the chair (or agency) token in a
psql session: their HTTP endpoints are built elsewhere.
"""
import hashlib
import re
import subprocess
import time

import pytest

from conftest import Maracd, today
from referrals import referral

PERSONAL = ["Jane Doe", "John Roe", "1990-02-01", "1985-05-05", "CA1 1AA",
            "A Doe", "DC Test", "dc.test@police.example", "Free text about the case"]

ACTIONS = [
    ("police", "offender", "Consider a stalking protection order and report back"),
    ("police", "location", "Fit a panic alarm and target-harden the front door"),
    ("probation", "victim", "Share licence conditions (MAPPA \\ ViSOR) with the IDVA by Friday"),
]


def as_caller(db, token, sql):
    """Runs sql in one transaction in which the database knows the caller."""
    out = db.psql("SELECT count(*) FROM maracd_authenticate('%s', 'test', NULL); %s"
                  % (hashlib.sha256(token.encode()).hexdigest(), sql))
    return out.splitlines()[-1] if out else out


@pytest.fixture
def maracd(db, tmp):
    """maracd with its sittings generated before the first referral."""
    db.write_conf(calendar={"sittings_job_interval": "1"})
    m = Maracd(db, tmp).start()
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(*) FROM sittings WHERE forum = 'marac'") == "0":
        assert time.monotonic() < deadline, m.log_text()
        time.sleep(0.05)
    yield m
    m.stop()
    m.assert_clean_log()


@pytest.fixture
def case(maracd, db):
    """A MARAC case listed at a sitting, with minutes, a decision and three
    actions for two agencies, one already moved on by its agency."""
    police = db.token("agency", agency="police")
    chair = db.token("chair", forum="marac")
    r = maracd.request("POST", "/v1/referrals", body=referral(dash_yes=15), token=police)
    assert r.status == 201, r.body
    ref = r.json()
    rid, sid = ref["id"], ref["sitting"]["id"]
    # One psql session (each costs most of a second), as the chair.
    sql = ["""SELECT minutes_put(%d, $j${"venue": "Carlisle Civic Centre",
        "chair": "DI Chair", "attendees": [{"agency": "police", "name": "DS Smith"},
        {"agency": "probation", "name": "PO Jones"}],
        "observers": [{"name": "Student", "organisation": "University",
        "confidentiality_signed": true}],
        "apologies": [{"agency": "housing", "information_sent": false}],
        "confidentiality_statement": "Information shared stays in this meeting."}$j$)"""
           % sid,
           """SELECT decision_put(%d, %d, ARRAY['police', 'probation'],
        $j${"victim": "IDVA support & safety plan", "offender": "Arrest <if> breach",
        "children": "Refer to children's social care"}$j$, $t$Agreed actions below.$t$,
        false, NULL)""" % (sid, rid)]
    # Due dates given, so the last argument (today, maracd's clock) is moot.
    sql += ["SELECT action_create(%d, %d, '%s', '%s', $t$%s$t$, '2026-12-21', '%s')"
            % (rid, sid, agency, area, desc, today()) for agency, area, desc in ACTIONS]
    sql.append("SELECT string_agg(id::text, ',' ORDER BY id) FROM actions")
    ids = [int(x) for x in as_caller(db, chair, "; ".join(sql)).split(",")]
    as_caller(db, police, "SELECT action_update(%d, 'in_progress', NULL, NULL, "
              "$t$Application drafted$t$)" % ids[0])
    return {"rid": rid, "sid": sid, "reference": ref["reference"], "chair": chair,
            "police": police, "actions": ids}


def get(maracd, path, token, fmt=None):
    q = "" if fmt is None else "?format=" + fmt
    return maracd.request("GET", path + q, token=token)


def canonical_hash(body):
    """The hash of the canonical bytes: the export minus its sha256 member."""
    m = re.fullmatch(rb'(.*),"sha256":"([0-9a-f]{64})"\}', body, re.S)
    assert m, body[-120:]
    return hashlib.sha256(m.group(1) + b"}").hexdigest(), m.group(2).decode()


def pdf_text(data, tmp):
    path = tmp / "record.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True)
    return out.stdout.decode("utf-8", "replace")


def squash(s):
    return " ".join(s.split())


def body_text(pages, sha):
    """The pages' text without the running head and foot, which may fall
    in the middle of a paragraph that runs over a page."""
    keep = []
    for page in pages:
        for line in page.splitlines():
            if "OFFICIAL-SENSITIVE" in line or "SHA-256 " + sha in line:
                continue
            keep.append(line)
    return squash("\n".join(keep))


def test_sitting_record_in_every_format(maracd, db, case, tmp):
    path = "/v1/sittings/%d/record" % case["sid"]
    r = get(maracd, path, case["chair"])
    assert r.status == 200, r.body
    assert r.headers["Content-Type"] == "application/json"
    computed, stated = canonical_hash(r.body)
    assert computed == stated == r.headers["X-Record-SHA256"]
    rec = r.json()
    assert rec["format"] == "maracd-record/1" and rec["kind"] == "sitting"
    assert rec["forum"] == "marac" and rec["id"] == case["sid"]
    sitting = rec["sittings"][0]
    assert sitting["venue"] == "Carlisle Civic Centre"
    assert sitting["minutes"]["apologies"] == [{"agency": "housing", "information_sent": False}]
    (c,) = sitting["cases"]
    assert c["reference"] == case["reference"] and c["risk_level"] == "high"
    assert c["lawful_basis"] == ["crime_and_disorder_act_s115"]
    assert c["consent"] == "not_sought"
    d = c["decision"]
    assert d["attendees"] == ["police", "probation"]
    assert list(d["areas"]) == ["victim", "offender", "children"]
    assert d["drive_increases_risk"] is False and d["signed_off_at"] is None
    assert [(a["agency"], a["area"], a["description"]) for a in c["actions"]] == ACTIONS
    first = c["actions"][0]
    assert first["status"] == "in_progress"
    assert [(h["field"], h["to"]) for h in first["history"]] == [
        ("created", "open"), ("status", "in_progress")]
    assert first["history"][1]["note"] == "Application drafted"
    assert {a["code"] for a in rec["agencies"]} == {"police", "probation", "housing"}
    sha = stated

    html = get(maracd, path, case["chair"], "html")
    assert html.status == 200 and html.headers["Content-Type"].startswith("text/html")
    assert html.headers["X-Record-SHA256"] == sha
    text = html.body.decode()
    assert text.count(sha) == 3 and "OFFICIAL-SENSITIVE" in text
    assert "Arrest &lt;if&gt; breach" in text and "DRAFT: not signed off" in text
    for _, _, desc in ACTIONS:
        assert desc in text

    csv = get(maracd, path, case["chair"], "csv")
    assert csv.status == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert csv.headers["X-Record-SHA256"] == sha
    lines = csv.body.decode().split("\r\n")
    assert lines[-1] == "" and all(l.startswith('"%s",' % sha) for l in lines[1:-1])
    assert sum(1 for l in lines[1:-1] if l.split(",")[1] == '"action"') == 3

    pdf = get(maracd, path, case["chair"], "pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["X-Record-SHA256"] == sha
    assert pdf.body.startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"] == \
        'attachment; filename="marac-sitting-%d-record.pdf"' % case["sid"]
    words = squash(pdf_text(pdf.body, tmp))
    assert sha in words and "OFFICIAL-SENSITIVE" in words
    for _, _, desc in ACTIONS:
        assert squash(desc) in words
    assert "Page 1 of " in words

    # No format carries a victim's or perpetrator's name, date of birth or
    # address, nor the referrer or the summary.
    for body in (r.body.decode(), text, csv.body.decode(), words):
        for s in PERSONAL:
            assert s not in body

    # Every export is logged with its hash, and audited, in its transaction.
    assert db.psql("SELECT string_agg(format || ':' || sha256 || ':' || role || ':' || kind,"
                   " ',' ORDER BY id) FROM record_exports") == ",".join(
        "%s:%s:chair:sitting" % (f, sha) for f in ("json", "html", "csv", "pdf"))
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'export' AND "
                   "object_type = 'sitting_record' AND object_id = '%d'" % case["sid"]) == "4"


def test_hash_is_stable_and_an_amendment_changes_it(maracd, db, case):
    path = "/v1/sittings/%d/record" % case["sid"]
    one = get(maracd, path, case["chair"]).headers["X-Record-SHA256"]
    two = get(maracd, path, case["chair"]).headers["X-Record-SHA256"]
    assert one == two
    as_caller(db, case["chair"], "SELECT decision_sign_off(%d, %d)" % (case["sid"], case["rid"]))
    signed = get(maracd, path, case["chair"])
    assert signed.headers["X-Record-SHA256"] != one
    assert signed.json()["sittings"][0]["cases"][0]["decision"]["signed_off_at"]
    as_caller(db, case["chair"], """SELECT decision_put(%d, %d, ARRAY['police', 'probation'],
        $j${"victim": "IDVA support and a MARAC safety plan"}$j$, $t$Amended.$t$,
        true, $t$Victim area corrected after the meeting$t$)""" % (case["sid"], case["rid"]))
    amended = get(maracd, path, case["chair"])
    sha = amended.headers["X-Record-SHA256"]
    assert sha not in (one, signed.headers["X-Record-SHA256"])
    d = amended.json()["sittings"][0]["cases"][0]["decision"]
    assert d["version"] == 2 and d["drive_increases_risk"] is True
    assert [(v["version"], v["reason"]) for v in d["versions"]] == [
        (1, None), (2, "Victim area corrected after the meeting")]
    assert d["versions"][0]["content"]["outcome"] == "Agreed actions below."
    assert get(maracd, path, case["chair"], "pdf").headers["X-Record-SHA256"] == sha
    assert db.psql("SELECT count(DISTINCT sha256) FROM record_exports") == "3"


def test_referral_record(maracd, db, case, tmp):
    path = "/v1/referrals/%d/record" % case["rid"]
    r = get(maracd, path, case["chair"])
    assert r.status == 200, r.body
    computed, stated = canonical_hash(r.body)
    assert computed == stated
    rec = r.json()
    assert rec["kind"] == "referral" and rec["id"] == case["rid"]
    assert [s["id"] for s in rec["sittings"]] == [case["sid"]]
    assert len(rec["sittings"][0]["cases"][0]["actions"]) == 3
    pdf = get(maracd, path, case["chair"], "pdf")
    words = squash(pdf_text(pdf.body, tmp))
    assert stated in words
    for _, _, desc in ACTIONS:
        assert squash(desc) in words
    assert db.psql("SELECT kind || ':' || object_id FROM record_exports ORDER BY id LIMIT 1") \
        == "referral:%d" % case["rid"]


def test_long_record_paginates_with_the_hash_on_every_page(maracd, db, case, tmp):
    long_text = " ".join("Sentence %d of a long action that goes on." % i for i in range(60))
    descs = ["Long action %d. %s" % (i, long_text) for i in range(12)]
    as_caller(db, case["chair"], "; ".join(
        "SELECT action_create(%d, %d, 'housing', 'location', $t$%s$t$, '2026-12-28', '%s')"
        % (case["rid"], case["sid"], desc, today()) for desc in descs))
    pdf = get(maracd, "/v1/sittings/%d/record" % case["sid"], case["chair"], "pdf")
    assert pdf.status == 200
    sha = pdf.headers["X-Record-SHA256"]
    pages = pdf_text(pdf.body, tmp).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 3
    for n, page in enumerate(pages, 1):
        assert sha in page, "page %d has no hash" % n
        assert "Page %d of %d" % (n, len(pages)) in page
    words = body_text(pages, sha)
    for desc in descs + [d for _, _, d in ACTIONS]:
        assert squash(desc) in words


def test_text_outside_winansi_is_printed_not_refused(maracd, db, case, tmp):
    as_caller(db, case["chair"], "SELECT action_create(%d, %d, 'police', 'victim', "
              "$t$Contact Łukasz Wójcik’s employer – ask about 東京 😀$t$, NULL, '%s')"
              % (case["rid"], case["sid"], today()))
    pdf = get(maracd, "/v1/sittings/%d/record" % case["sid"], case["chair"], "pdf")
    assert pdf.status == 200
    words = squash(pdf_text(pdf.body, tmp))
    assert "Contact Lukasz Wójcik’s employer – ask about ?? ?" in words


def test_who_may_export(maracd, db, case):
    sitting = "/v1/sittings/%d/record" % case["sid"]
    ref = "/v1/referrals/%d/record" % case["rid"]
    for path in (sitting, ref):
        assert get(maracd, path, case["police"]).status == 403
        assert get(maracd, path, None).status == 401
        other = get(maracd, path, db.token("chair", forum="masc"))
        assert other.status == 404 and other.json()["error"] == "not_found"
        assert get(maracd, path, db.token("admin")).status == 200
        bad = get(maracd, path, case["chair"], "docx")
        assert bad.status == 422 and bad.json()["fields"][0]["field"] == "format"
    assert get(maracd, "/v1/sittings/999999/record", case["chair"]).status == 404
    assert get(maracd, "/v1/referrals/abc/record", case["chair"]).status == 404
    # Refusals export nothing; the admin's two exports are logged as admin's.
    assert db.psql("SELECT string_agg(role, ',') FROM record_exports") == "admin,admin"


def test_maracctl_record_matches_http(maracd, db, case, tmp):
    http = get(maracd, "/v1/sittings/%d/record" % case["sid"], case["chair"])
    out = tmp / "rec.json"
    p = db.ctl("record", str(case["sid"]), "--format", "json", "--out", str(out))
    assert p.stdout.strip() == http.headers["X-Record-SHA256"]
    assert out.read_bytes() == http.body
    p = db.ctl("record", "--referral", str(case["rid"]), "--format", "pdf",
               "--out", str(tmp / "rec.pdf"))
    assert (tmp / "rec.pdf").read_bytes().startswith(b"%PDF-")
    assert len(p.stdout.strip()) == 64
    p = db.ctl("record", str(case["sid"]), "--format", "csv")
    assert p.stdout.startswith('"sha256","row",')
    assert db.psql("SELECT string_agg(role || ':' || format, ',' ORDER BY id) FROM record_exports "
                   "WHERE token_id IS NULL") == \
        "maracctl record:json,maracctl record:pdf,maracctl record:csv"
    assert db.ctl("record", "424242", check=False).returncode == 1
    for args in ([], ["1", "2"], ["1", "--referral", "2"], ["1", "--format", "docx"],
                 ["--bogus", "1"], ["x1"], ["--verify", str(out), "1"]):
        assert db.ctl("record", *args, check=False).returncode == 2, args


def test_maracctl_verifies_a_json_export(maracd, db, case, tmp):
    http = get(maracd, "/v1/sittings/%d/record" % case["sid"], case["chair"])
    sha = http.headers["X-Record-SHA256"]
    kept = tmp / "kept.json"
    kept.write_bytes(http.body)
    p = db.ctl("record", "--verify", str(kept))
    assert "unaltered sitting record %d, sha256 %s" % (case["sid"], sha) in p.stdout
    assert "exported 1 time(s), first at 20" in p.stdout
    assert p.stdout.endswith("current: yes\n")

    # Altered after export: the content no longer matches the stated hash.
    altered = tmp / "altered.json"
    altered.write_bytes(http.body.replace(b"Consider a stalking", b"Ignore a stalking"))
    p = db.ctl("record", "--verify", str(altered), check=False)
    assert p.returncode == 1 and "altered" in p.stderr and p.stdout == ""

    # Altered with a hash made to match: the log has never seen that hash.
    canonical = http.body[:http.body.rindex(b',"sha256"')] + b"}"
    forged_canon = canonical.replace(b"Consider a stalking", b"Ignore a stalking")
    forged_sha = hashlib.sha256(forged_canon).hexdigest()
    forged = tmp / "forged.json"
    forged.write_bytes(forged_canon[:-1] + b',"sha256":"%s"}' % forged_sha.encode())
    p = db.ctl("record", "--verify", str(forged), check=False)
    assert p.returncode == 1 and "no export" in p.stderr

    # Still the export it was, but the record has moved on since.
    as_caller(db, case["chair"], "SELECT decision_sign_off(%d, %d)" % (case["sid"], case["rid"]))
    p = db.ctl("record", "--verify", str(kept))
    assert p.stdout.endswith("current: no, the record has changed since\n")
    assert db.ctl("record", "--verify", str(tmp / "absent.json"), check=False).returncode == 1


def test_every_case_record_of_a_sitting_in_one_call(maracd, db, case):
    """GET /v1/sittings/{id}/record/cases: each case's hash and size are
    exactly its download's; each is logged and audited as an export, in
    the call's transaction; other areas and forums see nothing."""
    sid, chair = case["sid"], case["chair"]
    rids = [case["rid"]]
    for n in range(2):
        # Other victims: a repeat of the first would be linked to it, not listed.
        r = maracd.request("POST", "/v1/referrals", token=case["police"], body=referral(
            dash_yes=15, victim={"name": "Victim %d" % n, "dob": "1991-03-0%d" % (n + 1)}))
        assert r.status == 201, r.body
        assert r.json()["sitting"]["id"] == sid
        rids.append(r.json()["id"])
    path = "/v1/sittings/%d/record/cases" % sid
    r = get(maracd, path, chair)
    assert r.status == 200, r.body
    got = r.json()
    assert got["sitting_id"] == sid and got["format"] == "json"
    assert [c["referral_id"] for c in got["cases"]] == sorted(rids)
    refs = {int(i): ref for i, ref in (line.split("|") for line in db.psql(
        "SELECT id || '|' || reference FROM referrals").splitlines())}
    hashes = {}
    for c in got["cases"]:
        assert c["reference"] == refs[c["referral_id"]]
        hashes[c["referral_id"]] = c["sha256"]

    # Logged as exports of each case's JSON and audited, as a download is:
    # the read of its source and the export, in the call's transaction.
    req = r.headers["X-Request-Id"]
    assert db.psql("SELECT string_agg(object_id || ':' || format || ':' || sha256 || ':' "
                   "|| role || ':' || kind || ':' || request_id, ',' ORDER BY object_id) "
                   "FROM record_exports") == ",".join(
        "%d:json:%s:chair:referral:%s" % (rid, hashes[rid], req) for rid in sorted(rids))
    for action in ("read", "export"):
        assert db.psql("SELECT string_agg(object_id, ',' ORDER BY object_id::bigint) "
                       "FROM audit_log WHERE action = '%s' AND object_type = "
                       "'referral_record'" % action) == ",".join(map(str, sorted(rids)))

    # Each hash and size is the download's: the same bytes, made the same way.
    for c in got["cases"]:
        d = get(maracd, "/v1/referrals/%d/record" % c["referral_id"], chair)
        assert d.status == 200, d.body
        assert d.headers["X-Record-SHA256"] == c["sha256"]
        assert canonical_hash(d.body) == (c["sha256"], c["sha256"])
        assert len(d.body) == c["size"]
    assert len(set(hashes.values())) == 3

    # Who may ask: nothing for another forum or area, refused to agencies.
    before = db.psql("SELECT count(*) FROM record_exports")
    other = get(maracd, path, db.token("chair", forum="masc"))
    assert other.status == 404 and other.json()["error"] == "not_found", other.body
    # Another area's chair or coordinator may see the sitting, but
    # row-level security shows it none of its cases, and none is exported.
    for token in (db.token("chair", forum="marac", areas="eden"),
                  db.token("coordinator", areas="eden")):
        other = get(maracd, path, token)
        assert other.status == 200 and other.json()["cases"] == [], other.body
    assert get(maracd, path, case["police"]).status == 403
    assert get(maracd, "/v1/sittings/999999/record/cases", chair).status == 404
    assert db.psql("SELECT count(*) FROM record_exports") == before
    assert get(maracd, path, db.token("coordinator", areas="cumbria")).status == 200


def test_every_case_record_of_a_large_sitting_is_its_download(maracd, db, case):
    """Forty-odd cases heard at one sitting, some of them also at the next
    (decided again, given actions there, their actions reviewed there),
    some with actions stored without a sitting: the one call's hash and
    size of each case's record are still exactly its download's, though
    the call gathers the sittings once for all the cases."""
    sid, chair = case["sid"], case["chair"]
    rids = [case["rid"]]
    for n in range(41):
        r = maracd.request("POST", "/v1/referrals", token=case["police"], body=referral(
            dash_yes=15, victim={"name": "Victim %d" % n,
                                 "dob": "1980-%02d-%02d" % (n % 12 + 1, n % 28 + 1)}))
        assert r.status == 201, r.body
        assert r.json()["sitting"]["id"] == sid
        rids.append(r.json()["id"])
    later = int(db.psql("SELECT id FROM sittings WHERE forum = 'marac' AND area = "
                        "(SELECT area FROM sittings WHERE id = %d) AND date > "
                        "(SELECT date FROM sittings WHERE id = %d) ORDER BY date LIMIT 1"
                        % (sid, sid)))
    sql = []
    for i, rid in enumerate(rids[1:], 1):
        if i % 2:
            sql.append("SELECT decision_put(%d, %d, ARRAY['police'], $j${\"victim\": "
                       "\"Plan %d\"}$j$, $t$Outcome %d$t$, false, NULL)" % (sid, rid, i, i))
        if i % 4 == 1:
            sql.append("SELECT decision_sign_off(%d, %d)" % (sid, rid))
        if i % 3 == 0:
            sql.append("SELECT action_create(%d, %d, 'police', 'victim', $t$Visit %d$t$, "
                       "'2026-12-21', '%s')" % (rid, sid, i, today()))
        if i % 5 == 0:
            sql.append("SELECT action_create(%d, NULL, 'probation', 'offender', "
                       "$t$Warn %d$t$, '2026-12-22', '%s')" % (rid, i, today()))
        if i % 14 == 1:
            # Back at the next sitting: decided again (after its first
            # decision), given actions there, its actions reviewed there.
            sql.append("SELECT decision_put(%d, %d, ARRAY['police', 'probation'], "
                       "$j${\"offender\": \"Review %d\"}$j$, $t$Reviewed$t$, false, NULL)"
                       % (later, rid, i))
        if i % 7 == 1:
            sql.append("SELECT action_create(%d, %d, 'housing', 'location', "
                       "$t$Rehouse %d$t$, '2027-01-21', '%s')" % (rid, later, i, today()))
        if i % 6 == 0:
            sql.append("SELECT action_review(a.id, %d, 'carried_forward', $t$Still open$t$) "
                       "FROM actions a WHERE a.referral_id = %d" % (later, rid))
    as_caller(db, chair, "; ".join(sql))
    assert int(db.psql("SELECT count(DISTINCT referral_id) FROM decisions "
                       "WHERE sitting_id = %d" % later)) == 3
    assert int(db.psql("SELECT count(*) FROM action_reviews "
                       "WHERE sitting_id = %d" % later)) >= 3

    r = get(maracd, "/v1/sittings/%d/record/cases" % sid, chair)
    assert r.status == 200, r.body
    got = r.json()["cases"]
    assert [c["referral_id"] for c in got] == sorted(rids)
    sittings = set()
    for c in got:
        d = get(maracd, "/v1/referrals/%d/record" % c["referral_id"], chair)
        assert d.status == 200, d.body
        assert d.headers["X-Record-SHA256"] == c["sha256"], c["referral_id"]
        assert len(d.body) == c["size"], c["referral_id"]
        sittings.add(tuple(s["id"] for s in d.json()["sittings"]))
    # The cases' records differ in which sittings they run over.
    assert sittings == {(sid,), (sid, later)}
    assert len({c["sha256"] for c in got}) == len(rids)

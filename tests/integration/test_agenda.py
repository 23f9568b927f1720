"""Agendas end to end: drafts, issued versions and their diffs, the
circulation mail, formats, who may read what, maracctl agenda, and the
HTML agenda printed to PDF by headless Chromium."""
import base64
import datetime
import email
import email.policy
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import time

import pytest

from conftest import MAILDIR, Maracd, today
from referrals import referral, stalking
from test_rls import as_app, last

PERSONAL = ("Jane", "Doe", "John", "Roe", "1990-02-01", "1985-05-05", "CA1", "Free text")
MARAC_CORE = ["adult_social_care", "childrens_social_care", "health_icb", "housing", "idva",
              "police", "probation"]


@pytest.fixture(autouse=True)
def no_screening_yet(db):
    """The DRIVE job screens sittings a few working days ahead as maracd
    starts: keep it to sittings held today, so that a case's flag is "not
    screened" until a test screens its sitting, whatever the weekday."""
    db.write_conf(drive={"screen_workdays": "0"})


@pytest.fixture
def admin(db):
    return db.token("admin")


def sittings_generated(db):
    """maracd's sittings job runs at start-up, next to the first requests."""
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(DISTINCT forum) FROM sittings") != "2":
        assert time.monotonic() < deadline, "no sittings generated"
        time.sleep(0.05)


_victims = []


@pytest.fixture(autouse=True)
def victims_anew():
    _victims.clear()


def refer(maracd, db, agency, **over):
    """A high-risk DA referral by agency: it is listed at the next MARAC sitting.
    Each is a victim of its own unless the test names one (Jane Doe, born a
    day later each time, 1990-02-01 first): the same victim's referrals
    would be one case, the later ones linked to the first."""
    sittings_generated(db)
    if "victim" not in over:
        dob = datetime.date(1990, 2, 1) + datetime.timedelta(days=len(_victims))
        _victims.append(dob)
        over["victim"] = dict(referral()["victim"], dob=dob.isoformat())
    token = db.token("agency", agency=agency)
    r = maracd.request("POST", "/v1/referrals", body=referral(referring_agency=agency, **over),
                       token=token)
    assert r.status == 201, r.body
    return r.json()


def get(maracd, token, sid, query=""):
    return maracd.request("GET", "/v1/sittings/%d/agenda%s" % (sid, query), token=token)


def issue(maracd, token, sid):
    return maracd.request("POST", "/v1/sittings/%d/agenda/issue" % sid, token=token)


def refs(agenda):
    return [c["reference"] for g in agenda["groups"] for c in g["cases"]]


def test_issue_twice_with_a_late_referral_between(maracd, db, admin):
    a = refer(maracd, db, "police")
    b = refer(maracd, db, "housing", urgent=True)
    sid = a["sitting"]["id"]
    assert b["sitting"]["id"] == sid

    # Nothing issued yet: a draft, said so in the body and the headers.
    r = get(maracd, admin, sid)
    assert r.status == 200, r.body
    assert r.headers["X-Agenda-Status"] == "draft" and "X-Agenda-Version" not in r.headers
    d = r.json()
    assert d["status"] == "draft" and d["issued_at"] is None and d["case_count"] == 2
    # Grouped by referring agency in the configured order: police first.
    assert [g["agency"] for g in d["groups"]] == ["police", "housing"]
    assert refs(d) == [a["reference"], b["reference"]]
    case = d["groups"][0]["cases"][0]
    assert case["victim"] == {"initials": "J.D.", "age": case["victim"]["age"]}
    assert case["perpetrator"] == {"initials": "J.R."}
    assert case["children"] == 1 and case["drive"] == "not_screened"
    assert case["risk"]["level"] == "high" and case["officer"] == "DC Test"
    assert d["groups"][1]["cases"][0]["urgent"] is True
    for p in PERSONAL:
        assert p not in r.body.decode()

    r = issue(maracd, admin, sid)
    assert r.status == 201, r.body
    v1 = r.json()
    assert v1["version"] == 1 and v1["case_count"] == 2
    assert r.headers["Location"] == "/v1/sittings/%d/agenda?version=1" % sid
    assert v1["changes"]["counts"] == {"added": 2, "removed": 0, "changed": 0}
    assert v1["invited"] == MARAC_CORE and v1["mailed"] == MARAC_CORE

    # The late referral: same sitting (its cutoff has not passed), after the issue.
    c = refer(maracd, db, "idva")
    assert c["sitting"]["id"] == sid
    r = get(maracd, admin, sid)
    assert r.headers["X-Agenda-Status"] == "issued" and r.headers["X-Agenda-Version"] == "1"
    assert r.json()["case_count"] == 2 and c["reference"] not in refs(r.json())
    # The coordinator can look at what the next version would be.
    r = get(maracd, admin, sid, "?version=draft")
    assert r.json()["status"] == "draft" and c["reference"] in refs(r.json())

    # And a case already on it changes (its urgent flag, here).
    db.psql("UPDATE referrals SET urgent = true WHERE id = %d" % a["id"])

    r = issue(maracd, admin, sid)
    assert r.status == 201, r.body
    v2 = r.json()
    assert v2["version"] == 2 and v2["case_count"] == 3
    assert v2["changes"] == {"counts": {"added": 1, "removed": 0, "changed": 1},
                             "added": [c["reference"]], "removed": [],
                             "changed": [a["reference"]]}
    r = get(maracd, admin, sid)
    latest = r.json()
    assert r.headers["X-Agenda-Version"] == "2" and latest["version"] == 2
    assert c["reference"] in refs(latest)
    assert latest["changes"]["added"] == [c["reference"]]
    assert latest["issued_at"] == v2["issued_at"]
    # Version 1 is kept as it was.
    old = get(maracd, admin, sid, "?version=1").json()
    assert old["version"] == 1 and refs(old) == [a["reference"], b["reference"]]
    assert get(maracd, admin, sid, "?version=3").status == 404

    # A transfer out takes the case off the next version, and the diff says so.
    t = maracd.request("POST", "/v1/referrals/%d/transfer" % a["id"], token=admin,
                       body={"forum": "masc", "reason": "stalking, not DA"})
    assert t.status == 200, t.body
    v3 = issue(maracd, admin, sid).json()
    assert v3["changes"]["counts"] == {"added": 0, "removed": 1, "changed": 0}
    assert v3["changes"]["removed"] == [a["reference"]]

    # Stored: canonical JSON with its hash, who issued it, the diff.
    row = db.psql("SELECT content_sha256 = encode(sha256(convert_to(content, 'UTF8')), 'hex'), "
                  "issued_by = (SELECT max(id) FROM api_tokens WHERE role = 'admin'), "
                  "issued_via LIKE 'token:%%', diff->'counts'->>'added' "
                  "FROM agenda_versions WHERE sitting_id = %d AND version = 2" % sid)
    assert row == "t|t|t|1"
    assert latest["sha256"] == db.psql("SELECT content_sha256 FROM agenda_versions "
                                       "WHERE sitting_id = %d AND version = 2" % sid)
    # The answer is the stored canonical JSON, byte for byte, plus three members.
    canonical = {k: v for k, v in latest.items() if k not in ("status", "changes", "sha256")}
    text = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest() == latest["sha256"]

    # Circulation: one message per invited agency and version, in the outbox.
    keys = db.psql("SELECT key FROM outbox WHERE kind = 'agenda' AND key LIKE 'agenda:%d:v2:%%' "
                   "ORDER BY key" % sid).splitlines()
    assert keys == ["agenda:%d:v2:%s" % (sid, x) for x in MARAC_CORE]
    text = db.psql("SELECT subject || body_text || body_html FROM outbox "
                   "WHERE key = 'agenda:%d:v2:police'" % sid)
    assert "MARAC agenda" in text and "(version 2)" in text
    assert "Cases on the agenda: 3" in text
    assert "Changes since version 1: 1 added, 0 removed, 1 changed" in text
    assert "Changed: %s" % a["reference"] in text
    assert "Added: %s" % c["reference"] in text
    all_mail = db.psql("SELECT string_agg(subject || body_text || body_html || attachments::text,"
                       " '') FROM outbox WHERE kind = 'agenda'")
    for p in PERSONAL:
        assert p not in all_mail
    # Every issue and read is audited, by sitting and version.
    audit = db.psql("SELECT action || ' ' || object_id FROM audit_log "
                    "WHERE object_type = 'agenda' ORDER BY id").splitlines()
    assert "issue %d:1" % sid in audit and "issue %d:2" % sid in audit
    assert "read %d:1" % sid in audit and "read_draft %d" % sid in audit


def test_formats(maracd, db, admin):
    a = refer(maracd, db, "police")
    sid = a["sitting"]["id"]
    assert issue(maracd, admin, sid).status == 201

    r = get(maracd, admin, sid, "?format=html")
    assert r.status == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    html = r.body.decode()
    assert html.startswith("<!DOCTYPE html>") and "OFFICIAL-SENSITIVE" in html
    assert a["reference"] in html and "J.D." in html
    for p in PERSONAL:
        assert p not in html

    r = get(maracd, admin, sid, "?format=csv")
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"].startswith("attachment; filename=\"agenda-marac-")
    assert r.headers["Content-Disposition"].endswith("-v1.csv\"")
    lines = r.body.decode().split("\r\n")
    assert len([l for l in lines if l]) == 2 and a["reference"] in lines[1]

    r = get(maracd, admin, sid, "?format=ics")
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    ics = r.body.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in ics
    assert a["reference"] not in ics and "J.D." not in ics

    r = get(maracd, admin, sid, "?format=docx&version=x")
    assert r.status == 422
    assert {f["field"] for f in r.json()["fields"]} == {"format", "version"}
    assert get(maracd, admin, 999999).status == 404
    assert maracd.request("GET", "/v1/sittings/abc/agenda", token=admin).status == 404


def pdf_text(body):
    """The PDF's text by poppler's pdftotext: a PDF a real reader parses."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, check=True,
                          capture_output=True).stdout.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="poppler-utils is installed by tools/setup")
def test_pdf_draft_and_issued(maracd, db, admin):
    a = refer(maracd, db, "police")
    b = refer(maracd, db, "housing", victim={"name": "Mary Smith", "dob": "1980-03-03",
                                             "gender": "female", "postcode": "CA2 2BB"})
    sid = a["sitting"]["id"]

    # The draft, as the coordinator would issue it now.
    r = get(maracd, admin, sid, "?format=pdf&version=draft")
    assert r.status == 200, r.body
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["X-Agenda-Status"] == "draft"
    assert r.headers["Content-Disposition"].startswith("attachment; filename=\"agenda-marac-")
    assert r.headers["Content-Disposition"].endswith(".pdf\"")
    assert r.body.startswith(b"%PDF-") and r.body.rstrip().endswith(b"%%EOF")
    text = pdf_text(r.body)
    assert "MARAC agenda" in text and "OFFICIAL-SENSITIVE" in text
    assert "Version: Draft" in text and "Area: Cumbria" in text and "Cases: 2" in text
    assert a["reference"] in text and b["reference"] in text
    # Minimised as the HTML is: initials, never names or dates of birth.
    html = get(maracd, admin, sid, "?format=html&version=draft").body.decode()
    for initials in ("J.D.", "M.S.", "J.R."):
        assert initials in html and initials in text, initials
    for p in PERSONAL + ("Mary", "Smith", "1980-03-03", "CA2"):
        assert p not in text and p not in html, p

    # Issued: the same bytes every time, for every caller who may read it.
    assert issue(maracd, admin, sid).status == 201
    one = get(maracd, admin, sid, "?format=pdf&version=1")
    assert one.status == 200 and one.headers["X-Agenda-Version"] == "1"
    assert one.headers["Content-Disposition"].endswith("-v1.pdf\"")
    assert get(maracd, admin, sid, "?format=pdf").body == one.body
    assert get(maracd, admin, sid, "?format=pdf&version=1").body == one.body
    police = db.token("agency", agency="police")
    assert get(maracd, police, sid, "?format=pdf&version=1").body == one.body
    text = pdf_text(one.body)
    assert "Version: 1, issued" in text
    assert a["reference"] in text and b["reference"] in text and "M.S." in text
    assert "Smith" not in text
    # Another version is another file.
    refer(maracd, db, "idva")
    assert issue(maracd, admin, sid).status == 201
    two = get(maracd, admin, sid, "?format=pdf")
    assert two.headers["X-Agenda-Version"] == "2" and two.body != one.body
    assert "Cases: 3" in pdf_text(two.body)
    assert get(maracd, admin, sid, "?format=pdf&version=1").body == one.body


def test_who_may_read_and_issue(maracd, db, admin):
    a = refer(maracd, db, "police")
    sid = a["sitting"]["id"]
    police = db.token("agency", agency="police")
    outsider = db.token("agency", agency="victim_support")   # not a MARAC core agency
    marac_chair = db.token("chair", forum="marac")
    masc_chair = db.token("chair", forum="masc")

    # Before any issue: agencies get nothing, drafts are not theirs.
    assert get(maracd, police, sid).status == 404
    assert get(maracd, police, sid, "?version=draft").status == 403
    # The forum's chair sees the draft; the other forum's chair not even the sitting.
    r = get(maracd, marac_chair, sid)
    assert r.status == 200 and r.json()["status"] == "draft" and r.json()["case_count"] == 1
    assert get(maracd, masc_chair, sid).status == 404
    # Only a coordinator issues.
    for t in (police, marac_chair):
        assert issue(maracd, t, sid).status == 403
    assert issue(maracd, admin, sid).status == 201

    # Issued: the invited agencies read it, others do not.
    r = get(maracd, police, sid)
    assert r.status == 200 and r.json()["status"] == "issued"
    assert get(maracd, outsider, sid).status == 404
    assert get(maracd, marac_chair, sid, "?version=1").status == 200
    assert get(maracd, masc_chair, sid, "?version=1").status == 404
    # A non-core agency with a case on the agenda is invited too.
    b = refer(maracd, db, "victim_support")
    assert b["sitting"]["id"] == sid
    assert issue(maracd, admin, sid).json()["invited"] == sorted(MARAC_CORE + ["victim_support"])
    r = get(maracd, outsider, sid)
    assert r.status == 200 and r.json()["version"] == 2
    assert get(maracd, outsider, sid, "?version=1").status == 404

    # The same in SQL, as maracd's own role: policies, not only the handler.
    assert last(as_app(db, police, "SELECT count(*) FROM agenda_versions")) == "2"
    assert last(as_app(db, outsider, "SELECT count(*) FROM agenda_versions")) == "1"
    assert last(as_app(db, masc_chair, "SELECT count(*) FROM agenda_versions")) == "0"
    out = as_app(db, police, "INSERT INTO agenda_versions (sitting_id, version, forum, content, "
                 "content_sha256, case_count, diff, issued_via) VALUES (%d, 9, 'marac', '{}', "
                 "'x', 0, '{}', 'forged')" % sid)
    assert out.returncode != 0 and "row-level security" in out.stderr
    out = as_app(db, admin, "UPDATE agenda_versions SET case_count = 0")
    assert out.returncode != 0 and "permission denied" in out.stderr


def test_cancelled_and_held_sittings_are_not_issued(maracd, db, admin):
    a = refer(maracd, db, "police")
    sid = a["sitting"]["id"]
    # Held yesterday, by maracd's clock (not the database's).
    db.psql("UPDATE sittings SET date = '%s'::date - 1, cutoff_date = '%s'::date - 3 "
            "WHERE id = %d" % (today(), today(), sid))
    r = issue(maracd, admin, sid)
    assert r.status == 409 and r.json()["error"] == "sitting_held"
    db.psql("UPDATE sittings SET status = 'cancelled' WHERE id = %d" % sid)
    r = issue(maracd, admin, sid)
    assert r.status == 409 and r.json()["error"] == "sitting_cancelled"
    assert db.psql("SELECT count(*) FROM agenda_versions") == "0"
    assert db.psql("SELECT count(*) FROM outbox WHERE kind = 'agenda'") == "0"


def test_drive_flag_comes_from_the_screening(maracd, db, admin):
    # John Roe twice (two victims), once with strangulation answered yes:
    # recency 5, frequency 2, gravity 5, victims 3 = 15, a candidate at the
    # default 12.
    # Ann Other once, injury only: 5 + 1 + 3 + 1 = 10, not a candidate.
    a = refer(maracd, db, "police")
    b = refer(maracd, db, "police", dash_yes=20)
    other = dict(referral()["perpetrator"], name="Ann Other", dob="1980-03-03")
    c = refer(maracd, db, "police", perpetrator=other)
    sid = a["sitting"]["id"]
    assert b["sitting"]["id"] == sid and c["sitting"]["id"] == sid
    drive = lambda: {x["reference"]: x["drive"]
                     for x in refs_cases(get(maracd, admin, sid).json())}
    assert set(drive().values()) == {"not_screened"}
    r = maracd.request("POST", "/v1/sittings/%d/drive/screen" % sid, token=admin)
    assert r.status == 200, r.body
    candidate = {rid: p["candidate"] for p in r.json()["perpetrators"]
                 for rid in p["referral_ids"]}
    assert candidate == {a["id"]: True, b["id"]: True, c["id"]: False}
    assert drive() == {a["reference"]: "candidate", b["reference"]: "candidate",
                       c["reference"]: "not_candidate"}
    # Agencies read the flag on the issued agenda, though not the screening.
    assert issue(maracd, admin, sid).status == 201
    police = db.token("agency", agency="police")
    assert maracd.request("GET", "/v1/sittings/%d/drive" % sid, token=police).status == 403
    issued = get(maracd, police, sid).json()
    assert {x["reference"]: x["drive"] for x in refs_cases(issued)}[a["reference"]] == "candidate"
    # MASC has no DRIVE: not applicable.
    s = maracd.request("POST", "/v1/referrals", body=stalking(),
                       token=db.token("agency", agency="police")).json()
    masc = get(maracd, admin, s["sitting"]["id"]).json()
    assert [x["drive"] for x in refs_cases(masc)] == ["not_applicable"]


def refs_cases(agenda):
    return [c for g in agenda["groups"] for c in g["cases"]]


@pytest.fixture
def configured(db, tmp):
    """A maracd whose [agenda] settings the test chooses before it starts."""
    started = []

    def start(agenda=None, mail=None):
        db.write_conf(agenda=agenda or {}, mail=dict({"mail_domain": "marac.example"},
                                                     **(mail or {})))
        m = Maracd(db, tmp).start()
        started.append(m)
        return m
    yield start
    for m in started:
        m.stop()
        m.assert_clean_log()


def test_full_names_and_agency_order_are_settings(configured, db, admin):
    m = configured(agenda={"full_names": "yes", "agency_order": "housing,police",
                           "attach": "html,csv,ics"})
    a = refer(m, db, "police", victim={"name": "Mary Roe", "dob": "1980-03-03"})
    refer(m, db, "housing")
    sid = a["sitting"]["id"]
    d = get(m, admin, sid).json()
    assert [g["agency"] for g in d["groups"]] == ["housing", "police"]
    v = d["groups"][0]["cases"][0]["victim"]
    assert d["full_names"] is True and v["name"] == "Jane Doe" and v["dob"] == "1990-02-01"
    assert issue(m, admin, sid).status == 201
    # [mail] personal_data is no: names stay out of the mail, attachments included.
    files = db.psql("SELECT string_agg(x->>'filename', ',') FROM outbox, "
                    "jsonb_array_elements(attachments) x WHERE key = 'agenda:%d:v1:police'" % sid)
    assert files.endswith("-v1.ics") and "," not in files


def test_circulation_mail_is_sent_with_its_attachments(configured, db, admin):
    m = configured(agenda={"attach": "html,ics,html", "link_base": "https://maracd.example.org/"})
    a = refer(m, db, "police")
    sid = a["sitting"]["id"]
    assert issue(m, admin, sid).status == 201
    key = "agenda:%d:v1:police" % sid
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        mid = db.psql("SELECT message_id FROM outbox WHERE key = '%s' AND status = 'sent'" % key)
        if mid:
            break
        time.sleep(0.2)
    assert mid, db.psql("SELECT status, last_error FROM outbox WHERE key = '%s'" % key)
    msg = None
    # Message-IDs come from outbox keys, and every test's database numbers
    # its sittings alike: an earlier test's agenda may share this one's ID
    # in the suite's mailbox.  The newest is this test's.
    for path in sorted(pathlib.Path(MAILDIR).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        raw = path.read_bytes().replace(b"\r\n", b"\n")
        got = email.message_from_bytes(raw, policy=email.policy.default)
        if got["Message-ID"] == mid:
            msg = got
    assert msg is not None
    assert msg["To"] == "police@agencies.example"
    assert msg["Subject"].startswith("MARAC agenda, ") and msg["Subject"].endswith("(version 1)")
    body = msg.get_body(("plain",)).get_content()
    assert "Cases on the agenda: 1" in body
    assert ("https://maracd.example.org/v1/sittings/%d/agenda?format=html&version=1" % sid) in body
    parts = {p.get_filename(): p for p in msg.iter_attachments()}
    assert sorted(n.rsplit(".", 1)[1] for n in parts) == ["html", "ics"]
    html = [p for n, p in parts.items() if n.endswith(".html")][0].get_content()
    html = html.decode() if isinstance(html, bytes) else html
    assert a["reference"] in html and "OFFICIAL-SENSITIVE" in html
    for p in PERSONAL:
        assert p not in body and p not in html


def test_circulation_links_under_mail_base_url_without_link_base(configured, db, admin):
    m = configured(mail={"base_url": "https://maracd.example.net"})
    sid = refer(m, db, "police")["sitting"]["id"]
    assert issue(m, admin, sid).status == 201
    body = db.psql("SELECT body_text FROM outbox WHERE key = 'agenda:%d:v1:police'" % sid)
    assert ("https://maracd.example.net/v1/sittings/%d/agenda?format=html&version=1" % sid) in body


def test_maracctl_agenda(maracd, db):
    a = refer(maracd, db, "police")
    sid = str(a["sitting"]["id"])
    out = db.ctl("agenda", sid)
    d = json.loads(out.stdout)
    assert d["status"] == "draft" and refs(d) == [a["reference"]]
    out = db.ctl("agenda", sid, "--issue")
    assert out.stdout.startswith("sitting %s: issued version 1, 1 case (1 added" % sid), out.stdout
    out = db.ctl("agenda", sid, "--format", "csv")
    assert a["reference"] in out.stdout and out.stdout.startswith('"')
    b = refer(maracd, db, "police")
    out = db.ctl("agenda", sid, "--issue", "--format", "json")
    d = json.loads(out.stdout)
    assert d["version"] == 2 and d["changes"]["added"] == [b["reference"]]
    # The daemon and the command agree on what was issued.
    admin = db.token("admin")
    assert get(maracd, admin, int(sid)).json()["sha256"] == db.psql(
        "SELECT content_sha256 FROM agenda_versions WHERE version = 2")
    assert db.psql("SELECT issued_via FROM agenda_versions WHERE version = 1") == "maracctl agenda"
    assert db.psql("SELECT count(*) FROM audit_log WHERE role = 'maracctl agenda' "
                   "AND action = 'issue'") == "2"
    assert json.loads(db.ctl("agenda", sid, "--version", "1").stdout)["version"] == 1
    assert db.ctl("agenda", "999999", check=False).returncode == 1
    assert db.ctl("agenda", sid, "--version", "9", check=False).returncode == 1
    for bad in ([], ["x"], [sid, "--format", "docx"], [sid, "--issue", "--version", "1"]):
        r = db.ctl("agenda", *bad, check=False)
        assert r.returncode == 2 and r.stderr.startswith("usage:"), bad


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("pdftotext") is None,
                    reason="chromium and poppler-utils are installed by tools/setup")
def test_html_agenda_prints_to_a4_pdf_in_chromium(maracd, db, admin, tmp):
    # Three agencies, enough police cases to run over a page.
    police = [refer(maracd, db, "police") for _ in range(30)]
    housing = refer(maracd, db, "housing", victim={"name": "Mary <b>Smith</b>", "dob": "1980-03-03",
                                                   "gender": "female", "postcode": "CA2 2BB"})
    idva = refer(maracd, db, "idva")
    sid = police[0]["sitting"]["id"]
    assert issue(maracd, admin, sid).status == 201
    r = get(maracd, admin, sid, "?format=html")
    page = tmp / "agenda.html"
    page.write_bytes(r.body)
    pdf = tmp / "agenda.pdf"
    env = dict(os.environ, HOME=str(tmp))
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-pdf-header-footer",
                    "--print-to-pdf=%s" % pdf, page.as_uri()],
                   check=True, capture_output=True, timeout=120, env=env)
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    size = [l for l in info.splitlines() if l.startswith("Page size:")][0].split()
    assert round(float(size[2])) == 842 and round(float(size[4])) == 595, size   # A4 landscape
    pages = int([l for l in info.splitlines() if l.startswith("Pages:")][0].split()[1])
    assert pages >= 3

    def text(first=None, last=None):
        args = ["pdftotext", "-layout"]
        if first:
            args += ["-f", str(first), "-l", str(last or first)]
        return subprocess.run(args + [str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout

    whole = text()
    assert "MARAC agenda" in whole and "OFFICIAL-SENSITIVE" in whole
    assert "Version" in whole and "Cases" in whole
    for x in police + [housing, idva]:
        assert x["reference"] in whole
    assert "M.B." in whole and "Smith" not in whole and "<b>" not in whole
    for p in PERSONAL:
        assert p not in whole
    # Every sheet carries the marking; each agency's cases start a new page.
    by_page = [text(i) for i in range(1, pages + 1)]
    assert all("OFFICIAL-SENSITIVE" in t for t in by_page)
    starts = {}
    for ref, agency in [(police[0]["reference"], "police"), (housing["reference"], "housing"),
                        (idva["reference"], "idva")]:
        starts[agency] = [i for i, t in enumerate(by_page) if ref in t][0]
    # In [agenda] agency_order's default order: police, idva, housing.
    assert starts["police"] < starts["idva"] < starts["housing"]
    assert police[-1]["reference"] not in by_page[starts["idva"]]
    assert idva["reference"] not in by_page[starts["housing"]]
    # And it renders: pdftoppm makes one image per page.
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp / "page")], check=True,
                   capture_output=True)
    pngs = sorted(tmp.glob("page*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 1000 for p in pngs)

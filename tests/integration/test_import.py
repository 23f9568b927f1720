"""CSV import: POST /v1/referrals/import and maracctl import FILE."""
import csv
import io
import os
import re
import subprocess
import time

import pytest

from conftest import BUILD
from referrals import heard_at, referral, stalking

COLUMNS = (
    ["external_ref", "referring_agency", "referrer_name", "referrer_email", "referrer_phone",
     "received_at", "area", "forum_requested", "domestic_abuse", "stalking", "urgent",
     "victim_name", "victim_dob", "victim_gender", "victim_postcode",
     "perpetrator_name", "perpetrator_dob", "perpetrator_gender", "perpetrator_relationship",
     "perpetrator_in_custody", "perpetrator_mappa_level", "perpetrator_on_drive",
     "perpetrator_in_area"]
    + ["child%d_%s" % (n, p) for n in (1, 2) for p in ("name", "dob", "resident")]
    + ["dash_version"] + ["dash_%d" % q for q in range(1, 29)]
    + ["sdash_%d" % q for q in range(1, 12)]
    + ["judgement_level", "judgement_reason", "escalation", "police_callouts_12m",
       "lawful_basis", "consent", "summary"])


def yn(v):
    return "" if v is None else ("yes" if v else "no")


def cells(r):
    """A JSON referral (referrals.py) as the import's columns."""
    row = {
        "external_ref": r.get("external_ref", ""),
        "referring_agency": r["referring_agency"],
        "received_at": r.get("received_at", ""),
        "area": r.get("area", ""),
        "forum_requested": r.get("forum_requested") or "",
        "domestic_abuse": yn(r["domestic_abuse"]),
        "stalking": yn(r["stalking"]),
        "urgent": yn(r.get("urgent")),
        "escalation": yn(r.get("escalation")),
        "police_callouts_12m": str(r.get("police_callouts_12m", "")),
        "lawful_basis": ";".join(r["lawful_basis"]),
        "consent": r["consent"],
        "summary": r.get("summary", ""),
    }
    for k, v in r.get("referrer", {}).items():
        row["referrer_" + k] = v
    for k, v in r["victim"].items():
        row["victim_" + k] = v
    for k, v in (r.get("perpetrator") or {}).items():
        row["perpetrator_" + k] = yn(v) if isinstance(v, bool) else str(v)
    for n, c in enumerate(r.get("children", []), 1):
        for k, v in c.items():
            row["child%d_%s" % (n, k)] = yn(v) if isinstance(v, bool) else v
    if "dash" in r:
        row["dash_version"] = r["dash"]["version"]
        for q, v in r["dash"]["answers"].items():
            row["dash_" + q] = yn(v)
    for q, v in r.get("sdash", {}).get("answers", {}).items():
        row["sdash_" + q] = yn(v)
    if "professional_judgement" in r:
        row["judgement_level"] = r["professional_judgement"]["level"]
        row["judgement_reason"] = r["professional_judgement"].get("reason", "")
    return row


def to_csv(rows, columns=COLUMNS):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", restval="")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return out.getvalue()


def post_csv(maracd, token, text, content_type="text/csv"):
    return maracd.request("POST", "/v1/referrals/import", body=text.encode(), token=token,
                          headers={"Content-Type": content_type}, timeout=60)


@pytest.fixture
def admin(db):
    return db.token("admin")


def test_http_import_stores_valid_rows_and_reports_every_row(maracd, db, admin):
    high = referral(dash_yes=15, summary="line one\nline two, with \"quotes\"")
    bad = cells(referral())
    bad.update(victim_dob="1990-02-30", domestic_abuse="maybe", dash_5="perhaps",
               consent="", perpetrator_mappa_level="7")
    young = referral(victim={"name": "Young Person", "dob": "2015-03-03"})
    unknown_agency = cells(referral())
    unknown_agency["referring_agency"] = "no_such_agency"
    rows = [cells(high), cells(stalking()), bad, cells(young), cells(high), unknown_agency]
    r = post_csv(maracd, admin, to_csv(rows))
    assert r.status == 200, r.body
    b = r.json()
    assert (b["rows"], b["imported"], b["duplicates"], b["refused"], b["invalid"]) == \
        (6, 2, 1, 1, 2)
    res = b["results"]
    # Row numbers are line numbers: rows 2 and 7 take two lines each.
    assert [x["row"] for x in res] == [2, 4, 5, 6, 7, 9]
    assert [x["status"] for x in res] == ["created", "created", "invalid", "refused",
                                          "duplicate", "invalid"]
    assert res[0]["forum"] == "marac" and res[0]["reference"].startswith("MARAC-")
    assert res[1]["forum"] == "masc"
    assert res[4]["id"] == res[0]["id"] and res[4]["reference"] == res[0]["reference"]
    assert {e["field"] for e in res[2]["errors"]} == {
        "victim_dob", "domestic_abuse", "dash_5", "consent", "perpetrator_mappa_level"}
    assert res[2]["id"] is None and res[2]["reference"] is None
    assert res[3]["error"] == "victim_under_16"
    assert "safeguarding" in res[3]["errors"][0]["reason"].lower()
    assert res[5]["errors"] == [{"field": "referring_agency",
                                 "reason": "is not an agency of this deployment"}]
    # Valid rows stored, the others not.
    assert db.psql("SELECT count(*) FROM referrals") == "2"
    assert db.psql("SELECT count(*) FROM referral_people WHERE name = 'Young Person'") == "0"
    assert db.psql("SELECT count(*) FROM referrals WHERE external_ref = '%s'"
                   % bad["external_ref"]) == "0"
    got = maracd.request("GET", "/v1/referrals/%d" % res[0]["id"], token=admin).json()
    assert got["summary"] == high["summary"]
    # Audit rows name the admin's token, one per referral created.
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'create' "
                   "AND role = 'admin'") == "2"


def test_a_row_reads_as_its_json_twin(maracd, admin, db):
    """The same referral by CSV and by JSON: the same decision."""
    body = referral(dash_yes=9, sdash_yes=11, escalation=True, police_callouts_12m=4,
                    professional_judgement={"level": "high", "reason": "pattern"},
                    received_at="2026-01-05T09:30:00Z", forum_requested="masc")
    twin = dict(body, external_ref=body["external_ref"] + "-json")
    by_json = maracd.request("POST", "/v1/referrals", body=twin, token=admin).json()
    # Heard already: the twin is not linked to it as a case still waiting.
    heard_at(db, by_json["id"], "2026-01-15")
    by_csv = post_csv(maracd, admin, to_csv([cells(body)])).json()["results"][0]
    a = maracd.request("GET", "/v1/referrals/%d" % by_json["id"], token=admin).json()
    b = maracd.request("GET", "/v1/referrals/%d" % by_csv["id"], token=admin).json()
    for k in ("risk", "forum", "status", "review", "warnings", "received_at", "victim",
              "perpetrator", "children", "dash", "sdash", "professional_judgement",
              "lawful_basis", "consent", "summary", "referrer", "repeat"):
        assert a[k] == b[k], k


def test_import_again_creates_nothing(maracd, db, admin):
    text = to_csv([cells(referral()) for _ in range(5)])
    assert post_csv(maracd, admin, text).json()["imported"] == 5
    b = post_csv(maracd, admin, text).json()
    assert (b["imported"], b["duplicates"]) == (0, 5)
    assert db.psql("SELECT count(*) FROM referrals") == "5"


def test_import_is_admin_only(maracd, db):
    text = to_csv([cells(referral())])
    for token in (db.token("agency", agency="police"), db.token("chair", forum="marac")):
        assert post_csv(maracd, token, text).status == 403
    assert post_csv(maracd, None, text).status == 401
    assert db.psql("SELECT count(*) FROM referrals") == "0"


def test_import_needs_text_csv(maracd, admin):
    r = post_csv(maracd, admin, to_csv([cells(referral())]), content_type="application/json")
    assert r.status == 415
    assert post_csv(maracd, admin, to_csv([cells(referral())]),
                    content_type="text/csv; charset=utf-8").status == 200


def test_a_wrong_header_imports_nothing(maracd, db, admin):
    text = to_csv([cells(referral())]).replace("victim_postcode", "victim_shoe_size", 1)
    r = post_csv(maracd, admin, text)
    assert r.status == 422
    assert r.json()["error"] == "invalid_header"
    assert r.json()["fields"] == [{"field": "victim_shoe_size",
                                   "reason": "is not a known column (see maracctl(1), COLUMNS)"}]
    r = post_csv(maracd, admin, "")
    assert r.status == 422 and "no header" in r.json()["fields"][0]["reason"]
    assert db.psql("SELECT count(*) FROM referrals") == "0"


def test_a_bad_csv_line_costs_that_row_only(maracd, admin):
    text = (to_csv([cells(referral())]) + 'broken,po"lice\r\n'
            + to_csv([cells(referral())]).split("\r\n", 1)[1])
    b = post_csv(maracd, admin, text).json()
    assert [x["status"] for x in b["results"]] == ["created", "invalid", "created"]
    assert b["results"][1]["errors"][0]["field"] is None
    assert "quote" in b["results"][1]["errors"][0]["reason"]


def test_many_rows_in_one_request(maracd, db, admin):
    """More rows than one batch of the loop, valid and invalid mixed."""
    rows = []
    for i in range(600):
        r = cells(referral(dash_yes=i % 20))
        if i % 3 == 0:
            r["consent"] = "perhaps"
        rows.append(r)
    b = post_csv(maracd, admin, to_csv(rows)).json()
    assert (b["rows"], b["imported"], b["invalid"]) == (600, 400, 200)
    assert db.psql("SELECT count(*) FROM referrals") == "400"


# --- maracctl import ---------------------------------------------------------

def bulk_csv(path, n, prefix="BULK"):
    """n valid referrals with a long summary each (bytes that add up)."""
    filler = ("Background: " + "The victim reports repeated incidents. " * 60)[:2100]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["external_ref", "referring_agency", "domestic_abuse", "stalking",
                    "victim_name", "victim_dob", "perpetrator_name", "dash_version"]
                   + ["dash_%d" % q for q in range(1, 28)]
                   + ["lawful_basis", "consent", "summary"])
        for i in range(n):
            score = i % 20
            w.writerow(["%s-%06d" % (prefix, i), ("police", "idva", "housing")[i % 3],
                        "yes" if i % 4 else "no", "no" if i % 4 else "yes",
                        "Victim %d" % i, "1980-01-%02d" % (i % 28 + 1), "Person %d" % i,
                        "dash-2009"] + ["yes" if q <= score else "no" for q in range(1, 28)]
                       + ["crime_and_disorder_act_s115", "not_sought",
                          "Row %d.\n%s" % (i, filler)])
    return os.path.getsize(path)


def ctl_measured(db, *args):
    """maracctl with its own peak memory (ru_maxrss of this child alone)."""
    env = dict(os.environ)
    # ASan keeps freed memory in quarantine (256 MB by default) to catch use
    # after free; that would measure ASan, not maracctl.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=4"
    env["MARACCTL_OWNER_DSN"] = db.owner_dsn
    with open(db.conf.parent / "ctl.out", "w+") as out, \
            open(db.conf.parent / "ctl.err", "w+") as err:
        start = time.monotonic()
        p = subprocess.Popen([str(BUILD / "maracctl"), "-c", str(db.conf), *args],
                             stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read(), err.read(), usage.ru_maxrss * 1024, elapsed


def test_maracctl_imports_a_big_file_in_bounded_memory(db, tmp):
    n = 20000
    path = tmp / "bulk.csv"
    size = bulk_csv(path, n)
    assert size > 40 * 1024 * 1024
    rc, out, err, rss, secs = ctl_measured(db, "import", str(path))
    assert rc == 0, err
    assert out.splitlines()[-1] == \
        "import: %d rows, %d imported, 0 duplicates, 0 refused, 0 invalid" % (n, n)
    print("maracctl import: %d rows in %.1f s (%.0f rows/s), max RSS %.1f MB, file %.1f MB"
          % (n, secs, n / secs, rss / 2**20, size / 2**20))
    # Streaming: the file (over 40 MB) is never held whole.
    assert rss < 50 * 1024 * 1024, "max RSS %d bytes" % rss
    assert db.psql("SELECT count(DISTINCT reference) FROM referrals") == str(n)
    assert db.psql("SELECT count(*) FROM referral_answers") == str(n * 27)
    assert db.psql("SELECT count(DISTINCT role) || ' ' || min(role) FROM audit_log "
                   "WHERE action = 'create'") == "1 maracctl import"
    # Again: every row is already there.
    rc, out, err, rss, secs = ctl_measured(db, "import", str(path))
    assert rc == 0, err
    assert out.splitlines()[-1] == \
        "import: %d rows, 0 imported, %d duplicates, 0 refused, 0 invalid" % (n, n)
    assert db.psql("SELECT count(*) FROM referrals") == str(n)


def test_maracctl_reports_bad_rows_and_goes_on(db, tmp):
    bad = cells(referral())
    bad.update(victim_dob="1990-02-30", stalking="perhaps")
    young = cells(referral(victim={"name": "Young Person", "dob": "2015-03-03"}))
    path = tmp / "some.csv"
    path.write_text("\ufeff" + to_csv([cells(referral()), bad, young, cells(stalking())]))
    r = db.ctl("import", str(path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ("row 3: stalking: must be yes or no (or true/false, y/n, 1/0), "
                        "or left blank; victim_dob: must be a real calendar date "
                        "written YYYY-MM-DD")
    assert re.match(r"row 4: victim_dob: The victim is under 16", lines[1])
    # No sittings exist (maracd never ran): the two wait, and it says so.
    assert lines[2].startswith("import: 2 of the referrals imported wait for a sitting")
    assert lines[3] == "import: 4 rows, 2 imported, 0 duplicates, 1 refused, 1 invalid"
    assert db.psql("SELECT count(*) FROM referrals") == "2"
    # The schema owner's policies do not open the tables to maracd's role.
    out = subprocess.run(["psql", "-X", "-tA", "-h", "127.0.0.1", "-p", str(db.cluster.port),
                          "-U", "maracd", "-d", db.name, "-c", "SELECT count(*) FROM referrals"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "0"


def named(i, **over):
    """A referral of victim i (its own name and date of birth)."""
    r = referral(**over)
    r["victim"] = dict(r["victim"], name="Victim %d" % i, dob="1980-01-%02d" % (i % 28 + 1))
    return r


def test_maracctl_a_batch_the_database_refuses_goes_row_by_row(db, tmp):
    """Two rows name an agency the database does not know, one in the
    first batch (500 rows) and one in the second: each batch is refused
    whole, stored again a row at a time, and only those rows are lost,
    each reported by its row and column; every batch, the last one of
    the file too, is committed."""
    rows = [cells(named(i, dash_yes=i % 20)) for i in range(1100)]
    rows[1]["referring_agency"] = "nosuch"
    rows[700]["referring_agency"] = "nosuch"
    path = tmp / "refused.csv"
    path.write_text(to_csv(rows))
    r = db.ctl("import", str(path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:2] == ["row 3: referring_agency: is not an agency of this deployment",
                         "row 702: referring_agency: is not an agency of this deployment"]
    assert lines[-1] == "import: 1100 rows, 1098 imported, 0 duplicates, 0 refused, 2 invalid"
    assert db.psql("SELECT count(*) FROM referrals") == "1098"
    assert db.psql("SELECT count(*) FROM referrals WHERE external_ref IN ('%s', '%s')"
                   % (rows[1]["external_ref"], rows[700]["external_ref"])) == "0"
    # The rows stored a row at a time are stored as the others are: their
    # people, and one audit row each naming the import.
    assert db.psql("SELECT count(*) FROM referral_people WHERE role = 'victim'") == "1098"
    assert db.psql("SELECT count(*) || ' ' || min(role) FROM audit_log "
                   "WHERE action = 'create' AND object_type = 'referral'") == \
        "1098 maracctl import"
    # The last row (the third batch's) is there: that batch was committed.
    assert db.psql("SELECT count(*) FROM referrals WHERE external_ref = '%s'"
                   % rows[-1]["external_ref"]) == "1"


def test_maracctl_a_victim_named_again_in_the_file_joins_the_first_case(db, tmp):
    """The file's own repeats: the victim's first referral is the case
    (waiting: no sittings exist), and her later ones in the same file and
    batch are linked to it, as they would be one request at a time;
    other victims' rows in between are cases of their own."""
    a = [referral(dash_yes=15) for _ in range(3)]
    o = [named(i, dash_yes=15) for i in range(2)]
    path = tmp / "again.csv"
    path.write_text(to_csv([cells(x) for x in (a[0], o[0], a[1], o[1], a[2])]))
    r = db.ctl("import", str(path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == \
        "import: 5 rows, 5 imported, 0 duplicates, 0 refused, 0 invalid"
    def row(x):
        return db.psql("SELECT status || ' ' || coalesce(linked_to::text, '-') || ' ' || "
                       "repeat FROM referrals WHERE external_ref = '%s'" % x["external_ref"])
    first = db.psql("SELECT id FROM referrals WHERE external_ref = '%s'" % a[0]["external_ref"])
    assert row(a[0]) == "waiting - false"
    assert row(a[1]) == "linked %s false" % first
    assert row(a[2]) == "linked %s false" % first
    assert [row(x) for x in o] == ["waiting - false"] * 2
    assert db.psql("SELECT string_agg(object_id, ' ' ORDER BY id) FROM audit_log "
                   "WHERE action = 'link'") == " ".join(
        "%s>%s" % (db.psql("SELECT id FROM referrals WHERE external_ref = '%s'"
                           % x["external_ref"]), first) for x in a[1:])


def test_maracctl_import_failures(db, tmp):
    r = db.ctl("import", check=False)
    assert r.returncode == 2 and "usage" in r.stderr
    r = db.ctl("import", str(tmp / "missing.csv"), check=False)
    assert r.returncode == 1 and "missing.csv" in r.stderr
    path = tmp / "header.csv"
    path.write_text("external_ref,colour\r\nA,blue\r\n")
    r = db.ctl("import", str(path), check=False)
    assert r.returncode == 1
    assert "line 1: colour: is not a known column" in r.stderr
    assert "line 1: victim_dob: is a required column" in r.stderr


def test_an_imported_repeat_is_seen(maracd, admin):
    """A MARAC case heard, then the same victim again: a repeat.  (Were the
    first still waiting for its sitting, the second would be linked to it,
    and so no repeat: tests/integration/test_cases.py.)"""
    first = post_csv(maracd, admin, to_csv([cells(referral(dash_yes=15))])).json()
    heard_at(maracd.db, first["results"][0]["id"], "2026-01-15")
    b = post_csv(maracd, admin, to_csv([cells(referral(dash_yes=2))])).json()
    second = b["results"][0]
    assert second["forum"] == "marac"
    got = maracd.request("GET", "/v1/referrals/%d" % second["id"], token=admin).json()
    assert got["repeat"] is True


def test_maracctl_import_needs_the_schema_owner(db, tmp):
    path = tmp / "one.csv"
    path.write_text(to_csv([cells(referral())]))
    r = db.ctl("import", str(path), check=False, owner_dsn=db.settings["database"]["dsn"])
    assert r.returncode == 1 and "schema owner" in r.stderr


def stored(db, ref):
    return db.psql("SELECT coalesce(forum, '-'), review, domestic_abuse, "
                   "coalesce(warnings->0->>'code', '-') FROM referrals "
                   "WHERE external_ref = '%s'" % ref)


def test_imports_route_by_the_act_and_the_thresholds(maracd, db, admin, tmp):
    """Both CSV paths decide as POST /v1/referrals does: domestic abuse
    by the Act, and maracd.conf's [referrals] thresholds (maracctl reads
    the same file)."""
    def victim(n):
        return {"name": "Victim %s" % n, "dob": "1990-02-01"}

    # Each its own victim: a MARAC referral would make the next a repeat.
    ex = stalking(victim=victim("ex"))
    ex["perpetrator"]["relationship"] = "ex-partner"
    ex["dash"]["answers"] = {str(q): q <= 15 for q in range(1, 28)}
    stranger = referral(dash_yes=15, stalking=True, victim=victim("stranger"))
    stranger["perpetrator"]["relationship"] = "stranger"
    ten = referral(dash_yes=10, victim=victim("ten"))
    r = post_csv(maracd, admin, to_csv([cells(ex), cells(stranger), cells(ten)]))
    assert r.status == 200, r.body
    assert [x["forum"] for x in r.json()["results"]] == ["marac", "masc", None]
    assert stored(db, ex["external_ref"]) == "marac|t|f|da_by_relationship"
    assert stored(db, stranger["external_ref"]) == "masc|t|t|not_da_not_connected"
    assert stored(db, ten["external_ref"]) == "-|f|t|consent_not_sought_below_high"

    db.write_conf(referrals={"dash_high": "10"})
    ex2 = dict(ex, external_ref=ex["external_ref"] + "-ctl", victim=victim("ex2"))
    ten2 = dict(ten, external_ref=ten["external_ref"] + "-ctl", victim=victim("ten2"))
    path = tmp / "act.csv"
    path.write_text(to_csv([cells(ex2), cells(ten2)]))
    out = db.ctl("import", str(path))
    assert out.stdout.splitlines()[-1] == \
        "import: 2 rows, 2 imported, 0 duplicates, 0 refused, 0 invalid"
    assert stored(db, ex2["external_ref"]) == "marac|t|f|da_by_relationship"
    assert stored(db, ten2["external_ref"]) == "marac|f|t|-"


def test_the_same_rows_by_post_and_by_import_are_stored_alike(maracd, db, admin):
    """Issue 24: the per-referral path (POST /v1/referrals) and the bulk
    path (an import) store through the same function
    (sql/004_referrals.sql): the same rows give the same scores, routes,
    repeats, links, sittings, answers and audit rows, and a resend is a
    duplicate on both."""
    def victim(path, n):
        return {"name": "Victim %s%d" % (path, n), "dob": "1990-02-01"}

    def rows(path):
        heard = referral(dash_yes=15, victim=victim(path, 7))
        got = maracd.request("POST", "/v1/referrals", body=heard, token=admin).json()
        # A sitting of its own for each path (one a forum, area and date).
        heard_at(db, got["id"], "2026-01-15" if path == "J" else "2026-01-22")
        out = [
            referral(dash_yes=15, victim=victim(path, 1)),
            referral(dash_yes=2, victim=victim(path, 1)),
            stalking(victim=victim(path, 2)),
            referral(dash_yes=3, victim=victim(path, 3)),
            referral(dash_yes=15, victim=victim(path, 4), forum_requested="masc"),
            referral(dash_yes=9, sdash_yes=11, escalation=True, police_callouts_12m=4,
                     professional_judgement={"level": "high", "reason": "pattern"},
                     received_at="2026-01-05T09:30:00Z", victim=victim(path, 5)),
            referral(dash_yes=15, urgent=True, victim=victim(path, 6)),
            referral(dash_yes=4, victim=victim(path, 7)),
            referral(dash_yes=0, sdash_yes=3, victim=victim(path, 8)),
        ]
        return out + [dict(out[0])]      # a resend: a duplicate

    def stored(ids):
        pos = {rid: i for i, rid in enumerate(ids)}
        out = []
        for rid in ids:
            got = maracd.request("GET", "/v1/referrals/%d" % rid, token=admin).json()
            row = db.psql("SELECT coalesce(forum, '-'), status, repeat, review, urgent, "
                          "risk_level, risk_bases, dash_score, sdash_score, "
                          "coalesce(sitting_id, 0), coalesce(linked_to, 0), "
                          "dash_answers, sdash_answers, created_by IS NOT NULL "
                          "FROM referrals WHERE id = %d" % rid).split("|")
            linked = int(row[10])
            row[10] = pos.get(linked, -1) if linked else None
            audit = db.psql("SELECT string_agg(action || ':' || role, ',' ORDER BY id) "
                            "FROM audit_log WHERE object_type = 'referral' AND "
                            "(object_id = '%d' OR object_id LIKE '%d>%%')" % (rid, rid))
            mail = db.psql("SELECT count(*) FROM outbox WHERE subject = "
                           "'URGENT MARAC referral %s'" % got["reference"])
            out.append((row, audit, mail, got["dash"], got.get("sdash"), got["risk"],
                        got["warnings"]))
        return out

    json_rows = rows("J")
    by_json = []
    for r in json_rows:
        resp = maracd.request("POST", "/v1/referrals", body=r, token=admin)
        assert resp.status in (200, 201), resp.body
        by_json.append((resp.status == 201, resp.json()["id"]))
    csv_rows = rows("C")
    b = post_csv(maracd, admin, to_csv([cells(r) for r in csv_rows])).json()
    assert (b["imported"], b["duplicates"]) == (len(csv_rows) - 1, 1), b
    by_csv = [(x["status"] == "created", x["id"]) for x in b["results"]]
    assert [c for c, _ in by_json] == [c for c, _ in by_csv] == [True] * 9 + [False]
    a = stored([i for _, i in by_json])
    c = stored([i for _, i in by_csv])
    for i, (x, y) in enumerate(zip(a, c)):
        assert x == y, (i, x, y)
    # The mix is what it says: a link, a repeat, a review, a MASC case,
    # one below threshold, answers of both checklists.
    statuses = [x[0][1] for x in a]
    assert statuses.count("linked") == 1 and "below_threshold" in statuses
    assert "masc" in [x[0][0] for x in a]
    assert [x[0][2] for x in a].count("t") == 1 and [x[0][3] for x in a].count("t") == 1
    assert a[5][4] == {"answers": {str(q): True for q in range(1, 12)}}

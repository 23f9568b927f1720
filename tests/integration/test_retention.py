"""Retention: the purge job and maracctl purge, legal holds, the figures.

Data are made through the API at the suite's clock (T0); then the clock
moves past each boundary ([retention] defaults: below threshold 12
months after receipt, cases 6 years after the victim's last referral or
hearing, outbox bodies 30 days after sending), the purge runs, and
exactly the right rows lose their personal data; a held case stays until
its hold is lifted; GET /v1/statistics gives the same figures before
and after; the audit log names every object purged; a second run does
nothing.
"""
import datetime
import subprocess
import json

import conftest
from conftest import Maracd, wait_for
from referrals import heard_at, referral
from test_least_privilege import as_app, denied

T0 = conftest.today()


def instant(d):
    """10:00 UTC on date d, as MARACD_CLOCK takes it."""
    return "%sT10:00:00Z" % d.isoformat()


def years(d, n):
    return d.replace(year=d.year + n)


C1 = instant(T0 + datetime.timedelta(days=400))            # past 12 months
C2 = instant(years(T0, 6) + datetime.timedelta(days=60))   # past 6 years


def victim(name, dob):
    return {"name": name, "dob": dob, "gender": "female", "postcode": "CA2 2BB"}


def post(maracd, tok, body):
    r = maracd.request("POST", "/v1/referrals", body, token=tok)
    assert r.status in (200, 201), r.body
    return r.json()["id"]


def hear(db, rid, d):
    """Referral rid heard at a sitting of its own, on the first day from d
    that has none (referrals.heard_at, where the generated sittings leave
    room)."""
    free = db.psql("SELECT min(x)::date FROM generate_series('%s'::date, '%s'::date + 30, "
                   "'1 day') x WHERE NOT EXISTS (SELECT 1 FROM sittings s JOIN referrals r "
                   "ON r.forum = s.forum AND r.area = s.area WHERE r.id = %d AND s.date = x)"
                   % (d, d, rid))
    heard_at(db, rid, free)
    return free


def people(db, rid):
    return db.psql("SELECT string_agg(role || ':' || name || ':' || coalesce(dob::text, '-'), ',' "
                   "ORDER BY role, ordinal) FROM referral_people WHERE referral_id = %d" % rid)


def purged(db, rid):
    return db.psql("SELECT purged_at IS NOT NULL FROM referrals WHERE id = %d" % rid) == "t"


def audited(db, action, obj_type, oid):
    return int(db.psql("SELECT count(*) FROM audit_log WHERE action = '%s' AND object_type = '%s' "
                       "AND object_id = '%s'" % (action, obj_type, oid)))


def stats(maracd, admin):
    frm = years(T0, -8).isoformat()
    to = (T0 + datetime.timedelta(days=30)).isoformat()
    r = maracd.request("GET", "/v1/statistics?from=%s&to=%s&as_of=%s" % (frm, to, T0.isoformat()),
                       token=admin)
    assert r.status == 200, r.body
    doc = r.json()
    return json.dumps(doc, sort_keys=True)


def test_purge_boundaries_holds_figures_and_audit(db, maracd, tmp):
    admin = db.token("admin")
    police = db.token("agency", agency="police")

    below = post(maracd, police, referral(dash_yes=3, victim=victim("Dora Below", "1991-03-03")))
    assert db.psql("SELECT status FROM referrals WHERE id = %d" % below) == "below_threshold"
    case_a = post(maracd, police, referral(victim=victim("Alice Heard", "1988-01-01")))
    held_b = post(maracd, police, referral(victim=victim("Beth Held", "1989-02-02")))
    # Victim C: heard seven years ago, referred again now: the later
    # referral restarts the clock for both.
    old_c = post(maracd, admin, referral(victim=victim("Cara Again", "1990-04-04"),
                                          received_at=instant(years(T0, -7))))
    hear(db, old_c, years(T0, -7) + datetime.timedelta(days=7))
    new_c = post(maracd, police, referral(victim=victim("Cara Again", "1990-04-04")))
    hear(db, case_a, T0 + datetime.timedelta(days=7))
    hear(db, held_b, T0 + datetime.timedelta(days=8))
    sitting_a = int(db.psql("SELECT sitting_id FROM referrals WHERE id = %d" % case_a))
    db.psql("INSERT INTO sitting_minutes (sitting_id, forum, venue, chair, attendees) VALUES "
            "(%d, 'marac', 'Room 4', 'DI Chair', '[{\"agency\": \"police\", \"name\": \"DS Smith\"}]')"
            % sitting_a)
    action_a = int(db.psql(
        "INSERT INTO actions (referral_id, sitting_id, forum, reference, agency, area, description, "
        "due, status) SELECT id, sitting_id, forum, reference, 'police', 'victim', "
        "'Visit Alice at home', '%s', 'completed' FROM referrals WHERE id = %d RETURNING id"
        % (T0 + datetime.timedelta(days=14), case_a)))
    mail = int(db.psql(
        "INSERT INTO outbox (key, kind, recipients, subject, body_text, status, sent_at, "
        "message_id) VALUES ('test:retention', 'test', ARRAY['x@agencies.example'], 'Subject', "
        "'Body naming Alice', 'sent', now(), '<m@test>') RETURNING id"))

    r = maracd.request("POST", "/v1/referrals/%d/hold" % held_b, {"reason": "DARDR 2026/3"},
                       token=admin)
    assert r.status == 201, r.body
    assert maracd.request("POST", "/v1/referrals/%d/hold" % held_b, {"reason": "again"},
                          token=admin).status == 409
    r = maracd.request("POST", "/v1/referrals/%d/hold" % case_a, {}, token=admin)
    assert r.status == 422 and b"reason" in r.body
    assert maracd.request("POST", "/v1/referrals/%d/hold" % case_a, {"reason": "x"},
                          token=police).status == 403
    holds = maracd.request("GET", "/v1/holds", token=admin).json()["holds"]
    assert [h["referral_id"] for h in holds] == [held_b]
    assert audited(db, "hold", "referral", held_b) == 1

    figures = stats(maracd, admin)
    everyone = [below, case_a, held_b, old_c, new_c]
    before = {rid: people(db, rid) for rid in everyone}

    # Past 12 months: the job purges the below-threshold referral and
    # the sent message's body, nothing else.
    db.write_conf(retention={"purge": "yes"})
    later = Maracd(db, tmp, clock=C1).start()
    try:
        assert wait_for(lambda: purged(db, below), seconds=20), later.log_text()
        assert wait_for(lambda: audited(db, "purge_clear_body", "outbox", mail) == 1)
    finally:
        later.stop()
    later.assert_clean_log()
    assert "Dora" not in people(db, below) and "1991" not in people(db, below)
    for rid in (case_a, held_b, old_c, new_c):
        assert not purged(db, rid) and people(db, rid) == before[rid]
    assert db.psql("SELECT body_text || '|' || message_id || '|' || recipients[1] FROM outbox "
                   "WHERE id = %d" % mail) == "|<m@test>|x@agencies.example"
    assert audited(db, "purge_anonymise", "referral", below) == 1
    assert db.psql("SELECT role FROM audit_log WHERE action = 'purge_anonymise' AND "
                   "object_id = '%d'" % below) == "job:purge"
    assert db.psql("SELECT object_id FROM audit_log WHERE action = 'purge' AND "
                   "role = 'job:purge'") == '{"outbox": 1, "below_threshold": 1}'

    # A second run at the same instant finds nothing.
    out = db.ctl("purge", clock=C1)
    assert "0 objects purged" in out.stderr and out.stdout == ""

    # Past six years: the dry run says what would go and why, then the
    # purge takes the cases of A and C and A's sitting's records; B is held.
    dry = db.ctl("purge", "--dry-run", clock=C2).stdout.splitlines()
    listed = {(l.split()[1], l.split()[3]) for l in dry}
    assert listed == {("case", str(case_a)), ("case", str(old_c)), ("case", str(new_c)),
                      ("sitting", str(sitting_a))}, dry
    assert all("Alice" not in l and "1988" not in l for l in dry)
    out = db.ctl("purge", "--batch", "2", clock=C2)
    # Whole victims per batch: A (1), then C (2) fills the first batch
    # of 2; the sitting's records follow in the second.
    assert "4 objects purged in 2 batches" in out.stderr, out.stderr
    for rid in (case_a, old_c, new_c):
        assert purged(db, rid)
        assert audited(db, "purge_anonymise", "referral", rid) == 1
        assert not any(n in people(db, rid) for n in ("Alice", "Cara", "John", "1988", "1990"))
    assert not purged(db, held_b) and people(db, held_b) == before[held_b]
    assert db.psql("SELECT description FROM actions WHERE id = %d" % action_a) == \
        "(removed: retention)"
    assert db.psql("SELECT coalesce(venue, '-') || coalesce(chair, '-') || attendees::text "
                   "FROM sitting_minutes WHERE sitting_id = %d" % sitting_a) == \
        '--[{"agency": "police"}]'
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'purge' "
                   "AND role = 'maracctl purge'") == "2"
    assert db.ctl("purge", clock=C2).stdout == ""

    # The hold lifted, the held case goes too.
    r = maracd.request("DELETE", "/v1/referrals/%d/hold" % held_b, token=admin)
    assert r.status == 200 and r.json()["lifted_at"] is not None
    assert maracd.request("DELETE", "/v1/referrals/%d/hold" % held_b, token=admin).status == 404
    assert maracd.request("GET", "/v1/holds", token=admin).json()["holds"] == []
    assert "1 object purged" in db.ctl("purge", clock=C2).stderr
    assert purged(db, held_b) and "Beth" not in people(db, held_b)

    # Every figure as before, for every period.
    assert stats(maracd, admin) == figures
    # The rows are all still there: anonymised, not deleted.
    assert db.psql("SELECT count(*) FROM referrals WHERE id IN (%s)"
                   % ",".join(map(str, everyone))) == "5"


def test_delete_action_removes_the_rows(db, maracd):
    police = db.token("agency", agency="police")
    below = post(maracd, police, referral(dash_yes=3, victim=victim("Dora Below", "1991-03-03")))
    case_a = post(maracd, police, referral(victim=victim("Alice Heard", "1988-01-01")))
    db.psql("INSERT INTO actions (referral_id, forum, reference, agency, area, description, due) "
            "SELECT id, forum, reference, 'police', 'victim', 'Visit', '%s' FROM referrals "
            "WHERE id = %d" % (T0, case_a))
    db.write_conf(retention={"below_threshold_action": "delete", "case_action": "delete"})
    db.ctl("purge", clock=C2)
    assert db.psql("SELECT count(*) FROM referrals WHERE id IN (%d, %d)" % (below, case_a)) == "0"
    assert db.psql("SELECT count(*) FROM referral_people WHERE referral_id IN (%d, %d)"
                   % (below, case_a)) == "0"
    assert db.psql("SELECT count(*) FROM actions WHERE referral_id = %d" % case_a) == "0"
    assert audited(db, "purge_delete", "referral", below) == 1
    assert audited(db, "purge_delete", "referral", case_a) == 1


def test_only_the_job_or_the_owner_may_purge(db, maracd):
    """The application login, with or without the old system flag, can
    neither purge nor list what is due."""
    police = db.token("agency", agency="police")
    below = post(maracd, police, referral(dash_yes=3))
    for flag in ("", "SELECT set_config('maracd.system', 'x', false); "):
        for call in ("retention_purge_batch('%s', '%s', '{}', 10)" % (C2, C2[:10]),
                     "(SELECT count(*) FROM retention_due('%s', '%s', '{}'))" % (C2, C2[:10])):
            out = as_app(db, flag + "SELECT %s" % call)
            assert denied(out), (call, out.stdout, out.stderr)
    assert not purged(db, below)


def test_audit_purge_keeps_recent_rows_and_the_purges(db, maracd):
    """sql/dba/audit_purge.sql (as a superuser here) refuses a date less
    than 7 years ago, removes nothing newer than its date, and records
    itself; the append-only trigger is back on afterwards."""
    admin = db.token("admin")
    assert maracd.request("GET", "/v1/holds", token=admin).status == 200
    rows = int(db.psql("SELECT count(*) FROM audit_log"))
    script = str(conftest.SRC / "sql/dba/audit_purge.sql")
    try:
        conftest.pgcluster("psql", db.cluster.port, "-d", db.name, "-v",
                           "before=%s" % years(T0, -1), "-f", script)
        raise AssertionError("a date a year ago was accepted")
    except subprocess.CalledProcessError as e:
        assert "7 years" in e.stdout + e.stderr
    out = conftest.pgcluster("psql", db.cluster.port, "-d", db.name, "-tA", "-v",
                             "before=%s" % years(T0, -8), "-f", script)
    assert out.stdout.strip().splitlines()[-1] == "0"
    assert int(db.psql("SELECT count(*) FROM audit_log")) == rows + 1
    assert db.psql("SELECT object_id FROM audit_log WHERE action = 'audit_purge'") == \
        "before %s: 0 rows" % years(T0, -8)
    try:
        db.psql("DELETE FROM audit_log")
        raise AssertionError("the audit log took a DELETE")
    except subprocess.CalledProcessError as e:
        assert "append-only" in e.stderr


def test_subject_access_gathers_one_person_and_is_audited(db, maracd, tmp):
    police = db.token("agency", agency="police")
    mine = post(maracd, police, referral(victim=victim("Siobhan O'Brien-Kelly", "1990-02-01")))
    also = post(maracd, police, referral(
        victim=victim("Other Person", "1970-07-07"),
        perpetrator=dict(referral()["perpetrator"], name="Siobhan OBrien Kelly", dob="1990-02-01")))
    other = post(maracd, police, referral(victim=victim("Someone Else", "1980-08-08")))
    prefix = str(tmp / "sa")
    out = db.ctl("subject-access", "--name", "siobhan o'brien kelly", "--dob", "1990-02-01",
                 "--out", prefix)
    assert "2 referrals" in out.stderr and "Siobhan" not in out.stderr + out.stdout
    doc = json.load(open(prefix + ".json"))
    got = {r["referral"]["id"]: r["as"] for r in doc["referrals"]}
    assert got == {mine: ["victim"], also: ["perpetrator"]}
    assert other not in got
    mine_doc = [r for r in doc["referrals"] if r["referral"]["id"] == mine][0]
    assert any(p["name"] == "Siobhan O'Brien-Kelly" for p in mine_doc["people"])
    assert len(mine_doc["answers"]) == 27
    html = open(prefix + ".html").read()
    assert "Siobhan O&#39;Brien-Kelly" in html and "Someone Else" not in html
    # The printable copy: a PDF with the person in it (its streams are
    # not compressed) and nobody else.
    pdf = open(prefix + ".pdf", "rb").read()
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Siobhan O'Brien-Kelly" in pdf and b"Someone Else" not in pdf
    for ext in ("json", "html", "pdf"):
        assert oct(__import__("os").stat(prefix + "." + ext).st_mode & 0o777) == "0o600"
    assert "sa.pdf" in out.stderr
    assert audited(db, "subject_access", "referral", mine) == 1
    assert audited(db, "subject_access", "subject", 2) == 1
    assert db.psql("SELECT role FROM audit_log WHERE action = 'subject_access' LIMIT 1") == \
        "maracctl subject-access"
    out = db.ctl("subject-access", "--name", "x", "--dob", "1990-13-01", check=False)
    assert out.returncode == 1 and "--dob" in out.stderr


def test_sessions_and_links_go_once_they_cannot_be_used(db, maracd):
    # A person with one session ended, one expired and one live; an
    # invitation used, a reset link expired and one still to be used.
    uid = db.psql("INSERT INTO users (email, display_name) VALUES "
                  "('p@example.org', 'P') RETURNING id").splitlines()[0]
    for i, (expires, ended) in enumerate([("2099-01-01", "2026-01-01"),
                                          ("2020-01-01", None), ("2099-01-01", None)]):
        db.psql("INSERT INTO sessions (id_hash, user_id, stage, expires_at, ended_at) "
                "VALUES (sha256('s%d'), %s, 'password', '%s', %s)"
                % (i, uid, expires, "'%s'" % ended if ended else "NULL"))
    for i, (kind, expires, used) in enumerate([("invite", "2099-01-01", "2026-01-01"),
                                               ("reset", "2020-01-01", None),
                                               ("reset", "2099-01-01", None)]):
        db.psql("INSERT INTO user_links (link_hash, kind, user_id, expires_at, used_at) "
                "VALUES (sha256('l%d'), '%s', %s, '%s', %s)"
                % (i, kind, uid, expires, "'%s'" % used if used else "NULL"))
    dry = db.ctl("purge", "--dry-run").stdout
    assert dry.count("would-purge access session ") == 2, dry
    assert dry.count("would-purge access link ") == 2, dry
    out = db.ctl("purge")
    assert "4 objects purged" in out.stderr, out.stderr
    assert db.psql("SELECT count(*) FROM sessions") == "1"
    assert db.psql("SELECT count(*) FROM user_links") == "1"
    assert db.psql("SELECT count(*) FROM audit_log WHERE action LIKE 'purge%' "
                   "AND object_type IN ('session', 'link')") == "4"
    assert ": 0 objects purged" in db.ctl("purge").stderr

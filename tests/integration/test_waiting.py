"""Every case that should be heard has a sitting, and never one already
held: referrals that wait for a sitting (status "waiting"), the
coordinator's needs-attention list and mail, the sittings job moving the
cases of the sittings it moves or cancels, held sittings as history, and
late referrals joining the first sitting still to come.

Every maracd and maracctl here runs at a fixed clock (conftest.clock_env),
mostly in 2027, so that sittings held by the clock are still ahead of the
real date: code that asked PostgreSQL's now() for "today" would treat them
as still to come, and these tests would see it."""
import datetime as dt
import subprocess
import time

import pytest

from conftest import PGPORT, Maracd, wait_for
from referrals import referral, stalking
from test_import import cells, post_csv, to_csv

COORDINATOR = "coordinator@marac.example"
CALENDAR = {"horizon_weeks": "8", "sittings_job_interval": "1"}
# Monday 1 February 2027: MASC sits on 8 and 22 February (cutoffs 3 and 17
# February), MARAC on Thursdays (4, 11, 18, 25 February).
T0 = "2027-02-01T10:00:00Z"
# Wednesday 10 February: the MASC sitting of the 8th has been held.
T1 = "2027-02-10T10:00:00Z"
# Thursday 11 February: the MARAC sitting of that day is today's.
T2 = "2027-02-11T08:00:00Z"


@pytest.fixture
def admin(db):
    return db.token("admin")


@pytest.fixture
def police(db):
    return db.token("agency", agency="police")


def configure(db, **calendar):
    db.write_conf(calendar=dict(CALENDAR, **calendar),
                  reminders={"coordinator_email": COORDINATOR})


def start(db, tmp, clock, **calendar):
    configure(db, **calendar)
    m = Maracd(db, tmp, clock=clock).start()
    if not wait_for(lambda: db.psql("SELECT count(DISTINCT forum) FROM sittings") == "2"):
        m.stop()
        raise AssertionError("no sittings: " + m.log_text())
    return m


def stop(m):
    m.stop()
    m.assert_clean_log()


def sid(db, forum, date):
    return int(db.psql("SELECT id FROM sittings WHERE forum = '%s' AND date = '%s' "
                       "AND status = 'scheduled'" % (forum, date)))


def referral_row(db, rid):
    return db.psql("SELECT status, coalesce(sitting_id::text, '-') FROM referrals "
                   "WHERE id = %d" % rid)


def waiting_mail(db):
    return db.psql("SELECT array_to_string(recipients, ',') || '|' || subject || '|' || "
                   "body_text FROM outbox WHERE kind = 'waiting' ORDER BY id")


class LockHolder:
    """A session holding the sittings job's lock: maracd's job skips, as
    after a fresh start before its first run."""

    def __init__(self, db):
        self.p = subprocess.Popen(
            ["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(PGPORT), "-U", "postgres",
             "-d", db.name], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.p.stdin.write("BEGIN; SELECT pg_advisory_xact_lock("
                           "hashtext('maracd.job.sittings'));\n")
        self.p.stdin.flush()
        assert wait_for(lambda: db.psql("SELECT count(*) FROM pg_locks WHERE "
                                        "locktype = 'advisory' AND granted") == "1", 5)

    def release(self):
        if self.p.stdin.closed:
            return
        self.p.stdin.write("COMMIT;\n")
        self.p.stdin.close()
        self.p.wait(timeout=10)


# --- waiting, told, and listed as soon as a sitting exists -------------------

def test_a_referral_before_the_first_sittings_run_waits_then_joins(db, tmp, admin, police):
    lock = LockHolder(db)
    try:
        configure(db)
        m = Maracd(db, tmp, clock=T0).start()
        try:
            r = m.request("POST", "/v1/referrals", body=stalking(), token=police)
            assert r.status == 201, r.body
            b = r.json()
            assert (b["status"], b["forum"], b["sitting"]) == ("waiting", "masc", None)
            w = [x for x in b["warnings"] if x["code"] == "waiting_for_sitting"]
            assert len(w) == 1 and "coordinator has been told" in w[0]["message"]
            assert "first sitting that exists" in w[0]["message"]
            got = m.request("GET", "/v1/referrals/%d" % b["id"], token=police).json()
            assert got["status"] == "waiting" and got["warnings"] == b["warnings"]
            listed = m.request("GET", "/v1/referrals?status=waiting", token=admin).json()
            assert [x["id"] for x in listed["referrals"]] == [b["id"]]

            # The coordinator: the needs-attention list, and one mail.
            a = m.request("GET", "/v1/attention", token=admin)
            assert a.status == 200, a.body
            assert a.json()["items"] == [{
                "kind": "referral_waiting",
                "why": {"code": "no_series", "message": a.json()["items"][0]["why"]["message"]},
                "referral": {"id": b["id"], "reference": b["reference"], "forum": "masc",
                             "area": "cumbria", "received_date": got["received_date"]}}]
            assert "MASC" in a.json()["items"][0]["why"]["message"]
            assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'list' "
                           "AND object_type = 'attention' AND role = 'admin'") == "1"
            for token in (police, db.token("chair", forum="masc")):
                assert m.request("GET", "/v1/attention", token=token).status == 403
            mail = waiting_mail(db)
            rcpt, subject, body = mail.split("|", 2)
            assert rcpt == COORDINATOR and subject == "MASC referrals waiting for a sitting (cumbria)"
            assert "%s, received %s: no MASC sittings" % (b["reference"], got["received_date"]) \
                in body
            assert "Jane Doe" not in mail and "John Roe" not in mail

            # The job runs: the case joins the first sitting it qualifies for.
            lock.release()
            assert wait_for(lambda: referral_row(db, b["id"]).startswith("listed|")), \
                m.log_text()
            want = sid(db, "masc", "2027-02-08")
            assert referral_row(db, b["id"]) == "listed|%d" % want
            got = m.request("GET", "/v1/referrals/%d" % b["id"], token=police).json()
            assert got["status"] == "listed" and got["sitting"]["date"] == "2027-02-08"
            assert not [x for x in got["warnings"] if x["code"] == "waiting_for_sitting"]
            assert db.psql("SELECT role FROM audit_log WHERE action = 'assign' "
                           "AND object_id = '%d'" % b["id"]) == "job:sittings"
            assert m.request("GET", "/v1/attention", token=admin).json() == {"items": []}
        finally:
            stop(m)
    finally:
        lock.release()


def test_beyond_the_horizon_waits_until_sittings_reach_it(db, tmp, admin, police):
    # Thursday 10 December 2026, a week's horizon: the MASC sitting of the
    # 14th has closed (cutoff the 9th), the next (29th) is not generated.
    m = start(db, tmp, "2026-12-10T10:00:00Z", horizon_weeks="1")
    try:
        b = m.request("POST", "/v1/referrals", token=admin,
                      body=stalking(received_at="2026-12-10T10:00:00Z")).json()
        assert (b["status"], b["sitting"]) == ("waiting", None), b
        item = m.request("GET", "/v1/attention", token=admin).json()["items"][0]
        assert item["why"]["code"] == "no_sitting"
        assert item["referral"]["reference"] == b["reference"]
        # A MARAC case meets a generated sitting: listed as ever.
        c = m.request("POST", "/v1/referrals", body=referral(dash_yes=15), token=police).json()
        assert c["status"] == "listed" and c["sitting"] is not None
        db.write_conf(calendar=dict(CALENDAR, horizon_weeks="4"))
        m.signal(__import__("signal").SIGHUP)
        assert wait_for(lambda: referral_row(db, b["id"]).startswith("listed|"))
        got = m.request("GET", "/v1/referrals/%d" % b["id"], token=police).json()
        assert got["sitting"]["date"] == "2026-12-29"
        assert m.request("GET", "/v1/attention", token=admin).json() == {"items": []}
    finally:
        stop(m)


def test_import_paths_wait_the_same_way(db, tmp, admin):
    """Before any sitting exists: CSV over HTTP and maracctl import."""
    lock = LockHolder(db)
    try:
        configure(db)
        m = Maracd(db, tmp, clock=T0).start()
        try:
            r = post_csv(m, admin, to_csv([cells(stalking()), cells(referral(dash_yes=2))]))
            assert r.status == 200, r.body
            b = r.json()
            assert [x["referral_status"] for x in b["results"]] == ["waiting",
                                                                     "below_threshold"]
            assert b["waiting"] == 1 and "coordinator has been told" in b["notice"]
        finally:
            stop(m)
    finally:
        lock.release()
    path = tmp / "rows.csv"
    # Two victims: the same one's second referral would be linked to her case.
    path.write_text(to_csv([cells(stalking(victim=someone(1))),
                            cells(stalking(victim=someone(2)))]))
    out = db.ctl("import", str(path), clock=T0).stdout.splitlines()
    assert out[-1] == "import: 2 rows, 2 imported, 0 duplicates, 0 refused, 0 invalid"
    assert out[-2].startswith("import: 2 of the referrals imported wait for a sitting")
    assert db.psql("SELECT count(*) FROM referrals WHERE status = 'waiting'") == "3"
    # One mail per transaction: the HTTP import's, and maracctl's.
    assert db.psql("SELECT count(*) FROM outbox WHERE kind = 'waiting'") == "2"
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'create' "
                   "AND role = 'maracctl import'") == "2"


# --- areas and forums maracd does not serve ---------------------------------

def test_an_area_or_forum_without_sittings_is_422(db, tmp, admin, police):
    m = start(db, tmp, T0)
    try:
        r = m.request("POST", "/v1/referrals", body=stalking(area="westmorland"), token=police)
        assert r.status == 422, r.body
        assert r.json()["fields"][0]["field"] == "area"
        assert "cumbria" in r.json()["fields"][0]["reason"]
        r = post_csv(m, admin, to_csv([cells(stalking(area="westmorland"))]))
        row = r.json()["results"][0]
        assert row["status"] == "invalid" and row["errors"][0]["field"] == "area"
    finally:
        stop(m)
    # No MARAC series configured: a MARAC case would be heard nowhere.
    m = start(db, tmp, T0, marac_anchor="")
    try:
        r = m.request("POST", "/v1/referrals", body=referral(dash_yes=15), token=police)
        assert r.status == 422, r.body
        assert r.json()["fields"][0]["field"] == "area"
        assert "MARAC" in r.json()["fields"][0]["reason"]
        assert m.request("POST", "/v1/referrals", body=stalking(),
                         token=police).json()["status"] == "listed"
    finally:
        stop(m)
    assert db.psql("SELECT count(*) FROM referrals") == "1"


# --- the sittings job moves cases ---------------------------------------------

def test_the_job_moves_every_case_of_a_sitting_it_cancels(db, tmp, admin, police):
    m = start(db, tmp, T0, holiday_policy="skip")
    try:
        idva = db.token("agency", agency="idva")
        a = m.request("POST", "/v1/referrals", body=stalking(), token=police).json()
        b = m.request("POST", "/v1/referrals", body=stalking(referring_agency="idva",
                                                             victim=someone(3)),
                      token=idva).json()
        first = sid(db, "masc", "2027-02-22")
        # Both received before the cutoff of the 8th: listed there.
        assert a["sitting"]["date"] == b["sitting"]["date"] == "2027-02-08"
        # A holiday proclaimed on the 8th, behind the API's back: the job
        # (no caller token) cancels the sitting, and its cases must follow.
        eighth = a["sitting"]["id"]
        db.psql("INSERT INTO holiday_overrides (kind, date, name) "
                "VALUES ('add', '2027-02-08', 'Proclaimed')")
        assert wait_for(lambda: db.psql("SELECT status FROM sittings WHERE id = %d"
                                        % eighth) == "cancelled")
        assert wait_for(lambda: referral_row(db, a["id"]) == "listed|%d" % first)
        assert referral_row(db, b["id"]) == "listed|%d" % first
        assert db.psql("SELECT count(*) FROM referrals WHERE sitting_id = %d" % eighth) == "0"
        assert db.psql("SELECT string_agg(DISTINCT role, ',') FROM audit_log WHERE "
                       "action = 'reassign'") == "job:sittings"
    finally:
        stop(m)


def test_reassignment_is_for_admins_and_jobs_only(db, tmp, police):
    m = start(db, tmp, T0)
    stop(m)
    s = sid(db, "masc", "2027-02-08")
    # maracd's own login, as an agency or with no caller at all.
    out = subprocess.run(
        ["psql", "-X", "-tA", "-h", "127.0.0.1", "-p", str(PGPORT), "-U", "maracd",
         "-d", db.name, "-c", "SELECT sitting_reassign(%d, '2027-02-01', NULL)" % s],
        capture_output=True, text=True)
    assert "for an admin token or a job only" in out.stderr, out
    assert db.psql("SELECT has_function_privilege('public', "
                   "'sitting_reassign(bigint, date, text)', 'EXECUTE'), "
                   "has_function_privilege('public', 'referral_resolve_waiting(date)', "
                   "'EXECUTE')") == "f|f"


# --- held sittings are history; late referrals join one still to come -----------

def test_a_held_sitting_is_not_moved_or_cancelled(db, tmp, admin, police):
    m = start(db, tmp, T0)
    try:
        a = m.request("POST", "/v1/referrals", body=stalking(), token=police).json()
        held = a["sitting"]["id"]
        assert a["sitting"]["date"] == "2027-02-08"
    finally:
        stop(m)
    m = start(db, tmp, T1)
    try:
        for body in ({"status": "cancelled"}, {"date": "2027-02-12"}):
            r = m.request("PATCH", "/v1/sittings/%d" % held, body=body, token=admin)
            assert r.status == 409, r.body
            assert r.json()["error"] == "sitting_held" and "held" in r.json()["message"]
        r = m.request("PATCH", "/v1/sittings/%d" % held, body={"venue": "Penrith"},
                      token=admin)
        assert r.status == 200 and r.json()["venue"] == "Penrith"
        # A holiday on its day, by the API and behind its back: the job
        # leaves the held sitting (and its case) where it was.
        r = m.request("POST", "/v1/holidays", body={"date": "2027-02-08", "name": "Late"},
                      token=admin)
        assert r.status == 201, r.body
        time.sleep(2.5)
        assert db.psql("SELECT date, status FROM sittings WHERE id = %d" % held) == \
            "2027-02-08|scheduled"
        assert referral_row(db, a["id"]) == "listed|%d" % held
    finally:
        stop(m)
    # maracctl's holiday refresh likewise.
    db.ctl("holidays", "remove", "2027-02-08", clock=T1)
    db.ctl("holidays", "add", "2027-02-08", "--name", "Again", clock=T1)
    assert db.psql("SELECT date, status FROM sittings WHERE id = %d" % held) == \
        "2027-02-08|scheduled"
    # Today's sitting is still to come: it may be called off on the day.
    m = start(db, tmp, T2)
    try:
        today = sid(db, "marac", "2027-02-11")
        r = m.request("PATCH", "/v1/sittings/%d" % today, body={"status": "cancelled"},
                      token=admin)
        assert r.status == 200, r.body
    finally:
        stop(m)


def test_a_late_referral_joins_the_first_sitting_still_to_come(db, tmp, admin):
    m = start(db, tmp, T0)
    stop(m)
    m = start(db, tmp, T1)
    try:
        # Received on the 1st: in time for the 8th, which has been held.
        late = stalking(received_at="2027-02-01T09:00:00Z")
        b = m.request("POST", "/v1/referrals", body=late, token=admin).json()
        assert b["status"] == "listed" and b["sitting"]["date"] == "2027-02-22", b
        r = post_csv(m, admin, to_csv([cells(stalking(received_at="2027-02-01T09:00:00Z",
                                                      victim=someone(4)))]))
        rid = r.json()["results"][0]["id"]
        assert referral_row(db, rid) == "listed|%d" % sid(db, "masc", "2027-02-22")
        r = m.request("GET", "/v1/sittings/for?forum=masc&received_at=2027-02-01T09:00:00Z",
                      token=admin)
        assert r.json()["sitting"]["date"] == "2027-02-22"
        # Its sitting cancelled: it moves on to the next still to come.
        s22 = sid(db, "masc", "2027-02-22")
        r = m.request("PATCH", "/v1/sittings/%d" % s22, body={"status": "cancelled"},
                      token=admin)
        assert r.status == 200, r.body
        assert referral_row(db, b["id"]) == "listed|%d" % sid(db, "masc", "2027-03-08")
    finally:
        stop(m)
    path = tmp / "late.csv"
    path.write_text(to_csv([cells(stalking(received_at="2027-02-01T09:00:00Z",
                                           victim=someone(5)))]))
    db.ctl("import", str(path), clock=T1)
    assert db.psql("SELECT s.date FROM referrals r JOIN sittings s ON s.id = r.sitting_id "
                   "ORDER BY r.id DESC LIMIT 1") == "2027-03-08"


def someone(n):
    """A victim of her own: a second referral of one victim while her case
    waits would be linked to it (test_cases.py)."""
    return {"name": "Victim %d" % n, "dob": "1985-03-%02d" % n}

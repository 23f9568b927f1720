"""Bank holidays, sittings and cutoffs through HTTP and maracctl; the
sittings job and its advisory lock.

Sittings are generated from today (maracd's clock: the suite's test clock,
conftest.CLOCK, which CI moves to other instants), so most checks are made
against rules recomputed here from the holidays the API lists and Python's
own time zone database; the dates the domain notes name are checked by a
maracd whose clock starts before them, whatever CLOCK is."""
import datetime as dt
import signal
import subprocess
import time
from zoneinfo import ZoneInfo

import pytest

import conftest
from conftest import BUILD, PGPORT, Maracd, wait_for
from referrals import BASE, stalking

LONDON = ZoneInfo("Europe/London")
MASC_ANCHOR = dt.date(2025, 6, 16)
MARAC_ANCHOR = dt.date(2025, 6, 19)      # Thursdays, for these tests
CALENDAR = {"horizon_weeks": "52", "marac_anchor": MARAC_ANCHOR.isoformat(),
            "sittings_job_interval": "1"}


def generated(db):
    return int(db.psql("SELECT count(*) FROM sittings"))


def start(db, tmp, clock=None, **calendar):
    db.write_conf(calendar=dict(CALENDAR, **calendar))
    m = Maracd(db, tmp, clock=clock).start()
    assert wait_for(lambda: generated(db) > 0, 10), m.log_text()
    return m


@pytest.fixture
def cal(db, tmp):
    m = start(db, tmp)
    yield m
    m.stop()
    m.assert_clean_log()


@pytest.fixture
def admin(db):
    return db.token("admin")


@pytest.fixture
def police(db):
    return db.token("agency", agency="police")


def today(db):
    """maracd's local date: the test clock's."""
    return conftest.today()


def holidays(m, token, year0, year1):
    r = m.request("GET", "/v1/holidays?from=%d-01-01&to=%d-12-31" % (year0, year1),
                  token=token)
    assert r.status == 200, r.body
    return {dt.date.fromisoformat(h["date"]) for h in r.json()["holidays"]}


def working(d, hol):
    return d.weekday() < 5 and d not in hol


def minus_workdays(d, n, hol):
    while n > 0:
        d -= dt.timedelta(days=1)
        if working(d, hol):
            n -= 1
    return d


def end_of_day(d):
    """The cutoff instant as RFC 3339, from Python's zone database."""
    return dt.datetime.combine(d, dt.time(23, 59, 59), LONDON).isoformat()


def sittings(m, token, forum=None, frm=None, to=None):
    q = [("forum", forum), ("from", frm), ("to", to)]
    qs = "&".join("%s=%s" % (k, v) for k, v in q if v is not None)
    r = m.request("GET", "/v1/sittings" + ("?" + qs if qs else ""), token=token)
    assert r.status == 200, r.body
    return r.json()["sittings"]


def sitting(m, token, sid):
    return [s for s in sittings(m, token, to="2100-01-01") if s["id"] == sid][0]


def instant(s):
    return dt.datetime.fromisoformat(s)


def utc(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".") + "Z"


def joins(m, token, forum, received_at):
    r = m.request("GET", "/v1/sittings/for?forum=%s&received_at=%s" % (forum, received_at),
                  token=token)
    assert r.status == 200, r.body
    return r.json()


# --- holidays ---------------------------------------------------------------

HOLIDAYS_2026_2027 = [
    ("2026-01-01", "New Year's Day"),
    ("2026-04-03", "Good Friday"),
    ("2026-04-06", "Easter Monday"),
    ("2026-05-04", "Early May bank holiday"),
    ("2026-05-25", "Spring bank holiday"),
    ("2026-08-31", "Summer bank holiday"),
    ("2026-12-25", "Christmas Day"),
    ("2026-12-28", "Boxing Day (substitute day)"),
    ("2027-01-01", "New Year's Day"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-03", "Early May bank holiday"),
    ("2027-05-31", "Spring bank holiday"),
    ("2027-08-30", "Summer bank holiday"),
    ("2027-12-27", "Christmas Day (substitute day)"),
    ("2027-12-28", "Boxing Day (substitute day)"),
]


def test_holidays_2026_and_2027_with_substitute_days(cal, police):
    r = cal.request("GET", "/v1/holidays?from=2026-01-01&to=2027-12-31", token=police)
    assert r.status == 200
    got = [(h["date"], h["name"]) for h in r.json()["holidays"]]
    assert got == HOLIDAYS_2026_2027


def test_the_seeded_one_off_changes(cal, police):
    r = cal.request("GET", "/v1/holidays?from=2020-05-01&to=2020-05-31", token=police)
    assert [h["date"] for h in r.json()["holidays"]] == ["2020-05-08", "2020-05-25"]
    r = cal.request("GET", "/v1/holidays?from=2022-05-01&to=2022-09-30", token=police)
    assert [(h["date"], h["name"]) for h in r.json()["holidays"]] == [
        ("2022-05-02", "Early May bank holiday"),
        ("2022-06-02", "Spring bank holiday"),
        ("2022-06-03", "Platinum Jubilee bank holiday"),
        ("2022-08-29", "Summer bank holiday"),
        ("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    ]
    r = cal.request("GET", "/v1/holidays?from=2023-05-08&to=2023-05-08", token=police)
    assert len(r.json()["holidays"]) == 1


@pytest.mark.parametrize("query,field", [
    ("", "from"),
    ("?from=2026-01-01", "to"),
    ("?from=2026-02-30&to=2026-12-31", "from"),
    ("?from=2026-01-01&to=2025-12-31", "to"),
    ("?from=2000-01-01&to=2030-12-31", "to"),
    ("?from=1800-01-01&to=1800-12-31", "from"),
])
def test_holiday_queries_are_validated(cal, police, query, field):
    r = cal.request("GET", "/v1/holidays" + query, token=police)
    assert r.status == 422, r.body
    b = r.json()
    assert b["error"] == "invalid" and b["message"]
    assert field in [f["field"] for f in b["fields"]]


# --- sittings ---------------------------------------------------------------

def test_masc_sittings_follow_the_series_and_the_cutoff_rule(cal, db, police):
    now = today(db)
    hol = holidays(cal, police, now.year - 1, now.year + 2)
    got = sittings(cal, police, "masc", now.isoformat(),
                   (now + dt.timedelta(days=364)).isoformat())
    assert len(got) >= 25
    offsets = set()
    for s in got:
        d = dt.date.fromisoformat(s["date"])
        # The slot is the anchor plus whole fortnights, moved past holidays.
        slot = d
        while (slot - MASC_ANCHOR).days % 14 != 0:
            slot -= dt.timedelta(days=1)
        assert slot.weekday() == 0 and (slot == d or not working(slot, hol))
        assert working(d, hol)
        cutoff = minus_workdays(d, 3, hol)
        assert s["cutoff_date"] == cutoff.isoformat()
        assert s["cutoff"] == end_of_day(cutoff)
        assert (s["forum"], s["area"], s["status"], s["origin"], s["cases"]) == \
            ("masc", "cumbria", "scheduled", "generated", 0)
        offsets.add(s["cutoff"][-6:])
    # Cutoffs in winter and in summer time: the offset is the zone's.
    assert offsets == {"+00:00", "+01:00"}


def test_the_domain_examples(db, tmp, police):
    # A maracd living on 1 December 2026, before the first example's
    # cutoff: the sittings job generates from its today.
    cal = start(db, tmp, clock="2026-12-01T09:00:00Z")
    try:
        domain_examples(cal, police)
    finally:
        cal.stop()
    cal.assert_clean_log()


def domain_examples(cal, police):
    s = sittings(cal, police, "masc", "2026-12-01", "2026-12-31")
    assert [(x["date"], x["cutoff"]) for x in s] == [
        ("2026-12-14", "2026-12-09T23:59:59+00:00"),
        # 28th is the Boxing Day substitute: held on the 29th.
        ("2026-12-29", "2026-12-22T23:59:59+00:00"),
    ]
    # Across a bank-holiday Monday (Spring, 31 May), in summer time.
    s = sittings(cal, police, "masc", "2027-05-15", "2027-06-20")
    assert [(x["date"], x["cutoff"]) for x in s] == [
        ("2027-05-17", "2027-05-12T23:59:59+01:00"),
        ("2027-06-01", "2027-05-26T23:59:59+01:00"),
        ("2027-06-14", "2027-06-09T23:59:59+01:00"),
    ]


def test_marac_sittings_are_weekly_with_their_own_cutoff(cal, db, police):
    now = today(db)
    hol = holidays(cal, police, now.year, now.year + 1)
    got = sittings(cal, police, "marac")
    assert len(got) >= 50
    for s in got:
        d = dt.date.fromisoformat(s["date"])
        assert s["cutoff_date"] == minus_workdays(d, 2, hol).isoformat()


def test_sittings_listing_is_validated(cal, police):
    for q, field in [("?forum=mars", "forum"), ("?from=2026-13-01", "from"),
                     ("?from=2026-01-01&to=2025-01-01", "to"),
                     ("?from=2000-01-01&to=2040-01-01", "to")]:
        r = cal.request("GET", "/v1/sittings" + q, token=police)
        assert r.status == 422, q
        assert r.json()["fields"][0]["field"] == field


def test_writes_are_for_admins_only(cal, db, police):
    chair = db.token("chair", forum="masc")
    sid = sittings(cal, police, "masc")[0]["id"]
    before = db.psql("SELECT count(*) FROM audit_log")
    for token in (police, chair):
        for method, path, body in [
            ("POST", "/v1/sittings", {"forum": "masc", "date": "2030-01-02"}),
            ("PATCH", "/v1/sittings/%d" % sid, {"status": "cancelled"}),
            ("POST", "/v1/holidays", {"date": "2030-01-02", "name": "No"}),
            ("DELETE", "/v1/holidays/2030-01-01", None),
            ("GET", "/v1/sittings/for?forum=masc", None),
        ]:
            r = cal.request(method, path, body=body, token=token)
            assert r.status == 403, (method, path)
            assert r.json()["error"] == "forbidden"
    assert db.psql("SELECT count(*) FROM audit_log") == before
    assert sitting(cal, police, sid)["status"] == "scheduled"


def audit(db, action, object_id):
    return db.psql("SELECT role FROM audit_log WHERE action = '%s' AND object_id = '%s'"
                   % (action, object_id))


def test_cancel_a_sitting_and_reinstate_it(cal, db, admin, police):
    s = sittings(cal, police, "masc")[1]
    r = cal.request("PATCH", "/v1/sittings/%d" % s["id"], body={"status": "cancelled"},
                    token=admin)
    assert r.status == 200, r.body
    assert r.json()["status"] == "cancelled"
    assert sitting(cal, police, s["id"])["status"] == "cancelled"
    assert audit(db, "sitting.cancel", s["id"]) == "admin"
    # The job runs every second here: it must not bring the slot back.
    time.sleep(2.5)
    assert db.psql("SELECT count(*) FROM sittings WHERE date = '%s' AND forum = 'masc'"
                   % s["date"]) == "1"
    assert sitting(cal, police, s["id"])["status"] == "cancelled"
    r = cal.request("PATCH", "/v1/sittings/%d" % s["id"], body={"status": "scheduled"},
                    token=admin)
    assert r.status == 200 and r.json()["status"] == "scheduled"
    assert r.json()["cutoff"] == s["cutoff"]
    assert audit(db, "sitting.reinstate", s["id"]) == "admin"


def test_move_a_sitting_and_add_one(cal, db, admin, police):
    now = today(db)
    hol = holidays(cal, police, now.year, now.year + 2)
    first, second = sittings(cal, police, "masc")[1:3]
    d = dt.date.fromisoformat(first["date"]) + dt.timedelta(days=2)
    while not working(d, hol):
        d += dt.timedelta(days=1)
    r = cal.request("PATCH", "/v1/sittings/%d" % first["id"],
                    body={"date": d.isoformat(), "venue": "Carlisle Civic Centre"},
                    token=admin)
    assert r.status == 200, r.body
    b = r.json()
    assert b["date"] == d.isoformat() and b["venue"] == "Carlisle Civic Centre"
    assert b["cutoff"] == end_of_day(minus_workdays(d, 3, hol))
    assert audit(db, "sitting.move", first["id"]) == "admin"
    # Moved by hand: the job leaves it where it is.
    time.sleep(2)
    assert sitting(cal, police, first["id"])["date"] == d.isoformat()
    r = cal.request("PATCH", "/v1/sittings/%d" % first["id"],
                    body={"date": second["date"]}, token=admin)
    assert r.status == 409
    r = cal.request("PATCH", "/v1/sittings/%d" % first["id"],
                    body={"date": "2020-01-06"}, token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "date"
    r = cal.request("PATCH", "/v1/sittings/999999", body={"status": "cancelled"}, token=admin)
    assert r.status == 404
    r = cal.request("PATCH", "/v1/sittings/%d" % first["id"], body={"colour": "red"},
                    token=admin)
    assert r.status == 422

    extra = dt.date.fromisoformat(second["date"]) + dt.timedelta(days=3)
    while not working(extra, hol):
        extra += dt.timedelta(days=1)
    body = {"forum": "masc", "date": extra.isoformat(), "venue": "Kendal"}
    r = cal.request("POST", "/v1/sittings", body=body, token=admin)
    assert r.status == 201, r.body
    b = r.json()
    assert (b["origin"], b["status"], b["area"], b["venue"]) == \
        ("manual", "scheduled", "cumbria", "Kendal")
    assert b["cutoff"] == end_of_day(minus_workdays(extra, 3, hol))
    assert audit(db, "sitting.add", b["id"]) == "admin"
    assert cal.request("POST", "/v1/sittings", body=body, token=admin).status == 409
    for bad, field in [({"forum": "masc", "date": "2020-01-06"}, "date"),
                       ({"forum": "mars", "date": extra.isoformat()}, "forum"),
                       ({"forum": "masc", "area": "westmorland", "date": extra.isoformat()},
                        "area"),
                       ({"forum": "masc"}, "date")]:
        r = cal.request("POST", "/v1/sittings", body=bad, token=admin)
        assert r.status == 422, bad
        assert field in [f["field"] for f in r.json()["fields"]], bad


def test_a_new_holiday_moves_cutoffs_and_sittings(cal, db, admin, police):
    now = today(db)
    hol = holidays(cal, police, now.year, now.year + 2)
    s = sittings(cal, police, "masc")[2]
    date = dt.date.fromisoformat(s["date"])
    cutoff = dt.date.fromisoformat(s["cutoff_date"])
    # A holiday proclaimed between the cutoff and the sitting.
    extra = cutoff + dt.timedelta(days=1)
    while not working(extra, hol):
        extra += dt.timedelta(days=1)
    assert extra < date
    r = cal.request("POST", "/v1/holidays", body={"date": extra.isoformat(),
                                                  "name": "Proclaimed holiday"}, token=admin)
    assert r.status == 201, r.body
    assert r.json() == {"date": extra.isoformat(), "name": "Proclaimed holiday"}
    moved = sitting(cal, police, s["id"])
    assert moved["cutoff_date"] == minus_workdays(date, 3, hol | {extra}).isoformat()
    assert moved["cutoff_date"] < s["cutoff_date"]
    assert audit(db, "holiday.add", extra.isoformat()) == "admin"
    assert audit(db, "sitting.reschedule", s["id"]) == "admin"
    assert extra in holidays(cal, police, extra.year, extra.year)

    r = cal.request("DELETE", "/v1/holidays/%s" % extra.isoformat(), token=admin)
    assert r.status == 200 and r.json()["removed"] is True
    assert sitting(cal, police, s["id"])["cutoff"] == s["cutoff"]
    assert cal.request("DELETE", "/v1/holidays/%s" % extra.isoformat(),
                       token=admin).status == 404

    # A holiday on the day itself: the sitting moves to the next working day.
    r = cal.request("POST", "/v1/holidays", body={"date": s["date"], "name": "On the day"},
                    token=admin)
    assert r.status == 201
    after = date + dt.timedelta(days=1)
    while not working(after, hol):
        after += dt.timedelta(days=1)
    assert sitting(cal, police, s["id"])["date"] == after.isoformat()
    assert cal.request("DELETE", "/v1/holidays/" + s["date"], token=admin).status == 200
    assert sitting(cal, police, s["id"]) == s


def test_holiday_writes_are_validated(cal, admin):
    for body, field in [({"date": "2027-02-30", "name": "x"}, "date"),
                        ({"date": "2027-06-07"}, "name"),
                        ({"date": "2027-06-07", "name": ""}, "name"),
                        ({"date": "2027-06-07", "replaces": "2027-06-08"}, "replaces"),
                        ({"date": "2027-06-07", "name": "x", "when": 1}, "when")]:
        r = cal.request("POST", "/v1/holidays", body=body, token=admin)
        assert r.status == 422, body
        assert field in [f["field"] for f in r.json()["fields"]], body
    assert cal.request("DELETE", "/v1/holidays/2027-13-01", token=admin).status == 422
    # Moving a holiday: Spring bank holiday 2027 to the Friday after.
    r = cal.request("POST", "/v1/holidays", body={"date": "2027-06-04",
                                                  "replaces": "2027-05-31"}, token=admin)
    assert r.status == 201, r.body
    assert r.json()["name"] == "Spring bank holiday"
    r = cal.request("GET", "/v1/holidays?from=2027-05-01&to=2027-06-30", token=admin)
    assert [h["date"] for h in r.json()["holidays"]] == ["2027-05-03", "2027-06-04"]
    # Moved again: the second move supersedes the first.
    r = cal.request("POST", "/v1/holidays", body={"date": "2027-06-07",
                                                  "replaces": "2027-05-31"}, token=admin)
    assert r.status == 201, r.body
    r = cal.request("GET", "/v1/holidays?from=2027-05-01&to=2027-06-30", token=admin)
    assert [(h["date"], h["name"]) for h in r.json()["holidays"]] == [
        ("2027-05-03", "Early May bank holiday"), ("2027-06-07", "Spring bank holiday")]


def test_too_many_holidays_in_a_year_are_refused(cal, admin):
    codes = []
    for day in range(1, 20):
        r = cal.request("POST", "/v1/holidays",
                        body={"date": "2031-03-%02d" % day, "name": "Day %d" % day},
                        token=admin)
        codes.append(r.status)
    assert codes[0] == 201 and codes[-1] == 422
    assert 422 in codes
    n = codes.index(422)
    assert all(c == 422 for c in codes[n:])


# --- which sitting a referral joins --------------------------------------------

def test_a_second_before_and_after_a_cutoff(cal, admin, police):
    ahead = [s for s in sittings(cal, police, "masc") if instant(s["cutoff"]) >
             conftest.now() + dt.timedelta(hours=1)]
    winter = [s for s in ahead if s["cutoff"].endswith("+00:00")]
    summer = [s for s in ahead if s["cutoff"].endswith("+01:00")]
    assert winter and summer
    for group in (winter, summer):
        s = group[0]
        nxt = ahead[ahead.index(s) + 1]
        c = instant(s["cutoff"])
        for t, want in [(c - dt.timedelta(seconds=1), s), (c, s),
                        (c + dt.timedelta(milliseconds=500), nxt),
                        (c + dt.timedelta(seconds=1), nxt)]:
            b = joins(cal, admin, "masc", utc(t))
            assert b["sitting"] == {"id": want["id"], "date": want["date"],
                                    "cutoff": want["cutoff"]}, (utc(t), b)
            assert b["received_date"] == t.astimezone(LONDON).date().isoformat()
    # The same instant written with its local offset.
    s = summer[0]
    b = joins(cal, admin, "masc", s["cutoff"].replace("+", "%2B"))
    assert b["sitting"]["id"] == s["id"]


def test_intake_joins_the_sitting_sittings_for_names(db, tmp, admin):
    """One rule, the database's (referral_sitting_for): the sitting GET
    /v1/sittings/for names is the one intake lists a referral at.  Around
    the MASC sitting of Easter 2026, scheduled for Easter Monday 6 April and
    held on Tuesday 7 April, whose cutoff is three working days back over
    Easter Monday and Good Friday: Tuesday 31 March, 23:59:59 BST (the
    first week of summer time), 22:59:59Z."""
    m = start(db, tmp, clock="2026-03-31T10:00:00Z")
    try:
        apr7 = {"date": "2026-04-07", "cutoff": "2026-03-31T23:59:59+01:00"}
        apr20 = {"date": "2026-04-20", "cutoff": "2026-04-15T23:59:59+01:00"}
        for n, (t, want) in enumerate([
                ("2026-03-31T22:59:58Z", apr7),
                ("2026-03-31T22:59:59Z", apr7),
                ("2026-03-31T22:59:59.5Z", apr20),
                ("2026-03-31T23:00:00Z", apr20),
                # Late: the sitting of 23 March has been held.
                ("2026-03-01T09:00:00Z", apr7)]):
            b = joins(m, admin, "masc", t)
            assert b["sitting"] is not None, t
            assert {k: b["sitting"][k] for k in want} == want, (t, b)
            # Another victim each time: a victim's second referral would
            # join her waiting case instead.  A received time is the
            # coordinator's to set (admin).
            body = stalking(received_at=t, victim=dict(
                BASE["victim"], name="Jane Cutoff%d" % n))
            r = m.request("POST", "/v1/referrals", body=body, token=admin)
            assert r.status == 201, r.body
            assert r.json()["status"] == "listed", (t, r.body)
            assert r.json()["sitting"] == dict(b["sitting"], forum="masc"), t
    finally:
        m.stop()
    m.assert_clean_log()


def test_received_dates_are_local(cal, admin):
    # 23:30 UTC in July is half past midnight the next day in London.
    b = joins(cal, admin, "masc", "2027-07-15T23:30:00Z")
    assert b["received_date"] == "2027-07-16"
    b = joins(cal, admin, "masc", "2027-01-15T23:30:00Z")
    assert b["received_date"] == "2027-01-15"
    b = joins(cal, admin, "masc", "2027-07-16T00:30:00%2B01:00")
    assert b["received_date"] == "2027-07-16"


def test_no_sitting_generated_that_far_ahead(cal, admin):
    b = joins(cal, admin, "masc", "2099-01-01T00:00:00Z")
    assert b["sitting"] is None
    r = cal.request("GET", "/v1/sittings/for?forum=masc", token=admin)
    assert r.status == 200 and r.json()["sitting"] is not None
    for q in ("forum=masc&received_at=2026-12-09%2023:59:59",
              "forum=masc&received_at=tomorrow", "forum=xx"):
        r = cal.request("GET", "/v1/sittings/for?" + q, token=admin)
        assert r.status == 422, q


# --- the job --------------------------------------------------------------------

def test_generation_is_idempotent_across_restarts_and_processes(db, tmp):
    a = start(db, tmp)
    b = Maracd(db, tmp).start()
    try:
        time.sleep(2.5)
        n = generated(db)
        assert db.psql("SELECT count(*) FROM (SELECT DISTINCT forum, area, scheduled_date "
                       "FROM sittings) x") == str(n)
        assert db.psql("SELECT count(*) FROM sittings WHERE status = 'cancelled'") == "0"
    finally:
        b.stop()
        a.stop()
    a.assert_clean_log()
    b.assert_clean_log()


def test_the_job_follows_holidays_changed_behind_its_back(cal, db, police):
    s = sittings(cal, police, "masc")[2]
    date = dt.date.fromisoformat(s["date"])
    hol = holidays(cal, police, date.year - 1, date.year)
    extra = dt.date.fromisoformat(s["cutoff_date"]) + dt.timedelta(days=1)
    while not working(extra, hol):
        extra += dt.timedelta(days=1)
    db.psql("INSERT INTO holiday_overrides (kind, date, name) VALUES ('add', '%s', 'X')"
            % extra)
    want = minus_workdays(date, 3, hol | {extra}).isoformat()
    assert wait_for(lambda: sitting(cal, police, s["id"])["cutoff_date"] == want, 5)
    assert audit(db, "sitting.reschedule", s["id"]) == "job:sittings"


def test_the_job_skips_while_another_process_holds_its_lock(db, tmp):
    holder = subprocess.Popen(
        ["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(PGPORT), "-U", "postgres",
         "-d", db.name], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write("BEGIN; SELECT pg_advisory_xact_lock("
                           "hashtext('maracd.job.sittings'));\n")
        holder.stdin.flush()
        assert wait_for(lambda: db.psql("SELECT count(*) FROM pg_locks WHERE "
                                        "locktype = 'advisory' AND granted") == "1", 5)
        db.write_conf(calendar=CALENDAR, log={"level": "debug"})
        m = Maracd(db, tmp).start()
        try:
            assert wait_for(lambda: "another maracd holds its lock; skipped"
                            in m.log_text(), 5), m.log_text()
            assert generated(db) == 0
            holder.stdin.write("COMMIT;\n")
            holder.stdin.flush()
            assert wait_for(lambda: generated(db) > 0, 5)
        finally:
            m.stop()
        m.assert_clean_log()
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_stops_cleanly_while_the_job_waits(db, tmp):
    m = start(db, tmp)
    m.signal(signal.SIGTERM)
    assert m.proc.wait(timeout=10) == 0
    m.assert_clean_log()


def test_bad_calendar_settings_stop_startup(db, tmp):
    for key, value in [("cutoff_time", "24:00:00"), ("cutoff_time", "23:59"),
                       ("holiday_policy", "maybe"), ("masc_anchor", "2025-02-30"),
                       ("marac_anchor", "monday"), ("area", "Cumbria"),
                       ("horizon_weeks", "500")]:
        db.settings["calendar"] = dict(CALENDAR)
        db.write_conf(calendar={key: value})
        r = subprocess.run([str(BUILD / "maracd"), "-f", "-c", str(db.conf)],
                           capture_output=True, text=True, timeout=10)
        assert r.returncode == 1 and key in r.stderr, (key, r.stderr)


# --- maracctl ----------------------------------------------------------------------

def test_maracctl_holidays(db):
    out = db.ctl("holidays", "--year", "2027").stdout.splitlines()
    assert out == ["%s\t%s" % h for h in HOLIDAYS_2026_2027 if h[0].startswith("2027")]
    r = db.ctl("holidays", "add", "2027-06-07", "--name", "Test holiday")
    assert r.stdout.startswith("holiday 2027-06-07 saved")
    assert "2027-06-07\tTest holiday" in db.ctl("holidays", "--year", "2027").stdout
    assert db.psql("SELECT role FROM audit_log WHERE action = 'holiday.add'") == "maracctl"
    r = db.ctl("holidays", "remove", "2027-06-07")
    assert r.stdout.startswith("holiday 2027-06-07 (Test holiday) removed")
    r = db.ctl("holidays", "remove", "2027-06-07", check=False)
    assert r.returncode == 1 and r.stderr.startswith("maracctl: ")
    assert len(r.stderr.splitlines()) == 1
    assert db.ctl("holidays", "--year", "19", check=False).returncode == 2
    assert db.ctl("holidays", "add", "2027-06-07", check=False).returncode == 2


def test_maracctl_calendar_and_holiday_refresh(cal, db, police):
    s = sittings(cal, police, "masc")[2]
    out = db.ctl("calendar", "--forum", "masc", "--from", s["date"], "--count", "2")
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0] == "%s\tmasc\tcumbria\tcutoff %s\tscheduled" % (s["date"], s["cutoff"])
    assert db.ctl("calendar", "--count", "0", check=False).returncode == 2
    assert db.ctl("calendar", "--forum", "mars", check=False).returncode == 2
    date = dt.date.fromisoformat(s["date"])
    hol = holidays(cal, police, date.year - 1, date.year)
    extra = dt.date.fromisoformat(s["cutoff_date"]) + dt.timedelta(days=1)
    while not working(extra, hol):
        extra += dt.timedelta(days=1)
    # maracctl refreshes sittings itself: no waiting for maracd's job.
    cal.stop()
    r = db.ctl("holidays", "add", extra.isoformat(), "--name", "Proclaimed")
    assert r.stdout.startswith("holiday %s saved" % extra.isoformat())
    assert "; 0 sittings changed" not in r.stdout
    assert db.psql("SELECT cutoff_date FROM sittings WHERE id = %d" % s["id"]) == \
        minus_workdays(date, 3, hol | {extra}).isoformat()


def test_cancelling_a_sitting_reassigns_its_referrals(cal, db, admin, police):
    from referrals import stalking
    b = cal.request("POST", "/v1/referrals", body=stalking(), token=police).json()
    first = b["sitting"]
    assert first is not None
    r = cal.request("GET", "/v1/sittings?forum=masc", token=admin).json()["sittings"]
    assert [s["cases"] for s in r if s["id"] == first["id"]] == [1]
    r = cal.request("PATCH", "/v1/sittings/%d" % first["id"], body={"status": "cancelled"},
                    token=admin)
    assert r.status == 200, r.body
    got = cal.request("GET", "/v1/referrals/%d" % b["id"], token=police).json()
    assert got["sitting"] is not None and got["sitting"]["id"] != first["id"]
    assert got["sitting"]["date"] > first["date"]
    assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'reassign' "
                   "AND object_id = '%d'" % b["id"]) == "1"
    # The agency sees its own case in the count of the new sitting.
    r = cal.request("GET", "/v1/sittings?forum=masc", token=police).json()["sittings"]
    assert [s["cases"] for s in r if s["id"] == got["sitting"]["id"]] == [1]

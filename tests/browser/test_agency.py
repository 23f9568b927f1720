"""The agency pages (#20) end to end in chromium: making a referral by
keyboard (and with JavaScript off, below the threshold), the agency's
actions (RAG, an update with a note, the history, a reminder mail's
link), its agendas with downloads, a form refused without its CSRF
token, and the session's real end."""
import datetime
import json
import re
import time

import pytest

from conftest import SCREENSHOTS, enrolled, ic, run_journey
from referrals import referral

WORDING = "Has the current incident resulted in injury? (the deployment's wording)"


def sittings_generated(db):
    """maracd's sittings job runs at start-up, next to the first requests."""
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(DISTINCT forum) FROM sittings") != "2":
        assert time.monotonic() < deadline, "no sittings generated"
        time.sleep(0.05)


def start(db, tmp, **sections):
    m = ic.Maracd(db, tmp, clock=ic.now())
    db.write_conf(accounts={"public_origin": m.url, "argon2_opslimit": "1",
                            "argon2_memlimit_kib": "8192"}, **sections)
    m.start()
    sittings_generated(db)
    return m


@pytest.fixture
def agency(db, tmp):
    """maracd with the deployment's wording of DASH question 1, and an
    enrolled person of the police."""
    f = tmp / "wording.json"
    f.write_text(json.dumps({"dash-2009": {"1": WORDING}}))
    m = start(db, tmp, referrals={"checklist_wording": str(f)})
    p = enrolled(m, db, "pat@police.example", "--role", "agency", "--agency", "police")
    yield m, p
    m.stop()
    m.assert_clean_log()


def journey(name, m, p, **extra):
    return run_journey(name, m, email=p["email"], password=p["password"],
                       secret=p["secret"], step=p["step"], **extra)


def shots(*names):
    for n in names:
        assert (SCREENSHOTS / (n + ".png")).stat().st_size > 10000, n


def test_a_referral_made_by_keyboard_part_by_part_with_a_draft_finished_later(agency, db):
    m, p = agency
    out = journey("agency_referral", m, p, wording=WORDING, yes=15)
    ref = re.search(r"referral (MARAC-\d{4}-\d+) made", out).group(1)
    row = db.psql("SELECT forum || ' ' || status FROM referrals WHERE reference = '%s'" % ref)
    assert row == "marac listed", row
    assert db.psql("SELECT count(*) FROM referral_drafts") == "0"
    shots("agency-01-make-a-referral", "agency-03-victim-error-summary",
          "agency-07-checklist", "agency-10-check-your-answers", "agency-11-confirmation",
          "agency-13-our-referrals")


def test_a_referral_below_threshold_with_javascript_off(agency, db):
    m, p = agency
    out = journey("agency_below", m, p)
    assert "below the threshold" in out
    assert db.psql("SELECT status FROM referrals") == "below_threshold"
    shots("agency-nojs-check", "agency-nojs-confirmation-below-threshold")


def action(db, rid, due, description):
    return int(db.psql(
        "INSERT INTO actions (referral_id, forum, reference, agency, area, description, "
        "due, status) SELECT id, forum, reference, 'police', 'victim', '%s', '%s'::date, "
        "'open' FROM referrals WHERE id = %s RETURNING id" % (description, due, rid)))


def test_actions_rag_update_with_a_note_history_and_the_reminder_link(agency, db):
    m, p = agency
    r = m.request("POST", "/v1/referrals", body=referral(), token=db.token("agency",
                                                                          agency="police"))
    assert r.status == 201, r.body
    rid = r.json()["id"]
    today = ic.today()
    late = action(db, rid, today - datetime.timedelta(days=3), "Fit door locks")
    soon = action(db, rid, today + datetime.timedelta(days=3), "Review the safety plan")
    later = action(db, rid, today + datetime.timedelta(days=30), "Housing transfer")
    # The reminder mail, as maracctl enqueues it, with its link to the action.
    db.write_conf(mail={"smtp_url": "smtp://127.0.0.1:9", "smtp_tls": "none",
                        "mail_from": "marac@coordinator.example", "base_url": m.url},
                  reminders={"coordinator_email": "coordinator@marac.example"})
    db.ctl("reminders", "run")
    text = db.psql("SELECT string_agg(body_text, '\n') FROM outbox")
    links = re.findall(re.escape(m.url) + r"/actions/\d+", text)
    assert m.url + "/actions/%d" % late in links, text[:2000]
    journey("agency_actions", m, p, late=late, soon=soon, later=later,
            link=m.url + "/actions/%d" % late)
    assert db.psql("SELECT status FROM actions WHERE id = %d" % late) == "completed"
    shots("agency-actions-list", "agency-action-from-mail", "agency-action-error-summary",
          "agency-action-updated")


def test_agendas_of_invited_sittings_minimised_with_downloads(agency, db):
    m, p = agency
    r = m.request("POST", "/v1/referrals", body=referral(), token=db.token("agency",
                                                                          agency="police"))
    assert r.status == 201, r.body
    ref, sid = r.json()["reference"], r.json()["sitting"]["id"]
    r = m.request("POST", "/v1/sittings/%d/agenda/issue" % sid, token=db.token("admin"))
    assert r.status in (200, 201), r.body
    journey("agency_agendas", m, p, sitting=sid, reference=ref)
    shots("agency-agendas", "agency-agenda")


def test_a_form_without_its_csrf_token_is_refused(agency, db):
    m, p = agency
    journey("agency_csrf", m, p)
    assert db.psql("SELECT count(*) FROM referral_drafts") == "0"
    shots("agency-csrf-refused")


def test_the_session_ends_for_real_after_the_idle_time(db, tmp):
    m = start(db, tmp)
    db.write_conf(accounts=dict(db.settings["accounts"], idle_timeout="60"))
    m.stop()
    m.start()
    try:
        p = enrolled(m, db, "pat@police.example", "--role", "agency", "--agency", "police")
        journey("timeout_real", m, p)
        shots("agency-timeout-warning", "agency-timeout-signed-out")
    finally:
        m.stop()
    m.assert_clean_log()

"""The coordinator's pages of #21 in chromium (coord.mjs), by keyboard,
axe-core on each page, screenshots under the build's screenshots/: the
dashboard, the case search, a link made and undone, a transfer refused
then made, a sitting added (a bad date first), moved and cancelled, and a
held sitting's cancellation refused with the error summary."""
import datetime

from conftest import SCREENSHOTS, enrolled, ic, run_journey
from referrals import referral

SHOTS = ("coord-dashboard", "coord-cases", "coord-cases-filtered", "coord-case",
         "coord-case-link-error", "coord-case-linked", "coord-case-unlinked",
         "coord-case-transfer-error", "coord-case-transferred", "coord-sittings",
         "coord-sitting-add-error", "coord-sitting-added", "coord-sitting-moved",
         "coord-sitting-cancelled", "coord-sitting-held-error")


def refer(stack, db, agency, dob):
    token = db.token("agency", agency=agency)
    body = referral(referring_agency=agency,
                    victim=dict(referral()["victim"], dob=dob))
    r = stack.request("POST", "/v1/referrals", body=body, token=token)
    assert r.status == 201, r.body
    return r.json()


def free_days(db, n):
    """n weekdays a month or more ahead with no MARAC sitting."""
    d, out = ic.today() + datetime.timedelta(days=40), []
    while len(out) < n:
        if d.weekday() < 5 and db.psql("SELECT count(*) FROM sittings WHERE forum = 'marac' "
                                       "AND date = '%s'" % d) == "0":
            out.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return out


def test_the_coordinators_pages_by_keyboard(stack, db):
    while db.psql("SELECT count(DISTINCT forum) FROM sittings") != "2":
        pass
    person = enrolled(stack, db, "coord@council.example", "--role", "admin")
    a = refer(stack, db, "police", "1980-01-01")
    b = refer(stack, db, "idva", "1981-01-01")
    held = db.psql("INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, origin) "
                   "VALUES ('marac', 'cumbria', '2026-11-05', '2026-11-01', "
                   "'2026-11-01T23:59:59Z', 'manual') RETURNING id").split()[0]
    add, move = free_days(db, 2)
    out = run_journey("coord", stack, email=person["email"], password=person["password"],
                      secret=person["secret"], step=person["step"],
                      a_id=a["id"], a_ref=a["reference"], b_id=b["id"], held=held,
                      add=add, move=move)
    assert "axe clean" in out
    assert db.psql("SELECT status FROM referrals WHERE id = %d" % a["id"]) == "transferred"
    assert db.psql("SELECT status FROM sittings WHERE date = '%s' AND forum = 'marac'"
                   % move) == "cancelled"
    assert db.psql("SELECT status FROM sittings WHERE id = %s" % held) == "scheduled"
    for name in SHOTS:
        assert (SCREENSHOTS / (name + ".png")).stat().st_size > 5000, name

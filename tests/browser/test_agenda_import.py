"""The agenda, import and research pages of #21 in chromium
(agenda_import.mjs): preview, issue and the changes between versions,
download; a CSV upload with a bad row and its error table; an agency's
research return with the error summary first.  axe-core on every page,
screenshots under the build's screenshots/."""
import datetime
import time

from conftest import SCREENSHOTS, enrolled, run_journey
from referrals import referral
from test_import import cells, to_csv


def refer(stack, db, agency, n):
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(DISTINCT forum) FROM sittings") != "2":
        assert time.monotonic() < deadline, "no sittings generated"
        time.sleep(0.05)
    body = referral(dash_yes=15, referring_agency=agency)
    body["victim"] = dict(body["victim"], dob=(datetime.date(1990, 2, 1) +
                                               datetime.timedelta(days=n)).isoformat())
    r = stack.request("POST", "/v1/referrals", body=body,
                      token=db.token("agency", agency=agency))
    assert r.status == 201, r.body
    return r.json()


def test_agenda_import_and_research_by_keyboard(stack, db):
    a = refer(stack, db, "police", 0)
    refer(stack, db, "housing", 1)
    sid = a["sitting"]["id"]
    admin = db.token("admin")
    assert stack.request("POST", "/v1/sittings/%d/agenda/issue" % sid,
                         token=admin).status == 201
    late = refer(stack, db, "idva", 2)
    assert late["sitting"]["id"] == sid
    c = enrolled(stack, db, "coord@marac.example", "--role", "admin")
    p = enrolled(stack, db, "res@police.example", "--role", "agency", "--agency", "police")
    bad = cells(referral())
    bad.update(victim_dob="1990-02-30", consent="")
    csv = to_csv([cells(referral(dash_yes=15)), bad])
    out = run_journey("agenda_import", stack, sitting=sid, late=late["reference"],
                      first=a["reference"], csv=csv,
                      c_email=c["email"], c_password=c["password"], c_secret=c["secret"],
                      c_step=c["step"], a_email=p["email"], a_password=p["password"],
                      a_secret=p["secret"], a_step=p["step"])
    assert "agenda, import and research: done" in out
    assert "axe: no violation" in out
    for name in ("agenda-1-draft", "agenda-2-issued", "agenda-3-version-1", "import-1-form",
                 "import-2-result", "research-1-sittings", "research-2-sitting",
                 "research-3-form", "research-4-error", "research-5-returned"):
        assert (SCREENSHOTS / (name + ".png")).stat().st_size > 5000, name

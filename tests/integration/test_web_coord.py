"""The coordinator's pages (#21) at HTTP level, as a browser without
JavaScript gets them, and the API under them (GET /v1/dashboard, GET
/v1/sittings/{id}, POST /v1/referrals/{id}/link, the search's filters):
the dashboard with the next sittings, what needs attention and overdue
actions by agency; the case search and its filters; a case in full,
transferred, linked and unlinked; the calendar, a sitting added, moved,
cancelled, its research deadline; refusals shown with the error summary
(a held sitting the API will not cancel); an agency member refused."""
import datetime
import html
import re

from conftest import today
from referrals import referral
from test_accounts import accounts_conf, start_maracd
from test_agenda import refer, sittings_generated, victims_anew  # noqa: F401 (each test starts at 1990-02-01)
from test_web_pages import assert_page, day_words, enrol_by_forms, invite, location


def free_day(db, after_days):
    """A weekday with no MARAC sitting, after_days or more from today."""
    d = today() + datetime.timedelta(days=after_days)
    while d.weekday() >= 5 or db.psql("SELECT count(*) FROM sittings WHERE forum = 'marac' "
                                      "AND date = '%s'" % d) != "0":
        d += datetime.timedelta(days=1)
    return d.isoformat()


def people(db, m):
    """An administrator's and an agency member's browsers, signed in."""
    admin, _, _ = enrol_by_forms(m, invite(db, "coord@council.example", "--role", "admin",
                                           "--print-link"))
    agency, _, _ = enrol_by_forms(m, invite(db, "pc@police.example", "--role", "agency",
                                            "--agency", "police", "--print-link"))
    return admin, agency


def test_the_dashboard(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        sittings_generated(db)
        a = refer(m, db, "police")
        refer(m, db, "idva")
        # The same victim again: linked to the first, to confirm.
        linked = refer(m, db, "housing", victim=dict(referral()["victim"], dob="1990-02-01"))
        assert linked["status"] == "linked", linked
        chair = db.token("chair", forum="marac")
        for agency, days in (("police", -3), ("police", 2), ("idva", 30)):
            r = m.request("POST", "/v1/referrals/%d/actions" % a["id"],
                          {"agency": agency, "area": "victim", "description": "Act"},
                          token=chair)
            assert r.status == 201, r.body
            db.psql("UPDATE actions SET due = '%s' WHERE id = %d"
                    % (today() + datetime.timedelta(days=days), r.json()["id"]))
        w, agency = people(db, m)
        sid, date = a["sitting"]["id"], a["sitting"]["date"]

        assert location(w.get("/")) == "/dashboard"
        p = w.get("/dashboard")
        assert_page(p, title="Dashboard")
        row = re.search(r'<a class="govuk-link" href="/sittings/%d">MARAC Cumbria, %s</a>'
                        r'(.*?)</tr>' % (sid, day_words(date)), p.text, re.S)
        assert row, p.text
        assert re.search(r'href="/cases\?sitting=%d"><span aria-hidden="true">2</span>'
                         r'<span class="govuk-visually-hidden">2 cases at this sitting</span>'
                         % sid, row.group(1)), row.group(1)
        assert re.search(r"\d+ (day|hour|minute)s? .*left|Cutoff passed", row.group(1))
        assert "Draft (not issued)" in row.group(1) and "Not screened yet" in row.group(1)
        assert "Possible same-victim link to confirm" in p.text
        assert 'href="/cases/%d">%s</a>' % (linked["id"], linked["reference"]) in p.text
        # Police: one overdue (red), one due within 7 days (amber); IDVA's is not due.
        assert re.search(r"<td[^>]*>Police</td>\s*<td[^>]*><strong class=\"govuk-tag "
                         r"govuk-tag--red\">1 overdue</strong></td>\s*<td[^>]*><strong "
                         r"class=\"govuk-tag govuk-tag--yellow\">1 due within 7 days", p.text)
        assert "IDVA Service" not in p.text
        assert int(db.psql("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
                           "object_type = 'dashboard'")) >= 1

        # The API under it.
        admin = db.token("admin")
        r = m.request("GET", "/v1/dashboard", token=admin)
        assert r.status == 200, r.body
        doc = r.json()
        s = [x for x in doc["sittings"] if x["id"] == sid][0]
        assert s["cases"] == 2 and s["agenda"] == {"state": "draft"}
        assert s["drive"] == {"state": "not_screened"}
        assert s["research"] == {"due": None, "invited": 0, "returned": 0}
        assert {"agency": "police", "name": "Police", "overdue": 1, "due_soon": 1} \
            in doc["actions"]
        assert [i["kind"] for i in doc["attention"]] == ["referral_linked"]
        assert m.request("GET", "/v1/dashboard",
                         token=db.token("agency", agency="police")).status == 403

        # An agency member may see none of the coordinator's pages.
        for path in ("/dashboard", "/cases", "/cases/%d" % a["id"], "/sittings/%d" % sid,
                     "/sittings/new"):
            assert_page(agency.get(path), 403, title="You cannot do this")
        assert_page(agency.post("/sittings/%d/status" % sid, {"status": "cancelled"}), 403)
        m.assert_clean_log()
    finally:
        m.stop()


def test_case_search_transfer_and_links(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        a = refer(m, db, "police")
        b = refer(m, db, "idva")
        w, _ = people(db, m)
        p = w.get("/cases")
        assert_page(p, title="Cases")
        assert a["reference"] in p.text and b["reference"] in p.text
        # Filters: empty ones are no filter; each kept in the form.
        p = w.get("/cases?forum=marac&status=&area=cumbria&agency=police&sitting=&from=%s&to="
                  % today())
        assert_page(p, title="Cases")
        assert a["reference"] in p.text and b["reference"] not in p.text
        assert '<option value="police" selected>' in p.text
        assert 'value="cumbria"' in p.text
        # Areas by their names, not their codes.
        assert "<td class=\"govuk-table__cell\">MARAC Cumbria</td>" in p.text
        # Paging keeps the filters: a page of one police case, then the next.
        c = refer(m, db, "police")
        p = w.get("/cases?forum=marac&agency=police&area=&limit=1")
        assert_page(p, title="Cases")
        nxt = re.search(r'<a class="govuk-link" href="([^"]*)">Next page</a>', p.text)
        assert nxt, p.text
        href = html.unescape(nxt.group(1))
        assert re.fullmatch(r"/cases\?forum=marac&agency=police&limit=1&after=\d+", href), href
        assert "Back to the first page" not in p.text
        p2 = w.get(href)
        assert_page(p2, title="Cases")
        assert '<option value="police" selected>' in p2.text
        shown = [x["reference"] for x in (a, c) if x["reference"] in p.text]
        shown2 = [x["reference"] for x in (a, c) if x["reference"] in p2.text]
        assert len(shown) == 1 and len(shown2) == 1 and shown != shown2, (shown, shown2)
        assert b["reference"] not in p.text + p2.text, "the agency filter kept"
        back = re.search(r'<a class="govuk-link" href="([^"]*)">Back to the first page</a>',
                         p2.text)
        assert back and html.unescape(back.group(1)) == \
            "/cases?forum=marac&agency=police&limit=1"
        p = w.get("/cases?agency=housing")
        assert 'id="no-cases"' in p.text
        p = w.get("/cases?from=%s" % (today() + datetime.timedelta(days=1)))
        assert 'id="no-cases"' in p.text
        # A filter the API refuses: the error summary, linked to the field.
        p = w.get("/cases?from=2026-13-01&to=tomorrow")
        assert_page(p, 422, title="Cases")
        assert 'class="govuk-error-summary"' in p.text
        assert 'href="#from"' in p.text and 'href="#to"' in p.text
        assert 'id="from-error"' in p.text and 'value="2026-13-01"' in p.text

        # The case in full.
        p = w.get("/cases/%d" % a["id"])
        assert_page(p, title="Case")
        assert "Jane Doe" in p.text and "Free text about the case." in p.text
        assert '<span class="govuk-caption-l">MARAC case, Cumbria</span>' in p.text

        # Link b to a's case: refused first (no such case), then by reference.
        r = m.request("POST", "/v1/referrals/%d/link" % b["id"], {"to": "MARAC-1999-0001"},
                      token=db.token("admin"))
        assert r.status == 422 and r.json()["fields"][0]["field"] == "to", r.body
        p = w.post("/cases/%d/link" % b["id"], {"to": "MARAC-1999-0001"})
        assert_page(p, 422, title="Link the referral")
        assert 'href="#to"' in p.text and 'id="to-error"' in p.text
        assert 'value="MARAC-1999-0001"' in p.text
        assert location(w.post("/cases/%d/link" % b["id"], {"to": a["reference"]})) == \
            "/cases/%d?done=linked" % b["id"]
        p = w.get("/cases/%d?done=linked" % b["id"])
        assert "The referral has been linked to the case." in p.text
        assert 'Heard as part of</dt><dd class="govuk-summary-list__value"><a ' \
            'class="govuk-link" href="/cases/%d">%s</a>' % (a["id"], a["reference"]) in p.text
        assert db.psql("SELECT status || ' ' || linked_to FROM referrals WHERE id = %d"
                       % b["id"]) == "linked %d" % a["id"]
        assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'link'") == "1"
        # A case with a referral linked to it cannot be transferred: no form.
        assert "Transfer the case" not in w.get("/cases/%d" % a["id"]).text
        assert location(w.post("/cases/%d/unlink" % b["id"])) == \
            "/cases/%d?done=unlinked" % b["id"]
        assert db.psql("SELECT status FROM referrals WHERE id = %d" % b["id"]) == "listed"

        # Transfer: the reason is required; then the case goes on in MASC.
        w.get("/cases/%d" % a["id"])
        p = w.post("/cases/%d/transfer" % a["id"], {"forum": "masc", "reason": ""})
        assert_page(p, 422, title="Transfer the case")
        assert 'href="#reason"' in p.text and 'id="reason-error"' in p.text
        loc = location(w.post("/cases/%d/transfer" % a["id"],
                              {"forum": "masc", "reason": "Stalking by a stranger"}))
        new = int(re.match(r"/cases/(\d+)\?done=transferred$", loc).group(1))
        p = w.get(loc)
        assert_page(p, title="Case")
        assert "MASC case" in p.text and "Transferred from" in p.text
        assert a["reference"] in p.text and "Stalking by a stranger" in p.text
        assert db.psql("SELECT status FROM referrals WHERE id = %d" % a["id"]) == "transferred"
        assert new != a["id"]

        # The API: the link's refusals name the field.
        admin = db.token("admin")
        r = m.request("POST", "/v1/referrals/%d/link" % b["id"], {"to": b["id"]}, token=admin)
        assert r.status == 422 and r.json()["fields"][0]["field"] == "to", r.body
        r = m.request("POST", "/v1/referrals/%d/link" % b["id"], {"to": new}, token=admin)
        assert r.status == 422, r.body
        assert "same forum and area" in r.json()["fields"][0]["reason"]
        r = m.request("POST", "/v1/referrals/%d/link" % b["id"], {}, token=admin)
        assert r.status == 422 and r.json()["fields"][0]["reason"] == "is required"
        r = m.request("GET", "/v1/referrals?agency=Police&from=2026-02-30", token=admin)
        assert r.status == 422
        assert {f["field"] for f in r.json()["fields"]} == {"agency", "from"}
        m.assert_clean_log()
    finally:
        m.stop()


def test_sittings_added_moved_cancelled_and_their_research_deadline(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        a = refer(m, db, "police")
        w, _ = people(db, m)
        sid, date = a["sitting"]["id"], a["sitting"]["date"]
        p = w.get("/sittings")
        assert_page(p, title="Sittings")
        assert 'href="/sittings/%d">%s</a>' % (sid, day_words(date)) in p.text
        assert "MARAC Cumbria</td>" in p.text and "MARAC cumbria" not in p.text
        p = w.get("/sittings?forum=masc&area=&from=&to=")
        assert 'href="/sittings/%d"' % sid not in p.text
        p = w.get("/sittings?from=soon")
        assert_page(p, 422, title="Sittings")
        assert 'href="#from"' in p.text

        # One sitting: its state, cases and forms.
        p = w.get("/sittings/%d" % sid)
        assert_page(p, title="Sitting")
        assert '<span class="govuk-caption-l">MARAC Cumbria</span>' in p.text
        assert 'href="/cases/%d">%s</a>' % (a["id"], a["reference"]) in p.text
        assert 'href="/sittings/%d/agenda"' % sid in p.text
        assert 'href="/sittings/%d/meeting"' % sid in p.text
        assert "No agency has been invited yet" in p.text

        # The information deadline: after the sitting is refused, then set.
        late = (datetime.date.fromisoformat(date) + datetime.timedelta(days=1)).isoformat()
        p = w.post("/sittings/%d/research" % sid, {"due": late})
        assert_page(p, 422, title="Sitting")
        assert 'href="#due"' in p.text and 'id="due-error"' in p.text
        assert 'value="%s"' % late in p.text
        assert location(w.post("/sittings/%d/research" % sid, {"due": date})) == \
            "/sittings/%d?done=research" % sid
        assert db.psql("SELECT research_due FROM sittings WHERE id = %d" % sid) == date

        # Added by hand: a bad date first, kept as typed.
        p = w.get("/sittings/new")
        assert_page(p, title="Add a sitting")
        p = w.post("/sittings", {"forum": "marac", "area": "cumbria", "date": "2027-02-30",
                                 "venue": ""})
        assert_page(p, 422, title="Add a sitting")
        assert 'href="#date"' in p.text and 'value="2027-02-30"' in p.text
        assert 'value="marac" checked' in p.text
        day = free_day(db, 60)
        loc = location(w.post("/sittings", {"forum": "marac", "area": "cumbria", "date": day,
                                            "venue": "Carlisle Civic Centre"}))
        new = int(re.match(r"/sittings/(\d+)\?done=added$", loc).group(1))
        p = w.get(loc)
        assert "The sitting has been added." in p.text and "Carlisle Civic Centre" in p.text
        # Moved, then cancelled, then reinstated.
        moved = free_day(db, 61)
        p = w.post("/sittings/%d" % new, {"date": moved, "venue": "Penrith"})
        assert p.status == 303, re.findall(r'<li><a href="[^"]*">[^<]*', p.text)
        assert location(p) == "/sittings/%d?done=changed" % new
        assert db.psql("SELECT date || ' ' || venue FROM sittings WHERE id = %d" % new) == \
            "%s Penrith" % moved
        assert location(w.post("/sittings/%d/status" % new, {"status": "cancelled"})) == \
            "/sittings/%d?done=cancelled" % new
        p = w.get("/sittings/%d" % new)
        assert "Cancelled" in p.text and "Reinstate the sitting" in p.text
        assert location(w.post("/sittings/%d/status" % new, {"status": "scheduled"})) == \
            "/sittings/%d?done=reinstated" % new

        # A held sitting: the API refuses to cancel it, the page says why.
        held = db.psql("INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, origin) "
                       "VALUES ('marac', 'cumbria', '2026-11-05', '2026-11-01', "
                       "'2026-11-01T23:59:59Z', 'manual') RETURNING id").split()[0]
        w.get("/sittings/%s" % held)
        p = w.post("/sittings/%s/status" % held, {"status": "cancelled"})
        assert_page(p, 422, title="Sitting")
        assert 'class="govuk-error-summary"' in p.text
        assert "has been held: it cannot be moved, cancelled or reinstated" in p.text
        assert db.psql("SELECT status FROM sittings WHERE id = %s" % held) == "scheduled"

        # The API's view of one sitting.
        admin = db.token("admin")
        r = m.request("GET", "/v1/sittings/%d" % sid, token=admin)
        assert r.status == 200, r.body
        assert [c["reference"] for c in r.json()["case_list"]] == [a["reference"]]
        assert r.json()["research_due"] == date
        assert m.request("GET", "/v1/sittings/999999", token=admin).status == 404
        assert m.request("GET", "/v1/sittings/%d" % sid,
                         token=db.token("admin", areas="elsewhere")).status == 404
        m.assert_clean_log()
    finally:
        m.stop()

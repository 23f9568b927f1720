"""The coordinator's agenda and import pages and the agencies' research
pages (#21) at HTTP level, as a browser without JavaScript gets them: a
sitting's draft agenda previewed, issued, issued again with the changes
from the version before, the versions and the downloads; a CSV file
uploaded from a form (multipart/form-data), each row's result in a table
and the errors by row and column; an agency's sittings with research due,
a sitting's cases and the return for one (with the error summary when the
form is incomplete)."""
import http.client
import re
import uuid

from test_accounts import ORIGIN, accounts_conf, start_maracd
from test_agenda import refer, sittings_generated, victims_anew  # noqa: F401
from test_import import cells, to_csv
from test_web_pages import Page, Web, assert_page, enrol_by_forms, invite, location
from referrals import referral


def post_file(w, path, name, filename, data, fields=()):
    """A form with a file, as a browser sends it."""
    boundary = "----maracd" + uuid.uuid4().hex
    parts = []
    token = w.last.hidden("csrf_token")
    for k, v in list(fields) + [("csrf_token", token)]:
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                      % (boundary, k, v)).encode())
    parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                  'Content-Type: text/csv\r\n\r\n' % (boundary, name, filename)).encode()
                 + data + b"\r\n")
    body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
    h = {"Cookie": "__Host-maracd_session=" + w.cookie, "Origin": ORIGIN,
         "Content-Type": "multipart/form-data; boundary=" + boundary}
    c = http.client.HTTPConnection("127.0.0.1", w.m.port, timeout=60)
    try:
        c.request("POST", path, body=body, headers=h)
        r = c.getresponse()
        page = Page(r.status, r.headers, r.read())
    finally:
        c.close()
    if (page.header("Content-Type") or "").startswith("text/html"):
        w.last = page
    return page


def staff(m, db):
    w, _, _ = enrol_by_forms(m, invite(db, "coord@marac.example", "--role", "admin",
                                       "--print-link"))
    return w


def test_the_agenda_previewed_issued_and_issued_again(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        sittings_generated(db)
        a = refer(m, db, "police")
        b = refer(m, db, "housing")
        sid = a["sitting"]["id"]
        path = "/sittings/%d/agenda" % sid
        w = staff(m, db)

        p = w.get(path)
        assert_page(p, title="Agenda")
        assert "Draft: the agenda if issued now" in p.text
        assert a["reference"] in p.text and b["reference"] in p.text
        assert "Version 1" not in p.text
        assert 'action="%s/issue"' % path in p.text
        stale = p.hidden("csrf_token")      # this form, posted again later
        # Counted in words, and the draft's own downloads, PDF first.
        assert "2 cases listed." in p.text
        draft_pdf = "/v1/sittings/%d/agenda?format=pdf&amp;version=draft" % sid
        assert draft_pdf in p.text
        d = w.get(draft_pdf.replace("&amp;", "&"))
        assert d.status == 200 and d.header("X-Agenda-Status") == "draft"
        assert d.header("Content-Type") == "application/pdf"

        assert location(w.post(path + "/issue")) == path + "?issued=1"
        p = w.get(path + "?issued=1")
        assert_page(p, title="Agenda")
        assert "The agenda has been issued and circulated." in p.text
        assert re.search(r"Version 1, issued \d\d:\d\d on [A-Z][a-z]+day \d+ [A-Z][a-z]+ \d{4}", p.text)
        assert "Added (2)" in p.text     # the first version: every case is new
        # The area by its name, the cases counted in words.
        assert re.search(r"MARAC sitting on [A-Z][a-z]+day \d+ [A-Z][a-z]+ \d{4}, Cumbria: "
                         r"2 cases\.", p.text)
        for fmt in ("pdf", "html", "csv", "ics"):
            href = "/v1/sittings/%d/agenda?format=%s&amp;version=1" % (sid, fmt)
            assert href in p.text
            d = w.get(href.replace("&amp;", "&"))
            assert d.status == 200, (fmt, d.status)
            assert d.header("X-Agenda-Version") == "1"
        assert "attachment" in w.get("/v1/sittings/%d/agenda?format=csv&version=1"
                                     % sid).header("Content-Disposition")
        # Right after the issue nothing has changed: no button, and the API
        # refuses the issue the page does not offer.
        assert 'id="unchanged"' in p.text
        assert "Version 1 is issued and nothing has changed since" in p.text
        assert 'action="%s/issue"' % path not in p.text
        assert "Issue the agenda" not in p.text
        # The form of a page left open since, posted again.
        r = w.post(path + "/issue", [("csrf_token", stale)], csrf=False)
        assert_page(r, 409)
        assert "nothing has changed since the latest issued version" in r.text
        assert db.psql("SELECT count(*) FROM agenda_versions WHERE sitting_id = %d"
                       % sid) == "1"
        r = m.request("GET", "/v1/sittings/%d/agenda?version=draft" % sid,
                      token=db.token("admin"))
        assert r.json()["changes"]["since"] == 1 and r.json()["changes"]["unchanged"] is True
        assert m.request("POST", "/v1/sittings/%d/agenda/issue" % sid,
                         token=db.token("admin")).json()["error"] == "agenda_unchanged"

        # A late referral, then the second version: what changed.
        c = refer(m, db, "idva")
        assert c["sitting"]["id"] == sid
        p = w.get(path)     # the page's form, with its csrf_token
        assert c["reference"] in p.text[p.text.index('id="draft"'):]
        assert "since version 1, 1 added, 0 removed, 0 changed" in p.text
        assert 'id="unchanged"' not in p.text and 'action="%s/issue"' % path in p.text
        assert location(w.post(path + "/issue")) == path + "?issued=2"
        p = w.get(path)
        assert re.search(r"Version 2, issued", p.text)
        assert "Added (1)" in p.text and "Removed (0)" in p.text
        changes = p.text[p.text.index('id="changes"'):p.text.index("</dl>",
                                                                    p.text.index('id="changes"'))]
        assert c["reference"] in changes and a["reference"] not in changes
        assert 'href="%s?version=1"' % path in p.text
        p = w.get(path + "?version=1")
        assert_page(p, title="Agenda")
        assert re.search(r"Version 1, issued", p.text) and "Version 1 (shown)" in p.text
        assert 'href="%s?version=2"' % path in p.text
        assert c["reference"] in p.text     # in the draft, not in version 1's table
        assert w.get(path + "?version=9").status == 404
        assert w.get("/sittings/999999/agenda").status == 404
    finally:
        m.stop()


def test_import_shows_each_row_and_the_errors_by_row_and_column(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        sittings_generated(db)
        w = staff(m, db)
        p = w.get("/import")
        assert_page(p, title="Import referrals")
        assert 'enctype="multipart/form-data"' in p.text

        # No file chosen: the error summary, linked to the input.
        p = post_file(w, "/import", "file", "", b"")
        assert_page(p, 422, title="Import referrals")
        assert '<a href="#file">Select a CSV file of referrals' in p.text

        good = cells(referral(dash_yes=15))
        bad = cells(referral())
        bad.update(victim_dob="1990-02-30", consent="")
        p = w.get("/import")
        p = post_file(w, "/import", "file", "referrals.csv",
                      to_csv([good, bad]).encode())
        assert_page(p, title="Import referrals")
        assert "2 rows: 1 imported" in p.text and "1 not valid" in p.text
        errors = p.text[p.text.index('id="errors"'):p.text.index("</table>",
                                                                  p.text.index('id="errors"'))]
        cells_ = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', errors)
        rows = [tuple(cells_[i:i + 3]) for i in range(0, len(cells_), 3)]
        assert {(r[0], r[1]) for r in rows} == {("3", "victim_dob"), ("3", "consent")}, rows
        assert "Imported" in p.text and "Not valid" in p.text
        assert db.psql("SELECT count(*) FROM referrals") == "1"

        # A wrong header: nothing imported, the column named.
        text = to_csv([good]).replace("victim_postcode", "victim_shoe_size", 1)
        p = w.get("/import")
        p = post_file(w, "/import", "file", "bad.csv", text.encode())
        assert_page(p, 422, title="Import referrals")
        assert 'class="govuk-error-summary"' in p.text and "victim_shoe_size" in p.text
        assert db.psql("SELECT count(*) FROM referrals") == "1"
        # Without the form's csrf_token: refused.
        w.last = Page(200, {}, b"")
        p = post_file(w, "/import", "file", "referrals.csv", to_csv([good]).encode())
        assert p.status == 403
    finally:
        m.stop()


def test_an_agency_returns_its_research_through_the_pages(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        sittings_generated(db)
        a = refer(m, db, "police")
        b = refer(m, db, "housing")
        sid = a["sitting"]["id"]
        admin = db.token("admin")
        assert m.request("POST", "/v1/sittings/%d/agenda/issue" % sid, token=admin).status == 201
        w, _, _ = enrol_by_forms(m, invite(db, "res@police.example", "--role", "agency",
                                           "--agency", "police", "--print-link"))
        p = w.get("/research")
        assert_page(p, title="Research")
        assert 'href="/research/%d"' % sid in p.text and "0 of 2" in p.text
        p = w.get("/research/%d" % sid)
        assert_page(p, title="Research for a sitting")
        assert a["reference"] in p.text and "Jane Doe" in p.text and "To do" in p.text
        form = "/research/%d/%d" % (sid, a["id"])
        p = w.get(form)
        assert_page(p, title="Research return")

        # Nothing chosen; then "found" with no text: the errors at each field.
        p = w.post(form, {})
        assert_page(p, 422, title="Research return")
        assert '<a href="#answer">Select what your records hold' in p.text
        p = w.post(form, {"answer": "found"})
        assert_page(p, 422, title="Research return")
        assert '<a href="#text">' in p.text
        assert 'value="found" checked' in p.text, "what was chosen is kept"

        assert location(w.post(form, {"answer": "found", "text": "Two call-outs."})) == \
            "/research/%d?returned=1" % sid
        assert location(w.post("/research/%d/%d" % (sid, b["id"]), {"answer": "nothing"})) == \
            "/research/%d?returned=1" % sid
        p = w.get("/research/%d?returned=1" % sid)
        assert "Your return has been saved." in p.text and "Nothing known" in p.text
        assert "To do" not in p.text
        p = w.get(form)
        assert "Two call-outs." in p.text and 'value="found" checked' in p.text
        p = w.get("/research")
        assert "2 of 2" in p.text and "Done" in p.text
        got = m.request("GET", "/v1/sittings/%d/research" % sid, token=admin).json()
        assert {x["agency"]: x["text"] for x in got["cases"][0]["returns"]} == \
            {"police": "Two call-outs."}
        # Not a case of this sitting; not the agency's pages for staff.
        assert w.get("/research/%d/999999" % sid).status == 404
        assert w.get("/import").status == 403
    finally:
        m.stop()

"""The web pages' foundation (#20): every page as a browser gets it.

HTTP-level, against the real stack: each page renders with the security
headers and no inline script or style; pages that need a person redirect
to /sign-in without a session (and back after it); a bad form shows the
GOV.UK error summary linking to the field and keeps what was typed; a POST
without the session's csrf_token is refused; and the whole life of an
account goes through the forms: invitation link, password, enrolment with
the QR code and recovery codes, sign out, sign in with a TOTP code (RFC
6238, computed here from the key shown on the page), time-out.
"""
import base64
import datetime
import html
import http.client
import re
import urllib.parse

from test_accounts import ORIGIN, PASSWORD, accounts_conf, start_maracd, step_now, totp

CSP = ("default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
       "base-uri 'none'")


class Page:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", errors="replace")

    def header(self, name):
        return self.headers.get(name)

    def hidden(self, name):
        m = re.search(r'<input type="hidden" name="%s" value="([^"]*)"' % re.escape(name),
                      self.text)
        return html.unescape(m.group(1)) if m else None


class Web:
    """A browser without JavaScript: it keeps the session cookie, sends its
    Origin, and posts forms with what the page's hidden fields hold."""

    def __init__(self, m, origin=ORIGIN):
        self.m = m
        self.origin = origin
        self.cookie = None
        self.last = None

    def request(self, method, path, fields=None, headers=None):
        h = dict(headers or {})
        body = None
        if self.cookie:
            h["Cookie"] = "__Host-maracd_session=" + self.cookie
        if method == "POST":
            if self.origin:
                h["Origin"] = self.origin
            body = urllib.parse.urlencode(fields or [])
            h["Content-Type"] = "application/x-www-form-urlencoded"
        c = http.client.HTTPConnection("127.0.0.1", self.m.port, timeout=10)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            page = Page(r.status, r.headers, r.read())
        finally:
            c.close()
        for v in page.headers.get_all("Set-Cookie") or []:
            name, value = v.split(";", 1)[0].split("=", 1)
            assert name == "__Host-maracd_session"
            self.cookie = value or None
        if (page.header("Content-Type") or "").startswith("text/html"):
            self.last = page
        return page

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields=(), csrf=True, **kw):
        fields = list(fields.items() if isinstance(fields, dict) else fields)
        token = self.last.hidden("csrf_token") if self.last else None
        if csrf and token:
            fields.append(("csrf_token", token))
        return self.request("POST", path, fields, **kw)


def day_words(iso):
    """A date as the pages put it into words (core/words.h)."""
    d = datetime.date.fromisoformat(iso)
    return "%s %d %s %d" % (d.strftime("%A"), d.day, d.strftime("%B"), d.year)


def assert_page(p, status=200, title=None):
    """A page of maracd's: its status, headers, and nothing inline."""
    assert p.status == status, (p.status, p.text[:2000])
    assert p.header("Content-Type") == "text/html; charset=utf-8"
    assert p.header("Content-Security-Policy") == CSP
    # Not no-referrer: a browser would then send "Origin: null" with the forms.
    assert p.header("Referrer-Policy") == "same-origin"
    assert p.header("X-Content-Type-Options") == "nosniff"
    assert p.header("Cache-Control") == "no-store"
    assert p.text.startswith("<!DOCTYPE html>")
    assert '<html lang="en"' in p.text
    assert "OFFICIAL-SENSITIVE" in p.text
    assert 'href="/accessibility"' in p.text and 'href="/privacy"' in p.text
    assert 'class="govuk-skip-link"' in p.text and 'id="main-content"' in p.text
    # No inline script or style: the CSP would block it anyway.
    assert not re.search(r"<script(?![^>]*\bsrc=)", p.text), "inline script"
    assert "<style" not in p.text and " style=" not in p.text
    assert not re.search(r"\son[a-z]+=", p.text), "inline event handler"
    if title:
        assert "<title>%s" % title in p.text or "<title>Error: %s" % title in p.text, \
            re.search(r"<title>.*</title>", p.text).group(0)


def location(p):
    assert p.status == 303, (p.status, p.text[:500])
    return p.header("Location")


def invite(db, address, *role):
    """An invitation made by maracctl; the path of the page its link opens."""
    link = db.ctl("user", "invite", "--email", address, "--name", "Robin Web",
                  *role).stdout.strip()
    assert link.startswith(ORIGIN + "/account/invitation/"), link
    return link[len(ORIGIN):]


def enrol_by_forms(m, link, password=PASSWORD):
    """Invitation page, password, enrolment page: (browser, key, recovery codes)."""
    w = Web(m)
    assert_page(w.get(link), title="Choose a password")
    assert location(w.post(link, {"password": password})) == "/account/enrol"
    assert w.cookie, "an enrolling session starts"
    p = w.get("/account/enrol")
    assert_page(p, title="Set up your authenticator app")
    shown = re.search(r'<code class="maracd-key">([A-Z2-7 ]+)</code>', p.text).group(1)
    key = base64.b32decode(shown.replace(" ", "") + "=" * (-len(shown.replace(" ", "")) % 8))
    p = w.post("/account/enrol", {"code": totp(key, step_now())})
    assert_page(p, title="Save your recovery codes")
    codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", p.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    return w, key, codes


def test_public_pages_render(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w = Web(m)
        for path, title in (("/sign-in", "Sign in"), ("/sign-in/code", "Enter your code"),
                            ("/account/reset", "Reset your password"),
                            ("/account/reset/mrc_x", "Choose a new password"),
                            ("/accessibility", "Accessibility statement"),
                            ("/privacy", "Privacy notice")):
            p = w.get(path)
            assert_page(p, title=title)
            # The generic header, not GOV.UK's: no crown, the service's name.
            header = re.search(r"<header\b.*?</header>", p.text, re.S).group(0)
            assert "govuk-generic-header" in header and "maracd" in header
            assert "GOV.UK" not in header and 'class="govuk-header' not in p.text
            # Nobody signed in: no navigation, no token, no time-out.
            assert "csrf_token" not in p.text and "data-session-timeout" not in p.text
        a = w.get("/accessibility").text
        assert "WCAG" in a and "2.2 AA" in a and "Reporting accessibility problems" in a
        p = w.get("/privacy").text
        for words in ("What we hold", "lawful basis", "How long we keep it", "Your rights"):
            assert words in p, words
        # A page that is not there, in the pages' style; the API's stay JSON.
        p = w.get("/nonesuch")
        assert_page(p, 404, title="Page not found")
        assert w.get("/v1/nonesuch").header("Content-Type") == "application/json"
        # An invitation link that was never made.
        assert_page(w.get("/account/invitation/mrc_nonesuch"), 404,
                    title="This link cannot be used")
    finally:
        m.stop()
    m.assert_clean_log()


def test_service_name_is_configurable(db, tmp):
    accounts_conf(db)
    db.write_conf(web={"service_name": "Northshire MARAC <test>"})
    m = start_maracd(db, tmp)
    try:
        p = Web(m).get("/sign-in")
        assert_page(p)
        assert "<title>Sign in – Northshire MARAC &lt;test&gt;</title>" in p.text
    finally:
        m.stop()


def test_pages_need_a_session(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w = Web(m)
        assert location(w.get("/")) == "/sign-in"
        # Back to where the browser was going, once signed in.
        assert location(w.get("/account/keep-alive?x=1")) == \
            "/sign-in?next=%2Faccount%2Fkeep-alive%3Fx%3D1"
        p = w.get("/sign-in?next=%2Faccount%2Fkeep-alive%3Fx%3D1")
        assert p.hidden("next") == "/account/keep-alive?x=1"
        # Only this site's paths: another site's is dropped.
        for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
            p = w.get("/sign-in?next=" + urllib.parse.quote(bad, safe=""))
            assert_page(p)
            assert p.hidden("next") is None, bad
        # A form's POST is not come back to.
        assert location(w.post("/sign-out")) == "/sign-in"
        # A bearer token is for machines: a page wants a person's session.
        admin = db.token("admin")
        assert location(w.get("/", headers={"Authorization": "Bearer " + admin})) == "/sign-in"
        # A cookie that is no session's: it has ended; the browser forgets it.
        w.cookie = "A" * 43
        assert location(w.get("/")) == "/sign-in?ended=1"
        assert w.cookie is None
        p = w.get("/sign-in?ended=1")
        assert_page(p)
        assert "Your session ended" in p.text
    finally:
        m.stop()


def test_a_bad_form_shows_the_error_summary_and_keeps_the_values(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w = Web(m)
        typed = "jo.<bloggs>@police.example"
        # Nothing in the password: the API's "required", in the page's words.
        p = w.post("/sign-in", {"email": typed, "password": ""})
        assert_page(p, 422, title="Sign in")
        assert 'class="govuk-error-summary"' in p.text
        assert '<a href="#password">Enter your password</a>' in p.text
        assert 'id="password-error"' in p.text and "govuk-form-group--error" in p.text
        assert 'value="jo.&lt;bloggs&gt;@police.example"' in p.text
        assert "<title>Error: Sign in" in p.text
        # A wrong pair: one error, at the email address, which is kept.
        p = w.post("/sign-in", {"email": "jo@police.example", "password": "not the one"})
        assert_page(p, 422)
        assert '<a href="#email">The email address or the password is wrong</a>' in p.text
        assert 'value="jo@police.example"' in p.text
        assert "not the one" not in p.text, "a password is never shown again"
        # The password rule is the API's, worded for people.
        link = invite(db, "pat@police.example", "--role", "agency", "--agency", "police",
                      "--print-link")
        p = w.post(link, {"password": "short"})
        assert_page(p, 422, title="Choose a password")
        assert re.search(r'<a href="#password">At least 12 characters', p.text), p.text
        assert "pat@police.example" in p.text, "the page again, with whose invitation it is"
        # A form that is not one of ours (a name no page has): the page for a bad request.
        p = w.request("POST", "/sign-in", [("a..b", "1")])
        assert_page(p, 400)
    finally:
        m.stop()


def test_a_post_without_the_csrf_token_is_refused(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w, key, _ = enrol_by_forms(m, invite(db, "csrf@police.example", "--role", "agency",
                                             "--agency", "police", "--print-link"))
        home = w.get("/")
        assert_page(home, title="Home")
        token = home.hidden("csrf_token")
        assert token and re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
        # Without the token, with another, or from another site: 403, and still signed in.
        assert_page(w.post("/sign-out", csrf=False), 403, title="You cannot do this")
        assert_page(w.post("/sign-out", [("csrf_token", "B" * 43)], csrf=False), 403)
        other = Web(m, origin="https://evil.example")
        other.cookie, other.last = w.cookie, home
        assert_page(other.post("/sign-out"), 403)
        assert_page(w.get("/"), title="Home")
        # The JSON API answers the same session.
        assert w.request("GET", "/v1/whoami").status == 200
        # With it: signed out.
        assert location(w.post("/sign-out")) == "/sign-in?signed_out=1"
        assert w.cookie is None
        assert location(w.get("/")) == "/sign-in"
    finally:
        m.stop()
    m.assert_clean_log()


def test_the_life_of_an_account_through_the_forms(db, tmp):
    accounts_conf(db, idle_timeout="120")
    m = start_maracd(db, tmp)
    try:
        # The invitation as mailed: its link opens the invitation page.
        admin = db.token("admin")
        r = m.request("POST", "/v1/users", {"email": "robin@police.example",
                                            "display_name": "Robin Web", "role": "agency",
                                            "agency": "police"}, token=admin)
        assert r.status == 201, r.body
        body = ""
        for _ in range(200):
            body = db.psql("SELECT body_text FROM outbox WHERE kind = 'account_invite'")
            if body:
                break
        link = re.search(re.escape(ORIGIN) + r"(/account/invitation/mrc_\S+)", body).group(1)
        w = Web(m)
        p = w.get(link)
        assert_page(p, title="Choose a password")
        assert "robin@police.example" in p.text and "Robin Web" in p.text
        assert location(w.post(link, {"password": PASSWORD})) == "/account/enrol"

        # Enrolment: the key to type, the QR code as its own image.
        p = w.get("/account/enrol")
        assert_page(p)
        assert '<img src="/account/enrol/qr.svg"' in p.text and 'alt="QR code' in p.text
        qr = w.get("/account/enrol/qr.svg")
        assert qr.status == 200 and qr.header("Content-Type") == "image/svg+xml"
        assert qr.text.startswith("<svg") and "<title>" in qr.text
        shown = re.search(r'<code class="maracd-key">([A-Z2-7 ]+)</code>', p.text).group(1)
        assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", shown), shown
        key = base64.b32decode(shown.replace(" ", "") + "=" * (-len(shown.replace(" ", "")) % 8))
        # A wrong code: the error at the field, the key shown again.
        p = w.post("/account/enrol", {"code": "000000" if totp(key) != "000000" else "111111"})
        assert_page(p, 422)
        assert '<a href="#code">' in p.text and shown in p.text
        step = step_now()
        p = w.post("/account/enrol", {"code": totp(key, step)})
        assert_page(p, title="Save your recovery codes")
        codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", p.text)
        assert len(codes) == 10
        # Signed in: the home page of an agency member, with the time-out for the script.
        p = w.get("/")
        assert_page(p, title="Home")
        assert "Robin Web" in p.text and "Agency member" in p.text and "police" in p.text
        assert 'data-session-timeout="120"' in p.text
        assert 'data-session-keepalive="/account/keep-alive"' in p.text
        assert 'data-session-expired="/sign-in?ended=1"' in p.text
        assert 'action="/sign-out"' in p.text and 'action="/sign-out/everywhere"' in p.text
        assert w.get("/account/keep-alive").status == 204
        # A script asking without a session gets a status, not the sign-in page.
        assert Web(m).get("/account/keep-alive",
                          headers={"Sec-Fetch-Mode": "cors"}).status == 401
        # The recovery codes were shown once: nowhere now.
        assert codes[0] not in p.text

        assert location(w.post("/sign-out")) == "/sign-in?signed_out=1"
        p = w.get("/sign-in?signed_out=1")
        assert "You have signed out." in p.text

        # Signing in again: password, then a code; back to the page asked for.
        assert location(w.get("/account/keep-alive")) == "/sign-in?next=%2Faccount%2Fkeep-alive"
        w.get("/sign-in?next=%2Faccount%2Fkeep-alive")
        nxt = w.last.hidden("next")
        r = w.post("/sign-in", {"email": "ROBIN@police.example", "password": PASSWORD,
                                "next": nxt})
        assert location(r) == "/sign-in/code?next=%2Faccount%2Fkeep-alive"
        p = w.get(location(r))
        assert_page(p, title="Enter your code")
        # A wrong code first.
        p = w.post("/sign-in/code", {"code": "12345", "next": nxt})
        assert_page(p, 422)
        assert '<a href="#code">' in p.text
        assert location(w.post("/sign-in/code", {"code": totp(key, step + 1), "next": nxt})) \
            == "/account/keep-alive"
        assert w.get("/account/keep-alive").status == 204

        # Idle for longer than the time-out: the next page is the sign-in, saying why.
        db.psql("UPDATE sessions SET last_seen_at = now() - interval '121 seconds' "
                "WHERE ended_at IS NULL AND stage = 'active'")
        assert location(w.get("/")) == "/sign-in?ended=1"
        assert "Your session ended" in w.get("/sign-in?ended=1").text

        # A recovery code instead of the app; then signing out everywhere.
        w = Web(m)
        w.get("/sign-in")
        assert location(w.post("/sign-in", {"email": "robin@police.example",
                                            "password": PASSWORD})) == "/sign-in/code"
        w.get("/sign-in/code")
        assert location(w.post("/sign-in/code", {"recovery_code": codes[0]})) == "/"
        w.get("/")
        assert location(w.post("/sign-out/everywhere")) == "/sign-in?signed_out=everywhere"
        assert db.psql("SELECT count(*) FROM sessions WHERE ended_at IS NULL "
                       "AND stage = 'active'") == "0"
    finally:
        m.stop()
    m.assert_clean_log()


def test_password_reset_through_the_forms(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w, key, codes = enrol_by_forms(m, invite(db, "reset@police.example", "--role",
                                                 "agency", "--agency", "police",
                                                 "--print-link"))
        r = Web(m)
        p = r.post("/account/reset", {"email": ""})
        assert_page(p, 422)
        assert '<a href="#email">Enter your email address</a>' in p.text
        p = r.post("/account/reset", {"email": "reset@police.example"})
        assert_page(p, title="Check your email")
        body = ""
        for _ in range(200):
            body = db.psql("SELECT body_text FROM outbox WHERE kind = 'account_reset'")
            if body:
                break
        link = re.search(re.escape(ORIGIN) + r"(/account/reset/mrc_\S+)", body).group(1)
        assert_page(r.get(link), title="Choose a new password")
        assert_page(r.post(link, {"password": "short"}), 422)
        assert location(r.post(link, {"password": "a new and rather longer passphrase"})) \
            == "/sign-in?reset=1"
        assert "Your password has been changed" in r.get("/sign-in?reset=1").text
        # Used once; and the old session ended with the change.
        assert_page(r.post(link, {"password": "another new long passphrase"}), 404)
        assert location(w.get("/")) == "/sign-in?ended=1"
    finally:
        m.stop()
    m.assert_clean_log()

"""Named accounts (#19): invitation, password, TOTP, sessions, scope.

The whole life of an account against the real stack: maracctl and the API
invite, the SMTP sink receives the mail with its one-time link, the test
sets a password and enrols TOTP (codes computed here from the key, RFC
6238, at the test clock's now(), as maracd reads MARACD_CLOCK), signs in,
acts within its scope, times out, signs out.
"""
import base64
import email
import email.policy
import hashlib
import hmac
import re
import struct
import time

from conftest import MAILDIR, Maracd, now, wait_for
from referrals import referral


def test_maracctl_invites_lists_and_disables(db):
    out = db.ctl("user", "invite", "--email", "Ann.Admin@Example.org", "--name", "Ann Admin",
                 "--role", "admin", "--print-link")
    link = out.stdout.strip()
    assert re.fullmatch(r"/account/invitation/mrc_[A-Za-z0-9_-]{43}_[A-Za-z0-9_-]{6}", link), link
    # Printed, not mailed; and the database keeps only the link's hash.
    assert db.psql("SELECT count(*) FROM outbox") == "0"
    token = link.rsplit("/", 1)[1]
    assert db.psql("SELECT count(*) FROM user_links WHERE link_hash = sha256('%s'::bytea)" % token) == "1"
    assert token not in db.psql("SELECT string_agg(encode(link_hash, 'hex'), ',') FROM user_links")

    # The same address in another case is the same account.
    dup = db.ctl("user", "invite", "--email", "ann.admin@example.org", "--name", "Ann",
                 "--role", "chair", "--forum", "marac", "--print-link")
    assert dup.returncode == 0
    lines = db.ctl("user", "list").stdout.strip().splitlines()
    assert lines[0].split("\t") == ["id", "email", "name", "state", "second_factor", "roles"]
    assert len(lines) == 2
    row = lines[1].split("\t")
    assert row[3] == "invited" and row[4] == "no"
    assert row[5] == "admin chair,forum=marac"
    # The first link was replaced by the second.
    assert db.psql("SELECT count(*) FROM user_links WHERE used_at IS NULL") == "1"

    bad = db.ctl("user", "invite", "--email", "x@example.org", "--name", "X",
                 "--role", "agency", "--print-link", check=False)
    assert bad.returncode != 0 and "agency" in bad.stderr

    uid = row[0]
    assert db.ctl("user", "disable", uid).stdout.strip() == "user %s disabled" % uid
    assert db.ctl("user", "enable", uid).stdout.strip() == "user %s invited" % uid
    assert db.ctl("user", "disable", "999", check=False).returncode == 1


def test_maracctl_invitation_is_mailed_through_the_outbox(db):
    db.write_conf(accounts={"public_origin": "https://marac.example"})
    out = db.ctl("user", "invite", "--email", "bob@police.example", "--name", "Bob",
                 "--role", "agency", "--agency", "police", "--areas", "north")
    assert out.stdout == ""
    body = db.psql("SELECT body_text FROM outbox WHERE kind = 'account_invite'")
    m = re.search(r"https://marac\.example/account/invitation/(mrc_\S+)", body)
    assert m, body
    # The mail names nobody: the address is enough.
    assert "password" in body and "Bob" not in body
    assert db.psql("SELECT recipients[1] FROM outbox") == "bob@police.example"


# --- the browser's side ------------------------------------------------------

ORIGIN = "https://marac.example"
PASSWORD = "correct horse battery staple"


def step_now():
    return int(now().timestamp()) // 30


def totp(secret, step=None):
    """RFC 6238 (HMAC-SHA1, 6 digits, 30 s steps) at the test clock's now().

    A maracd started with clock=now() (start_maracd) is behind the test's
    clock by its start-up time only, well inside the window of a step
    either side that maracd allows.
    """
    t = step_now() if step is None else step
    mac = hmac.new(secret, struct.pack(">Q", t), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


class Browser:
    """A client that keeps the session cookie and CSRF token, as a page would."""

    def __init__(self, m, origin=ORIGIN):
        self.m = m
        self.cookie = None
        self.csrf = None
        self.origin = origin

    def request(self, method, path, body=None, csrf=True, headers=None):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = "__Host-maracd_session=" + self.cookie
        if self.origin:
            h["Origin"] = self.origin
        if csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        r = self.m.request(method, path, body=body, headers=h)
        for v in r.headers.get_all("Set-Cookie") or []:
            assert "Secure" in v and "HttpOnly" in v and "SameSite=Strict" in v and "Path=/" in v, v
            c = v.split(";", 1)[0].split("=", 1)
            assert c[0] == "__Host-maracd_session"
            self.cookie = c[1] or None
        if r.status in (200, 201) and r.body.startswith(b"{") and "csrf_token" in r.json():
            self.csrf = r.json()["csrf_token"]
        return r


def accounts_conf(db, **extra):
    settings = {"public_origin": ORIGIN, "argon2_opslimit": "1",
                "argon2_memlimit_kib": "8192"}
    settings.update(extra)
    db.write_conf(accounts=settings)


def api_link(page):
    """The API's route for a mailed link's page: the same token."""
    return page.replace("/account/invitation/", "/v1/auth/invitations/") \
        .replace("/account/reset/", "/v1/auth/reset/")


def invitation_mail(to, seconds=15):
    """The newest invitation mail to address, and its link's path (the
    page a browser opens; api_link gives the API's route for it)."""
    found = []

    def look():
        for path in sorted(MAILDIR.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            raw = path.read_bytes().replace(b"\r\n", b"\n")
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            if msg["To"] and to in msg["To"]:
                found.append(msg)
        return bool(found)
    assert wait_for(look, seconds), "no mail to %s" % to
    msg = found[-1]
    body = msg.get_body(("plain",)).get_content()
    m = re.search(re.escape(ORIGIN) + r"(/account/(?:invitation|reset)/\S+)", body)
    assert m, body
    return msg, body, m.group(1)


def enrol(m, link, password=PASSWORD):
    """Follow an invitation: set the password, enrol TOTP.  (browser, key, codes)"""
    link = api_link(link)
    b = Browser(m)
    r = b.request("GET", link)
    assert r.status == 200, r.body
    r = b.request("POST", link, {"password": password})
    assert r.status == 200, r.body
    r = b.request("GET", "/v1/auth/enrol")
    assert r.status == 200, r.body
    doc = r.json()
    key = base64.b32decode(doc["key"] + "=" * (-len(doc["key"]) % 8))
    assert doc["otpauth_uri"].startswith("otpauth://totp/")
    assert "secret=" + doc["key"] in doc["otpauth_uri"]
    assert doc["qr_svg"].startswith("<svg") or "<svg" in doc["qr_svg"][:200]
    step = step_now()
    r = b.request("POST", "/v1/auth/enrol", {"code": totp(key, step)})
    assert r.status == 200, r.body
    codes = r.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    LAST_STEP[key] = step
    RECOVERY[key] = list(codes)
    return b, key, codes


# The last step each key's code was used at: a code works once, so the
# next sign-in uses a later step (the next one, if the clock has not
# moved on yet: inside maracd's window).
LAST_STEP = {}
# Recovery codes not yet used, for sign-ins quicker than the clock's steps.
RECOVERY = {}


def start_maracd(db, tmp):
    return Maracd(db, tmp, clock=now()).start()


def sign_in(m, address, password, key, origin=ORIGIN):
    b = Browser(m, origin)
    r = b.request("POST", "/v1/auth/signin", {"email": address, "password": password})
    assert r.status == 200, r.body
    assert r.json() == {"second_factor": "totp"}
    pending = b.cookie
    step = max(step_now(), LAST_STEP.get(key, 0) + 1)
    if step > step_now() and not RECOVERY.get(key):
        # No recovery code left: wait for the step.
        time.sleep(30 - now().timestamp() % 30 + 0.1)
    if step <= step_now():
        LAST_STEP[key] = step
        r = b.request("POST", "/v1/auth/totp", {"code": totp(key, step)})
    else:
        # This step's code has been used.  The next step's is inside
        # maracd's window only while maracd's clock, which lags the test's
        # by its start-up time, has reached this step: a recovery code.
        r = b.request("POST", "/v1/auth/totp", {"recovery_code": RECOVERY[key].pop()})
    assert r.status == 200, r.body
    assert b.cookie != pending, "the session id changes at sign-in"
    return b


def test_life_of_an_account(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        admin = db.token("admin")
        pat = "Pat.%s@Police.example" % db.name     # the sink keeps every run's mail
        r = m.request("POST", "/v1/users", {"email": pat,
                      "display_name": "Pat Police", "role": "agency", "agency": "police"},
                      token=admin)
        assert r.status == 201, r.body
        uid = r.json()["id"]
        msg, body, page = invitation_mail(pat)
        assert msg["Subject"] == "Your MARAC account"
        assert PASSWORD not in body
        link = api_link(page)

        # The invitation: who it is for, then a password by the rule.
        b = Browser(m)
        r = b.request("GET", link)
        assert r.status == 200 and r.json()["email"] == pat
        r = b.request("POST", link, {"password": "short"})
        assert r.status == 422 and r.json()["fields"][0]["field"] == "password"
        assert "too_short" in r.json()["fields"][0]["reason"]
        b, key, codes = enrol(m, link)
        # Used once.
        assert Browser(m).request("GET", link).status == 404

        r = b.request("GET", "/v1/whoami")
        assert r.status == 200, r.body
        who = r.json()
        assert who["user_id"] == uid and who["role"] == "agency" and who["agency"] == "police"
        assert who["email"] == pat

        # Sign in afresh on another browser, by TOTP and by recovery code.
        b2 = sign_in(m, pat.lower(), PASSWORD, key)
        assert b2.request("GET", "/v1/whoami").json()["user_id"] == uid
        b3 = Browser(m)
        assert b3.request("POST", "/v1/auth/signin", {"email": pat.lower(),
                          "password": PASSWORD}).status == 200
        r = b3.request("POST", "/v1/auth/totp", {"recovery_code": codes[0].upper()})
        assert r.status == 200, r.body
        # A recovery code works once.
        b4 = Browser(m)
        b4.request("POST", "/v1/auth/signin", {"email": pat.lower(),
                   "password": PASSWORD})
        assert b4.request("POST", "/v1/auth/totp", {"recovery_code": codes[0]}).status == 401

        # Sign out ends that session only; everywhere ends the rest.
        r = b2.request("POST", "/v1/auth/signout")
        assert r.status == 200, r.body
        assert b2.request("GET", "/v1/whoami").status == 401
        assert b.request("GET", "/v1/whoami").status == 200
        r = b.request("POST", "/v1/auth/signout-everywhere")
        # b's, b3's, and b4's half-signed-in one.
        assert r.status == 200 and r.json()["sessions_ended"] == 3
        assert b3.request("GET", "/v1/whoami").status == 401

        # The record of attempts names the account; the database has only hashes.
        assert db.psql("SELECT count(*) FROM signin_attempts WHERE user_id = %d AND outcome = 'ok'"
                       % uid) == "2"
        cookie = b4.cookie
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie)
        assert db.psql("SELECT count(*) FROM sessions WHERE id_hash = sha256('%s'::bytea)"
                       % cookie) == "1"
    finally:
        m.stop()
    m.assert_clean_log()


def make_person(db, m, name, *role_args):
    """An active account made by maracctl --print-link: (address, key, browser)."""
    address = "%s.%s@example.org" % (name, db.name)
    link = db.ctl("user", "invite", "--email", address, "--name", name.title(),
                  *role_args, "--print-link").stdout.strip()
    assert link.startswith(ORIGIN + "/account/invitation/"), link
    b, key, _ = enrol(m, link[len(ORIGIN):])
    return address, key, b


def test_no_enumeration_and_lockout(db, tmp):
    accounts_conf(db, signin_failures_before_lock="4", lock_minutes="1")
    m = start_maracd(db, tmp)
    try:
        address, key, _ = make_person(db, m, "lee", "--role", "admin")
        unknown = Browser(m).request("POST", "/v1/auth/signin",
                                     {"email": "nobody.%s@example.org" % db.name,
                                      "password": PASSWORD})
        wrong = Browser(m).request("POST", "/v1/auth/signin",
                                   {"email": address, "password": PASSWORD + "!"})
        assert unknown.status == wrong.status == 401
        assert unknown.body == wrong.body
        assert unknown.headers.get("Set-Cookie") is None and wrong.headers.get("Set-Cookie") is None
        # Three more wrong passwords lock the account, right password or not.
        for _ in range(3):
            r = Browser(m).request("POST", "/v1/auth/signin",
                                   {"email": address, "password": "not the password"})
            assert r.status == 401, r.body
        r = Browser(m).request("POST", "/v1/auth/signin", {"email": address, "password": PASSWORD})
        assert r.status == 429 and r.json()["error"] == "too_many_attempts", r.body
        assert 0 < int(r.headers["Retry-After"]) <= 60
        # An unknown address is throttled the same way: nothing tells them apart.
        for _ in range(4):
            Browser(m).request("POST", "/v1/auth/signin",
                               {"email": "nobody.%s@example.org" % db.name, "password": "x"})
        r2 = Browser(m).request("POST", "/v1/auth/signin",
                                {"email": "nobody.%s@example.org" % db.name, "password": "x"})
        assert r2.status == 429 and r2.body == r.body
        # Every attempt is on record, by outcome.
        outcomes = db.psql("SELECT string_agg(outcome, ',' ORDER BY id) FROM signin_attempts "
                           "WHERE email_key = lower('%s')" % address)
        assert outcomes == "failed,failed,failed,failed,throttled", outcomes
        # ... and in the audit log, named by the account tried and the
        # address it came from, at each step of each attempt.
        audited = db.psql("SELECT string_agg(l.action, ',' ORDER BY l.id) FROM audit_log l "
                          "JOIN users u ON u.id = l.user_id WHERE l.role = 'signin' "
                          "AND l.client_addr IS NOT NULL AND lower(u.email) = lower('%s')" % address)
        assert audited == ",".join(["signin_pending,signin_failed"] * 4
                                   + ["signin_throttled"]), audited
        unknown_rows = db.psql("SELECT count(*) FROM audit_log l JOIN signin_attempts a "
                               "ON l.object_type = 'signin_attempt' AND l.object_id = a.id::text "
                               "WHERE l.user_id IS NULL AND a.email_key = lower('nobody.%s@example.org')"
                               % db.name)
        assert unknown_rows == str(2 * 4 + 2), unknown_rows
    finally:
        m.stop()
    m.assert_clean_log()


def test_csrf_and_origin_are_required_for_changes(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        address, key, b = make_person(db, m, "kim", "--role", "admin")
        # Reads need the cookie only.
        assert b.request("GET", "/v1/whoami", csrf=False).status == 200
        # A change without the token, with a wrong one, or from another origin: 403.
        r = b.request("POST", "/v1/auth/signout", csrf=False)
        assert r.status == 403 and r.json()["error"] == "csrf"
        r = b.request("POST", "/v1/auth/signout", csrf=False,
                      headers={"X-CSRF-Token": "A" * 43})
        assert r.status == 403 and r.json()["error"] == "csrf"
        evil = Browser(m, origin="https://evil.example")
        evil.cookie, evil.csrf = b.cookie, b.csrf
        r = evil.request("POST", "/v1/auth/signout")
        assert r.status == 403 and r.json()["error"] == "csrf"
        nobody = Browser(m, origin=None)
        nobody.cookie, nobody.csrf = b.cookie, b.csrf
        assert nobody.request("POST", "/v1/auth/signout").status == 403
        # Still signed in; with both, the change goes through.
        assert b.request("GET", "/v1/whoami").status == 200
        assert b.request("POST", "/v1/auth/signout").status == 200
        assert b.request("GET", "/v1/whoami").status == 401
    finally:
        m.stop()
    m.assert_clean_log()


def test_disabled_idle_and_expired_sessions_are_refused(db, tmp):
    accounts_conf(db, idle_timeout="60", absolute_lifetime="300")
    m = start_maracd(db, tmp)
    try:
        admin = db.token("admin")
        address, key, b = make_person(db, m, "sam", "--role", "agency", "--agency", "police")
        uid = b.request("GET", "/v1/whoami").json()["user_id"]

        # Disabled mid-session: the very next request is refused, and so is signing in.
        r = m.request("PATCH", "/v1/users/%d" % uid, {"state": "disabled"}, token=admin)
        assert r.status == 200 and r.json()["state"] == "disabled", r.body
        assert b.request("GET", "/v1/whoami").status == 401
        r = Browser(m).request("POST", "/v1/auth/signin", {"email": address, "password": PASSWORD})
        assert r.status == 401 and r.json()["error"] == "signin_failed"
        r = m.request("PATCH", "/v1/users/%d" % uid, {"state": "active"}, token=admin)
        assert r.json()["state"] == "active"

        # Idle for longer than idle_timeout (the database's clock: moved back here).
        b = sign_in(m, address, PASSWORD, key)
        assert b.request("GET", "/v1/whoami").status == 200
        db.psql("UPDATE sessions SET last_seen_at = now() - interval '61 seconds' "
                "WHERE ended_at IS NULL AND stage = 'active'")
        assert b.request("GET", "/v1/whoami").status == 401
        # A request keeps a session alive; the absolute lifetime ends it anyway.
        b = sign_in(m, address, PASSWORD, key)
        db.psql("UPDATE sessions SET last_seen_at = now() - interval '59 seconds' "
                "WHERE ended_at IS NULL AND stage = 'active'")
        assert b.request("GET", "/v1/whoami").status == 200
        assert b.request("GET", "/v1/whoami").status == 200
        db.psql("UPDATE sessions SET expires_at = now() WHERE ended_at IS NULL AND stage = 'active'")
        assert b.request("GET", "/v1/whoami").status == 401
    finally:
        m.stop()
    m.assert_clean_log()


def test_password_reset_by_mailed_link(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        address, key, b = make_person(db, m, "jo", "--role", "admin")
        known = Browser(m).request("POST", "/v1/auth/reset", {"email": address.upper()})
        unknown = Browser(m).request("POST", "/v1/auth/reset",
                                     {"email": "nobody.%s@example.org" % db.name})
        assert known.status == unknown.status == 202 and known.body == unknown.body
        msg, body, page = invitation_mail(address)
        assert msg["Subject"] == "Reset your MARAC password" and "/account/reset/" in page
        link = api_link(page)
        assert db.psql("SELECT count(*) FROM outbox WHERE recipients[1] ILIKE 'nobody%'") == "0"
        r = Browser(m).request("POST", link, {"password": "short"})
        assert r.status == 422
        new = "a new and rather longer passphrase"
        assert Browser(m).request("POST", link, {"password": new}).status == 200
        assert Browser(m).request("POST", link, {"password": new}).status == 404
        # The old session ended; the old password no longer works; the new one does.
        assert b.request("GET", "/v1/whoami").status == 401
        r = Browser(m).request("POST", "/v1/auth/signin", {"email": address, "password": PASSWORD})
        assert r.status == 401
        sign_in(m, address, new, key)
    finally:
        m.stop()
    m.assert_clean_log()


def test_another_site_cannot_sign_a_browser_in(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        address, key, _ = make_person(db, m, "eve", "--role", "admin")
        r = Browser(m, origin="https://evil.example").request(
            "POST", "/v1/auth/signin", {"email": address, "password": PASSWORD})
        assert r.status == 403 and r.json()["error"] == "csrf"
        assert r.headers.get("Set-Cookie") is None
        # A client that is not a browser sends no Origin, and may.
        r = Browser(m, origin=None).request(
            "POST", "/v1/auth/signin", {"email": address, "password": PASSWORD})
        assert r.status == 200
    finally:
        m.stop()
    m.assert_clean_log()



def test_a_person_acts_within_scope_and_the_audit_names_them(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        address, key, b = make_person(db, m, "pc", "--role", "agency", "--agency", "police")
        uid = b.request("GET", "/v1/whoami").json()["user_id"]
        housing = db.token("agency", agency="housing")
        r = m.request("POST", "/v1/referrals", referral(referring_agency="housing"), token=housing)
        assert r.status == 201, r.body
        theirs = r.json()["id"]
        # The person refers (a change: cookie, CSRF token and Origin) ...
        r = b.request("POST", "/v1/referrals", referral())
        assert r.status == 201, r.body
        mine = r.json()["id"]
        # ... reads their agency's referral, and not another agency's.
        assert b.request("GET", "/v1/referrals/%d" % mine).status == 200
        assert b.request("GET", "/v1/referrals/%d" % theirs).status == 404
        listed = [x["id"] for x in b.request("GET", "/v1/referrals").json()["referrals"]]
        assert mine in listed and theirs not in listed
        # Users are an admin's business.
        assert b.request("GET", "/v1/users").status == 403
        # The audit rows of the person's reads and changes name them.
        rows = db.psql("SELECT DISTINCT coalesce(user_id::text, '-') || '/' || coalesce(token_id::text, '-') "
                       "FROM audit_log WHERE object_id = '%d' AND object_type <> 'api_token'"
                       % mine).split("\n")
        assert rows == ["%d/-" % uid], rows
        sign_in(m, address, PASSWORD, key).request("POST", "/v1/auth/signout")
        actions = db.psql("SELECT string_agg(action || ':' || role, ',' ORDER BY id) FROM audit_log "
                          "WHERE user_id = %d AND object_type = 'user'" % uid)
        assert actions == "enrol:agency,signin:agency,signout:agency", actions
    finally:
        m.stop()
    m.assert_clean_log()


def test_coordinators_invite_agency_members_of_their_areas_only(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        _, _, admin = make_person(db, m, "ada", "--role", "admin")
        _, _, coord = make_person(db, m, "cody", "--role", "coordinator", "--areas", "north")

        def invite(b, name, role, **kw):
            body = {"email": "%s.%s@example.org" % (name, db.name), "display_name": name,
                    "role": role}
            body.update(kw)
            return b.request("POST", "/v1/users", body)

        r = invite(coord, "nina", "agency", agency="police", areas=["north"])
        assert r.status == 201, r.body
        nina = r.json()["id"]
        assert invite(coord, "sid", "agency", agency="police", areas=["south"]).status == 403
        assert invite(coord, "al", "agency", agency="police").status == 403
        assert invite(coord, "ad", "admin").status == 403
        r = invite(admin, "cara", "chair", forum="marac")
        assert r.status == 201, r.body
        cara = r.json()["id"]
        seen = [u["id"] for u in coord.request("GET", "/v1/users").json()["users"]]
        assert seen == [nina]
        assert coord.request("PATCH", "/v1/users/%d" % cara, {"state": "disabled"}).status == 404
        r = coord.request("PATCH", "/v1/users/%d" % nina, {"display_name": "Nina N"})
        assert r.status == 200 and r.json()["display_name"] == "Nina N"
        assert len(admin.request("GET", "/v1/users").json()["users"]) == 4
    finally:
        m.stop()
    m.assert_clean_log()


def test_tokens_have_an_owner_and_run_out(db, tmp):
    accounts_conf(db)
    db.ctl("user", "invite", "--email", "owner.%s@example.org" % db.name, "--name", "Owner",
           "--role", "admin", "--print-link")
    m = start_maracd(db, tmp)
    try:
        live = db.token("agency", agency="police")
        dead = db.ctl("token", "create", "--role", "agency", "--agency", "police", "--name",
                      "old", "--days", "0").stdout.strip()
        owned = db.ctl("token", "create", "--role", "agency", "--agency", "police", "--name",
                       "owned", "--owner", "OWNER.%s@example.org" % db.name).stdout.strip()
        assert m.request("GET", "/v1/whoami", token=live).status == 200
        assert m.request("GET", "/v1/whoami", token=dead).status == 401
        assert m.request("GET", "/v1/whoami", token=owned).status == 200
        bad = db.ctl("token", "create", "--role", "agency", "--agency", "police", "--name", "x",
                     "--owner", "nobody@example.org", check=False)
        assert bad.returncode == 1 and "nobody@example.org" in bad.stderr
        rows = [l.split("\t") for l in db.ctl("token", "list").stdout.strip().splitlines()]
        assert rows[0][-3:] == ["state", "expires", "owner"]
        by_name = {r[1]: r for r in rows[1:]}
        assert by_name["old"][-3] == "expired"
        assert by_name["owned"][-3] == "active"
        assert by_name["owned"][-1] == "owner.%s@example.org" % db.name
        # A year unless told otherwise.
        assert db.psql("SELECT expires_at::date - created_at::date BETWEEN 365 AND 366 "
                       "FROM api_tokens WHERE name = 'owned'") == "t"
        # maracd's own job token does not stop the jobs a year on.
        assert db.psql("SELECT expires_at FROM api_tokens WHERE role = 'job'") == "infinity"
    finally:
        m.stop()
    m.assert_clean_log()


def test_a_person_with_two_roles_acts_under_one_at_a_time(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        address = "two.%s@example.org" % db.name
        db.ctl("user", "invite", "--email", address, "--name", "Two", "--role", "agency",
               "--agency", "police", "--print-link")
        link = db.ctl("user", "invite", "--email", address, "--name", "Two", "--role", "chair",
                      "--forum", "marac", "--print-link").stdout.strip()
        b, key, _ = enrol(m, link[len(ORIGIN):])
        who = b.request("GET", "/v1/whoami").json()
        assert who["role"] == "agency" and len(who["memberships"]) == 2
        chair = [x["id"] for x in who["memberships"] if x["role"] == "chair"][0]
        old_cookie, old_csrf = b.cookie, b.csrf
        r = b.request("POST", "/v1/auth/membership", {"membership": chair})
        assert r.status == 200 and r.json()["role"] == "chair", r.body
        assert b.cookie != old_cookie and b.csrf != old_csrf
        who = b.request("GET", "/v1/whoami").json()
        assert who["role"] == "chair" and who["forum"] == "marac" and who["membership"] == chair
        # The old session id is dead; a membership of someone else's is refused.
        stale = Browser(m)
        stale.cookie, stale.csrf = old_cookie, old_csrf
        assert stale.request("GET", "/v1/whoami").status == 401
        r = b.request("POST", "/v1/auth/membership", {"membership": chair + 1000})
        assert r.status == 422 and r.json()["fields"][0]["field"] == "membership"
        assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'membership' AND role = 'chair'"
                       " AND user_id = %d" % who["user_id"]) == "1"
    finally:
        m.stop()
    m.assert_clean_log()


def test_roles_change_within_scope_and_the_last_admin_stays(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        _, _, admin = make_person(db, m, "ada", "--role", "admin")
        _, _, coord = make_person(db, m, "cody", "--role", "coordinator", "--areas", "north")
        _, _, nina = make_person(db, m, "nina", "--role", "agency", "--agency", "police",
                                 "--areas", "north")
        nina_id = nina.request("GET", "/v1/whoami").json()["user_id"]
        ada_id = admin.request("GET", "/v1/whoami").json()["user_id"]
        url = "/v1/users/%d" % nina_id

        # Each membership is read as an invitation's.
        r = admin.request("PATCH", url, {"roles": []})
        assert r.status == 422 and [f["field"] for f in r.json()["fields"]] == ["roles"], r.body
        r = admin.request("PATCH", url, {"roles": [{"role": "agency"}, {"role": "chair"}]})
        assert r.status == 422, r.body
        assert [f["field"] for f in r.json()["fields"]] == ["roles[0].agency", "roles[1].forum"]
        # A coordinator gives agency memberships within its own areas only.
        for roles in ([{"role": "agency", "agency": "police", "areas": ["north", "south"]}],
                      [{"role": "agency", "agency": "police"}],
                      [{"role": "chair", "forum": "marac", "areas": ["north"]}]):
            assert coord.request("PATCH", url, {"roles": roles}).status == 403
        # A membership added leaves the kept one's session alone ...
        r = admin.request("PATCH", url, {"roles": [
            {"role": "agency", "agency": "police", "areas": ["north"]},
            {"role": "chair", "forum": "marac"}]})
        assert r.status == 200, r.body
        assert [x["role"] for x in r.json()["roles"]] == ["agency", "chair"]
        assert nina.request("GET", "/v1/whoami").status == 200
        # ... a change of its areas ends it: a new privilege, a new session.
        r = coord.request("PATCH", url, {"roles": [
            {"role": "agency", "agency": "police", "areas": ["north", "east"]}]})
        assert r.status == 404, "a chair's account is not the coordinator's to manage"
        r = admin.request("PATCH", url, {"roles": [
            {"role": "agency", "agency": "police", "areas": ["north", "east"]}]})
        assert r.status == 200 and r.json()["roles"] == [
            {"role": "agency", "agency": "police", "forum": None, "areas": ["north", "east"]}]
        assert nina.request("GET", "/v1/whoami").status == 401
        assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'user_roles' "
                       "AND object_id = '%d'" % nina_id) == "2"

        # The only active admin can neither step down nor be disabled.
        for change in ({"roles": [{"role": "coordinator"}]}, {"state": "disabled"}):
            r = admin.request("PATCH", "/v1/users/%d" % ada_id, change)
            assert r.status == 409 and r.json()["error"] == "last_admin", r.body
        assert admin.request("GET", "/v1/whoami").json()["role"] == "admin"
    finally:
        m.stop()
    m.assert_clean_log()

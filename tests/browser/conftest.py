"""Browser tests: journeys through maracd's pages in Debian's chromium,
driven by playwright-core from Node (lib.mjs and one script per journey),
against a real maracd, PostgreSQL and SMTP sink.

tools/test starts PostgreSQL and the SMTP sink as for the integration
suite and runs pytest here after it.  The fixtures (cluster, db, tmp) and
the Maracd/Database helpers are the integration suite's own, loaded from
tests/integration/conftest.py under another module name so that the two
conftest modules do not collide (as tests/drills does).
"""
import base64
import datetime
import hashlib
import hmac
import os
import pathlib
import re
import struct
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from reuse import integration_conftest  # noqa: E402

ic = integration_conftest()

cluster = ic.cluster
tmp = ic.tmp
db = ic.db
Maracd = ic.Maracd
BUILD, SRC, MAILDIR = ic.BUILD, ic.SRC, ic.MAILDIR

# Where each page's screenshot goes: a reviewer looks at them there.
SCREENSHOTS = BUILD / "screenshots"
# A journey that hangs (a page that never loads) fails instead.
JOURNEY_TIMEOUT = 300


def pytest_sessionstart(session):
    # Screenshots of this run only: none left from an earlier one.
    if SCREENSHOTS.is_dir():
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()


@pytest.fixture
def stack(db, tmp):
    """maracd on a fresh database, with named accounts set up for a
    browser on http://127.0.0.1:PORT (its public origin), its clock
    started at the test clock's now (the journeys compute TOTP codes)."""
    m = Maracd(db, tmp, clock=ic.now())
    db.write_conf(accounts={"public_origin": m.url, "argon2_opslimit": "1",
                            "argon2_memlimit_kib": "8192"})
    m.start()
    yield m
    m.stop()
    m.assert_clean_log()


# Defects of the pages that a journey finds and names ("KNOWN-DEFECT
# <name>:" in its output): the test is marked xfail with the reason
# while the defect lasts, and fails on anything else.
KNOWN_DEFECTS = {}


def run_journey(name, maracd, timeout=JOURNEY_TIMEOUT, **extra):
    """Run tests/browser/NAME.mjs with node against maracd; fail with the
    script's output when it exits non-zero (xfail for a KNOWN_DEFECTS
    failure) or runs over timeout seconds."""
    offset = (ic.now() - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    env = dict(os.environ)
    env.update({
        "MARACD_URL": maracd.url,
        "MARACD_BUILDDIR": str(BUILD),
        "MARACD_CLOCK_OFFSET": "%.3f" % offset,
    })
    env.update({"MARACD_J_" + k.upper(): str(v) for k, v in extra.items()})
    try:
        p = subprocess.run(["node", str(HERE / (name + ".mjs"))], env=env,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        pytest.fail("journey %s took over %d s:\n%s%s" % (
            name, timeout, e.stdout or "", e.stderr or ""), pytrace=False)
    print(p.stdout, end="")
    known = re.search(r"KNOWN-DEFECT ([a-z-]+):", p.stdout + p.stderr)
    if p.returncode != 0 and known and known.group(1) in KNOWN_DEFECTS:
        pytest.xfail("journey %s: %s" % (name, KNOWN_DEFECTS[known.group(1)]))
    if p.returncode != 0:
        pytest.fail("journey %s exited %d:\n%s%s\nmaracd's log:\n%s" % (
            name, p.returncode, p.stdout, p.stderr, maracd.log_text()[-4000:]),
            pytrace=False)
    return p.stdout


PASSWORD = "correct horse battery staple"
SESSION_COOKIE = "__Host-maracd_session"


def totp(secret, step):
    """RFC 6238 (HMAC-SHA1, 6 digits) of a base32 secret at a 30 s step."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def enrolled(maracd, db, email, *invite):
    """A person invited with maracctl (user invite EMAIL ... INVITE) who
    finished the invitation through the JSON API, as a browser's script
    would: password, TOTP enrolment.  Returns email, password, secret
    (base32), step (the TOTP step enrolment used: the next sign-in needs
    a later one) and session (the signed-in session id that enrolment
    left)."""
    link = db.ctl("user", "invite", "--email", email, "--name", "Browser Test",
                  *invite, "--print-link").stdout.strip()
    assert link.startswith(maracd.url), link
    # The link's token, taken through the API's own address for it.
    path = "/v1/auth/invitations/" + link.rsplit("/", 1)[1]
    jar = {}

    def call(method, where, body=None):
        headers = {"Origin": maracd.url}
        if "session" in jar:
            headers["Cookie"] = "%s=%s" % (SESSION_COOKIE, jar["session"])
        if "csrf" in jar and method != "GET":
            headers["X-CSRF-Token"] = jar["csrf"]
        r = maracd.request(method, where, body=body, headers=headers)
        assert r.status == 200, "%s %s: %s %s" % (method, where, r.status, r.body[:300])
        for v in r.headers.get_all("Set-Cookie") or []:
            name, _, value = v.split(";", 1)[0].partition("=")
            if name == SESSION_COOKIE:
                jar["session"] = value
        doc = r.json()
        if "csrf_token" in doc:
            jar["csrf"] = doc["csrf_token"]
        return doc

    call("GET", path)
    call("POST", path, {"password": PASSWORD})
    secret = call("GET", "/v1/auth/enrol")["key"]
    step = int(ic.now().timestamp()) // 30
    call("POST", "/v1/auth/enrol", {"code": totp(secret, step)})
    return {"email": email, "password": PASSWORD, "secret": secret, "step": step,
            "session": jar["session"]}

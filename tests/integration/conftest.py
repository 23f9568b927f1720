"""Shared fixtures: a real PostgreSQL, a real SMTP server, a real maracd.

tools/test starts one PostgreSQL cluster and one SMTP sink for the whole
run and passes them in through MARACD_TEST_* variables.  Each test gets a
database of its own, migrated by maracctl, and a maracd of its own on a
free port, so tests cannot see each other's rows.
"""
import datetime
import base64
import itertools
import json
import os
import pathlib
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zlib
import zoneinfo

import pytest

import openapi

SRC = pathlib.Path(os.environ["MARACD_SRCDIR"])
BUILD = pathlib.Path(os.environ["MARACD_BUILDDIR"])
PGPORT = int(os.environ["MARACD_TEST_PGPORT"])
PGDIR = os.environ["MARACD_TEST_PGDIR"]
SMTP_PORT = int(os.environ["MARACD_TEST_SMTP_PORT"])
MAILDIR = pathlib.Path(os.environ["MARACD_TEST_MAILDIR"])

# The instant the suite lives at: maracd and maracctl are built with the
# test clock (configure --enable-test-clock) and start their clocks here,
# so no test depends on the day it runs.  CI runs the date-sensitive
# suites again at other fixed instants (.ci/run) through MARACD_TEST_NOW.
CLOCK = os.environ.get("MARACD_TEST_NOW") or "2026-12-09T10:00:00Z"
os.environ["MARACD_CLOCK"] = CLOCK
ZONE = zoneinfo.ZoneInfo("Europe/London")


def clock_env(at=None):
    """The environment for a maracd or maracctl whose clock starts at `at`."""
    env = dict(os.environ)
    if at is not None:
        env["MARACD_CLOCK"] = at if isinstance(at, str) else \
            at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return env


def now():
    """The test clock's instant now (it runs on from CLOCK like maracd's)."""
    return _CLOCK_START + datetime.timedelta(seconds=time.monotonic() - _MONO_START)


def today():
    """The test clock's local date (Europe/London), as maracd sees it."""
    return now().astimezone(ZONE).date()


_CLOCK_START = datetime.datetime.fromisoformat(CLOCK.replace("Z", "+00:00"))
_MONO_START = time.monotonic()

AGENCIES = [
    ("police", "Police"),
    ("probation", "Probation Service"),
    ("victim_support", "Victim Support"),
    ("health_icb", "Health (ICB)"),
    ("childrens_social_care", "Children's Social Care"),
    ("adult_social_care", "Adult Social Care"),
    ("housing", "Housing"),
    ("idva", "IDVA Service"),
]

_dbseq = itertools.count(1)
# What sanitizers and our own logging must never print during a test.
BAD_LOG = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|maracd\[error\]")


def wait_for(pred, seconds=10, step=0.05):
    """True once pred() is, within seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return bool(pred())


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pgcluster(*args, **kw):
    return subprocess.run([str(SRC / "tools/pgcluster"), *map(str, args)],
                          check=True, capture_output=True, text=True, **kw)


class Cluster:
    def __init__(self, directory, port):
        self.dir = directory
        self.port = port

    def psql(self, db, sql):
        out = pgcluster("psql", self.port, "-d", db, "-tA", "-c", sql)
        return out.stdout.strip()

    def stop(self):
        pgcluster("stop", self.dir)

    def start(self):
        pgcluster("start", self.dir, self.port)


class Database:
    """A fresh database in a cluster, with a maracd.conf pointing at it."""

    def __init__(self, cluster, name, tmp):
        self.cluster = cluster
        self.name = name
        self.conf = tmp / "maracd.conf"
        # maracctl's own: the owner's connection never sits in maracd.conf.
        self.owner_dsn = "host=127.0.0.1 port=%d dbname=%s user=maracd_owner" % (cluster.port, name)
        self.settings = {
            "server": {"listen_address": "127.0.0.1"},
            "database": {
                "dsn": "host=127.0.0.1 port=%d dbname=%s user=maracd" % (cluster.port, name),
                "pool_size": "2",
                "reconnect_max_delay_ms": "500",
            },
            "log": {"level": "info"},
            # Every maracd of the tests hands its mail to tools/test's sink.
            "mail": {"smtp_url": "smtp://127.0.0.1:%d" % SMTP_PORT, "smtp_tls": "none"},
            # The suites place data at whatever dates they test; a purge
            # job at start-up would act on it.  test_retention turns it on.
            "retention": {"purge": "no"},
            # The build's web assets (tools/setup runs web/build).
            "web": {"assets": str(BUILD / "web/assets")},
        }
        self.write_conf()

    def write_conf(self, **sections):
        for section, values in sections.items():
            self.settings.setdefault(section, {}).update(values)
        with open(self.conf, "w") as f:
            for section, values in self.settings.items():
                f.write("[%s]\n" % section)
                for k, v in values.items():
                    f.write("%s = %s\n" % (k, v))

    def ctl(self, *args, check=True, clock=None, owner_dsn=None):
        env = clock_env(clock)
        env["MARACCTL_OWNER_DSN"] = owner_dsn or self.owner_dsn
        return subprocess.run([str(BUILD / "maracctl"), "-c", str(self.conf), *args],
                              check=check, capture_output=True, text=True, env=env)

    def psql(self, sql):
        return self.cluster.psql(self.name, sql)

    def make_job_token(self):
        """The token maracd's jobs authenticate with ([database] job_token_file)."""
        path = self.conf.parent / ("job-token-%s" % self.name)
        path.write_text(self.token("job", name="maracd jobs") + "\n")
        os.chmod(path, 0o600)
        self.write_conf(database={"job_token_file": str(path)})
        return path

    def token(self, role, agency=None, forum=None, name="test", areas=None):
        args = ["token", "create", "--role", role, "--name", name]
        if agency:
            args += ["--agency", agency]
        if forum:
            args += ["--forum", forum]
        if areas:
            args += ["--areas", areas]
        return self.ctl(*args).stdout.strip()


def make_token():
    """A token of maracctl's shape (core/token.h) that no database knows."""
    rnd = secrets.token_bytes(32)
    check = zlib.crc32(rnd).to_bytes(4, "big")
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
    return "mrc_%s_%s" % (b64(rnd), b64(check))


def make_database(cluster, tmp, migrate=True):
    name = "t%d_%d" % (os.getpid(), next(_dbseq))
    pgcluster("bootstrap", cluster.port, name)
    db = Database(cluster, name, tmp)
    if not migrate:
        # maracd needs a job token to start; this one is known to nobody.
        path = tmp / ("job-token-%s" % name)
        path.write_text(make_token() + "\n")
        os.chmod(path, 0o600)
        db.write_conf(database={"job_token_file": str(path)})
    if migrate:
        db.ctl("migrate")
        for code, display in AGENCIES:
            db.ctl("agency", "add", code, "--name", display, "--email",
                   "%s@agencies.example" % code)
        db.make_job_token()
    return db


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


def _capture(method, path, resp):
    """MARACD_TEST_CAPTURE=FILE appends every answer to FILE (JSON lines):
    raw material for docs/openapi.json when an answer changes shape."""
    where = os.environ.get("MARACD_TEST_CAPTURE")
    if where:
        with open(where, "a") as f:
            f.write(json.dumps({"method": method, "path": path, "status": resp.status,
                                "type": resp.headers.get("Content-Type"),
                                "body": resp.body.decode(errors="replace")}) + "\n")


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("openapi: %d JSON answers validated against "
                                "docs/openapi.json" % openapi.validated)


class Maracd:
    """One maracd process in the foreground, its log in a file."""

    def __init__(self, db, tmp, clock=None):
        self.db = db
        self.clock = clock
        self.port = free_port()
        self.log_path = tmp / ("maracd-%d.log" % self.port)
        self.proc = None
        db.write_conf(server={"listen_port": str(self.port)})

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, ready=True):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(BUILD / "maracd"), "-f", "-c", str(self.db.conf)],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env=clock_env(self.clock))
        deadline = time.monotonic() + 10
        path = "/readyz" if ready else "/healthz"
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "maracd exited: " + self.log_text()
            try:
                if self.request("GET", path).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("maracd did not answer %s: %s" % (path, self.log_text()))

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def request(self, method, path, body=None, token=None, headers=None, timeout=10):
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            if isinstance(body, (bytes, str)):
                data = body.encode() if isinstance(body, str) else body
            else:
                data = json.dumps(body).encode()
                hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                resp = Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            resp = Response(e.code, e.headers, e.read())
        _capture(method, path, resp)
        # Every JSON answer of the API must be what docs/openapi.json says.
        openapi.check_answer(method, path, resp.status,
                             resp.headers.get("Content-Type"), resp.body)
        return resp

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, expect_rc=0):
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log.close()
        assert rc == expect_rc, "maracd exited %s: %s" % (rc, self.log_text())
        return rc

    def assert_clean_log(self):
        bad = [l for l in self.log_text().splitlines() if BAD_LOG.search(l)]
        assert not bad, "\n".join(bad)


@pytest.fixture(scope="session")
def cluster():
    return Cluster(PGDIR, PGPORT)


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


@pytest.fixture
def db(cluster, tmp):
    return make_database(cluster, tmp)


@pytest.fixture
def maracd(db, tmp):
    m = Maracd(db, tmp).start()
    yield m
    m.stop()
    m.assert_clean_log()


@pytest.fixture
def private_cluster(tmp):
    """A cluster of this test's own, for tests that stop PostgreSQL."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="maracd-pg-", dir="/tmp"))
    os.chmod(directory, 0o755)
    c = Cluster(str(directory), free_port())
    pgcluster("init", c.dir)
    c.start()
    yield c
    c.stop()
    subprocess.run(["rm", "-rf", str(directory)], check=False)

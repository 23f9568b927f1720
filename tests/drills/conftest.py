"""Reliability drills: the integration suite's fixtures plus a load driver.

tools/test --drills starts PostgreSQL and an SMTP sink as for the
integration suite and runs pytest here.  The fixtures (cluster, db,
private_cluster, tmp) and the Maracd/Database helpers are the integration
suite's own, loaded from tests/integration/conftest.py under another
module name so that the two conftest modules do not collide.
"""
import http.client
import itertools
import json
import os
import pathlib
import sys
import threading
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "integration"))
from reuse import integration_conftest  # noqa: E402

ic = integration_conftest()

# Fixtures and helpers, under the names the integration suite uses.
cluster = ic.cluster
tmp = ic.tmp
db = ic.db
private_cluster = ic.private_cluster
Maracd = ic.Maracd
make_database = ic.make_database
free_port = ic.free_port
BUILD, SRC, SMTP_PORT, MAILDIR = ic.BUILD, ic.SRC, ic.SMTP_PORT, ic.MAILDIR
BAD_LOG = ic.BAD_LOG

import referrals  # noqa: E402  (tests/integration/referrals.py)

_run = itertools.count(1)


def seconds(name, default):
    """A duration from the environment (MARACD_<NAME>_SECONDS)."""
    return float(os.environ.get("MARACD_%s_SECONDS" % name, default))


def wait_for(pred, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


def drill_config(db, **server):
    """No per-token rate limit (one token sends everything)."""
    values = {"rate_limit": "0"}
    values.update({k: str(v) for k, v in server.items()})
    db.write_conf(server=values)


class Result:
    __slots__ = ("start", "end", "kind", "ref", "status", "body")

    def __init__(self, start, end, kind, ref, status, body):
        self.start, self.end, self.kind = start, end, kind
        self.ref, self.status, self.body = ref, status, body


class Load:
    """Keep-alive clients sending referrals (and reads) until stopped.

    Each thread has one connection; a connection error is recorded as
    status None and the thread reconnects after a short pause.  rate is
    the total requests per second (0: as fast as each connection goes).
    reads is the share of requests that are GET /v1/referrals/{id} of a
    referral this thread stored earlier.
    """

    def __init__(self, port, token, threads=4, rate=0.0, reads=0.0, timeout=10):
        self.port, self.token = port, token
        self.threads, self.rate, self.reads = threads, rate, reads
        self.timeout = timeout
        self.results = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers = []
        self.tag = "D%d-%d" % (os.getpid(), next(_run))

    def start(self):
        for i in range(self.threads):
            t = threading.Thread(target=self._worker, args=(i,), daemon=True)
            t.start()
            self._workers.append(t)
        return self

    def stop(self):
        self._stop.set()
        for t in self._workers:
            t.join(self.timeout + 5)
        return self.results

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def _send(self, conn, method, path, body):
        hdrs = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        return r.status, r.read()

    def _worker(self, i):
        conn = self._connect()
        stored = []
        seq = itertools.count(1)
        period = self.threads / self.rate if self.rate else 0.0
        due = time.monotonic() + period * i / self.threads
        while not self._stop.is_set():
            if period:
                now = time.monotonic()
                if due > now:
                    self._stop.wait(due - now)
                    if self._stop.is_set():
                        break
                due += period
            n = next(seq)
            if stored and self.reads and (n * 7919 % 1000) < self.reads * 1000:
                kind, ref, body = "read", None, None
                path = "/v1/referrals/%d" % stored[n % len(stored)]
                method = "GET"
            else:
                body = referrals.referral(dash_yes=(n % 20) + 5)
                body["external_ref"] = ref = "%s-%d-%d" % (self.tag, i, n)
                kind, path, method = "create", "/v1/referrals", "POST"
            start = time.monotonic()
            try:
                status, data = self._send(conn, method, path, body)
            except (OSError, http.client.HTTPException):
                status, data = None, b""
                conn.close()
                conn = self._connect()
                if not period:
                    self._stop.wait(0.05)
            end = time.monotonic()
            if kind == "create" and status in (200, 201):
                try:
                    stored.append(json.loads(data)["id"])
                except (ValueError, KeyError):
                    pass
            with self._lock:
                self.results.append(Result(start, end, kind, ref, status, data))
        conn.close()


def post_referral(port, token, ref, timeout=10):
    """One POST of the drills' referral with this external_ref."""
    body = referrals.referral(dash_yes=10)
    body["external_ref"] = ref
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/v1/referrals", body=json.dumps(body).encode(),
                     headers={"Authorization": "Bearer " + token,
                              "Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status
    finally:
        conn.close()


# What one stored referral of the drills' generator must have: a victim, a
# perpetrator, one child, 27 DASH answers and its create audit row.
INCOMPLETE_SQL = """
SELECT r.external_ref FROM referrals r
 WHERE r.external_ref LIKE '%s%%' AND (
   (SELECT count(*) FROM referral_people p WHERE p.referral_id = r.id AND p.role = 'victim') <> 1
   OR (SELECT count(*) FROM referral_people p WHERE p.referral_id = r.id AND p.role = 'perpetrator') <> 1
   OR (SELECT count(*) FROM referral_people p WHERE p.referral_id = r.id AND p.role = 'child') <> 1
   OR (SELECT count(*) FROM referral_answers a WHERE a.referral_id = r.id AND a.checklist = 'dash') <> 27
   OR NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'create'
                   AND l.object_type = 'referral' AND l.object_id = r.id::text))
"""


def stored_counts(db, tag):
    """external_ref -> how many referrals carry it, for one load's tag."""
    out = db.psql("SELECT external_ref, count(*) FROM referrals "
                  "WHERE external_ref LIKE '%s%%' GROUP BY external_ref" % tag)
    return {l.split("|")[0]: int(l.split("|")[1]) for l in out.splitlines() if l}


def incomplete(db, tag):
    return [l for l in db.psql(INCOMPLETE_SQL % tag).splitlines() if l]


@pytest.fixture
def daemons(tmp):
    """Starts maracd processes; whatever a failed drill left running is
    killed at the end."""
    started = []

    def make(db):
        m = Maracd(db, tmp)
        started.append(m)
        return m
    yield make
    for m in started:
        if m.proc is not None and m.proc.poll() is None:
            m.proc.kill()
            m.proc.wait()

"""Limits: how much one client, one connection and the database pool may
take, and what maracd answers beyond them."""
import http.client
import socket
import subprocess
import threading
import time

from conftest import SRC, Maracd


def test_rate_limit_answers_429_and_spares_other_tokens(db, tmp):
    db.write_conf(server={"rate_limit": "5"})
    m = Maracd(db, tmp).start()
    try:
        a, b = db.token("admin", name="a"), db.token("admin", name="b")
        codes = [m.request("GET", "/v1/whoami", token=a).status for _ in range(8)]
        assert codes[:5] == [200] * 5
        assert 429 in codes[5:]
        r = m.request("GET", "/v1/whoami", token=a)
        assert r.status == 429
        assert r.json()["error"] == "too_many_requests"
        assert int(r.headers["Retry-After"]) >= 1
        assert m.request("GET", "/v1/whoami", token=b).status == 200
    finally:
        m.stop()


def test_connection_limit_queues_new_clients_and_serves_existing_ones(db, tmp):
    db.write_conf(server={"max_connections": "4"})
    m = Maracd(db, tmp).start()
    idle = []
    try:
        keep = socket.create_connection(("127.0.0.1", m.port))
        for _ in range(3):
            idle.append(socket.create_connection(("127.0.0.1", m.port)))
        time.sleep(0.3)
        # The connection that was already open is still served.
        keep.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        keep.settimeout(5)
        assert b"200 OK" in keep.recv(4096)
        # A fifth client waits: nothing answers it while the four are open.
        late = socket.create_connection(("127.0.0.1", m.port))
        late.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        late.settimeout(0.5)
        try:
            got = late.recv(4096)
        except socket.timeout:
            got = b""
        assert got == b""
        # ... until one of them leaves.
        idle.pop().close()
        late.settimeout(5)
        assert b"200 OK" in late.recv(4096)
        late.close()
        keep.close()
    finally:
        for s in idle:
            s.close()
        m.stop()


def test_old_connections_are_retired_after_an_answer(db, tmp):
    """A busy keep-alive connection past max_connection_age is closed by
    Connection: close on an answer, never under a request in flight."""
    db.write_conf(server={"max_connection_age": "5", "request_timeout": "3"})
    m = Maracd(db, tmp).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", m.port, timeout=10)
        started = time.monotonic()
        closed_after = None
        while closed_after is None and time.monotonic() - started < 10:
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            assert r.status == 200
            if (r.getheader("Connection") or "").lower() == "close":
                closed_after = time.monotonic() - started
            time.sleep(0.05)
        assert closed_after is not None and 4 <= closed_after < 7, closed_after
        assert m.request("GET", "/healthz").status == 200
    finally:
        m.stop()


class TableLock:
    """A transaction of another client holding api_tokens exclusively, so
    that every token check of maracd waits on PostgreSQL (and holds its
    pool connection) until the lock goes, `seconds` after it was taken."""

    def __init__(self, db, seconds):
        self.db = db
        self.proc = subprocess.Popen(
            [str(SRC / "tools/pgcluster"), "psql", str(db.cluster.port), "-d", db.name,
             "-c", "BEGIN; LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE; "
                   "SELECT pg_sleep(%s); COMMIT;" % seconds],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        held = "SELECT count(*) FROM pg_locks WHERE relation = 'api_tokens'::regclass " \
               "AND mode = 'AccessExclusiveLock' AND granted"
        deadline = time.monotonic() + 10
        while db.psql(held) != "1":
            assert time.monotonic() < deadline, "the lock was not taken"
            time.sleep(0.05)

    def release(self):
        self.proc.wait(timeout=30)


def timed_requests(m, token, n, gap=0.2):
    """n requests to /v1/whoami on threads of their own, `gap` seconds
    apart: [(status, error code, seconds until the answer)] in order."""
    out = [None] * n

    def one(i):
        started = time.monotonic()
        r = m.request("GET", "/v1/whoami", token=token, timeout=30)
        err = r.json().get("error") if r.status != 200 else None
        out[i] = (r.status, err, time.monotonic() - started)

    threads = []
    for i in range(n):
        t = threading.Thread(target=one, args=(i,))
        t.start()
        threads.append(t)
        time.sleep(gap)
    for t in threads:
        t.join(timeout=40)
    return out


def test_queue_max_turns_away_requests_beyond_the_pool_queue(db, tmp):
    """One connection, one place in the queue: while the connection is held
    up, a third request is answered 503 at once instead of waiting."""
    db.write_conf(database={"pool_size": "1", "queue_max": "1"})
    m = Maracd(db, tmp).start()
    try:
        token = db.token("admin")
        lock = TableLock(db, 4)
        got = timed_requests(m, token, 3)
        lock.release()
        refused = [g for g in got if g[0] == 503]
        # Beyond the queue: turned away at once, while the lock still holds.
        assert refused, got
        assert all(g[1] == "database_unavailable" and g[2] < 2 for g in refused), got
        # The one on the connection was served once the lock went.
        assert got[0][0] == 200 and got[0][2] >= 2, got
        assert m.request("GET", "/v1/whoami", token=token).status == 200
    finally:
        m.stop()


def test_statement_timeout_cancels_a_statement_that_waits_too_long(db, tmp):
    """A statement past statement_timeout_ms is cancelled by PostgreSQL and
    answered 503; without the limit it would wait for the lock and get 200."""
    db.write_conf(database={"statement_timeout_ms": "500"})
    m = Maracd(db, tmp).start()
    try:
        token = db.token("admin")
        lock = TableLock(db, 5)
        started = time.monotonic()
        r = m.request("GET", "/v1/whoami", token=token, timeout=30)
        took = time.monotonic() - started
        lock.release()
        assert r.status == 503 and r.json()["error"] == "database_unavailable", r.body
        assert 0.4 <= took < 3, took
        # The connection it was cancelled on serves the next request.
        assert m.request("GET", "/v1/whoami", token=token).status == 200
    finally:
        m.stop()

"""Slow-loris and connection floods, up to the configured limits.

[server] max_connections bounds the connections maracd holds; beyond it
new ones wait in the kernel's backlog.  request_timeout closes a
connection that sends nothing; max_connection_age closes one that
trickles a request forever.  With those set low, the drills hold
connections open the way attackers would and check that a well-behaved
client keeps being answered, how long it may have to wait, and that
every hostile connection is closed by maracd within its limit (a slow
request: max_connection_age + request_timeout).
"""
import http.client
import socket
import threading
import time

from conftest import drill_config, wait_for

MAX_CONNECTIONS = 64
REQUEST_TIMEOUT = 2
MAX_AGE = 5
SWEEP = 0.1 + 0.5          # conns.c sweeps every 100 ms; slack for a busy host


def ask(m, timeout):
    """One GET /healthz on a new connection: (status or None, seconds)."""
    t = time.monotonic()
    try:
        status = m.request("GET", "/healthz", timeout=timeout).status
    except OSError:
        status = None
    return status, time.monotonic() - t


def closed_by_peer(s):
    """True once the other side closed s (reads end of file or a reset)."""
    s.setblocking(False)
    try:
        return s.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


class Loris:
    """Connections that send a request header a byte at a time, forever."""

    def __init__(self, port, n, every=0.5):
        self.socks = []
        self.closed = {}
        self.every = every
        self.stop = threading.Event()
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port), 5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            self.socks.append(s)
        self.opened = time.monotonic()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.wait(self.every):
            for i, s in enumerate(self.socks):
                if i in self.closed:
                    continue
                try:
                    s.send(b"a")
                    if closed_by_peer(s):
                        self.closed[i] = time.monotonic()
                    s.setblocking(True)
                except OSError:
                    self.closed[i] = time.monotonic()

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.socks:
            s.close()


def flood(port, n, source="127.0.0.1"):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind((source, 0))
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        socks.append(s)
    return socks


def test_slow_loris_below_the_limit_does_not_stop_others(db, daemons):
    drill_config(db, max_connections=MAX_CONNECTIONS, request_timeout=REQUEST_TIMEOUT,
                 max_connection_age=MAX_AGE)
    m = daemons(db).start()
    loris = Loris(m.port, MAX_CONNECTIONS - 8)
    try:
        slow = []
        while time.monotonic() - loris.opened < MAX_AGE - 1:
            status, took = ask(m, 5)
            assert status == 200
            slow.append(took)
            time.sleep(0.05)
        assert len(slow) > 10 and max(slow) < 1.0, max(slow)
        # Trickling resets the idle timeout; the connection's age ends it,
        # request_timeout after it was retired without finishing a request.
        assert wait_for(lambda: len(loris.closed) == len(loris.socks),
                        MAX_AGE + REQUEST_TIMEOUT + SWEEP + 1), \
            "%d of %d slow connections still open" % (
                len(loris.socks) - len(loris.closed), len(loris.socks))
        assert max(loris.closed.values()) - loris.opened < MAX_AGE + REQUEST_TIMEOUT + SWEEP + 1
        print("slow connections closed %.1f to %.1f s after opening; others answered "
              "in at most %.0f ms" % (min(loris.closed.values()) - loris.opened,
                                      max(loris.closed.values()) - loris.opened,
                                      max(slow) * 1000))
    finally:
        loris.close()
    assert m.proc.poll() is None
    m.stop()
    m.assert_clean_log()


def test_idle_flood_to_the_limit_and_beyond_delays_others_by_the_timeout(db, daemons):
    drill_config(db, max_connections=MAX_CONNECTIONS, request_timeout=REQUEST_TIMEOUT,
                 max_connection_age=MAX_AGE)
    m = daemons(db).start()
    for n, waits in ((MAX_CONNECTIONS, 1), (2 * MAX_CONNECTIONS, 2)):
        socks = flood(m.port, n)
        try:
            time.sleep(0.2)
            # Queued behind the flood: answered once idle connections time
            # out, a batch of max_connections per request_timeout.
            status, took = ask(m, 30)
            assert status == 200
            assert took < waits * REQUEST_TIMEOUT + 2 * SWEEP + 1, (n, took)
            print("flood of %d idle connections: a newcomer waited %.2f s" % (n, took))
            assert wait_for(lambda: all(closed_by_peer(s) for s in socks),
                            waits * REQUEST_TIMEOUT + 2), \
                "%d of %d idle connections still open" % (
                    sum(not closed_by_peer(s) for s in socks), n)
        finally:
            for s in socks:
                s.close()
        # And then nobody waits.
        status, took = ask(m, 5)
        assert status == 200 and took < 1.0, took
    assert m.proc.poll() is None
    m.stop()
    m.assert_clean_log()


def test_one_address_cannot_fill_the_connection_limit(db, daemons):
    """max_connections_per_address: an idle flood from one address is cut
    down to its share, and a newcomer from elsewhere does not wait for
    request_timeout as it does above."""
    per_address = MAX_CONNECTIONS // 4
    drill_config(db, max_connections=MAX_CONNECTIONS, request_timeout=REQUEST_TIMEOUT,
                 max_connection_age=MAX_AGE, max_connections_per_address=per_address)
    m = daemons(db).start()
    socks = flood(m.port, 2 * MAX_CONNECTIONS, source="127.0.0.2")
    try:
        time.sleep(0.2)
        status, took = ask(m, 30)
        assert status == 200 and took < 1.0, took
        print("flood of %d idle connections from one address (%d allowed): a newcomer "
              "from another waited %.3f s" % (2 * MAX_CONNECTIONS, per_address, took))
    finally:
        for s in socks:
            s.close()
    assert m.proc.poll() is None
    m.stop()
    m.assert_clean_log()


def test_a_flood_of_bogus_tokens_does_not_starve_real_callers(db, daemons):
    """Well-formed but unknown tokens cost a database round trip each until
    their address is over auth_failures_per_minute; from then on they are
    answered from memory, and a real caller elsewhere keeps its latency."""
    drill_config(db, auth_failures_per_minute=60)
    m = daemons(db).start()
    real = db.token("admin")
    bogus = db.token("admin")
    db.ctl("token", "revoke", db.psql("SELECT max(id) FROM api_tokens"))
    stop = threading.Event()
    answers = {}

    def attacker():
        while not stop.is_set():
            try:
                c = http.client.HTTPConnection("127.0.0.1", m.port, timeout=5,
                                               source_address=("127.0.0.2", 0))
                while not stop.is_set():
                    c.request("GET", "/v1/whoami", headers={"Authorization": "Bearer " + bogus})
                    r = c.getresponse()
                    r.read()
                    answers[r.status] = answers.get(r.status, 0) + 1
            except OSError:
                pass

    def real_latencies(n):
        out = []
        for _ in range(n):
            t = time.monotonic()
            assert m.request("GET", "/v1/whoami", token=real).status == 200
            out.append(time.monotonic() - t)
        return sorted(out)

    quiet = real_latencies(200)
    threads = [threading.Thread(target=attacker, daemon=True) for _ in range(8)]
    began = time.monotonic()
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        loud = real_latencies(200)
    finally:
        stop.set()
        for t in threads:
            t.join()
    flooded = time.monotonic() - began
    p99 = lambda xs: xs[int(len(xs) * 0.99) - 1]
    print("bogus-token flood (8 connections, %.1f s, %s): real caller p50 %.1f -> %.1f ms, "
          "p99 %.1f -> %.1f ms" % (flooded, answers, quiet[100] * 1000, loud[100] * 1000,
                                   p99(quiet) * 1000, p99(loud) * 1000))
    assert answers.get(429, 0) > 10 * answers.get(401, 0)
    # Database round trips: the burst, the refill (one a second), and the
    # checks in flight when the budget ran out (one per attacking
    # connection, counted twice for slack: a check is charged when the
    # database answers, not when it is asked).
    assert answers.get(401, 0) <= 60 + flooded + 2 * 8, (answers, flooded)
    assert m.proc.poll() is None
    m.stop()

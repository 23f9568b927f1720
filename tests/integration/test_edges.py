"""The edges a hostile client reaches first: log lines it could forge,
headers that pin browsers to TLS."""
import hashlib
import http.client
import pathlib
import socket
import ssl
import subprocess
import time
import urllib.request

from conftest import BUILD, Maracd, clock_env, free_port
from test_tls import make_cert


def test_a_request_path_cannot_forge_a_log_line(db, tmp):
    db.write_conf(log={"level": "debug"})
    m = Maracd(db, tmp).start()
    try:
        forged = "2026-12-09T10:00:00.000Z maracd[error] forged"
        r = m.request("GET", "/healthz%0A" + forged.replace(" ", "%20") + "%0D%1B")
        assert r.status == 404
    finally:
        m.stop()
    lines = m.log_text().splitlines()
    assert not any(l.startswith(forged) for l in lines), lines
    quoted = [l for l in lines if "forged" in l]
    assert quoted and all("\\x0a" + forged in l and l.endswith("\\x0d\\x1b") for l in quoted), quoted


def fetch(url, ctx):
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(url, context=ctx, timeout=5) as r:
                return r.headers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_hsts_over_tls_and_not_over_plain_http(db, tmp):
    plain = Maracd(db, tmp).start()
    try:
        assert plain.request("GET", "/healthz").headers.get("Strict-Transport-Security") is None
    finally:
        plain.stop()
    cert, key = make_cert(tmp)
    db.write_conf(server={"tls_cert": str(cert), "tls_key": str(key)})
    m = Maracd(db, tmp)
    m.log = open(m.log_path, "ab")
    m.proc = subprocess.Popen([str(BUILD / "maracd"), "-f", "-c", str(db.conf)],
                              stdout=m.log, stderr=subprocess.STDOUT, env=clock_env())
    try:
        headers = fetch("https://127.0.0.1:%d/healthz" % m.port,
                        ssl.create_default_context(cafile=str(cert)))
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        m.stop()


def test_the_token_never_reaches_postgresql_in_clear(db, tmp):
    """PostgreSQL logs bind parameters: with every statement logged, the
    server log holds the token's hash and never the token."""
    db.cluster.psql("postgres", "ALTER DATABASE %s SET log_statement = 'all'" % db.name)
    log = pathlib.Path(db.cluster.dir) / "server.log"
    before = log.stat().st_size
    token = db.token("admin")
    m = Maracd(db, tmp).start()
    try:
        assert m.request("GET", "/v1/whoami", token=token).status == 200
    finally:
        m.stop()
    with open(log, "rb") as f:
        f.seek(before)
        text = f.read().decode(errors="replace")
    assert hashlib.sha256(token.encode()).hexdigest() in text
    assert token not in text and token[4:24] not in text


def test_malformed_tokens_cost_no_database_connection(db, tmp):
    """With the database unreachable, a token of the wrong shape is still
    answered 401 (from memory); a well-formed unknown one needs the
    database, and gets 503."""
    db.write_conf(database={"dsn": "host=127.0.0.1 port=%d dbname=x user=maracd connect_timeout=1"
                            % free_port()})
    m = Maracd(db, tmp).start(ready=False)
    try:
        real = db.token("admin")
        typo = real[:10] + ("A" if real[10] != "A" else "B") + real[11:]
        for bad in ("nope", "mrc_" + "A" * 43, typo, real + "x"):
            r = m.request("GET", "/v1/whoami", token=bad)
            assert r.status == 401, (bad, r.status)
        assert m.request("GET", "/v1/whoami", token=real).status == 503
    finally:
        m.stop()


def get_from(m, source, token):
    c = http.client.HTTPConnection("127.0.0.1", m.port, timeout=5,
                                   source_address=(source, 0))
    c.request("GET", "/v1/whoami", headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    r.read()
    c.close()
    return r


def test_failed_token_checks_are_budgeted_per_address(db, tmp):
    db.write_conf(server={"auth_failures_per_minute": "5"})
    m = Maracd(db, tmp).start()
    try:
        real = db.token("admin")
        unknown = db.token("admin")
        db.ctl("token", "revoke", db.psql("SELECT max(id) FROM api_tokens"))
        for i in range(5):
            assert get_from(m, "127.0.0.2", unknown if i % 2 else "nope").status == 401
        r = get_from(m, "127.0.0.2", real)
        assert r.status == 429 and int(r.getheader("Retry-After")) >= 1
        # Another address is not held back by it.
        assert get_from(m, "127.0.0.3", real).status == 200
        assert get_from(m, "127.0.0.1", real).status == 200
    finally:
        m.stop()
    m.assert_clean_log()


def test_connections_per_address_are_capped(db, tmp):
    db.write_conf(server={"max_connections_per_address": "3"})
    m = Maracd(db, tmp).start()
    idle = []
    try:
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", m.port), source_address=("127.0.0.2", 0))
            s.settimeout(3)
            idle.append(s)
        time.sleep(0.5)
        closed = 0
        for s in idle:
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    closed += 1
            except BlockingIOError:
                pass
        assert closed == 2, closed
        # Other addresses are served meanwhile.
        assert m.request("GET", "/healthz").status == 200
        assert "closed: over max_connections_per_address" in m.log_text()
    finally:
        for s in idle:
            s.close()
        m.stop()

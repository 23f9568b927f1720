"""Tokens, roles, limits and transport: who may talk to maracd, how much,
and over what."""
import http.client
import socket
import ssl
import subprocess
import time
import urllib.request

from conftest import BUILD, Maracd, free_port


def test_no_token_bad_token_and_revoked_token_get_401(maracd, db):
    for headers in ({}, {"Authorization": "Bearer nope"},
                    {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer " + "x" * 300}):
        r = maracd.request("GET", "/v1/whoami", headers=headers)
        assert r.status == 401, headers
        assert r.json()["error"] == "unauthorized"
        assert r.headers["WWW-Authenticate"] == "Bearer"
    token = db.token("admin")
    assert maracd.request("GET", "/v1/whoami", token=token).status == 200
    tid = db.psql("SELECT max(id) FROM api_tokens")
    db.ctl("token", "revoke", tid)
    assert maracd.request("GET", "/v1/whoami", token=token).status == 401


def test_each_role_is_what_its_token_says(maracd, db):
    cases = [
        (db.token("admin"), {"role": "admin", "agency": None, "forum": None, "areas": None}),
        (db.token("chair", forum="masc", areas="cumbria"),
         {"role": "chair", "agency": None, "forum": "masc", "areas": ["cumbria"]}),
        (db.token("agency", agency="police"),
         {"role": "agency", "agency": "police", "forum": None, "areas": None}),
    ]
    for token, want in cases:
        got = maracd.request("GET", "/v1/whoami", token=token).json()
        del got["token_id"]
        assert got == want


def test_token_rules_are_enforced_by_the_database(db):
    assert db.ctl("token", "create", "--role", "agency", "--name", "x", check=False).returncode == 1
    assert db.ctl("token", "create", "--role", "chair", "--name", "x", check=False).returncode == 1
    assert db.ctl("token", "create", "--role", "agency", "--agency", "nosuch",
                  "--name", "x", check=False).returncode == 1
    token = db.token("admin")
    assert len(token) >= 43 + 4            # 256 bits, base64url, with prefix
    # Only the hash is stored.
    assert db.psql("SELECT count(*) FROM api_tokens WHERE token_hash::text LIKE '%%%s%%'"
                   % token[4:20]) == "0"


def test_last_use_is_recorded(maracd, db):
    token = db.token("admin")
    assert db.psql("SELECT last_used_at IS NULL FROM api_tokens ORDER BY id DESC LIMIT 1") == "t"
    maracd.request("GET", "/v1/whoami", token=token)
    assert db.psql("SELECT last_used_at IS NULL FROM api_tokens ORDER BY id DESC LIMIT 1") == "f"
    listing = db.ctl("token", "list").stdout
    assert "never" not in listing.splitlines()[-1]


def test_the_app_role_cannot_read_tokens_or_rewrite_the_audit(db):
    app = "SET ROLE maracd; "
    for sql in ("SELECT count(*) FROM api_tokens",
                "UPDATE audit_log SET action = 'x'",
                "DELETE FROM audit_log"):
        r = subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(db.cluster.port),
                            "-U", "postgres", "-d", db.name, "-c", app + sql],
                           capture_output=True, text=True)
        assert r.returncode != 0 and "permission denied" in r.stderr, sql


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


def make_cert(tmp):
    key, cert = tmp / "key.pem", tmp / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


# OpenSSL 3 allows TLS 1.1 only at security level 0; -tls1_1 offers it alone.
TLS11 = ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]


def tls11_client(port):
    """openssl s_client offering only TLS 1.1, sending one HTTP request."""
    return subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                           "-ign_eof", *TLS11], input="GET / HTTP/1.0\r\n\r\n",
                          capture_output=True, text=True, timeout=20)


def tls11_server(tmp, cert, key):
    """An openssl s_server that speaks TLS 1.1 (only): the client's control."""
    port = free_port()
    proc = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port,
                             "-cert", str(cert), "-key", str(key), "-www", *TLS11],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, port


def test_https_with_a_self_signed_certificate(db, tmp):
    cert, key = make_cert(tmp)
    db.write_conf(server={"tls_cert": str(cert), "tls_key": str(key)})
    m = Maracd(db, tmp)
    m.log = open(m.log_path, "ab")
    m.proc = subprocess.Popen([str(BUILD / "maracd"), "-f", "-c", str(db.conf)],
                              stdout=m.log, stderr=subprocess.STDOUT)
    ctx = ssl.create_default_context(cafile=str(cert))
    url = "https://127.0.0.1:%d/healthz" % m.port
    try:
        deadline = time.monotonic() + 10
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(url, context=ctx, timeout=5) as r:
                    body = r.read()
            except OSError:
                time.sleep(0.1)
        assert body == b'{"status":"alive"}'
        # TLS 1.1 is refused, by maracd: a client that offers it (and
        # completes a TLS 1.1 handshake with a server that allows it, so
        # that the client is known not to give up by itself) gets the
        # server's protocol_version alert.
        control = tls11_server(tmp, cert, key)
        try:
            out = tls11_client(control[1])
            assert "HTTP/1.0 200" in out.stdout, (out.stdout, out.stderr)
        finally:
            control[0].terminate()
            control[0].wait(timeout=10)
        out = tls11_client(m.port)
        assert out.returncode != 0 and "HTTP/1.1" not in out.stdout
        assert "alert protocol version" in out.stderr, out.stderr
        # Plain HTTP on the TLS port gets nothing useful.
        plain = socket.create_connection(("127.0.0.1", m.port))
        plain.settimeout(5)
        plain.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            assert b"alive" not in plain.recv(4096)
        except OSError:
            pass
        plain.close()
        assert "plain HTTP" not in m.log_text()
    finally:
        m.stop()

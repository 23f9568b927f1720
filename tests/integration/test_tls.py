"""Transport: HTTPS with maracd's own certificate, and the protocols it
refuses."""
import socket
import ssl
import subprocess
import time
import urllib.request

from conftest import BUILD, Maracd, free_port


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

#!/usr/bin/env python3
"""Prints a signed-in session id for bench/pages: follows a one-time
invitation link through the JSON API (password, TOTP enrolment), then
signs in with the next code, as a browser would (maracd(8), ACCOUNTS).

    bench/session.py URL LINKPATH EMAIL PASSWORD
"""
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.error
import urllib.request

COOKIE = "__Host-maracd_session"


class Client:
    def __init__(self, url):
        self.url = url
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None):
        h = {"Origin": self.url}
        if body is not None:
            h["Content-Type"] = "application/json"
        if self.cookie:
            h["Cookie"] = "%s=%s" % (COOKIE, self.cookie)
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        req = urllib.request.Request(self.url + path, method=method, headers=h,
                                     data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, headers, data = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, data = e.code, e.headers, e.read()
        for v in headers.get_all("Set-Cookie") or []:
            name, _, value = v.split(";", 1)[0].partition("=")
            if name == COOKIE:
                self.cookie = value or None
        doc = json.loads(data) if data.startswith(b"{") else {}
        if status >= 300:
            sys.exit("bench/session.py: %s %s answered %d: %s" % (method, path, status, data[:200]))
        self.csrf = doc.get("csrf_token", self.csrf)
        return doc


def totp(key, step):
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: bench/session.py URL LINKPATH EMAIL PASSWORD")
    url, link, email, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4]
    c = Client(url)
    # The link's token, taken through the API's own address for it.
    link = "/v1/auth/invitations/" + link.rsplit("/", 1)[1]
    c.call("GET", link)
    c.call("POST", link, {"password": password})
    secret = c.call("GET", "/v1/auth/enrol")["key"]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int(time.time()) // 30
    c.call("POST", "/v1/auth/enrol", {"code": totp(key, step)})
    # A code is taken once: sign in with the next step's (maracd takes
    # one step either side of its own).
    s = Client(url)
    s.call("POST", "/v1/auth/signin", {"email": email, "password": password})
    s.call("POST", "/v1/auth/totp", {"code": totp(key, step + 1)})
    print(s.cookie)

if __name__ == "__main__":
    main()

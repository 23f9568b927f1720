"""Authentication: tokens and roles, who may talk to maracd, and what the
database keeps of a token."""
import subprocess


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

"""Named accounts (#19): invitation, password, TOTP, sessions, scope.

The whole life of an account against the real stack: maracctl and the API
invite, the SMTP sink receives the mail with its one-time link, the test
sets a password and enrols TOTP (codes computed here from the key, RFC
6238, at the test clock's now(), as maracd reads MARACD_CLOCK), signs in,
acts within its scope, times out, signs out.
"""
import base64
import hashlib
import hmac
import re
import struct

from conftest import Maracd, now


def test_maracctl_invites_lists_and_disables(db):
    out = db.ctl("user", "invite", "--email", "Ann.Admin@Example.org", "--name", "Ann Admin",
                 "--role", "admin", "--print-link")
    link = out.stdout.strip()
    assert re.fullmatch(r"/v1/auth/invitations/mrc_[A-Za-z0-9_-]{43}_[A-Za-z0-9_-]{6}", link), link
    # Printed, not mailed; and the database keeps only the link's hash.
    assert db.psql("SELECT count(*) FROM outbox") == "0"
    token = link.rsplit("/", 1)[1]
    assert db.psql("SELECT count(*) FROM user_links WHERE link_hash = sha256('%s'::bytea)" % token) == "1"
    assert token not in db.psql("SELECT string_agg(encode(link_hash, 'hex'), ',') FROM user_links")

    # The same address in another case is the same account.
    dup = db.ctl("user", "invite", "--email", "ann.admin@example.org", "--name", "Ann",
                 "--role", "chair", "--forum", "marac", "--print-link")
    assert dup.returncode == 0
    lines = db.ctl("user", "list").stdout.strip().splitlines()
    assert lines[0].split("\t") == ["id", "email", "name", "state", "second_factor", "roles"]
    assert len(lines) == 2
    row = lines[1].split("\t")
    assert row[3] == "invited" and row[4] == "no"
    assert row[5] == "admin chair,forum=marac"
    # The first link was replaced by the second.
    assert db.psql("SELECT count(*) FROM user_links WHERE used_at IS NULL") == "1"

    bad = db.ctl("user", "invite", "--email", "x@example.org", "--name", "X",
                 "--role", "agency", "--print-link", check=False)
    assert bad.returncode != 0 and "agency" in bad.stderr

    uid = row[0]
    assert db.ctl("user", "disable", uid).stdout.strip() == "user %s disabled" % uid
    assert db.ctl("user", "enable", uid).stdout.strip() == "user %s invited" % uid
    assert db.ctl("user", "disable", "999", check=False).returncode == 1


def test_maracctl_invitation_is_mailed_through_the_outbox(db):
    db.write_conf(accounts={"public_origin": "https://marac.example"})
    out = db.ctl("user", "invite", "--email", "bob@police.example", "--name", "Bob",
                 "--role", "agency", "--agency", "police", "--area", "north")
    assert out.stdout == ""
    body = db.psql("SELECT body_text FROM outbox WHERE kind = 'account_invite'")
    m = re.search(r"https://marac\.example/v1/auth/invitations/(mrc_\S+)", body)
    assert m, body
    assert "password" in body and "Bob" in body
    assert db.psql("SELECT recipients[1] FROM outbox") == "bob@police.example"

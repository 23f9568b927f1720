"""Row-level security, straight in SQL as maracd's own database role:
whatever the SQL, agency A cannot read, change or delete agency B's rows."""
import hashlib
import subprocess

from referrals import referral


def as_app(db, token, sql):
    """Run SQL as the maracd login role, authenticated with token."""
    script = ("BEGIN; SELECT count(*) FROM maracd_authenticate('%s', 'test', NULL); %s; COMMIT;"
              % (hashlib.sha256(token.encode()).hexdigest(), sql))
    return subprocess.run(["psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                           "-p", str(db.cluster.port), "-U", "maracd", "-d", db.name,
                           "-c", script], capture_output=True, text=True)


def last(out):
    """The last result line of a psql script (not its BEGIN/COMMIT tags)."""
    lines = [l for l in out.stdout.splitlines() if l not in ("BEGIN", "COMMIT", "")]
    return lines[-1] if lines else out.stderr


def test_agency_cannot_touch_another_agencys_rows(maracd, db):
    police = db.token("agency", agency="police")
    housing = db.token("agency", agency="housing")
    rid = maracd.request("POST", "/v1/referrals", body=referral(), token=police).json()["id"]
    out = as_app(db, housing, "SELECT count(*) FROM referrals")
    assert last(out) == "0"
    out = as_app(db, housing, "SELECT count(*) FROM referral_people")
    assert last(out) == "0"
    out = as_app(db, housing, "UPDATE referrals SET summary = 'x' WHERE id = %d" % rid)
    assert "UPDATE 0" in out.stdout
    out = as_app(db, housing, "DELETE FROM referral_people WHERE referral_id = %d" % rid)
    assert out.returncode != 0 or "DELETE 0" in out.stdout
    # Forging the caller with set_config gains nothing: policies check the token hash.
    out = as_app(db, housing, "SELECT set_config('maracd.agency', 'police', true), "
                 "set_config('maracd.role', 'admin', true); SELECT count(*) FROM referrals")
    assert last(out) == "0"
    out = as_app(db, housing, "SELECT set_config('maracd.token_hash', repeat('0', 64), true); "
                 "SELECT count(*) FROM referrals")
    assert last(out) == "0"
    # An agency cannot insert a referral in another agency's name.
    out = as_app(db, housing, "UPDATE referrals SET referring_agency = 'housing'")
    assert "UPDATE 0" in out.stdout
    # The police still see theirs.
    out = as_app(db, police, "SELECT count(*) FROM referrals")
    assert last(out) == "1"
    assert db.psql("SELECT summary FROM referrals") == referral()["summary"]


def test_without_a_caller_nothing_is_visible(maracd, db):
    police = db.token("agency", agency="police")
    maracd.request("POST", "/v1/referrals", body=referral(), token=police)
    out = subprocess.run(["psql", "-X", "-tA", "-h", "127.0.0.1", "-p", str(db.cluster.port),
                          "-U", "maracd", "-d", db.name, "-c", "SELECT count(*) FROM referrals"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "0"


def test_the_app_role_owns_nothing_and_cannot_bypass(db):
    assert db.psql("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'maracd'") == "f"
    assert db.psql("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                   "WHERE r.rolname IN ('maracd', 'maracd_app')") == "0"
    forced = db.psql("SELECT bool_and(relforcerowsecurity AND relrowsecurity) FROM pg_class "
                     "WHERE relname IN ('referrals', 'referral_people', "
                     "'referral_transfers')")
    assert forced == "t"
    # The answers are a view of the referral's columns (sql/004) that runs
    # as the caller, so the referral's policies decide.
    assert db.psql("SELECT relkind::text || ':' || array_to_string(reloptions, ',') FROM pg_class "
                   "WHERE relname = 'referral_answers'") == "v:security_invoker=true"

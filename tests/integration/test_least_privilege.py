"""Least privilege below the API: hostile SQL as maracd's own database login
(and as the schema owner) reaches no case data, no mail and no audit row.

Each test connects with psql as a real role and runs what an attacker with
that login would run: a compromised maracd process, a leaked DSN, a
careless psql session.  Everything must fail or return nothing personal.
"""
import hashlib
import subprocess

import pytest

from conftest import BUILD, Maracd, free_port, wait_for
from referrals import referral

VICTIM = referral()["victim"]["name"]
PERPETRATOR = referral()["perpetrator"]["name"]


def psql_as(db, user, sql):
    return subprocess.run(["psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                           "-p", str(db.cluster.port), "-U", user, "-d", db.name, "-c", sql],
                          capture_output=True, text=True)


def as_app(db, sql):
    """The application login with no caller at all."""
    return psql_as(db, "maracd", sql)


def last(out):
    """The last line psql printed ("" for a NULL)."""
    text = out.stdout[:-1] if out.stdout.endswith("\n") else out.stdout
    return text.split("\n")[-1]


def denied(out):
    return out.returncode != 0 and ("permission denied" in out.stderr or
                                    "insufficient" in out.stderr or
                                    "authenticated caller" in out.stderr or
                                    "only maracd" in out.stderr)


@pytest.fixture
def world(maracd, db):
    """A MARAC referral with a perpetrator, an issued agenda's worth of mail
    in the outbox (an urgent alert), and its sitting."""
    admin = db.token("admin")
    body = referral(urgent=True)
    r = maracd.request("POST", "/v1/referrals", body=body, token=admin)
    assert r.status == 201, r.body
    rid = r.json()["id"]
    sid = r.json()["sitting"]["id"] if r.json().get("sitting") else None
    assert wait_for(lambda: db.psql("SELECT count(*) FROM outbox") != "0", 10)
    return {"rid": rid, "sid": sid, "admin": admin}


def test_the_app_login_reads_no_case_data(db, world):
    for table in ("referrals", "referral_people", "referral_answers", "referral_transfers",
                  "actions", "decisions", "sitting_minutes", "drive_runs", "drive_results",
                  "agenda_versions", "record_exports"):
        out = as_app(db, "SELECT count(*) FROM %s" % table)
        assert out.returncode != 0 or out.stdout.strip() == "0", (table, out.stdout)
    # Nor can it read the token table, to learn a hash to pose with.
    assert denied(as_app(db, "SELECT token_hash FROM api_tokens"))


def test_the_old_system_flag_makes_nobody_a_job(db, world):
    rid, sid = world["rid"], world["sid"]
    for flag in ("", "SELECT set_config('maracd.system', 'job:drive', false); "):
        out = as_app(db, flag + "SELECT drive_referral_input(%d, '2026-12-09', 36)" % rid)
        assert out.returncode == 0 and last(out) == "", out.stdout
        if sid is not None:
            out = as_app(db, flag + "SELECT drive_sitting_input(%d, 36)" % sid)
            assert last(out) == "", out.stdout
            out = as_app(db, flag + "SELECT drive_sitting_stale(%d, 'x', 36)" % sid)
            assert last(out) in ("", "f"), out.stdout
        # A forged screening is refused (NULL: may not screen).
        out = as_app(db, flag + "SELECT drive_store(NULL, %d, '2026-12-09', 'v', 's', "
                     "'[{\"identity\": \"x\", \"initials\": \"ZZ\", \"referral_ids\": [%d], "
                     "\"eligible\": true, \"candidate\": true, \"score\": 99}]')" % (rid, rid))
        assert last(out) == "", out.stdout
        for fn in ("reminder_actions('2027-12-31', '2026-W50', true, true, true)",
                   "reminder_summary_counts('2027-12-31', 1)",
                   "reminder_summary_persistent('2027-12-31', 1, 50)",
                   "reminder_summary_failed('x', 50)"):
            out = as_app(db, flag + "SELECT count(*) FROM %s" % fn)
            assert out.returncode == 0 and last(out) == "0", (fn, out)
        assert denied(as_app(db, flag + "SELECT * FROM outbox_claim('x', 60, 10, 'x', '{}')"))
    assert db.psql("SELECT count(*) FROM drive_runs") == "0"
    assert db.psql("SELECT count(*) FROM audit_log WHERE role IS NULL OR role LIKE 'job:drive%'") == "0"


def test_every_security_definer_function_rechecks_or_is_closed(db, world):
    """No SECURITY DEFINER function is executable by PUBLIC, and each one the
    app login may run gives it, without a caller, nothing personal."""
    open_to_public = db.psql(
        "SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p "
        "WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef "
        "AND p.prorettype <> 'trigger'::regtype "
        "AND has_function_privilege('public', p.oid, 'EXECUTE')")
    assert open_to_public == "", open_to_public
    callable_by_app = db.psql(
        "SELECT string_agg(format('%s(%s)', p.proname, (SELECT string_agg('NULL::' || "
        "format_type(t, NULL), ', ') FROM unnest(p.proargtypes) t)), E'\\n') "
        "FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef "
        "AND p.prorettype <> 'trigger'::regtype AND p.proretset = false "
        "AND has_function_privilege('maracd', p.oid, 'EXECUTE')").splitlines()
    assert callable_by_app
    ids = {"rid": world["rid"], "sid": world["sid"] or 0}
    for call in callable_by_app:
        for flag in ("", "SELECT set_config('maracd.system', 'x', false); "):
            out = as_app(db, flag + "SELECT %s::text" % call)
            text = out.stdout + out.stderr
            assert VICTIM not in text and PERPETRATOR not in text, (call, text)
    # And with real ids where they take them.
    for call in ("drive_referral_input(%(rid)d, '2026-12-09', 36)",
                 "drive_sitting_input(%(sid)d, 36)", "drive_candidate(%(sid)d, %(rid)d)",
                 "referral_previous_marac('x', now())",
                 # An import's wave asks them for many rows at once.
                 "referral_previous_maracs(ARRAY['x'], ARRAY[now()])",
                 "referral_link_targets(ARRAY['x'], ARRAY['marac'], ARRAY['cumbria'], "
                 "ARRAY['2026-12-09'::date])"):
        out = as_app(db, "SELECT set_config('maracd.system', 'x', false); SELECT %s::text"
                     % (call % ids))
        assert VICTIM not in out.stdout and PERPETRATOR not in out.stdout, call


def test_the_outbox_is_out_of_reach(db, world):
    assert denied(as_app(db, "SELECT subject, body_text, recipients FROM outbox"))
    assert denied(as_app(db, "UPDATE outbox SET recipients = '{evil@attacker.example}'"))
    assert denied(as_app(db, "INSERT INTO outbox (key, kind, recipients, subject, body_text) "
                             "VALUES ('k', 'x', '{evil@attacker.example}', 's', 'b')"))
    assert denied(as_app(db, "SELECT outbox_enqueue('k', 'x', '{evil@attacker.example}', "
                             "'s', 'b')"))
    assert denied(as_app(db, "SELECT * FROM outbox_enqueue_set('{k}', '{x}', "
                             "'{evil@attacker.example}', '{s}', '{b}', '{h}')"))
    for call in ("outbox_sent('{1}')", "outbox_unsent(1, 'p', 1, 1, 'e')",
                 "outbox_unsent(1, 'p', 1, NULL, 'e')"):
        assert denied(as_app(db, "SELECT %s" % call)), call
    # Counts only, for /metrics.
    out = as_app(db, "SELECT * FROM outbox_backlog()")
    assert out.returncode == 0 and len(out.stdout.strip().split("|")) == 3
    assert as_app(db, "SELECT outbox_has(key) FROM (SELECT 'x' AS key) k").stdout.strip() == "f"
    # A request's caller (an admin) cannot claim or read mail either.
    h = hashlib.sha256(world["admin"].encode()).hexdigest()
    out = as_app(db, "BEGIN; SELECT count(*) FROM maracd_authenticate('%s', 't', NULL); "
                 "SELECT * FROM outbox_claim('x', 60, 10, 'x', '{}'); COMMIT" % h)
    assert denied(out)
    out = as_app(db, "BEGIN; SELECT count(*) FROM maracd_authenticate('%s', 't', NULL); "
                 "SELECT count(*) FROM outbox; COMMIT" % h)
    assert denied(out)
    assert db.psql("SELECT count(*) FROM outbox WHERE 'evil@attacker.example' = ANY (recipients)") == "0"


def test_audit_rows_come_only_from_an_authenticated_caller(db, world):
    before = db.psql("SELECT count(*) FROM audit_log")
    for sql in ("INSERT INTO audit_log (action, object_type, object_id) VALUES ('read', 'x', '1')",
                "SELECT set_config('maracd.system', 'admin', false); INSERT INTO audit_log "
                "(action, object_type, object_id, role) VALUES ('read', 'x', '1', 'admin')",
                "TRUNCATE audit_log", "DELETE FROM audit_log", "UPDATE audit_log SET role = 'x'",
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_fill"):
        out = as_app(db, sql)
        assert out.returncode != 0, sql
    # The schema owner (maracctl's login) cannot truncate or rewrite it either.
    for sql in ("TRUNCATE audit_log", "DELETE FROM audit_log", "UPDATE audit_log SET role = 'x'"):
        out = psql_as(db, "maracd_owner", sql)
        assert out.returncode != 0 and "append-only" in out.stderr, (sql, out.stderr)
    assert db.psql("SELECT count(*) FROM audit_log") == before
    # A caller's row names the caller, whatever the INSERT said.
    h = hashlib.sha256(world["admin"].encode()).hexdigest()
    out = as_app(db, "BEGIN; SELECT count(*) FROM maracd_authenticate('%s', 't', NULL); "
                 "INSERT INTO audit_log (action, object_type, role, token_id) "
                 "VALUES ('read', 'x', 'chair', 999); COMMIT" % h)
    assert out.returncode == 0, out.stderr
    assert db.psql("SELECT role || ':' || (token_id = (SELECT max(id) FROM api_tokens "
                   "WHERE role = 'admin'))::text FROM audit_log ORDER BY id DESC LIMIT 1") \
        == "admin:true"


def test_jobs_authenticate_with_the_job_token(db, world):
    """Audit rows of maracd's jobs name the job; a revoked job token stops
    them (logged), it does not fall back to anything."""
    assert wait_for(lambda: db.psql("SELECT count(*) FROM audit_log WHERE role = 'job:outbox' "
                                    "OR role LIKE 'job:%'") != "0" or
                    db.psql("SELECT count(*) FROM outbox WHERE status = 'sent'") != "0", 10)
    assert db.psql("SELECT count(*) FROM outbox WHERE status = 'sent'") != "0"


def unsafe_login(db, name, grants):
    db.cluster.psql("postgres", "DROP ROLE IF EXISTS %s" % name)
    db.cluster.psql("postgres", "CREATE ROLE %s LOGIN IN ROLE maracd_app" % name)
    for g in grants:
        db.cluster.psql(db.name, g % name)


@pytest.mark.parametrize("grants,why", [
    (["GRANT CREATE ON SCHEMA public TO %s"], "may create objects"),
    (["GRANT CREATE ON DATABASE {db} TO %s"], "may create objects"),
    (["GRANT maracd_owner TO %s"], "member of the schema owner"),
    (["CREATE SCHEMA mine AUTHORIZATION %s"], "owns objects"),
])
def test_maracd_refuses_a_login_that_could_escape_row_security(db, tmp, grants, why):
    name = "maracd_unsafe_%d" % free_port()
    unsafe_login(db, name, [g.replace("{db}", db.name) for g in grants])
    try:
        db.write_conf(database={"dsn": "host=127.0.0.1 port=%d dbname=%s user=%s"
                                % (db.cluster.port, db.name, name)})
        m = Maracd(db, tmp).start(ready=False)
        try:
            assert wait_for(lambda: m.request("GET", "/readyz").json().get("error")
                            == "unsafe_database_role", 5)
            assert why in m.log_text()
        finally:
            m.stop()
    finally:
        db.cluster.psql(db.name, "DROP SCHEMA IF EXISTS mine")
        db.cluster.psql(db.name, "REVOKE ALL ON SCHEMA public FROM %s" % name)
        db.cluster.psql(db.name, "REVOKE ALL ON DATABASE %s FROM %s" % (db.name, name))
        db.cluster.psql("postgres", "DROP ROLE %s" % name)


def test_only_the_audit_admin_alters_the_audit_log(db):
    """The schema owner cannot disable, drop or rename the audit log's
    triggers, nor alter or drop the table (the guard of sql/dba)."""
    for sql in ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable",
                "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                "DROP TRIGGER audit_log_no_truncate ON audit_log",
                "ALTER TRIGGER audit_log_fill ON audit_log RENAME TO x",
                "ALTER TABLE audit_log RENAME TO old_log",
                "ALTER TABLE audit_log OWNER TO maracd",
                "DROP TABLE audit_log",
                "CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
                "ALTER FUNCTION audit_log_fill() RENAME TO x",
                "DROP FUNCTION audit_log_fill() CASCADE",
                "DROP SCHEMA maracd_guard CASCADE",
                "DROP EVENT TRIGGER maracd_audit_ddl",
                "ALTER EVENT TRIGGER maracd_audit_ddl DISABLE"):
        out = psql_as(db, "maracd_owner", sql)
        assert out.returncode != 0, sql
    assert db.psql("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
                   "AND tgenabled = 'O'") == "3"
    # The audit admin may (here through a superuser's session).
    out = db.psql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate; "
                  "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate; SELECT 1")
    assert out.splitlines()[-1] == "1"


def test_maracd_configuration_never_holds_the_owners_credentials(db, tmp):
    # The owner's connection belongs to maracctl's environment alone: a
    # maracd.conf naming it is refused, saying where it goes instead.
    conf = tmp / "owner.conf"
    conf.write_text(db.conf.read_text().replace(
        "[database]\n", "[database]\nowner_dsn = %s\n" % db.owner_dsn))
    r = subprocess.run([str(BUILD / "maracd"), "-f", "-c", str(conf)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "owner_dsn" in r.stderr and "MARACCTL_OWNER_DSN" in r.stderr
    # maracctl takes it from there; given the app login instead, it can
    # make no token.
    assert db.ctl("token", "create", "--role", "agency", "--agency", "police",
                  "--name", "x").returncode == 0
    r = db.ctl("token", "create", "--role", "agency", "--agency", "police", "--name", "y",
               check=False, owner_dsn=db.settings["database"]["dsn"])
    assert r.returncode == 1 and "permission denied" in r.stderr

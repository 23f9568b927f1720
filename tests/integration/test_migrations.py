"""maracctl migrate records the SHA-256 of every file it applies, and
refuses a database whose applied migrations are not this build's files
unchanged (maracctl(1)); maracd's /readyz refuses the same database
(test_lifecycle.py).  A file changed after it was applied is simulated by
changing the SHA-256 recorded for it: the comparison sees the same thing."""
import hashlib

import pytest

from conftest import SRC

OTHER = hashlib.sha256(b"-- not the file that was applied\n").hexdigest()


def test_migrate_records_the_sha256_of_each_file(db):
    rows = db.psql("SELECT version || ' ' || name || ' ' || sha256 "
                   "FROM schema_migrations ORDER BY version").splitlines()
    files = sorted((SRC / "sql").glob("[0-9][0-9][0-9]_*.sql"))
    assert len(files) >= 10
    assert rows == ["%d %s %s" % (int(f.name[:3]), f.stem[4:],
                                  hashlib.sha256(f.read_bytes()).hexdigest())
                    for f in files]
    again = db.ctl("migrate")
    assert again.stdout.endswith("(0 applied now)\n")


@pytest.mark.parametrize("tamper,why", [
    ("UPDATE schema_migrations SET sha256 = '%s' WHERE version = 4" % OTHER,
     "sql/004_referrals.sql changed after it was applied (SHA-256 %s... applied"
     % OTHER[:12]),
    ("UPDATE schema_migrations SET name = 'urgent_alerts' WHERE version = 5",
     "the database's migration 005_urgent_alerts is not this build's "
     "sql/005_outbox.sql"),
    ("UPDATE schema_migrations SET sha256 = NULL WHERE version = 1",
     "migration 001_foundation was applied without a recorded SHA-256"),
    ("INSERT INTO schema_migrations (version, name, sha256) "
     "VALUES (999, 'later', '%s')" % OTHER,
     "the database has migration 999_later, which this build does not have"),
])
def test_migrate_refuses_a_database_it_did_not_make(db, tamper, why):
    top = db.psql("SELECT max(version) FROM schema_migrations WHERE version < 999")
    # One migration still to apply, which the refusal must leave unapplied.
    db.psql("DELETE FROM schema_migrations WHERE version = %s" % top)
    db.psql(tamper)
    before = db.psql("SELECT string_agg(version || name || coalesce(sha256, '-'), ',' "
                     "ORDER BY version) FROM schema_migrations")
    r = db.ctl("migrate", check=False)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("maracctl: refusing to migrate: " + why)
    assert len(r.stderr.splitlines()) == 1
    assert db.psql("SELECT string_agg(version || name || coalesce(sha256, '-'), ',' "
                   "ORDER BY version) FROM schema_migrations") == before


def test_migrate_turns_jit_off_for_the_database(db):
    """001_foundation.sql sets jit = off for the database (the planner's
    estimates under row-level security made every large read compile):
    a database setting, which a schema dump (tools/schema-diff) does not
    show, so it is checked here on a new connection."""
    assert db.psql("SHOW jit") == "off"

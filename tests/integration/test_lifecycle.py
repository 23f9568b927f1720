"""The daemon's life: health, readiness, the database going away and
coming back, signals, configuration errors, migrations."""
import signal
import subprocess
import time

from conftest import BUILD, Maracd, make_database, wait_for


def settled_readyz(m):
    """readyz once the pool has connected (at start-up it is briefly down)."""
    result = []

    def probe():
        r = m.request("GET", "/readyz")
        result[:] = [r]
        return r.status == 200 or r.json()["error"] != "database_unavailable"
    assert wait_for(probe, 5)
    return result[0]


def test_healthz_answers_with_security_headers(maracd):
    r = maracd.request("GET", "/healthz")
    assert r.status == 200
    assert r.json() == {"status": "alive"}
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert len(r.headers["X-Request-Id"]) == 16


def test_readyz_reports_the_schema_version(maracd):
    r = maracd.request("GET", "/readyz")
    assert r.status == 200
    body = r.json()
    assert body["status"] == "ready"
    assert body["schema_version"] >= 1


def test_readyz_refuses_a_schema_behind_the_build(db, tmp):
    top = db.psql("SELECT max(version) FROM schema_migrations")
    db.psql("DELETE FROM schema_migrations WHERE version = %s" % top)
    m = Maracd(db, tmp).start(ready=False)
    try:
        r = settled_readyz(m)
        assert r.status == 503
        assert r.json()["error"] == "schema_mismatch"
        assert "maracctl migrate" in r.json()["message"]
    finally:
        m.stop()


def test_readyz_refuses_an_empty_database(cluster, tmp):
    db = make_database(cluster, tmp, migrate=False)
    m = Maracd(db, tmp).start(ready=False)
    try:
        r = settled_readyz(m)
        assert r.status == 503
        assert r.json()["error"] == "schema_mismatch"
    finally:
        m.stop()


def test_unknown_path_and_method_get_json_errors(maracd):
    r = maracd.request("GET", "/v1/nowhere")
    assert r.status == 404
    assert r.json()["error"] == "not_found"
    # Outside /v1/ an unknown path is a page's: the "not found" page.
    r = maracd.request("GET", "/nowhere")
    assert r.status == 404 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Page not found" in r.body
    r = maracd.request("POST", "/healthz", body={})
    assert r.status == 405
    assert r.json()["error"] == "method_not_allowed"


def test_database_restart_gives_503_then_recovers(private_cluster, tmp):
    db = make_database(private_cluster, tmp)
    m = Maracd(db, tmp).start()
    try:
        private_cluster.stop()
        stopped = time.monotonic()
        assert wait_for(lambda: m.request("GET", "/readyz").status == 503, 2.0)
        assert time.monotonic() - stopped < 2.0
        r = m.request("GET", "/readyz")
        assert r.json()["error"] == "database_unavailable"
        assert m.request("GET", "/healthz").status == 200
        private_cluster.start()
        started = time.monotonic()
        assert wait_for(lambda: m.request("GET", "/readyz").status == 200, 5.0)
        assert time.monotonic() - started < 5.0
        assert m.proc.poll() is None
    finally:
        m.stop()


def test_starts_while_the_database_is_down(private_cluster, tmp):
    db = make_database(private_cluster, tmp)
    private_cluster.stop()
    m = Maracd(db, tmp).start(ready=False)
    try:
        assert m.request("GET", "/readyz").status == 503
        private_cluster.start()
        assert wait_for(lambda: m.request("GET", "/readyz").status == 200, 5.0)
    finally:
        m.stop()


def test_sigterm_exits_zero(db, tmp):
    m = Maracd(db, tmp).start()
    m.signal(signal.SIGTERM)
    assert m.proc.wait(timeout=10) == 0
    assert "maracd stopped" in m.log_text()
    m.assert_clean_log()


def test_sighup_reloads_the_log_level(db, tmp):
    m = Maracd(db, tmp).start()
    try:
        rid = m.request("GET", "/healthz").headers["X-Request-Id"]
        assert rid not in m.log_text()          # info: requests are not logged
        db.write_conf(log={"level": "debug"})
        m.signal(signal.SIGHUP)
        assert wait_for(lambda: "log level debug" in m.log_text(), 5)
        rid = m.request("GET", "/healthz").headers["X-Request-Id"]
        assert wait_for(lambda: rid in m.log_text(), 2)
        assert m.proc.poll() is None
    finally:
        m.stop()
    m.assert_clean_log()


def test_sighup_with_a_broken_file_keeps_running(db, tmp):
    m = Maracd(db, tmp).start()
    try:
        db.conf.write_text(db.conf.read_text() + "[server]\nlisten_port = banana\n")
        m.signal(signal.SIGHUP)
        assert wait_for(lambda: "reload refused" in m.log_text(), 5)
        assert m.request("GET", "/readyz").status == 200
    finally:
        m.stop()


def test_bad_config_stops_startup_with_the_reason(db, tmp):
    db.conf.write_text("[server]\nlisten_port = 70000\n")
    r = subprocess.run([str(BUILD / "maracd"), "-f", "-c", str(db.conf)],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert "listen_port is out of range" in r.stderr


def test_migrate_twice_applies_nothing_the_second_time(db):
    out = db.ctl("migrate").stdout
    assert "(0 applied now)" in out


def test_maracctl_reports_usage_and_failure(db):
    assert db.ctl("frobnicate", check=False).returncode == 2
    r = db.ctl("token", "revoke", "999999", check=False)
    assert r.returncode == 1
    assert r.stderr.startswith("maracctl: ")
    assert len(r.stderr.strip().splitlines()) == 1


def test_agency_list_prints_the_seeded_agencies(db):
    lines = db.ctl("agency", "list").stdout.splitlines()
    assert "police\tPolice\tpolice@agencies.example" in lines
    assert len(lines) == 8


def test_sample_config_is_what_the_settings_table_says():
    from conftest import SRC
    out = subprocess.run([str(BUILD / "maracd"), "-C"], capture_output=True,
                         text=True, check=True).stdout
    assert (SRC / "etc/maracd.conf.sample").read_text() == out, \
        "etc/maracd.conf.sample is stale: regenerate it with maracd -C"


def test_every_setting_is_in_the_man_page():
    from conftest import SRC
    sample = (SRC / "etc/maracd.conf.sample").read_text()
    man = (SRC / "man/maracd.conf.5").read_text()
    names = [l.split(" = ")[0] for l in sample.splitlines() if " = " in l and not l.startswith("#")]
    assert names
    missing = [n for n in names if ("B " + n) not in man and ("fB" + n) not in man]
    assert not missing, "maracd.conf(5) lacks %s" % missing


def test_refuses_a_database_role_that_bypasses_row_security(db, tmp):
    # The schema owner's connection string in place of the app role's.
    db.write_conf(database={"dsn": db.owner_dsn})
    m = Maracd(db, tmp).start(ready=False)
    try:
        assert wait_for(lambda: m.request("GET", "/readyz").json().get("error")
                        == "unsafe_database_role", 5)
        assert "refusing to use it" in m.log_text()
    finally:
        m.stop()

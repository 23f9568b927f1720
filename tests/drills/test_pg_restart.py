"""Restart PostgreSQL under load.

While the database is down every request that needs it is answered 503
(nothing else: no 500, no dropped connection, no crash); within 5 s of
PostgreSQL accepting connections again requests succeed; afterwards
maracd holds exactly its pool of connections, none leaked; and every
referral answered 2xx is stored, complete.
"""
import collections
import time

from conftest import (Load, drill_config, incomplete, make_database, seconds,
                      stored_counts, wait_for)

POOL = 4


def app_connections(cluster, db):
    return int(cluster.psql(db.name, "SELECT count(*) FROM pg_stat_activity "
                            "WHERE usename = 'maracd' AND datname = current_database()"))


def test_postgres_restart_under_load_gives_503_then_recovers(private_cluster, tmp, daemons):
    down_for = seconds("DRILL_PG_DOWN", 5)
    db = make_database(private_cluster, tmp)
    db.write_conf(database={"pool_size": str(POOL), "reconnect_max_delay_ms": "500"})
    drill_config(db)
    m = daemons(db).start()
    token = db.token("admin")
    assert wait_for(lambda: app_connections(private_cluster, db) == POOL, 5)
    load = Load(m.port, token, threads=4, rate=100, reads=0.5).start()
    try:
        time.sleep(5)
        stopping = time.monotonic()
        private_cluster.stop()
        stopped = time.monotonic()
        time.sleep(down_for)
        starting = time.monotonic()
        private_cluster.start()
        started = time.monotonic()
        time.sleep(10)
    finally:
        results = load.stop()
    assert m.proc.poll() is None, "maracd died: " + m.log_text()

    status = collections.Counter(r.status for r in results)
    # No dropped connection, no 500: stored, read, or 503 while down.
    assert set(status) <= {200, 201, 503}, status
    down = [r for r in results if r.start > stopped and r.end < starting]
    assert down and all(r.status == 503 for r in down), \
        collections.Counter(r.status for r in down)
    ok_before = [r for r in results if r.end < stopping and r.status in (200, 201)]
    assert ok_before, status
    # Recovery: the first success after the start within 5 s, and nothing
    # but successes for requests sent after that.
    first_ok = min(r.end for r in results if r.start > starting and r.status in (200, 201))
    assert first_ok - started < 5.0, first_ok - started
    print("PostgreSQL restart: %s; %d requests while down, all 503; first success "
          "%.2f s after the start" % (dict(status), len(down), first_ok - started))
    late = [r for r in results if r.start > started + 5.0]
    assert late and all(r.status in (200, 201) for r in late), \
        collections.Counter(r.status for r in late)

    # No leaked connections: back to the pool, no more.
    assert wait_for(lambda: app_connections(private_cluster, db) == POOL, 5), \
        app_connections(private_cluster, db)
    time.sleep(1)
    assert app_connections(private_cluster, db) == POOL

    counts = stored_counts(db, load.tag)
    acked = {r.ref for r in results if r.kind == "create" and r.status in (200, 201)}
    assert all(counts.get(ref) == 1 for ref in acked)
    assert not incomplete(db, load.tag)
    m.stop()
    m.assert_clean_log()

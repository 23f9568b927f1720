"""kill -9 maracd in the middle of an ingest load, then start it again.

A referral whose sender got a 2xx must be stored exactly once; one whose
sender got a 5xx or no answer at all may be stored or not, but never in
part (a referral and its people, answers and audit row are one
transaction); and sending it again, as a client that got no answer
would, stores it at most once.
"""
import collections
import time

from conftest import (Load, drill_config, incomplete, post_referral,
                      seconds, stored_counts)


def test_kill_9_during_ingest_loses_and_doubles_nothing(db, daemons):
    duration = seconds("DRILL_LOAD", 60)
    drill_config(db)
    m = daemons(db).start()
    token = db.token("admin")
    load = Load(m.port, token, threads=4).start()
    try:
        time.sleep(duration / 3)
        killed_at = time.monotonic()
        m.proc.kill()
        assert m.proc.wait(10) == -9
        m.start()
        restarted_at = time.monotonic()
        time.sleep(max(0.0, duration - (restarted_at - load.results[0].start)))
    finally:
        results = load.stop()

    status = collections.Counter(r.status for r in results)
    before = [r for r in results if r.end < killed_at and r.status in (200, 201)]
    after = [r for r in results if r.start > restarted_at and r.status in (200, 201)]
    assert before and after, status
    # Nothing but stored, or no answer while maracd was dead.
    assert set(status) <= {201, 200, 503, None}, status
    assert all(r.status == 201 for r in results if r.status in (200, 201)), \
        "a fresh external_ref was answered as a resend"

    counts = stored_counts(db, load.tag)
    acked = {r.ref for r in results if r.status in (200, 201)}
    missing = [ref for ref in acked if counts.get(ref) != 1]
    assert not missing, "answered 2xx but not stored once: %s" % missing[:10]
    assert max(counts.values()) == 1
    # Stored refs are exactly those answered, plus perhaps those in flight
    # when maracd died (committed, never answered).
    unanswered = {r.ref for r in results if r.status not in (200, 201)}
    assert set(counts) <= acked | unanswered
    assert not incomplete(db, load.tag), "half-written referrals"

    print("kill -9: %d answered 2xx, %d without answer (%d of them stored), "
          "%s" % (len(acked), len(unanswered), len(set(counts) & unanswered), dict(status)))
    # A client resends what got no answer: each is stored once, not twice.
    for ref in sorted(unanswered):
        assert post_referral(m.port, token, ref) in (200, 201), ref
    counts = stored_counts(db, load.tag)
    assert set(counts) == acked | unanswered and max(counts.values()) == 1
    assert not incomplete(db, load.tag)
    m.stop()
    m.assert_clean_log()

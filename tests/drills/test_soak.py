"""A soak at a steady rate: memory stays flat, nothing fails.

MARACD_SOAK_SECONDS (default 600) long at MARACD_SOAK_RATE requests/s
(default 50: half stores a referral, half reads one back), over
keep-alive connections.  maracd's RSS after the first tenth (at least
10 s; pools, buffers and caches fill there) is the baseline; at the end
it must be under 5 % above it, and every answer must have been a 2xx.
max_connection_age is 30 s, so that the keep-alive connections are
retired and replaced under load many times in the run: none may lose a
request.
"""
import collections
import os
import time

from conftest import Load, drill_config, rss_kib, seconds

GROWTH = 0.05


def test_soak_at_a_steady_rate(db, daemons):
    duration = seconds("SOAK", 600)
    rate = float(os.environ.get("MARACD_SOAK_RATE", 50))
    warmup = max(10.0, duration / 10)
    drill_config(db, max_connection_age=30)
    m = daemons(db).start()
    load = Load(m.port, db.token("admin"), threads=4, rate=rate, reads=0.5).start()
    samples = []
    try:
        t0 = time.monotonic()
        time.sleep(warmup)
        base = rss_kib(m.proc.pid)
        while time.monotonic() - t0 < duration:
            time.sleep(min(5.0, max(0.0, duration - (time.monotonic() - t0))))
            samples.append(rss_kib(m.proc.pid))
    finally:
        results = load.stop()
    status = collections.Counter(r.status for r in results)
    assert set(status) <= {200, 201}, status
    done = len(results) / duration
    assert done > rate * 0.8, "%.1f requests/s of %.0f" % (done, rate)
    end = samples[-1]
    print("soak: %d requests in %.0f s, RSS %d KiB after warm-up, %d KiB at the end "
          "(%+.1f %%), peak %d KiB" % (len(results), duration, base, end,
                                       100.0 * (end - base) / base, max(samples)))
    assert end < base * (1 + GROWTH), (base, end, samples)
    m.stop()
    m.assert_clean_log()

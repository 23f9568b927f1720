"""kill -9 maracctl purge in the middle of a purge, then run it again.

20 000 below-threshold referrals past [retention] below_threshold_months,
1 000 still inside it and 200 under a legal hold.  A purge in batches of
200 is killed once 1 000 are purged: every referral is then either untouched or
wholly anonymised with its audit row (one transaction per batch), none
that should stay is touched; the next run finishes the rest, each
referral is purged and audited exactly once, and a third run finds
nothing.  The finishing run's rate is printed.
"""
import datetime
import signal
import subprocess
import time

import integration_conftest as ic
import conftest

DUE, KEPT, HELD = 20000, 1000, 200
T0 = ic.today()
AT = "%sT10:00:00Z" % (T0 + datetime.timedelta(days=400)).isoformat()


def seed(db):
    def batch(n, first, received):
        db.psql(
            "WITH r AS (INSERT INTO referrals (reference, referring_agency, received_at, "
            "received_date, area, status, domestic_abuse, stalking, risk_level, lawful_basis, "
            "consent, victim_key, summary) SELECT 'DRILL-' || i, 'police', '%s'::date, '%s'::date, "
            "'cumbria', 'below_threshold', true, false, 'standard', "
            "ARRAY['crime_and_disorder_act_s115'], 'not_sought', 'drill-victim-' || i, "
            "'free text' FROM generate_series(%d, %d) i RETURNING id) "
            "INSERT INTO referral_people (referral_id, role, name, dob) "
            "SELECT id, 'victim', 'Drill Victim', '1990-01-01' FROM r"
            % (received, received, first, first + n - 1))
    batch(DUE, 1, T0)
    batch(KEPT, DUE + 1, T0 + datetime.timedelta(days=100))
    db.psql("INSERT INTO legal_holds (referral_id, reason) SELECT id, 'drill hold' "
            "FROM referrals WHERE reference LIKE 'DRILL-%%' AND received_date = '%s' "
            "ORDER BY id DESC LIMIT %d" % (T0, HELD))


def state(db):
    """purged, half-done (purged but a name left, or a name gone but not
    purged), audit rows of purged referrals, untouched that must stay."""
    return [int(x) for x in db.psql(
        "SELECT count(*) FILTER (WHERE r.purged_at IS NOT NULL), "
        "count(*) FILTER (WHERE (r.purged_at IS NOT NULL) <> (p.name = '' AND p.dob IS NULL "
        "AND r.summary IS NULL)), "
        "(SELECT count(*) FROM audit_log WHERE action = 'purge_anonymise'), "
        "count(*) FILTER (WHERE r.purged_at IS NULL AND p.name = 'Drill Victim' AND "
        "(r.received_date > '%s' OR EXISTS (SELECT 1 FROM legal_holds h WHERE h.referral_id = r.id))) "
        "FROM referrals r JOIN referral_people p ON p.referral_id = r.id "
        "WHERE r.reference LIKE 'DRILL-%%'" % T0).split("|")]


def test_kill_9_during_purge_loses_nothing_and_finishes(db):
    seed(db)
    ctl = [str(conftest.BUILD / "maracctl"), "-c", str(db.conf)]
    env = ic.clock_env(AT)
    env["MARACCTL_OWNER_DSN"] = db.owner_dsn
    p = subprocess.Popen(ctl + ["purge", "--batch", "200"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Killed once a few batches are in: mid-purge, whatever the machine's pace.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None and \
            int(db.psql("SELECT count(*) FROM referrals WHERE purged_at IS NOT NULL")) < 1000:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    assert p.wait(10) == -signal.SIGKILL
    purged, half, audited, kept = state(db)
    print("killed after %d of %d purged" % (purged, DUE - HELD))
    assert 0 < purged < DUE - HELD, "the kill came too late or too early"
    assert half == 0 and audited == purged and kept == KEPT + HELD

    started = time.monotonic()
    out = subprocess.run(ctl + ["purge", "--batch", "200"], env=env, check=True,
                         capture_output=True, text=True)
    took = time.monotonic() - started
    rest = DUE - HELD - purged
    assert "%d objects purged" % rest in out.stderr, out.stderr
    purged, half, audited, kept = state(db)
    assert purged == DUE - HELD and half == 0 and audited == purged
    assert kept == KEPT + HELD
    print("purge: %d referrals in %.1f s, %.0f referrals/s (batches of 200)"
          % (rest, took, rest / took))
    out = subprocess.run(ctl + ["purge"], env=env, check=True, capture_output=True, text=True)
    assert "0 objects purged" in out.stderr

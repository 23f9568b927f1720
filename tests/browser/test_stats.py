"""The statistics page in chromium (stats.mjs): a coordinator sees the
SafeLives return and the MASC indicators of a quarter, chooses another by
keyboard, downloads the return; axe-core and screenshots on each page."""
import pytest

from conftest import SCREENSHOTS, Maracd, enrolled, ic, run_journey
from referrals import referral, stalking


@pytest.fixture
def stats_stack(db, tmp):
    """conftest.py's stack, with an expected repeat rate: a figure with
    its RAG."""
    m = Maracd(db, tmp, clock=ic.now())
    db.write_conf(accounts={"public_origin": m.url, "argon2_opslimit": "1",
                            "argon2_memlimit_kib": "8192"},
                  statistics={"expected_repeat_rate": "28-40"})
    m.start()
    yield m
    m.stop()
    m.assert_clean_log()


def sitting(db, forum, date):
    return int(db.psql("INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, "
                       "origin) VALUES ('%s', 'cumbria', '%s', '%s', '%sT00:00:00Z', "
                       "'manual') RETURNING id" % (forum, date, date, date)).split()[0])


def test_the_statistics_page(stats_stack, db):
    stack = stats_stack
    admin = db.token("admin")

    def heard(body, sid):
        r = stack.request("POST", "/v1/referrals", body=body, token=admin)
        assert r.status == 201, r.body
        rid = r.json()["id"]
        db.psql("UPDATE referrals SET sitting_id = %d, status = 'listed' WHERE id = %d"
                % (sid, rid))
        return r.json()

    # 2026Q3: two MARAC meetings, three cases, one a repeat; one MASC
    # meeting with one case decided (SPO considered).
    a, b = sitting(db, "marac", "2026-07-09"), sitting(db, "marac", "2026-08-13")
    heard(referral(received_at="2026-07-01T10:00:00Z"), a)
    heard(referral(received_at="2026-07-02T10:00:00Z",
                   victim={"name": "Sam Khan", "dob": "1985-06-01"}), a)
    # The same victim again: a repeat.
    assert heard(referral(received_at="2026-08-01T10:00:00Z"), b)["repeat"] is True
    m = sitting(db, "masc", "2026-09-03")
    s = heard(stalking(received_at="2026-08-20T10:00:00Z",
                       victim={"name": "Sue Smith", "dob": "1970-03-03"}), m)
    r = stack.request("PUT", "/v1/sittings/%d/cases/%d/decision" % (m, s["id"]), token=admin,
                      body={"attendees": ["police"], "masc_outcomes": {"spo": ["considered"]}})
    assert r.status == 200, r.body

    p = enrolled(stack, db, "cora@council.example", "--role", "coordinator")
    out = run_journey("stats", stack, email=p["email"], password=p["password"],
                      secret=p["secret"], step=p["step"])
    assert "statistics: pages checked" in out
    for name in ("statistics-1-last-quarter", "statistics-2-chosen-quarter",
                 "statistics-3-error"):
        assert (SCREENSHOTS / (name + ".png")).stat().st_size > 5000, name

"""A case as the chair's pages find it (test_web_chair.py and the browser's
test_chair.py): kept apart from conftest, which the two suites each have."""
import time

from referrals import referral


def a_case(m, db):
    """A MARAC case listed at its sitting, an action for it given at another
    sitting (to review), the agenda issued and police's research returned:
    (referral id, sitting id, reference, the earlier action's id)."""
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(DISTINCT forum) FROM sittings") != "2":
        assert time.monotonic() < deadline, "no sittings generated"
        time.sleep(0.05)
    police = db.token("agency", agency="police")
    admin = db.token("admin")
    r = m.request("POST", "/v1/referrals", referral(), token=police)
    assert r.status == 201, r.body
    case = r.json()
    rid, sid = case["id"], case["sitting"]["id"]
    other = int(db.psql("SELECT min(id) FROM sittings WHERE forum = 'marac' AND id <> %d" % sid))
    r = m.request("POST", "/v1/referrals/%d/actions" % rid,
                  {"agency": "probation", "area": "offender", "sitting": other,
                   "due": case["sitting"]["date"],
                   "description": "Offer the perpetrator programme"}, token=admin)
    assert r.status == 201, r.body
    earlier = r.json()["id"]
    r = m.request("POST", "/v1/sittings/%d/agenda/issue" % sid, token=admin)
    assert r.status in (200, 201), r.body
    r = m.request("PUT", "/v1/sittings/%d/research/%d" % (sid, rid),
                  {"text": "Two call-outs since the referral"}, token=police)
    assert r.status == 200, r.body
    return rid, sid, case["reference"], earlier

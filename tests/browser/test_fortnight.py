"""#21's whole fortnight in chromium (fortnight.mjs), from the browser only:
two agencies' referrals, the information deadline, the agenda issued and
downloaded, research returned, who returned on the dashboard, the sitting
chaired by keyboard (register, decisions, actions, DRIVE's question,
sign-off), an agency completing its action, and the records downloaded
with their SHA-256 computed from the bytes.  Only the people are set up
here; what the journey did is then read from the database."""
import re
import time

from conftest import SCREENSHOTS, enrolled, ic, run_journey


def test_a_whole_fortnight_from_the_browser(stack, db):
    deadline = time.monotonic() + 10
    while db.psql("SELECT count(DISTINCT forum) FROM sittings") != "2":
        assert time.monotonic() < deadline, "no sittings generated"
        time.sleep(0.05)
    people = {
        "c": enrolled(stack, db, "coord@marac.example", "--role", "coordinator"),
        "h": enrolled(stack, db, "chair@marac.example", "--role", "chair", "--forum", "marac"),
        "p": enrolled(stack, db, "pat@police.example", "--role", "agency", "--agency", "police"),
        "i": enrolled(stack, db, "ivy@idva.example", "--role", "agency", "--agency", "idva"),
    }
    env = {"%s_%s" % (k, f): p[f] for k, p in people.items()
           for f in ("email", "password", "secret", "step")}
    # Four people's sign-ins and some fifty pages checked by axe: longer
    # than one page's journey.
    out = run_journey("fortnight", stack, timeout=900, today=ic.today().isoformat(), **env)
    assert "fortnight done" in out and "axe: no violation" in out
    a, b = re.search(r"fortnight done: references (MARAC-\d{4}-\d+) (MARAC-\d{4}-\d+)",
                     out).groups()
    sid = re.search(r"sitting (\d+) record sha256 ([0-9a-f]{64})", out)

    # What the browser did is what the database holds.
    q = db.psql
    assert q("SELECT string_agg(referring_agency || ':' || status || ':' || sitting_id, ' ' "
             "ORDER BY reference) FROM referrals") == \
        "police:listed:%s idva:listed:%s" % (sid.group(1), sid.group(1))
    assert q("SELECT research_due IS NOT NULL FROM sittings WHERE id = %s" % sid.group(1)) == "t"
    assert q("SELECT string_agg(version::text, ',') FROM agenda_versions") == "1"
    assert q("SELECT string_agg(r.reference || ':' || x.agency || ':' || x.nothing_known, ' ' "
             "ORDER BY r.reference, x.agency) FROM research_returns x JOIN referrals r "
             "ON r.id = x.referral_id") == \
        "%s:idva:true %s:police:false %s:idva:false %s:police:true" % (a, a, b, b)
    assert q("SELECT jsonb_array_length(attendees) || ':' || apologies::text || ':' || "
             "jsonb_array_length(observers) FROM sitting_minutes") == \
        '2:[{"agency": "housing", "information_sent": true}]:1'
    assert q("SELECT string_agg(reference || ':' || (signed_off_at IS NOT NULL) || ':' || "
             "drive_increases_risk, ' ' ORDER BY reference) FROM decisions") == \
        "%s:true:false %s:true:false" % (a, b)
    assert q("SELECT string_agg(reference || ':' || agency || ':' || status, ' ' "
             "ORDER BY reference) FROM actions") == \
        "%s:idva:open %s:police:completed" % (a, b)
    # The hash the page showed is the one maracd's last export kept.
    assert q("SELECT sha256 FROM record_exports WHERE kind = 'sitting' AND format = 'json' "
             "ORDER BY id DESC LIMIT 1") == sid.group(2)
    for name in ("police-referral-9-confirmation", "idva-referral-9-confirmation",
                 "coordinator-1-dashboard", "coordinator-5-agenda-issued",
                 "police-research-4-a-returned", "idva-research-4-b-returned",
                 "coordinator-6-dashboard-returned", "coordinator-7-sitting-returned",
                 "chair-2-register", "chair-case1-4-signed-off", "chair-case2-4-signed-off",
                 "police-actions-3-completed", "chair-records"):
        assert (SCREENSHOTS / ("fortnight-" + name + ".png")).stat().st_size > 5000, name

"""The chair's pages of #21 in chromium (chair.mjs): the register, a case's
decision with a review, an action and sign-off, an amendment refused
without its reason and made with it, and a record downloaded with its
SHA-256 checked against the page; by keyboard only, axe-core on every
page, screenshots under the build's screenshots/."""
from conftest import SCREENSHOTS, enrolled, run_journey
from chaircase import a_case


def test_the_chair_holds_a_sitting_by_keyboard(stack, db):
    rid, sid, ref, earlier = a_case(stack, db)
    chair = enrolled(stack, db, "chair@marac.example", "--role", "chair", "--forum", "marac")
    out = run_journey("chair", stack, email=chair["email"], password=chair["password"],
                      secret=chair["secret"], step=chair["step"], sitting=sid, reference=ref)
    assert "matches the page; axe clean" in out
    # What the keyboard did is what the database holds.
    assert db.psql("SELECT result || ':' || note FROM action_reviews WHERE action_id = %d"
                   % earlier) == "carried_forward:Waiting for a programme place"
    assert db.psql("SELECT version || ':' || (signed_off_at IS NOT NULL) || ':' || "
                   "(drive_increases_risk) FROM decisions WHERE referral_id = %d"
                   % rid) == "2:true:false"
    assert db.psql("SELECT reason FROM decision_versions WHERE version = 2") == \
        "Bail conditions were missed"
    assert db.psql("SELECT agency FROM actions WHERE description = 'Check the tenancy'") == \
        "housing"
    for name in ("chair-1-sitting", "chair-2-register", "chair-3-case", "chair-4-decision",
                 "chair-5-action", "chair-6-signed-off", "chair-7-amendment-error",
                 "chair-8-amended", "chair-9-records"):
        assert (SCREENSHOTS / (name + ".png")).stat().st_size > 5000, name

"""Each journey of tests/browser, end to end in chromium (lib.mjs)."""
import json

from conftest import BUILD, SCREENSHOTS, enrolled, run_journey


def assets():
    m = json.loads((BUILD / "web/assets/manifest.json").read_text())
    return {k: "/assets/" + v for k, v in m.items()}


def test_the_assets_style_and_start_a_govuk_page(stack):
    a = assets()
    out = run_journey("assets", stack, css=a["maracd.css"], js=a["maracd.js"],
                      favicon=a["favicon.svg"])
    assert "axe: no violation" in out
    assert (SCREENSHOTS / "harness-sign-in.png").stat().st_size > 10000


def test_the_harness_catches_axe_violations_and_outside_requests(stack):
    out = run_journey("harness", stack)
    assert "both caught their faults" in out


def test_the_session_time_out_warns_and_stay_asks_maracd(stack):
    a = assets()
    run_journey("timeout", stack, css=a["maracd.css"], js=a["maracd.js"])
    assert (SCREENSHOTS / "harness-timeout-warning.png").is_file()


def test_signing_in_through_the_api_keeps_the_session_in_the_browser(stack, db):
    p = enrolled(stack, db, "pat@police.example", "--role", "agency", "--agency", "police")
    out = run_journey("session", stack, email=p["email"], password=p["password"],
                      secret=p["secret"], step=p["step"])
    assert "the browser is signed in" in out


def test_first_day_invitation_password_enrolment_sign_out_sign_in(stack, db):
    email = "sam@police.example"
    link = db.ctl("user", "invite", "--email", email, "--name", "Sam Police",
                  "--role", "agency", "--agency", "police", "--print-link").stdout.strip()
    run_journey("signin", stack, link=link, email=email)
    for name in ["first-day-1-invitation", "first-day-2-enrol", "first-day-3-recovery-codes",
                 "first-day-4-home", "first-day-5-signed-out", "sign-in-1-password",
                 "sign-in-2-code", "sign-in-3-home", "sign-in-4-signed-out"]:
        assert (SCREENSHOTS / (name + ".png")).is_file(), name

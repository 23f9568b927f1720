"""The account pages of #20 in chromium (account_pages.mjs): invitation,
enrolment, recovery codes, home, sign out and in, by keyboard, axe-core
on each page, screenshots under the build's screenshots/."""
from conftest import SCREENSHOTS, run_journey


def test_the_account_pages_by_keyboard(stack, db):
    email = "keys@police.example"
    link = db.ctl("user", "invite", "--email", email, "--name", "Kay Board", "--role",
                  "agency", "--agency", "police", "--print-link").stdout.strip()
    assert link.startswith(stack.url + "/account/invitation/"), link
    out = run_journey("account_pages", stack, link=link, email=email)
    assert "axe clean" in out
    for name in ("account-invitation", "account-invitation-error", "account-enrol",
                 "account-recovery-codes", "home-agency", "sign-in-errors", "sign-in-code",
                 "accessibility", "privacy", "not-found"):
        assert (SCREENSHOTS / (name + ".png")).stat().st_size > 5000, name

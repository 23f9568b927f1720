"""The admin pages of #21 in chromium (admin.mjs): users, agencies, bank
holidays and API tokens, by keyboard, axe-core on each page, screenshots
under the build's screenshots/."""
from conftest import SCREENSHOTS, enrolled, run_journey


def test_the_admin_pages_by_keyboard(stack, db):
    p = enrolled(stack, db, "ada@council.example", "--role", "admin")
    out = run_journey("admin", stack, email=p["email"], password=p["password"],
                      secret=p["secret"], step=p["step"])
    assert "axe clean" in out
    assert db.psql("SELECT state FROM users WHERE email = 'ivy@police.example'") == "disabled"
    assert db.psql("SELECT count(*) FROM forum_core_agencies "
                   "WHERE agency = 'housing_north' AND forum = 'marac'") == "1"
    assert db.psql("SELECT revoked_at IS NOT NULL FROM api_tokens "
                   "WHERE name = 'Police nightly import'") == "t"
    for n in range(1, 20):
        found = list(SCREENSHOTS.glob("admin-%d-*.png" % n))
        assert found and found[0].stat().st_size > 5000, n

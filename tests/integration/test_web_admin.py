"""The admin pages (#21) at HTTP level, as a browser without JavaScript
gets them: users (invite, change roles, disable and enable, reset a second
factor, the last admin refused as an error on the page), agencies (add,
change), bank holidays (add, remove) and API tokens (create, the secret
shown once, revoke); every destructive change confirmed on a page first;
and the refusals: a coordinator or an agency member cannot reach the
admin-only pages."""
import re

from test_accounts import accounts_conf, invitation_mail, make_person, start_maracd
from test_web_pages import Web, assert_page, enrol_by_forms, invite, location


def admin_browser(db, m, name="ada@admin.example"):
    w, _, _ = enrol_by_forms(m, invite(db, name, "--role", "admin", "--print-link"))
    return w


def user_id(db, address):
    return db.psql("SELECT id FROM users WHERE lower(email) = lower('%s')" % address)


def test_users_through_the_admin_pages(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w = admin_browser(db, m)
        p = w.get("/admin")
        assert_page(p, title="Administration")
        assert 'href="/admin" aria-current="page">Admin</a>' in p.text
        # An admin's navigation keeps one Admin entry, not the coordinator's two.
        nav = p.text[p.text.index('id="navigation"'):p.text.index("</nav>")]
        assert 'href="/admin/users"' not in nav and 'href="/admin/holidays"' not in nav
        for href in ("/admin/users", "/admin/agencies", "/admin/holidays", "/admin/tokens"):
            assert 'href="%s"' % href in p.text
        p = w.get("/admin/users")
        assert_page(p, title="Users")
        assert "ada@admin.example" in p.text and "Administrator" in p.text

        # The invitation: what is missing named at each field, what was typed kept.
        assert_page(w.get("/admin/users/new"), title="Invite a user")
        p = w.post("/admin/users/new", {"email": "bo@police.example", "role": "agency"})
        assert_page(p, 422, title="Invite a user")
        assert 'class="govuk-error-summary"' in p.text
        assert 'href="#display_name"' in p.text and 'href="#agency"' in p.text
        assert 'id="display_name-error"' in p.text and 'id="agency-error"' in p.text
        assert 'value="bo@police.example"' in p.text
        assert 'value="agency" aria-describedby="role-agency-hint" checked' in p.text
        assert location(w.post("/admin/users/new", {
            "email": "bo@police.example", "display_name": "Bo Police", "role": "agency",
            "agency": "police", "areas": ""})) == "/admin/users?done=invited"
        p = w.get("/admin/users?done=invited")
        assert "The invitation has been sent." in p.text and "Bo Police" in p.text
        assert "Agency member (police)" in p.text and "Invited" in p.text
        invitation_mail("bo@police.example")
        bo = user_id(db, "bo@police.example")

        # Roles: the whole set, a row per role and one blank to add.
        p = w.get("/admin/users/" + bo)
        assert_page(p, title="Bo Police")
        assert 'name="roles[0].role"' in p.text and 'name="roles[1].role"' in p.text
        assert '<option value="police" selected>' in p.text
        p = w.post("/admin/users/%s/roles" % bo, {
            "roles[0].role": "agency", "roles[0].agency": "police",
            "roles[1].role": "chair"})
        assert_page(p, 422, title="Bo Police")
        assert 'href="#roles-1-forum"' in p.text and 'id="roles-1-forum-error"' in p.text
        assert "A chair needs a forum" in p.text
        assert location(w.post("/admin/users/%s/roles" % bo, {
            "roles[0].role": "agency", "roles[0].agency": "police",
            "roles[1].role": "chair", "roles[1].forum": "marac",
            "roles[1].areas": "north, south"})) == "/admin/users/%s?done=roles" % bo
        p = w.get("/admin/users/%s?done=roles" % bo)
        assert "The roles have been changed." in p.text
        assert "Chair (marac), areas north, south" in p.text
        # "No role" takes one away.
        assert location(w.post("/admin/users/%s/roles" % bo, {
            "roles[0].role": "agency", "roles[0].agency": "police",
            "roles[1].role": "", "roles[1].forum": "marac"})) == \
            "/admin/users/%s?done=roles" % bo
        assert db.psql("SELECT string_agg(role, ',') FROM user_roles WHERE user_id = %s"
                       % bo) == "agency"

        # Disabling is asked first, then done; enabling needs no question.
        nina_address, _, nina = make_person(db, m, "nina", "--role", "agency",
                                            "--agency", "police")
        nina_id = user_id(db, nina_address)
        p = w.get("/admin/users/%s/disable" % nina_id)
        assert_page(p, title="Disable this account?")
        assert 'action="/admin/users/%s/disable"' % nina_id in p.text
        assert db.psql("SELECT state FROM users WHERE id = %s" % nina_id) == "active"
        assert location(w.post("/admin/users/%s/disable" % nina_id)) == \
            "/admin/users/%s?done=disabled" % nina_id
        assert nina.request("GET", "/v1/whoami").status == 401
        p = w.get("/admin/users/%s?done=disabled" % nina_id)
        assert "Disabled" in p.text and "Enable the account" in p.text
        assert location(w.post("/admin/users/%s/enable" % nina_id)) == \
            "/admin/users/%s?done=enabled" % nina_id
        assert db.psql("SELECT state FROM users WHERE id = %s" % nina_id) == "active"

        # A second factor's reset: asked, done, a new invitation mailed.
        p = w.get("/admin/users/%s/reset-second-factor" % nina_id)
        assert_page(p, title="Reset this person&#39;s second factor?")
        assert location(w.post("/admin/users/%s/reset-second-factor" % nina_id)) == \
            "/admin/users/%s?done=second_factor" % nina_id
        assert db.psql("SELECT state || totp_enrolled::text FROM users WHERE id = %s"
                       % nina_id) == "invitedfalse"
        invitation_mail(nina_address)

        # The last active admin cannot be disabled: the page says so.
        ada = user_id(db, "ada@admin.example")
        p = w.post("/admin/users/%s/disable" % ada)
        assert_page(p, 409, title="Disable this account?")
        assert 'class="govuk-error-summary"' in p.text and 'href="#confirm"' in p.text
        assert "The last active administrator cannot be disabled" in p.text
        assert db.psql("SELECT state FROM users WHERE id = %s" % ada) == "active"
        p = w.post("/admin/users/%s/roles" % ada, {"roles[0].role": "coordinator"})
        assert_page(p, 409)
        assert "must keep the administrator role" in p.text
        assert w.get("/admin").status == 200, "still signed in as an admin"
        assert w.get("/admin/users/999999").status == 404
    finally:
        m.stop()
    m.assert_clean_log()


def test_agencies_holidays_and_tokens_through_the_admin_pages(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        w = admin_browser(db, m)
        # Agencies: the list, a refused form, one added, one changed.
        p = w.get("/admin/agencies")
        assert_page(p, title="Agencies")
        assert 'href="/admin/agencies/police"' in p.text and "MARAC, MASC" in p.text
        assert_page(w.get("/admin/agencies/new"), title="Add an agency")
        p = w.post("/admin/agencies/new", {"code": "Housing North", "email": "x"})
        assert_page(p, 422, title="Add an agency")
        assert 'href="#code"' in p.text and 'href="#name"' in p.text
        assert 'value="Housing North"' in p.text
        p = w.post("/admin/agencies/new", {"code": "housing_north", "name": "North Housing",
                                           "email": "not an address", "core_of[]": "marac"})
        assert_page(p, 422)
        assert 'href="#email"' in p.text and 'id="core_of" name="core_of[]" type="checkbox" ' \
            'value="marac" checked' in p.text
        assert location(w.post("/admin/agencies/new", {
            "code": "housing_north", "name": "North Housing",
            "email": "marac@north.example", "core_of[]": "marac"})) == \
            "/admin/agencies?done=agency_added"
        p = w.get("/admin/agencies?done=agency_added")
        assert "The agency has been added." in p.text and "North Housing" in p.text
        p = w.get("/admin/agencies/housing_north")
        assert_page(p, title="Change an agency")
        assert 'value="marac@north.example"' in p.text
        # The whole form: a blank address clears it, no box ticked no forum.
        assert location(w.post("/admin/agencies/housing_north", {"name": "North Homes"})) == \
            "/admin/agencies?done=agency_saved"
        assert db.psql("SELECT name || coalesce(reminder_email, '-') FROM agencies "
                       "WHERE code = 'housing_north'") == "North Homes-"
        assert db.psql("SELECT count(*) FROM forum_core_agencies "
                       "WHERE agency = 'housing_north'") == "0"
        assert w.get("/admin/agencies/nobody").status == 404

        # Bank holidays: this year's and next, one added, one removed.
        p = w.get("/admin/holidays")
        assert_page(p, title="Bank holidays")
        assert "Friday 25 December 2026" in p.text and "Monday 27 December 2027" in p.text
        p = w.post("/admin/holidays", {"date.day": "31", "date.month": "2",
                                       "date.year": "2027", "name": "Not a day"})
        assert_page(p, 422, title="Bank holidays")
        assert 'href="#date"' in p.text and 'id="date-error"' in p.text
        assert 'value="31"' in p.text and 'value="Not a day"' in p.text
        assert "Friday 25 December 2026" in p.text, "the list is shown again with the form"
        assert location(w.post("/admin/holidays", {"date.day": "14", "date.month": "6",
                                                   "date.year": "2027",
                                                   "name": "Royal celebration"})) == \
            "/admin/holidays?done=holiday_added"
        p = w.get("/admin/holidays?done=holiday_added")
        assert "The bank holiday has been added." in p.text
        assert "2027-06-14" in p.text and "Royal celebration" in p.text
        p = w.get("/admin/holidays/2027-06-14/remove")
        assert_page(p, title="Remove this bank holiday?")
        assert location(w.post("/admin/holidays/2027-06-14/remove")) == \
            "/admin/holidays?done=holiday_removed"
        assert "Royal celebration" not in w.get("/admin/holidays").text
        p = w.post("/admin/holidays/2027-06-15/remove")
        assert_page(p, 404)
        assert "That day is not a bank holiday" in p.text

        # API tokens: made, the secret shown once, working; then revoked.
        p = w.get("/admin/tokens")
        assert_page(p, title="API tokens")
        assert_page(w.get("/admin/tokens/new"), title="Create an API token")
        p = w.post("/admin/tokens/new", {"role": "agency"})
        assert_page(p, 422, title="Create an API token")
        assert 'href="#name"' in p.text and 'href="#agency"' in p.text
        p = w.post("/admin/tokens/new", {"name": "police import", "role": "agency",
                                         "agency": "police", "days": "30"})
        assert_page(p, 201, title="API token created")
        secret = re.search(r'<code class="maracd-secret" id="token">(mrc_[^<]+)</code>',
                           p.text).group(1)
        assert m.request("GET", "/v1/whoami", token=secret).status == 200
        tid = db.psql("SELECT id FROM api_tokens WHERE name = 'police import'")
        p = w.get("/admin/tokens")
        assert "police import" in p.text and "ada@admin.example" in p.text
        assert secret not in p.text, "shown once only"
        p = w.get("/admin/tokens/%s/revoke" % tid)
        assert_page(p, title="Revoke this API token?")
        assert location(w.post("/admin/tokens/%s/revoke" % tid)) == \
            "/admin/tokens?done=token_revoked"
        assert m.request("GET", "/v1/whoami", token=secret).status == 401
        assert w.get("/admin/tokens/%s/revoke" % tid).status == 404, "revoked already"
    finally:
        m.stop()
    m.assert_clean_log()


def test_the_admin_pages_refuse_other_roles(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        # Without a session: to sign in, and back after.
        p = Web(m).get("/admin/tokens")
        assert location(p) == "/sign-in?next=%2Fadmin%2Ftokens"
        coord, _, _ = enrol_by_forms(m, invite(db, "cody@council.example", "--role",
                                               "coordinator", "--print-link"))
        assert location(coord.get("/")) == "/dashboard"
        p = coord.get("/dashboard")
        assert_page(p, title="Dashboard")
        assert 'href="/admin"' not in p.text, "no Admin in a coordinator's navigation"
        # ... but the admin pages it may use, in its navigation.
        nav = p.text[p.text.index('id="navigation"'):p.text.index("</nav>")]
        assert '<a class="govuk-service-navigation__link" href="/admin/users">Users</a>' in nav
        assert ('<a class="govuk-service-navigation__link" href="/admin/holidays">'
                'Bank holidays</a>') in nav
        p = coord.get("/admin/holidays")
        assert ('href="/admin/holidays" aria-current="page">Bank holidays</a>') in p.text
        for path in ("/admin", "/admin/agencies", "/admin/agencies/new",
                     "/admin/agencies/police", "/admin/tokens", "/admin/tokens/new"):
            p = coord.get(path)
            assert_page(p, 403, title="You cannot do this")
        # A coordinator manages the agency members of its areas, and the
        # bank holidays, as the API lets it; not a second factor.
        assert_page(coord.get("/admin/users"), title="Users")
        assert_page(coord.get("/admin/holidays"), title="Bank holidays")
        p = coord.post("/admin/users/new", {"email": "x@council.example",
                                            "display_name": "X", "role": "admin"})
        assert_page(p, 422, title="Invite a user")
        assert "a coordinator invites agency members" in p.text and 'href="#role"' in p.text
        cody = user_id(db, "cody@council.example")
        assert_page(coord.get("/admin/users/%s/reset-second-factor" % cody), 403)
        p = coord.post("/admin/agencies/new", {"code": "x", "name": "X"})
        assert_page(p, 403)
        assert db.psql("SELECT count(*) FROM agencies WHERE code = 'x'") == "0"

        agent, _, _ = enrol_by_forms(m, invite(db, "ann@police.example", "--role", "agency",
                                               "--agency", "police", "--print-link"))
        p = agent.get("/agendas")
        assert_page(p, title="Agendas")
        nav = p.text[p.text.index('id="navigation"'):p.text.index("</nav>")]
        assert "/admin" not in nav, "no admin page in an agency member's navigation"
        for path in ("/admin", "/admin/users", "/admin/users/new", "/admin/holidays",
                     "/admin/agencies", "/admin/tokens"):
            assert_page(agent.get(path), 403, title="You cannot do this")
        p = agent.post("/admin/holidays", {"date.day": "1", "date.month": "6",
                                           "date.year": "2027", "name": "Mine"})
        assert_page(p, 403)
        assert db.psql("SELECT count(*) FROM holiday_overrides WHERE date = '2027-06-01'") == "0"
    finally:
        m.stop()
    m.assert_clean_log()

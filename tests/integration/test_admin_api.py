"""Administration over the API (#21): agencies added and changed, API
tokens listed, made (the secret shown once) and revoked, and a second
factor reset, by an admin only, with the same rules as maracctl (each
decided once, in sql/018_admin.sql) and an audit row for each change."""
import re

from test_accounts import accounts_conf, invitation_mail, make_person, start_maracd


def audit(db, action, object_id):
    return db.psql("SELECT count(*) FROM audit_log WHERE action = '%s' AND object_id = '%s'"
                   % (action, object_id))


def agency(m, token, code):
    r = m.request("GET", "/v1/agencies", token=token)
    assert r.status == 200, r.body
    found = [a for a in r.json()["agencies"] if a["code"] == code]
    return found[0] if found else None


def test_an_admin_adds_and_changes_agencies(maracd, db):
    admin = db.token("admin")
    r = maracd.request("POST", "/v1/agencies", {
        "code": "housing_north", "name": "North Housing",
        "email": "marac@north.example", "core_of": ["marac"]}, token=admin)
    assert r.status == 201, r.body
    assert r.json() == {"code": "housing_north", "name": "North Housing",
                        "email": "marac@north.example", "core_of": ["marac"]}
    assert audit(db, "agency_create", "housing_north") == "1"
    # The urgent alerts and agendas follow the table the API changed.
    assert db.psql("SELECT string_agg(forum, ',') FROM forum_core_agencies "
                   "WHERE agency = 'housing_north'") == "marac"
    # Every caller reads the list (no case data): with address and forums.
    agent = db.token("agency", agency="police")
    police = agency(maracd, agent, "police")
    assert police["email"] == "police@agencies.example"
    assert police["core_of"] == ["marac", "masc"], "the seeded defaults"

    # Each field at fault is named; the table's checks name theirs.
    for body, field in (({"code": "housing_north", "name": "Again"}, "code"),
                        ({"code": "Bad Code", "name": "X"}, "code"),
                        ({"code": "x1", "name": "X", "email": "not an address"}, "email"),
                        ({"code": "x1", "name": "X", "core_of": ["mappa"]}, "core_of[0]"),
                        ({"code": "x1"}, "name"),
                        ({"code": "x1", "name": "X", "colour": "red"}, "colour")):
        r = maracd.request("POST", "/v1/agencies", body, token=admin)
        assert r.status == 422, (body, r.body)
        assert field in [f["field"] for f in r.json()["fields"]], (body, r.body)
    assert agency(maracd, admin, "x1") is None

    # A change leaves out what it does not change; null clears the address.
    r = maracd.request("PATCH", "/v1/agencies/housing_north", {"name": "North Homes"},
                       token=admin)
    assert r.status == 200 and r.json()["email"] == "marac@north.example", r.body
    r = maracd.request("PATCH", "/v1/agencies/housing_north",
                       {"email": None, "core_of": ["masc", "marac"]}, token=admin)
    assert r.status == 200, r.body
    assert r.json() == {"code": "housing_north", "name": "North Homes", "email": None,
                        "core_of": ["marac", "masc"]}
    r = maracd.request("PATCH", "/v1/agencies/housing_north", {"core_of": []}, token=admin)
    assert r.status == 200 and r.json()["core_of"] == [], r.body
    assert audit(db, "agency_update", "housing_north") == "3"
    for path in ("/v1/agencies/nobody", "/v1/agencies/NOT%20ONE"):
        assert maracd.request("PATCH", path, {"name": "X"}, token=admin).status == 404
    r = maracd.request("PATCH", "/v1/agencies/housing_north", {"code": "other"}, token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "code", r.body

    # A coordinator runs the cycle but does not change the deployment's
    # agencies: the database says no; an agency or chair cannot even ask.
    coord = db.token("coordinator")
    r = maracd.request("POST", "/v1/agencies", {"code": "x2", "name": "X"}, token=coord)
    assert r.status == 403 and r.json()["error"] == "forbidden", r.body
    r = maracd.request("PATCH", "/v1/agencies/police", {"name": "X"}, token=coord)
    assert r.status == 403, r.body
    for t in (agent, db.token("chair", forum="marac")):
        assert maracd.request("PATCH", "/v1/agencies/police", {"name": "X"},
                              token=t).status == 403
    assert agency(maracd, admin, "police")["name"] != "X"


def test_maracctl_agency_add_uses_the_same_rules(maracd, db):
    admin = db.token("admin")
    db.ctl("agency", "add", "youth", "--name", "Youth Service", "--core-of", "masc")
    assert agency(maracd, admin, "youth") == {"code": "youth", "name": "Youth Service",
                                              "email": None, "core_of": ["masc"]}
    # Again, without --core-of: the name changes, the forums stay.
    db.ctl("agency", "add", "youth", "--name", "Youth Justice")
    assert agency(maracd, admin, "youth")["core_of"] == ["masc"]
    assert agency(maracd, admin, "youth")["name"] == "Youth Justice"
    db.ctl("agency", "add", "youth", "--name", "Youth Justice", "--core-of", "none")
    assert agency(maracd, admin, "youth")["core_of"] == []
    bad = db.ctl("agency", "add", "youth", "--name", "Y", "--email", "nope", check=False)
    assert bad.returncode != 0
    assert audit(db, "agency_create", "youth") == "1"
    assert audit(db, "agency_update", "youth") == "2"


def test_an_admin_makes_lists_and_revokes_tokens(maracd, db):
    admin = db.token("admin")
    r = maracd.request("POST", "/v1/tokens", {
        "name": "police nightly import", "role": "agency", "agency": "police", "days": 90},
        token=admin)
    assert r.status == 201, r.body
    made = r.json()
    secret = made.pop("token")
    assert re.match(r"^mrc_[A-Za-z0-9_-]{43}_[A-Za-z0-9_-]{6}$", secret), secret
    assert made["role"] == "agency" and made["agency"] == "police" and made["state"] == "active"
    assert db.psql("SELECT expires_at::date - created_at::date FROM api_tokens WHERE id = %d"
                   % made["id"]) == "90"
    # It works, as the role it was given.
    r = maracd.request("GET", "/v1/whoami", token=secret)
    assert r.status == 200 and r.json()["role"] == "agency", r.body
    # Listed without its secret or its hash.
    r = maracd.request("GET", "/v1/tokens", token=admin)
    assert r.status == 200, r.body
    listed = {t["id"]: t for t in r.json()["tokens"]}
    assert listed[made["id"]]["name"] == "police nightly import"
    assert secret not in r.body.decode() and "hash" not in r.body.decode()
    assert any(t["role"] == "job" and t["expires_at"] is None for t in listed.values())
    assert audit(db, "token_create", made["id"]) == "1"

    # Revoked: refused at once; a second revocation finds none in force.
    r = maracd.request("DELETE", "/v1/tokens/%d" % made["id"], token=admin)
    assert r.status == 200 and r.json()["state"] == "revoked", r.body
    assert maracd.request("GET", "/v1/whoami", token=secret).status == 401
    assert maracd.request("DELETE", "/v1/tokens/%d" % made["id"], token=admin).status == 404
    assert maracd.request("DELETE", "/v1/tokens/x", token=admin).status == 404
    assert audit(db, "token_revoke", made["id"]) == "1"
    # maracctl lists it as the API does.
    rows = [l.split("\t") for l in db.ctl("token", "list").stdout.strip().splitlines()]
    assert [r[8] for r in rows[1:] if r[0] == str(made["id"])] == ["revoked"]

    # maracd's job token is maracctl's alone to make and to revoke.
    job = db.psql("SELECT id FROM api_tokens WHERE role = 'job' LIMIT 1")
    r = maracd.request("DELETE", "/v1/tokens/%s" % job, token=admin)
    assert r.status == 403, r.body
    assert db.psql("SELECT revoked_at IS NULL FROM api_tokens WHERE id = %s" % job) == "t"

    # What a token needs, field by field.
    for body, field in (({"name": "x", "role": "job"}, "role"),
                        ({"name": "x", "role": "agency"}, "agency"),
                        ({"name": "x", "role": "chair"}, "forum"),
                        ({"name": "x", "role": "agency", "agency": "nobody"}, "agency"),
                        ({"name": "x", "role": "agency", "agency": "police",
                          "areas": ["north"]}, "areas"),
                        ({"name": "x", "role": "admin", "areas": ["north"],
                          "all_areas": True}, "all_areas"),
                        ({"name": "x", "role": "admin", "days": 0}, "days"),
                        ({"role": "admin"}, "name")):
        r = maracd.request("POST", "/v1/tokens", body, token=admin)
        assert r.status == 422, (body, r.body)
        assert field in [f["field"] for f in r.json()["fields"]], (body, r.body)

    # Nobody but an admin sees or makes tokens: a coordinator is refused by
    # the database, the other roles by the route.
    coord = db.token("coordinator")
    assert maracd.request("GET", "/v1/tokens", token=coord).status == 403
    r = maracd.request("POST", "/v1/tokens", {"name": "x", "role": "admin"}, token=coord)
    assert r.status == 403, r.body
    for t in (db.token("agency", agency="police"), db.token("chair", forum="marac")):
        assert maracd.request("GET", "/v1/tokens", token=t).status == 403


def test_a_token_in_a_deployment_of_several_areas_names_its_areas(maracd, db):
    admin = db.token("admin")
    for area in ("north", "south"):
        db.psql("INSERT INTO series (forum, area, anchor, interval_days, cutoff_workdays) "
                "VALUES ('marac', '%s', '2026-11-05', 28, 8)" % area)
    r = maracd.request("POST", "/v1/tokens", {"name": "x", "role": "coordinator"}, token=admin)
    assert r.status == 422 and r.json()["fields"][0]["field"] == "areas", r.body
    r = maracd.request("POST", "/v1/tokens", {"name": "x", "role": "coordinator",
                                              "all_areas": True}, token=admin)
    assert r.status == 201 and r.json()["areas"] is None, r.body
    r = maracd.request("POST", "/v1/tokens", {"name": "x", "role": "coordinator",
                                              "areas": ["north"]}, token=admin)
    assert r.status == 201 and r.json()["areas"] == ["north"], r.body
    out = db.ctl("token", "create", "--role", "coordinator", "--name", "y", check=False)
    assert out.returncode != 0 and "several areas" in out.stderr


def test_an_admin_resets_a_second_factor(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        _, _, admin = make_person(db, m, "ada", "--role", "admin")
        _, _, coord = make_person(db, m, "cody", "--role", "coordinator")
        nina_address, _, nina = make_person(db, m, "nina", "--role", "agency",
                                            "--agency", "police")
        nina_id = nina.request("GET", "/v1/whoami").json()["user_id"]
        ada_id = admin.request("GET", "/v1/whoami").json()["user_id"]
        url = "/v1/users/%d/reset-second-factor" % nina_id

        # A coordinator manages nina but does not reset second factors.
        r = coord.request("POST", url)
        assert r.status == 403, r.body
        assert nina.request("GET", "/v1/whoami").status == 200

        r = admin.request("POST", url)
        assert r.status == 200 and r.json() == {"id": nina_id, "state": "invited"}, r.body
        # Signed out at once; invited again, by mail, to enrol a new key.
        assert nina.request("GET", "/v1/whoami").status == 401
        users = {u["id"]: u for u in admin.request("GET", "/v1/users").json()["users"]}
        assert users[nina_id]["state"] == "invited"
        assert users[nina_id]["second_factor"] is False
        _, _, link = invitation_mail(nina_address)
        assert link.startswith("/account/invitation/")
        assert db.psql("SELECT count(*) FROM recovery_codes WHERE user_id = %d" % nina_id) == "0"
        assert db.psql("SELECT count(*) FROM audit_log WHERE action = 'user_reset_2fa' "
                       "AND object_id = '%d' AND user_id = %d" % (nina_id, ada_id)) == "1"

        # The only active admin keeps theirs: nobody could sign in as admin.
        r = admin.request("POST", "/v1/users/%d/reset-second-factor" % ada_id)
        assert r.status == 409 and r.json()["error"] == "last_admin", r.body
        assert admin.request("GET", "/v1/whoami").status == 200
        assert admin.request("POST", "/v1/users/999999/reset-second-factor").status == 404
        # The owner (maracctl) may: it is how a locked-out deployment recovers.
        assert db.ctl("user", "reset-2fa", str(ada_id), "--print-link").returncode == 0
    finally:
        m.stop()
    m.assert_clean_log()

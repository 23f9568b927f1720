"""The chair's pages (#21) at HTTP level, as a browser without JavaScript
gets them: the sitting's attendance register (present, apologies,
information sent), confidentiality statement and observers, the cases in
agenda order; a case with its referral, the agencies' research returns
and an earlier action to review; the decision with its new actions,
DRIVE's question, sign-off and an amendment with its reason (and the
error summary when the reason is missing); the decision records with the
SHA-256 each download carries."""
import json
import re

from chaircase import a_case
from referrals import referral, stalking
from test_accounts import accounts_conf, start_maracd
from test_web_pages import assert_page, enrol_by_forms, invite, location


def register_index(page):
    """{agency code: row number} of the register's rows."""
    return {code: int(i) for i, code in re.findall(
        r'name="register\[(\d+)\]\.agency" value="([a-z_]+)"', page.text)}


def test_the_chair_holds_a_sitting_through_the_pages(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        rid, sid, ref, earlier = a_case(m, db)
        w, _, _ = enrol_by_forms(m, invite(db, "chair@marac.example", "--role", "chair",
                                           "--forum", "marac", "--print-link"))
        base = "/sittings/%d/meeting" % sid

        # The sitting: its cases in agenda order, the register, the statement.
        p = w.get(base)
        assert_page(p, title="MARAC sitting of %s" % db.psql(
            "SELECT date FROM sittings WHERE id = %d" % sid))
        assert 'href="%s/%d">%s</a>' % (base, rid, ref) in p.text
        assert "From version 1 of the issued agenda" in p.text
        assert "Information shared at this meeting is confidential" in p.text
        rows = register_index(p)
        assert {"police", "housing", "probation"} <= set(rows)

        # An observer named by organisation only: the API names the field.
        form = {"chair": "Chair Person", "confidentiality_statement": "Keep it here.",
                "register[%d].agency" % rows["police"]: "police",
                "register[%d].status" % rows["police"]: "present",
                "register[%d].name" % rows["police"]: "DS Smith",
                "register[%d].agency" % rows["housing"]: "housing",
                "register[%d].status" % rows["housing"]: "apologies",
                "register[%d].information_sent" % rows["housing"]: "yes",
                "register[%d].agency" % rows["probation"]: "probation",
                "register[%d].status" % rows["probation"]: "apologies",
                "observers[0].organisation": "University",
                "observers[0].confidentiality_signed": "yes"}
        p = w.post(base, form)
        assert_page(p, 422)
        assert 'class="govuk-error-summary"' in p.text
        assert 'href="#observers-0-name"' in p.text and 'id="observers-0-name-error"' in p.text
        assert 'value="DS Smith"' in p.text and 'value="University"' in p.text
        form["observers[0].name"] = "Sam Student"
        assert location(w.post(base, form)) == base
        m_ = json.loads(db.psql("SELECT row_to_json(m) FROM sitting_minutes m "
                                "WHERE sitting_id = %d" % sid))
        assert m_["chair"] == "Chair Person"
        assert m_["attendees"] == [{"agency": "police", "name": "DS Smith"}]
        assert sorted(m_["apologies"], key=lambda a: a["agency"]) == [
            {"agency": "housing", "information_sent": True},
            {"agency": "probation", "information_sent": False}]
        assert m_["observers"] == [{"name": "Sam Student", "organisation": "University",
                                    "confidentiality_signed": True}]
        p = w.get(base)
        assert "1 agency present, 2 sent apologies" in p.text
        i = rows["housing"]
        assert ('id="register-%d-status-apologies" name="register[%d].status" type="radio" '
                'value="apologies" checked' % (i, i)) in p.text
        assert ('name="register[%d].information_sent" type="checkbox" value="yes" checked'
                % i) in p.text

        # The case: the referral in full, the research, the earlier action.
        case = "%s/%d" % (base, rid)
        p = w.get(case)
        assert_page(p, title="Case " + ref)
        assert "Jane Doe" in p.text and "John Roe" in p.text and "A Doe" in p.text
        assert "Two call-outs since the referral" in p.text
        # The lawful basis and the consent in words, not codes.
        assert "<li>Crime and Disorder Act 1998, section 115</li>" in p.text
        assert "crime_and_disorder_act_s115" not in p.text
        assert 'Consent</dt><dd class="govuk-summary-list__value">Not sought</dd>' in p.text
        assert "Offer the perpetrator programme" in p.text
        assert "Will DRIVE or enforcement action increase the risk" in p.text
        # Ticked from the register: police was present.
        assert 'id="attendees-police" name="attendees[]" type="checkbox" value="police" checked' \
            in p.text
        assert 'value="housing" checked' not in p.text

        # An outcome too long: the error summary, and what was typed kept.
        decision = {"attendees[]": "police", "areas.victim": "IDVA to call today",
                    "outcome": "x" * 20001, "drive_increases_risk": "no",
                    "reviews[0].action": str(earlier),
                    "reviews[0].result": "carried_forward"}
        p = w.post(case, decision)
        assert_page(p, 422)
        assert 'href="#outcome"' in p.text and 'id="outcome-error"' in p.text
        assert "IDVA to call today" in p.text
        assert db.psql("SELECT count(*) FROM decisions") == "0"
        decision["outcome"] = "Actions agreed"
        assert location(w.post(case, decision)) == case + "#decision"
        d = json.loads(db.psql("SELECT row_to_json(d) FROM decisions d"))
        assert d["attendees"] == ["police"] and d["areas"] == {"victim": "IDVA to call today"}
        assert d["drive_increases_risk"] is False
        assert db.psql("SELECT result FROM action_reviews WHERE action_id = %d"
                       % earlier) == "carried_forward"

        # A new action: the agency is required; then it is added.
        p = w.post(case + "/actions", {"area": "victim", "description": "Check the tenancy"})
        assert_page(p, 422)
        assert 'href="#agency"' in p.text and "Check the tenancy" in p.text
        assert location(w.post(case + "/actions", {
            "agency": "housing", "area": "victim",
            "description": "Check the tenancy"})) == case + "#actions"
        assert db.psql("SELECT agency || ':' || sitting_id FROM actions "
                       "WHERE description = 'Check the tenancy'") == "housing:%d" % sid
        p = w.get(case)
        assert "Check the tenancy" in p.text and "Not signed off" in p.text

        # Sign-off; then a change needs its reason.
        # Signed by the person: a session has a user and no token (sql/006).
        assert location(w.post(case + "/sign-off")) == case + "#decision"
        assert db.psql("SELECT (signed_off_by IS NULL) || ' ' || (u.email) FROM decisions d "
                       "JOIN users u ON u.id = d.signed_off_user") == "true chair@marac.example"
        p = w.get(case)
        assert "Signed off" in p.text and "Amend the decision" in p.text
        decision["outcome"] = "Actions agreed; police to review bail"
        p = w.post(case, decision)
        assert_page(p, 422)
        assert 'href="#amendment_reason"' in p.text and 'id="amendment_reason-error"' in p.text
        decision["amendment_reason"] = "Bail conditions were missed"
        assert location(w.post(case, decision)) == case + "#decision"
        p = w.get(case)
        assert "Bail conditions were missed" in p.text and "First signed off" in p.text
        assert db.psql("SELECT version FROM decisions") == "2"

        # The records: the hash on the page is the one each download carries,
        # for every case of the sitting (two more listed there, undecided).
        police = db.token("agency", agency="police")
        rids = [rid]
        for n in range(2):
            r = m.request("POST", "/v1/referrals", referral(victim={
                "name": "Victim %d" % n, "dob": "1991-03-0%d" % (n + 1)}), token=police)
            assert r.status == 201 and r.json()["sitting"]["id"] == sid, r.body
            rids.append(r.json()["id"])
        p = w.get("/sittings/%d/records" % sid)
        assert_page(p, title="Decision records of %s" % db.psql(
            "SELECT date FROM sittings WHERE id = %d" % sid))
        shown = re.search(r'id="sitting-sha256">([0-9a-f]{64})<', p.text).group(1)
        case_shown = re.search(r'id="case-%d-sha256">([0-9a-f]{64})<' % rid, p.text).group(1)
        for fmt in ("json", "html", "csv", "pdf"):
            assert 'href="/v1/sittings/%d/record?format=%s"' % (sid, fmt) in p.text
            assert 'href="/v1/referrals/%d/record?format=%s"' % (rid, fmt) in p.text
        got = w.get("/v1/sittings/%d/record?format=json" % sid)
        assert got.status == 200 and got.header("X-Record-SHA256") == shown
        assert json.loads(got.text)["sha256"] == shown
        got = w.get("/v1/referrals/%d/record?format=pdf" % rid)
        assert got.status == 200 and got.header("X-Record-SHA256") == case_shown
        for other in rids[1:]:
            shown_other = re.search(r'id="case-%d-sha256">([0-9a-f]{64})<' % other,
                                    p.text).group(1)
            got = w.get("/v1/referrals/%d/record" % other)
            assert got.status == 200 and got.header("X-Record-SHA256") == shown_other
            assert json.loads(got.text)["sha256"] == shown_other != case_shown

        # Another forum's chair does not learn the sitting exists; an agency may not look.
        w2, _, _ = enrol_by_forms(m, invite(db, "chair@masc.example", "--role", "chair",
                                            "--forum", "masc", "--print-link"))
        assert w2.get(base).status == 404
        assert w2.get(case).status == 404
        w3, _, _ = enrol_by_forms(m, invite(db, "pat@police.example", "--role", "agency",
                                            "--agency", "police", "--print-link"))
        assert w3.get(base).status == 403
    finally:
        m.stop()


def test_a_masc_decision_records_its_structured_outcomes(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        a_case(m, db)
        r = m.request("POST", "/v1/referrals", stalking(), token=db.token("agency",
                                                                             agency="police"))
        assert r.status == 201 and r.json()["forum"] == "masc", r.body
        rid, sid = r.json()["id"], r.json()["sitting"]["id"]
        w, _, _ = enrol_by_forms(m, invite(db, "chair@masc.example", "--role", "chair",
                                           "--forum", "masc", "--print-link"))
        case = "/sittings/%d/meeting/%d" % (sid, rid)
        p = w.get(case)
        assert_page(p, title="Case " + r.json()["reference"])
        # MASC's areas and outcomes; no DRIVE question.
        assert 'name="areas.location"' in p.text and "Will DRIVE" not in p.text
        assert 'name="masc_outcomes.spo[]" type="checkbox" value="applied_for"' in p.text
        assert 'name="masc_outcomes.onward_referrals[]" type="checkbox" value="mappa"' in p.text
        assert location(w.post(case, [("outcome", "SPO to be sought"),
                                      ("masc_outcomes.spo[]", "considered"),
                                      ("masc_outcomes.spo[]", "applied_for"),
                                      ("masc_outcomes.onward_referrals[]", "mappa")])) == \
            case + "#decision"
        assert db.psql("SELECT array_to_string(masc_spo, ',') || '/' || "
                       "array_to_string(masc_onward_referrals, ',') FROM decisions "
                       "WHERE referral_id = %d" % rid) == "considered,applied_for/mappa"
        p = w.get(case)
        assert 'value="applied_for" checked' in p.text and 'value="mappa" checked' in p.text
        assert 'value="breached" checked' not in p.text
    finally:
        m.stop()

"""The agency pages (#20) at HTTP level, as a browser without JavaScript
gets them: a referral made one part per page over a draft, checked (tick
count, criteria, sitting and cutoff), sent and confirmed; the agency's
referrals; its actions with their RAG status in words, a status update
with a note (and the error summary when the note is missing), the
history; the agendas it was invited to, with downloads."""
import re

from test_accounts import accounts_conf, start_maracd
from test_agenda import issue, sittings_generated
from test_web_pages import assert_page, day_words, enrol_by_forms, invite, location

VICTIM = {"external_ref": "WEB-1", "referrer.name": "DC Web",
          "victim.name": "Jane Webb", "victim.dob": "1990-02-01"}


def saved(w, path, step, fields):
    """A part saved with "Save and continue": checked by the API's dry
    run (?check=next) on the way; the page that follows."""
    assert location(w.post(path + step, fields)) == path + step + "?check=next"
    return w.get(path + step + "?check=next")


def draft_steps(w, draft, dash_yes):
    """Every part of the referral, in order, each page saved by its form."""
    path = "/referrals/drafts/%s/" % draft
    p = w.get(path + "victim")
    assert_page(p, title="The victim")
    assert 'aria-current="step"' in p.text
    assert location(saved(w, path, "victim", dict(VICTIM, action="next"))) == path + "perpetrator"
    assert_page(w.get(path + "perpetrator"), title="The perpetrator")
    assert location(saved(w, path, "perpetrator", {"perpetrator.name": "John Roe",
                                                   "perpetrator.in_custody": "no",
                                                   "action": "next"})) == path + "children"
    assert_page(w.get(path + "children"), title="Children")
    assert location(saved(w, path, "children", {"children[0].name": "A Webb",
                                                "children[0].dob": "2015-01-01",
                                                "children[0].resident": "yes",
                                                "action": "next"})) == path + "relationship"
    assert_page(w.get(path + "relationship"), title="Their relationship")
    assert location(saved(w, path, "relationship", {
        "perpetrator.relationship": "ex-partner", "domestic_abuse": "yes",
        "stalking": "no", "action": "next"})) == path + "checklist"
    p = w.get(path + "checklist")
    assert_page(p, title="The risk checklist")
    # maracd's labels: no wording file is configured.
    assert "1. Question 1" in p.text and "27. Question 27" in p.text
    answers = {"dash.answers.%d" % q: "yes" if q <= dash_yes else "no" for q in range(1, 28)}
    assert location(saved(w, path, "checklist", dict(answers, **{
        "dash.version": "dash-2009", "action": "next"}))) == path + "sharing"
    p = w.get(path + "checklist")
    assert 'name="dash.answers.1" type="radio" value="yes" checked' in p.text
    assert_page(w.get(path + "sharing"), title="Lawful basis and consent")


def test_a_referral_made_through_the_pages(db, tmp):
    accounts_conf(db)
    m = start_maracd(db, tmp)
    try:
        sittings_generated(db)
        link = invite(db, "ann@police.example", "--role", "agency", "--agency", "police",
                      "--print-link")
        w, _, _ = enrol_by_forms(m, link)
        p = w.get("/referrals/new")
        assert_page(p, title="Make a referral")
        assert "You have no drafts" in p.text
        made = w.post("/referrals/new")
        path = location(made)
        # The draft API's own Location (/v1/drafts/N) stays out of the page's answer.
        assert made.headers.get_all("Location") == [path], made.headers.get_all("Location")
        assert re.match(r"/referrals/drafts/\d+/victim$", path), path
        draft = re.match(r"/referrals/drafts/(\d+)/victim$", path).group(1)
        draft_steps(w, draft, dash_yes=15)
        # Sharing left empty: the part's page again, with the error
        # summary and an inline error at each input.
        base = "/referrals/drafts/%s/" % draft
        p = saved(w, base, "sharing", {"action": "next"})
        assert_page(p, title="Lawful basis and consent")
        assert 'class="govuk-error-summary"' in p.text
        assert 'href="#lawful_basis"' in p.text and 'href="#consent"' in p.text
        assert 'id="lawful_basis-error"' in p.text and 'id="consent-error"' in p.text
        # The check lists what is missing, each linked to the input on
        # its own page, and offers no button to send.
        p = w.get(base + "check")
        assert_page(p, title="Check your answers")
        assert 'class="govuk-error-summary"' in p.text
        assert 'href="%ssharing?check=show#lawful_basis"' % base in p.text
        assert 'href="%ssharing?check=show#consent"' % base in p.text
        assert "Send the referral" not in p.text
        # A bad date on the victim's page: its page again, what was typed kept.
        p = saved(w, base, "victim", dict(VICTIM, **{"victim.dob": "31/02/1990",
                                                      "action": "next"}))
        assert_page(p, title="The victim")
        assert 'href="#victim-dob"' in p.text and 'id="victim-dob-error"' in p.text
        assert 'value="31/02/1990"' in p.text and 'value="Jane Webb"' in p.text
        assert location(saved(w, base, "victim", dict(VICTIM, action="next"))) == \
            base + "perpetrator"
        # "Save and come back later": the draft is listed under its reference.
        assert location(w.post(base + "sharing", {
            "lawful_basis[]": "crime_and_disorder_act_s115", "consent": "not_sought",
            "action": "later"})) == "/referrals/new"
        p = w.get("/referrals/new")
        assert "WEB-1" in p.text and 'href="%svictim"' % base in p.text
        p = w.get(base + "check")
        assert_page(p, title="Check your answers")
        assert "govuk-error-summary" not in p.text
        assert re.search(r"DASH questions ticked yes</dt><dd[^>]*>15<", p.text), p.text
        assert "Visible high risk" in p.text and ">MARAC" in p.text
        assert "visible_high_risk" not in p.text, "codes are put into words"
        assert "Cutoff for this sitting" in p.text
        assert db.psql("SELECT count(*) FROM referrals") == "0", "a check stores nothing"
        # Sent: the confirmation has the reference, the sitting and its cutoff.
        sent = w.post(base + "submit")
        conf = location(sent)
        assert sent.headers.get_all("Location") == [conf], sent.headers.get_all("Location")
        rid = re.match(r"/referrals/(\d+)/confirmation$", conf).group(1)
        p = w.get(conf)
        assert_page(p, title="Referral made")
        ref = db.psql("SELECT reference FROM referrals WHERE id = %s" % rid)
        sitting = db.psql("SELECT s.date FROM referrals r JOIN sittings s ON s.id = r.sitting_id "
                          "WHERE r.id = %s" % rid)
        assert ref in p.text and day_words(sitting) in p.text and "Cutoff for this sitting" in p.text
        assert db.psql("SELECT count(*) FROM referral_drafts") == "0"
        p = w.get("/referrals")
        assert_page(p, title="Our referrals")
        assert 'href="/referrals/%s">%s</a>' % (rid, ref) in p.text
        p = w.get("/referrals/" + rid)
        assert_page(p, title="Referral")
        assert "Jane Webb" in p.text and "A Webb" in p.text
        # The case's action, its RAG in words, an update with a note.
        chair = db.token("chair", forum="marac")
        r = m.request("POST", "/v1/referrals/%s/actions" % rid,
                      {"agency": "police", "area": "victim", "description": "Safety plan"},
                      token=chair)
        assert r.status == 201, r.body
        aid = r.json()["id"]
        p = w.get("/actions")
        assert_page(p, title="Our actions")
        assert 'href="/actions/%d">Safety plan</a>' % aid in p.text
        assert re.search(r'govuk-tag govuk-tag--(green|yellow)">(On track|Due within 7 days)<',
                         p.text)
        p = w.get("/actions/%d" % aid)
        assert_page(p, title="Action")
        p = w.post("/actions/%d" % aid, {"status": "completed", "note": ""})
        assert_page(p, 422, title="Update the action")
        assert 'class="govuk-error-summary"' in p.text and 'href="#note"' in p.text
        assert 'id="note-error"' in p.text
        assert 'value="completed" checked' in p.text, "the status chosen is kept"
        p = w.post("/actions/%d" % aid, {"status": "bogus", "note": "Typed note"})
        assert_page(p, 422, title="Update the action")
        assert ">Typed note</textarea>" in p.text, "the note typed is kept"
        assert location(w.post("/actions/%d" % aid, {"status": "completed",
                                                     "note": "Plan agreed"})) == \
            "/actions/%d?updated=1" % aid
        p = w.get("/actions/%d?updated=1" % aid)
        assert "The action has been updated." in p.text
        assert "Plan agreed" in p.text and "Closed" in p.text
        # The agenda of the sitting, once issued, in the minimised view.
        sid = db.psql("SELECT sitting_id FROM referrals WHERE id = %s" % rid)
        p = w.get("/agendas")
        assert_page(p, title="Agendas")
        assert "not been sent any agenda" in p.text
        assert issue(m, db.token("admin"), int(sid)).status in (200, 201)
        p = w.get("/agendas")
        assert 'href="/agendas/%s"' % sid in p.text
        p = w.get("/agendas/" + sid)
        assert_page(p, title="Agenda")
        assert ref in p.text and "Jane Webb" not in p.text, "the minimised view"
        assert "/v1/sittings/%s/agenda?format=csv" % sid in p.text
        # The PDF too, minimised as the page is, and counted in words.
        assert ": 1 case." in p.text and ", Cumbria</span>" in p.text
        pdf_href = "/v1/sittings/%s/agenda?format=pdf&amp;version=1" % sid
        assert pdf_href in p.text
        d = w.get(pdf_href.replace("&amp;", "&"))
        assert d.status == 200 and d.body.startswith(b"%PDF-")
        assert b"Jane Webb" not in d.body and ref.encode() in d.body
        # A sitting with no agenda the agency was sent: the not-found page.
        assert w.get("/agendas/999999").status == 404
        # And a draft that is not the person's: not found either.
        assert w.get("/referrals/drafts/999999/victim").status == 404
    finally:
        m.stop()

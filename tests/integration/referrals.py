"""Referral bodies for tests: realistic, with knobs."""
import copy
import itertools

_seq = itertools.count(1)

BASE = {
    "referring_agency": "police",
    "referrer": {"name": "DC Test", "email": "dc.test@police.example", "phone": "01234 567890"},
    "domestic_abuse": True,
    "stalking": False,
    "urgent": False,
    "victim": {"name": "Jane Doe", "dob": "1990-02-01", "gender": "female", "postcode": "CA1 1AA"},
    "perpetrator": {"name": "John Roe", "dob": "1985-05-05", "gender": "male",
                    "relationship": "ex-partner", "in_custody": False, "mappa_level": 0,
                    "on_drive": False, "in_area": True},
    "children": [{"name": "A Doe", "dob": "2015-01-01", "resident": True}],
    "dash": {"version": "dash-2009", "answers": {}},
    "lawful_basis": ["crime_and_disorder_act_s115"],
    "consent": "not_sought",
    "summary": "Free text about the case.",
}


def referral(dash_yes=15, sdash_yes=None, **over):
    """A referral with dash_yes of the 27 DASH questions answered yes."""
    r = copy.deepcopy(BASE)
    r["external_ref"] = "T-%06d" % next(_seq)
    r["dash"]["answers"] = {str(q): q <= dash_yes for q in range(1, 28)}
    if sdash_yes is not None:
        r["sdash"] = {"answers": {str(q): q <= sdash_yes for q in range(1, 12)}}
    for k, v in over.items():
        if v is None:
            r.pop(k, None)
        else:
            r[k] = v
    return r


def stalking(**over):
    """A non-DA stalking referral at medium risk (DASH 8), by an
    acquaintance: an ex-partner's stalking is domestic abuse (the Domestic
    Abuse Act 2021) and is routed as such whatever the flag says."""
    over.setdefault("domestic_abuse", False)
    over.setdefault("stalking", True)
    over.setdefault("perpetrator", dict(BASE["perpetrator"], relationship="acquaintance"))
    return referral(dash_yes=8, **over)


def heard_at(db, rid, date):
    """Referral rid was heard at a sitting held on date: it no longer waits
    for its sitting, so the victim's next referral is not linked to it."""
    db.psql("WITH s AS (INSERT INTO sittings (forum, area, date, cutoff_date, cutoff_at, "
            "origin) SELECT forum, area, '%s', '%s', '%sT00:00:00Z', 'manual' "
            "FROM referrals WHERE id = %d RETURNING id) "
            "UPDATE referrals SET sitting_id = (SELECT id FROM s) WHERE id = %d"
            % (date, date, date, rid, rid))

/*
 * The record as CSV, for coordinators who track actions in spreadsheets.
 *
 * One table, one row per item, the "row" column saying which: minutes
 * (venue, chair, attendees, observers and apologies), statement (the
 * confidentiality statement read out), case, version (a signed version: the sign-off or an amendment),
 * action, change (one entry of an action's history), review.  Columns an
 * item does not have are empty.  Every row carries the hash, so a sheet
 * cut out of the file still says which record it came from.
 */
#include "core/render/record.h"

#include <stdio.h>

#include "core/render/csv.h"

enum col {
	C_SHA, C_ROW, C_SITTING, C_DATE, C_REFERRAL, C_REFERENCE,
	C_REFERRING, C_RISK, C_LAWFUL, C_CONSENT, C_VERSION, C_SIGNED,
	C_DRIVE, C_ATTENDEES, C_ACTION, C_AGENCY, C_AREA, C_TEXT, C_DUE,
	C_STATUS, C_RESULT, C_AT, C_NOTE, C_COUNT
};

static const char *const head[C_COUNT] = {
	"sha256", "row", "sitting_id", "sitting_date", "referral_id",
	"reference", "referring_agency", "risk_level", "lawful_basis",
	"consent", "version", "signed_off_at", "drive_increases_risk",
	"attendees", "action_id", "agency", "area", "text", "due", "status",
	"result", "at", "note"
};

/* A row being filled: pointers into the model, or into nums. */
struct row {
	const char	*f[C_COUNT];
	char		 nums[4][24];
};

struct out {
	struct csv	 csv;
	const char	*sha;
	struct buf	 joined[2];	/* joined lists for this row */
};

static void
row_start(struct row *r, struct out *o, const char *kind,
    const struct record_sitting *s)
{
	for (int i = 0; i < C_COUNT; i++)
		r->f[i] = NULL;
	r->f[C_SHA] = o->sha;
	r->f[C_ROW] = kind;
	snprintf(r->nums[0], sizeof(r->nums[0]), "%lld", (long long)s->id);
	r->f[C_SITTING] = r->nums[0];
	r->f[C_DATE] = s->date;
	buf_reset(&o->joined[0]);
	buf_reset(&o->joined[1]);
}

static void
row_case(struct row *r, const struct record_case *c)
{
	snprintf(r->nums[1], sizeof(r->nums[1]), "%lld",
	    (long long)c->referral_id);
	r->f[C_REFERRAL] = r->nums[1];
	r->f[C_REFERENCE] = c->reference;
}

static void
row_num(struct row *r, int slot, enum col col, long long n)
{
	snprintf(r->nums[slot], sizeof(r->nums[slot]), "%lld", n);
	r->f[col] = r->nums[slot];
}

static void
row_end(struct row *r, struct out *o)
{
	for (int i = 0; i < C_COUNT; i++)
		csv_field(&o->csv, r->f[i]);
	csv_end_row(&o->csv);
	if (buf_failed(&o->joined[0]) || buf_failed(&o->joined[1]))
		o->csv.out->failed = true;
}

static const char *
join(struct buf *b, const struct record_strings *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		buf_puts(b, s->items[i]);
	}
	return buf_str(b);
}

static const char *
tri(enum record_tristate t)
{
	return t == RECORD_UNSET ? NULL : t == RECORD_YES ? "yes" : "no";
}

static void
minutes_row(struct out *o, const struct record_sitting *s)
{
	const struct record_minutes *m = s->minutes;
	struct row r;

	row_start(&r, o, "minutes", s);
	r.f[C_TEXT] = s->venue;
	if (m != NULL) {
		for (size_t i = 0; i < m->nattendees; i++)
			buf_printf(&o->joined[0], "%s%s: %s", i > 0 ? "; " : "",
			    m->attendees[i].agency != NULL ?
			    m->attendees[i].agency : "",
			    m->attendees[i].name != NULL ? m->attendees[i].name : "");
		r.f[C_ATTENDEES] = buf_str(&o->joined[0]);
		for (size_t i = 0; i < m->napologies; i++)
			buf_printf(&o->joined[1], "%sapologies %s (information "
			    "sent: %s)", i > 0 ? "; " : "",
			    m->apologies[i].agency != NULL ? m->apologies[i].agency :
			    "", tri(m->apologies[i].information_sent) != NULL ?
			    tri(m->apologies[i].information_sent) : "unknown");
		for (size_t i = 0; i < m->nobservers; i++)
			buf_printf(&o->joined[1], "%sobserver %s, %s (statement "
			    "signed: %s)", buf_str(&o->joined[1])[0] != '\0' ?
			    "; " : "", m->observers[i].name != NULL ?
			    m->observers[i].name : "", m->observers[i].organisation
			    != NULL ? m->observers[i].organisation : "",
			    tri(m->observers[i].confidentiality_signed) != NULL ?
			    tri(m->observers[i].confidentiality_signed) : "unknown");
		r.f[C_NOTE] = buf_str(&o->joined[1]);
		r.f[C_AGENCY] = m->chair;	/* the chair's name or agency */
		r.f[C_AT] = m->updated_at;
	}
	row_end(&r, o);
	if (m != NULL && m->confidentiality_statement != NULL) {
		row_start(&r, o, "statement", s);
		r.f[C_TEXT] = m->confidentiality_statement;
		row_end(&r, o);
	}
}

static void
decision_rows(struct out *o, const struct record_sitting *s,
    const struct record_case *c)
{
	const struct record_decision *d = c->decision;
	struct row r;

	for (size_t i = 0; i < d->content.nareas; i++) {
		row_start(&r, o, "area", s);
		row_case(&r, c);
		r.f[C_AREA] = d->content.areas[i].area;
		r.f[C_TEXT] = d->content.areas[i].text;
		row_end(&r, o);
	}
	/* MASC's structured outcomes: one row each, the values joined. */
	if (d->content.masc_recorded) {
		row_start(&r, o, "outcome", s);
		row_case(&r, c);
		r.f[C_AREA] = "spo";
		r.f[C_TEXT] = join(&o->joined[0], &d->content.masc_spo);
		row_end(&r, o);
		row_start(&r, o, "outcome", s);
		row_case(&r, c);
		r.f[C_AREA] = "onward_referrals";
		r.f[C_TEXT] = join(&o->joined[0], &d->content.masc_onward_referrals);
		row_end(&r, o);
	}
	for (size_t i = 0; i < d->nversions; i++) {
		const struct record_version *v = &d->versions[i];

		row_start(&r, o, "version", s);
		row_case(&r, c);
		row_num(&r, 2, C_VERSION, v->version);
		r.f[C_AT] = v->at;
		r.f[C_NOTE] = v->reason;
		r.f[C_TEXT] = v->content.outcome;
		row_end(&r, o);
	}
}

static void
action_rows(struct out *o, const struct record_sitting *s,
    const struct record_case *c, const struct record_action *a)
{
	struct row r;

	row_start(&r, o, "action", s);
	row_case(&r, c);
	row_num(&r, 2, C_ACTION, a->id);
	r.f[C_AGENCY] = a->agency;
	r.f[C_AREA] = a->area;
	r.f[C_TEXT] = a->description;
	r.f[C_DUE] = a->due;
	r.f[C_STATUS] = a->status;
	r.f[C_AT] = a->created_at;
	row_end(&r, o);
	for (size_t i = 0; i < a->nhistory; i++) {
		const struct record_change *h = &a->history[i];

		row_start(&r, o, "change", s);
		row_case(&r, c);
		row_num(&r, 2, C_ACTION, a->id);
		r.f[C_AGENCY] = h->agency != NULL ? h->agency : h->role;
		r.f[C_AREA] = h->field;
		buf_printf(&o->joined[0], "%s -> %s", h->from != NULL ? h->from :
		    "", h->to != NULL ? h->to : "");
		r.f[C_TEXT] = buf_str(&o->joined[0]);
		r.f[C_AT] = h->at;
		r.f[C_NOTE] = h->note;
		row_end(&r, o);
	}
}

static void
case_rows(struct out *o, const struct record_sitting *s,
    const struct record_case *c)
{
	const struct record_decision *d = c->decision;
	struct row r;

	row_start(&r, o, "case", s);
	row_case(&r, c);
	r.f[C_REFERRING] = c->referring_agency;
	r.f[C_RISK] = c->risk_level;
	r.f[C_LAWFUL] = join(&o->joined[0], d != NULL ? &d->lawful_basis :
	    &c->lawful_basis);
	r.f[C_CONSENT] = c->consent;
	if (d != NULL) {
		row_num(&r, 2, C_VERSION, d->version);
		r.f[C_SIGNED] = d->signed_off_at;
		r.f[C_DRIVE] = tri(d->content.drive_increases_risk);
		r.f[C_ATTENDEES] = join(&o->joined[1], &d->content.attendees);
		r.f[C_TEXT] = d->content.outcome;
		r.f[C_STATUS] = d->signed_off_at != NULL ? "signed_off" : "draft";
	} else {
		r.f[C_STATUS] = "no_decision";
	}
	row_end(&r, o);
	if (d != NULL)
		decision_rows(o, s, c);
	for (size_t i = 0; i < c->nactions; i++)
		action_rows(o, s, c, &c->actions[i]);
}

static void
review_row(struct out *o, const struct record_sitting *s,
    const struct record_review *v)
{
	struct row r;

	row_start(&r, o, "review", s);
	row_num(&r, 1, C_REFERRAL, v->referral_id);
	r.f[C_REFERENCE] = v->reference;
	row_num(&r, 2, C_ACTION, v->action_id);
	r.f[C_AGENCY] = v->agency;
	r.f[C_AREA] = v->area;
	r.f[C_TEXT] = v->description;
	r.f[C_DUE] = v->due;
	r.f[C_STATUS] = v->status;
	r.f[C_RESULT] = v->result;
	r.f[C_AT] = v->at;
	r.f[C_NOTE] = v->note;
	row_end(&r, o);
}

int
render_record_csv(const struct record *rec, const char *sha256,
    struct buf *out)
{
	struct out o = { .sha = sha256 };

	csv_init(&o.csv, out);
	buf_init(&o.joined[0]);
	buf_init(&o.joined[1]);
	for (int i = 0; i < C_COUNT; i++)
		csv_field(&o.csv, head[i]);
	csv_end_row(&o.csv);
	for (size_t i = 0; i < rec->nsittings; i++) {
		const struct record_sitting *s = &rec->sittings[i];

		minutes_row(&o, s);
		for (size_t j = 0; j < s->ncases; j++)
			case_rows(&o, s, &s->cases[j]);
		for (size_t j = 0; j < s->nreviews; j++)
			review_row(&o, s, &s->reviews[j]);
	}
	buf_free(&o.joined[0]);
	buf_free(&o.joined[1]);
	return buf_failed(out) ? -1 : 0;
}

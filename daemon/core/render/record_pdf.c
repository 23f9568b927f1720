/*
 * The record as PDF (layout, fonts and pagination in pdf.c): the sittings
 * in order, each with its minutes, cases, decisions and actions; the
 * marking at the head and foot of every page, the hash of the canonical
 * JSON at the foot and in the document information.
 */
#include "core/render/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/render/pdf.h"
#include "core/forum.h"

#define MARKING		"OFFICIAL-SENSITIVE"

/* The record being printed: pdf_begin keeps it for us. */
static const struct record *
rec_of(const struct pdf *p)
{
	return p->ctx;
}

static char *
words(const char *code)
{
	char *s = strdup(code != NULL ? code : "");

	for (char *q = s; q != NULL && *q != '\0'; q++)
		if (*q == '_')
			*q = ' ';
	return s;
}

static void
field_words(struct pdf *p, const char *label, const char *code)
{
	char *w = words(code);

	if (w == NULL) {
		p->failed = true;
		return;
	}
	pdf_field(p, label, w);
	free(w);
}

/* A list of codes as words or agency names, joined by ", ". */
static void
field_list(struct pdf *p, const char *label, const struct record_strings *s,
    bool agencies)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < s->n; i++) {
		const char *v = agencies ? record_agency_name(rec_of(p),
		    s->items[i]) : s->items[i];

		if (i > 0)
			buf_puts(&b, ", ");
		for (; *v != '\0'; v++)
			buf_putc(&b, !agencies && *v == '_' ? ' ' : *v);
	}
	if (s->n == 0)
		buf_puts(&b, "none recorded");
	if (buf_failed(&b))
		p->failed = true;
	else
		pdf_field(p, label, buf_str(&b));
	buf_free(&b);
}

static const char *
yes_no(enum record_tristate t)
{
	return t == RECORD_UNSET ? "not answered" : t == RECORD_YES ? "Yes" :
	    "No";
}

static void
minutes(struct pdf *p, const struct record_sitting *s)
{
	const struct record_minutes *m = s->minutes;
	char *line;

	pdf_heading(p, 10, "Minutes");
	if (m == NULL) {
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, "No minutes have been recorded.");
		return;
	}
	pdf_field(p, "Chair", m->chair);
	for (size_t i = 0; i < m->nattendees; i++) {
		if (asprintf(&line, "Attendee: %s, %s",
		    record_agency_name(rec_of(p), m->attendees[i].agency),
		    m->attendees[i].name != NULL ? m->attendees[i].name : "") < 0)
			goto fail;
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, line);
		free(line);
	}
	for (size_t i = 0; i < m->nobservers; i++) {
		if (asprintf(&line, "Observer: %s%s%s%s, confidentiality "
		    "statement signed: %s", m->observers[i].name != NULL ?
		    m->observers[i].name : "", m->observers[i].organisation != NULL ?
		    " (" : "", m->observers[i].organisation != NULL ?
		    m->observers[i].organisation : "",
		    m->observers[i].organisation != NULL ? ")" : "",
		    yes_no(m->observers[i].confidentiality_signed)) < 0)
			goto fail;
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, line);
		free(line);
	}
	for (size_t i = 0; i < m->napologies; i++) {
		if (asprintf(&line, "Apologies: %s, information sent: %s",
		    record_agency_name(rec_of(p), m->apologies[i].agency),
		    yes_no(m->apologies[i].information_sent)) < 0)
			goto fail;
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, line);
		free(line);
	}
	pdf_field(p, "Confidentiality statement", m->confidentiality_statement);
	return;
fail:
	p->failed = true;
}

static void
decision(struct pdf *p, const struct record_case *c)
{
	const struct record_decision *d = c->decision;
	char *line;

	if (d == NULL) {
		pdf_para(p, p->bold, PDF_TEXT_SIZE, 0, "No decision has been recorded.");
		return;
	}
	if (d->signed_off_at != NULL) {
		if (asprintf(&line, "Decision: version %d, signed off %s",
		    d->version, d->signed_off_at) < 0)
			goto fail;
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, line);
		free(line);
	} else {
		pdf_para(p, p->bold, PDF_TEXT_SIZE, 0, "Decision: DRAFT, not signed off");
	}
	field_list(p, "Attendees", &d->content.attendees, true);
	if (forum_of(rec_of(p)->forum) == FORUM_MARAC ||
	    d->content.drive_increases_risk != RECORD_UNSET)
		pdf_field(p, "Enforcement or DRIVE increases risk",
		    yes_no(d->content.drive_increases_risk));
	field_list(p, "Lawful basis", &d->lawful_basis, false);
	pdf_field(p, "Outcome", d->content.outcome);
	if (d->content.masc_recorded) {
		field_list(p, "Stalking Protection Order", &d->content.masc_spo, false);
		field_list(p, "Onward referrals", &d->content.masc_onward_referrals,
		    false);
	}
	for (size_t i = 0; i < d->content.nareas; i++) {
		char *w = words(d->content.areas[i].area);

		if (w == NULL)
			goto fail;
		if (w[0] >= 'a' && w[0] <= 'z')
			w[0] = (char)(w[0] - 'a' + 'A');
		pdf_para(p, p->bold, PDF_TEXT_SIZE, 0, w);
		free(w);
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 12, d->content.areas[i].text);
	}
	for (size_t i = 0; i < d->nversions; i++) {
		const struct record_version *v = &d->versions[i];

		if (asprintf(&line, "Version %d, %s: %s%s", v->version, v->at,
		    v->reason != NULL ? "amended: " : "signed off",
		    v->reason != NULL ? v->reason : "") < 0)
			goto fail;
		pdf_para(p, p->regular, PDF_SMALL_SIZE, 0, line);
		free(line);
	}
	return;
fail:
	p->failed = true;
}

static void
action(struct pdf *p, const struct record_action *a)
{
	char *line, *area = words(a->area), *status = words(a->status);

	if (area == NULL || status == NULL ||
	    asprintf(&line, "Action %lld: %s, %s, due %s, %s", (long long)a->id,
	    record_agency_name(rec_of(p), a->agency), area, a->due, status) < 0) {
		free(area);
		free(status);
		p->failed = true;
		return;
	}
	free(area);
	free(status);
	pdf_gap(p, 2);
	pdf_para(p, p->bold, PDF_TEXT_SIZE, 0, line);
	free(line);
	pdf_para(p, p->regular, PDF_TEXT_SIZE, 12, a->description);
	for (size_t i = 0; i < a->nhistory; i++) {
		const struct record_change *h = &a->history[i];

		/* "status open -> completed: note", "created open" */
		if (asprintf(&line, "%s %s: %s%s%s%s%s%s%s%s", h->at,
		    h->agency != NULL ? h->agency : h->role != NULL ? h->role : "",
		    h->field, h->from != NULL ? " " : "",
		    h->from != NULL ? h->from : "", h->from != NULL ? " ->" : "",
		    h->to != NULL ? " " : "", h->to != NULL ? h->to : "",
		    h->note != NULL ? ": " : "",
		    h->note != NULL ? h->note : "") < 0) {
			p->failed = true;
			return;
		}
		pdf_para(p, p->regular, PDF_SMALL_SIZE, 24, line);
		free(line);
	}
}

static void
one_case(struct pdf *p, const struct record_case *c)
{
	pdf_heading(p, 11, c->reference);
	pdf_field(p, "Referred by", record_agency_name(rec_of(p), c->referring_agency));
	field_words(p, "Risk", c->risk_level);
	field_list(p, "Risk bases", &c->risk_bases, false);
	pdf_field(p, "Repeat", c->repeat ? "Yes" : "No");
	field_words(p, "Consent", c->consent);
	decision(p, c);
	pdf_heading(p, 10, "Actions");
	if (c->nactions == 0)
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, "No actions.");
	for (size_t i = 0; i < c->nactions; i++)
		action(p, &c->actions[i]);
}

static void
reviews(struct pdf *p, const struct record_sitting *s)
{
	char *line;

	if (s->nreviews == 0)
		return;
	pdf_heading(p, 11, "Review of earlier actions");
	for (size_t i = 0; i < s->nreviews; i++) {
		const struct record_review *v = &s->reviews[i];
		char *result = words(v->result);

		if (result == NULL || asprintf(&line, "%s, action %lld: %s, due %s: "
		    "%s", v->reference, (long long)v->action_id,
		    record_agency_name(rec_of(p), v->agency), v->due, result) < 0) {
			free(result);
			p->failed = true;
			return;
		}
		free(result);
		pdf_para(p, p->bold, PDF_TEXT_SIZE, 0, line);
		free(line);
		pdf_para(p, p->regular, PDF_TEXT_SIZE, 12, v->description);
		if (v->note != NULL)
			pdf_field(p, "Note", v->note);
	}
}

static void
sitting(struct pdf *p, const struct record_sitting *s, bool first)
{
	char *line;

	if (!first)
		pdf_new_page(p);
	if (asprintf(&line, "Sitting of %s%s", s->date,
	    strcmp(s->status, "cancelled") == 0 ? " (cancelled)" : "") < 0) {
		p->failed = true;
		return;
	}
	pdf_heading(p, 12, line);
	free(line);
	pdf_field(p, "Venue", s->venue != NULL ? s->venue : "not recorded");
	minutes(p, s);
	for (size_t i = 0; i < s->ncases; i++)
		one_case(p, &s->cases[i]);
	reviews(p, s);
}

int
render_record_pdf(const struct record *rec, const char *sha256,
    struct buf *out)
{
	struct pdf p;
	const char *forum = forum_label_of(rec->forum);
	char title[160], subject[96];

	if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return -1;
	snprintf(title, sizeof(title), "%s decision record: %s %lld", forum,
	    rec->kind == RECORD_SITTING ? "sitting" : "case", (long long)rec->id);
	/* The hash in the document information too, where a tool can read it. */
	snprintf(subject, sizeof(subject), "SHA-256 %s", sha256);
	if (pdf_begin(&p, title, subject, true, rec) != 0)
		return -1;
	pdf_para(&p, p.bold, 14, 0, title);
	pdf_field(&p, "Area", rec->area);
	pdf_field(&p, "SHA-256 of the canonical JSON", sha256);
	for (size_t i = 0; i < rec->nsittings; i++)
		sitting(&p, &rec->sittings[i], i == 0);
	if (rec->nsittings == 0)
		pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0, "Nothing has been recorded.");
	pdf_running(&p, MARKING, subject);
	return pdf_finish(&p, out);
}

/*
 * The record as HTML that prints cleanly on A4, in the agenda's style:
 * the protective marking and the record's SHA-256 on every printed sheet
 * (@page margin boxes) and in the body for browsers that ignore them.
 * Every string from the model goes through html_escape; the hash is hex
 * (checked before it goes into the style sheet).
 */
#include "core/render/record.h"

#include <string.h>

#include "core/render/html.h"
#include "core/forum.h"

#define MARKING "OFFICIAL-SENSITIVE"

static const char style_head[] =
	"@page {\n"
	"  size: A4;\n"
	"  margin: 18mm 12mm 20mm 12mm;\n"
	"  @top-center { content: \"" MARKING "\"; font: bold 9pt sans-serif; }\n"
	"  @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages);"
	" font: 8pt sans-serif; }\n";
static const char style_tail[] =
	"}\n"
	"html { font-family: sans-serif; font-size: 9pt; color: #000;"
	" background: #fff; }\n"
	"body { margin: 0 auto; max-width: 297mm; }\n"
	".marking { text-align: center; font-weight: bold;"
	" letter-spacing: 0.1em; margin: 0.5em 0; }\n"
	".hash { font-family: monospace; font-size: 8pt; overflow-wrap: anywhere; }\n"
	"h1 { font-size: 14pt; margin: 0.5em 0; }\n"
	"h2 { font-size: 12pt; margin: 1em 0 0.5em 0; break-after: avoid;"
	" page-break-after: avoid; }\n"
	"h3 { font-size: 10pt; margin: 1em 0 0.3em 0; break-after: avoid;"
	" page-break-after: avoid; }\n"
	"table { border-collapse: collapse; }\n"
	"table.meta th { text-align: left; padding: 1px 8px 1px 0;"
	" vertical-align: top; }\n"
	"table.meta td { padding: 1px 0; white-space: pre-wrap; }\n"
	"table.grid { width: 100%; }\n"
	"table.grid th, table.grid td { border: 1px solid #000; padding: 2px 4px;"
	" text-align: left; vertical-align: top; overflow-wrap: anywhere;"
	" white-space: pre-wrap; }\n"
	"table.grid th { background: #eee; }\n"
	"thead { display: table-header-group; }\n"
	"tr { break-inside: avoid; page-break-inside: avoid; }\n"
	"ul.history { margin: 2px 0 0 0; padding-left: 1.2em; font-size: 8pt; }\n"
	".draft { font-weight: bold; }\n"
	"section.case { margin-top: 1.5em; }\n"
	"section.sitting + section.sitting { break-before: page;"
	" page-break-before: always; }\n"
	"@media print {\n"
	"  body { max-width: none; }\n"
	"  table.grid th { -webkit-print-color-adjust: exact;"
	" print-color-adjust: exact; }\n"
	"}\n";

static void
text(struct buf *b, const char *s)
{
	html_escape(b, s != NULL ? s : "");
}

/* Codes are snake_case; on paper they read better as words. */
static void
words(struct buf *b, const char *code)
{
	for (const char *p = code != NULL ? code : ""; *p != '\0'; p++) {
		char s[2] = { *p == '_' ? ' ' : *p, '\0' };

		html_escape(b, s);
	}
}

static void
meta_row(struct buf *b, const char *label, const char *value)
{
	buf_printf(b, "<tr><th>%s</th><td>", label);
	text(b, value);
	buf_puts(b, "</td></tr>\n");
}

static void
meta_words(struct buf *b, const char *label, const struct record_strings *s)
{
	buf_printf(b, "<tr><th>%s</th><td>", label);
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		words(b, s->items[i]);
	}
	if (s->n == 0)
		buf_puts(b, "none recorded");
	buf_puts(b, "</td></tr>\n");
}

static const char *
yes_no(enum record_tristate t)
{
	return t == RECORD_UNSET ? "not answered" : t == RECORD_YES ? "Yes" :
	    "No";
}

static void
agencies(struct buf *b, const struct record *rec,
    const struct record_strings *codes)
{
	for (size_t i = 0; i < codes->n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		text(b, record_agency_name(rec, codes->items[i]));
	}
	if (codes->n == 0)
		buf_puts(b, "none recorded");
}

static void
minutes(struct buf *b, const struct record *rec, const struct record_sitting *s)
{
	const struct record_minutes *m = s->minutes;

	buf_puts(b, "<h3>Minutes</h3>\n");
	if (m == NULL) {
		buf_puts(b, "<p>No minutes have been recorded.</p>\n");
		return;
	}
	buf_puts(b, "<table class=\"meta\">\n");
	meta_row(b, "Chair", m->chair);
	buf_puts(b, "<tr><th>Attendees</th><td>");
	for (size_t i = 0; i < m->nattendees; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		text(b, record_agency_name(rec, m->attendees[i].agency));
		buf_puts(b, ": ");
		text(b, m->attendees[i].name);
	}
	buf_puts(b, "</td></tr>\n<tr><th>Observers</th><td>");
	for (size_t i = 0; i < m->nobservers; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		text(b, m->observers[i].name);
		if (m->observers[i].organisation != NULL) {
			buf_puts(b, " (");
			text(b, m->observers[i].organisation);
			buf_puts(b, ")");
		}
		buf_printf(b, ", confidentiality statement signed: %s",
		    yes_no(m->observers[i].confidentiality_signed));
	}
	buf_puts(b, "</td></tr>\n<tr><th>Apologies</th><td>");
	for (size_t i = 0; i < m->napologies; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		text(b, record_agency_name(rec, m->apologies[i].agency));
		buf_printf(b, ", information sent: %s",
		    yes_no(m->apologies[i].information_sent));
	}
	buf_puts(b, "</td></tr>\n");
	meta_row(b, "Confidentiality statement", m->confidentiality_statement);
	buf_puts(b, "</table>\n");
}

static void
decision(struct buf *b, const struct record *rec, const struct record_case *c)
{
	const struct record_decision *d = c->decision;

	if (d == NULL) {
		buf_puts(b, "<p class=\"draft\">No decision has been recorded.</p>\n");
		return;
	}
	buf_puts(b, "<table class=\"meta\">\n<tr><th>Decision</th><td>");
	if (d->signed_off_at != NULL) {
		buf_printf(b, "version %d, signed off ", d->version);
		text(b, d->signed_off_at);
	} else {
		buf_puts(b, "<span class=\"draft\">DRAFT: not signed off</span>");
	}
	buf_puts(b, "</td></tr>\n<tr><th>Attendees</th><td>");
	agencies(b, rec, &d->content.attendees);
	buf_puts(b, "</td></tr>\n");
	if (forum_of(rec->forum) == FORUM_MARAC ||
	    d->content.drive_increases_risk != RECORD_UNSET)
		meta_row(b, "Enforcement or DRIVE increases risk",
		    yes_no(d->content.drive_increases_risk));
	meta_words(b, "Lawful basis", &d->lawful_basis);
	meta_row(b, "Outcome", d->content.outcome);
	if (d->content.masc_recorded) {
		meta_words(b, "Stalking Protection Order", &d->content.masc_spo);
		meta_words(b, "Onward referrals", &d->content.masc_onward_referrals);
	}
	buf_puts(b, "</table>\n");
	if (d->content.nareas > 0) {
		buf_puts(b, "<table class=\"grid\">\n<thead><tr><th>Area</th>"
		    "<th>Decision</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < d->content.nareas; i++) {
			buf_puts(b, "<tr><td>");
			words(b, d->content.areas[i].area);
			buf_puts(b, "</td><td>");
			text(b, d->content.areas[i].text);
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n");
	}
	for (size_t i = 0; i < d->nversions; i++) {
		const struct record_version *v = &d->versions[i];

		if (i == 0)
			buf_puts(b, "<h3>Signed versions</h3>\n<ul>\n");
		buf_printf(b, "<li>Version %d, ", v->version);
		text(b, v->at);
		if (v->reason != NULL) {
			buf_puts(b, ": amended: ");
			text(b, v->reason);
		} else {
			buf_puts(b, ": signed off");
		}
		buf_puts(b, "</li>\n");
		if (i + 1 == d->nversions)
			buf_puts(b, "</ul>\n");
	}
}

static void
history(struct buf *b, const struct record_action *a)
{
	if (a->nhistory == 0)
		return;
	buf_puts(b, "<ul class=\"history\">\n");
	for (size_t i = 0; i < a->nhistory; i++) {
		const struct record_change *h = &a->history[i];

		buf_puts(b, "<li>");
		text(b, h->at);
		buf_puts(b, " ");
		text(b, h->agency != NULL ? h->agency : h->role);
		buf_puts(b, ": ");
		words(b, h->field);
		if (h->from != NULL) {
			buf_puts(b, " ");
			text(b, h->from);
			buf_puts(b, " &rarr;");
		}
		if (h->to != NULL) {
			buf_puts(b, " ");
			text(b, h->to);
		}
		if (h->note != NULL) {
			buf_puts(b, " (");
			text(b, h->note);
			buf_puts(b, ")");
		}
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

static void
actions(struct buf *b, const struct record *rec, const struct record_case *c)
{
	buf_puts(b, "<h3>Actions</h3>\n");
	if (c->nactions == 0) {
		buf_puts(b, "<p>No actions.</p>\n");
		return;
	}
	buf_puts(b, "<table class=\"grid actions\">\n<thead><tr><th>No.</th>"
	    "<th>Agency</th><th>Area</th><th>Action</th><th>Due</th>"
	    "<th>Status</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < c->nactions; i++) {
		const struct record_action *a = &c->actions[i];

		buf_printf(b, "<tr><td>%lld</td><td>", (long long)a->id);
		text(b, record_agency_name(rec, a->agency));
		buf_puts(b, "</td><td>");
		words(b, a->area);
		buf_puts(b, "</td><td>");
		text(b, a->description);
		history(b, a);
		buf_puts(b, "</td><td>");
		text(b, a->due);
		buf_puts(b, "</td><td>");
		words(b, a->status);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

static void
one_case(struct buf *b, const struct record *rec, const struct record_case *c)
{
	buf_puts(b, "<section class=\"case\">\n<h2>");
	text(b, c->reference);
	buf_puts(b, "</h2>\n<table class=\"meta\">\n");
	meta_row(b, "Referred by", record_agency_name(rec, c->referring_agency));
	buf_puts(b, "<tr><th>Risk</th><td>");
	words(b, c->risk_level);
	if (c->risk_bases.n > 0) {
		buf_puts(b, " (");
		for (size_t i = 0; i < c->risk_bases.n; i++) {
			if (i > 0)
				buf_puts(b, ", ");
			words(b, c->risk_bases.items[i]);
		}
		buf_puts(b, ")");
	}
	buf_printf(b, "</td></tr>\n<tr><th>Repeat</th><td>%s</td></tr>\n",
	    c->repeat ? "Yes" : "No");
	buf_puts(b, "<tr><th>Consent</th><td>");
	words(b, c->consent);
	buf_puts(b, "</td></tr>\n</table>\n");
	decision(b, rec, c);
	actions(b, rec, c);
	buf_puts(b, "</section>\n");
}

static void
reviews(struct buf *b, const struct record *rec, const struct record_sitting *s)
{
	if (s->nreviews == 0)
		return;
	buf_puts(b, "<h2>Review of earlier actions</h2>\n<table class=\"grid\">\n"
	    "<thead><tr><th>Case</th><th>Agency</th><th>Action</th><th>Due</th>"
	    "<th>Result</th><th>Note</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < s->nreviews; i++) {
		const struct record_review *v = &s->reviews[i];

		buf_puts(b, "<tr><td>");
		text(b, v->reference);
		buf_puts(b, "</td><td>");
		text(b, record_agency_name(rec, v->agency));
		buf_puts(b, "</td><td>");
		text(b, v->description);
		buf_puts(b, "</td><td>");
		text(b, v->due);
		buf_puts(b, "</td><td>");
		words(b, v->result);
		buf_puts(b, "</td><td>");
		text(b, v->note);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

static void
sitting(struct buf *b, const struct record *rec, const struct record_sitting *s)
{
	buf_puts(b, "<section class=\"sitting\">\n<h2>Sitting of ");
	text(b, s->date);
	if (strcmp(s->status, "cancelled") == 0)
		buf_puts(b, " (cancelled)");
	buf_puts(b, "</h2>\n<table class=\"meta\">\n");
	meta_row(b, "Venue", s->venue != NULL ? s->venue : "not recorded");
	buf_printf(b, "<tr><th>Cases</th><td>%zu</td></tr>\n</table>\n",
	    s->ncases);
	minutes(b, rec, s);
	for (size_t i = 0; i < s->ncases; i++)
		one_case(b, rec, &s->cases[i]);
	reviews(b, rec, s);
	buf_puts(b, "</section>\n");
}

static bool
is_hex(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

int
render_record_html(const struct record *rec, const char *sha256,
    struct buf *b)
{
	const char *forum = forum_label_of(rec->forum);

	if (!is_hex(sha256))
		return -1;
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	text(b, forum);
	buf_puts(b, " decision record</title>\n<style>\n");
	buf_puts(b, style_head);
	buf_printf(b, "  @bottom-left { content: \"SHA-256 %s\";"
	    " font: 6.5pt monospace; }\n", sha256);
	buf_puts(b, style_tail);
	buf_puts(b, "</style>\n</head>\n<body>\n<p class=\"marking\">" MARKING
	    "</p>\n<header>\n<h1>");
	text(b, forum);
	buf_printf(b, " decision record: %s %lld</h1>\n<table class=\"meta\">\n",
	    rec->kind == RECORD_SITTING ? "sitting" : "case", (long long)rec->id);
	meta_row(b, "Forum", forum);
	meta_row(b, "Area", rec->area);
	buf_printf(b, "<tr><th>SHA-256</th><td class=\"hash\">%s</td></tr>\n"
	    "</table>\n</header>\n<main>\n", sha256);
	if (rec->nsittings == 0)
		buf_puts(b, "<p>Nothing has been recorded.</p>\n");
	for (size_t i = 0; i < rec->nsittings; i++)
		sitting(b, rec, &rec->sittings[i]);
	buf_printf(b, "</main>\n<footer>\n<p class=\"hash\">SHA-256 of the "
	    "record's canonical JSON: %s</p>\n<p class=\"marking\">" MARKING
	    "</p>\n</footer>\n</body>\n</html>\n", sha256);
	return buf_failed(b) ? -1 : 0;
}

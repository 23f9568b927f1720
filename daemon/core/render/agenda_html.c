/*
 * The agenda as HTML that prints cleanly on A4, landscape: twelve columns
 * do not fit a portrait sheet without breaking references and words (the
 * Chromium print test showed it).  Short cells never wrap; the bases and
 * the officer wrap between words.
 *
 * Chromium (and the headless print in the integration test) honours the
 * @page margin boxes, which repeat the protective marking and the page
 * number on every sheet; the marking is also in the body, top and bottom,
 * for browsers that ignore margin boxes and for the screen.
 */
#include "core/render/agenda.h"

#include "core/render/agenda_text.h"
#include "core/render/html.h"

#define MARKING AGENDA_MARKING

static const char style[] =
	"@page {\n"
	"  size: A4 landscape;\n"
	"  margin: 18mm 12mm 18mm 12mm;\n"
	"  @top-center { content: \"" MARKING "\";"
	" font: bold 9pt sans-serif; }\n"
	"  @bottom-center { content: \"" MARKING "\";"
	" font: bold 9pt sans-serif; }\n"
	"  @bottom-right { content: \"Page \" counter(page)"
	" \" of \" counter(pages); font: 8pt sans-serif; }\n"
	"}\n"
	"html { font-family: sans-serif; font-size: 9pt; color: #000;"
	" background: #fff; }\n"
	"body { margin: 0 auto; max-width: 297mm; }\n"
	".marking { text-align: center; font-weight: bold;"
	" letter-spacing: 0.1em; margin: 0.5em 0; }\n"
	"h1 { font-size: 14pt; margin: 0.5em 0; }\n"
	"h2 { font-size: 11pt; margin: 0 0 0.5em 0; break-after: avoid;"
	" page-break-after: avoid; }\n"
	"table { border-collapse: collapse; }\n"
	"table.meta th { text-align: left; padding: 1px 8px 1px 0; }\n"
	"table.meta td { padding: 1px 0; }\n"
	"table.cases { width: 100%; }\n"
	"table.cases th, table.cases td { border: 1px solid #000;"
	" padding: 2px 4px; text-align: left; vertical-align: top;"
	" overflow-wrap: break-word; }\n"
	"td.reference, td.age, td.children, td.risk, td.repeat, td.urgent"
	" { white-space: nowrap; }\n"
	"table.cases th { background: #eee; }\n"
	"thead { display: table-header-group; }\n"
	"tr { break-inside: avoid; page-break-inside: avoid; }\n"
	"tr.high td.risk { font-weight: bold; }\n"
	"header { margin-bottom: 1em; }\n"
	"section.group { margin-top: 1.5em; }\n"
	"section.group + section.group { break-before: page;"
	" page-break-before: always; }\n"
	"@media print {\n"
	"  body { max-width: none; }\n"
	"  section.group { margin-top: 0; }\n"
	"  table.cases th { -webkit-print-color-adjust: exact;"
	" print-color-adjust: exact; }\n"
	"}\n";

/* Plain text of the agenda's words (agenda_text.h), escaped. */
static void
escaped(struct buf *b, struct buf *tmp)
{
	if (buf_failed(tmp))
		b->failed = true;
	else
		html_escape(b, buf_str(tmp));
	buf_reset(tmp);
}

static void
cell(struct buf *b, const char *cls, const char *text)
{
	if (cls != NULL)
		buf_printf(b, "<td class=\"%s\">", cls);
	else
		buf_puts(b, "<td>");
	html_escape(b, text);
	buf_puts(b, "</td>");
}

static void
header(struct buf *b, const struct agenda *a, struct buf *tmp)
{
	const char *forum = forum_label(a->forum);

	buf_puts(b, "<header>\n<h1>");
	html_escape(b, forum);
	buf_puts(b, " agenda</h1>\n<table class=\"meta\">\n");
	buf_printf(b, "<tr><th>Forum</th><td>%s</td></tr>\n", forum);
	buf_puts(b, "<tr><th>Area</th><td>");
	html_escape(b, a->area_name);
	buf_puts(b, "</td></tr>\n<tr><th>Sitting</th><td>");
	agenda_text_date(tmp, a->date);
	escaped(b, tmp);
	buf_puts(b, "</td></tr>\n");
	if (a->venue != NULL) {
		buf_puts(b, "<tr><th>Venue</th><td>");
		html_escape(b, a->venue);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "<tr><th>Referral cutoff</th><td>");
	agenda_text_date(tmp, a->cutoff);
	escaped(b, tmp);
	buf_puts(b, "</td></tr>\n");
	buf_printf(b, "<tr><th>Cases</th><td>%zu</td></tr>\n", a->ncases);
	buf_puts(b, "<tr><th>Version</th><td>");
	agenda_text_version(tmp, a);
	escaped(b, tmp);
	buf_puts(b, "</td></tr>\n</table>\n</header>\n");
}

static void
column_heads(struct buf *b, const struct agenda *a)
{
	buf_puts(b, "<thead><tr><th>Reference</th><th>Victim</th>"
	    "<th>Age</th><th>Perpetrator</th><th>Children</th>"
	    "<th>Risk</th><th>Bases</th><th>Repeat</th><th>Urgent</th>");
	/* DRIVE is a MARAC process; a MASC column would say nothing. */
	if (a->forum == FORUM_MARAC)
		buf_puts(b, "<th>DRIVE</th>");
	buf_puts(b, "<th>Officer</th></tr></thead>\n");
}

static void
victim_cell(struct buf *b, const struct agenda_case *c, struct buf *tmp)
{
	buf_puts(b, "<td class=\"victim\">");
	agenda_text_victim(tmp, c);
	escaped(b, tmp);
	buf_puts(b, "</td>");
}

static void
bases_cell(struct buf *b, const struct agenda_case *c, struct buf *tmp)
{
	buf_puts(b, "<td class=\"bases\">");
	agenda_text_bases(tmp, c);
	escaped(b, tmp);
	buf_puts(b, "</td>");
}

/*
 * The case's reference and, one line each, the referrals linked to it:
 * who else referred, under which reference, at what risk (the row's risk
 * is the highest of them).
 */
static void
reference_cell(struct buf *b, const struct agenda_case *c, struct buf *tmp)
{
	buf_puts(b, "<td class=\"reference\">");
	html_escape(b, c->reference);
	for (size_t i = 0; i < c->nlinked; i++) {
		buf_puts(b, "<br><span class=\"linked\">");
		agenda_text_linked(tmp, &c->linked[i]);
		escaped(b, tmp);
		buf_puts(b, "</span>");
	}
	if (c->nlinked > 0) {
		buf_puts(b, "<br><span class=\"linked\">");
		agenda_text_own_risk(tmp, c);
		escaped(b, tmp);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</td>");
}

static void
case_row(struct buf *b, const struct agenda *a, const struct agenda_case *c,
    struct buf *tmp)
{
	buf_printf(b, "<tr class=\"%s\">", agenda_risk_name(c->risk));
	reference_cell(b, c, tmp);
	victim_cell(b, c, tmp);
	if (c->victim_age >= 0)
		buf_printf(b, "<td class=\"age\">%d</td>", c->victim_age);
	else
		cell(b, "age", "unknown");
	cell(b, "perpetrator", agenda_text_perpetrator(c));
	buf_printf(b, "<td class=\"children\">%d</td>", c->children);
	cell(b, "risk", agenda_risk_label(c->risk));
	bases_cell(b, c, tmp);
	cell(b, "repeat", c->repeat ? "Yes" : "No");
	cell(b, "urgent", c->urgent ? "Yes" : "No");
	if (a->forum == FORUM_MARAC)
		cell(b, "drive", agenda_drive_label(c->drive));
	cell(b, "officer", c->officer != NULL ? c->officer : "");
	buf_puts(b, "</tr>\n");
}

static void
group(struct buf *b, const struct agenda *a, const struct agenda_group *g,
    struct buf *tmp)
{
	buf_puts(b, "<section class=\"group\">\n<h2>");
	agenda_text_group(tmp, g);
	escaped(b, tmp);
	buf_puts(b, "</h2>\n<table class=\"cases\">\n");
	column_heads(b, a);
	buf_puts(b, "<tbody>\n");
	for (size_t i = 0; i < g->count; i++)
		case_row(b, a, &a->cases[g->first + i], tmp);
	buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

int
render_agenda_html(const struct agenda *a, struct buf *b)
{
	const char *forum = forum_label(a->forum);
	char date[DATE_STRLEN];
	struct buf tmp;

	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_escape(b, forum);
	buf_puts(b, " agenda: ");
	html_escape(b, a->area_name);
	buf_printf(b, ", %s</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    date_format(a->date, date), style);
	buf_puts(b, "<p class=\"marking\">" MARKING "</p>\n");
	buf_init(&tmp);
	header(b, a, &tmp);
	buf_puts(b, "<main>\n");
	if (a->ngroups == 0)
		buf_puts(b, "<p>No cases are listed for this sitting.</p>\n");
	for (size_t i = 0; i < a->ngroups; i++)
		group(b, a, &a->groups[i], &tmp);
	buf_free(&tmp);
	buf_puts(b, "</main>\n<p class=\"marking\">" MARKING "</p>\n"
	    "</body>\n</html>\n");
	return buf_failed(b) ? -1 : 0;
}

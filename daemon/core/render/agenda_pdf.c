/*
 * The agenda as PDF (layout, fonts and pagination in pdf.c), for readers
 * who want a file to print or keep rather than a web page: the same
 * header and, agency by agency, the same cases and columns as the HTML
 * (agenda_html.c), in the same words (agenda_text.c).  A4 portrait has
 * no room for the HTML's twelve columns, so each case is a block: its
 * reference and risk in bold, then one line a column.
 *
 * Nothing here reads a clock or draws at random, and libharu writes no
 * date or document ID unless asked, so an issued version prints to the
 * same bytes every time.  The page streams are left uncompressed: an
 * agenda is small, and its text can be checked in the bytes.
 */
#include "core/render/agenda.h"

#include <stdio.h>

#include "core/render/agenda_text.h"
#include "core/render/pdf.h"

#define INDENT	12.0f

/*
 * One line of the case block: "label: " and the text in tmp (emptied);
 * where the HTML leaves a cell empty, a line says so.
 */
static void
line(struct pdf *p, const char *label, struct buf *tmp)
{
	struct buf l;

	buf_init(&l);
	buf_printf(&l, "%s: %s", label, tmp->len > 0 ? buf_str(tmp) : "none recorded");
	if (buf_failed(&l) || buf_failed(tmp))
		p->failed = true;
	else
		pdf_para(p, p->regular, PDF_TEXT_SIZE, INDENT, buf_str(&l));
	buf_free(&l);
	buf_reset(tmp);
}

static void
header(struct pdf *p, const struct agenda *a, struct buf *tmp)
{
	buf_printf(tmp, "%s agenda", forum_label(a->forum));
	pdf_heading(p, 16, buf_str(tmp));
	buf_reset(tmp);
	pdf_gap(p, 4);
	pdf_field(p, "Forum", forum_label(a->forum));
	pdf_field(p, "Area", a->area_name);
	agenda_text_date(tmp, a->date);
	pdf_field(p, "Sitting", buf_str(tmp));
	buf_reset(tmp);
	if (a->venue != NULL)
		pdf_field(p, "Venue", a->venue);
	agenda_text_date(tmp, a->cutoff);
	pdf_field(p, "Referral cutoff", buf_str(tmp));
	buf_reset(tmp);
	buf_printf(tmp, "%zu", a->ncases);
	pdf_field(p, "Cases", buf_str(tmp));
	buf_reset(tmp);
	agenda_text_version(tmp, a);
	pdf_field(p, "Version", buf_str(tmp));
	buf_reset(tmp);
}

static void
case_block(struct pdf *p, const struct agenda *a, const struct agenda_case *c,
    struct buf *tmp)
{
	/* The heading keeps the block's first lines on its page. */
	buf_printf(tmp, "%s: %s risk", c->reference, agenda_risk_label(c->risk));
	pdf_heading(p, PDF_TEXT_SIZE + 1, buf_str(tmp));
	buf_reset(tmp);
	for (size_t i = 0; i < c->nlinked; i++) {
		agenda_text_linked(tmp, &c->linked[i]);
		pdf_para(p, p->regular, PDF_TEXT_SIZE, INDENT, buf_str(tmp));
		buf_reset(tmp);
	}
	if (c->nlinked > 0) {
		agenda_text_own_risk(tmp, c);
		pdf_para(p, p->regular, PDF_TEXT_SIZE, INDENT, buf_str(tmp));
		buf_reset(tmp);
	}
	agenda_text_victim(tmp, c);
	line(p, "Victim", tmp);
	if (c->victim_age >= 0)
		buf_printf(tmp, "%d", c->victim_age);
	else
		buf_puts(tmp, "unknown");
	line(p, "Age", tmp);
	buf_puts(tmp, agenda_text_perpetrator(c));
	line(p, "Perpetrator", tmp);
	buf_printf(tmp, "%d", c->children);
	line(p, "Children", tmp);
	agenda_text_bases(tmp, c);
	line(p, "Bases", tmp);
	buf_printf(tmp, "%s, urgent: %s", c->repeat ? "Yes" : "No",
	    c->urgent ? "Yes" : "No");
	line(p, "Repeat", tmp);
	/* DRIVE is a MARAC process; a MASC line would say nothing. */
	if (a->forum == FORUM_MARAC) {
		buf_puts(tmp, agenda_drive_label(c->drive));
		line(p, "DRIVE", tmp);
	}
	buf_puts(tmp, c->officer != NULL ? c->officer : "");
	line(p, "Officer", tmp);
	pdf_gap(p, 4);
}

static void
group(struct pdf *p, const struct agenda *a, const struct agenda_group *g,
    struct buf *tmp)
{
	agenda_text_group(tmp, g);
	pdf_heading(p, 12, buf_str(tmp));
	buf_reset(tmp);
	for (size_t i = 0; i < g->count; i++)
		case_block(p, a, &a->cases[g->first + i], tmp);
}

int
render_agenda_pdf(const struct agenda *a, struct buf *out)
{
	const char *forum = forum_label(a->forum);
	char title[96], foot[160], date[DATE_STRLEN];
	struct buf tmp;
	struct pdf p;

	/* The foot is ASCII (pdf.h): the area's code, never its name. */
	snprintf(title, sizeof(title), "%s agenda, %s, %s", forum, a->area,
	    date_format(a->date, date));
	if (agenda_is_draft(a))
		snprintf(foot, sizeof(foot), "maracd: %s, draft", title);
	else
		snprintf(foot, sizeof(foot), "maracd: %s, version %d", title,
		    a->version);
	if (pdf_begin(&p, title, NULL, false, a) != 0)
		return -1;
	buf_init(&tmp);
	header(&p, a, &tmp);
	if (a->ngroups == 0) {
		pdf_gap(&p, 6);
		pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0,
		    "No cases are listed for this sitting.");
	}
	for (size_t i = 0; i < a->ngroups; i++)
		group(&p, a, &a->groups[i], &tmp);
	if (buf_failed(&tmp))
		p.failed = true;
	buf_free(&tmp);
	pdf_running(&p, AGENDA_MARKING, foot);
	return pdf_finish(&p, out);
}

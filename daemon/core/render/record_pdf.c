/*
 * The record as PDF, through libharu: A4, Helvetica (a standard font, so
 * nothing is embedded) in WinAnsi encoding.
 *
 * Layout is a single column flowing down the page: each line is measured
 * with the font's widths and wrapped at spaces (a word wider than the
 * column is cut), and a line that would cross the bottom margin starts a
 * new page.  The running head and foot (marking, hash, "Page n of N") are
 * drawn when the body is done, because only then is N known; libharu
 * keeps every page open for drawing until the document is saved.
 *
 * libharu reports errors through a callback; it is recorded and the
 * document is abandoned at the end, so one check covers every call.  The
 * document is built in memory (HPDF_SaveToStream): no file is touched.
 */
#include "core/render/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "core/render/winansi.h"

#define MARKING		"OFFICIAL-SENSITIVE"
#define PAGE_W		595.276f	/* A4 in points */
#define PAGE_H		841.89f
#define MARGIN_X	50.0f
#define BODY_TOP	(PAGE_H - 62.0f)
#define BODY_BOTTOM	62.0f
#define COL_W		(PAGE_W - 2 * MARGIN_X)
#define LEADING		1.3f
#define TEXT_SIZE	9.0f
#define SMALL_SIZE	7.5f

struct pdf {
	HPDF_Doc	 doc;
	HPDF_Font	 regular;
	HPDF_Font	 bold;
	HPDF_Page	*pages;
	size_t		 npages;
	size_t		 cap;
	float		 y;		/* baseline of the last line drawn */
	bool		 failed;
	struct buf	 text;		/* WinAnsi bytes of the current paragraph */
	struct buf	 line;		/* one line of it, NUL-terminated */
	const struct record *rec;
};

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	struct pdf *p = arg;

	(void)error;
	(void)detail;
	p->failed = true;
}

static void
new_page(struct pdf *p)
{
	HPDF_Page page, *grown;

	if (p->failed)
		return;
	if (p->npages == p->cap) {
		p->cap = p->cap == 0 ? 8 : p->cap * 2;
		if ((grown = realloc(p->pages, p->cap * sizeof(*grown))) == NULL) {
			p->failed = true;
			return;
		}
		p->pages = grown;
	}
	if ((page = HPDF_AddPage(p->doc)) == NULL) {
		p->failed = true;
		return;
	}
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->pages[p->npages++] = page;
	p->y = BODY_TOP;
}

static float
width(HPDF_Font font, float size, const char *s, size_t n)
{
	HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s,
	    (HPDF_UINT)n);

	return (float)tw.width * size / 1000.0f;
}

static void
draw(struct pdf *p, HPDF_Page page, HPDF_Font font, float size, float x,
    float y, const char *winansi)
{
	if (p->failed)
		return;
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, font, size);
	HPDF_Page_TextOut(page, x, y, winansi);
	HPDF_Page_EndText(page);
}

/* One line of n bytes at the current position, on a new page if need be. */
static void
put_line(struct pdf *p, HPDF_Font font, float size, float indent,
    const char *s, size_t n)
{
	if (p->y - size * LEADING < BODY_BOTTOM)
		new_page(p);
	p->y -= size * LEADING;
	buf_reset(&p->line);
	buf_add(&p->line, s, n);
	if (buf_failed(&p->line)) {
		p->failed = true;
		return;
	}
	draw(p, p->pages[p->npages - 1], font, size, MARGIN_X + indent, p->y,
	    buf_str(&p->line));
}

/*
 * A paragraph of UTF-8, wrapped to the column from indent.  Each line
 * break of the text starts a new line; an empty text draws nothing.
 */
static void
para(struct pdf *p, HPDF_Font font, float size, float indent, const char *utf8)
{
	float avail = COL_W - indent;
	const char *s, *end;
	HPDF_UINT n;

	if (p->failed || utf8 == NULL || *utf8 == '\0')
		return;
	buf_reset(&p->text);
	/* Line breaks survive the encoding as spaces; split on them first. */
	for (const char *q = utf8; ; ) {
		size_t len = strcspn(q, "\n");
		char *piece = strndup(q, len);

		if (piece == NULL) {
			p->failed = true;
			return;
		}
		buf_reset(&p->text);
		winansi_encode(&p->text, piece);
		free(piece);
		if (buf_failed(&p->text)) {
			p->failed = true;
			return;
		}
		s = buf_str(&p->text);
		end = s + p->text.len;
		if (s == end)
			put_line(p, font, size, indent, "", 0);
		while (s < end && !p->failed) {
			n = HPDF_Font_MeasureText(font, (const HPDF_BYTE *)s,
			    (HPDF_UINT)(end - s), avail, size, 0, 0, HPDF_TRUE, NULL);
			if (n == 0)	/* a word wider than the column: cut it */
				n = HPDF_Font_MeasureText(font, (const HPDF_BYTE *)s,
				    (HPDF_UINT)(end - s), avail, size, 0, 0,
				    HPDF_FALSE, NULL);
			if (n == 0)
				n = 1;
			put_line(p, font, size, indent, s, n);
			s += n;
			while (s < end && *s == ' ')
				s++;
		}
		if (q[len] == '\0')
			break;
		q += len + 1;
	}
}

static void
gap(struct pdf *p, float points)
{
	p->y -= points;
}

static void
heading(struct pdf *p, float size, const char *utf8)
{
	/* Keep a heading with at least three lines of what follows it. */
	if (p->y - size * LEADING - 3 * TEXT_SIZE * LEADING < BODY_BOTTOM)
		new_page(p);
	gap(p, size * 0.5f);
	para(p, p->bold, size, 0, utf8);
}

/* "Label: value" as one paragraph. */
static void
field(struct pdf *p, const char *label, const char *value)
{
	char *s;

	if (asprintf(&s, "%s: %s", label, value != NULL ? value : "") < 0) {
		p->failed = true;
		return;
	}
	para(p, p->regular, TEXT_SIZE, 0, s);
	free(s);
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
	field(p, label, w);
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
		const char *v = agencies ? record_agency_name(p->rec,
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
		field(p, label, buf_str(&b));
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

	heading(p, 10, "Minutes");
	if (m == NULL) {
		para(p, p->regular, TEXT_SIZE, 0, "No minutes have been recorded.");
		return;
	}
	field(p, "Chair", m->chair);
	for (size_t i = 0; i < m->nattendees; i++) {
		if (asprintf(&line, "Attendee: %s, %s",
		    record_agency_name(p->rec, m->attendees[i].agency),
		    m->attendees[i].name != NULL ? m->attendees[i].name : "") < 0)
			goto fail;
		para(p, p->regular, TEXT_SIZE, 0, line);
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
		para(p, p->regular, TEXT_SIZE, 0, line);
		free(line);
	}
	for (size_t i = 0; i < m->napologies; i++) {
		if (asprintf(&line, "Apologies: %s, information sent: %s",
		    record_agency_name(p->rec, m->apologies[i].agency),
		    yes_no(m->apologies[i].information_sent)) < 0)
			goto fail;
		para(p, p->regular, TEXT_SIZE, 0, line);
		free(line);
	}
	field(p, "Confidentiality statement", m->confidentiality_statement);
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
		para(p, p->bold, TEXT_SIZE, 0, "No decision has been recorded.");
		return;
	}
	if (d->signed_off_at != NULL) {
		if (asprintf(&line, "Decision: version %d, signed off %s",
		    d->version, d->signed_off_at) < 0)
			goto fail;
		para(p, p->regular, TEXT_SIZE, 0, line);
		free(line);
	} else {
		para(p, p->bold, TEXT_SIZE, 0, "Decision: DRAFT, not signed off");
	}
	field_list(p, "Attendees", &d->content.attendees, true);
	if (strcmp(p->rec->forum, "marac") == 0 ||
	    d->content.drive_increases_risk != RECORD_UNSET)
		field(p, "Enforcement or DRIVE increases risk",
		    yes_no(d->content.drive_increases_risk));
	field_list(p, "Lawful basis", &d->lawful_basis, false);
	field(p, "Outcome", d->content.outcome);
	for (size_t i = 0; i < d->content.nareas; i++) {
		char *w = words(d->content.areas[i].area);

		if (w == NULL)
			goto fail;
		if (w[0] >= 'a' && w[0] <= 'z')
			w[0] = (char)(w[0] - 'a' + 'A');
		para(p, p->bold, TEXT_SIZE, 0, w);
		free(w);
		para(p, p->regular, TEXT_SIZE, 12, d->content.areas[i].text);
	}
	for (size_t i = 0; i < d->nversions; i++) {
		const struct record_version *v = &d->versions[i];

		if (asprintf(&line, "Version %d, %s: %s%s", v->version, v->at,
		    v->reason != NULL ? "amended: " : "signed off",
		    v->reason != NULL ? v->reason : "") < 0)
			goto fail;
		para(p, p->regular, SMALL_SIZE, 0, line);
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
	    record_agency_name(p->rec, a->agency), area, a->due, status) < 0) {
		free(area);
		free(status);
		p->failed = true;
		return;
	}
	free(area);
	free(status);
	gap(p, 2);
	para(p, p->bold, TEXT_SIZE, 0, line);
	free(line);
	para(p, p->regular, TEXT_SIZE, 12, a->description);
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
		para(p, p->regular, SMALL_SIZE, 24, line);
		free(line);
	}
}

static void
one_case(struct pdf *p, const struct record_case *c)
{
	heading(p, 11, c->reference);
	field(p, "Referred by", record_agency_name(p->rec, c->referring_agency));
	field_words(p, "Risk", c->risk_level);
	field_list(p, "Risk bases", &c->risk_bases, false);
	field(p, "Repeat", c->repeat ? "Yes" : "No");
	field_words(p, "Consent", c->consent);
	decision(p, c);
	heading(p, 10, "Actions");
	if (c->nactions == 0)
		para(p, p->regular, TEXT_SIZE, 0, "No actions.");
	for (size_t i = 0; i < c->nactions; i++)
		action(p, &c->actions[i]);
}

static void
reviews(struct pdf *p, const struct record_sitting *s)
{
	char *line;

	if (s->nreviews == 0)
		return;
	heading(p, 11, "Review of earlier actions");
	for (size_t i = 0; i < s->nreviews; i++) {
		const struct record_review *v = &s->reviews[i];
		char *result = words(v->result);

		if (result == NULL || asprintf(&line, "%s, action %lld: %s, due %s: "
		    "%s", v->reference, (long long)v->action_id,
		    record_agency_name(p->rec, v->agency), v->due, result) < 0) {
			free(result);
			p->failed = true;
			return;
		}
		free(result);
		para(p, p->bold, TEXT_SIZE, 0, line);
		free(line);
		para(p, p->regular, TEXT_SIZE, 12, v->description);
		if (v->note != NULL)
			field(p, "Note", v->note);
	}
}

static void
sitting(struct pdf *p, const struct record_sitting *s, bool first)
{
	char *line;

	if (!first)
		new_page(p);
	if (asprintf(&line, "Sitting of %s%s", s->date,
	    strcmp(s->status, "cancelled") == 0 ? " (cancelled)" : "") < 0) {
		p->failed = true;
		return;
	}
	heading(p, 12, line);
	free(line);
	field(p, "Venue", s->venue != NULL ? s->venue : "not recorded");
	minutes(p, s);
	for (size_t i = 0; i < s->ncases; i++)
		one_case(p, &s->cases[i]);
	reviews(p, s);
}

/* Marking at the head, hash and page number at the foot, of every page. */
static void
running(struct pdf *p, const char *sha256)
{
	char foot[128], num[48];
	float w;

	snprintf(foot, sizeof(foot), "SHA-256 %s", sha256);
	for (size_t i = 0; i < p->npages && !p->failed; i++) {
		HPDF_Page page = p->pages[i];

		w = width(p->bold, 9, MARKING, strlen(MARKING));
		draw(p, page, p->bold, 9, (PAGE_W - w) / 2, PAGE_H - 36, MARKING);
		draw(p, page, p->bold, 9, (PAGE_W - w) / 2, 40, MARKING);
		draw(p, page, p->regular, 7, MARGIN_X, 26, foot);
		snprintf(num, sizeof(num), "Page %zu of %zu", i + 1, p->npages);
		w = width(p->regular, 7, num, strlen(num));
		draw(p, page, p->regular, 7, PAGE_W - MARGIN_X - w, 26, num);
	}
}

static void
save(struct pdf *p, struct buf *out)
{
	HPDF_BYTE chunk[8192];
	HPDF_UINT32 n;
	HPDF_STATUS st;

	if (p->failed || HPDF_SaveToStream(p->doc) != HPDF_OK) {
		p->failed = true;
		return;
	}
	HPDF_ResetStream(p->doc);
	for (;;) {
		n = sizeof(chunk);
		st = HPDF_ReadFromStream(p->doc, chunk, &n);
		buf_add(out, chunk, n);
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK || n == 0) {
			p->failed = true;
			return;
		}
	}
}

int
render_record_pdf(const struct record *rec, const char *sha256,
    struct buf *out)
{
	struct pdf p = { .rec = rec };
	const char *forum = strcmp(rec->forum, "marac") == 0 ? "MARAC" :
	    strcmp(rec->forum, "masc") == 0 ? "MASC" : rec->forum;
	char title[160], subject[96];

	if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return -1;
	buf_init(&p.text);
	buf_init(&p.line);
	if ((p.doc = HPDF_New(on_error, &p)) == NULL)
		return -1;
	/* A libharu built without zlib cannot compress: print uncompressed. */
	if (HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL) != HPDF_OK) {
		HPDF_ResetError(p.doc);
		p.failed = false;
	}
	p.regular = HPDF_GetFont(p.doc, "Helvetica", "WinAnsiEncoding");
	p.bold = HPDF_GetFont(p.doc, "Helvetica-Bold", "WinAnsiEncoding");
	snprintf(title, sizeof(title), "%s decision record: %s %lld", forum,
	    rec->kind == RECORD_SITTING ? "sitting" : "case", (long long)rec->id);
	/* In the document information too, where a tool can read it. */
	snprintf(subject, sizeof(subject), "SHA-256 %s", sha256);
	if (!p.failed) {
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, title);
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_SUBJECT, subject);
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "maracd");
	}
	new_page(&p);
	para(&p, p.bold, 14, 0, title);
	field(&p, "Area", rec->area);
	field(&p, "SHA-256 of the canonical JSON", sha256);
	for (size_t i = 0; i < rec->nsittings; i++)
		sitting(&p, &rec->sittings[i], i == 0);
	if (rec->nsittings == 0)
		para(&p, p.regular, TEXT_SIZE, 0, "Nothing has been recorded.");
	running(&p, sha256);
	save(&p, out);
	HPDF_Free(p.doc);
	free(p.pages);
	buf_free(&p.text);
	buf_free(&p.line);
	return p.failed || buf_failed(out) ? -1 : 0;
}

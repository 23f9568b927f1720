/*
 * A plain paginated PDF through libharu.  See pdf.h.
 */
#include "core/render/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/render/winansi.h"

#define PAGE_W		595.276f	/* A4 in points */
#define PAGE_H		841.89f
#define MARGIN_X	50.0f
#define BODY_TOP	(PAGE_H - 62.0f)
#define BODY_BOTTOM	62.0f
#define COL_W		(PAGE_W - 2 * MARGIN_X)
#define LEADING		1.3f

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	struct pdf *p = arg;

	(void)error;
	(void)detail;
	p->failed = true;
}

void
pdf_new_page(struct pdf *p)
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

int
pdf_begin(struct pdf *p, const char *title, const char *subject,
    bool compress, const void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	buf_init(&p->text);
	buf_init(&p->line);
	if ((p->doc = HPDF_New(on_error, p)) == NULL)
		return -1;
	/* A libharu built without zlib cannot compress: print uncompressed. */
	if (compress && HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL) != HPDF_OK) {
		HPDF_ResetError(p->doc);
		p->failed = false;
	}
	p->regular = HPDF_GetFont(p->doc, "Helvetica", "WinAnsiEncoding");
	p->bold = HPDF_GetFont(p->doc, "Helvetica-Bold", "WinAnsiEncoding");
	if (!p->failed) {
		if (title != NULL)
			HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
		if (subject != NULL)
			HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, subject);
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "maracd");
	}
	pdf_new_page(p);
	return 0;
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
		pdf_new_page(p);
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

void
pdf_para(struct pdf *p, HPDF_Font font, float size, float indent,
    const char *utf8)
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

void
pdf_gap(struct pdf *p, float points)
{
	p->y -= points;
}

HPDF_Page
pdf_space(struct pdf *p, float height, float *x, float *top)
{
	if (p->y - height < BODY_BOTTOM)
		pdf_new_page(p);
	if (p->failed)
		return NULL;
	*x = MARGIN_X;
	*top = p->y;
	p->y -= height;
	return p->pages[p->npages - 1];
}

void
pdf_heading(struct pdf *p, float size, const char *utf8)
{
	if (p->y - size * LEADING - 3 * PDF_TEXT_SIZE * LEADING < BODY_BOTTOM)
		pdf_new_page(p);
	pdf_gap(p, size * 0.5f);
	pdf_para(p, p->bold, size, 0, utf8);
}

void
pdf_field(struct pdf *p, const char *label, const char *value)
{
	char *s;

	if (asprintf(&s, "%s: %s", label, value != NULL ? value : "") < 0) {
		p->failed = true;
		return;
	}
	pdf_para(p, p->regular, PDF_TEXT_SIZE, 0, s);
	free(s);
}

void
pdf_running(struct pdf *p, const char *marking, const char *foot)
{
	char num[48];
	float w;

	for (size_t i = 0; i < p->npages && !p->failed; i++) {
		HPDF_Page page = p->pages[i];

		w = width(p->bold, 9, marking, strlen(marking));
		draw(p, page, p->bold, 9, (PAGE_W - w) / 2, PAGE_H - 36, marking);
		draw(p, page, p->bold, 9, (PAGE_W - w) / 2, 40, marking);
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
pdf_finish(struct pdf *p, struct buf *out)
{
	save(p, out);
	HPDF_Free(p->doc);
	free(p->pages);
	buf_free(&p->text);
	buf_free(&p->line);
	return p->failed || buf_failed(out) ? -1 : 0;
}

/*
 * A plain document as PDF, through libharu, shared by the decision record
 * (record_pdf.c) and the subject access copy (subject_pdf.c): A4,
 * Helvetica and Helvetica-Bold (standard fonts, so nothing is embedded)
 * in WinAnsi encoding, one column flowing down the page.
 *
 * Each paragraph is measured with the font's widths and wrapped at spaces
 * (a word wider than the column is cut); a line that would cross the
 * bottom margin starts a new page.  The running head and foot (a marking,
 * a line of the caller's, "Page n of N") are drawn when the body is done,
 * because only then is N known; libharu keeps every page open for drawing
 * until the document is saved.
 *
 * libharu reports errors through a callback; it is recorded in failed and
 * every function here does nothing once it is set, so one check at
 * pdf_finish covers every call.  The document is built in memory: no file
 * is touched.  Pure: no I/O, no clock (libharu writes no dates unless
 * told to).
 */
#ifndef MARACD_CORE_RENDER_PDF_H
#define MARACD_CORE_RENDER_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "core/buf.h"

#define PDF_TEXT_SIZE	9.0f
#define PDF_SMALL_SIZE	7.5f

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
	const void	*ctx;		/* the caller's own, not used here */
};

/*
 * Starts a document with its first page.  title and subject (either may
 * be NULL) go into the document information, where a tool can read them.
 * compress: deflate the page streams when libharu can.  -1 if libharu
 * cannot start; then nothing is to be freed.
 */
int	pdf_begin(struct pdf *, const char *title, const char *subject,
	    bool compress, const void *ctx);
void	pdf_new_page(struct pdf *);
/*
 * A paragraph of UTF-8, wrapped to the column from indent (points).  Each
 * line break of the text starts a new line; an empty or NULL text draws
 * nothing.
 */
void	pdf_para(struct pdf *, HPDF_Font, float size, float indent,
	    const char *utf8);
void	pdf_gap(struct pdf *, float points);
/*
 * height points of the column for a drawing (a chart), on a new page if
 * they do not fit: the page, with the column's left edge in *x and the
 * space's top in *top (PDF coordinates: y grows upwards); the flow goes on
 * under it.  NULL once the document has failed.
 */
HPDF_Page pdf_space(struct pdf *, float height, float *x, float *top);
/* Bold, kept on a page with at least three lines of what follows it. */
void	pdf_heading(struct pdf *, float size, const char *utf8);
/* "Label: value" as one regular paragraph; a NULL value is empty. */
void	pdf_field(struct pdf *, const char *label, const char *value);
/*
 * Draws the marking (bold, centred) at the head and foot of every page,
 * foot (UTF-8 is not expected: ASCII) at the bottom left, "Page n of N"
 * at the bottom right.
 */
void	pdf_running(struct pdf *, const char *marking, const char *foot);
/* Appends the document to out and frees it.  0, or -1 on any failure. */
int	pdf_finish(struct pdf *, struct buf *out);

#endif

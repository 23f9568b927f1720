/*
 * Renderers of a decision record: each a pure function of the model and
 * of the hash of its canonical JSON (computed by the caller), appending
 * to a buffer.  Every form carries the hash, so a printed or saved copy
 * can be checked against the record_exports log and against the record
 * rebuilt from the database.  Each returns 0, or -1 when the buffer ran
 * out of memory (or, for the PDF, when the PDF library failed).
 */
#ifndef MARACD_CORE_RENDER_RECORD_H
#define MARACD_CORE_RENDER_RECORD_H

#include "core/buf.h"
#include "core/record.h"

/*
 * The canonical JSON with one member more at the end, "sha256": the
 * bytes before it are exactly what was hashed.  Reading the file back
 * with record_build and writing it canonically gives those bytes again.
 */
int	render_record_json(const struct record *, const char *sha256,
	    struct buf *);

/*
 * RFC 4180 CSV, one row per item (case, area, amendment, action, change,
 * review, minutes), every row carrying the hash; codes rather than
 * labels, formula-like fields neutralised (render/csv.h).
 */
int	render_record_csv(const struct record *, const char *sha256,
	    struct buf *);

/*
 * HTML5 for the screen and A4 paper, like the agenda: the protective
 * marking and the hash at the top and bottom of the page and, through
 * the @page margin boxes, on every printed sheet.
 */
int	render_record_html(const struct record *, const char *sha256,
	    struct buf *);

/*
 * PDF (A4, Helvetica in WinAnsi encoding) through libharu: the marking
 * at the head of every page, the hash and "Page n of N" at its foot,
 * long text wrapped and carried over pages, every action listed.
 * Characters WinAnsi cannot encode are transliterated or shown as '?'.
 */
int	render_record_pdf(const struct record *, const char *sha256,
	    struct buf *);

#endif

/*
 * The printable copy of a subject access answer (maracctl subject-access):
 * the JSON document sql/013_retention.sql subject_access() returns, as a
 * paginated A4 PDF for the data protection officer (pdf.h).  Generic like
 * subject_html.h, and for the same reason: every member the JSON has is
 * printed, "name: value" for a scalar, a bold heading over the members of
 * a nested object and over each numbered element of an array, so that
 * nothing held can be left out by a renderer that did not know a field.
 * The page streams are not compressed, so that the text can be searched
 * with ordinary tools.  Pure: no I/O.
 */
#ifndef MARACD_CORE_RENDER_SUBJECT_PDF_H
#define MARACD_CORE_RENDER_SUBJECT_PDF_H

#include <cjson/cJSON.h>

#include "core/buf.h"

/*
 * title: the document's heading, its title in the document information
 * and the foot of every page.  Appends the PDF to out: 0, or -1.
 */
int	subject_pdf(const cJSON *doc, const char *title, struct buf *out);

#endif

/*
 * The readable copy of a subject access answer (maracctl subject-access):
 * the JSON document sql/013_retention.sql subject_access() returns, as
 * one self-contained HTML page for the data protection officer.  Generic
 * on purpose: every member the JSON has is shown, nested objects as
 * tables and arrays as numbered sections, so that nothing held can be
 * left out of the readable copy by a renderer that did not know a field.
 * Pure: no I/O.
 */
#ifndef MARACD_CORE_RENDER_SUBJECT_HTML_H
#define MARACD_CORE_RENDER_SUBJECT_HTML_H

#include <cjson/cJSON.h>

#include "core/buf.h"

/* title: shown as the page's heading (escaped).  0, or -1 out of memory. */
int	subject_html(const cJSON *doc, const char *title, struct buf *out);

#endif

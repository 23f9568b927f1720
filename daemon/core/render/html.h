/*
 * HTML text for the renderers.
 *
 * Everything that came from outside (names, codes, references, venues)
 * goes through html_escape, in element content and in attribute values
 * alike, so one function covers both: & < > " ' are all replaced.
 */
#ifndef MARACD_CORE_RENDER_HTML_H
#define MARACD_CORE_RENDER_HTML_H

#include "core/buf.h"

void	html_escape(struct buf *, const char *s);

#endif

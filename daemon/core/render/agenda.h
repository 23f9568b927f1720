/*
 * Renderers of an agenda: each a pure function of the model that appends
 * to a buffer.  The JSON form is agenda_to_json (core/agenda.h).
 *
 * They show what the model holds, so minimisation is already done: names
 * appear only in a model built with full_names.  Each returns 0, or -1
 * when the buffer ran out of memory.
 */
#ifndef MARACD_CORE_RENDER_AGENDA_H
#define MARACD_CORE_RENDER_AGENDA_H

#include <stdint.h>

#include "core/agenda.h"
#include "core/buf.h"

/*
 * HTML5 for the screen and for A4 paper: a print style sheet, each
 * agency's cases from a new page, the protective marking at the top and
 * bottom.  Inline CSS only and no script, to suit the server's CSP.
 */
int	render_agenda_html(const struct agenda *, struct buf *);

/*
 * PDF on A4, for printing and keeping: the HTML's header and cases in the
 * same words, a case a block, the protective marking at the head and foot
 * of every page.  The same agenda gives the same bytes (no clock, no ID).
 */
int	render_agenda_pdf(const struct agenda *, struct buf *);

/* RFC 4180 CSV, a header row and one row per case, in agenda order. */
int	render_agenda_csv(const struct agenda *, struct buf *);

/*
 * RFC 5545 calendar with one event for the sitting itself and no
 * personal data.  dtstamp (UTC seconds) is when the file is made; the
 * core does not read the clock.  uid_domain makes the UID globally
 * unique ("maracd" when NULL); the UID does not change between versions,
 * so a re-imported file updates the event instead of adding one.
 */
int	render_agenda_ics(const struct agenda *, int64_t dtstamp,
	    const char *uid_domain, struct buf *);

#endif

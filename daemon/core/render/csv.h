/*
 * CSV for the renderers: RFC 4180, made safe to open in a spreadsheet.
 *
 * Every field is quoted (quotes doubled), rows end in CRLF, and a field
 * that a spreadsheet would take for a formula (first character = + - @,
 * or a tab or carriage return, which some spreadsheets skip before
 * looking) gets a leading apostrophe, so that a name such as
 * "=HYPERLINK(...)" is shown, not run.
 */
#ifndef MARACD_CORE_RENDER_CSV_H
#define MARACD_CORE_RENDER_CSV_H

#include <stddef.h>

#include "core/buf.h"

struct csv {
	struct buf	*out;
	size_t		 column;	/* fields so far in this row */
};

void	csv_init(struct csv *, struct buf *out);
/* One field; NULL is written as an empty field. */
void	csv_field(struct csv *, const char *s);
void	csv_end_row(struct csv *);

#endif

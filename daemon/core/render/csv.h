/*
 * CSV for the renderers: RFC 4180, made safe to open in a spreadsheet.
 *
 * Every field is quoted (quotes doubled), rows end in CRLF, and a field
 * that a spreadsheet would take for a formula gets a leading apostrophe,
 * so that a name such as "=HYPERLINK(...)" is shown, not run.  A formula
 * is a field whose first character, once the blanks spreadsheets skip
 * before looking are passed (spaces, tabs, CR, LF, no-break and other
 * Unicode spaces, a byte-order mark), is = + - @ or one of their
 * full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some
 * spreadsheets fold to ASCII; a field that starts with a tab or CR is
 * neutralised too.  csv_is_formula decides it, for every CSV maracd
 * writes.
 */
#ifndef MARACD_CORE_RENDER_CSV_H
#define MARACD_CORE_RENDER_CSV_H

#include <stdbool.h>
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
/* True when a spreadsheet could read s as a formula (see above). */
bool	csv_is_formula(const char *s);

#endif

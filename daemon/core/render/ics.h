/*
 * iCalendar (RFC 5545) content lines for the renderers.
 *
 * A content line is folded so that no physical line is longer than 75
 * octets (CRLF not counted), continuation lines starting with a space,
 * and a fold never falls inside a UTF-8 character: calendar clients that
 * unfold byte-wise would otherwise show a broken character.
 */
#ifndef MARACD_CORE_RENDER_ICS_H
#define MARACD_CORE_RENDER_ICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/date.h"

#define ICS_LINE_MAX	75	/* octets, without the CRLF */

/* Appends TEXT value escaping (3.3.11): \\ \; \, and \n for a newline. */
void	ics_escape_text(struct buf *, const char *s);
/* Appends len bytes of one unfolded content line, folded, and a CRLF. */
void	ics_fold(struct buf *, const char *line, size_t len);
/* "NAME:value" with value already in its type's form, folded. */
void	ics_line(struct buf *, const char *name, const char *value);
/* "NAME:text" with text escaped as TEXT, folded. */
void	ics_line_text(struct buf *, const char *name, const char *text);
/* "YYYYMMDD" (DATE) and "YYYYMMDDTHHMMSSZ" (UTC DATE-TIME). */
void	ics_date(char buf[9], date_t d);
void	ics_utc(char buf[17], int64_t t);

#endif

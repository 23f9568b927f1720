/*
 * UTF-8 to WinAnsi (Windows code page 1252), the encoding of the PDF
 * standard fonts: a record is printed whatever its text holds, never
 * refused for a character the font cannot show.
 *
 * Latin-1 and the code page's own extras (curly quotes, dashes, the euro,
 * S/Z/O-E with caron or ligature) map to their bytes; the letters of
 * Latin Extended-A (Polish, Czech, Turkish, Romanian, Welsh ŵ ŷ, ...) lose
 * their accents (Ł to L); other dashes, spaces and primes become their
 * ASCII look-alikes; zero-width characters are dropped; control
 * characters become spaces; anything else, and invalid UTF-8, becomes
 * '?'.  The output never holds a NUL.
 */
#ifndef MARACD_CORE_RENDER_WINANSI_H
#define MARACD_CORE_RENDER_WINANSI_H

#include <stddef.h>

#include "core/buf.h"

/* Appends the WinAnsi bytes of s; returns how many became '?'. */
size_t	winansi_encode(struct buf *out, const char *s);

#endif

/*
 * Normalised identity of a person: how victims are matched for the repeat
 * rule and perpetrators for DRIVE history, never on free text.
 *
 * The key is the normalised name, "|", and the date of birth:
 *	"Siobhan O'Brien-Kelly", 1990-02-01
 *	    -> "siobhan obrien kelly|1990-02-01"
 * Normalising (no locale, so the same on every machine):
 *  - ASCII letters are lowercased; ASCII digits are kept;
 *  - apostrophes (' ` U+2018 U+2019 U+02BC) are dropped, joining the word,
 *    because they belong inside a name: O'Brien == OBrien == obrien;
 *  - every other ASCII character (space, hyphen, dot, comma, ...) and the
 *    Unicode no-break space and hyphens/dashes U+2010..U+2015 separate
 *    tokens: Smith-Jones == "Smith Jones", "J.D. Smith" == "J D Smith";
 *  - tokens are joined by single spaces, with none at either end;
 *  - any other byte >= 0x80 is kept as it is: no Unicode case folding, so
 *    "ÉMILE" and "émile" differ (a known, documented limit).
 * So "O Brien" (a space) is NOT "OBrien": we cannot tell a separate name
 * from a split one, and a false match joins two people's histories, which
 * is worse than a missed one that a coordinator can merge by hand.
 */
#ifndef MARACD_CORE_IDENTITY_H
#define MARACD_CORE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

#define IDENTITY_KEY_MAX	256	/* a 200-byte name, "|", a date, NUL */
#define IDENTITY_INITIALS_MAX	32

/*
 * Writes the key to buf.  False (buf empty) when the name has no letter
 * or digit left after normalising, or the key does not fit in size bytes.
 */
bool	identity_key(const char *name, date_t dob, char *buf, size_t size);

/*
 * The initial of every name token, upper-cased, each followed by a dot:
 * "Jane Doe" -> "J.D.", "Siobhan O'Brien-Kelly" -> "S.O.K.".  A non-ASCII
 * initial is copied whole.  Initials that do not fit are left off.
 * Returns buf ("" for a name without tokens).
 */
char   *identity_initials(const char *name, char *buf, size_t size);

#endif

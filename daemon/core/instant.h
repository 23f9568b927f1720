/*
 * Instants as RFC 3339 text, to the second, one parser for every form
 * maracd reads: its own UTC form (agenda versions, records), an offset
 * (MARACD_CLOCK) and whatever RFC 3339 allows (a referral's received_at).
 * Instants are seconds since 1970-01-01T00:00:00Z; years are those
 * date.c accepts, so that every instant formats to four digits.
 */
#ifndef MARACD_CORE_INSTANT_H
#define MARACD_CORE_INSTANT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"

#define INSTANT_STRLEN	21	/* "2026-12-07T09:15:00Z" and the NUL */
#define DAY_SECONDS	INT64_C(86400)

enum instant_form {
	/* "2026-12-07T09:15:00Z" exactly: what instant_format writes. */
	INSTANT_UTC,
	/* That, or an offset instead of Z ("+01:00"); upper case, whole seconds. */
	INSTANT_OFFSET,
	/*
	 * Anything RFC 3339 allows: "t" and "z" in lower case too, and a
	 * fraction of up to nine digits (dropped: *t is whole seconds).
	 */
	INSTANT_RFC3339
};

/*
 * Whether s is an instant of that form.  If so, *t (unless NULL) is the
 * instant and *day (unless NULL) the calendar date as written, in the
 * writer's own offset.  Neither is touched otherwise.
 */
bool	instant_parse(const char *s, enum instant_form form, int64_t *t,
	    date_t *day);
/* Whether t falls in the years date.c accepts. */
bool	instant_in_range(int64_t t);
/*
 * t in the INSTANT_UTC form, clamped to the years date.c accepts; buf
 * holds INSTANT_STRLEN bytes.  Returns buf.
 */
char   *instant_format(int64_t t, char *buf);

#endif

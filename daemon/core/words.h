/*
 * Words for what a page shows: the codes and instants the API answers
 * with ("marac", "below_threshold", "2026-12-15T23:59:59+00:00") as a
 * person reads them ("MARAC", "Below threshold", "23:59 on Tuesday 15
 * December 2026").  The API keeps its codes; a page's data gains a
 * sibling "<key>_words" beside each value it can put into words, and the
 * templates show that (web_render calls words_add).
 *
 * An instant is worded as written: maracd's database writes instants in
 * the deployment's time zone (its sessions' TimeZone), so the local time
 * is the one in the text, and no time zone rule is needed here.
 */
#ifndef MARACD_CORE_WORDS_H
#define MARACD_CORE_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/date.h"

#define WORDS_MAX	64	/* "23:59 on Wednesday 30 September 2026" and more */

/* "Thursday 17 December 2026"; false when len is too small. */
bool	words_day(date_t d, char *out, size_t len);
/* "Thursday 17 December 2026" for "2026-12-17"; false for anything else. */
bool	words_date(const char *s, char *out, size_t len);
/*
 * "23:59 on Tuesday 15 December 2026" for an RFC 3339 instant, in the
 * offset it is written in; false for anything else.
 */
bool	words_instant(const char *s, char *out, size_t len);
/*
 * The words for a code under key: a forum's label, a risk basis's
 * meaning, an area's name (each word capitalised: "west_cumbria" is
 * "West Cumbria"; the schema keeps areas as codes only); any other code with its first letter capitalised and '_' as
 * spaces.  out holds WORDS_MAX bytes; false when value is not a code
 * (empty, or holds anything but lower-case letters, digits and '_').
 */
bool	words_code(const char *key, const char *value, char *out, size_t len);

/*
 * The one rule for a count's noun: one when n is 1, many otherwise
 * ("0 cases", "1 case", "2 cases").
 */
const char *words_plural(long long n, const char *one, const char *many);
/* "1 case", "3 cases" into out; false when len is too small. */
bool	words_count(long long n, const char *one, const char *many, char *out,
	    size_t len);

/*
 * Adds "<key>_words" beside every member of tree (and of its objects and
 * arrays, all the way down) that words can be found for: a date, an
 * instant, or a code under one of the keys that hold codes (forum, area,
 * level, status, state, kind, role, outcome, result, consent).  An array
 * of codes under "bases" or "lawful_basis" gains "bases_words" or
 * "lawful_basis_words", a list.  A whole number under a key
 * that counts something (case_count, cases, present, rows)
 * gains the count with its noun ("1 case").  Existing members are left alone.
 */
void	words_add(cJSON *tree);

#endif

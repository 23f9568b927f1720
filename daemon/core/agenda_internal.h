/*
 * What the agenda's three files (agenda.c the model, agenda_json.c its
 * JSON, agenda_diff.c the diff) share, and nothing else uses.
 */
#ifndef MARACD_CORE_AGENDA_INTERNAL_H
#define MARACD_CORE_AGENDA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A copy of s, or NULL when s is NULL or memory ran out. */
char	*agenda_copy(const char *s);
/* qsort order of two int64_t. */
int	 agenda_cmp_id(const void *a, const void *b);
/*
 * Whether no two of the n ids are the same (the diff keys on the
 * referral id).  0, or -1 when out of memory.
 */
int	 agenda_ids_unique(const int64_t *ids, size_t n, bool *unique);

#endif

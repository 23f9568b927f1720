/*
 * The core's error convention (docs/architecture.md, "Errors"): a
 * function that can fail says so by its result (-1, or NULL for what it
 * makes, or false) and why through the caller's why: a pointer that gets
 * a static sentence, or a buffer when the sentence carries values (a
 * line, a key).  Outside input that a person corrects field by field is
 * validated into a struct field_errors instead (fielderr.h).  Nothing in
 * the core sets errno or returns its reason as its result.
 */
#ifndef MARACD_CORE_WHY_H
#define MARACD_CORE_WHY_H

#include <stddef.h>

#define WHY_NOMEM	"out of memory"

/* *why = reason when why is not NULL; -1, the failure. */
static inline int
why_fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

#endif

/*
 * Reads [accounts] breached_passwords into the core's list
 * (core/password.h) once, at start-up: one line a password or a Pwned
 * Passwords "SHA1HEX:count" line, at most BREACHFILE_MAX_LINES entries
 * (8 bytes each: 80 MB at most), so that a whole 900-million-line dump
 * given by mistake stops maracd with a reason instead of eating memory.
 */
#ifndef MARACD_BREACHFILE_H
#define MARACD_BREACHFILE_H

#include <stddef.h>

#include "core/password.h"

#define BREACHFILE_MAX_LINES	10000000

/*
 * The sealed list of path, or NULL with err naming the file and the
 * reason (cannot open, too many entries, out of memory).
 */
struct breached *breachfile_load(const char *path, size_t max_lines,
	    char *err, size_t errlen);

#endif

/*
 * A whole file read at once, with a bound: for what is read as one piece
 * (web assets, an export to verify), never for what may be any size.
 */
#ifndef MARACD_READFILE_H
#define MARACD_READFILE_H

#include <stddef.h>

/*
 * The whole of dir/name (dir NULL: name alone), a regular file of at most
 * max bytes, NUL-terminated, to free(); NULL with a one-line why.
 */
char	*readfile(const char *dir, const char *name, size_t max, size_t *len,
	    char *why, size_t whylen);

#endif

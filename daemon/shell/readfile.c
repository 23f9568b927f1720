/* A whole file read at once (readfile.h). */
#include "shell/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *
readfile(const char *dir, const char *name, size_t max, size_t *len,
    char *why, size_t whylen)
{
	char path[4096];
	struct stat st;
	char *buf;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", dir != NULL ? dir : "",
	    dir != NULL ? "/" : "", name) >= sizeof(path)) {
		snprintf(why, whylen, "%s: path too long", name);
		return NULL;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(why, whylen, "%.400s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		snprintf(why, whylen, "%.400s: not a file of at most %zu bytes", path, max);
		fclose(f);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(why, whylen, "%.400s: out of memory", path);
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = '\0';
	if (ferror(f) || *len != (size_t)st.st_size) {
		snprintf(why, whylen, "%.400s: cannot read", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

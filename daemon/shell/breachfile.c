#include "shell/breachfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct breached *
breachfile_load(const char *path, size_t max_lines, char *err, size_t errlen)
{
	struct breached *b;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if ((b = breached_new(max_lines)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return NULL;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (breached_add_line(b, line, (size_t)n) != 0) {
			snprintf(err, errlen, "%s: more than %zu passwords, or out of "
			    "memory (keep the most common ones)", path, max_lines);
			goto fail;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(f);
	breached_seal(b);
	return b;
fail:
	free(line);
	fclose(f);
	breached_free(b);
	return NULL;
}

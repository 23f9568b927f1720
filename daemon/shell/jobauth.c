#include "shell/jobauth.h"
#include "shell/tokenhash.h"
#include "core/token.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static char hash[TOKENHASH_HEX];

int
jobauth_load(const char *path, char *why, size_t len)
{
	char line[256];
	struct stat st;
	FILE *f;
	size_t n;

	if (path[0] == '\0') {
		snprintf(why, len, "[database] job_token_file is not set: maracd's jobs "
		    "need a token of their own (maracctl token create --role job)");
		return -1;
	}
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(why, len, "cannot open [database] job_token_file %s", path);
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
		fclose(f);
		snprintf(why, len, "[database] job_token_file %s is readable by group or "
		    "others (chmod 600)", path);
		return -1;
	}
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (!token_well_formed(line) || tokenhash_hex(line, hash) != 0) {
		snprintf(why, len, "[database] job_token_file %s does not hold a token", path);
		return -1;
	}
	return 0;
}

const char *
jobauth_hash(void)
{
	return hash;
}

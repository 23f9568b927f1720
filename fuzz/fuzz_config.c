/*
 * libFuzzer target: the maracd.conf parser (libinih and the settings
 * table in config.c, with its cross-checks), then a SIGHUP-style reload
 * of the result into the defaults.
 *
 * config_load takes a path, so each input is written to one memfd that
 * config_load opens through /proc/self/fd: nothing is added to config.c
 * for the fuzzer's sake and nothing touches the disk.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shell/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int	memfd = -1;
static char	path[64];

static void
ignore(const char *section, const char *name)
{
	(void)section;
	(void)name;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, cur;
	char err[CONFIG_ERRLEN];
	int rc;

	if (memfd == -1) {
		if ((memfd = memfd_create("maracd.conf", 0)) == -1) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 ||
	    pwrite(memfd, data, size, 0) != (ssize_t)size) {
		perror("memfd write");
		abort();
	}
	rc = config_load(path, &cfg, err, sizeof(err));
	if (rc != 0) {
		/* A refusal always says why. */
		if (err[0] == '\0')
			abort();
	} else {
		config_defaults(&cur);
		config_reload(&cur, &cfg, ignore);
		config_free(&cur);
	}
	config_free(&cfg);
	return 0;
}

/*
 * maracctl: administer maracd's database.  Exit 0 on success, 1 on failure
 * with a one-line reason on stderr, 2 on a usage error.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char	*verb;
	int		(*run)(struct ctl *, int, char **);
} verbs[] = {
	{ "migrate",	ctl_migrate },
	{ "token",	ctl_token },
	{ "user",	ctl_user },
	{ "agency",	ctl_agency },
	{ "holidays",	ctl_holidays },
	{ "calendar",	ctl_calendar },
	{ "import",	ctl_import },
	{ "drive",	ctl_drive },
	{ "record",	ctl_record },
	{ "reminders",	ctl_reminders },
	{ "agenda",	ctl_agenda },
	{ "purge",	ctl_purge },
	{ "subject-access", ctl_subject },
};

static int
usage(void)
{
	fprintf(stderr, "usage: maracctl [-c file] migrate | token create|list|revoke"
	    " | user invite|list|disable|enable|reset-2fa"
	    " | agency add|list | holidays [add|remove] | calendar"
	    " | import FILE.csv | agenda SITTING | drive SITTING [--screen]"
	    " | record SITTING|--referral ID"
	    " | reminders run [--dry-run] [--as-of DATE]"
	    " | purge [--dry-run] [--batch N]"
	    " | subject-access --name NAME --dob DATE [--out PREFIX]\n");
	return CTL_USAGE;
}

int
main(int argc, char **argv)
{
	struct ctl ctl = { .config_path = config_default_path() };
	char err[CONFIG_ERRLEN];
	int ch, rc;

	while ((ch = getopt(argc, argv, "+c:")) != -1) {
		if (ch != 'c')
			return usage();
		ctl.config_path = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[0], verbs[i].verb) != 0)
			continue;
		if (clock_init(err, sizeof(err)) != 0)
			return ctl_fail("%s", err);
		if (config_load(ctl.config_path, &ctl.cfg, err, sizeof(err)) != 0) {
			config_free(&ctl.cfg);
			return ctl_fail("%s", err);
		}
		/* maracd's code logs; maracctl says what failed itself. */
		log_init("maracctl", false, LOG_LVL_ERROR);
		/* Local dates come from the same zone as maracd's (clock_today). */
		setenv("TZ", ctl.cfg.timezone, 1);
		tzset();
		rc = verbs[i].run(&ctl, argc - 1, argv + 1);
		ctl_loop_close(&ctl);
		if (ctl.db != NULL)
			PQfinish(ctl.db);
		config_free(&ctl.cfg);
		return rc;
	}
	return usage();
}

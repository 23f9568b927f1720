/*
 * maracctl: administer maracd's database.  Exit 0 on success, 1 on failure
 * with a one-line reason on stderr, 2 on a usage error.
 *
 * Every command is a row of the table below; the words, the options and
 * how many other arguments it takes are checked here, once, and the
 * usage printed from the same row.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "shell/log.h"
#include "core/listquery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FORUM	"[--forum marac|masc] "
#define AREAS	"[--areas A,B|all] "

static const struct ctl_cmd cmds[] = {
	{ "migrate", CTL_NONE, NULL, ctl_migrate, "" },
	{ "token create", CTL_NONE, NULL, ctl_token_create,
	    "--role admin|coordinator|chair|agency|job [--agency CODE] " FORUM
	    AREAS "--name TEXT [--owner EMAIL] [--days N]" },
	{ "token list", CTL_NONE, NULL, ctl_list, "" },
	{ "token revoke", CTL_ID, NULL, ctl_token_revoke, "ID" },
	{ "user invite", CTL_NONE, NULL, ctl_user_invite,
	    "--email ADDRESS --name TEXT --role admin|coordinator|chair|agency "
	    "[--agency CODE] " FORUM AREAS "[--print-link]" },
	{ "user list", CTL_NONE, NULL, ctl_list, "" },
	{ "user disable", CTL_ID, NULL, ctl_user_state, "ID" },
	{ "user enable", CTL_ID, NULL, ctl_user_state, "ID" },
	{ "user reset-2fa", CTL_ID, NULL, ctl_user_reset_2fa, "ID [--print-link]" },
	{ "agency add", CTL_WORD, NULL, ctl_agency_add,
	    "CODE --name NAME [--email ADDRESS] [--core-of marac,masc|none]" },
	{ "agency list", CTL_NONE, NULL, ctl_list, "" },
	/* With --replaces, the name may be left out. */
	{ "holidays add", CTL_DATE, "maracctl", ctl_holidays_change,
	    "YYYY-MM-DD --name NAME [--replaces YYYY-MM-DD] | "
	    "holidays add YYYY-MM-DD --replaces YYYY-MM-DD" },
	{ "holidays remove", CTL_DATE, "maracctl", ctl_holidays_change,
	    "YYYY-MM-DD" },
	{ "holidays", CTL_NONE, "maracctl", ctl_holidays_year,
	    "--year YYYY (1900..2200)" },
	{ "calendar", CTL_NONE, "maracctl", ctl_calendar,
	    FORUM "[--area CODE] [--from YYYY-MM-DD] [--count N]" },
	{ "import", CTL_WORD, "maracctl import", ctl_import, "FILE.csv" },
	{ "agenda", CTL_ID, "maracctl agenda", ctl_agenda, "SITTING "
	    "[--format json|html|csv|ics] [--version N|draft] [--issue]" },
	{ "drive", CTL_ID, "maracctl", ctl_drive, "SITTING [--screen]" },
	{ "record", CTL_ID_OR_NONE, "maracctl record", ctl_record,
	    "SITTING | --referral ID [--format json|html|csv|pdf] [--out FILE] | "
	    "record --verify FILE.json" },
	{ "reminders run", CTL_NONE, "maracctl reminders", ctl_reminders,
	    "[--dry-run] [--as-of YYYY-MM-DD]" },
	{ "purge", CTL_NONE, "maracctl purge", ctl_purge, "[--dry-run] [--batch N]" },
	{ "subject-access", CTL_NONE, "maracctl subject-access", ctl_subject,
	    "--name NAME --dob YYYY-MM-DD [--out PREFIX]" },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

/*
 * The options are read from the usage, so that each is written once:
 * "--name WORD" takes a value, "--name]" is a flag, and one not written
 * "[--name" must be given, unless the usage has alternatives (" | ").
 * The index of option name (len bytes) among c's, or -1; *u is where.
 */
static int
opt_index(const struct ctl_cmd *c, const char *name, size_t len, const char **u)
{
	*u = c->usage;
	for (int i = 0; i < CTL_OPTS_MAX && (*u = strstr(*u, "--")) != NULL;
	    i++, *u += 2)
		if (strcspn(*u + 2, " ]") == len && strncmp(*u + 2, name, len) == 0)
			return i;
	return -1;
}

const char *
ctl_arg(const struct ctl *ctl, const char *name)
{
	const char *u;
	int i = opt_index(ctl->cmd, name, strlen(name), &u);

	return i < 0 ? NULL : ctl->opt[i];
}

/* The options and the argument of c, checked as its row says. */
static bool
parse(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *c = ctl->cmd;
	bool alternatives = strstr(c->usage, " | ") != NULL;
	const char *u;
	int j;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (ctl->npos == 1 || c->pos == CTL_NONE)
				return false;
			ctl->pos[ctl->npos++] = argv[i];
		} else if ((j = opt_index(c, argv[i] + 2, strlen(argv[i] + 2), &u)) < 0)
			return false;
		else if (u[2 + strcspn(u + 2, " ]")] == ']')
			ctl->opt[j] = "";
		else if (i + 1 < argc)
			ctl->opt[j] = argv[++i];
		else
			return false;
	}
	u = c->usage;
	for (j = 0; j < CTL_OPTS_MAX && (u = strstr(u, "--")) != NULL; j++, u += 2)
		if (ctl->opt[j] == NULL && !alternatives &&
		    (u == c->usage || u[-1] != '['))
			return false;
	if (ctl->npos == 0)
		return c->pos == CTL_NONE || c->pos == CTL_ID_OR_NONE;
	return c->pos == CTL_DATE ? date_parse(ctl->pos[0], &ctl->date) :
	    c->pos == CTL_WORD || listquery_id(ctl->pos[0], &ctl->id);
}

/* The usage of only, else of the commands whose first word is group, else of all. */
static int
usage(const char *group, const struct ctl_cmd *only)
{
	const char *sep = "";

	fputs("usage: maracctl [-c file] ", stderr);
	for (const struct ctl_cmd *c = cmds; c < cmds + NCMDS; c++) {
		if (only != NULL ? c != only : group != NULL &&
		    strncmp(c->verb, group, strcspn(c->verb, " ")) != 0)
			continue;
		fprintf(stderr, "%s%s%s%s", sep, c->verb, c->usage[0] != '\0' ?
		    " " : "", c->usage);
		sep = " | ";
	}
	fputc('\n', stderr);
	return CTL_USAGE;
}

int
ctl_usage(const struct ctl *ctl)
{
	return usage(NULL, ctl->cmd);
}

/*
 * The command argv names, and how many of its words are the verb: two
 * words first ("holidays add" before "holidays"); else the usage of the
 * commands of its first word, or of all.
 */
static const struct ctl_cmd *
find(int argc, char **argv, int *words)
{
	char two[64];
	bool known = false;

	snprintf(two, sizeof(two), "%s %s", argv[0], argc > 1 ? argv[1] : "");
	for (*words = 2; *words > 0; (*words)--)
		for (const struct ctl_cmd *c = cmds; c < cmds + NCMDS; c++) {
			if (strcmp(c->verb, *words == 2 ? two : argv[0]) == 0)
				return c;
			known |= strncmp(c->verb, two, strlen(argv[0]) + 1) == 0;
		}
	usage(known ? argv[0] : NULL, NULL);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct ctl ctl = { .config_path = config_default_path() };
	char err[CONFIG_ERRLEN];
	int ch, rc, words;

	while ((ch = getopt(argc, argv, "+c:")) != -1) {
		if (ch != 'c')
			return usage(NULL, NULL);
		ctl.config_path = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage(NULL, NULL);
	if ((ctl.cmd = find(argc, argv, &words)) == NULL)
		return CTL_USAGE;
	if (!parse(&ctl, argc - words, argv + words))
		return ctl_usage(&ctl);
	if (clock_init(err, sizeof(err)) != 0 ||
	    config_load(ctl.config_path, &ctl.cfg, err, sizeof(err)) != 0) {
		config_free(&ctl.cfg);
		return ctl_fail("%s", err);
	}
	/* maracd's code logs; maracctl says what failed itself. */
	log_init("maracctl", false, LOG_LVL_ERROR);
	/* Local dates come from the same zone as maracd's (clock_today). */
	setenv("TZ", ctl.cfg.timezone, 1);
	tzset();
	buf_init(&ctl.out);
	rc = ctl.cmd->run(&ctl);
	if (rc == CTL_OK && buf_failed(&ctl.out))
		rc = ctl_fail("out of memory");
	else if (rc == CTL_OK && ctl.out.len > 0 && (fwrite(ctl.out.data, 1,
	    ctl.out.len, stdout) != ctl.out.len || fflush(stdout) != 0))
		rc = ctl_fail("cannot write to standard output");
	buf_free(&ctl.out);
	ctl_loop_close(&ctl);
	PQclear(ctl.res);
	if (ctl.db != NULL)
		PQfinish(ctl.db);
	config_free(&ctl.cfg);
	return rc;
}

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
	{ "migrate", { NULL }, CTL_NONE, NULL, ctl_migrate, "" },
	{ "token create", { "role!", "agency=", "forum=", "areas=", "name!",
	    "owner=", "days=" }, CTL_NONE, NULL, ctl_token_create,
	    "--role admin|coordinator|chair|agency|job [--agency CODE] " FORUM
	    AREAS "--name TEXT [--owner EMAIL] [--days N]" },
	{ "token list", { NULL }, CTL_NONE, NULL, ctl_token_list, "" },
	{ "token revoke", { NULL }, CTL_ID, NULL, ctl_token_revoke, "ID" },
	{ "user invite", { "email!", "name!", "role!", "agency=", "forum=",
	    "areas=", "print-link" }, CTL_NONE, NULL, ctl_user_invite,
	    "--email ADDRESS --name TEXT --role admin|coordinator|chair|agency "
	    "[--agency CODE] " FORUM AREAS "[--print-link]" },
	{ "user list", { NULL }, CTL_NONE, NULL, ctl_user_list, "" },
	{ "user disable", { NULL }, CTL_ID, NULL, ctl_user_state, "ID" },
	{ "user enable", { NULL }, CTL_ID, NULL, ctl_user_state, "ID" },
	{ "user reset-2fa", { "print-link" }, CTL_ID, NULL, ctl_user_reset_2fa,
	    "ID [--print-link]" },
	{ "agency add", { "name!", "email=", "core-of=" }, CTL_WORD, NULL, ctl_agency_add,
	    "CODE --name NAME [--email ADDRESS] [--core-of marac,masc|none]" },
	{ "agency list", { NULL }, CTL_NONE, NULL, ctl_agency_list, "" },
	{ "holidays add", { "name=", "replaces=" }, CTL_DATE, "maracctl",
	    ctl_holidays_change, "YYYY-MM-DD --name NAME [--replaces YYYY-MM-DD]" },
	{ "holidays remove", { NULL }, CTL_DATE, "maracctl", ctl_holidays_change,
	    "YYYY-MM-DD" },
	{ "holidays", { "year!" }, CTL_NONE, "maracctl", ctl_holidays_year,
	    "--year YYYY (1900..2200)" },
	{ "calendar", { "forum=", "area=", "from=", "count=" }, CTL_NONE, "maracctl",
	    ctl_calendar, FORUM "[--area CODE] [--from YYYY-MM-DD] [--count N]" },
	{ "import", { NULL }, CTL_WORD, "maracctl import", ctl_import, "FILE.csv" },
	{ "agenda", { "format=", "version=", "issue" }, CTL_ID, "maracctl agenda",
	    ctl_agenda, "SITTING [--format json|html|csv|ics] "
	    "[--version N|draft] [--issue]" },
	{ "drive", { "screen" }, CTL_ID, "maracctl", ctl_drive, "SITTING [--screen]" },
	{ "record", { "referral=", "format=", "out=", "verify=" }, CTL_ID_OR_NONE,
	    "maracctl record", ctl_record, "SITTING | --referral ID "
	    "[--format json|html|csv|pdf] [--out FILE] | record --verify FILE.json" },
	{ "reminders run", { "dry-run", "as-of=" }, CTL_NONE, "maracctl reminders",
	    ctl_reminders, "[--dry-run] [--as-of YYYY-MM-DD]" },
	{ "purge", { "dry-run", "batch=" }, CTL_NONE, "maracctl purge", ctl_purge,
	    "[--dry-run] [--batch N]" },
	{ "subject-access", { "name!", "dob!", "out=" }, CTL_NONE,
	    "maracctl subject-access", ctl_subject,
	    "--name NAME --dob YYYY-MM-DD [--out PREFIX]" },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

/* The index of option name (len bytes) among c's, or -1. */
static int
opt_index(const struct ctl_cmd *c, const char *name, size_t len)
{
	for (int i = 0; i < CTL_OPTS_MAX && c->opts[i] != NULL; i++)
		if (strcspn(c->opts[i], "=!") == len &&
		    strncmp(c->opts[i], name, len) == 0)
			return i;
	return -1;
}

const char *
ctl_arg(const struct ctl *ctl, const char *name)
{
	int i = opt_index(ctl->cmd, name, strlen(name));

	return i < 0 ? NULL : ctl->opt[i];
}

/* The options and the argument of c, checked as its row says. */
static bool
parse(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd *c = ctl->cmd;
	int j;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (ctl->npos == 1 || c->pos == CTL_NONE)
				return false;
			ctl->pos[ctl->npos++] = argv[i];
		} else if ((j = opt_index(c, argv[i] + 2, strlen(argv[i] + 2))) < 0)
			return false;
		else if (strpbrk(c->opts[j], "=!") == NULL)
			ctl->opt[j] = "";
		else if (i + 1 < argc)
			ctl->opt[j] = argv[++i];
		else
			return false;
	}
	for (j = 0; j < CTL_OPTS_MAX && c->opts[j] != NULL; j++)
		if (strchr(c->opts[j], '!') != NULL && ctl->opt[j] == NULL)
			return false;
	if (ctl->npos == 0)
		return c->pos == CTL_NONE || c->pos == CTL_ID_OR_NONE;
	return c->pos == CTL_DATE ? ctl_date(ctl->pos[0], &ctl->date) :
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

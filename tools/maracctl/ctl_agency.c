/*
 * maracctl agency add|list.  "add" of an existing code updates its name
 * and reminder address, so seeding twice is harmless; --core-of sets the
 * forums it is a core agency of.  The same function as POST and PATCH
 * /v1/agencies (agency_save, sql/018_admin.sql).
 */
#include "ctl.h"
#include "statements/agencies.h"

#include <stdio.h>
#include <string.h>

static int
agency_add(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--name", "--email", "--core-of", NULL };
	const char *core = NULL;
	const char *p[6];
	PGresult *res;

	if (argc < 1 || strncmp(argv[0], "--", 2) == 0 ||
	    !ctl_opts_known(argc - 1, argv + 1, known) ||
	    ctl_opt(argc - 1, argv + 1, "--name") == NULL)
		return ctl_usage("agency add CODE --name NAME [--email ADDRESS] "
		    "[--core-of marac,masc|none]");
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = argv[0];
	p[1] = ctl_opt(argc - 1, argv + 1, "--name");
	p[2] = ctl_opt(argc - 1, argv + 1, "--email");
	p[3] = "true";
	if ((core = ctl_opt(argc - 1, argv + 1, "--core-of")) != NULL &&
	    strcmp(core, "none") == 0)
		core = "";
	p[4] = core;
	p[5] = NULL;
	res = ctl_exec(ctl, AGENCIES_SQL_SAVE, 6, p);
	if (res == NULL)
		return CTL_FAIL;
	PQclear(res);
	printf("agency %s saved\n", argv[0]);
	return CTL_OK;
}

static int
agency_list(struct ctl *ctl, int argc, char **argv)
{
	PGresult *res;

	(void)argv;
	if (argc != 0)
		return ctl_usage("agency list");
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	res = ctl_exec(ctl, "SELECT code, name, coalesce(reminder_email, '-') "
	    "FROM agencies ORDER BY code", 0, NULL);
	if (res == NULL)
		return CTL_FAIL;
	for (int i = 0; i < PQntuples(res); i++)
		printf("%s\t%s\t%s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2));
	PQclear(res);
	return CTL_OK;
}

int
ctl_agency(struct ctl *ctl, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return agency_add(ctl, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return agency_list(ctl, argc - 1, argv + 1);
	return ctl_usage("agency add|list ...");
}

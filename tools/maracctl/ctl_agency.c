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

int
ctl_agency_add(struct ctl *ctl)
{
	const char *core = ctl_arg(ctl, "core-of");
	const char *p[6] = { ctl->pos[0], ctl_arg(ctl, "name"),
	    ctl_arg(ctl, "email"), "true",
	    core != NULL && strcmp(core, "none") == 0 ? "" : core, NULL };
	PGresult *res;

	if ((res = ctl_exec(ctl, AGENCIES_SQL_SAVE, 6, p)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	buf_printf(&ctl->out, "agency %s saved\n", p[0]);
	return CTL_OK;
}

int
ctl_agency_list(struct ctl *ctl)
{
	return ctl_rows(ctl, NULL, ctl_exec(ctl, "SELECT code, name, "
	    "coalesce(reminder_email, '-') FROM agencies ORDER BY code", 0, NULL));
}

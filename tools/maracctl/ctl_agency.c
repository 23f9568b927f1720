/*
 * maracctl agency add|list.  "add" of an existing code updates its name
 * and reminder address, so seeding twice is harmless.
 */
#include "ctl.h"

#include <stdio.h>

int
ctl_agency_add(struct ctl *ctl)
{
	const char *p[3] = { ctl->pos[0], ctl_arg(ctl, "name"),
	    ctl_arg(ctl, "email") };

	if (!ctl_do(ctl, "INSERT INTO agencies (code, name, reminder_email) "
	    "VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE "
	    "SET name = EXCLUDED.name, reminder_email = EXCLUDED.reminder_email",
	    3, p))
		return CTL_FAIL;
	buf_printf(&ctl->out, "agency %s saved\n", p[0]);
	return CTL_OK;
}

int
ctl_agency_list(struct ctl *ctl)
{
	return ctl_rows(ctl, NULL, ctl_exec(ctl, "SELECT code, name, "
	    "coalesce(reminder_email, '-') FROM agencies ORDER BY code", 0, NULL));
}

/* A one-time link's statement parameters; see accountlink.h. */
#include "shell/accountlink.h"
#include "shell/config.h"
#include "shell/tokenhash.h"

#include <stdio.h>

void
accountlink_settings(struct accountlink *l, const struct config *cfg)
{
	l->origin = cfg->accounts.public_origin[0] != '\0' ?
	    cfg->accounts.public_origin : NULL;
	snprintf(l->hours, sizeof(l->hours), "%d", cfg->accounts.invitation_hours);
}

int
accountlink_new(struct accountlink *l, const struct config *cfg)
{
	accountlink_settings(l, cfg);
	return tokenhash_new(l->token);
}

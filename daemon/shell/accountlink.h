/*
 * A one-time link (an invitation, a reset of a password or of the second
 * factor) as the account statements take it (statements/accounts.h):
 * its token, where the database mails it and how many hours it lasts,
 * under the [accounts] settings, the same from maracd's API and maracctl.
 */
#ifndef MARACD_ACCOUNTLINK_H
#define MARACD_ACCOUNTLINK_H

#include "core/token.h"

struct config;

struct accountlink {
	char		 token[TOKEN_LEN + 1];
	const char	*origin;	/* public_origin; NULL: none, nothing mailed */
	char		 hours[16];	/* invitation_hours, as text */
};

/* origin and hours from cfg, which origin points into. */
void	accountlink_settings(struct accountlink *l, const struct config *cfg);

/* As accountlink_settings, and a new token: 0, or -1 with no randomness. */
int	accountlink_new(struct accountlink *l, const struct config *cfg);

#endif

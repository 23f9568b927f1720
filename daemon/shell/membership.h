/*
 * A membership as the API reads it (api_users.c): for an invitation,
 * each of a user's roles, and an API token (api_tokens.c), so that what
 * a role needs (an agency, a forum, areas) is read and worded once.
 */
#ifndef MARACD_MEMBERSHIP_H
#define MARACD_MEMBERSHIP_H

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/fielderr.h"

/* admin, coordinator, chair, agency: role indexes these. */
extern const char *const membership_roles[];
#define MEMBERSHIP_CHAIR	2
#define MEMBERSHIP_AGENCY	3

struct membership {
	int		 role;		/* index in membership_roles, or -1 */
	int		 forum;		/* index in forum_codes, or -1 */
	char		*agency;
	struct buf	 areas;		/* "a,b": "" for every area */
};

/* o's role, agency, forum and areas (prefix: their path), errors into errs. */
void	membership_read(const cJSON *o, const char *prefix, struct membership *m,
	    struct field_errors *errs);
void	membership_free(struct membership *m);

#endif

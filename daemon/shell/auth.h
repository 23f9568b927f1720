/*
 * Bearer-token authentication.  The database checks the token (it keeps
 * only hashes) inside the request's transaction and, in the same step,
 * tells row-level security who the caller is; the handler then runs in
 * that transaction.
 */
#ifndef MARACD_AUTH_H
#define MARACD_AUTH_H

#include "shell/http.h"

/* Authenticate r against r->roles, then call r->handler (or answer). */
void	auth_request(struct http_req *r);
const char *auth_role_name(enum role role);

#endif

/*
 * Every endpoint maracd serves, the handler behind it, and the roles that
 * may call it (0: no token needed).
 */
#include "shell/api.h"

#define ADMIN	ROLE_ADMIN
#define CHAIR	ROLE_CHAIR
#define AGENCY	ROLE_AGENCY
#define JSON	"application/json"

const struct http_route api_routes[] = {
	{ HTTP_GET,	"/healthz",		NULL,	api_healthz,	0 },
	{ HTTP_GET,	"/readyz",		NULL,	api_readyz,	0 },
	{ HTTP_GET,	"/v1/whoami",		NULL,	api_whoami,	ADMIN | CHAIR | AGENCY },
	{ HTTP_GET,	"/v1/agencies",		NULL,	api_agencies_list, ADMIN | CHAIR | AGENCY },
	{ 0, NULL, NULL, NULL, 0 },
};

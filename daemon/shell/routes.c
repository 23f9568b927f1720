/* Every endpoint maracd serves, and the handler behind it. */
#include "shell/api.h"

const struct http_route api_routes[] = {
	{ HTTP_GET,	"/healthz",	NULL,	api_healthz },
	{ HTTP_GET,	"/readyz",	NULL,	api_readyz },
	{ 0, NULL, NULL, NULL },
};

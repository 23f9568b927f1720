/*
 * The HTTP API: one file per resource (api_health.c, ...), one table of
 * routes (routes.c) that says which handler answers which path.
 */
#ifndef MARACD_API_H
#define MARACD_API_H

#include "shell/http.h"

extern const struct http_route api_routes[];

void	api_healthz(struct http_req *r);
void	api_readyz(struct http_req *r);
void	api_whoami(struct http_req *r);
void	api_agencies_list(struct http_req *r);

#endif

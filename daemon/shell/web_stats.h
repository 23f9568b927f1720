/*
 * The statistics page (web_stats.c; maracd(8), WEB PAGES).
 */
#ifndef MARACD_WEB_STATS_H
#define MARACD_WEB_STATS_H

#include "shell/http.h"

void	web_statistics(struct http_req *r);

#endif

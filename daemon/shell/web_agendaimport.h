/*
 * The coordinator's agenda and import pages (web_agenda.c, web_import.c)
 * and the agencies' research pages (web_research.c), for the pages'
 * table (web_routes.c).
 */
#ifndef MARACD_WEB_AGENDAIMPORT_H
#define MARACD_WEB_AGENDAIMPORT_H

#include "shell/http.h"

void	web_sitting_agenda(struct http_req *r);
void	web_sitting_agenda_issue(struct http_req *r);
/*
 * Adds "downloads" ([{href, text, which}], PDF first) to an agenda's
 * answer (GET /v1/sittings/{id}/agenda): its own version's files, or the
 * draft's, from the same API by the same session.
 */
void	web_agenda_downloads(cJSON *agenda);
void	web_import(struct http_req *r);
void	web_import_post(struct http_req *r);
void	web_research_sittings(struct http_req *r);
void	web_research_sitting(struct http_req *r);
void	web_research_case(struct http_req *r);
void	web_research_case_post(struct http_req *r);

#endif

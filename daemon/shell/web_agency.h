/*
 * The agency pages (web_agency.c), for the pages' table (web_routes.c).
 */
#ifndef MARACD_WEB_AGENCY_H
#define MARACD_WEB_AGENCY_H

#include "shell/http.h"

void	web_referral_start(struct http_req *r);
void	web_referral_start_post(struct http_req *r);
void	web_draft_step(struct http_req *r);
void	web_draft_step_post(struct http_req *r);
void	web_draft_check(struct http_req *r);
void	web_draft_submit(struct http_req *r);
void	web_draft_delete(struct http_req *r);
void	web_referral(struct http_req *r);
void	web_referrals(struct http_req *r);
void	web_actions(struct http_req *r);
void	web_action(struct http_req *r);
void	web_action_post(struct http_req *r);
void	web_agendas(struct http_req *r);
void	web_agenda(struct http_req *r);

#endif

/*
 * The chair's pages (web_chair.c), for the pages' table (web_routes.c):
 * a sitting as it is held, each case's decision, the decision records.
 */
#ifndef MARACD_WEB_CHAIR_H
#define MARACD_WEB_CHAIR_H

#include "shell/http.h"

void	web_chair_meeting(struct http_req *r);
void	web_chair_meeting_post(struct http_req *r);
void	web_chair_case(struct http_req *r);
void	web_chair_case_post(struct http_req *r);
void	web_chair_sign_off(struct http_req *r);
void	web_chair_action_post(struct http_req *r);
void	web_chair_records(struct http_req *r);

#endif

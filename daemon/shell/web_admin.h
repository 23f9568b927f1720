/*
 * The admin pages (web_admin.c), for the pages' table (web_routes.c).
 */
#ifndef MARACD_WEB_ADMIN_H
#define MARACD_WEB_ADMIN_H

#include "shell/http.h"

void	web_admin_home(struct http_req *r);
void	web_admin_users(struct http_req *r);
void	web_admin_member_form(struct http_req *r);
void	web_admin_member_form_post(struct http_req *r);
void	web_admin_user(struct http_req *r);
void	web_admin_user_roles(struct http_req *r);
void	web_admin_user_confirm(struct http_req *r);
void	web_admin_user_change(struct http_req *r);
void	web_admin_agencies(struct http_req *r);
void	web_admin_agency_new(struct http_req *r);
void	web_admin_agency(struct http_req *r);
void	web_admin_agency_post(struct http_req *r);
void	web_admin_holidays(struct http_req *r);
void	web_admin_holiday_add(struct http_req *r);
void	web_admin_holiday_confirm(struct http_req *r);
void	web_admin_holiday_remove(struct http_req *r);
void	web_admin_tokens(struct http_req *r);
void	web_admin_token_confirm(struct http_req *r);
void	web_admin_token_revoke(struct http_req *r);

#endif

/*
 * The coordinator's pages (maracd(8), WEB PAGES): the dashboard, the
 * cases (search, a referral in full, transfer, link and unlink) and the
 * sittings (calendar, add, move, cancel, the research deadline), for
 * admins and coordinators; the calendar for chairs too.
 */
#ifndef MARACD_WEB_COORD_H
#define MARACD_WEB_COORD_H

struct http_req;

void	web_dashboard(struct http_req *r);
void	web_cases(struct http_req *r);
void	web_case(struct http_req *r);
void	web_case_transfer(struct http_req *r);
void	web_case_link(struct http_req *r);
void	web_case_unlink(struct http_req *r);
void	web_sittings(struct http_req *r);
void	web_sittings_add(struct http_req *r);
void	web_sitting_new(struct http_req *r);
void	web_sitting(struct http_req *r);
void	web_sitting_change(struct http_req *r);
void	web_sitting_status(struct http_req *r);
void	web_sitting_research(struct http_req *r);

#endif

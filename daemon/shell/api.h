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
void	api_metrics(struct http_req *r);
void	api_openapi(struct http_req *r);
void	api_whoami(struct http_req *r);
void	api_agencies_list(struct http_req *r);
void	api_auth_signin(struct http_req *r);
void	api_auth_totp(struct http_req *r);
void	api_auth_signout(struct http_req *r);
void	api_auth_signout_everywhere(struct http_req *r);
void	api_auth_membership(struct http_req *r);
void	api_auth_invitation_get(struct http_req *r);
void	api_auth_invitation_accept(struct http_req *r);
void	api_auth_enrol_get(struct http_req *r);
void	api_auth_enrol(struct http_req *r);
void	api_auth_reset_request(struct http_req *r);
void	api_auth_reset(struct http_req *r);
void	api_users_list(struct http_req *r);
void	api_users_create(struct http_req *r);
void	api_users_update(struct http_req *r);
void	api_agencies_create(struct http_req *r);
void	api_agencies_update(struct http_req *r);
void	api_users_reset_second_factor(struct http_req *r);
void	api_tokens_list(struct http_req *r);
void	api_tokens_create(struct http_req *r);
void	api_tokens_revoke(struct http_req *r);
void	api_holidays_list(struct http_req *r);
void	api_holidays_add(struct http_req *r);
void	api_holidays_remove(struct http_req *r);
void	api_sittings_list(struct http_req *r);
void	api_sittings_add(struct http_req *r);
void	api_sittings_update(struct http_req *r);
void	api_sittings_for(struct http_req *r);
void	api_referrals_create(struct http_req *r);
void	api_referrals_prefetch(struct http_req *r);
void	api_referrals_check(struct http_req *r);
void	api_drafts_list(struct http_req *r);
void	api_drafts_create(struct http_req *r);
void	api_drafts_get(struct http_req *r);
void	api_drafts_put(struct http_req *r);
void	api_drafts_delete(struct http_req *r);
void	api_drafts_submit(struct http_req *r);
void	api_agendas_list(struct http_req *r);
void	api_checklists_get(struct http_req *r);
void	api_referrals_get(struct http_req *r);
void	api_referrals_transfer(struct http_req *r);
void	api_referrals_unlink(struct http_req *r);
void	api_referrals_list(struct http_req *r);
void	api_referrals_import(struct http_req *r);
void	api_attention_list(struct http_req *r);
/* api_coordination.c: the coordinator's views and the manual link */
void	api_dashboard(struct http_req *r);
void	api_sittings_get(struct http_req *r);
void	api_referrals_link(struct http_req *r);
void	api_decision_put(struct http_req *r);
void	api_decision_get(struct http_req *r);
void	api_decision_sign_off(struct http_req *r);
void	api_minutes_get(struct http_req *r);
void	api_minutes_put(struct http_req *r);
void	api_actions_create(struct http_req *r);
void	api_actions_list(struct http_req *r);
void	api_actions_get(struct http_req *r);
void	api_actions_update(struct http_req *r);
void	api_statistics(struct http_req *r);
void	api_statistics_safelives(struct http_req *r);
void	api_statistics_masc(struct http_req *r);
void	api_statistics_report(struct http_req *r);
void	api_drive_get(struct http_req *r);
void	api_drive_screen_sitting(struct http_req *r);
void	api_drive_screen_referral(struct http_req *r);
void	api_drive_merge(struct http_req *r);
void	api_drive_split(struct http_req *r);
void	api_sittings_record(struct http_req *r);
void	api_referrals_record(struct http_req *r);
void	api_sittings_record_cases(struct http_req *r);
void	api_agenda_get(struct http_req *r);
void	api_agenda_issue(struct http_req *r);
void	api_holds_place(struct http_req *r);
void	api_holds_lift(struct http_req *r);
void	api_holds_list(struct http_req *r);
void	api_research_overview(struct http_req *r);
void	api_research_get(struct http_req *r);
void	api_research_set_due(struct http_req *r);
void	api_research_return(struct http_req *r);

#endif

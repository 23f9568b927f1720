/*
 * Every endpoint maracd serves, the handler behind it, the roles that
 * may call it (0: no token needed), and the hook, if any, whose statement
 * rides with the token check (http.h).
 */
#include "shell/api.h"

#define ADMIN	ROLES_STAFF		/* admins and coordinators */
#define CHAIR	ROLE_CHAIR
#define AGENCY	ROLE_AGENCY
#define JSON	"application/json"

const struct http_route api_routes[] = {
	{ HTTP_GET,	"/healthz",		NULL,	api_healthz,	0, NULL },
	{ HTTP_GET,	"/readyz",		NULL,	api_readyz,	0, NULL },
	{ HTTP_GET,	"/metrics",		NULL,	api_metrics,	0, NULL },
	/* Public: it describes the API and holds no data (api_openapi.c). */
	{ HTTP_GET,	"/v1/openapi.json",	NULL,	api_openapi,	0, NULL },
	{ HTTP_GET,	"/v1/whoami",		NULL,	api_whoami,	ADMIN | CHAIR | AGENCY, NULL },
	/* Signing in: no token; each step finds its own footing (api_auth.c). */
	{ HTTP_POST,	"/v1/auth/signin",	JSON,	api_auth_signin, 0, NULL },
	{ HTTP_POST,	"/v1/auth/totp",	JSON,	api_auth_totp,	0, NULL },
	{ HTTP_POST,	"/v1/auth/signout",	NULL,	api_auth_signout, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_POST,	"/v1/auth/signout-everywhere", NULL, api_auth_signout_everywhere,
	    ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_POST,	"/v1/auth/membership",	JSON,	api_auth_membership,
	    ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/auth/invitations/{}", NULL, api_auth_invitation_get, 0, NULL },
	{ HTTP_POST,	"/v1/auth/invitations/{}", JSON, api_auth_invitation_accept, 0, NULL },
	{ HTTP_GET,	"/v1/auth/enrol",	NULL,	api_auth_enrol_get, 0, NULL },
	{ HTTP_POST,	"/v1/auth/enrol",	JSON,	api_auth_enrol,	0, NULL },
	{ HTTP_POST,	"/v1/auth/reset",	JSON,	api_auth_reset_request, 0, NULL },
	{ HTTP_POST,	"/v1/auth/reset/{}",	JSON,	api_auth_reset,	0, NULL },
	{ HTTP_GET,	"/v1/users",		NULL,	api_users_list,	ADMIN, NULL },
	{ HTTP_POST,	"/v1/users",		JSON,	api_users_create, ADMIN, NULL },
	{ HTTP_PATCH,	"/v1/users/{}",		JSON,	api_users_update, ADMIN, NULL },
	{ HTTP_GET,	"/v1/agencies",		NULL,	api_agencies_list, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/holidays",		NULL,	api_holidays_list, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_POST,	"/v1/holidays",		JSON,	api_holidays_add, ADMIN, NULL },
	{ HTTP_DELETE,	"/v1/holidays/{}",	NULL,	api_holidays_remove, ADMIN, NULL },
	{ HTTP_GET,	"/v1/sittings",		NULL,	api_sittings_list, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_POST,	"/v1/sittings",		JSON,	api_sittings_add, ADMIN, NULL },
	/* Before /v1/sittings/{}: "for" is not an id. */
	{ HTTP_GET,	"/v1/sittings/for",	NULL,	api_sittings_for, ADMIN, NULL },
	{ HTTP_PATCH,	"/v1/sittings/{}",	JSON,	api_sittings_update, ADMIN, NULL },
	{ HTTP_GET,	"/v1/sittings/{}/minutes", NULL, api_minutes_get, ADMIN | CHAIR, NULL },
	{ HTTP_PUT,	"/v1/sittings/{}/minutes", JSON, api_minutes_put, ADMIN | CHAIR, NULL },
	{ HTTP_GET,	"/v1/sittings/{}/cases/{}/decision", NULL, api_decision_get, ADMIN | CHAIR, NULL },
	{ HTTP_PUT,	"/v1/sittings/{}/cases/{}/decision", JSON, api_decision_put, ADMIN | CHAIR, NULL },
	{ HTTP_POST,	"/v1/sittings/{}/cases/{}/decision/sign-off", NULL,
	    api_decision_sign_off, ADMIN | CHAIR, NULL },
	{ HTTP_POST,	"/v1/referrals/{}/actions", JSON, api_actions_create, ADMIN | CHAIR, NULL },
	{ HTTP_GET,	"/v1/actions",		NULL,	api_actions_list, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/actions/{}",	NULL,	api_actions_get, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_PATCH,	"/v1/actions/{}",	JSON,	api_actions_update, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/statistics",	NULL,	api_statistics,	ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/statistics/safelives", NULL, api_statistics_safelives,
	    ADMIN | CHAIR, NULL },
	{ HTTP_GET,	"/v1/statistics/masc", NULL, api_statistics_masc, ADMIN | CHAIR, NULL },
	{ HTTP_GET,	"/v1/attention",	NULL,	api_attention_list, ADMIN, NULL },
	/* The coordinator's views and the manual link (api_coordination.c). */
	{ HTTP_GET,	"/v1/dashboard",	NULL,	api_dashboard,	ADMIN, NULL },
	{ HTTP_GET,	"/v1/sittings/{}",	NULL,	api_sittings_get, ADMIN, NULL },
	{ HTTP_POST,	"/v1/referrals/{}/link", JSON,	api_referrals_link, ADMIN, NULL },
	{ HTTP_POST,	"/v1/referrals",	JSON,	api_referrals_create, ADMIN | AGENCY,
	    api_referrals_prefetch },
	/* Before /v1/referrals/{}: "import" and "check" are not ids. */
	{ HTTP_POST,	"/v1/referrals/import",	"text/csv", api_referrals_import, ADMIN, NULL },
	{ HTTP_POST,	"/v1/referrals/check",	JSON,	api_referrals_check, ADMIN | AGENCY,
	    api_referrals_prefetch },
	{ HTTP_GET,	"/v1/checklists",	NULL,	api_checklists_get, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/drafts",		NULL,	api_drafts_list, ADMIN | AGENCY, NULL },
	{ HTTP_POST,	"/v1/drafts",		JSON,	api_drafts_create, ADMIN | AGENCY, NULL },
	{ HTTP_GET,	"/v1/drafts/{}",	NULL,	api_drafts_get,	ADMIN | AGENCY, NULL },
	{ HTTP_PUT,	"/v1/drafts/{}",	JSON,	api_drafts_put,	ADMIN | AGENCY, NULL },
	{ HTTP_DELETE,	"/v1/drafts/{}",	NULL,	api_drafts_delete, ADMIN | AGENCY, NULL },
	{ HTTP_POST,	"/v1/drafts/{}/submit",	NULL,	api_drafts_submit, ADMIN | AGENCY, NULL },
	{ HTTP_GET,	"/v1/referrals",	NULL,	api_referrals_list, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/referrals/{}",	NULL,	api_referrals_get, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_POST,	"/v1/referrals/{}/transfer", JSON, api_referrals_transfer, ADMIN, NULL },
	{ HTTP_DELETE,	"/v1/referrals/{}/link", NULL, api_referrals_unlink, ADMIN, NULL },
	{ HTTP_POST,	"/v1/referrals/{}/hold", JSON, api_holds_place, ADMIN, NULL },
	{ HTTP_DELETE,	"/v1/referrals/{}/hold", NULL, api_holds_lift, ADMIN, NULL },
	{ HTTP_GET,	"/v1/holds",		NULL,	api_holds_list,	ADMIN, NULL },
	{ HTTP_GET,	"/v1/sittings/{}/drive", NULL,	api_drive_get,	ADMIN | CHAIR, NULL },
	{ HTTP_POST,	"/v1/sittings/{}/drive/screen", NULL, api_drive_screen_sitting, ADMIN, NULL },
	{ HTTP_POST,	"/v1/drive/screen",	JSON,	api_drive_screen_referral, ADMIN | CHAIR, NULL },
	{ HTTP_POST,	"/v1/drive/identities/merge", JSON, api_drive_merge, ADMIN, NULL },
	{ HTTP_POST,	"/v1/drive/identities/split", JSON, api_drive_split, ADMIN, NULL },
	{ HTTP_GET,	"/v1/sittings/{}/record", NULL,	api_sittings_record, ADMIN | CHAIR, NULL },
	{ HTTP_GET,	"/v1/referrals/{}/record", NULL, api_referrals_record, ADMIN | CHAIR, NULL },
	{ HTTP_GET,	"/v1/agendas",		NULL,	api_agendas_list, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/sittings/{}/agenda", NULL, api_agenda_get, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_GET,	"/v1/sittings/{}/research", NULL, api_research_get, ADMIN | CHAIR | AGENCY, NULL },
	{ HTTP_PUT,	"/v1/sittings/{}/research", JSON, api_research_set_due, ADMIN, NULL },
	{ HTTP_PUT,	"/v1/sittings/{}/research/{}", JSON, api_research_return, AGENCY, NULL },
	{ HTTP_POST,	"/v1/sittings/{}/agenda/issue", NULL, api_agenda_issue, ADMIN, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL },
};

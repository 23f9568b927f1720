/*
 * Every page maracd serves (web.h), the handler behind it and the roles
 * that may see it (0: anyone, such as the sign-in pages), and the
 * navigation each role gets.  Pages are not under /v1/ and are not API
 * operations; a POST takes a form.
 */
#include "shell/web.h"
#include "shell/web_agency.h"
#include "shell/web_chair.h"
#include "shell/web_stats.h"
#include "shell/web_agendaimport.h"
#include "shell/web_admin.h"
#include "shell/web_coord.h"

#define ANY	ROLES_ANY
#define AGENCY	ROLE_AGENCY
#define STAFF	ROLES_STAFF
#define FORM	"application/x-www-form-urlencoded"
#define UPLOAD	"multipart/form-data"
#define CHAIR_STAFF	(ROLE_CHAIR | ROLES_STAFF)

const struct http_route web_routes[] = {
	{ HTTP_GET,	"/",			NULL,	web_home,	ANY, NULL },
	{ HTTP_GET,	"/sign-in",		NULL,	web_sign_in,	0, NULL },
	{ HTTP_POST,	"/sign-in",		FORM,	web_sign_in_post, 0, NULL },
	{ HTTP_GET,	"/sign-in/code",	NULL,	web_sign_in_code, 0, NULL },
	{ HTTP_POST,	"/sign-in/code",	FORM,	web_sign_in_code_post, 0, NULL },
	{ HTTP_POST,	"/sign-out",		FORM,	web_sign_out,	ANY, NULL },
	{ HTTP_POST,	"/sign-out/everywhere",	FORM,	web_sign_out_everywhere, ANY, NULL },
	{ HTTP_GET,	"/account/invitation/{}", NULL,	web_invitation,	0, NULL },
	{ HTTP_POST,	"/account/invitation/{}", FORM,	web_invitation_post, 0, NULL },
	{ HTTP_GET,	"/account/enrol",	NULL,	web_enrol,	0, NULL },
	{ HTTP_POST,	"/account/enrol",	FORM,	web_enrol_post,	0, NULL },
	{ HTTP_GET,	"/account/enrol/qr.svg", NULL,	web_enrol_qr,	0, NULL },
	{ HTTP_GET,	"/account/reset",	NULL,	web_reset_request, 0, NULL },
	{ HTTP_POST,	"/account/reset",	FORM,	web_reset_request_post, 0, NULL },
	{ HTTP_GET,	"/account/reset/{}",	NULL,	web_reset,	0, NULL },
	{ HTTP_POST,	"/account/reset/{}",	FORM,	web_reset_post,	0, NULL },
	{ HTTP_GET,	"/account/keep-alive",	NULL,	web_keep_alive,	ANY, NULL },
	{ HTTP_GET,	"/accessibility",	NULL,	web_accessibility, 0, NULL },
	{ HTTP_GET,	"/privacy",		NULL,	web_privacy,	0, NULL },
	/* The agency pages (web_agency.c); fixed words before {} ones. */
	{ HTTP_GET,	"/referrals/new",	NULL,	web_referral_start, AGENCY, NULL },
	{ HTTP_POST,	"/referrals/new",	FORM,	web_referral_start_post, AGENCY, NULL },
	{ HTTP_GET,	"/referrals/drafts/{}/check", NULL, web_draft_check, AGENCY, NULL },
	{ HTTP_POST,	"/referrals/drafts/{}/submit", FORM, web_draft_submit, AGENCY, NULL },
	{ HTTP_POST,	"/referrals/drafts/{}/delete", FORM, web_draft_delete, AGENCY, NULL },
	{ HTTP_GET,	"/referrals/drafts/{}/{}", NULL, web_draft_step, AGENCY, NULL },
	{ HTTP_POST,	"/referrals/drafts/{}/{}", FORM, web_draft_step_post, AGENCY, NULL },
	{ HTTP_GET,	"/referrals",		NULL,	web_referrals,	AGENCY, NULL },
	{ HTTP_GET,	"/referrals/{}",	NULL,	web_referral,	AGENCY, NULL },
	{ HTTP_GET,	"/referrals/{}/confirmation", NULL, web_referral, AGENCY, NULL },
	{ HTTP_GET,	"/actions",		NULL,	web_actions,	AGENCY, NULL },
	{ HTTP_GET,	"/actions/{}",		NULL,	web_action,	AGENCY, NULL },
	{ HTTP_POST,	"/actions/{}",		FORM,	web_action_post, AGENCY, NULL },
	{ HTTP_GET,	"/agendas",		NULL,	web_agendas,	AGENCY, NULL },
	{ HTTP_GET,	"/agendas/{}",		NULL,	web_agenda,	AGENCY, NULL },
	/* The chair's pages (web_chair.c): the sitting as it is held, its records. */
	{ HTTP_GET,	"/sittings/{}/meeting",	NULL,	web_chair_meeting, CHAIR_STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/meeting",	FORM,	web_chair_meeting_post, CHAIR_STAFF, NULL },
	{ HTTP_GET,	"/sittings/{}/meeting/{}", NULL, web_chair_case, CHAIR_STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/meeting/{}", FORM, web_chair_case_post, CHAIR_STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/meeting/{}/sign-off", FORM, web_chair_sign_off,
	    CHAIR_STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/meeting/{}/actions", FORM, web_chair_action_post,
	    CHAIR_STAFF, NULL },
	{ HTTP_GET,	"/sittings/{}/records",	NULL,	web_chair_records, CHAIR_STAFF, NULL },
	/* The statistics page (web_stats.c). */
	{ HTTP_GET,	"/statistics",		NULL,	web_statistics,	ROLES_STAFF | ROLE_CHAIR, NULL },
	/* Agenda and import (staff), research (agencies): web_agenda.c, web_import.c, web_research.c. */
	{ HTTP_GET,	"/sittings/{}/agenda",	NULL,	web_sitting_agenda, STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/agenda/issue", FORM, web_sitting_agenda_issue, STAFF, NULL },
	{ HTTP_GET,	"/import",		NULL,	web_import,	STAFF, NULL },
	{ HTTP_POST,	"/import",		UPLOAD,	web_import_post, STAFF, NULL },
	{ HTTP_GET,	"/research",		NULL,	web_research_sittings, AGENCY, NULL },
	{ HTTP_GET,	"/research/{}",		NULL,	web_research_sitting, AGENCY, NULL },
	{ HTTP_GET,	"/research/{}/{}",	NULL,	web_research_case, AGENCY, NULL },
	{ HTTP_POST,	"/research/{}/{}",	FORM,	web_research_case_post, AGENCY, NULL },
	/*
	 * The admin pages (web_admin.c): admins; coordinators too where the
	 * API lets them (the agency members of their areas, bank holidays).
	 */
	{ HTTP_GET,	"/admin",		NULL,	web_admin_home,	ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/users",		NULL,	web_admin_users, ROLES_STAFF, NULL },
	{ HTTP_GET,	"/admin/users/new",	NULL,	web_admin_member_form, ROLES_STAFF, NULL },
	{ HTTP_POST,	"/admin/users/new",	FORM,	web_admin_member_form_post, ROLES_STAFF, NULL },
	{ HTTP_GET,	"/admin/users/{}",	NULL,	web_admin_user,	ROLES_STAFF, NULL },
	{ HTTP_POST,	"/admin/users/{}/roles", FORM,	web_admin_user_roles, ROLES_STAFF, NULL },
	{ HTTP_GET,	"/admin/users/{}/disable", NULL, web_admin_user_confirm, ROLES_STAFF, NULL },
	{ HTTP_POST,	"/admin/users/{}/disable", FORM, web_admin_user_change, ROLES_STAFF, NULL },
	{ HTTP_POST,	"/admin/users/{}/enable", FORM,	web_admin_user_change, ROLES_STAFF, NULL },
	{ HTTP_GET,	"/admin/users/{}/reset-second-factor", NULL, web_admin_user_confirm,
	    ROLE_ADMIN, NULL },
	{ HTTP_POST,	"/admin/users/{}/reset-second-factor", FORM, web_admin_user_change,
	    ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/agencies",	NULL,	web_admin_agencies, ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/agencies/new",	NULL,	web_admin_agency_new, ROLE_ADMIN, NULL },
	{ HTTP_POST,	"/admin/agencies/new",	FORM,	web_admin_agency_post, ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/agencies/{}",	NULL,	web_admin_agency, ROLE_ADMIN, NULL },
	{ HTTP_POST,	"/admin/agencies/{}",	FORM,	web_admin_agency_post, ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/holidays",	NULL,	web_admin_holidays, ROLES_STAFF, NULL },
	{ HTTP_POST,	"/admin/holidays",	FORM,	web_admin_holiday_add, ROLES_STAFF, NULL },
	{ HTTP_GET,	"/admin/holidays/{}/remove", NULL, web_admin_holiday_confirm,
	    ROLES_STAFF, NULL },
	{ HTTP_POST,	"/admin/holidays/{}/remove", FORM, web_admin_holiday_remove,
	    ROLES_STAFF, NULL },
	{ HTTP_GET,	"/admin/tokens",	NULL,	web_admin_tokens, ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/tokens/new",	NULL,	web_admin_member_form, ROLE_ADMIN, NULL },
	{ HTTP_POST,	"/admin/tokens/new",	FORM,	web_admin_member_form_post, ROLE_ADMIN, NULL },
	{ HTTP_GET,	"/admin/tokens/{}/revoke", NULL, web_admin_token_confirm, ROLE_ADMIN, NULL },
	{ HTTP_POST,	"/admin/tokens/{}/revoke", FORM, web_admin_token_revoke, ROLE_ADMIN, NULL },
	/* The coordinator's pages (web_coord.c); fixed words before {} ones. */
	{ HTTP_GET,	"/dashboard",		NULL,	web_dashboard,	STAFF, NULL },
	{ HTTP_GET,	"/cases",		NULL,	web_cases,	STAFF, NULL },
	{ HTTP_GET,	"/cases/{}",		NULL,	web_case,	STAFF, NULL },
	{ HTTP_POST,	"/cases/{}/transfer",	FORM,	web_case_transfer, STAFF, NULL },
	{ HTTP_POST,	"/cases/{}/link",	FORM,	web_case_link,	STAFF, NULL },
	{ HTTP_POST,	"/cases/{}/unlink",	FORM,	web_case_unlink, STAFF, NULL },
	{ HTTP_GET,	"/sittings",		NULL,	web_sittings,	STAFF | ROLE_CHAIR, NULL },
	{ HTTP_POST,	"/sittings",		FORM,	web_sittings_add, STAFF, NULL },
	{ HTTP_GET,	"/sittings/new",	NULL,	web_sitting_new, STAFF, NULL },
	{ HTTP_GET,	"/sittings/{}",		NULL,	web_sitting,	STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}",		FORM,	web_sitting_change, STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/status",	FORM,	web_sitting_status, STAFF, NULL },
	{ HTTP_POST,	"/sittings/{}/research", FORM,	web_sitting_research, STAFF, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL },
};

/* The service navigation, and the home page's list, by role. */
const struct web_nav web_nav[] = {
	{ "/",		"Home",		ANY },
	/* The agency's (web_agency.c, web_research.c). */
	{ "/referrals/new", "Make a referral", AGENCY },
	{ "/referrals",	"Our referrals", AGENCY },
	{ "/actions",	"Our actions",	AGENCY },
	{ "/agendas",	"Agendas",	AGENCY },
	{ "/research",	"Research",	AGENCY },
	/* The coordinator's (web_coord.c, web_import.c); the chair's calendar too. */
	{ "/dashboard",	"Dashboard",	STAFF },
	{ "/cases",	"Cases",	STAFF },
	{ "/sittings",	"Sittings",	STAFF | ROLE_CHAIR },
	{ "/import",	"Import",	STAFF },
	{ "/statistics", "Statistics",	STAFF | ROLE_CHAIR },
	{ "/admin",	"Admin",	ROLE_ADMIN },
	/*
	 * The admin pages a coordinator may use too (web_admin.c): an admin
	 * reaches them from /admin, a coordinator has no /admin.
	 */
	{ "/admin/users", "Users",	ROLE_COORDINATOR },
	{ "/admin/holidays", "Bank holidays", ROLE_COORDINATOR },
	{ NULL, NULL, 0 },
};

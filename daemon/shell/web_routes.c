/*
 * Every page maracd serves (web.h), the handler behind it and the roles
 * that may see it (0: anyone, such as the sign-in pages), and the
 * navigation each role gets.  Pages are not under /v1/ and are not API
 * operations; a POST takes a form.
 */
#include "shell/web.h"
#include "shell/web_agency.h"
#include "shell/web_coord.h"

#define ANY	ROLES_ANY
#define AGENCY	ROLE_AGENCY
#define STAFF	ROLES_STAFF
#define FORM	"application/x-www-form-urlencoded"

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
	{ "/referrals/new", "Make a referral", AGENCY },
	{ "/referrals",	"Our referrals", AGENCY },
	{ "/actions",	"Our actions",	AGENCY },
	{ "/agendas",	"Agendas",	AGENCY },
	/* The coordinator's (web_coord.c); the chair's calendar too. */
	{ "/dashboard",	"Dashboard",	STAFF },
	{ "/cases",	"Cases",	STAFF },
	{ "/sittings",	"Sittings",	STAFF | ROLE_CHAIR },
	{ NULL, NULL, 0 },
};

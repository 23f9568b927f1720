/*
 * The account pages (maracd(8), WEB PAGES): signing in with the second
 * factor, the invitation link, TOTP enrolment with its recovery codes,
 * password reset, signing out, and the keep-alive of the time-out
 * warning.  Each calls the JSON API's handler for the same step
 * (api_auth.c) and only renders its answer.
 */
#include "shell/api.h"
#include "shell/web.h"
#include "core/totp.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct web_field signin_fields[] = {
	{ "email", "Enter your email address" },
	{ "password", "Enter your password" },
	{ NULL, NULL },
};
static const struct web_field code_fields[] = {
	{ "code", "Enter the 6-digit code from your authenticator app" },
	{ "recovery_code", "Enter one of your recovery codes" },
	{ NULL, NULL },
};
static const struct web_field password_fields[] = {
	{ "password", "Enter a password" },
	{ NULL, NULL },
};
static const struct web_field email_fields[] = {
	{ "email", "Enter your email address" },
	{ NULL, NULL },
};

/* The form, less the fields that are the page's own, as the API's body. */
static cJSON *
api_body(struct http_req *r)
{
	cJSON *b = web_form_take(r);

	cJSON_DeleteItemFromObjectCaseSensitive(b, "next");
	return b;
}

/* {"next": where to go after signing in}, for the forms that carry it. */
static cJSON *
next_data(struct http_req *r)
{
	cJSON *d = cJSON_CreateObject();
	const char *next = web_next(r);

	if (strcmp(next, "/") != 0)
		cJSON_AddStringToObject(d, "next", next);
	return d;
}

/* A page that only says something, such as an expired link's. */
static void
message(struct http_req *r, int status, const char *title, const char *text,
    const char *href, const char *link)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "text", text);
	if (href != NULL) {
		cJSON_AddStringToObject(d, "href", href);
		cJSON_AddStringToObject(d, "link", link);
	}
	web_render(r, status, "message", title, d);
}

/* --- sign in ---------------------------------------------------------------- */

void
web_sign_in(struct http_req *r)
{
	const char *out = http_query_get(r, "signed_out");

	if (http_query_get(r, "ended") != NULL)
		web_notice(r, "Your session ended, so you have been signed out. Sign in again.");
	else if (out != NULL)
		web_notice(r, strcmp(out, "everywhere") == 0 ? "You have signed out on "
		    "every device." : "You have signed out.");
	else if (http_query_get(r, "reset") != NULL)
		web_notice(r, "Your password has been changed. Sign in with it.");
	web_render(r, 200, "sign_in", "Sign in", next_data(r));
}

static void
signin_answered(struct http_req *r, int status, cJSON *answer)
{
	char *loc = NULL, *enc;
	const char *next = web_next(r);

	switch (status) {
	case 200:
		enc = strcmp(next, "/") != 0 ? evhttp_encode_uri(next) : NULL;
		if (asprintf(&loc, "/sign-in/code%s%s", enc != NULL ? "?next=" : "",
		    enc != NULL ? enc : "") == -1)
			loc = NULL;
		free(enc);
		web_redirect(r, loc != NULL ? loc : "/sign-in/code");
		free(loc);
		break;
	case 401:
	case 422:
	case 429:
		web_form_errors(r, answer, signin_fields, "email", status == 401 ?
		    "The email address or the password is wrong" : status == 429 ?
		    "There have been too many failed sign-ins: wait a few minutes "
		    "and try again" : NULL);
		web_render(r, status == 429 ? 429 : 422, "sign_in", "Sign in", next_data(r));
		break;
	default:
		web_fallback(r, status, answer);
		return;
	}
	cJSON_Delete(answer);
}

void
web_sign_in_post(struct http_req *r)
{
	web_call(r, api_auth_signin, api_body(r), signin_answered);
}

void
web_sign_in_code(struct http_req *r)
{
	web_render(r, 200, "sign_in_code", "Enter your code", next_data(r));
}

static void
code_answered(struct http_req *r, int status, cJSON *answer)
{
	const char *field = web_form_string(r, "recovery_code") != NULL ?
	    "recovery_code" : "code";

	switch (status) {
	case 200:
		web_redirect(r, web_next(r));
		break;
	case 401:
	case 422:
		web_form_errors(r, answer, code_fields, field, status == 401 ?
		    "The code is wrong or has been used, or the sign-in has expired: "
		    "if it keeps failing, sign in again" : NULL);
		web_render(r, 422, "sign_in_code", "Enter your code", next_data(r));
		break;
	default:
		web_fallback(r, status, answer);
		return;
	}
	cJSON_Delete(answer);
}

void
web_sign_in_code_post(struct http_req *r)
{
	web_call(r, api_auth_totp, api_body(r), code_answered);
}

/* --- sign out --------------------------------------------------------------- */

static void
signed_out(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_Delete(answer);
	web_redirect(r, strcmp(r->path, "/sign-out/everywhere") == 0 ?
	    "/sign-in?signed_out=everywhere" : "/sign-in?signed_out=1");
}

void
web_sign_out(struct http_req *r)
{
	web_call(r, api_auth_signout, NULL, signed_out);
}

void
web_sign_out_everywhere(struct http_req *r)
{
	web_call(r, api_auth_signout_everywhere, NULL, signed_out);
}

/* GET /account/keep-alive: the request itself keeps the session alive. */
void
web_keep_alive(struct http_req *r)
{
	web_reply_empty(r, 204);
}

/* --- the one-time link's forms ------------------------------------------------ */

/*
 * The invitation (choose a password), the enrolment (set up the app) and
 * the password reset are one workflow: a form, shown with what the API
 * says of the link (or set-up) when it has a GET for it; posted to the
 * API; on success a redirect (or the page of recovery codes); refused,
 * the form again with its errors; gone, a page that says so.
 */
struct link_form {
	const char		*path;		/* the page's, up to its token */
	const char		*page, *title;
	const struct web_field	*fields;
	const char		*first_field;
	void			(*get)(struct http_req *);	/* or NULL */
	int			 gone;		/* the API's status for a gone link */
	void			(*gone_page)(struct http_req *);
	const char		*done;		/* NULL: the recovery codes' page */
};

static void
link_expired(struct http_req *r)
{
	message(r, 404, "This link cannot be used", "The link has expired or has "
	    "been used already. Ask your MARAC coordinator or administrator for a "
	    "new invitation, or ask for a new password reset link.",
	    "/account/reset", "Ask for a new password reset link");
}

static void
no_enrolment(struct http_req *r)
{
	message(r, 400, "Setting up is not under way", "No set-up of a second "
	    "factor is under way in this browser, or it took too long. Open the "
	    "link in your invitation email again.", NULL, NULL);
}

/* The key in groups of four, as people copy it into an app. */
static void
key_grouped(cJSON *d)
{
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(d, "key");
	char out[TOTP_KEY_LEN + TOTP_KEY_LEN / 4 + 1];
	size_t k = 0;

	if (!cJSON_IsString(key))
		return;
	for (const char *p = key->valuestring; *p != '\0' && k + 2 < sizeof(out); p++) {
		if (p != key->valuestring && (p - key->valuestring) % 4 == 0)
			out[k++] = ' ';
		out[k++] = *p;
	}
	out[k] = '\0';
	cJSON_AddStringToObject(d, "key_grouped", out);
	/* The image is its own URL (the pages print no markup from data). */
	cJSON_DeleteItemFromObjectCaseSensitive(d, "qr_svg");
}

static const struct link_form link_forms[] = {
	{ "/account/invitation/", "invitation", "Choose a password",
	    password_fields, "password", api_auth_invitation_get, 404,
	    link_expired, "/account/enrol" },
	{ "/account/enrol", "enrol", "Set up your authenticator app",
	    code_fields, "code", api_auth_enrol_get, 401, no_enrolment, NULL },
	{ "/account/reset/", "reset", "Choose a new password", password_fields,
	    "password", NULL, 404, link_expired, "/sign-in?reset=1" },
};
#define INVITATION	(&link_forms[0])
#define ENROLMENT	(&link_forms[1])
#define RESET		(&link_forms[2])

/* The form of the page r is for (the routes name no other). */
static const struct link_form *
form_of(const struct http_req *r)
{
	const struct link_form *f = link_forms;

	while (f < RESET && strncmp(r->path, f->path, strlen(f->path)) != 0)
		f++;
	return f;
}

/* The form, with the answer of its get (a form posted and refused: 422). */
static void
form_shown(struct http_req *r, int status, cJSON *answer)
{
	const struct link_form *f = form_of(r);

	if (status == f->gone) {
		cJSON_Delete(answer);
		f->gone_page(r);
		return;
	}
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	key_grouped(answer);	/* the enrolment's */
	web_render(r, web_form(r) != NULL ? 422 : 200, f->page, f->title, answer);
}

static void
form_answered(struct http_req *r, int status, cJSON *answer)
{
	const struct link_form *f = form_of(r);

	if (status == 200 && f->done == NULL) {
		/* Shown once: only their hashes are kept. */
		web_render(r, 200, "enrol_done", "Save your recovery codes", answer);
		return;
	}
	if (status == 200)
		web_redirect(r, f->done);
	else if (status == f->gone)
		f->gone_page(r);
	else if (status == 422) {
		web_form_errors(r, answer, f->fields, f->first_field, NULL);
		if (f->get != NULL)	/* the page again, with whose link it is */
			web_call(r, f->get, NULL, form_shown);
		else
			web_render(r, 422, f->page, f->title, NULL);
	} else {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_Delete(answer);
}

void
web_invitation(struct http_req *r)
{
	web_call(r, INVITATION->get, NULL, form_shown);
}

void
web_invitation_post(struct http_req *r)
{
	web_call(r, api_auth_invitation_accept, api_body(r), form_answered);
}

void
web_enrol(struct http_req *r)
{
	web_call(r, ENROLMENT->get, NULL, form_shown);
}

static void
qr_shown(struct http_req *r, int status, cJSON *answer)
{
	const cJSON *svg = cJSON_GetObjectItemCaseSensitive(answer, "qr_svg");

	if (status != 200 || !cJSON_IsString(svg)) {
		web_fallback(r, status == 200 ? 500 : status == 401 ? 404 : status, answer);
		return;
	}
	web_reply_bytes(r, "image/svg+xml", svg->valuestring, strlen(svg->valuestring));
	cJSON_Delete(answer);
}

void
web_enrol_qr(struct http_req *r)
{
	web_call(r, api_auth_enrol_get, NULL, qr_shown);
}

void
web_enrol_post(struct http_req *r)
{
	web_call(r, api_auth_enrol, api_body(r), form_answered);
}

/* --- password reset ------------------------------------------------------------- */

void
web_reset_request(struct http_req *r)
{
	web_render(r, 200, "reset_request", "Reset your password", NULL);
}

static void
reset_requested(struct http_req *r, int status, cJSON *answer)
{
	switch (status) {
	case 202:
		message(r, 200, "Check your email", "If the address has an account, "
		    "we have sent it a link to reset the password. The link works "
		    "once, for a limited time.", "/sign-in", "Back to sign in");
		break;
	case 422:
		web_form_errors(r, answer, email_fields, "email", NULL);
		web_render(r, 422, "reset_request", "Reset your password", NULL);
		break;
	default:
		web_fallback(r, status, answer);
		return;
	}
	cJSON_Delete(answer);
}

void
web_reset_request_post(struct http_req *r)
{
	web_call(r, api_auth_reset_request, api_body(r), reset_requested);
}

void
web_reset(struct http_req *r)
{
	web_render(r, 200, RESET->page, RESET->title, NULL);
}

void
web_reset_post(struct http_req *r)
{
	web_call(r, api_auth_reset, api_body(r), form_answered);
}

/*
 * The web pages: server-rendered HTML for people in browsers, on the
 * same handlers as the JSON API (maracd(8), WEB PAGES).
 *
 * A page route (web_routes.c) is an http_route in its own table.  Its
 * handler moves data only: it hands the form, decoded into the JSON body
 * the API expects (core/formdecode.h), to an API handler with web_call;
 * the handler's answer comes back as (status, JSON), and the page renders
 * it with a template (web/templates/, core/render/template.h) or
 * redirects.  Validation happens once, in the API; its field errors
 * become the error summary and the inline errors, with what was typed
 * kept (web_form_errors).
 *
 * Pages that need a signed-in person (a route with roles) authenticate by
 * the session cookie only: without one the answer is 303 to /sign-in
 * with the page to come back to.  Before the page's handler runs, the
 * person is known (GET /v1/whoami's answer, for the layout).  Every POST
 * with a session carries the session's CSRF token as the form field
 * csrf_token, checked exactly as the X-CSRF-Token header (auth.c).
 *
 * Every page has the headers of web_reply: its Content-Security-Policy
 * allows nothing inline and nothing from elsewhere.
 */
#ifndef MARACD_WEB_H
#define MARACD_WEB_H

#include <stdbool.h>

#include "shell/http.h"

struct app;

/* The pages and what the http server needs of them (http.h). */
extern const struct http_route web_routes[];
extern const struct http_pages web_pages;

/* An entry of the navigation, shown to the roles given. */
struct web_nav {
	const char	*href;
	const char	*text;
	unsigned	 roles;
};
extern const struct web_nav web_nav[];	/* web_routes.c; ends with NULLs */

/*
 * Parses the templates built into maracd (every one must parse and name
 * only partials that exist); -1, having logged why, if one does not.
 */
int	web_init(struct app *app);
void	web_free(void);

/* What an API handler answered, as http.h's page callback gets it. */
typedef void (*web_answer)(struct http_req *r, int status, cJSON *answer);

/*
 * Calls api with body (taken; NULL for none) as its JSON body; its answer
 * goes to done, which takes the JSON.  A later call may follow an answer
 * that asked for a commit (the transaction goes on, and the page's reply
 * commits it); after any other the transaction is rolled back, so a
 * signed-in page fetches what it needs to show a refused form before the
 * call that may refuse it.  A page calling a handler that has a prefetch
 * hook (http.h) runs without it: the handler must not depend on it.
 */
void	web_call(struct http_req *r, void (*api)(struct http_req *),
	    cJSON *body, web_answer done);

/*
 * web_call with a body that is not JSON: data's len bytes (copied), as a
 * file the page was sent (the import page's CSV).
 */
void	web_call_bytes(struct http_req *r, void (*api)(struct http_req *),
	    const char *data, size_t len, web_answer done);

/*
 * What a page gathers between its calls, in one object of the request's
 * (made on first use, freed with it; NULL without memory): a page that
 * needs several answers (the chair's case: the decision, the referral,
 * the research returns), or one that keeps what it fetched for after a
 * refused call, which ends the transaction (the form shown again needs
 * it).  web_gather adds item (taken; freed if it cannot be kept) under
 * key, replacing what was there; web_gathered_detach gives one back (the
 * caller's; NULL: none); web_gathered_take detaches the whole object, for
 * web_render (an empty object when nothing was gathered).
 */
cJSON  *web_gathered(struct http_req *r);
void	web_gather(struct http_req *r, const char *key, cJSON *item);
cJSON  *web_gathered_detach(struct http_req *r, const char *key);
cJSON  *web_gathered_take(struct http_req *r);

/*
 * What a template needs to tick the right boxes, which it cannot work out
 * (it does not compare), added to data: for each yes-or-no value of body,
 * true at the same path under "yes" or "no"; for each text value, and each
 * text of a list, true at path.value under "is" ({{#data.is.answer.nothing}}).
 * body may be data itself.
 */
void	web_flags(cJSON *data, const cJSON *body);

/*
 * The path's ids as the next web_call's handler reads them: a page on
 * /sittings/{s}/meeting/{r} calling GET /v1/referrals/{id} passes r as
 * its first.  n at most HTTP_MAX_PARAMS; false without memory (the page
 * answers 503).
 */
bool	web_params(struct http_req *r, int n, const char *const ids[]);

/*
 * Query parameter name set to value (copied) for the next web_call's
 * handler, replacing the page's own: a page showing one case asks the
 * list handlers for that case only (?referral=).  false without memory.
 */
bool	web_query_set(struct http_req *r, const char *name, const char *value);

/*
 * The decoded form of a POST without csrf_token (the page's), or NULL: an
 * application/x-www-form-urlencoded body (core/formdecode.h), or a
 * multipart/form-data one (core/multipart.h), whose file part is a string.
 */
cJSON  *web_form(struct http_req *r);
/* A form field's string value, or NULL. */
const char *web_form_string(struct http_req *r, const char *name);
/* The form detached from the page, to be the body of a web_call. */
cJSON  *web_form_take(struct http_req *r);

/* The labels a page gives its fields, for error messages. */
struct web_field {
	const char	*name;		/* the form field / the API's path */
	const char	*missing;	/* "Enter your email address" */
};

/*
 * The answer's errors, for the next render: each of the API's field
 * errors ({field, reason}) linked to its input (core/formdecode.h's id),
 * worded with the page's labels; an answer without fields becomes one
 * error about first_field, worded message (NULL: the answer's).
 */
void	web_form_errors(struct http_req *r, const cJSON *answer,
	    const struct web_field *fields, const char *first_field,
	    const char *message);
/*
 * The same for a page whose inputs are named as the API's paths, rows
 * and all (reviews[2].result): each error at its own field, whether or
 * not fields names it.
 */
void	web_form_errors_at(struct http_req *r, const cJSON *answer,
	    const struct web_field *fields, const char *first_field,
	    const char *message);
/* One error, linked to the input of field. */
void	web_error(struct http_req *r, const char *field, const char *text);
/*
 * The error shown at field (a path, as formdecode names it), or NULL:
 * for a page whose rows' inputs the template cannot name one by one.
 */
const char *web_field_error(struct http_req *r, const char *field);
/* A notice shown above the page's heading (GOV.UK notification banner). */
void	web_notice(struct http_req *r, const char *text);

/*
 * Renders template page (web/templates/<page>.html) in the layout, with
 * title and data (taken; NULL for none) as the context's "data", and
 * answers with it.  The context (maracd(8), WEB PAGES): title, service,
 * user, csrf_token, assets, marking, nav, errors, field_errors, notice,
 * values (the form posted), data, session.
 */
void	web_render(struct http_req *r, int status, const char *page,
	    const char *title, cJSON *data);
/* 303 See Other to location (a local path). */
void	web_redirect(struct http_req *r, const char *location);
/* An answer with no page (the keep-alive's 204). */
void	web_reply_empty(struct http_req *r, int status);
/* Answers with bytes of another type (the enrolment's QR code). */
void	web_reply_bytes(struct http_req *r, const char *content_type,
	    const char *data, size_t len);
/* The error page for an answer no page handled (also http.h's fallback). */
void	web_fallback(struct http_req *r, int status, cJSON *answer);

/* The page to return to after signing in (?next=, a local path), or "/". */
const char *web_next(struct http_req *r);

/* The pages (web_routes.c): web_account.c */
void	web_sign_in(struct http_req *r);
void	web_sign_in_post(struct http_req *r);
void	web_sign_in_code(struct http_req *r);
void	web_sign_in_code_post(struct http_req *r);
void	web_sign_out(struct http_req *r);
void	web_sign_out_everywhere(struct http_req *r);
void	web_keep_alive(struct http_req *r);
void	web_invitation(struct http_req *r);
void	web_invitation_post(struct http_req *r);
void	web_enrol(struct http_req *r);
void	web_enrol_post(struct http_req *r);
void	web_enrol_qr(struct http_req *r);
void	web_reset_request(struct http_req *r);
void	web_reset_request_post(struct http_req *r);
void	web_reset(struct http_req *r);
void	web_reset_post(struct http_req *r);
/* web_pages.c */
void	web_home(struct http_req *r);
void	web_accessibility(struct http_req *r);
void	web_privacy(struct http_req *r);

#endif

/*
 * The page layer (web.h): the templates, loaded once; a page request's
 * state; calling API handlers and catching their answers; the context
 * every page is rendered with; the headers every page carries; and the
 * error pages.
 */
#include "shell/web.h"
#include "shell/api.h"
#include "shell/app.h"
#include "shell/assets.h"
#include "shell/auth.h"
#include "shell/db.h"
#include "shell/config.h"
#include "shell/log.h"
#include "core/buf.h"
#include "core/formdecode.h"
#include "core/multipart.h"
#include "core/render/template.h"
#include "core/webpath.h"
#include "core/websession.h"
#include "core/words.h"

#include <sys/queue.h>		/* before libevent's: its TAILQ is this one */
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSP	"default-src 'self'; frame-ancestors 'none'; form-action 'self'; " \
		"base-uri 'none'"
#define HTML	"text/html; charset=utf-8"
/* Pages carry the marking of the data they can show, as the exports do. */
#define MARKING	"OFFICIAL-SENSITIVE"

/* The templates of web/templates/, built in (tools/embed-file). */
struct web_template {
	const char	*name;
	const char	*text;
	const size_t	*len;
};
extern const struct web_template web_templates[];

static struct template_set *templates;

/* A page request's state (r->page_state). */
struct web_page {
	cJSON		*form;		/* a POST's fields, less csrf_token */
	char		*csrf_form;	/* its csrf_token (r->csrf_form) */
	char		 csrf[WEBSESSION_ID_LEN + 1];	/* for forms; "" none */
	cJSON		*user;		/* whoami's answer; NULL: nobody */
	cJSON		*errors;	/* [{href, text}] */
	cJSON		*field_errors;	/* {input id: text} */
	char		*notice;
	cJSON		*gathered;	/* web_gathered */
	http_handler	 handler;	/* the page's, once the person is known */
	web_answer	 done;		/* web_call's */
};

int
web_init(struct app *app)
{
	char err[TEMPLATE_ERR_MAX];

	(void)app;
	if ((templates = template_set_new()) == NULL) {
		log_error("web: out of memory");
		return -1;
	}
	for (const struct web_template *t = web_templates; t->name != NULL; t++)
		if (!template_set_add(templates, t->name, t->text, *t->len, err)) {
			log_error("web: template %s", err);
			return -1;
		}
	if (!template_set_check(templates, err) ||
	    !template_exists(templates, "layout")) {
		log_error("web: template %s", template_exists(templates, "layout") ?
		    err : "layout is missing");
		return -1;
	}
	return 0;
}

void
web_free(void)
{
	template_set_free(templates);
	templates = NULL;
}

static void
page_free(void *arg)
{
	struct web_page *p = arg;

	cJSON_Delete(p->form);
	free(p->csrf_form);
	cJSON_Delete(p->user);
	cJSON_Delete(p->errors);
	cJSON_Delete(p->field_errors);
	free(p->notice);
	cJSON_Delete(p->gathered);
	free(p);
}

/* The request's page state, made on first use; NULL without memory. */
static struct web_page *
page_of(struct http_req *r)
{
	struct web_page *p = r->page_state;

	if (p != NULL)
		return p;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	r->page_state = p;
	r->page_free = page_free;
	if (auth_session_csrf(r, p->csrf) != 0)
		p->csrf[0] = '\0';
	return p;
}

/* --- answers -------------------------------------------------------------- */

/* Every page's answer: the contract's headers, and the commit if one is due. */
static void
reply(struct http_req *r, int status, const char *type, char *data, size_t len)
{
	http_add_header(r, "Content-Security-Policy", CSP);
	/*
	 * Not no-referrer: under it a browser sends "Origin: null" with a
	 * page's form, and every form is refused by the Origin check (auth.c).
	 * same-origin sends the Referer and Origin to maracd only, never to
	 * another site.
	 */
	http_add_header(r, "Referrer-Policy", "same-origin");
	/* Committed only if the last answer asked for it (http.h). */
	if (!r->page_commit && r->txn != NULL) {
		db_finish(r->txn, false, NULL, NULL);
		r->txn = NULL;
	}
	/* A failed commit is answered as a page too. */
	r->page = web_fallback;
	http_reply_commit_body(r, status, type, data, len);
}

void
web_reply_empty(struct http_req *r, int status)
{
	char *empty = strdup("");

	if (empty == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	reply(r, status, "text/plain; charset=utf-8", empty, 0);
}

void
web_reply_bytes(struct http_req *r, const char *content_type, const char *data,
    size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL) {
		web_reply_empty(r, 503);
		return;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	reply(r, 200, content_type, copy, len);
}

void
web_redirect(struct http_req *r, const char *location)
{
	http_add_header(r, "Location", location);
	web_reply_empty(r, 303);
}

/* --- calling the API -------------------------------------------------------- */

/* An answer for web_call: note a new session's CSRF token, then the page's. */
static void
answered(struct http_req *r, int status, cJSON *answer)
{
	struct web_page *p = r->page_state;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(answer, "csrf_token");

	/* The page to come is the new session's: its forms carry its token. */
	if (cJSON_IsString(t) && websession_id_well_formed(t->valuestring))
		snprintf(p->csrf, sizeof(p->csrf), "%s", t->valuestring);
	r->page = web_fallback;
	p->done(r, status, answer);
}

/* web_call with the body's bytes (taken; NULL for none). */
static void
call(struct http_req *r, void (*api)(struct http_req *), char *bytes,
    size_t len, web_answer done)
{
	struct web_page *p = page_of(r);

	if (p == NULL) {
		free(bytes);
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	/*
	 * A signed-in page's handlers run in the caller's transaction, which
	 * an answer other than a commit has rolled back (http.h): calling one
	 * after that is the page's bug, answered as one rather than crashing.
	 */
	if (r->roles != 0 && r->txn == NULL) {
		free(bytes);
		log_error("web: %s %s calls a handler after its transaction ended",
		    r->id, r->path);
		http_reply_error(r, 500, "internal_error", "the page went wrong");
		return;
	}
	/* What the last handler left is done with. */
	if (r->pre != NULL) {
		r->pre_free(r->pre);
		r->pre = NULL;
	}
	free(r->body);
	r->body = bytes;
	r->body_len = bytes != NULL ? len : 0;
	p->done = done;
	r->page = answered;
	api(r);
}

void
web_call(struct http_req *r, void (*api)(struct http_req *), cJSON *body,
    web_answer done)
{
	char *text = NULL, *copy = NULL;

	if (body != NULL) {
		text = cJSON_PrintUnformatted(body);
		cJSON_Delete(body);
		if (text == NULL || (copy = strdup(text)) == NULL) {
			cJSON_free(text);
			http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
			return;
		}
		cJSON_free(text);
	}
	call(r, api, copy, copy != NULL ? strlen(copy) : 0, done);
}

void
web_call_bytes(struct http_req *r, void (*api)(struct http_req *),
    const char *data, size_t len, web_answer done)
{
	char *copy = malloc(len + 1);

	if (copy == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	call(r, api, copy, len, done);
}

cJSON *
web_gathered(struct http_req *r)
{
	struct web_page *p = page_of(r);

	if (p == NULL)
		return NULL;
	if (p->gathered == NULL)
		p->gathered = cJSON_CreateObject();
	return p->gathered;
}

void
web_gather(struct http_req *r, const char *key, cJSON *item)
{
	cJSON *g = web_gathered(r);

	if (g == NULL || item == NULL) {
		cJSON_Delete(item);
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(g, key);
	if (!cJSON_AddItemToObject(g, key, item))
		cJSON_Delete(item);
}

cJSON *
web_gathered_detach(struct http_req *r, const char *key)
{
	struct web_page *p = r->page_state;

	return p != NULL ? cJSON_DetachItemFromObjectCaseSensitive(p->gathered,
	    key) : NULL;
}

cJSON *
web_gathered_take(struct http_req *r)
{
	struct web_page *p = page_of(r);
	cJSON *g;

	if (p == NULL)
		return NULL;
	g = p->gathered;
	p->gathered = NULL;
	return g != NULL ? g : cJSON_CreateObject();
}

/*
 * What a template needs to tick the right boxes, which it cannot work out
 * (it does not compare): for each yes-or-no value of v, "yes" or "no" at
 * the same path; for each text value, and each text of a list, "is" at
 * path.value.  {"yes": {...}, "no": {...}, "is": {...}}.
 */
static void
flags_walk(const cJSON *v, cJSON *yes, cJSON *no, cJSON *is)
{
	const cJSON *m, *e;
	cJSON *y, *n, *i;

	cJSON_ArrayForEach(m, v) {
		if (m->string == NULL)
			continue;
		if (cJSON_IsBool(m)) {
			cJSON_AddTrueToObject(cJSON_IsTrue(m) ? yes : no, m->string);
		} else if (cJSON_IsString(m)) {
			i = cJSON_AddObjectToObject(is, m->string);
			cJSON_AddTrueToObject(i, m->valuestring);
		} else if (cJSON_IsArray(m)) {
			i = cJSON_AddObjectToObject(is, m->string);
			cJSON_ArrayForEach(e, m)
				if (cJSON_IsString(e))
					cJSON_AddTrueToObject(i, e->valuestring);
		} else if (cJSON_IsObject(m)) {
			y = cJSON_AddObjectToObject(yes, m->string);
			n = cJSON_AddObjectToObject(no, m->string);
			i = cJSON_AddObjectToObject(is, m->string);
			flags_walk(m, y, n, i);
		}
	}
}

/* Built apart, then added: body may be data itself (an action's page). */
void
web_flags(cJSON *data, const cJSON *body)
{
	cJSON *yes = cJSON_CreateObject(), *no = cJSON_CreateObject();
	cJSON *is = cJSON_CreateObject();

	flags_walk(body, yes, no, is);
	cJSON_AddItemToObject(data, "yes", yes);
	cJSON_AddItemToObject(data, "no", no);
	cJSON_AddItemToObject(data, "is", is);
}

bool
web_params(struct http_req *r, int n, const char *const ids[])
{
	char *copy[HTTP_MAX_PARAMS];

	if (n > HTTP_MAX_PARAMS)
		return false;
	for (int i = 0; i < n; i++)
		if ((copy[i] = strdup(ids[i])) == NULL) {
			while (i-- > 0)
				free(copy[i]);
			return false;
		}
	for (int i = 0; i < r->nparams; i++) {
		free(r->params[i]);
		r->params[i] = NULL;
	}
	for (int i = 0; i < n; i++)
		r->params[i] = copy[i];
	r->nparams = n;
	return true;
}

bool
web_query_set(struct http_req *r, const char *name, const char *value)
{
	if (r->query == NULL) {
		if ((r->query = calloc(1, sizeof(*r->query))) == NULL)
			return false;
		TAILQ_INIT(r->query);
	}
	evhttp_remove_header(r->query, name);
	return evhttp_add_header(r->query, name, value) == 0;
}

cJSON *
web_form(struct http_req *r)
{
	struct web_page *p = r->page_state;

	return p != NULL ? p->form : NULL;
}

const char *
web_form_string(struct http_req *r, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(web_form(r), name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

cJSON *
web_form_take(struct http_req *r)
{
	struct web_page *p = r->page_state;
	cJSON *f;

	if (p == NULL || p->form == NULL)
		return cJSON_CreateObject();
	/* The page still shows what was typed: the API gets a copy. */
	f = cJSON_Duplicate(p->form, true);
	return f != NULL ? f : cJSON_CreateObject();
}

/* --- errors ----------------------------------------------------------------- */

void
web_error(struct http_req *r, const char *field, const char *text)
{
	struct web_page *p = page_of(r);
	char id[FORMDECODE_ID_MAX], href[FORMDECODE_ID_MAX + 1];
	cJSON *e;

	if (p == NULL)
		return;
	formdecode_field_id(field, id);
	snprintf(href, sizeof(href), "#%s", id);
	if (p->errors == NULL)
		p->errors = cJSON_CreateArray();
	if (p->field_errors == NULL)
		p->field_errors = cJSON_CreateObject();
	if ((e = cJSON_CreateObject()) == NULL)
		return;
	cJSON_AddStringToObject(e, "href", href);
	cJSON_AddStringToObject(e, "text", text);
	cJSON_AddItemToArray(p->errors, e);
	/* The first error of a field is the one shown at it. */
	if (cJSON_GetObjectItemCaseSensitive(p->field_errors, id) == NULL)
		cJSON_AddStringToObject(p->field_errors, id, text);
}

/*
 * The words for an API's field error: the page's own for a missing
 * field; else the API's reason, without its leading code word
 * ("too_short: at least 12 characters" says "At least 12 characters").
 */
static void
wording(const struct web_field *fields, const char *field, const char *reason,
    char *out, size_t n)
{
	const char *colon = strstr(reason, ": ");

	for (const struct web_field *f = fields; f != NULL && f->name != NULL; f++)
		if (strcmp(f->name, field) == 0 && f->missing != NULL &&
		    strcmp(reason, "is required") == 0) {
			snprintf(out, n, "%s", f->missing);
			return;
		}
	if (colon != NULL && strspn(reason, "abcdefghijklmnopqrstuvwxyz_") ==
	    (size_t)(colon - reason))
		reason = colon + 2;
	snprintf(out, n, "%s", reason);
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

static void
form_errors(struct http_req *r, const cJSON *answer, const struct web_field *fields,
    const char *first_field, const char *message, bool own);

void
web_form_errors(struct http_req *r, const cJSON *answer,
    const struct web_field *fields, const char *first_field, const char *message)
{
	form_errors(r, answer, fields, first_field, message, false);
}

void
web_form_errors_at(struct http_req *r, const cJSON *answer,
    const struct web_field *fields, const char *first_field, const char *message)
{
	form_errors(r, answer, fields, first_field, message, true);
}

static void
form_errors(struct http_req *r, const cJSON *answer, const struct web_field *fields,
    const char *first_field, const char *message, bool own)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(answer, "fields"), *e;
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(answer, "message");
	char text[256];
	bool any = false;

	cJSON_ArrayForEach(e, list) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "field");
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(e, "reason");
		bool known = false;

		if (!cJSON_IsString(f) || !cJSON_IsString(why))
			continue;
		for (const struct web_field *k = fields; k != NULL && k->name != NULL; k++)
			known = known || strcmp(k->name, f->valuestring) == 0;
		wording(fields, f->valuestring, why->valuestring, text, sizeof(text));
		/* A field the page has no input for: the first input's place. */
		web_error(r, known || own ? f->valuestring : first_field, text);
		any = true;
	}
	if (!any)
		web_error(r, first_field, message != NULL ? message :
		    cJSON_IsString(msg) ? msg->valuestring : "Something went wrong: try again");
}

const char *
web_field_error(struct http_req *r, const char *field)
{
	struct web_page *p = page_of(r);
	char id[FORMDECODE_ID_MAX];

	if (p == NULL || p->field_errors == NULL)
		return NULL;
	formdecode_field_id(field, id);
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p->field_errors, id));
}

void
web_notice(struct http_req *r, const char *text)
{
	struct web_page *p = page_of(r);

	if (p != NULL && p->notice == NULL)
		p->notice = strdup(text);
}

/* --- rendering -------------------------------------------------------------- */

static const char *
role_label(const char *role)
{
	static const struct { const char *role, *label; } labels[] = {
		{ "admin", "Administrator" },
		{ "coordinator", "Coordinator" },
		{ "chair", "Chair" },
		{ "agency", "Agency member" },
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(role, labels[i].role) == 0)
			return labels[i].label;
	return role;
}

/* The layout's "user": who is signed in, from whoami's answer. */
static cJSON *
user_context(const cJSON *who)
{
	const cJSON *role = cJSON_GetObjectItemCaseSensitive(who, "role");
	const char *rs = cJSON_IsString(role) ? role->valuestring : "";
	cJSON *u = cJSON_CreateObject(), *is;
	static const char *const keep[][2] = {
		{ "display_name", "name" }, { "email", "email" }, { "role", "role" },
		{ "agency", "agency" }, { "forum", "forum" }, { "areas", "areas" },
	};

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(who, keep[i][0]);

		if (v != NULL)
			cJSON_AddItemToObject(u, keep[i][1], cJSON_Duplicate(v, true));
	}
	cJSON_AddStringToObject(u, "role_label", role_label(rs));
	/* {{#user.is.agency}}: a template's test of the role. */
	is = cJSON_AddObjectToObject(u, "is");
	cJSON_AddBoolToObject(is, rs, true);
	return u;
}

static unsigned
role_bit(const char *role)
{
	static const struct { const char *name; unsigned bit; } roles[] = {
		{ "admin", ROLE_ADMIN }, { "coordinator", ROLE_COORDINATOR },
		{ "chair", ROLE_CHAIR }, { "agency", ROLE_AGENCY },
	};

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i].name) == 0)
			return roles[i].bit;
	return 0;
}

/* The navigation for the signed-in role, the current page marked. */
static cJSON *
nav_context(struct http_req *r, const char *role)
{
	unsigned bit = role_bit(role);
	cJSON *nav = cJSON_CreateArray();

	for (const struct web_nav *n = web_nav; n->href != NULL; n++) {
		cJSON *e;

		if ((n->roles & bit) == 0 || (e = cJSON_CreateObject()) == NULL)
			continue;
		cJSON_AddStringToObject(e, "href", n->href);
		cJSON_AddStringToObject(e, "text", n->text);
		cJSON_AddBoolToObject(e, "current", strcmp(r->path, n->href) == 0);
		cJSON_AddItemToArray(nav, e);
	}
	return nav;
}

static cJSON *
context(struct http_req *r, struct web_page *p, const char *page,
    const char *title, cJSON *data)
{
	const char *service = r->app->cfg->web_service_name;
	const char *css = assets_url("maracd.css"), *js = assets_url("maracd.js");
	const char *icon = assets_url("favicon.svg");
	cJSON *c = cJSON_CreateObject(), *a, *s;

	cJSON_AddStringToObject(c, "page", page);
	cJSON_AddStringToObject(c, "title", title);
	cJSON_AddStringToObject(c, "service", service != NULL && service[0] != '\0' ?
	    service : "maracd");
	cJSON_AddStringToObject(c, "marking", MARKING);
	a = cJSON_AddObjectToObject(c, "assets");
	if (css != NULL)
		cJSON_AddStringToObject(a, "css", css);
	if (js != NULL)
		cJSON_AddStringToObject(a, "js", js);
	/* Linked, so that a browser does not ask for /favicon.ico. */
	if (icon != NULL)
		cJSON_AddStringToObject(a, "icon", icon);
	if (p->csrf[0] != '\0')
		cJSON_AddStringToObject(c, "csrf_token", p->csrf);
	if (p->user != NULL) {
		cJSON *u = user_context(p->user);
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(u, "role");

		cJSON_AddItemToObject(c, "nav", nav_context(r,
		    cJSON_IsString(role) ? role->valuestring : ""));
		cJSON_AddItemToObject(c, "user", u);
		/* For the time-out warning (maracd.js): when, and how to stay. */
		s = cJSON_AddObjectToObject(c, "session");
		cJSON_AddNumberToObject(s, "idle_timeout",
		    r->app->cfg->accounts.idle_timeout);
		cJSON_AddNumberToObject(s, "idle_minutes",
		    r->app->cfg->accounts.idle_timeout / 60);
	}
	if (p->errors != NULL)
		cJSON_AddItemReferenceToObject(c, "errors", p->errors);
	if (p->field_errors != NULL)
		cJSON_AddItemReferenceToObject(c, "field_errors", p->field_errors);
	if (p->notice != NULL)
		cJSON_AddStringToObject(c, "notice", p->notice);
	if (p->form != NULL)
		cJSON_AddItemReferenceToObject(c, "values", p->form);
	if (data != NULL)
		cJSON_AddItemToObject(c, "data", data);
	return c;
}

void
web_render(struct http_req *r, int status, const char *page, const char *title,
    cJSON *data)
{
	struct web_page *p = page_of(r);
	char err[TEMPLATE_ERR_MAX];
	struct buf b;
	cJSON *c;

	if (p == NULL) {
		cJSON_Delete(data);
		web_reply_empty(r, 503);
		return;
	}
	/* The codes and instants in words beside them (core/words.h). */
	words_add(data);
	c = context(r, p, page, title, data);
	buf_init(&b);
	if (c == NULL || !template_render(templates, "layout", c, &b, err)) {
		/* A template that cannot render is maracd's bug: say so plainly. */
		log_error("web: %s %s", r->id, c == NULL ? "out of memory" : err);
		cJSON_Delete(c);
		buf_free(&b);
		r->page_commit = false;
		web_reply_empty(r, 500);
		return;
	}
	cJSON_Delete(c);
	reply(r, status, HTML, b.data != NULL ? b.data : strdup(""), b.len);
}

/* --- signing in first ------------------------------------------------------- */

/*
 * A script's request (fetch: Sec-Fetch-Mode other than navigate), such as
 * the time-out warning's keep-alive, wants a status it can read, not the
 * sign-in page a redirect would quietly fetch for it.
 */
static bool
scripted(struct http_req *r)
{
	const char *m = r->ev == NULL ? NULL : evhttp_find_header(
	    evhttp_request_get_input_headers(r->ev), "Sec-Fetch-Mode");

	return m != NULL && strcmp(m, "navigate") != 0;
}

/* To /sign-in, and back to the request's target after, when it may be. */
static void
redirect_to_sign_in(struct http_req *r, bool ended)
{
	const char *target = r->ev != NULL ? evhttp_request_get_uri(r->ev) : NULL;
	char *enc = NULL, *loc = NULL;

	if (scripted(r)) {
		web_reply_empty(r, 401);
		return;
	}

	/* Only a page can be come back to: a form's POST cannot. */
	if (r->method == HTTP_GET && webpath_local(target) && strcmp(target, "/") != 0)
		enc = evhttp_encode_uri(target);
	if (asprintf(&loc, "/sign-in%s%s%s%s", ended ? "?ended=1" : "",
	    enc != NULL ? (ended ? "&" : "?") : "", enc != NULL ? "next=" : "",
	    enc != NULL ? enc : "") == -1)
		loc = NULL;
	free(enc);
	web_redirect(r, loc != NULL ? loc : "/sign-in");
	free(loc);
}

const char *
web_next(struct http_req *r)
{
	const char *next = http_query_get(r, "next");

	if (next == NULL)
		next = web_form_string(r, "next");
	return webpath_local(next) ? next : "/";
}

static void
person_known(struct http_req *r, int status, cJSON *answer)
{
	struct web_page *p = r->page_state;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	p->user = answer;
	p->handler(r);
}

/* The handler of a page with roles: who is signed in, then the page. */
static void
signed_in(struct http_req *r)
{
	web_call(r, api_whoami, NULL, person_known);
}

static bool
prepare(struct http_req *r)
{
	struct web_page *p = page_of(r);
	const char *why = NULL;
	cJSON *csrf;

	if (p == NULL) {
		http_reply_error(r, 503, "busy", "maracd is short of memory; retry");
		return false;
	}
	if (r->method == HTTP_POST) {
		/* A file upload (the import page's), or any other form. */
		const char *ct = r->ev == NULL ? NULL : evhttp_find_header(
		    evhttp_request_get_input_headers(r->ev), "Content-Type");

		p->form = multipart_is_form(ct) ?
		    multipart_decode(ct, r->body != NULL ? r->body : "", r->body_len, &why) :
		    formdecode(r->body != NULL ? r->body : "", r->body_len, &why);
		if (p->form == NULL) {
			http_reply_error(r, 400, "bad_form", why);
			return false;
		}
		/* The page's, not the API's: checked by auth.c as X-CSRF-Token is. */
		csrf = cJSON_DetachItemFromObjectCaseSensitive(p->form, "csrf_token");
		if (cJSON_IsString(csrf) && (p->csrf_form = strdup(csrf->valuestring)) != NULL)
			r->csrf_form = p->csrf_form;
		cJSON_Delete(csrf);
	}
	if (r->roles == 0)
		return true;
	if (!auth_has_session_cookie(r)) {
		redirect_to_sign_in(r, false);
		return false;
	}
	p->handler = r->handler;
	r->handler = signed_in;
	return true;
}

/* --- error pages ------------------------------------------------------------ */

void
web_fallback(struct http_req *r, int status, cJSON *answer)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(answer, "error");
	const char *c = cJSON_IsString(code) ? code->valuestring : "";
	const char *title, *text;
	cJSON *data;

	if (status == 401) {
		/* No session, or one that has ended: sign in (again). */
		bool ended = auth_has_session_cookie(r);

		cJSON_Delete(answer);
		if (ended)
			auth_clear_session_cookie(r);
		redirect_to_sign_in(r, ended);
		return;
	}
	switch (status) {
	case 403:
		title = "You cannot do this";
		text = strcmp(c, "csrf") == 0 ? "The form was not sent from this "
		    "service's own page, or it is out of date. Go back, reload the "
		    "page and try again." : "Your role does not allow this. If you "
		    "think it should, ask your MARAC coordinator.";
		break;
	case 404:
	case 405:
		status = 404;
		title = "Page not found";
		text = "If you typed the web address, check it is correct. If you "
		    "pasted it, check you copied the entire address.";
		break;
	case 429:
		title = "Too many requests";
		text = "You have tried too many times. Wait a few minutes and try again.";
		break;
	case 400:
	case 413:
	case 415:
	case 422:
		status = 400;
		title = "Sorry, there is a problem with what was sent";
		text = "Go back, reload the page and try again.";
		break;
	case 503:
		title = "Sorry, the service is unavailable";
		text = "Try again in a few minutes.";
		break;
	default:
		status = 500;
		title = "Sorry, there is a problem with the service";
		text = "Try again later. Nothing you sent was saved.";
		break;
	}
	cJSON_Delete(answer);
	data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "text", text);
	cJSON_AddNumberToObject(data, "status", status);
	r->page_commit = false;
	web_render(r, status, "error", title, data);
}

const struct http_pages web_pages = {
	web_routes,
	web_fallback,
	prepare,
};

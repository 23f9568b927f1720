/*
 * The admin pages (maracd(8), WEB PAGES, /admin): the accounts (invite,
 * roles, disable and enable, reset a second factor), the agencies, the
 * bank-holiday overrides and the API tokens.  As every page, each calls
 * the JSON API's handlers with web_call and renders their answer: who may
 * do what (an admin; a coordinator for the agency members of its areas
 * and the bank holidays) is the database's, the same for a page as for
 * a machine.  A change that destroys something (disabling, a reset, a
 * removal, a revocation) is asked for on a confirmation page first.
 *
 * A change the API refuses has rolled its transaction back, so a page
 * that shows the form again fetches what the form needs (the agencies,
 * the account) before the change, and keeps it with web_gathered.
 */
#include "core/forum.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/web.h"
#include "shell/web_admin.h"
#include "core/date.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------------- */

/*
 * What a change did, for the page the browser is sent to after it
 * (?done=CODE): a code, never anything typed, so that nothing personal
 * rides in an address.
 */
static const struct { const char *code, *text; } done_notices[] = {
	{ "invited", "The invitation has been sent." },
	{ "roles", "The roles have been changed. Sessions under a changed role have ended." },
	{ "disabled", "The account has been disabled and its sessions have ended." },
	{ "enabled", "The account has been enabled." },
	{ "second_factor", "The second factor has been reset. A new invitation to set "
	    "it up again has been sent." },
	{ "agency_added", "The agency has been added." },
	{ "agency_saved", "The agency has been changed." },
	{ "holiday_added", "The bank holiday has been added." },
	{ "holiday_removed", "The bank holiday has been removed." },
	{ "token_revoked", "The token has been revoked. It no longer works." },
};

static void
done_notice(struct http_req *r)
{
	const char *done = http_query_get(r, "done");

	for (size_t i = 0; done != NULL && i < sizeof(done_notices) /
	    sizeof(done_notices[0]); i++)
		if (strcmp(done, done_notices[i].code) == 0)
			web_notice(r, done_notices[i].text);
}

static void
redirectf(struct http_req *r, const char *fmt, const char *a)
{
	char loc[160];

	snprintf(loc, sizeof(loc), fmt, a);
	web_redirect(r, loc);
}

static const char *
str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The element of list whose key is value (a string or a number's digits). */
static cJSON *
find_by(const cJSON *list, const char *key, const char *value)
{
	cJSON *e;
	char n[32];

	cJSON_ArrayForEach(e, list) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);

		if (cJSON_IsNumber(v)) {
			snprintf(n, sizeof(n), "%.0f", v->valuedouble);
			if (strcmp(n, value) == 0)
				return e;
		} else if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
			return e;
	}
	return NULL;
}

static const struct { const char *role, *label; } role_words[] = {
	{ "admin", "Administrator" },
	{ "coordinator", "Coordinator" },
	{ "chair", "Chair" },
	{ "agency", "Agency member" },
};

static const char *
role_word(const char *role)
{
	for (size_t i = 0; role != NULL && i < sizeof(role_words) / sizeof(role_words[0]); i++)
		if (strcmp(role, role_words[i].role) == 0)
			return role_words[i].label;
	return role != NULL ? role : "";
}

/* areas as the form shows them: "a, b", or "" for every area. */
static void
areas_text(const cJSON *areas, char *out, size_t n)
{
	const cJSON *a;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(a, areas)
		if (cJSON_IsString(a) && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
			    a->valuestring);
}

/*
 * The form's areas ("a, b c") as the list the API reads, in place;
 * blank, it is left out (every area).
 */
static void
areas_list(cJSON *o)
{
	const char *s = str(o, "areas");
	cJSON *list;
	char *copy, *tok, *save = NULL;

	if (s == NULL)
		return;
	list = cJSON_CreateArray();
	copy = strdup(s);
	for (tok = copy != NULL ? strtok_r(copy, ", \t", &save) : NULL; tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save))
		cJSON_AddItemToArray(list, cJSON_CreateString(tok));
	free(copy);
	if (cJSON_GetArraySize(list) > 0)
		cJSON_ReplaceItemInObjectCaseSensitive(o, "areas", list);
	else {
		cJSON_Delete(list);
		cJSON_DeleteItemFromObjectCaseSensitive(o, "areas");
	}
}

/*
 * One membership's inputs, for a template that cannot compare: the
 * agencies with the chosen one marked, and is.role.X / is.forum.X.
 */
static cJSON *
membership_view(const cJSON *agencies, const cJSON *m, int i)
{
	const char *role = str(m, "role"), *agency = str(m, "agency");
	const char *forum = str(m, "forum");
	cJSON *v = cJSON_CreateObject(), *opts, *o, *is;
	const cJSON *a, *areas = cJSON_GetObjectItemCaseSensitive(m, "areas");
	char text[400];

	cJSON_AddNumberToObject(v, "i", i);
	cJSON_AddNumberToObject(v, "number", i + 1);
	if (role != NULL)
		cJSON_AddStringToObject(v, "role_word", role_word(role));
	opts = cJSON_AddArrayToObject(v, "agencies");
	cJSON_ArrayForEach(a, agencies) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", str(a, "code"));
		cJSON_AddStringToObject(o, "name", str(a, "name"));
		cJSON_AddBoolToObject(o, "selected", agency != NULL &&
		    strcmp(agency, str(a, "code")) == 0);
		cJSON_AddItemToArray(opts, o);
	}
	is = cJSON_AddObjectToObject(v, "is");
	if (role != NULL)
		cJSON_AddTrueToObject(cJSON_AddObjectToObject(is, "role"), role);
	if (forum != NULL)
		cJSON_AddTrueToObject(cJSON_AddObjectToObject(is, "forum"), forum);
	if (cJSON_IsString(areas))
		cJSON_AddStringToObject(v, "areas", areas->valuestring);
	else {
		areas_text(areas, text, sizeof(text));
		cJSON_AddStringToObject(v, "areas", text);
	}
	return v;
}

/* An account for the list and its page: its roles and state in words. */
static void
user_words(cJSON *u)
{
	const char *state = str(u, "state");
	const cJSON *m;
	char text[600], areas[300];
	size_t len = 0;

	text[0] = '\0';
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(u, "roles")) {
		const char *extra = str(m, "agency") != NULL ? str(m, "agency") : str(m, "forum");

		areas_text(cJSON_GetObjectItemCaseSensitive(m, "areas"), areas, sizeof(areas));
		if (len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s%s%s%s%s%s",
			    len ? "; " : "", role_word(str(m, "role")),
			    extra != NULL ? " (" : "", extra != NULL ? extra : "",
			    extra != NULL ? ")" : "", areas[0] ? ", areas " : "", areas);
	}
	cJSON_AddStringToObject(u, "roles_text", text);
	cJSON_AddStringToObject(u, "state_text", state == NULL ? "" :
	    strcmp(state, "active") == 0 ? "Active" :
	    strcmp(state, "invited") == 0 ? "Invited" : "Disabled");
	cJSON_AddStringToObject(u, "state_class", state == NULL ? "" :
	    strcmp(state, "active") == 0 ? "govuk-tag--green" :
	    strcmp(state, "invited") == 0 ? "govuk-tag--blue" : "govuk-tag--grey");
	cJSON_AddBoolToObject(u, "disabled", state != NULL && strcmp(state, "disabled") == 0);
}

/* Keeps an answer's list for a later render. */
static void
keep(struct http_req *r, const char *key, cJSON *answer, const char *member)
{
	web_gather(r, key, cJSON_DetachItemFromObjectCaseSensitive(answer, member));
	cJSON_Delete(answer);
}

static cJSON *
kept(struct http_req *r, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(web_gathered(r), key);
}

/* --- the admin's index --------------------------------------------------------- */

/* GET /admin: what there is to administer. */
void
web_admin_home(struct http_req *r)
{
	web_render(r, 200, "admin_home", "Administration", NULL);
}

/* --- a confirmation, before a change that destroys something ------------------- */

struct confirm {
	const char	*caption;	/* the account, agency, day or token */
	const char	*heading;
	const char	*text;
	const char	*action;	/* where the form posts */
	const char	*button;
	const char	*back;		/* the page to go back to */
};

static void
confirm_render(struct http_req *r, int status, const struct confirm *c)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "caption", c->caption != NULL ? c->caption : "");
	cJSON_AddStringToObject(d, "heading", c->heading);
	cJSON_AddStringToObject(d, "text", c->text);
	cJSON_AddStringToObject(d, "action", c->action);
	cJSON_AddStringToObject(d, "button", c->button);
	cJSON_AddStringToObject(d, "back", c->back);
	web_render(r, status, "admin_confirm", c->heading, d);
}

/* --- the lists, and the forms of a role (an invitation, a token) ---------------- */

static void	user_words(cJSON *);
static void	agency_words(cJSON *);
static void	token_words(cJSON *);

/* The list pages: the API's list, each element with its words added. */
static const struct {
	const char	*path, *key, *page, *title;
	void		(*words)(cJSON *);
} lists[] = {
	{ "/admin/users", "users", "admin_users", "Users", user_words },
	{ "/admin/agencies", "agencies", "admin_agencies", "Agencies", agency_words },
	{ "/admin/tokens", "tokens", "admin_tokens", "API tokens", token_words },
};

static void
list_got(struct http_req *r, int status, cJSON *answer)
{
	cJSON *e;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (strcmp(r->path, lists[i].path) != 0)
			continue;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, lists[i].key))
			lists[i].words(e);
		done_notice(r);
		web_render(r, 200, lists[i].page, lists[i].title, answer);
		return;
	}
	web_fallback(r, 404, answer);
}

/*
 * The invitation's form and the new token's: a role's inputs, with the
 * agencies kept and what was typed (if anything).
 */
static void
member_form_render(struct http_req *r, int status)
{
	bool token = strncmp(r->path, "/admin/tokens", 13) == 0;
	cJSON *d = cJSON_CreateObject();

	cJSON_AddItemToObject(d, "member", membership_view(kept(r, "agencies"),
	    web_form(r), 0));
	web_render(r, status, token ? "admin_token_new" : "admin_user_new",
	    token ? "Create an API token" : "Invite a user", d);
}

static void
member_form_agencies(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	keep(r, "agencies", answer, "agencies");
	member_form_render(r, 200);
}

/* --- accounts ------------------------------------------------------------------ */

static const struct web_field invite_fields[] = {
	{ "email", "Enter the email address" },
	{ "display_name", "Enter the person's name" },
	{ "role", "Select a role" },
	{ "agency", "Select the agency" },
	{ "forum", "Select the forum" },
	{ "areas", NULL },
	{ NULL, NULL },
};

/* GET /admin/users: the accounts the caller manages. */
void
web_admin_users(struct http_req *r)
{
	web_call(r, api_users_list, NULL, list_got);
}

/* The account's page: its roles' form (rows from roles), and its actions. */
static void
user_render(struct http_req *r, int status, const cJSON *roles)
{
	const cJSON *user = kept(r, "user"), *m;
	cJSON *d = cJSON_CreateObject(), *rows, *row;
	int i = 0;

	cJSON_AddItemToObject(d, "user", cJSON_Duplicate(user, true));
	rows = cJSON_AddArrayToObject(d, "rows");
	cJSON_ArrayForEach(m, roles)
		cJSON_AddItemToArray(rows, membership_view(kept(r, "agencies"), m, i++));
	/* A blank row gives a new role. */
	cJSON_AddItemToArray(rows, membership_view(kept(r, "agencies"), NULL, i));
	/* Each row's inline errors, which the template cannot look up by index. */
	cJSON_ArrayForEach(row, rows) {
		static const char *const parts[] = { "role", "agency", "forum", "areas" };
		cJSON *errs = cJSON_AddObjectToObject(row, "errors");
		char id[64];

		for (size_t j = 0; j < sizeof(parts) / sizeof(parts[0]); j++) {
			snprintf(id, sizeof(id), "roles-%d-%s",
			    cJSON_GetObjectItemCaseSensitive(row, "i")->valueint, parts[j]);
			if (web_field_error(r, id) != NULL)
				cJSON_AddStringToObject(errs, parts[j], web_field_error(r, id));
		}
	}
	web_render(r, status, "admin_user", str(user, "display_name"), d);
}


/*
 * The account of the page (r->params[0]) out of the list answered, kept
 * as "user"; false, having answered, when there is none the caller
 * manages.
 */
static bool
user_take(struct http_req *r, int status, cJSON *answer)
{
	cJSON *u;

	if (status != 200) {
		web_fallback(r, status, answer);
		return false;
	}
	u = find_by(cJSON_GetObjectItemCaseSensitive(answer, "users"), "id", r->params[0]);
	if (u == NULL) {
		cJSON_Delete(answer);
		web_fallback(r, 404, NULL);
		return false;
	}
	user_words(u);
	web_gather(r, "user", cJSON_DetachItemViaPointer(
	    cJSON_GetObjectItemCaseSensitive(answer, "users"), u));
	cJSON_Delete(answer);
	return true;
}

static void
user_shown(struct http_req *r, int status, cJSON *answer)
{
	if (!user_take(r, status, answer))
		return;
	done_notice(r);
	user_render(r, 200, cJSON_GetObjectItemCaseSensitive(kept(r, "user"), "roles"));
}

static void
user_agencies(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	keep(r, "agencies", answer, "agencies");
	web_call(r, api_users_list, NULL, user_shown);
}

/* GET /admin/users/{id}: the account, its roles' form and what may be done to it. */
void
web_admin_user(struct http_req *r)
{
	web_call(r, api_agencies_list, NULL, user_agencies);
}

/*
 * The roles as posted, less the rows whose role was set to none (those
 * memberships go), as PATCH /v1/users/{id} takes them; map[k] is the row
 * of the form that the body's k-th came from.
 */
static cJSON *
roles_body(struct http_req *r, int map[], int nmap)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(web_form(r), "roles"), *row;
	cJSON *body = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(body, "roles"), *m;
	int i = 0, k = 0;

	cJSON_ArrayForEach(row, rows) {
		if (str(row, "role") != NULL && k < nmap) {
			m = cJSON_Duplicate(row, true);
			areas_list(m);
			cJSON_AddItemToArray(list, m);
			map[k++] = i;
		}
		i++;
	}
	return body;
}

/* The API's roles[k] as the form's roles[map[k]], for the inline errors. */
static void
roles_errors_remap(cJSON *answer, const int map[], int nmap)
{
	cJSON *e;
	char path[160];
	int k, n;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "fields")) {
		const char *f = str(e, "field");

		if (f == NULL || sscanf(f, "roles[%d]%n", &k, &n) != 1 || k < 0 || k >= nmap)
			continue;
		snprintf(path, sizeof(path), "roles[%d]%s", map[k], f + n);
		cJSON_ReplaceItemInObjectCaseSensitive(e, "field", cJSON_CreateString(path));
	}
}

/*
 * The API's errors of the roles, each at its row's input: the rows are
 * numbered, so no fixed list of the page's fields names them.
 */
static void
roles_errors(struct http_req *r, const cJSON *answer)
{
	const cJSON *e;
	char text[256];
	bool any = false;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "fields")) {
		const char *f = str(e, "field"), *why = str(e, "reason");

		if (f == NULL || why == NULL)
			continue;
		snprintf(text, sizeof(text), "%s", why);
		if (text[0] >= 'a' && text[0] <= 'z')
			text[0] = (char)(text[0] - 'a' + 'A');
		web_error(r, strncmp(f, "roles[", 6) == 0 ? f : "roles[0].role", text);
		any = true;
	}
	if (!any)
		web_error(r, "roles[0].role", "Give the account at least one role, or "
		    "disable it instead");
}

#define ROLE_ROWS_MAX	9

static void
roles_changed(struct http_req *r, int status, cJSON *answer)
{
	const int *map = NULL;
	int local[ROLE_ROWS_MAX], n;

	if (status == 200) {
		cJSON_Delete(answer);
		redirectf(r, "/admin/users/%s?done=roles", r->params[0]);
		return;
	}
	if (status == 422 || status == 403 || status == 409) {
		n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(web_gathered(r), "map"));
		for (int k = 0; k < n && k < ROLE_ROWS_MAX; k++)
			local[k] = cJSON_GetArrayItem(kept(r, "map"), k)->valueint;
		map = local;
		roles_errors_remap(answer, map, n);
		if (status == 403)
			web_error(r, "roles-0-role", "You may not give this role: a coordinator "
			    "gives agency memberships of its own areas only");
		else if (status == 409)
			web_error(r, "roles-0-role", "The last active administrator must keep "
			    "the administrator role");
		else
			roles_errors(r, answer);
		cJSON_Delete(answer);
		user_render(r, status, cJSON_GetObjectItemCaseSensitive(web_form(r), "roles"));
		return;
	}
	web_fallback(r, status, answer);
}

static void
roles_send(struct http_req *r, int status, cJSON *answer)
{
	int map[ROLE_ROWS_MAX];
	cJSON *body, *m;

	if (!user_take(r, status, answer))
		return;
	body = roles_body(r, map, ROLE_ROWS_MAX);
	m = cJSON_AddArrayToObject(web_gathered(r), "map");
	for (int k = 0; k < cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(body,
	    "roles")); k++)
		cJSON_AddItemToArray(m, cJSON_CreateNumber(map[k]));
	web_call(r, api_users_update, body, roles_changed);
}

static void
roles_agencies(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	keep(r, "agencies", answer, "agencies");
	web_call(r, api_users_list, NULL, roles_send);
}

/* POST /admin/users/{id}/roles: the whole set of roles (PATCH /v1/users/{id}). */
void
web_admin_user_roles(struct http_req *r)
{
	web_call(r, api_agencies_list, NULL, roles_agencies);
}

/* The confirmations of the account's page: disabling, a second factor's reset. */
static void
user_confirm(struct http_req *r, int status)
{
	const cJSON *u = kept(r, "user");
	bool reset = strstr(r->path, "/reset-second-factor") != NULL;
	char action[96], back[64];
	struct confirm c;

	snprintf(action, sizeof(action), "/admin/users/%s/%s", r->params[0],
	    reset ? "reset-second-factor" : "disable");
	snprintf(back, sizeof(back), "/admin/users/%s", r->params[0]);
	c.caption = str(u, "display_name");
	c.action = action;
	c.back = back;
	if (reset) {
		c.heading = "Reset this person's second factor?";
		c.text = "Their authenticator key and recovery codes stop working and "
		    "every session of theirs ends. They are sent a new invitation by "
		    "email to set a password and a new second factor.";
		c.button = "Reset the second factor";
	} else {
		c.heading = "Disable this account?";
		c.text = "The person is signed out everywhere at once and cannot sign in "
		    "until the account is enabled again. Nothing they did is deleted.";
		c.button = "Disable the account";
	}
	confirm_render(r, status, &c);
}

static void
user_asked(struct http_req *r, int status, cJSON *answer)
{
	if (user_take(r, status, answer))
		user_confirm(r, 200);
}

/* GET /admin/users/{id}/disable and /reset-second-factor: are you sure? */
void
web_admin_user_confirm(struct http_req *r)
{
	web_call(r, api_users_list, NULL, user_asked);
}

static void
user_changed(struct http_req *r, int status, cJSON *answer)
{
	bool reset = strstr(r->path, "/reset-second-factor") != NULL;
	bool enable = strstr(r->path, "/enable") != NULL;
	char loc[96];

	if (status == 200) {
		cJSON_Delete(answer);
		snprintf(loc, sizeof(loc), "/admin/users/%s?done=%s", r->params[0],
		    reset ? "second_factor" : enable ? "enabled" : "disabled");
		web_redirect(r, loc);
		return;
	}
	if (!enable && (status == 409 || status == 403)) {
		/* The page asked on, with why it cannot be done. */
		web_error(r, "confirm", status == 409 ? "The last active administrator "
		    "cannot be disabled or reset: make someone else an administrator first" :
		    "Your role does not allow this: only an administrator resets a "
		    "second factor");
		cJSON_Delete(answer);
		user_confirm(r, status);
		return;
	}
	web_fallback(r, status, answer);
}

static void
user_change(struct http_req *r, int status, cJSON *answer)
{
	cJSON *body;

	if (!user_take(r, status, answer))
		return;
	if (strstr(r->path, "/reset-second-factor") != NULL) {
		web_call(r, api_users_reset_second_factor, NULL, user_changed);
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "state", strstr(r->path, "/enable") != NULL ?
	    "active" : "disabled");
	web_call(r, api_users_update, body, user_changed);
}

/*
 * POST /admin/users/{id}/disable, /enable and /reset-second-factor
 * (PATCH /v1/users/{id}, POST /v1/users/{id}/reset-second-factor).
 */
void
web_admin_user_change(struct http_req *r)
{
	web_call(r, api_users_list, NULL, user_change);
}

/* --- agencies ------------------------------------------------------------------ */

static const struct web_field agency_fields[] = {
	{ "code", "Enter a code for the agency" },
	{ "name", "Enter the agency's name" },
	{ "email", NULL },
	{ "core_of", NULL },
	{ NULL, NULL },
};

/* The forums an agency is core to, in words, and as ticks for its form. */
static void
core_words(cJSON *a, const cJSON *core_of)
{
	const cJSON *f;
	cJSON *is = cJSON_AddObjectToObject(a, "core");
	char text[32] = "";

	cJSON_ArrayForEach(f, core_of)
		if (cJSON_IsString(f)) {
			cJSON_AddTrueToObject(is, f->valuestring);
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s",
			    text[0] ? ", " : "", forum_label_of(f->valuestring));
		}
	cJSON_AddStringToObject(a, "core_text", text[0] ? text : "None");
}

/* GET /admin/agencies */
void
web_admin_agencies(struct http_req *r)
{
	web_call(r, api_agencies_list, NULL, list_got);
}

/* The agency's form: form holds its fields (as stored, or as typed). */
static void
agency_words(cJSON *a)
{
	core_words(a, cJSON_GetObjectItemCaseSensitive(a, "core_of"));
}

static void
agency_render(struct http_req *r, int status, const cJSON *form)
{
	bool adding = r->nparams == 0;
	cJSON *d = cJSON_CreateObject(), *f = cJSON_Duplicate(form, true);

	if (f == NULL)
		f = cJSON_CreateObject();
	core_words(f, cJSON_GetObjectItemCaseSensitive(form, "core_of"));
	cJSON_AddItemToObject(d, "form", f);
	cJSON_AddBoolToObject(d, "adding", adding);
	if (!adding)
		cJSON_AddStringToObject(d, "code", r->params[0]);
	web_render(r, status, "admin_agency", adding ? "Add an agency" : "Change an agency", d);
}

/* GET /admin/agencies/new */
void
web_admin_agency_new(struct http_req *r)
{
	cJSON *f = cJSON_CreateObject();

	/* A new agency is a core agency of no forum until ticked. */
	agency_render(r, 200, f);
	cJSON_Delete(f);
}

static void
agency_got(struct http_req *r, int status, cJSON *answer)
{
	const cJSON *a;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	a = find_by(cJSON_GetObjectItemCaseSensitive(answer, "agencies"), "code", r->params[0]);
	if (a == NULL) {
		cJSON_Delete(answer);
		web_fallback(r, 404, NULL);
		return;
	}
	agency_render(r, 200, a);
	cJSON_Delete(answer);
}

/* GET /admin/agencies/{code}: its form, filled in. */
void
web_admin_agency(struct http_req *r)
{
	web_call(r, api_agencies_list, NULL, agency_got);
}

static void
agency_saved(struct http_req *r, int status, cJSON *answer)
{
	if (status == 201 || status == 200) {
		cJSON_Delete(answer);
		web_redirect(r, status == 201 ? "/admin/agencies?done=agency_added" :
		    "/admin/agencies?done=agency_saved");
		return;
	}
	if (status == 422 || status == 403) {
		if (status == 403)
			web_error(r, r->nparams == 0 ? "code" : "name", "Your role does not "
			    "allow this: only an administrator changes agencies");
		else
			web_form_errors(r, answer, agency_fields, r->nparams == 0 ? "code" :
			    "name", NULL);
		cJSON_Delete(answer);
		agency_render(r, status, web_form(r));
		return;
	}
	web_fallback(r, status, answer);
}

/*
 * POST /admin/agencies/new (POST /v1/agencies) and /admin/agencies/{code}
 * (PATCH): the whole form, so that a blank address clears it and no box
 * ticked makes it a core agency of no forum.
 */
void
web_admin_agency_post(struct http_req *r)
{
	cJSON *body = web_form_take(r);

	if (!cJSON_HasObjectItem(body, "core_of"))
		cJSON_AddArrayToObject(body, "core_of");
	if (r->nparams == 0) {
		web_call(r, api_agencies_create, body, agency_saved);
		return;
	}
	if (!cJSON_HasObjectItem(body, "email"))
		cJSON_AddNullToObject(body, "email");
	web_call(r, api_agencies_update, body, agency_saved);
}

/* --- bank holidays ------------------------------------------------------------- */

static const struct web_field holiday_fields[] = {
	{ "date", "Enter the date of the bank holiday" },
	{ "name", "Enter the bank holiday's name" },
	{ "replaces", NULL },
	{ NULL, NULL },
};

/*
 * The window the page lists, as GET /v1/holidays's from and to: this
 * year and the next, from the configured time zone's today.
 */
static bool
holidays_window(struct http_req *r)
{
	int y, m, d;
	char from[DATE_STRLEN], to[DATE_STRLEN];

	date_to_ymd(api_today(), &y, &m, &d);
	date_format(date_from_ymd(y, 1, 1), from);
	date_format(date_from_ymd(y + 1, 12, 31), to);
	if (r->query == NULL) {
		if ((r->query = calloc(1, sizeof(*r->query))) == NULL)
			return false;
		TAILQ_INIT(r->query);
	}
	evhttp_remove_header(r->query, "from");
	evhttp_remove_header(r->query, "to");
	return evhttp_add_header(r->query, "from", from) == 0 &&
	    evhttp_add_header(r->query, "to", to) == 0;
}

static void
holidays_render(struct http_req *r, int status)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddItemToObject(d, "holidays", cJSON_Duplicate(kept(r, "holidays"), true));
	web_render(r, status, "admin_holidays", "Bank holidays", d);
}

static void
holidays_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	keep(r, "holidays", answer, "holidays");
	done_notice(r);
	holidays_render(r, 200);
}

/* GET /admin/holidays: this year's and next year's, and the form to add one. */
void
web_admin_holidays(struct http_req *r)
{
	if (!holidays_window(r)) {
		web_fallback(r, 503, NULL);
		return;
	}
	web_call(r, api_holidays_list, NULL, holidays_got);
}

/*
 * A GOV.UK date input's three fields (name.day, .month, .year) as the
 * "YYYY-MM-DD" the API reads; what cannot be one is passed on as typed,
 * for the API to say what is wrong with it.
 */
static void
date_member(cJSON *body, const char *name)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(body, name);
	const char *d = str(g, "day"), *m = str(g, "month"), *y = str(g, "year");
	char text[48];

	if (!cJSON_IsObject(g))
		return;
	if (cJSON_GetArraySize(g) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(body, name);
		return;
	}
	if (d != NULL && m != NULL && y != NULL && strlen(d) <= 2 && strlen(m) <= 2 &&
	    strlen(y) == 4 && strspn(d, "0123456789") == strlen(d) &&
	    strspn(m, "0123456789") == strlen(m) && strspn(y, "0123456789") == 4)
		snprintf(text, sizeof(text), "%s-%02d-%02d", y, atoi(m), atoi(d));
	else
		snprintf(text, sizeof(text), "%s-%s-%s", y != NULL ? y : "",
		    m != NULL ? m : "", d != NULL ? d : "");
	cJSON_ReplaceItemInObjectCaseSensitive(body, name, cJSON_CreateString(text));
}

static void
holiday_added(struct http_req *r, int status, cJSON *answer)
{
	if (status == 201) {
		cJSON_Delete(answer);
		web_redirect(r, "/admin/holidays?done=holiday_added");
		return;
	}
	if (status == 422 || status == 409 || status == 403) {
		web_form_errors(r, answer, holiday_fields, "date", NULL);
		cJSON_Delete(answer);
		holidays_render(r, status);
		return;
	}
	web_fallback(r, status, answer);
}

static void
holiday_add(struct http_req *r, int status, cJSON *answer)
{
	cJSON *body;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	keep(r, "holidays", answer, "holidays");
	body = web_form_take(r);
	date_member(body, "date");
	date_member(body, "replaces");
	web_call(r, api_holidays_add, body, holiday_added);
}

/* POST /admin/holidays: a bank holiday added (or moved: replaces). */
void
web_admin_holiday_add(struct http_req *r)
{
	if (!holidays_window(r)) {
		web_fallback(r, 503, NULL);
		return;
	}
	web_call(r, api_holidays_list, NULL, holiday_add);
}

static void
holiday_confirm(struct http_req *r, int status)
{
	char action[96];
	struct confirm c = { r->params[0], "Remove this bank holiday?",
	    "The day becomes a working day for every deadline and sitting worked out "
	    "from now on; sittings and cutoffs are worked out again at once.",
	    action, "Remove the bank holiday", "/admin/holidays" };

	snprintf(action, sizeof(action), "/admin/holidays/%.10s/remove", r->params[0]);
	confirm_render(r, status, &c);
}

/* GET /admin/holidays/{date}/remove: are you sure? */
void
web_admin_holiday_confirm(struct http_req *r)
{
	date_t d;

	if (!date_parse(r->params[0], &d)) {
		web_fallback(r, 404, NULL);
		return;
	}
	holiday_confirm(r, 200);
}

static void
holiday_removed(struct http_req *r, int status, cJSON *answer)
{
	if (status == 200) {
		cJSON_Delete(answer);
		web_redirect(r, "/admin/holidays?done=holiday_removed");
		return;
	}
	if (status == 404 || status == 422 || status == 409) {
		web_error(r, "confirm", "That day is not a bank holiday");
		cJSON_Delete(answer);
		holiday_confirm(r, status == 404 ? 404 : 422);
		return;
	}
	web_fallback(r, status, answer);
}

/* POST /admin/holidays/{date}/remove (DELETE /v1/holidays/{date}). */
void
web_admin_holiday_remove(struct http_req *r)
{
	web_call(r, api_holidays_remove, NULL, holiday_removed);
}

/* --- API tokens ---------------------------------------------------------------- */

static const struct web_field token_fields[] = {
	{ "name", "Enter what the token is for" },
	{ "role", "Select a role" },
	{ "agency", "Select the agency" },
	{ "forum", "Select the forum" },
	{ "areas", NULL },
	{ "all_areas", NULL },
	{ "days", NULL },
	{ NULL, NULL },
};

static void
token_words(cJSON *t)
{
	const char *state = str(t, "state");

	cJSON_AddStringToObject(t, "role_word", role_word(str(t, "role")));
	cJSON_AddStringToObject(t, "state_class", state != NULL &&
	    strcmp(state, "active") == 0 ? "govuk-tag--green" : "govuk-tag--grey");
	cJSON_AddBoolToObject(t, "active", state != NULL && strcmp(state, "active") == 0);
	cJSON_AddBoolToObject(t, "job", str(t, "role") != NULL &&
	    strcmp(str(t, "role"), "job") == 0);
}

/* GET /admin/tokens */
void
web_admin_tokens(struct http_req *r)
{
	web_call(r, api_tokens_list, NULL, list_got);
}

static bool
member_form_is_token(struct http_req *r)
{
	return strncmp(r->path, "/admin/tokens", 13) == 0;
}

/* GET /admin/users/new and /admin/tokens/new */
void
web_admin_member_form(struct http_req *r)
{
	web_call(r, api_agencies_list, NULL, member_form_agencies);
}

static void
member_form_answered(struct http_req *r, int status, cJSON *answer)
{
	bool token = member_form_is_token(r);

	if (status == 201 && token) {
		token_words(answer);
		/* Shown once, on this page only: no redirect could carry it. */
		web_render(r, 201, "admin_token_created", "API token created", answer);
		return;
	}
	if (status == 201) {
		cJSON_Delete(answer);
		web_redirect(r, "/admin/users?done=invited");
		return;
	}
	if (status == 422 || status == 403) {
		if (status == 403)
			web_error(r, "role", token ? "Your role does not allow this: only an "
			    "administrator creates API tokens" : "You may not give this role: "
			    "a coordinator invites agency members of its own areas only");
		else
			web_form_errors(r, answer, token ? token_fields : invite_fields,
			    token ? "name" : "email", NULL);
		cJSON_Delete(answer);
		member_form_render(r, 422);
		return;
	}
	web_fallback(r, status, answer);
}

static void
member_form_send(struct http_req *r, int status, cJSON *answer)
{
	cJSON *body;
	const char *days, *all;
	char *end;
	long n;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	keep(r, "agencies", answer, "agencies");
	body = web_form_take(r);
	areas_list(body);
	/* A token's tick and number, as the JSON the API reads. */
	if ((all = str(body, "all_areas")) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(body, "all_areas",
		    cJSON_CreateBool(strcmp(all, "true") == 0));
	if ((days = str(body, "days")) != NULL && (n = strtol(days, &end, 10), *end == '\0'))
		cJSON_ReplaceItemInObjectCaseSensitive(body, "days", cJSON_CreateNumber(n));
	web_call(r, member_form_is_token(r) ? api_tokens_create : api_users_create, body,
	    member_form_answered);
}

/*
 * POST /admin/users/new: the invitation (POST /v1/users), mailed.
 * POST /admin/tokens/new: the token made (POST /v1/tokens), its secret
 * shown once.
 */
void
web_admin_member_form_post(struct http_req *r)
{
	web_call(r, api_agencies_list, NULL, member_form_send);
}

static void
token_confirm(struct http_req *r, int status)
{
	char action[96];
	struct confirm c = { str(kept(r, "token"), "name"), "Revoke this API token?",
	    "Whatever uses it is refused from its next request. A revoked token "
	    "cannot be brought back: make a new one instead.",
	    action, "Revoke the token", "/admin/tokens" };

	snprintf(action, sizeof(action), "/admin/tokens/%s/revoke", r->params[0]);
	confirm_render(r, status, &c);
}

/* The token of the page out of the list answered, kept; false having answered. */
static bool
token_take(struct http_req *r, int status, cJSON *answer)
{
	cJSON *t;

	if (status != 200) {
		web_fallback(r, status, answer);
		return false;
	}
	t = find_by(cJSON_GetObjectItemCaseSensitive(answer, "tokens"), "id", r->params[0]);
	if (t == NULL || strcmp(str(t, "state"), "active") != 0) {
		cJSON_Delete(answer);
		web_fallback(r, 404, NULL);
		return false;
	}
	web_gather(r, "token", cJSON_DetachItemViaPointer(
	    cJSON_GetObjectItemCaseSensitive(answer, "tokens"), t));
	cJSON_Delete(answer);
	return true;
}

static void
token_asked(struct http_req *r, int status, cJSON *answer)
{
	if (token_take(r, status, answer))
		token_confirm(r, 200);
}

/* GET /admin/tokens/{id}/revoke: are you sure? */
void
web_admin_token_confirm(struct http_req *r)
{
	web_call(r, api_tokens_list, NULL, token_asked);
}

static void
token_revoked(struct http_req *r, int status, cJSON *answer)
{
	if (status == 200) {
		cJSON_Delete(answer);
		web_redirect(r, "/admin/tokens?done=token_revoked");
		return;
	}
	if (status == 403) {
		web_error(r, "confirm", "maracd's own job token is revoked with maracctl "
		    "only: revoking it stops every scheduled job");
		cJSON_Delete(answer);
		token_confirm(r, 403);
		return;
	}
	web_fallback(r, status, answer);
}

static void
token_revoke(struct http_req *r, int status, cJSON *answer)
{
	if (token_take(r, status, answer))
		web_call(r, api_tokens_revoke, NULL, token_revoked);
}

/* POST /admin/tokens/{id}/revoke (DELETE /v1/tokens/{id}). */
void
web_admin_token_revoke(struct http_req *r)
{
	web_call(r, api_tokens_list, NULL, token_revoke);
}

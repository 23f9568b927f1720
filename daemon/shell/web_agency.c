/*
 * The agency pages (maracd(8), WEB PAGES): making a referral one part per
 * page over a draft (core/referralform.h), checking the answers, the
 * confirmation; the agency's referrals, actions and agendas.  Each page
 * calls the JSON API's handlers (api_*.c) with web_call and renders
 * their answer: the rules, the row-level security and the audit are the
 * API's, the same for a page as for a machine.
 */
#include "shell/api.h"
#include "shell/web.h"
#include "shell/web_agency.h"
#include "shell/web_agendaimport.h"
#include "core/checklist.h"
#include "core/formdecode.h"
#include "core/referralform.h"
#include "shell/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------------- */

static void
redirectf(struct http_req *r, const char *fmt, const char *a, const char *b)
{
	char loc[160];

	snprintf(loc, sizeof(loc), fmt, a, b);
	web_redirect(r, loc);
}

/* The steps, for the task list and the "back" links, with the current one marked. */
static cJSON *
steps_json(const char *draft, const struct referralform_step *cur)
{
	cJSON *a = cJSON_CreateArray(), *s;
	char href[96];

	for (const struct referralform_step *st = referralform_steps; st->name != NULL; st++) {
		s = cJSON_CreateObject();
		snprintf(href, sizeof(href), "/referrals/drafts/%s/%s", draft, st->name);
		cJSON_AddStringToObject(s, "href", href);
		cJSON_AddStringToObject(s, "title", st->title);
		cJSON_AddBoolToObject(s, "current", st == cur);
		cJSON_AddItemToArray(a, s);
	}
	return a;
}

/* --- make a referral: drafts ------------------------------------------------------ */

static void
start_listed(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	if (http_query_get(r, "deleted") != NULL)
		web_notice(r, "The draft has been deleted.");
	web_render(r, 200, "agency_start", "Make a referral", answer);
}

/* GET /referrals/new: start one, or carry on with a draft. */
void
web_referral_start(struct http_req *r)
{
	web_call(r, api_drafts_list, NULL, start_listed);
}

static void
draft_made(struct http_req *r, int status, cJSON *answer)
{
	char id[24];

	if (status != 201) {
		web_fallback(r, status, answer);
		return;
	}
	snprintf(id, sizeof(id), "%.0f",
	    cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "id")));
	cJSON_Delete(answer);
	redirectf(r, "/referrals/drafts/%s/%s", id, referralform_steps[0].name);
}

/* POST /referrals/new: a new draft, referred as the person's agency. */
void
web_referral_start_post(struct http_req *r)
{
	cJSON *body = cJSON_CreateObject();

	if (r->caller.agency[0] != '\0')
		cJSON_AddStringToObject(body, "referring_agency", r->caller.agency);
	web_call(r, api_drafts_create, body, draft_made);
}

/*
 * The checklist page's questions: the chosen version's (DASH 2009 until
 * one is chosen) and S-DASH's, worded as the deployment says
 * (core/checklist.h), each with the answer the draft holds.
 */
static cJSON *
questions_json(const cJSON *all, const char *checklist, const cJSON *answers)
{
	const cJSON *c, *q, *a;
	cJSON *out = cJSON_CreateArray(), *e;
	char n[8];

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(all, "checklists")) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "checklist")),
		    checklist) != 0)
			continue;
		cJSON_ArrayForEach(q, cJSON_GetObjectItem(c, "questions")) {
			e = cJSON_Duplicate(q, true);
			snprintf(n, sizeof(n), "%d", cJSON_GetObjectItem(q, "number")->valueint);
			a = cJSON_GetObjectItem(answers, n);
			cJSON_AddBoolToObject(e, "yes", cJSON_IsTrue(a));
			cJSON_AddBoolToObject(e, "no", cJSON_IsFalse(a));
			cJSON_AddItemToArray(out, e);
		}
	}
	return out;
}

static void
add_checklist(struct http_req *r, cJSON *data, const cJSON *body)
{
	const cJSON *dash = cJSON_GetObjectItem(body, "dash");
	const char *version = cJSON_GetStringValue(cJSON_GetObjectItem(dash, "version"));
	cJSON *all = checklist_json(r->app->wording);

	cJSON_AddStringToObject(data, "version", version != NULL ? version : "dash-2009");
	cJSON_AddItemToObject(data, "questions", questions_json(all,
	    version != NULL ? version : "dash-2009", cJSON_GetObjectItem(dash, "answers")));
	cJSON_AddItemToObject(data, "sdash_questions", questions_json(all, CHECKLIST_SDASH,
	    cJSON_GetObjectItem(cJSON_GetObjectItem(body, "sdash"), "answers")));
	cJSON_Delete(all);
}

/*
 * The children's rows: those in the draft and two blank ones, numbered
 * for their names (children[1].dob); rows left blank are dropped when the
 * form is read (core/formdecode.h).
 */
static cJSON *
child_rows(const cJSON *body, const cJSON *errors_at)
{
	const cJSON *children = cJSON_GetObjectItem(body, "children"), *c, *err;
	int n = cJSON_IsArray(children) ? cJSON_GetArraySize(children) : 0;
	cJSON *rows = cJSON_CreateArray(), *row;
	char id[40];

	for (int i = 0; i < n + 2 && i < 20; i++) {
		c = cJSON_GetArrayItem(children, i);
		row = cJSON_CreateObject();
		cJSON_AddNumberToObject(row, "i", i);
		cJSON_AddNumberToObject(row, "number", i + 1);
		if (cJSON_IsString(cJSON_GetObjectItem(c, "name")))
			cJSON_AddStringToObject(row, "name",
			    cJSON_GetObjectItem(c, "name")->valuestring);
		if (cJSON_IsString(cJSON_GetObjectItem(c, "dob")))
			cJSON_AddStringToObject(row, "dob",
			    cJSON_GetObjectItem(c, "dob")->valuestring);
		cJSON_AddBoolToObject(row, "resident", cJSON_IsTrue(cJSON_GetObjectItem(c,
		    "resident")));
		snprintf(id, sizeof(id), "children-%d-name", i);
		if (cJSON_IsString(err = cJSON_GetObjectItem(errors_at, id)))
			cJSON_AddStringToObject(row, "name_error", err->valuestring);
		snprintf(id, sizeof(id), "children-%d-dob", i);
		if (cJSON_IsString(err = cJSON_GetObjectItem(errors_at, id)))
			cJSON_AddStringToObject(row, "dob_error", err->valuestring);
		cJSON_AddItemToArray(rows, row);
	}
	return rows;
}

/* The part's page with the draft's answer (taken). */
static void
step_render(struct http_req *r, cJSON *answer)
{
	const struct referralform_step *st = referralform_step(r->params[1]);
	cJSON *body = cJSON_GetObjectItem(answer, "body");
	char page[64];

	cJSON_AddItemToObject(answer, "steps", steps_json(r->params[0], st));
	cJSON_AddStringToObject(answer, "step", st->name);
	web_flags(answer, body);
	if (strcmp(st->name, "checklist") == 0)
		add_checklist(r, answer, body);
	if (strcmp(st->name, "children") == 0)
		cJSON_AddItemToObject(answer, "child_rows", child_rows(body,
		    cJSON_GetObjectItem(answer, "errors_at")));
	snprintf(page, sizeof(page), "agency_step_%s", st->name);
	web_render(r, 200, page, st->title, answer);
}

/*
 * What the error messages call the inputs the API names; a path not
 * here is named as the API names it.
 */
static const struct { const char *field, *label, *missing; } field_labels[] = {
	{ "external_ref", "Your agency's reference", NULL },
	{ "referrer", "Who is referring", "Enter your name" },
	{ "referrer.name", "Your name", "Enter your name" },
	{ "referrer.email", "Your email address", NULL },
	{ "referrer.phone", "Your phone number", NULL },
	{ "victim", "The victim", "Enter the victim's full name and date of birth" },
	{ "victim.name", "The victim's full name", "Enter the victim's full name" },
	{ "victim.dob", "The victim's date of birth", "Enter the victim's date of birth" },
	{ "victim.gender", "The victim's gender", NULL },
	{ "victim.postcode", "The victim's postcode", NULL },
	{ "perpetrator.name", "The perpetrator's full name",
	  "Enter the perpetrator's full name, or leave this page blank" },
	{ "perpetrator.dob", "The perpetrator's date of birth", NULL },
	{ "perpetrator.gender", "The perpetrator's gender", NULL },
	{ "perpetrator.mappa_level", "The MAPPA level", NULL },
	{ "perpetrator.relationship", "The relationship", "Enter the relationship" },
	{ "domestic_abuse", "Whether this is domestic abuse",
	  "Select whether this is domestic abuse" },
	{ "stalking", "Whether there is stalking", "Select whether there is stalking" },
	{ "forum_requested", "The forum asked for", NULL },
	{ "dash", "The checklist", "Select the DASH checklist you used" },
	{ "dash.version", "The checklist", "Select the DASH checklist you used" },
	{ "dash.answers", "The checklist's answers", "Answer the checklist's questions" },
	{ "sdash.answers", "The S-DASH answers", "Answer the S-DASH questions" },
	{ "police_callouts_12m", "The number of police call-outs", NULL },
	{ "professional_judgement.level", "Your professional judgement",
	  "Select your professional judgement of the risk" },
	{ "professional_judgement.reason", "Why", "Enter why you judge the risk so" },
	{ "lawful_basis", "The lawful basis", "Select the lawful basis for sharing" },
	{ "consent", "The victim's consent", "Select whether the victim consented" },
	{ "summary", "The summary", NULL },
};

/*
 * "Enter the victim's date of birth", "The MAPPA level must be ...": a
 * person's words for an API error.
 */
static void
field_words(const char *field, const char *reason, char *out, size_t n)
{
	const char *label = field, *missing = NULL, *dot = strrchr(field, '.');

	for (size_t i = 0; i < sizeof(field_labels) / sizeof(field_labels[0]); i++)
		if (strcmp(field, field_labels[i].field) == 0) {
			label = field_labels[i].label;
			missing = field_labels[i].missing;
		}
	if (strncmp(field, "children[", 9) == 0 && dot != NULL) {
		label = strcmp(dot, ".dob") == 0 ? "The child's date of birth" :
		    strcmp(dot, ".name") == 0 ? "The child's full name" : "The child";
		missing = strcmp(dot, ".dob") == 0 ? "Enter the child's date of birth" :
		    "Enter the child's full name";
	} else if (strncmp(field, "dash.answers.", 13) == 0 ||
	    strncmp(field, "sdash.answers.", 14) == 0)
		label = "The answer to this question";
	if (missing != NULL && strcmp(reason, "is required") == 0)
		snprintf(out, n, "%s", missing);
	else
		snprintf(out, n, "%s %s", label, reason);
}

/*
 * The check's answer for the part's page: each error in this part at its
 * input, with the draft kept by step_got; or, with none and the person
 * going on (?check=next), the next part.
 */
static void
step_checked(struct http_req *r, int status, cJSON *answer)
{
	const struct referralform_step *st = referralform_step(r->params[1]);
	const struct referralform_step *next = referralform_next(st);
	const char *check = http_query_get(r, "check");
	cJSON *draft = web_gathered_detach(r, "draft");
	/* By input id, for the rows a template repeats (child_rows). */
	cJSON *at = draft != NULL ? cJSON_AddObjectToObject(draft, "errors_at") : NULL;
	const cJSON *fields = cJSON_GetObjectItem(answer, "fields"), *e;
	const char *field, *why;
	char text[300], id[FORMDECODE_ID_MAX];
	bool any = false;

	if (status != 422)
		fields = NULL;
	cJSON_ArrayForEach(e, fields) {
		field = cJSON_GetStringValue(cJSON_GetObjectItem(e, "field"));
		why = cJSON_GetStringValue(cJSON_GetObjectItem(e, "reason"));
		if (field == NULL || why == NULL || referralform_step_of(field) != st)
			continue;
		field_words(field, why, text, sizeof(text));
		web_error(r, field, text);
		formdecode_field_id(field, id);
		if (draft != NULL && cJSON_GetObjectItem(at, id) == NULL)
			cJSON_AddStringToObject(at, id, text);
		any = true;
	}
	cJSON_Delete(answer);
	if (draft == NULL) {
		web_fallback(r, 503, NULL);
		return;
	}
	if (!any && check != NULL && strcmp(check, "next") == 0) {
		cJSON_Delete(draft);
		redirectf(r, "/referrals/drafts/%s/%s", r->params[0],
		    next != NULL ? next->name : "check");
		return;
	}
	step_render(r, draft);
}

/*
 * The draft's part, as saved; with ?check (after "Save and continue",
 * or a link from the check page) through the API's dry run first, so that
 * what it finds wrong in this part is shown at each input.
 */
static void
step_got(struct http_req *r, int status, cJSON *answer)
{
	cJSON *body;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	if (http_query_get(r, "check") == NULL) {
		step_render(r, answer);
		return;
	}
	body = cJSON_Duplicate(cJSON_GetObjectItem(answer, "body"), true);
	web_gather(r, "draft", answer);
	web_call(r, api_referrals_check, body, step_checked);
}

/* GET /referrals/drafts/{id}/{step}: one part of the referral. */
void
web_draft_step(struct http_req *r)
{
	if (referralform_step(r->params[1]) == NULL) {
		web_fallback(r, 404, NULL);
		return;
	}
	web_call(r, api_drafts_get, NULL, step_got);
}

static void
step_saved(struct http_req *r, int status, cJSON *answer)
{
	const struct referralform_step *st = referralform_step(r->params[1]);
	const char *action = web_form_string(r, "action");

	cJSON_Delete(answer);
	if (status != 200) {
		web_fallback(r, status, NULL);
		return;
	}
	if (action != NULL && strcmp(action, "later") == 0)
		web_redirect(r, "/referrals/new");
	else if (action != NULL && strcmp(action, "stay") == 0)
		redirectf(r, "/referrals/drafts/%s/%s", r->params[0], st->name);
	else
		redirectf(r, "/referrals/drafts/%s/%s?check=next", r->params[0], st->name);
}

static void
step_merge(struct http_req *r, int status, cJSON *answer)
{
	const struct referralform_step *st = referralform_step(r->params[1]);
	cJSON *body, *form;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	body = cJSON_DetachItemFromObject(answer, "body");
	cJSON_Delete(answer);
	form = cJSON_Duplicate(web_form(r), true);
	if (form == NULL)
		form = cJSON_CreateObject();
	referralform_types(form);
	referralform_merge(body, form, st);
	cJSON_Delete(form);
	web_call(r, api_drafts_put, body, step_saved);
}

/*
 * POST /referrals/drafts/{id}/{step}: what the page holds, saved into
 * the draft as typed (the API says what is wrong when it is checked),
 * then the next part, or back to the list ("Save and come back later").
 */
void
web_draft_step_post(struct http_req *r)
{
	if (referralform_step(r->params[1]) == NULL) {
		web_fallback(r, 404, NULL);
		return;
	}
	web_call(r, api_drafts_get, NULL, step_merge);
}

/* --- check your answers, submission, confirmation ---------------------------------- */

/*
 * The API's field errors as the check page's list: each links to the
 * input on the page of the step that has it.
 */
static cJSON *
problems_json(const char *draft, const cJSON *answer)
{
	const struct referralform_step *st;
	cJSON *out = cJSON_CreateArray(), *p;
	const cJSON *e;
	char href[200], id[FORMDECODE_ID_MAX], text[300];
	const char *field, *why;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(answer, "fields")) {
		field = cJSON_GetStringValue(cJSON_GetObjectItem(e, "field"));
		why = cJSON_GetStringValue(cJSON_GetObjectItem(e, "reason"));
		if (field == NULL || why == NULL)
			continue;
		st = referralform_step_of(field);
		formdecode_field_id(field, id);
		snprintf(href, sizeof(href), "/referrals/drafts/%s/%s?check=show#%s", draft,
		    st != NULL ? st->name : referralform_steps[0].name, id);
		snprintf(text, sizeof(text), "%s: %s %s", st != NULL ? st->title :
		    "The referral", field, why);
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "href", href);
		cJSON_AddStringToObject(p, "text", text);
		cJSON_AddItemToArray(out, p);
	}
	if (cJSON_GetArraySize(out) == 0 && cJSON_IsString(cJSON_GetObjectItem(answer,
	    "message"))) {
		p = cJSON_CreateObject();
		snprintf(href, sizeof(href), "/referrals/drafts/%s/%s", draft,
		    referralform_steps[0].name);
		cJSON_AddStringToObject(p, "href", href);
		cJSON_AddStringToObject(p, "text",
		    cJSON_GetStringValue(cJSON_GetObjectItem(answer, "message")));
		cJSON_AddItemToArray(out, p);
	}
	return out;
}

static void
checked(struct http_req *r, int status, cJSON *answer)
{
	cJSON *data = cJSON_CreateObject();

	cJSON_AddStringToObject(data, "id", r->params[0]);
	cJSON_AddItemToObject(data, "steps", steps_json(r->params[0], NULL));
	if (status == 200) {
		cJSON_AddItemToObject(data, "result", answer);
		cJSON_AddBoolToObject(data, "below", cJSON_IsNull(cJSON_GetObjectItem(answer,
		    "forum")));
	} else if (status == 422 || status == 409 || status == 403) {
		cJSON_AddItemToObject(data, "problems", problems_json(r->params[0], answer));
		cJSON_Delete(answer);
	} else {
		cJSON_Delete(data);
		web_fallback(r, status, answer);
		return;
	}
	web_render(r, 200, "agency_check", "Check your answers", data);
}

static void
check_got(struct http_req *r, int status, cJSON *answer)
{
	cJSON *body;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	body = cJSON_DetachItemFromObject(answer, "body");
	cJSON_Delete(answer);
	web_call(r, api_referrals_check, body, checked);
}

/*
 * GET /referrals/drafts/{id}/check: the draft through the API's dry run
 * (POST /v1/referrals/check): what is missing or wrong, each linked to
 * its page, or the tick count, the criteria met and where the referral
 * would go.
 */
void
web_draft_check(struct http_req *r)
{
	web_call(r, api_drafts_get, NULL, check_got);
}

static void
submitted(struct http_req *r, int status, cJSON *answer)
{
	char id[24];

	if (status == 201 || status == 200) {
		snprintf(id, sizeof(id), "%.0f",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "id")));
		cJSON_Delete(answer);
		redirectf(r, "/referrals/%s/confirmation%s", id, "");
		return;
	}
	if (status == 422 || status == 403) {
		/* The check page says what is wrong. */
		cJSON_Delete(answer);
		redirectf(r, "/referrals/drafts/%s/%s", r->params[0], "check");
		return;
	}
	web_fallback(r, status, answer);
}

/* POST /referrals/drafts/{id}/submit: the referral made, the draft gone. */
void
web_draft_submit(struct http_req *r)
{
	web_call(r, api_drafts_submit, NULL, submitted);
}

static void
draft_deleted(struct http_req *r, int status, cJSON *answer)
{
	cJSON_Delete(answer);
	if (status != 200) {
		web_fallback(r, status, NULL);
		return;
	}
	/* Said by the page it goes to (a notice does not outlive this answer). */
	web_redirect(r, "/referrals/new?deleted=1");
}

/* POST /referrals/drafts/{id}/delete */
void
web_draft_delete(struct http_req *r)
{
	web_call(r, api_drafts_delete, NULL, draft_deleted);
}

static void
referral_got(struct http_req *r, int status, cJSON *answer)
{
	size_t n = strlen(r->path), c = strlen("/confirmation");

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_AddBoolToObject(answer, "below", cJSON_IsNull(cJSON_GetObjectItem(answer,
	    "forum")));
	if (n > c && strcmp(r->path + n - c, "/confirmation") == 0)
		web_render(r, 200, "agency_confirmation", "Referral made", answer);
	else
		web_render(r, 200, "agency_referral", "Referral", answer);
}

/*
 * GET /referrals/{id}/confirmation: the reference, the forum, the sitting
 * and its cutoff, or why it is below threshold and what to do instead.
 * GET /referrals/{id}: the referral as made.
 */
void
web_referral(struct http_req *r)
{
	web_call(r, api_referrals_get, NULL, referral_got);
}

/* --- my agency's referrals, actions and agendas ------------------------------------- */

/*
 * An action's RAG status (core/action.c, in the API's answer) in words and
 * a tag colour, and its status in words: colour is never the only sign.
 */
static void
action_words(cJSON *a)
{
	static const struct { const char *rag, *text, *cls; } rags[] = {
		{ "red", "Overdue", "govuk-tag--red" },
		{ "amber", "Due within 7 days", "govuk-tag--yellow" },
		{ "green", "On track", "govuk-tag--green" },
	};
	static const struct { const char *status, *text; } statuses[] = {
		{ "open", "Open" }, { "in_progress", "In progress" },
		{ "completed", "Completed" }, { "no_longer_relevant", "No longer relevant" },
	};
	const char *rag = cJSON_GetStringValue(cJSON_GetObjectItem(a, "rag"));
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(a, "status"));
	const char *text = "Closed", *cls = "govuk-tag--grey";

	for (size_t i = 0; rag != NULL && i < sizeof(rags) / sizeof(rags[0]); i++)
		if (strcmp(rag, rags[i].rag) == 0) {
			text = rags[i].text;
			cls = rags[i].cls;
		}
	cJSON_AddStringToObject(a, "rag_text", text);
	cJSON_AddStringToObject(a, "rag_class", cls);
	for (size_t i = 0; st != NULL && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(st, statuses[i].status) == 0)
			cJSON_AddStringToObject(a, "status_text", statuses[i].text);
}

static void
list_got(struct http_req *r, int status, cJSON *answer)
{
	const char *page = strcmp(r->path, "/referrals") == 0 ? "agency_referrals" :
	    strcmp(r->path, "/actions") == 0 ? "agency_actions" : "agency_agendas";
	const char *title = strcmp(r->path, "/referrals") == 0 ? "Our referrals" :
	    strcmp(r->path, "/actions") == 0 ? "Our actions" : "Agendas";
	cJSON *a;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(answer, "actions"))
		action_words(a);
	web_render(r, 200, page, title, answer);
}

/* GET /referrals: the agency's referrals (the API's row-level security). */
void
web_referrals(struct http_req *r)
{
	web_call(r, api_referrals_list, NULL, list_got);
}

/* GET /actions: the agency's actions with their RAG status (core/action.c). */
void
web_actions(struct http_req *r)
{
	web_call(r, api_actions_list, NULL, list_got);
}

/* GET /agendas: the issued agendas the agency was invited to. */
void
web_agendas(struct http_req *r)
{
	web_call(r, api_agendas_list, NULL, list_got);
}

static const struct web_field action_fields[] = {
	{ "status", "Select the action's status" },
	{ "note", "Enter a note" },
	{ NULL, NULL },
};

static void
action_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	action_words(answer);
	web_flags(answer, answer);
	if (http_query_get(r, "updated") != NULL)
		web_notice(r, "The action has been updated.");
	web_render(r, 200, "agency_action", "Action", answer);
}

/* GET /actions/{id}: the action, its RAG status, history and the update form. */
void
web_action(struct http_req *r)
{
	web_call(r, api_actions_get, NULL, action_got);
}

static void
action_updated(struct http_req *r, int status, cJSON *answer)
{
	cJSON *d;

	if (status == 200) {
		cJSON_Delete(answer);
		/* Said by the page it goes to (a notice does not outlive this answer). */
		redirectf(r, "/actions/%s%s", r->params[0], "?updated=1");
		return;
	}
	if (status == 422) {
		/* The page again, with what was typed and where it is wrong. */
		web_form_errors(r, answer, action_fields, "status", NULL);
		cJSON_Delete(answer);
		/*
		 * The refused change rolled its transaction back, so no other
		 * call may follow: the form alone again, what was typed kept.
		 */
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "id", r->params[0]);
		cJSON_AddBoolToObject(d, "form_only", true);
		/* The status chosen, ticked again (the note is in values). */
		if (web_form(r) != NULL)
			web_flags(d, web_form(r));
		web_render(r, 422, "agency_action", "Update the action", d);
		return;
	}
	web_fallback(r, status, answer);
}

/* POST /actions/{id}: a new status with a note (PATCH /v1/actions/{id}). */
void
web_action_post(struct http_req *r)
{
	/* A copy: the form stays the page's, to show again if refused. */
	web_call(r, api_actions_update, cJSON_Duplicate(web_form(r), true), action_updated);
}

static void
agenda_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_AddStringToObject(answer, "sitting_id", r->params[0]);
	web_agenda_downloads(answer);
	web_render(r, 200, "agency_agenda", "Agenda", answer);
}

/*
 * GET /agendas/{sitting}: the issued agenda in the view the agency was
 * sent (minimised), with the downloads the API gives
 * (/v1/sittings/{id}/agenda?format=pdf|html|csv|ics, by the same session).
 */
void
web_agenda(struct http_req *r)
{
	web_call(r, api_agenda_get, NULL, agenda_got);
}

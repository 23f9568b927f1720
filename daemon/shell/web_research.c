/*
 * The agencies' research pages (maracd(8), WEB PAGES): the sittings the
 * agency was invited to with returns due and how many it has made
 * (GET /v1/research), a sitting's cases with the people to search for
 * (GET /v1/sittings/{id}/research), and the return for one case, what
 * the agency's records hold or that they hold nothing
 * (PUT /v1/sittings/{id}/research/{referral}).  Who sees what, and the
 * audit of each read, are the API's (sql/014_research.sql).
 */
#include "shell/api.h"
#include "shell/web.h"
#include "shell/web_agendaimport.h"

#include <stdio.h>
#include <string.h>

static const struct web_field return_fields[] = {
	{ "answer", "Select what your records hold" },
	{ "text", "Enter what your records hold" },
	{ NULL, NULL },
};

static void
sittings_got(struct http_req *r, int status, cJSON *answer)
{
	const cJSON *s;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(answer, "sittings")) {
		double due = cJSON_GetNumberValue(cJSON_GetObjectItem(s, "expected"));
		double done = cJSON_GetNumberValue(cJSON_GetObjectItem(s, "returned"));

		cJSON_AddBoolToObject((cJSON *)s, "complete", done >= due);
	}
	web_render(r, 200, "research_sittings", "Research", answer);
}

/* GET /research: the sittings with returns due, and how many are done. */
void
web_research_sittings(struct http_req *r)
{
	web_call(r, api_research_overview, NULL, sittings_got);
}

/*
 * Each case marked with what the page shows of it: returned (and how) or
 * still owed, the href of its form.
 */
static void
mark_cases(struct http_req *r, cJSON *doc)
{
	const cJSON *c;
	char href[96];

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cases")) {
		const cJSON *mine = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "returns"), 0);

		snprintf(href, sizeof(href), "/research/%s/%.0f", r->params[0],
		    cJSON_GetNumberValue(cJSON_GetObjectItem(c, "referral_id")));
		cJSON_AddStringToObject((cJSON *)c, "href", href);
		cJSON_AddBoolToObject((cJSON *)c, "returned", mine != NULL);
		if (mine != NULL)
			cJSON_AddItemToObject((cJSON *)c, "mine", cJSON_Duplicate(mine, true));
	}
}

static void
sitting_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	mark_cases(r, answer);
	if (http_query_get(r, "returned") != NULL)
		web_notice(r, "Your return has been saved.");
	web_render(r, 200, "research_sitting", "Research for a sitting", answer);
}

/* GET /research/{sitting}: its cases, the people to search for, our returns. */
void
web_research_sitting(struct http_req *r)
{
	web_call(r, api_research_get, NULL, sitting_got);
}

/* The case of the research list the page is about, detached; NULL: none. */
static cJSON *
the_case(struct http_req *r, cJSON *doc)
{
	cJSON *c;

	mark_cases(r, doc);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cases")) {
		char id[24];

		snprintf(id, sizeof(id), "%.0f",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(c, "referral_id")));
		if (strcmp(id, r->params[1]) == 0) {
			cJSON_DetachItemViaPointer(cJSON_GetObjectItem(doc, "cases"), c);
			return c;
		}
	}
	return NULL;
}

/*
 * The form's page: the sitting, the case and what was typed, or else the
 * return made, as the form's fields (answer: found | nothing, text).
 */
static cJSON *
form_data(struct http_req *r, cJSON *doc, cJSON *c)
{
	cJSON *d = cJSON_CreateObject(), *shown;
	const cJSON *mine = cJSON_GetObjectItem(c, "mine");
	const char *text;

	cJSON_AddStringToObject(d, "sitting_id", r->params[0]);
	cJSON_AddItemToObject(d, "sitting", cJSON_DetachItemFromObject(doc, "sitting"));
	cJSON_AddItemToObject(d, "due", cJSON_DetachItemFromObject(doc, "due"));
	cJSON_AddItemToObject(d, "case", c);
	if (web_form(r) != NULL) {
		shown = cJSON_Duplicate(web_form(r), true);
	} else {
		shown = cJSON_CreateObject();
		if (mine != NULL)
			cJSON_AddStringToObject(shown, "answer", cJSON_IsTrue(
			    cJSON_GetObjectItem(mine, "nothing_known")) ? "nothing" : "found");
		if (cJSON_IsString(cJSON_GetObjectItem(mine, "text")))
			cJSON_AddStringToObject(shown, "text",
			    cJSON_GetObjectItem(mine, "text")->valuestring);
	}
	web_flags(d, shown);
	if ((text = cJSON_GetStringValue(cJSON_GetObjectItem(shown, "text"))) != NULL)
		cJSON_AddStringToObject(d, "text", text);
	cJSON_Delete(shown);
	cJSON_Delete(doc);
	return d;
}

/*
 * The form page's data from the research list's answer, or NULL having
 * answered (no such sitting, or no such case at it).
 */
static cJSON *
case_page(struct http_req *r, int status, cJSON *answer)
{
	cJSON *c;

	if (status != 200) {
		web_fallback(r, status, answer);
		return NULL;
	}
	if ((c = the_case(r, answer)) == NULL) {
		cJSON_Delete(answer);
		web_fallback(r, 404, NULL);
		return NULL;
	}
	return form_data(r, answer, c);
}

static void
case_got(struct http_req *r, int status, cJSON *answer)
{
	cJSON *d = case_page(r, status, answer);

	if (d != NULL)
		web_render(r, 200, "research_case", "Research return", d);
}

/* GET /research/{sitting}/{referral}: the return form for one case. */
void
web_research_case(struct http_req *r)
{
	web_call(r, api_research_get, NULL, case_got);
}

/*
 * The form ("answer": found | nothing, "text") as the API's body.  No
 * answer: the API's own refusal of a missing text, worded for the radios.
 */
static cJSON *
return_body(struct http_req *r)
{
	const char *a = web_form_string(r, "answer");
	const char *t = web_form_string(r, "text");
	cJSON *b = cJSON_CreateObject();

	if (a != NULL && strcmp(a, "nothing") == 0)
		cJSON_AddTrueToObject(b, "nothing_known");
	else if (t != NULL)
		cJSON_AddStringToObject(b, "text", t);
	return b;
}

static void
return_checked(struct http_req *r, int status, cJSON *answer)
{
	const char *a = web_form_string(r, "answer");
	char loc[96];

	if (status == 200) {
		cJSON_Delete(answer);
		snprintf(loc, sizeof(loc), "/research/%s?returned=1", r->params[0]);
		web_redirect(r, loc);
		return;
	}
	if (status != 422) {
		web_fallback(r, status, answer);
		return;
	}
	if (a == NULL)
		web_error(r, "answer", "Select what your records hold");
	else
		web_form_errors(r, answer, return_fields, "text", NULL);
	cJSON_Delete(answer);
	web_render(r, 422, "research_case", "Research return",
	    web_gathered_detach(r, "page"));
}

static void
case_for_post(struct http_req *r, int status, cJSON *answer)
{
	cJSON *d = case_page(r, status, answer);

	if (d == NULL)
		return;
	/* Kept for a refusal: the refused call ends the transaction. */
	web_gather(r, "page", d);
	web_call(r, api_research_return, return_body(r), return_checked);
}

/* POST /research/{sitting}/{referral}: the return saved, or the form again. */
void
web_research_case_post(struct http_req *r)
{
	web_call(r, api_research_get, NULL, case_for_post);
}

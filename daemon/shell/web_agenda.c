/*
 * The coordinator's agenda page (maracd(8), WEB PAGES): a sitting's
 * agenda as it stands (the draft built now from the cases listed), the
 * issued versions with what changed from one to the next, the downloads,
 * and issuing it (POST /v1/sittings/{id}/agenda/issue), which circulates
 * it by mail as ever.  Reading and issuing are GET /v1/sittings/{id}/agenda
 * and its issue, called with web_call: what a version holds, who may
 * read a draft and the audit are the API's.  The downloads (PDF, HTML,
 * CSV, ICS) are the same API's, for this page and the agency's.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/web.h"
#include "shell/web_agendaimport.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The query the API handler reads: version=v, or none (NULL). */
static bool
ask_version(struct http_req *r, const char *v)
{
	if (r->query == NULL) {
		if ((r->query = calloc(1, sizeof(*r->query))) == NULL ||
		    evhttp_parse_query_str("", r->query) != 0)
			return false;
	}
	evhttp_remove_header(r->query, "version");
	evhttp_remove_header(r->query, "format");
	return v == NULL || evhttp_add_header(r->query, "version", v) == 0;
}

/* The version the page was asked for (?version=N, kept as "asked"), or NULL. */
static const char *
wanted(struct http_req *r)
{
	const char *v = http_query_get(r, "asked");
	long long n;

	return v != NULL && api_parse_id(v, &n) ? v : NULL;
}

void
web_agenda_downloads(cJSON *agenda)
{
	static const struct {
		const char *format, *text;
	} files[] = {
		{ "pdf", "Agenda to print or keep (PDF)" },
		{ "html", "Printable agenda (HTML)" },
		{ "csv", "Spreadsheet (CSV)" },
		{ "ics", "Calendar entry (ICS)" },
	};
	const cJSON *sitting = cJSON_GetObjectItem(agenda, "sitting");
	bool draft = !cJSON_IsString(cJSON_GetObjectItem(agenda, "issued_at"));
	cJSON *list = cJSON_AddArrayToObject(agenda, "downloads"), *e;
	char version[16], which[32], href[128];

	if (draft) {
		snprintf(version, sizeof(version), "draft");
		snprintf(which, sizeof(which), "the draft");
	} else {
		snprintf(version, sizeof(version), "%.0f", cJSON_GetNumberValue(
		    cJSON_GetObjectItem(agenda, "version")));
		snprintf(which, sizeof(which), "version %s", version);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(href, sizeof(href), "/v1/sittings/%.0f/agenda?format=%s&version=%s",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(sitting, "id")),
		    files[i].format, version);
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "href", href);
		cJSON_AddStringToObject(e, "text", files[i].text);
		cJSON_AddStringToObject(e, "which", which);
		cJSON_AddItemToArray(list, e);
	}
}

/* The page from what was gathered: "shown", "latest", "draft", "held". */
static void
render(struct http_req *r)
{
	cJSON *d = web_gathered_take(r);
	cJSON *shown = cJSON_GetObjectItem(d, "shown");
	int latest = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(d, "latest"));
	cJSON *versions = cJSON_AddArrayToObject(d, "versions");

	for (int v = latest; v >= 1; v--) {
		cJSON *e = cJSON_CreateObject();
		char href[96];

		snprintf(href, sizeof(href), "/sittings/%s/agenda?version=%d",
		    r->params[0], v);
		cJSON_AddStringToObject(e, "href", href);
		cJSON_AddNumberToObject(e, "version", v);
		cJSON_AddBoolToObject(e, "current", v == (int)cJSON_GetNumberValue(
		    cJSON_GetObjectItem(shown, "version")));
		cJSON_AddItemToArray(versions, e);
	}
	cJSON_AddStringToObject(d, "sitting_id", r->params[0]);
	if (shown != NULL)
		web_agenda_downloads(shown);
	if (cJSON_GetObjectItem(d, "draft") != NULL)
		web_agenda_downloads(cJSON_GetObjectItem(d, "draft"));
	if (http_query_get(r, "issued") != NULL)
		web_notice(r, "The agenda has been issued and circulated.");
	web_render(r, 200, "sitting_agenda", "Agenda", d);
}

static void
draft_got(struct http_req *r, int status, cJSON *answer)
{
	/* Cancelled, or held meanwhile: no draft to show, the versions still. */
	if (status == 200)
		web_gather(r, "draft", answer);
	else
		cJSON_Delete(answer);
	render(r);
}

/* The draft, unless the sitting has been held (no issue can follow). */
static void
then_draft(struct http_req *r)
{
	const char *date = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(web_gathered(r), "shown"), "sitting"), "date"));
	char today[DATE_STRLEN];
	bool held = date != NULL && strcmp(date, date_format(api_today(), today)) < 0;

	web_gather(r, "held", cJSON_CreateBool(held));
	if (held || !ask_version(r, "draft")) {
		render(r);
		return;
	}
	web_call(r, api_agenda_get, NULL, draft_got);
}

static void
version_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	web_gather(r, "shown", answer);
	then_draft(r);
}

static void
latest_got(struct http_req *r, int status, cJSON *answer)
{
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(answer, "status"));
	const char *v = wanted(r);
	double latest = cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "version"));
	char n[16];

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	if (st != NULL && strcmp(st, "draft") == 0) {
		/* None issued yet: the answer is the draft. */
		web_gather(r, "draft", answer);
		render(r);
		return;
	}
	web_gather(r, "latest", cJSON_CreateNumber(latest));
	snprintf(n, sizeof(n), "%.0f", latest);
	web_gather(r, "shown", answer);
	if (v == NULL || strcmp(v, n) == 0) {
		then_draft(r);
		return;
	}
	if (!ask_version(r, v)) {
		web_fallback(r, 503, NULL);
		return;
	}
	web_call(r, api_agenda_get, NULL, version_got);
}

/*
 * GET /sittings/{id}/agenda[?version=N]: the latest issued version (or
 * the one asked for) with its changes, the list of versions and the
 * draft as it would be issued now.
 */
void
web_sitting_agenda(struct http_req *r)
{
	/* The API's own ?version= is the page's to set, call by call. */
	const char *asked = http_query_get(r, "version");
	char *v = asked != NULL ? strdup(asked) : NULL;

	if (!ask_version(r, NULL)) {
		free(v);
		web_fallback(r, 503, NULL);
		return;
	}
	if (v != NULL) {
		/* Kept in the query as "asked", read back by wanted(). */
		evhttp_add_header(r->query, "asked", v);
		free(v);
	}
	web_call(r, api_agenda_get, NULL, latest_got);
}

static void
issued(struct http_req *r, int status, cJSON *answer)
{
	char loc[96];
	cJSON *d;

	if (status == 201) {
		/* The API's Location is the JSON version's; the page's is the page. */
		if (r->ev != NULL)
			evhttp_remove_header(evhttp_request_get_output_headers(r->ev),
			    "Location");
		snprintf(loc, sizeof(loc), "/sittings/%s/agenda?issued=%.0f", r->params[0],
		    cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "version")));
		cJSON_Delete(answer);
		web_redirect(r, loc);
		return;
	}
	if (status != 409) {
		web_fallback(r, status, answer);
		return;
	}
	/* Cancelled, held, or another issue came first: say which. */
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "text", cJSON_GetStringValue(cJSON_GetObjectItem(answer,
	    "message")) != NULL ? cJSON_GetObjectItem(answer, "message")->valuestring :
	    "The agenda could not be issued.");
	snprintf(loc, sizeof(loc), "/sittings/%s/agenda", r->params[0]);
	cJSON_AddStringToObject(d, "href", loc);
	cJSON_AddStringToObject(d, "link", "Back to the agenda");
	cJSON_Delete(answer);
	web_render(r, 409, "message", "The agenda was not issued", d);
}

/* POST /sittings/{id}/agenda/issue: issue and circulate the draft. */
void
web_sitting_agenda_issue(struct http_req *r)
{
	web_call(r, api_agenda_issue, NULL, issued);
}

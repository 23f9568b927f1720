/*
 * GET /statistics?quarter=&area=: for staff and chairs, the SafeLives
 * return of an area and quarter (its expected levels and RAG) and the MASC
 * indicators, with links to the return's downloads.  The figures are the
 * API's (GET /v1/statistics/safelives and /masc, api_returns.c), called
 * with the page's own query: the quarter and area are checked there, once.
 * On screen, for the coordinator, the counts are exact; the downloads,
 * which leave the coordinator's hands, hide small numbers.
 */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/safelives.h"
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/web.h"
#include "shell/web_stats.h"

/* How many quarters the form offers, the last ended first. */
#define STATS_QUARTERS	12

static const struct web_field quarter_fields[] = {
	{ "quarter", "Select a quarter" },
	{ "area", "Enter an area code" },
	{ NULL, NULL },
};

/*
 * member's number as text to one decimal with suffix, in member_text: a
 * template shows no 0 in a section, and 0% is a figure.
 */
static void
number_text(cJSON *o, const char *member, const char *suffix)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, member);
	char key[32], s[32];

	if (!cJSON_IsNumber(v))
		return;
	snprintf(key, sizeof(key), "%s_text", member);
	snprintf(s, sizeof(s), "%.1f%s", v->valuedouble, suffix);
	cJSON_AddStringToObject(o, key, s);
}

/* RAG in words as well as colour (WCAG 1.4.1). */
static void
rag_words(cJSON *f)
{
	static const struct { const char *rag, *text, *cls; } tags[] = {
		{ "green", "Green: within the expected range", "govuk-tag--green" },
		{ "amber", "Amber: just outside the expected range", "govuk-tag--yellow" },
		{ "red", "Red: well outside the expected range", "govuk-tag--red" },
	};
	const cJSON *rag = cJSON_GetObjectItemCaseSensitive(f, "rag");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(f, "expected");
	const cJSON *lo = cJSON_GetObjectItemCaseSensitive(e, "low");
	const cJSON *hi = cJSON_GetObjectItemCaseSensitive(e, "high");
	char s[64] = "";

	for (size_t i = 0; cJSON_IsString(rag) && i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strcmp(rag->valuestring, tags[i].rag) == 0) {
			cJSON_AddStringToObject(f, "rag_text", tags[i].text);
			cJSON_AddStringToObject(f, "rag_class", tags[i].cls);
		}
	if (cJSON_IsNumber(lo) && cJSON_IsNumber(hi))
		snprintf(s, sizeof(s), "%g to %g", lo->valuedouble, hi->valuedouble);
	else if (cJSON_IsNumber(lo))
		snprintf(s, sizeof(s), "at least %g", lo->valuedouble);
	else if (cJSON_IsNumber(hi))
		snprintf(s, sizeof(s), "at most %g", hi->valuedouble);
	if (s[0] != '\0')
		cJSON_AddStringToObject(f, "expected_text", s);
	number_text(f, "percent", "%");
	number_text(f, "rate", " per 10,000");
}

/* The quarters the form offers, the chosen one selected. */
static cJSON *
quarters(const char *chosen)
{
	cJSON *a = cJSON_CreateArray();
	date_t from, to, t = api_today();
	int year, q;
	char s[16];

	for (int i = 0; i < STATS_QUARTERS; i++) {
		cJSON *o = cJSON_CreateObject();

		sl_quarter_last(t, &year, &q, &from, &to);
		snprintf(s, sizeof(s), "%04dQ%d", year, q);
		cJSON_AddStringToObject(o, "value", s);
		if (chosen != NULL && strcmp(chosen, s) == 0)
			cJSON_AddTrueToObject(o, "selected");
		cJSON_AddItemToArray(a, o);
		t = from;	/* the quarter before: the last ended before its first day */
	}
	return a;
}

static void
render(struct http_req *r, int status, cJSON *safelives, cJSON *masc)
{
	cJSON *data = cJSON_CreateObject(), *f;
	const char *q = NULL;

	if (safelives != NULL) {
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(safelives,
		    "figures"))
			rag_words(f);
		q = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(safelives,
		    "quarter"));
		/* "counts from 1 to 4": the template does no sums. */
		cJSON_AddNumberToObject(safelives, "small_max", cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(safelives, "suppress_below")) - 1);
		cJSON_AddItemToObject(data, "quarters", quarters(q));
		cJSON_AddItemToObject(data, "safelives", safelives);
	} else {
		cJSON_AddItemToObject(data, "quarters", quarters(NULL));
	}
	if (masc != NULL) {
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(masc,
		    "actions_by_due_date"))
			number_text(f, "percent", "%");
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(masc,
		    "attendance"))
			number_text(f, "percent", "%");
		cJSON_AddItemToObject(data, "masc", masc);
	}
	web_render(r, status, "stats", "Statistics", data);
}

static void
masc_got(struct http_req *r, int status, cJSON *answer)
{
	cJSON *safelives = web_gathered_detach(r, "safelives");

	if (status != 200) {
		cJSON_Delete(safelives);
		web_fallback(r, status, answer);
		return;
	}
	render(r, 200, safelives, answer);
}

static void
safelives_got(struct http_req *r, int status, cJSON *answer)
{
	if (status == 422) {
		web_form_errors(r, answer, quarter_fields, "quarter", NULL);
		cJSON_Delete(answer);
		render(r, 422, NULL, NULL);
		return;
	}
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	web_gather(r, "safelives", answer);
	web_call(r, api_statistics_masc, NULL, masc_got);
}

/* GET /statistics: the quarter's figures (default the last ended). */
void
web_statistics(struct http_req *r)
{
	web_call(r, api_statistics_safelives, NULL, safelives_got);
}

/*
 * The coordinator's pages (maracd(8), WEB PAGES): the dashboard
 * (GET /v1/dashboard), the cases (GET /v1/referrals and /v1/referrals/{id},
 * transfer, link, unlink), the sittings (GET /v1/sittings, add, the
 * coordinator's view of one, move, cancel or reinstate, the research
 * deadline).  Each page calls the API's handlers with web_call and renders
 * their answer: the rules, the row-level security and the audit are the
 * API's.  What the templates cannot work out (words for codes, time left,
 * which option is selected) is added here.
 */
#include "shell/api.h"
#include "shell/web.h"
#include "shell/web_coord.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/words.h"

#include <sys/queue.h>		/* before libevent's: its TAILQ is this one */
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------------- */

/* A code's words, from a table ending with NULLs; the code itself if absent. */
struct words {
	const char	*code, *text;
};

static const char *
words_of(const struct words *w, const char *code)
{
	for (; code != NULL && w->code != NULL; w++)
		if (strcmp(w->code, code) == 0)
			return w->text;
	return code != NULL ? code : "";
}

static const struct words statuses[] = {
	{ "listed", "Listed" }, { "waiting", "Waiting for a sitting" },
	{ "below_threshold", "Below threshold" }, { "linked", "Linked to a case" },
	{ "transferred", "Transferred" }, { NULL, NULL },
};

static const struct words forums[] = {
	{ "marac", "MARAC" }, { "masc", "MASC" }, { NULL, NULL },
};

static const char *
str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void
redirectf(struct http_req *r, const char *fmt, const char *a)
{
	char loc[160];

	snprintf(loc, sizeof(loc), fmt, a);
	web_redirect(r, loc);
}

/*
 * A GET form sends every field, the empty ones too; an empty filter is no
 * filter, and the API would refuse it as a value.
 */
static void
drop_empty_query(struct http_req *r)
{
	struct evkeyval *kv, *next;

	if (r->query == NULL)
		return;
	for (kv = TAILQ_FIRST(r->query); kv != NULL; kv = next) {
		next = TAILQ_NEXT(kv, next);
		if (kv->value == NULL || kv->value[0] == '\0') {
			TAILQ_REMOVE(r->query, kv, next);
			free(kv->key);
			free(kv->value);
			free(kv);
		}
	}
}

/* The form as the API's body: without the fields left empty (not given). */
static cJSON *
form_body(struct http_req *r)
{
	cJSON *b = web_form_take(r), *m, *next;

	for (m = b->child; m != NULL; m = next) {
		next = m->next;
		if (cJSON_IsString(m) && m->valuestring[0] == '\0')
			cJSON_DeleteItemFromObjectCaseSensitive(b, m->string);
	}
	return b;
}

/* "3 days 4 hours left", "2 hours 5 minutes left", or that it has passed. */
static void
time_left(double seconds, char *out, size_t n)
{
	long long s = (long long)seconds, d = s / 86400, h = s % 86400 / 3600,
	    m = s % 3600 / 60;
	char a[32], b[32];

	if (s <= 0) {
		snprintf(out, n, "Cutoff passed");
		return;
	}
	if (d > 0) {
		words_count(d, "day", "days", a, sizeof(a));
		words_count(h, "hour", "hours", b, sizeof(b));
	} else if (h > 0) {
		words_count(h, "hour", "hours", a, sizeof(a));
		words_count(m, "minute", "minutes", b, sizeof(b));
	} else {
		words_count(m < 1 ? 1 : m, "minute", "minutes", a, sizeof(a));
		b[0] = '\0';
	}
	snprintf(out, n, "%s%s%s left", a, b[0] != '\0' ? " " : "", b);
}

/* A sitting's state in words (coord_sitting_json()'s codes and counts). */
static void
sitting_words(cJSON *s)
{
	const cJSON *agenda = cJSON_GetObjectItemCaseSensitive(s, "agenda");
	const cJSON *drive = cJSON_GetObjectItemCaseSensitive(s, "drive");
	const cJSON *research = cJSON_GetObjectItemCaseSensitive(s, "research");
	const char *state;
	char text[160];

	cJSON_AddStringToObject(s, "forum_text", words_of(forums, str(s, "forum")));
	time_left(num(s, "cutoff_seconds_left"), text, sizeof(text));
	cJSON_AddStringToObject(s, "cutoff_text", text);
	cJSON_AddBoolToObject(s, "cutoff_passed", num(s, "cutoff_seconds_left") <= 0);
	if (strcmp(str(agenda, "state") != NULL ? str(agenda, "state") : "", "issued") == 0)
		snprintf(text, sizeof(text), "Issued, version %.0f", num(agenda, "version"));
	else
		snprintf(text, sizeof(text), "Draft (not issued)");
	cJSON_AddStringToObject(s, "agenda_text", text);
	state = str(drive, "state") != NULL ? str(drive, "state") : "";
	if (strcmp(state, "screened") == 0)
		snprintf(text, sizeof(text), "Screened on %s: %.0f %s",
		    str(drive, "screened_on") != NULL ? str(drive, "screened_on") : "",
		    num(drive, "candidates"), words_plural((long long)num(drive,
		    "candidates"), "candidate", "candidates"));
	else if (strcmp(state, "not_screened") == 0)
		snprintf(text, sizeof(text), "Not screened yet");
	else
		snprintf(text, sizeof(text), "Not used for MASC");
	cJSON_AddStringToObject(s, "drive_text", text);
	if (num(research, "invited") == 0)
		snprintf(text, sizeof(text), "No agencies invited yet (the agenda is not issued)");
	else
		snprintf(text, sizeof(text), "%.0f of %.0f %s returned on every case",
		    num(research, "returned"), num(research, "invited"),
		    words_plural((long long)num(research, "invited"), "agency", "agencies"));
	cJSON_AddStringToObject(s, "research_text", text);
	cJSON_AddBoolToObject(s, "cancelled",
	    strcmp(str(s, "status") != NULL ? str(s, "status") : "", "cancelled") == 0);
}

/* The API's 422 or 409 as the error summary, at the field it names. */
static bool
refused(struct http_req *r, int status, const cJSON *answer,
    const struct web_field *fields, const char *first)
{
	if (status != 422 && status != 409)
		return false;
	web_form_errors(r, answer, fields, first, NULL);
	return true;
}

/* What a page that redirected after a change says, by ?done=. */
static const struct words done_notices[] = {
	{ "added", "The sitting has been added." },
	{ "changed", "The sitting has been changed." },
	{ "cancelled", "The sitting has been cancelled." },
	{ "reinstated", "The sitting has been reinstated." },
	{ "research", "The information deadline has been saved." },
	{ "transferred", "The case has been transferred: this is its new record." },
	{ "linked", "The referral has been linked to the case." },
	{ "unlinked", "The referral has been unlinked: it is a case of its own." },
	{ NULL, NULL },
};

static void
done_notice(struct http_req *r)
{
	const char *done = http_query_get(r, "done");

	for (const struct words *w = done_notices; done != NULL && w->code != NULL; w++)
		if (strcmp(w->code, done) == 0)
			web_notice(r, w->text);
}

/* --- the filter forms (partials/filters.html) --------------------------------------- */

/* A field of a filter form: a select (choices, or the agencies) or a text input. */
struct filter {
	int			 column;
	const char		*name, *label, *hint, *input_class;
	bool			 numeric;
	const struct words	*choices;
	bool			 agencies;	/* the agencies gathered as "agencies" */
};

struct filter_form {
	const char		*action, *button, *column;	/* govuk-grid-column-<column> */
	int			 ncolumns;
	bool			 secondary, clear;
	const struct filter	*fields;	/* ends with a NULL name */
};

/* Options of a select, the query's value marked. */
static cJSON *
options(struct http_req *r, const char *param, const struct words *w)
{
	const char *v = http_query_get(r, param);
	cJSON *a = cJSON_CreateArray(), *o;

	for (; w->code != NULL; w++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", w->code);
		cJSON_AddStringToObject(o, "text", w->text);
		cJSON_AddBoolToObject(o, "selected", v != NULL && strcmp(v, w->code) == 0);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* The agencies as the select's options, the query's marked. */
static cJSON *
agency_options(struct http_req *r, const cJSON *agencies)
{
	const char *v = http_query_get(r, "agency");
	cJSON *a = cJSON_CreateArray(), *o;
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(agencies, "agencies")) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", str(e, "code"));
		cJSON_AddStringToObject(o, "text", str(e, "name"));
		cJSON_AddBoolToObject(o, "selected", v != NULL && strcmp(v, str(e, "code")) == 0);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* One field as the partial shows it: every member set, found or not. */
static cJSON *
filter_field(struct http_req *r, const struct filter *f)
{
	const char *error = web_field_error(r, f->name), *v = http_query_get(r, f->name);
	cJSON *o = cJSON_CreateObject();
	char by[96];

	cJSON_AddStringToObject(o, "name", f->name);
	cJSON_AddStringToObject(o, "label", f->label);
	cJSON_AddStringToObject(o, "hint", f->hint != NULL ? f->hint : "");
	cJSON_AddStringToObject(o, "error", error != NULL ? error : "");
	by[0] = '\0';
	if (f->hint != NULL)
		snprintf(by, sizeof(by), "%s-hint", f->name);
	if (error != NULL)
		snprintf(by + strlen(by), sizeof(by) - strlen(by), "%s%s-error",
		    by[0] != '\0' ? " " : "", f->name);
	cJSON_AddStringToObject(o, "described_by", by);
	cJSON_AddStringToObject(o, "input_class", f->input_class != NULL ?
	    f->input_class : "");
	cJSON_AddBoolToObject(o, "numeric", f->numeric);
	cJSON_AddStringToObject(o, "value", v != NULL ? v : "");
	cJSON_AddBoolToObject(o, "select", f->choices != NULL || f->agencies);
	cJSON_AddItemToObject(o, "options", f->choices != NULL ?
	    options(r, f->name, f->choices) : f->agencies ? agency_options(r,
	    cJSON_GetObjectItemCaseSensitive(web_gathered(r), "agencies")) :
	    cJSON_CreateArray());
	return o;
}

/* The form, with the query's values and the errors at their fields. */
static cJSON *
filter_form(struct http_req *r, const struct filter_form *ff)
{
	cJSON *form = cJSON_CreateObject(), *columns, *c;

	cJSON_AddStringToObject(form, "action", ff->action);
	cJSON_AddStringToObject(form, "button", ff->button);
	cJSON_AddBoolToObject(form, "secondary", ff->secondary);
	cJSON_AddBoolToObject(form, "clear", ff->clear);
	columns = cJSON_AddArrayToObject(form, "columns");
	for (int i = 0; i < ff->ncolumns; i++) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "column", ff->column);
		cJSON_AddItemToArray(columns, c);
		c = cJSON_AddArrayToObject(c, "fields");
		for (const struct filter *f = ff->fields; f->name != NULL; f++)
			if (f->column == i)
				cJSON_AddItemToArray(c, filter_field(r, f));
	}
	return form;
}

/* --- the dashboard ----------------------------------------------------------------- */

static const struct words attention_kinds[] = {
	{ "referral_waiting", "Waiting for a sitting" },
	{ "referral_linked", "Possible same-victim link to confirm" },
	{ "research_missing", "Research missing" },
	{ "review", "Flagged for review" },
	{ NULL, NULL },
};

/* Each kind of mail (the outbox's kinds) as the dashboard names it. */
static const struct words mail_kinds[] = {
	{ "urgent", "The urgent referral alert" },
	{ "agenda", "The agenda" },
	{ "research", "The research reminder" },
	{ "digest", "The actions digest" },
	{ "overdue", "The overdue action reminder" },
	{ "drive_risk", "The DRIVE risk warning" },
	{ "waiting", "The notice of referrals waiting for a sitting" },
	{ "quarterly_report", "The quarterly report" },
	{ "summary", "The coordinators' summary" },
	{ "account_invite", "An account invitation" },
	{ "account_reset", "A password reset link" },
	{ NULL, NULL },
};

/* The mail that could not be delivered: what each message was, in words. */
static void
mail_failed_words(cJSON *mail)
{
	cJSON *e;

	cJSON_AddBoolToObject(mail, "any", num(mail, "count") > 0);
	cJSON_AddBoolToObject(mail, "one", num(mail, "count") == 1);
	cJSON_AddBoolToObject(mail, "more", num(mail, "count") > cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(mail, "messages")));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(mail, "messages"))
		cJSON_AddStringToObject(e, "kind_text", words_of(mail_kinds, str(e, "kind")));
}

static void
dashboard_got(struct http_req *r, int status, cJSON *answer)
{
	cJSON *e, *x;
	char href[64];

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	mail_failed_words(cJSON_GetObjectItemCaseSensitive(answer, "mail_failed"));
	cJSON_AddBoolToObject(answer, "nothing", cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(answer, "attention")) == 0 &&
	    num(cJSON_GetObjectItemCaseSensitive(answer, "mail_failed"), "count") == 0);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "sittings"))
		sitting_words(e);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "attention")) {
		cJSON_AddStringToObject(e, "kind_text", words_of(attention_kinds,
		    str(e, "kind")));
		if ((x = cJSON_GetObjectItemCaseSensitive(e, "referral")) != NULL)
			snprintf(href, sizeof(href), "/cases/%.0f", num(x, "id"));
		else if ((x = cJSON_GetObjectItemCaseSensitive(e, "sitting")) != NULL)
			snprintf(href, sizeof(href), "/sittings/%.0f", num(x, "id"));
		else
			snprintf(href, sizeof(href), "/cases");
		cJSON_AddStringToObject(e, "href", href);
	}
	web_render(r, 200, "coord_dashboard", "Dashboard", answer);
}

/* GET /dashboard (and / for staff) */
void
web_dashboard(struct http_req *r)
{
	web_call(r, api_dashboard, NULL, dashboard_got);
}

/* --- cases --------------------------------------------------------------------------- */

static const struct filter_form case_filters = {
	.action = "/cases", .button = "Search", .column = "one-third", .ncolumns = 3,
	.clear = true,
	.fields = (const struct filter[]){
		{ .column = 0, .name = "forum", .label = "Forum", .choices = forums },
		{ .column = 0, .name = "status", .label = "Status", .choices = statuses },
		{ .column = 1, .name = "area", .label = "Area" },
		{ .column = 1, .name = "agency", .label = "Referring agency", .agencies = true },
		{ .column = 1, .name = "sitting", .label = "Sitting number",
		  .input_class = "govuk-input--width-5", .numeric = true },
		{ .column = 2, .name = "from", .label = "Received from",
		  .hint = "For example, 2026-11-01", .input_class = "govuk-input--width-10" },
		{ .column = 2, .name = "to", .label = "Received to",
		  .hint = "For example, 2026-11-30", .input_class = "govuk-input--width-10" },
		{ .name = NULL },
	},
};

static const struct web_field filter_fields[] = {
	{ "forum", NULL }, { "area", NULL }, { "status", NULL }, { "agency", NULL },
	{ "sitting", NULL }, { "from", NULL }, { "to", NULL }, { NULL, NULL },
};

/*
 * The list's address with the query's filters and after (NULL: the first
 * page), into data under key: a page link that drops the filters would
 * show another search.  Values are encoded again as the query had them.
 */
static void
page_link(struct http_req *r, cJSON *data, const char *key, const char *after)
{
	struct evkeyval *kv;
	struct buf b;
	char *enc;
	char sep = '?';

	buf_init(&b);
	buf_puts(&b, "/cases");
	for (kv = r->query != NULL ? TAILQ_FIRST(r->query) : NULL; kv != NULL;
	    kv = TAILQ_NEXT(kv, next)) {
		if (strcmp(kv->key, "after") == 0 ||
		    (enc = evhttp_encode_uri(kv->value)) == NULL)
			continue;
		buf_printf(&b, "%c%s=%s", sep, kv->key, enc);
		free(enc);
		sep = '&';
	}
	if (after != NULL)
		buf_printf(&b, "%cafter=%s", sep, after);
	if (!buf_failed(&b))
		cJSON_AddStringToObject(data, key, buf_str(&b));
	buf_free(&b);
}

static void
cases_listed(struct http_req *r, int status, cJSON *answer)
{
	cJSON *data = cJSON_CreateObject(), *e;
	char after[32];

	if (status == 200) {
		/* The API's own links know nothing of the page's address. */
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(answer, "next_after")))
			snprintf(after, sizeof(after), "%.0f", num(answer, "next_after"));
		else
			snprintf(after, sizeof(after), "%s", str(answer, "next_after") != NULL ?
			    str(answer, "next_after") : "");
		if (after[0] != '\0')
			page_link(r, data, "next_href", after);
		if (http_query_get(r, "after") != NULL)
			page_link(r, data, "first_href", NULL);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "referrals")) {
			cJSON_AddStringToObject(e, "status_text", words_of(statuses,
			    str(e, "status")));
			cJSON_AddStringToObject(e, "forum_text", words_of(forums,
			    str(e, "forum")));
		}
		cJSON_AddItemToObject(data, "results", answer);
	} else if (refused(r, status, answer, filter_fields, "forum")) {
		cJSON_Delete(answer);
	} else {
		cJSON_Delete(data);
		web_fallback(r, status, answer);
		return;
	}
	cJSON_AddItemToObject(data, "filter_form", filter_form(r, &case_filters));
	web_render(r, status == 200 ? 200 : 422, "coord_cases", "Cases", data);
}

static void
agencies_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	web_gather(r, "agencies", answer);
	web_call(r, api_referrals_list, NULL, cases_listed);
}

/*
 * GET /cases?forum=&area=&status=&agency=&sitting=&from=&to=: the search
 * (GET /v1/referrals), its filters in the query as the API takes them.
 */
void
web_cases(struct http_req *r)
{
	drop_empty_query(r);
	web_call(r, api_agencies_list, NULL, agencies_got);
}

static const struct web_field case_fields[] = {
	{ "forum", "Select the forum to transfer the case to" },
	{ "reason", "Enter why the case is transferred" },
	{ "to", "Enter the reference of the case to link this referral to" },
	{ NULL, NULL },
};

/* A referral's answer with what its page shows in words and may offer. */
static void
case_words(cJSON *c)
{
	const char *status = str(c, "status") != NULL ? str(c, "status") : "";
	const char *forum = str(c, "forum");
	int linked = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "linked"));
	cJSON *e;

	cJSON_AddStringToObject(c, "status_text", words_of(statuses, status));
	cJSON_AddStringToObject(c, "forum_text", words_of(forums, forum));
	/* The forum a transfer takes it to: the other one (either, below threshold). */
	e = cJSON_AddArrayToObject(c, "transfer_forums");
	for (const struct words *w = forums; w->code != NULL; w++)
		if (forum == NULL || strcmp(forum, w->code) != 0) {
			cJSON *o = cJSON_CreateObject();

			char id[32];

			/* The first radio is the field's id, for the error summary's link. */
			if (cJSON_GetArraySize(e) == 0)
				snprintf(id, sizeof(id), "forum");
			else
				snprintf(id, sizeof(id), "forum-%s", w->code);
			cJSON_AddStringToObject(o, "value", w->code);
			cJSON_AddStringToObject(o, "text", w->text);
			cJSON_AddStringToObject(o, "input_id", id);
			cJSON_AddItemToArray(e, o);
		}
	cJSON_AddBoolToObject(c, "can_transfer", strcmp(status, "transferred") != 0 &&
	    strcmp(status, "linked") != 0 && linked == 0);
	cJSON_AddBoolToObject(c, "can_link", (strcmp(status, "listed") == 0 ||
	    strcmp(status, "waiting") == 0) && linked == 0);
	cJSON_AddBoolToObject(c, "has_linked", linked > 0);
}

static void
case_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	done_notice(r);
	case_words(answer);
	web_render(r, 200, "coord_case", "Case", answer);
}

/* GET /cases/{id}: the referral in full, with what the coordinator can do. */
void
web_case(struct http_req *r)
{
	web_call(r, api_referrals_get, NULL, case_got);
}

/* The change a case page's POST asks for, by its path's last word. */
static const char *
last_word(struct http_req *r)
{
	const char *slash = strrchr(r->path, '/');

	return slash != NULL ? slash + 1 : "";
}

/*
 * A refused change of a case: its form again, with the error summary and
 * what was typed.  The case itself is not shown: reading it first would
 * commit the page's transaction (its read is audited in the same round
 * trip), and the change must run in one that knows the caller.
 */
static void
case_form_again(struct http_req *r, bool transfer)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "id", r->params[0]);
	cJSON_AddBoolToObject(d, "form_only", true);
	if (transfer) {
		case_words(d);
		cJSON_DeleteItemFromObjectCaseSensitive(d, "can_link");
		cJSON_AddBoolToObject(d, "can_link", false);
	} else {
		cJSON_AddBoolToObject(d, "can_link", true);
	}
	web_render(r, 422, "coord_case", transfer ? "Transfer the case" : "Link the referral", d);
}

static void
case_changed(struct http_req *r, int status, cJSON *answer)
{
	const char *what = last_word(r);
	const char *done = strcmp(what, "transfer") == 0 ? "transferred" :
	    strcmp(what, "link") == 0 ? "linked" : "unlinked";
	char loc[96];

	if (status == 200 || status == 201) {
		/* A transfer's case goes on as a new record: its page. */
		snprintf(loc, sizeof(loc), "/cases/%.0f?done=%s", num(answer, "id"), done);
		cJSON_Delete(answer);
		web_redirect(r, loc);
		return;
	}
	if (strcmp(what, "unlink") != 0 && refused(r, status, answer, case_fields,
	    strcmp(what, "transfer") == 0 ? "forum" : "to")) {
		cJSON_Delete(answer);
		case_form_again(r, strcmp(what, "transfer") == 0);
		return;
	}
	web_fallback(r, status, answer);
}

/* POST /cases/{id}/transfer: to the other forum, with the reason. */
void
web_case_transfer(struct http_req *r)
{
	web_call(r, api_referrals_transfer, form_body(r), case_changed);
}

/* POST /cases/{id}/link: heard as part of the case named by reference. */
void
web_case_link(struct http_req *r)
{
	web_call(r, api_referrals_link, form_body(r), case_changed);
}

/* POST /cases/{id}/unlink: a case of its own again. */
void
web_case_unlink(struct http_req *r)
{
	web_call(r, api_referrals_unlink, NULL, case_changed);
}

/* --- sittings ---------------------------------------------------------------------- */

static const struct web_field sitting_fields[] = {
	{ "forum", "Select the forum" },
	{ "area", "Enter the area" },
	{ "date", "Enter the date of the sitting" },
	{ "venue", NULL },
	{ "status", NULL },
	{ "due", "Enter the information deadline" },
	{ "from", NULL }, { "to", NULL },
	{ NULL, NULL },
};

static const struct filter_form sitting_filters = {
	.action = "/sittings", .button = "Show sittings", .column = "one-quarter",
	.ncolumns = 4, .secondary = true,
	.fields = (const struct filter[]){
		{ .column = 0, .name = "forum", .label = "Forum", .choices = forums },
		{ .column = 1, .name = "area", .label = "Area" },
		{ .column = 2, .name = "from", .label = "From", .hint = "Today if empty" },
		{ .column = 3, .name = "to", .label = "To", .hint = "A year on if empty" },
		{ .name = NULL },
	},
};

/* The calendar page: the list (NULL after a refusal of the filters) and the add form. */
static void
calendar_page(struct http_req *r, int status, cJSON *list)
{
	cJSON *data = cJSON_CreateObject(), *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(list, "sittings")) {
		cJSON_AddStringToObject(e, "forum_text", words_of(forums, str(e, "forum")));
		cJSON_AddBoolToObject(e, "cancelled", strcmp(str(e, "status") != NULL ?
		    str(e, "status") : "", "cancelled") == 0);
	}
	if (list != NULL)
		cJSON_AddItemToObject(data, "results", list);
	cJSON_AddBoolToObject(data, "staff", (r->caller.role & ROLES_STAFF) != 0);
	cJSON_AddItemToObject(data, "filter_form", filter_form(r, &sitting_filters));
	web_render(r, status, "coord_sittings", "Sittings", data);
}

static void
sittings_listed(struct http_req *r, int status, cJSON *answer)
{
	if (status == 200) {
		calendar_page(r, 200, answer);
	} else if (refused(r, status, answer, sitting_fields, "forum")) {
		cJSON_Delete(answer);
		calendar_page(r, 422, NULL);
	} else {
		web_fallback(r, status, answer);
	}
}

/* GET /sittings: the calendar (a year from today unless filtered). */
void
web_sittings(struct http_req *r)
{
	drop_empty_query(r);
	done_notice(r);
	web_call(r, api_sittings_list, NULL, sittings_listed);
}

/* The add form, with the forum chosen checked (the template cannot compare). */
static void
add_page(struct http_req *r, int status)
{
	cJSON *d = cJSON_CreateObject(), *is = cJSON_AddObjectToObject(d, "is");
	const char *forum = web_form_string(r, "forum");

	if (forum != NULL)
		cJSON_AddTrueToObject(cJSON_AddObjectToObject(is, "forum"), forum);
	web_render(r, status, "coord_sitting_new", "Add a sitting", d);
}

/* GET /sittings/new */
void
web_sitting_new(struct http_req *r)
{
	add_page(r, 200);
}

static void
sitting_added(struct http_req *r, int status, cJSON *answer)
{
	char id[24];

	if (status == 201 || status == 200) {
		snprintf(id, sizeof(id), "%.0f", num(answer, "id"));
		cJSON_Delete(answer);
		redirectf(r, "/sittings/%s?done=added", id);
		return;
	}
	if (refused(r, status, answer, sitting_fields, "date")) {
		cJSON_Delete(answer);
		add_page(r, 422);
		return;
	}
	web_fallback(r, status, answer);
}

/* POST /sittings: a sitting added by hand (forum, area, date, venue). */
void
web_sittings_add(struct http_req *r)
{
	web_call(r, api_sittings_add, form_body(r), sitting_added);
}

static void
sitting_page(struct http_req *r, int status, cJSON *answer)
{
	cJSON *e;

	sitting_words(answer);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "returns"))
		cJSON_AddBoolToObject(e, "all", num(e, "returned") >= num(answer, "cases"));
	web_render(r, status, "coord_sitting", "Sitting", answer);
}

static void
sitting_got(struct http_req *r, int status, cJSON *answer)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	done_notice(r);
	sitting_page(r, 200, answer);
}

/*
 * GET /sittings/{id}: one sitting for its coordinator: cutoff, cases,
 * research returned, agenda and DRIVE state, and its forms.
 */
void
web_sitting(struct http_req *r)
{
	web_call(r, api_sittings_get, NULL, sitting_got);
}

static void
sitting_changed(struct http_req *r, int status, cJSON *answer)
{
	const char *what = last_word(r), *st = web_form_string(r, "status");
	const char *done = strcmp(what, "research") == 0 ? "research" :
	    strcmp(what, "status") != 0 ? "changed" :
	    st != NULL && strcmp(st, "scheduled") == 0 ? "reinstated" : "cancelled";
	char loc[96];

	if (status == 200) {
		cJSON_Delete(answer);
		snprintf(loc, sizeof(loc), "/sittings/%s?done=%s", r->params[0], done);
		web_redirect(r, loc);
		return;
	}
	if (refused(r, status, answer, sitting_fields,
	    strcmp(what, "research") == 0 ? "due" : "date")) {
		cJSON_Delete(answer);
		sitting_page(r, 422, web_gathered_detach(r, "page"));
		return;
	}
	web_fallback(r, status, answer);
}

static void
sitting_for_change(struct http_req *r, int status, cJSON *answer)
{
	cJSON *body;

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	body = web_gathered_detach(r, "body");
	web_gather(r, "page", answer);
	web_call(r, strcmp(last_word(r), "research") == 0 ? api_research_set_due :
	    api_sittings_update, body, sitting_changed);
}

/* The sitting first, to show again with the errors if the change is refused. */
static void
sitting_change(struct http_req *r, cJSON *body)
{
	web_gather(r, "body", body);
	web_call(r, api_sittings_get, NULL, sitting_for_change);
}

/* POST /sittings/{id}: moved to another date, or its venue changed. */
void
web_sitting_change(struct http_req *r)
{
	cJSON *b = form_body(r);

	/* An emptied venue is cleared, not left as it was. */
	if (web_form_string(r, "venue") != NULL && web_form_string(r, "venue")[0] == '\0')
		cJSON_AddNullToObject(b, "venue");
	sitting_change(r, b);
}

/* POST /sittings/{id}/status: cancelled, or reinstated. */
void
web_sitting_status(struct http_req *r)
{
	sitting_change(r, form_body(r));
}

/* POST /sittings/{id}/research: the information deadline (empty: none). */
void
web_sitting_research(struct http_req *r)
{
	cJSON *b = form_body(r);

	if (cJSON_GetObjectItemCaseSensitive(b, "due") == NULL)
		cJSON_AddNullToObject(b, "due");
	sitting_change(r, b);
}

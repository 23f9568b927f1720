/*
 * The chair's pages (maracd(8), WEB PAGES): a sitting as it is held (the
 * attendance register, the confidentiality statement, the observers, the
 * cases in agenda order), each case (the referral, the agencies' research
 * returns, earlier actions to review, the decision with its new actions,
 * DRIVE, sign-off and amendments) and the decision records with their
 * SHA-256.  For the forum's chair and the coordinators.
 *
 * A page here needs several of the API's answers: it gathers them one
 * web_call after another (web_gathered), reads first and writes last, so
 * that a write the API refuses (which rolls the transaction back) still
 * has what the page needs to show the form again with its errors.  Every
 * rule, every check of what was typed, the row-level security and the
 * audit are the API's.
 */
#include "shell/api.h"
#include "shell/web.h"
#include "shell/web_chair.h"
#include "core/buf.h"
#include "core/decision.h"
#include "core/forum.h"
#include "core/minutes.h"
#include "shell/app.h"
#include "shell/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The checkboxes of a MASC decision's structured outcomes (pages-contract). */
static const char *const masc_spo[][2] = {
	{ "considered", "Stalking protection order considered" },
	{ "applied_for", "Applied for" },
	{ "interim_granted", "Interim order granted" },
	{ "full_granted", "Full order granted" },
	{ "breached", "Order breached" },
};
static const char *const masc_onward[][2] = {
	{ "mappa", "MAPPA" },
	{ "stalking_clinic", "Stalking clinic" },
	{ "isac_idva", "ISAC or IDVA" },
	{ "perpetrator_programme", "Perpetrator programme" },
};

/* --- the answers gathered ------------------------------------------------------ */

static const cJSON *
got(struct http_req *r, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(web_gathered(r), key);
}

static const char *
got_str(struct http_req *r, const char *key)
{
	return cJSON_GetStringValue(got(r, key));
}

static void
keep(struct http_req *r, const char *key, cJSON *answer)
{
	web_gather(r, key, answer != NULL ? answer : cJSON_CreateNull());
}

/* A read's answer kept under key, or its refusal answered: true to go on. */
static bool
kept(struct http_req *r, int status, cJSON *answer, const char *key)
{
	if (status != 200) {
		web_fallback(r, status, answer);
		return false;
	}
	keep(r, key, answer);
	return true;
}

/* The page's own ids, kept before calls on other ids replace them. */
static void
remember(struct http_req *r)
{
	keep(r, "sitting_id", cJSON_CreateString(r->params[0]));
	if (r->nparams > 1)
		keep(r, "referral_id", cJSON_CreateString(r->params[1]));
}

/* The next call's ids: "sitting_id", "referral_id", or both in that order. */
static bool
call_on(struct http_req *r, const char *a, const char *b)
{
	const char *ids[2] = { got_str(r, a), b != NULL ? got_str(r, b) : NULL };

	if (ids[0] == NULL || (b != NULL && ids[1] == NULL) ||
	    !web_params(r, b != NULL ? 2 : 1, ids)) {
		web_fallback(r, 503, NULL);
		return false;
	}
	return true;
}

static void
redirect_to(struct http_req *r, const char *suffix)
{
	const char *rid = got_str(r, "referral_id");
	char loc[160];

	snprintf(loc, sizeof(loc), "/sittings/%s/meeting%s%s%s", got_str(r, "sitting_id"),
	    rid != NULL ? "/" : "", rid != NULL ? rid : "", suffix);
	web_redirect(r, loc);
}

/* --- words ----------------------------------------------------------------------- */

/* "no_longer_relevant" says "No longer relevant": codes read as words. */
static cJSON *
words(const char *code)
{
	char out[64];
	size_t i;

	for (i = 0; code != NULL && code[i] != '\0' && i < sizeof(out) - 1; i++)
		out[i] = code[i] == '_' ? ' ' : code[i];
	out[i] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return cJSON_CreateString(out);
}

static const char *
forum_title(const char *forum)
{
	return forum_label(forum_of(forum) == FORUM_MASC ? FORUM_MASC : FORUM_MARAC);
}

static bool
listed(const cJSON *list, const char *value)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
		if (cJSON_IsString(e) && strcmp(e->valuestring, value) == 0)
			return true;
	return false;
}

/* The error the API gave for field, if any, at key of o. */
static void
error_at(struct http_req *r, cJSON *o, const char *key, const char *field)
{
	const char *e = web_field_error(r, field);

	/* The first error found is the one shown. */
	if (e != NULL && cJSON_GetObjectItemCaseSensitive(o, key) == NULL)
		cJSON_AddStringToObject(o, key, e);
}

static void
copy_member(cJSON *to, const char *as, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);

	if (v != NULL && !cJSON_IsNull(v))
		cJSON_AddItemToObject(to, as, cJSON_Duplicate(v, true));
}

static const char *
str_of(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* --- the sitting: register, statement, observers, cases ------------------------- */

static const struct web_field register_fields[] = {
	{ "chair", "Enter the chair's name" },
	{ "confidentiality_statement", "Enter the confidentiality statement" },
	{ NULL, NULL },
};

/* The posted row of the register for agency code, or NULL. */
static const cJSON *
posted_row(const cJSON *form, const char *code)
{
	const cJSON *row;

	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(form, "register")) {
		const char *a = str_of(row, "agency");

		if (a != NULL && strcmp(a, code) == 0)
			return row;
	}
	return NULL;
}

/*
 * One row per agency: present (and who), sent apologies (and whether it
 * sent information), or absent; as the minutes hold it, or as posted.
 */
static cJSON *
register_rows(const cJSON *agencies, const cJSON *minutes, const cJSON *form,
    int *present, int *apologies)
{
	cJSON *rows = cJSON_CreateArray();
	const cJSON *a, *e;
	int i = 0;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(agencies, "agencies")) {
		const char *code = str_of(a, "code");
		const char *status = "absent";
		char names[600] = "";
		bool info = false;
		cJSON *row;

		if (code == NULL)
			continue;
		if (form != NULL) {
			const cJSON *p = posted_row(form, code);

			if (str_of(p, "status") != NULL)
				status = str_of(p, "status");
			if (str_of(p, "name") != NULL)
				snprintf(names, sizeof(names), "%s", str_of(p, "name"));
			info = str_of(p, "information_sent") != NULL &&
			    strcmp(str_of(p, "information_sent"), "yes") == 0;
		} else {
			cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(minutes,
			    "attendees")) {
				const char *who = str_of(e, "name");

				if (str_of(e, "agency") == NULL ||
				    strcmp(str_of(e, "agency"), code) != 0)
					continue;
				status = "present";
				if (who != NULL && strlen(names) + strlen(who) + 3 < sizeof(names)) {
					if (names[0] != '\0')
						strcat(names, "; ");
					strcat(names, who);
				}
			}
			cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(minutes,
			    "apologies"))
				if (str_of(e, "agency") != NULL &&
				    strcmp(str_of(e, "agency"), code) == 0) {
					status = "apologies";
					info = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e,
					    "information_sent"));
				}
		}
		row = cJSON_CreateObject();
		cJSON_AddNumberToObject(row, "i", i++);
		cJSON_AddStringToObject(row, "agency", code);
		copy_member(row, "agency_name", a, "name");
		cJSON_AddStringToObject(row, "name", names);
		cJSON_AddBoolToObject(row, "present", strcmp(status, "present") == 0);
		cJSON_AddBoolToObject(row, "apologies", strcmp(status, "apologies") == 0);
		cJSON_AddBoolToObject(row, "absent", strcmp(status, "present") != 0 &&
		    strcmp(status, "apologies") != 0);
		cJSON_AddBoolToObject(row, "information_sent", info);
		*present += strcmp(status, "present") == 0;
		*apologies += strcmp(status, "apologies") == 0;
		cJSON_AddItemToArray(rows, row);
	}
	return rows;
}

/* The observers held or posted, and two blank rows for more. */
static cJSON *
observer_rows(struct http_req *r, const cJSON *list, bool posted)
{
	char path[48];

	cJSON *rows = cJSON_CreateArray(), *row;
	const cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, list) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "confidentiality_signed");

		row = cJSON_CreateObject();
		snprintf(path, sizeof(path), "observers[%d].name", i);
		error_at(r, row, "error", path);
		cJSON_AddNumberToObject(row, "n", i + 1);
		cJSON_AddNumberToObject(row, "i", i++);
		copy_member(row, "name", e, "name");
		copy_member(row, "organisation", e, "organisation");
		cJSON_AddBoolToObject(row, "signed", posted ? cJSON_IsString(s) &&
		    strcmp(s->valuestring, "yes") == 0 : cJSON_IsTrue(s));
		cJSON_AddItemToArray(rows, row);
	}
	for (int blank = 0; blank < 2; blank++) {
		row = cJSON_CreateObject();
		cJSON_AddNumberToObject(row, "n", i + 1);
		cJSON_AddNumberToObject(row, "i", i++);
		cJSON_AddItemToArray(rows, row);
	}
	return rows;
}

/* The agenda's cases, in its order (by referring agency, as issued). */
static cJSON *
agenda_cases(const cJSON *agenda, const char *sitting)
{
	cJSON *cases = cJSON_CreateArray(), *o;
	const cJSON *g, *c;
	char href[96];
	int n = 0;

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(agenda, "groups"))
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(g, "cases")) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "referral_id");
			const cJSON *risk = cJSON_GetObjectItemCaseSensitive(c, "risk");

			if (!cJSON_IsNumber(id))
				continue;
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "n", ++n);
			snprintf(href, sizeof(href), "/sittings/%s/meeting/%.0f", sitting,
			    id->valuedouble);
			cJSON_AddStringToObject(o, "href", href);
			copy_member(o, "reference", c, "reference");
			copy_member(o, "initials", cJSON_GetObjectItemCaseSensitive(c,
			    "victim"), "initials");
			if (str_of(risk, "level") != NULL)
				cJSON_AddItemToObject(o, "risk", words(str_of(risk, "level")));
			copy_member(o, "agency_name", g, "agency_name");
			copy_member(o, "urgent", c, "urgent");
			copy_member(o, "repeat", c, "repeat");
			cJSON_AddItemToArray(cases, o);
		}
	return cases;
}

/* The sitting page; form: what was posted, when the API refused it. */
static void
meeting_render(struct http_req *r, int status, const cJSON *form)
{
	cJSON *g = web_gathered_take(r), *d = cJSON_CreateObject();
	const cJSON *minutes = cJSON_GetObjectItemCaseSensitive(g, "minutes");
	const cJSON *agenda = cJSON_GetObjectItemCaseSensitive(g, "agenda");
	const cJSON *src = form != NULL ? form : minutes;
	const char *sid = str_of(g, "sitting_id");
	int present = 0, apologies = 0;
	char title[64];

	cJSON_AddStringToObject(d, "sitting_id", sid);
	copy_member(d, "date", minutes, "date");
	cJSON_AddStringToObject(d, "forum_name", forum_title(str_of(minutes, "forum")));
	copy_member(d, "venue", src, "venue");
	copy_member(d, "chair", src, "chair");
	if (str_of(src, "confidentiality_statement") != NULL)
		copy_member(d, "statement", src, "confidentiality_statement");
	else
		cJSON_AddStringToObject(d, "statement", minutes_default_statement);
	cJSON_AddItemToObject(d, "register", register_rows(cJSON_GetObjectItemCaseSensitive(g,
	    "agencies"), minutes, form, &present, &apologies));
	cJSON_AddNumberToObject(d, "present", present);
	cJSON_AddNumberToObject(d, "apologies", apologies);
	cJSON_AddItemToObject(d, "observers", observer_rows(r,
	    cJSON_GetObjectItemCaseSensitive(src, "observers"), form != NULL));
	if (form == NULL) {
		cJSON *cases = agenda_cases(agenda, sid);

		cJSON_AddBoolToObject(d, "has_cases", cJSON_GetArraySize(cases) > 0);
		cJSON_AddItemToObject(d, "cases", cases);
		copy_member(d, "agenda_version", agenda, "version");
		cJSON_AddBoolToObject(d, "agenda_shown", true);
	}
	snprintf(title, sizeof(title), "%s sitting of %s",
	    forum_title(str_of(minutes, "forum")),
	    str_of(minutes, "date") != NULL ? str_of(minutes, "date") : "");
	web_render(r, status, "chair_meeting", title, d);
	cJSON_Delete(g);
}

static void
meeting_agencies(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "agencies"))
		meeting_render(r, 200, NULL);
}

static void
meeting_minutes(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "minutes"))
		web_call(r, api_agencies_list, NULL, meeting_agencies);
}

/*
 * The agenda first: it is the read that may be refused (a cancelled
 * sitting's), and a refusal after the minutes were read would roll back
 * their audit.
 */
static void
meeting_agenda(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "agenda"))
		web_call(r, api_minutes_get, NULL, meeting_minutes);
}

/* GET /sittings/{id}/meeting: the issued agenda, or the draft of the cases listed now. */
void
web_chair_meeting(struct http_req *r)
{
	remember(r);
	web_call(r, api_agenda_get, NULL, meeting_agenda);
}

/* The register's rows and the observers as the minutes' lists. */
static cJSON *
minutes_body(const cJSON *form)
{
	cJSON *b = cJSON_CreateObject(), *att, *apo, *obs, *o;
	const cJSON *row;

	copy_member(b, "venue", form, "venue");
	copy_member(b, "chair", form, "chair");
	copy_member(b, "confidentiality_statement", form, "confidentiality_statement");
	att = cJSON_AddArrayToObject(b, "attendees");
	apo = cJSON_AddArrayToObject(b, "apologies");
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(form, "register")) {
		const char *st = str_of(row, "status"), *info = str_of(row, "information_sent");

		if (st == NULL)
			continue;
		o = cJSON_CreateObject();
		copy_member(o, "agency", row, "agency");
		if (strcmp(st, "present") == 0) {
			copy_member(o, "name", row, "name");
			cJSON_AddItemToArray(att, o);
		} else if (strcmp(st, "apologies") == 0) {
			cJSON_AddBoolToObject(o, "information_sent", info != NULL &&
			    strcmp(info, "yes") == 0);
			cJSON_AddItemToArray(apo, o);
		} else
			cJSON_Delete(o);
	}
	obs = cJSON_AddArrayToObject(b, "observers");
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(form, "observers")) {
		const char *s = str_of(row, "confidentiality_signed");

		o = cJSON_CreateObject();
		copy_member(o, "name", row, "name");
		copy_member(o, "organisation", row, "organisation");
		cJSON_AddBoolToObject(o, "confidentiality_signed", s != NULL &&
		    strcmp(s, "yes") == 0);
		cJSON_AddItemToArray(obs, o);
	}
	return b;
}

static void
register_saved(struct http_req *r, int status, cJSON *answer)
{
	if (status == 200) {
		cJSON_Delete(answer);
		web_notice(r, "The register has been saved.");
		redirect_to(r, "");
		return;
	}
	if (status == 422) {
		web_form_errors_at(r, answer, register_fields, "chair", NULL);
		cJSON_Delete(answer);
		meeting_render(r, 422, web_form(r));
		return;
	}
	web_fallback(r, status, answer);
}

static void
register_agencies(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "agencies"))
		web_call(r, api_minutes_put, minutes_body(web_form(r)),
		    register_saved);
}

static void
register_minutes(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "minutes"))
		web_call(r, api_agencies_list, NULL, register_agencies);
}

/*
 * POST /sittings/{id}/meeting: the register, the statement and the
 * observers saved as the sitting's minutes (PUT /v1/sittings/{id}/minutes).
 */
void
web_chair_meeting_post(struct http_req *r)
{
	remember(r);
	web_call(r, api_minutes_get, NULL, register_minutes);
}

/* --- a case: what the forum sees, and what it decides --------------------------------- */

static const struct web_field case_fields[] = {
	{ "outcome", NULL },
	{ "amendment_reason", "Enter the reason for the amendment" },
	{ "agency", "Select the agency" },
	{ "area", "Select the area" },
	{ "description", "Enter what is to be done" },
	{ NULL, NULL },
};

/* The forum's assessment areas: MASC's, or MARAC's as configured. */
static void
forum_areas(struct http_req *r, bool marac, struct decision_areas *areas)
{
	if (!marac || !decision_areas_parse(r->app->cfg->marac_areas, areas))
		*areas = decision_masc_areas;
}

/* The case's forum is MARAC (the decision's answer says). */
static bool
is_marac_case(struct http_req *r)
{
	const char *forum = str_of(got(r, "case"), "forum");

	return forum != NULL && forum_of(forum) == FORUM_MARAC;
}

/*
 * An agency's name from the page's list of them (GET /v1/agencies's
 * answer); its code if not there.
 */
static const char *
agency_name_of(const cJSON *agencies, const char *code)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(agencies, "agencies"))
		if (code != NULL && str_of(a, "code") != NULL &&
		    strcmp(str_of(a, "code"), code) == 0 && str_of(a, "name") != NULL)
			return str_of(a, "name");
	return code != NULL ? code : "";
}

/*
 * This case's research returns, and the invited agencies yet to return,
 * each agency by its name.
 */
static cJSON *
research_of(const cJSON *research, const char *rid, const cJSON *agencies)
{
	const cJSON *c, *m;
	cJSON *o, *e;
	char id[24];
	struct buf missing;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(research, "cases")) {
		snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(c, "referral_id")));
		if (strcmp(id, rid) != 0)
			continue;
		o = cJSON_CreateObject();
		copy_member(o, "returns", c, "returns");
		copy_member(o, "missing", c, "missing");
		copy_member(o, "due", research, "due");
		cJSON_AddBoolToObject(o, "any", cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(c, "returns")) > 0);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "returns")) {
			cJSON_AddBoolToObject(e, "nothing", cJSON_IsTrue(
			    cJSON_GetObjectItemCaseSensitive(e, "nothing_known")));
			cJSON_AddStringToObject(e, "agency_name",
			    agency_name_of(agencies, str_of(e, "agency")));
		}
		buf_init(&missing);
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(o, "missing"))
			buf_printf(&missing, "%s%s", missing.len > 0 ? ", " : "",
			    agency_name_of(agencies, cJSON_GetStringValue(m)));
		if (!buf_failed(&missing) && missing.len > 0)
			cJSON_AddStringToObject(o, "missing_text", buf_str(&missing));
		buf_free(&missing);
		return o;
	}
	return NULL;
}

/* DRIVE's screening of this case's perpetrator at the sitting, if any. */
static cJSON *
drive_of(const cJSON *drive, const char *rid)
{
	const cJSON *p, *id;
	cJSON *o;

	if (drive == NULL)
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "screened", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(drive, "screened")));
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(drive, "perpetrators"))
		cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(p, "referral_ids")) {
			char s[24];

			snprintf(s, sizeof(s), "%.0f", cJSON_GetNumberValue(id));
			if (strcmp(s, rid) != 0)
				continue;
			cJSON_AddItemToObject(o, "perpetrator", cJSON_Duplicate(p, true));
			cJSON_AddBoolToObject(o, "suggested", cJSON_IsTrue(
			    cJSON_GetObjectItemCaseSensitive(p, "candidate")));
			return o;
		}
	return o;
}

/* The posted review of action id, or NULL. */
static const cJSON *
posted_review(const cJSON *form, double id)
{
	const cJSON *row;

	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(form, "reviews")) {
		const char *a = str_of(row, "action");

		if (a != NULL && atof(a) == id)
			return row;
	}
	return NULL;
}

/* Earlier actions, each with the review chosen (posted, or as recorded). */
static cJSON *
review_rows(struct http_req *r, const cJSON *earlier, const cJSON *form)
{
	char path[48];

	static const char *const results[] = { "completed", "not_undertaken",
	    "change_in_circumstance", "carried_forward" };
	cJSON *rows = cJSON_Duplicate(earlier, true), *row, *is;
	int i = 0;

	cJSON_ArrayForEach(row, rows) {
		const cJSON *review = form != NULL ? posted_review(form, cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(row, "id"))) :
		    cJSON_GetObjectItemCaseSensitive(row, "review");
		const char *result = str_of(review, "result");

		snprintf(path, sizeof(path), "reviews[%d].result", i);
		error_at(r, row, "result_error", path);
		snprintf(path, sizeof(path), "reviews[%d].note", i);
		error_at(r, row, "note_error", path);
		cJSON_AddNumberToObject(row, "i", i++);
		cJSON_AddItemToObject(row, "status_text", words(str_of(row, "status")));
		is = cJSON_AddObjectToObject(row, "is");
		for (size_t k = 0; k < sizeof(results) / sizeof(results[0]); k++)
			cJSON_AddBoolToObject(is, results[k], result != NULL &&
			    strcmp(result, results[k]) == 0);
		if (str_of(review, "note") != NULL)
			cJSON_AddStringToObject(row, "note", str_of(review, "note"));
	}
	return rows;
}

static cJSON *
checkbox_rows(const char *const list[][2], size_t n, const cJSON *chosen)
{
	cJSON *rows = cJSON_CreateArray(), *o;

	for (size_t i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", list[i][0]);
		cJSON_AddStringToObject(o, "label", list[i][1]);
		cJSON_AddBoolToObject(o, "checked", listed(chosen, list[i][0]));
		cJSON_AddItemToArray(rows, o);
	}
	return rows;
}

/*
 * The decision form's fields: as posted (form), or as the decision holds
 * them, or for a new decision the agencies the register has present.
 */
static cJSON *
decision_form(struct http_req *r, const cJSON *decision, const cJSON *minutes, const cJSON *agencies,
    const struct decision_areas *areas, const cJSON *form)
{
	const cJSON *src = form != NULL ? form : decision, *a, *e;
	const cJSON *drive = cJSON_GetObjectItemCaseSensitive(src, "drive_increases_risk");
	const cJSON *masc = cJSON_GetObjectItemCaseSensitive(src, "masc_outcomes");
	cJSON *f = cJSON_CreateObject(), *list, *o, *present = cJSON_CreateArray();

	char path[48];

	list = cJSON_AddArrayToObject(f, "areas");
	for (int i = 0; i < areas->n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", areas->name[i]);
		cJSON_AddItemToObject(o, "label", words(areas->name[i]));
		snprintf(path, sizeof(path), "areas.%s", areas->name[i]);
		error_at(r, o, "error", path);
		copy_member(o, "text", cJSON_GetObjectItemCaseSensitive(src, "areas"),
		    areas->name[i]);
		cJSON_AddItemToArray(list, o);
	}
	copy_member(f, "outcome", src, "outcome");
	copy_member(f, "amendment_reason", form, "amendment_reason");
	if (src != NULL)
		copy_member(f, "attendees", src, "attendees");
	else
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(minutes, "attendees"))
			if (str_of(e, "agency") != NULL)
				cJSON_AddItemToArray(present, cJSON_CreateString(str_of(e, "agency")));
	list = cJSON_AddArrayToObject(f, "agencies");
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(agencies, "agencies")) {
		const char *code = str_of(a, "code");

		if (code == NULL)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", code);
		copy_member(o, "name", a, "name");
		cJSON_AddBoolToObject(o, "checked", listed(src != NULL ?
		    cJSON_GetObjectItemCaseSensitive(src, "attendees") : present, code));
		cJSON_AddItemToArray(list, o);
	}
	cJSON_Delete(present);
	cJSON_AddBoolToObject(f, "drive_yes", cJSON_IsTrue(drive) ||
	    (cJSON_IsString(drive) && strcmp(drive->valuestring, "yes") == 0));
	cJSON_AddBoolToObject(f, "drive_no", cJSON_IsFalse(drive) ||
	    (cJSON_IsString(drive) && strcmp(drive->valuestring, "no") == 0));
	/* The API names the value it refuses: masc_outcomes.spo[2]. */
	for (int i = 0; i < DECISION_ATTENDEES_MAX; i++) {
		snprintf(path, sizeof(path), "masc_outcomes.spo[%d]", i);
		error_at(r, f, "spo_error", path);
		snprintf(path, sizeof(path), "masc_outcomes.onward_referrals[%d]", i);
		error_at(r, f, "onward_error", path);
	}
	error_at(r, f, "spo_error", "masc_outcomes.spo");
	error_at(r, f, "onward_error", "masc_outcomes.onward_referrals");
	cJSON_AddItemToObject(f, "spo", checkbox_rows(masc_spo,
	    sizeof(masc_spo) / sizeof(masc_spo[0]),
	    cJSON_GetObjectItemCaseSensitive(masc, "spo")));
	cJSON_AddItemToObject(f, "onward", checkbox_rows(masc_onward,
	    sizeof(masc_onward) / sizeof(masc_onward[0]),
	    cJSON_GetObjectItemCaseSensitive(masc, "onward_referrals")));
	return f;
}

/* The new-action form: agencies and areas to choose from, what was typed. */
static cJSON *
action_form(const cJSON *agencies, const struct decision_areas *areas, const cJSON *form)
{
	cJSON *f = cJSON_CreateObject(), *list, *o;
	const char *agency = str_of(form, "agency"), *area = str_of(form, "area");
	const cJSON *a;

	list = cJSON_AddArrayToObject(f, "agencies");
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(agencies, "agencies")) {
		o = cJSON_Duplicate(a, true);
		cJSON_AddBoolToObject(o, "selected", agency != NULL && str_of(a, "code") != NULL &&
		    strcmp(agency, str_of(a, "code")) == 0);
		cJSON_AddItemToArray(list, o);
	}
	list = cJSON_AddArrayToObject(f, "areas");
	for (int i = 0; i < areas->n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", areas->name[i]);
		cJSON_AddItemToObject(o, "label", words(areas->name[i]));
		cJSON_AddBoolToObject(o, "selected", area != NULL &&
		    strcmp(area, areas->name[i]) == 0);
		cJSON_AddItemToArray(list, o);
	}
	copy_member(f, "description", form, "description");
	copy_member(f, "due", form, "due");
	return f;
}

/*
 * The case page.  decision_form_posted / action_form_posted: the form the
 * API refused, shown again as typed.
 */
static void
case_render(struct http_req *r, int status, const cJSON *decision_posted,
    const cJSON *action_posted)
{
	cJSON *g = web_gathered_take(r), *d = cJSON_CreateObject(), *x, *e;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(g, "case");
	const cJSON *decision = cJSON_GetObjectItemCaseSensitive(c, "decision");
	const cJSON *minutes = cJSON_GetObjectItemCaseSensitive(g, "minutes");
	const cJSON *agencies = cJSON_GetObjectItemCaseSensitive(g, "agencies");
	const char *rid = str_of(g, "referral_id"), *forum = str_of(c, "forum");
	bool marac = forum == NULL || forum_of(forum) == FORUM_MARAC;
	struct decision_areas areas;
	char title[96];

	if (cJSON_IsNull(decision))
		decision = NULL;
	forum_areas(r, marac, &areas);
	cJSON_AddStringToObject(d, "sitting_id", str_of(g, "sitting_id"));
	cJSON_AddStringToObject(d, "referral_id", rid);
	copy_member(d, "reference", c, "reference");
	copy_member(d, "date", minutes, "date");
	copy_member(d, "lawful_basis", c, "lawful_basis");
	cJSON_AddStringToObject(d, "forum_name", forum_title(forum));
	cJSON_AddBoolToObject(d, "marac", marac);
	cJSON_AddBoolToObject(d, "masc", !marac);
	if ((x = cJSON_DetachItemFromObjectCaseSensitive(g, "referral")) != NULL) {
		cJSON_AddStringToObject(x, "referring_agency_name",
		    agency_name_of(agencies, str_of(x, "referring_agency")));
		cJSON_AddItemToObject(d, "referral", x);
	}
	if (cJSON_GetObjectItemCaseSensitive(g, "research") != NULL) {
		cJSON_AddBoolToObject(d, "research_shown", true);
		x = research_of(cJSON_GetObjectItemCaseSensitive(g, "research"), rid,
		    agencies);
		if (x != NULL)
			cJSON_AddItemToObject(d, "research", x);
	}
	x = review_rows(r, cJSON_GetObjectItemCaseSensitive(c, "earlier_actions"),
	    decision_posted);
	cJSON_AddBoolToObject(d, "has_earlier", cJSON_GetArraySize(x) > 0);
	cJSON_AddItemToObject(d, "earlier", x);
	x = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, "actions"), true);
	cJSON_ArrayForEach(e, x)
		cJSON_AddItemToObject(e, "status_text", words(str_of(e, "status")));
	cJSON_AddBoolToObject(d, "has_actions", cJSON_GetArraySize(x) > 0);
	cJSON_AddItemToObject(d, "actions", x);
	if (decision != NULL) {
		const cJSON *v;

		cJSON_AddBoolToObject(d, "decided", true);
		copy_member(d, "signed_off", decision, "signed_off");
		copy_member(d, "signed_off_at", decision, "signed_off_at");
		copy_member(d, "version", decision, "version");
		x = cJSON_AddArrayToObject(d, "versions");
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(decision, "amendments")) {
			e = cJSON_CreateObject();
			copy_member(e, "version", v, "version");
			copy_member(e, "at", v, "at");
			copy_member(e, "reason", v, "reason");
			cJSON_AddBoolToObject(e, "first", str_of(v, "reason") == NULL);
			cJSON_AddItemToArray(x, e);
		}
	}
	cJSON_AddItemToObject(d, "form", decision_form(r, decision, minutes, agencies, &areas,
	    decision_posted));
	cJSON_AddItemToObject(d, "action", action_form(agencies, &areas, action_posted));
	if (marac) {
		x = drive_of(cJSON_GetObjectItemCaseSensitive(g, "drive"), rid);
		if (x != NULL)
			cJSON_AddItemToObject(d, "drive", x);
	}
	snprintf(title, sizeof(title), "Case %s", str_of(c, "reference") != NULL ?
	    str_of(c, "reference") : "");
	web_render(r, status, "chair_case", title, d);
	cJSON_Delete(g);
}

/*
 * What a case page reads, in order, each answer kept: the decision with
 * the actions to review, the minutes (who is present), the agencies; a
 * POST then writes (its "then" names which); the page reads the research
 * returns, DRIVE, and last the referral in full: GET /v1/referrals/{id}
 * commits its audit in the statement's own round trip, which ends the
 * transaction, so nothing can follow it.
 */
static void case_then(struct http_req *r);

/*
 * A read refused after others rolls their audit back with it: the page
 * then shows nothing it read, only the error.
 */
static void
case_referral(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "referral"))
		case_render(r, 200, NULL, NULL);
}

static void
referral_last(struct http_req *r)
{
	if (call_on(r, "referral_id", NULL))
		web_call(r, api_referrals_get, NULL, case_referral);
}

static void
case_drive(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "drive"))
		referral_last(r);
}

/*
 * The next call on the sitting, for this case only (?referral=): the
 * research and DRIVE lists of one case, not the whole sitting's.
 */
static bool
call_on_case(struct http_req *r)
{
	if (!web_query_set(r, "referral", got_str(r, "referral_id"))) {
		web_fallback(r, 503, NULL);
		return false;
	}
	return call_on(r, "sitting_id", NULL);
}

static void
case_research(struct http_req *r, int status, cJSON *answer)
{
	if (!kept(r, status, answer, "research"))
		return;
	if (!is_marac_case(r))
		referral_last(r);
	else if (call_on_case(r))
		web_call(r, api_drive_get, NULL, case_drive);
}

static void
case_agencies(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "agencies"))
		case_then(r);
}

static void
case_minutes(struct http_req *r, int status, cJSON *answer)
{
	if (kept(r, status, answer, "minutes"))
		web_call(r, api_agencies_list, NULL, case_agencies);
}

static void
case_decision(struct http_req *r, int status, cJSON *answer)
{
	if (!kept(r, status, answer, "case"))
		return;
	if (call_on(r, "sitting_id", NULL))
		web_call(r, api_minutes_get, NULL, case_minutes);
}

static void
case_read(struct http_req *r, const char *then)
{
	remember(r);
	keep(r, "then", cJSON_CreateString(then));
	web_call(r, api_decision_get, NULL, case_decision);
}

/* GET /sittings/{id}/meeting/{referral} */
void
web_chair_case(struct http_req *r)
{
	case_read(r, "page");
}

/* --- a case's writes: the decision, its sign-off, a new action ---------------------- */

/*
 * The decision form as PUT .../decision takes it: the attendees ticked,
 * the areas, the outcome, the DRIVE answer as true or false, the reviews
 * chosen (a row with no result chosen is not a review), the amendment's
 * reason, MASC's structured outcomes.
 */
static cJSON *
decision_body(const cJSON *form, bool marac)
{
	cJSON *b = cJSON_CreateObject(), *reviews, *o;
	const char *drive = str_of(form, "drive_increases_risk");
	const cJSON *row, *att = cJSON_GetObjectItemCaseSensitive(form, "attendees");

	cJSON_AddItemToObject(b, "attendees", cJSON_IsArray(att) ?
	    cJSON_Duplicate(att, true) : cJSON_CreateArray());
	copy_member(b, "areas", form, "areas");
	copy_member(b, "outcome", form, "outcome");
	copy_member(b, "amendment_reason", form, "amendment_reason");
	if (marac && drive != NULL)
		cJSON_AddBoolToObject(b, "drive_increases_risk", strcmp(drive, "yes") == 0);
	if (!marac)
		copy_member(b, "masc_outcomes", form, "masc_outcomes");
	reviews = cJSON_AddArrayToObject(b, "reviews");
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(form, "reviews")) {
		if (str_of(row, "result") == NULL || str_of(row, "action") == NULL)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "action", atof(str_of(row, "action")));
		copy_member(o, "result", row, "result");
		copy_member(o, "note", row, "note");
		cJSON_AddItemToArray(reviews, o);
	}
	return b;
}

static void
decision_saved(struct http_req *r, int status, cJSON *answer)
{
	if (status == 200) {
		cJSON_Delete(answer);
		web_notice(r, "The decision has been saved.");
		redirect_to(r, "#decision");
		return;
	}
	if (status == 422 || status == 409) {
		web_form_errors_at(r, answer, case_fields, "outcome", NULL);
		cJSON_Delete(answer);
		case_render(r, status == 409 ? 422 : status, web_form(r), NULL);
		return;
	}
	web_fallback(r, status, answer);
}

static void
signed_off(struct http_req *r, int status, cJSON *answer)
{
	if (status == 200) {
		cJSON_Delete(answer);
		web_notice(r, "The decision has been signed off.");
		redirect_to(r, "#decision");
		return;
	}
	if (status == 409) {
		web_form_errors(r, answer, case_fields, "outcome", NULL);
		cJSON_Delete(answer);
		case_render(r, 409, NULL, NULL);
		return;
	}
	web_fallback(r, status, answer);
}

static void
action_added(struct http_req *r, int status, cJSON *answer)
{
	if (status == 201) {
		cJSON_Delete(answer);
		web_notice(r, "The action has been added.");
		redirect_to(r, "#actions");
		return;
	}
	if (status == 422 || status == 409) {
		web_form_errors_at(r, answer, case_fields, "agency", NULL);
		cJSON_Delete(answer);
		case_render(r, 422, NULL, web_form(r));
		return;
	}
	web_fallback(r, status, answer);
}

/* What follows the reads: the page, or the write it was posted for. */
static void
case_then(struct http_req *r)
{
	const char *then = got_str(r, "then");
	cJSON *body;

	if (strcmp(then, "decision") == 0) {
		if (call_on(r, "sitting_id", "referral_id"))
			web_call(r, api_decision_put, decision_body(web_form(r),
			    is_marac_case(r)), decision_saved);
	} else if (strcmp(then, "sign_off") == 0) {
		if (call_on(r, "sitting_id", "referral_id"))
			web_call(r, api_decision_sign_off, NULL, signed_off);
	} else if (strcmp(then, "action") == 0) {
		body = web_form_take(r);
		/* Given at this sitting: the record lists it under this sitting. */
		cJSON_DeleteItemFromObjectCaseSensitive(body, "sitting");
		cJSON_AddNumberToObject(body, "sitting", atof(got_str(r, "sitting_id")));
		if (call_on(r, "referral_id", NULL))
			web_call(r, api_actions_create, body, action_added);
		else
			cJSON_Delete(body);
	} else if (call_on_case(r))
		web_call(r, api_research_get, NULL, case_research);
}

/*
 * POST /sittings/{id}/meeting/{referral}: the decision written, or
 * amended with its reason once signed off, with the reviews of earlier
 * actions (PUT /v1/sittings/{id}/cases/{referral}/decision).
 */
void
web_chair_case_post(struct http_req *r)
{
	case_read(r, "decision");
}

/* POST /sittings/{id}/meeting/{referral}/sign-off */
void
web_chair_sign_off(struct http_req *r)
{
	case_read(r, "sign_off");
}

/* POST /sittings/{id}/meeting/{referral}/actions: POST /v1/referrals/{id}/actions. */
void
web_chair_action_post(struct http_req *r)
{
	case_read(r, "action");
}

/* --- decision records ---------------------------------------------------------------- */

static void
records_render(struct http_req *r)
{
	cJSON *g = web_gathered_take(r), *d = cJSON_CreateObject();
	const cJSON *minutes = cJSON_GetObjectItemCaseSensitive(g, "minutes");
	const char *sid = str_of(g, "sitting_id");
	char title[64];

	cJSON_AddStringToObject(d, "sitting_id", sid);
	copy_member(d, "date", minutes, "date");
	cJSON_AddStringToObject(d, "forum_name", forum_title(str_of(minutes, "forum")));
	copy_member(d, "sha256", g, "sha256");
	copy_member(d, "cases", g, "cases");
	cJSON_AddBoolToObject(d, "has_cases", cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(g, "cases")) > 0);
	snprintf(title, sizeof(title), "Decision records of %s",
	    str_of(minutes, "date") != NULL ? str_of(minutes, "date") : "the sitting");
	web_render(r, 200, "chair_records", title, d);
	cJSON_Delete(g);
}

/*
 * Each case's hash beside it, from one call for the whole sitting
 * (GET /v1/sittings/{id}/record/cases): the hash is each case's export's,
 * and making it logs the exports, as maracctl record does.
 */
static void
records_cases(struct http_req *r, int status, cJSON *answer)
{
	cJSON *c;
	const cJSON *h;
	char id[24];

	if (status != 200) {
		web_fallback(r, status, answer);
		return;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(web_gathered(r),
	    "cases"))
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(answer,
		    "cases")) {
			snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(h, "referral_id")));
			if (strcmp(id, str_of(c, "referral_id")) == 0)
				copy_member(c, "sha256", h, "sha256");
		}
	cJSON_Delete(answer);
	records_render(r);
}

static void
records_sitting(struct http_req *r, int status, cJSON *answer)
{
	cJSON *cases = cJSON_CreateArray(), *o;
	const cJSON *s, *c;
	char id[24];

	if (status != 200 && status != 404) {
		cJSON_Delete(cases);
		web_fallback(r, status, answer);
		return;
	}
	copy_member(web_gathered(r), "sha256", answer, "sha256");
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(answer, "sittings"))
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(s, "cases")) {
			o = cJSON_CreateObject();
			snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(c, "referral_id")));
			cJSON_AddStringToObject(o, "referral_id", id);
			copy_member(o, "reference", c, "reference");
			cJSON_AddBoolToObject(o, "decided", cJSON_IsObject(
			    cJSON_GetObjectItemCaseSensitive(c, "decision")));
			cJSON_AddItemToArray(cases, o);
		}
	cJSON_Delete(answer);
	keep(r, "cases", cases);
	if (status != 200) {
		records_render(r);
		return;
	}
	if (call_on(r, "sitting_id", NULL))
		web_call(r, api_sittings_record_cases, NULL, records_cases);
}

static void
records_minutes(struct http_req *r, int status, cJSON *answer)
{
	if (!kept(r, status, answer, "minutes"))
		return;
	if (call_on(r, "sitting_id", NULL))
		web_call(r, api_sittings_record, NULL, records_sitting);
}

/*
 * GET /sittings/{id}/records: the sitting's record and each case's, in
 * every format the API makes, each with the SHA-256 of its canonical
 * JSON (the hash is the export's: showing it logs an export, as maracctl
 * record does; every case's in one call, GET .../record/cases).
 */
void
web_chair_records(struct http_req *r)
{
	remember(r);
	web_call(r, api_minutes_get, NULL, records_minutes);
}

/*
 * GET /v1/sittings/{id}/record and GET /v1/referrals/{id}/record
 * (chair, admin): the decision record in JSON, HTML, CSV or PDF with the
 * SHA-256 of its canonical JSON.
 *
 * One transaction, made by shell/record.c as for maracctl record: the
 * database gathers the source as the caller (so row-level security
 * decides what is in it, and another forum's chair gets 404),
 * recordexport.c renders it and hashes it, and the export is logged
 * before the answer is committed.
 *
 * GET /v1/sittings/{id}/record/cases (chair, admin): the hash and size of
 * the record of every case heard at a sitting, in one transaction
 * (shell/recordcases.c): what the sitting's records page shows, without
 * one export per case.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "shell/log.h"
#include "shell/record.h"
#include "shell/recordcases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
exported(struct record_exported *e, void *arg)
{
	struct http_req *r = arg;
	const char *kind = record_kind_name(e->kind);
	char *body, disposition[128];
	size_t len;

	if (!e->ok && e->why != NULL) {
		log_error("http: %s %s record %s: %s", r->id, kind, r->params[0],
		    e->why);
		http_reply_error(r, 500, "internal_error",
		    "maracd could not make this record");
		return;
	}
	if (!e->ok) {
		api_reply_db_error(r, e->res);
		return;
	}
	if (!e->found) {
		/* Absent and not yours look the same. */
		http_reply_error(r, 404, "not_found", e->kind == RECORD_SITTING ?
		    "no such sitting" : "no such referral");
		return;
	}
	/* The reply takes the bytes; the buffer gives them up. */
	body = e->x->body.data;
	len = e->x->body.len;
	e->x->body.data = NULL;
	buf_init(&e->x->body);
	if (body == NULL) {
		http_reply_error(r, 503, "out_of_memory", "try again later");
		return;
	}
	http_add_header(r, "X-Record-SHA256", e->x->sha256);
	/* Files to keep, named by ids only. */
	if (e->x->format == RECORDEXPORT_PDF || e->x->format == RECORDEXPORT_CSV) {
		snprintf(disposition, sizeof(disposition), "attachment; "
		    "filename=\"%s-%s-%s-record.%s\"", e->x->forum, kind,
		    r->params[0], recordexport_format_name(e->x->format));
		http_add_header(r, "Content-Disposition", disposition);
	}
	log_info("%s record %s exported as %s, sha256 %s, request %s", kind,
	    r->params[0], recordexport_format_name(e->x->format), e->x->sha256,
	    r->id);
	http_reply_commit_body(r, 200, recordexport_content_type(e->x->format),
	    body, len);
}

static void
record_get(struct http_req *r, enum record_kind kind)
{
	enum recordexport_format f;
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", kind == RECORD_SITTING ?
		    "no such sitting" : "no such referral");
		return;
	}
	if (!recordexport_format_parse(http_query_get(r, "format"), &f)) {
		api_reply_field(r, "format", "must be json, html, csv or pdf");
		return;
	}
	record_export(r->txn, kind, r->params[0], f, true, exported, r);
}

void
api_sittings_record(struct http_req *r)
{
	record_get(r, RECORD_SITTING);
}

void
api_referrals_record(struct http_req *r)
{
	record_get(r, RECORD_REFERRAL);
}

static void
cases_made(const struct record_cases_made *m, void *arg)
{
	struct http_req *r = arg;
	cJSON *body, *cases, *c;
	size_t i;

	if (!m->ok && m->why != NULL) {
		log_error("http: %s case records of sitting %s: %s", r->id,
		    r->params[0], m->why);
		http_reply_error(r, 500, "internal_error",
		    "maracd could not make these records");
		return;
	}
	if (!m->ok) {
		api_reply_db_error(r, m->res);
		return;
	}
	if (!m->found) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "sitting_id", atof(r->params[0]));
	cJSON_AddStringToObject(body, "format",
	    recordexport_format_name(RECORDEXPORT_JSON));
	cases = cJSON_AddArrayToObject(body, "cases");
	for (i = 0; i < m->n; i++) {
		c = cJSON_CreateObject();
		cJSON_AddNumberToObject(c, "referral_id",
		    atof(m->cases[i].referral_id));
		cJSON_AddStringToObject(c, "reference", m->cases[i].reference);
		cJSON_AddStringToObject(c, "sha256", m->cases[i].sha256);
		cJSON_AddNumberToObject(c, "size", (double)m->cases[i].size);
		cJSON_AddItemToArray(cases, c);
	}
	log_info("case records of sitting %s exported as json (%zu), request %s",
	    r->params[0], m->n, r->id);
	http_reply_commit(r, 200, body);
}

void
api_sittings_record_cases(struct http_req *r)
{
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", "no such sitting");
		return;
	}
	record_case_hashes(r->txn, r->params[0], cases_made, r);
}

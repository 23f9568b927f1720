/*
 * GET /v1/sittings/{id}/record and GET /v1/referrals/{id}/record
 * (chair, admin): the decision record in JSON, HTML, CSV or PDF with the
 * SHA-256 of its canonical JSON.
 *
 * One transaction: the database gathers the source as the caller (so
 * row-level security decides what is in it, and another forum's chair
 * gets 404), recordexport.c renders it and hashes it, and the export is
 * logged (record_exports and audit_log) before the answer is committed:
 * a record nobody logged is never handed out.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "shell/log.h"
#include "shell/recordexport.h"
#include "statements/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct export {
	struct http_req		*r;
	const char		*kind;		/* "sitting", "referral" */
	struct recordexport	 x;
};

static void
export_free(struct export *e)
{
	recordexport_free(&e->x);
	free(e);
}

static void
logged(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct export *e = arg;
	struct http_req *r = e->r;
	char *body, disposition[128];
	size_t len = e->x.body.len;

	(void)txn;
	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		export_free(e);
		return;
	}
	/* The reply takes the bytes; the buffer gives them up. */
	body = e->x.body.data;
	e->x.body.data = NULL;
	buf_init(&e->x.body);
	if (body == NULL) {
		http_reply_error(r, 503, "out_of_memory", "try again later");
		export_free(e);
		return;
	}
	http_add_header(r, "X-Record-SHA256", e->x.sha256);
	/* Files to keep, named by ids only. */
	if (e->x.format == RECORDEXPORT_PDF || e->x.format == RECORDEXPORT_CSV) {
		snprintf(disposition, sizeof(disposition), "attachment; "
		    "filename=\"%s-%s-%s-record.%s\"", e->x.forum, e->kind,
		    r->params[0], recordexport_format_name(e->x.format));
		http_add_header(r, "Content-Disposition", disposition);
	}
	log_info("%s record %s exported as %s, sha256 %s, request %s", e->kind,
	    r->params[0], recordexport_format_name(e->x.format), e->x.sha256,
	    r->id);
	http_reply_commit_body(r, 200, recordexport_content_type(e->x.format),
	    body, len);
	export_free(e);
}

static void
gathered(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct export *e = arg;
	struct http_req *r = e->r;
	enum recordexport_format f = e->x.format;
	const char *why, *params[5];

	if (!db_ok(res)) {
		api_reply_db_error(r, res);
		export_free(e);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		/* Absent and not yours look the same. */
		http_reply_error(r, 404, "not_found", strcmp(e->kind, "sitting") == 0 ?
		    "no such sitting" : "no such referral");
		export_free(e);
		return;
	}
	if (recordexport_make(PQgetvalue(res, 0, 0), f, &e->x, &why) != 0) {
		log_error("http: %s %s record %s: %s", r->id, e->kind,
		    r->params[0], why);
		http_reply_error(r, 500, "internal_error",
		    "maracd could not make this record");
		export_free(e);
		return;
	}
	params[0] = e->kind;
	params[1] = r->params[0];
	params[2] = e->x.forum;
	params[3] = recordexport_format_name(f);
	params[4] = e->x.sha256;
	db_query(txn, RECORDS_SQL_EXPORT_LOG, 5, params, logged, e);
}

static void
record_get(struct http_req *r, const char *kind, const char *sql)
{
	enum recordexport_format f;
	struct export *e;
	const char *params[1];
	long long id;

	if (!api_parse_id(r->params[0], &id)) {
		http_reply_error(r, 404, "not_found", strcmp(kind, "sitting") == 0 ?
		    "no such sitting" : "no such referral");
		return;
	}
	if (!recordexport_format_parse(http_query_get(r, "format"), &f)) {
		api_reply_field(r, "format", "must be json, html, csv or pdf");
		return;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		http_reply_error(r, 503, "out_of_memory", "try again later");
		return;
	}
	e->r = r;
	e->kind = kind;
	e->x.format = f;
	buf_init(&e->x.body);
	params[0] = r->params[0];
	db_query(r->txn, sql, 1, params, gathered, e);
}

void
api_sittings_record(struct http_req *r)
{
	record_get(r, "sitting", RECORDS_SQL_SITTING_SOURCE);
}

void
api_referrals_record(struct http_req *r)
{
	record_get(r, "referral", RECORDS_SQL_REFERRAL_SOURCE);
}

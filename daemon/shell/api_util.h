/*
 * Small things every API handler needs: ids from paths, field errors as
 * JSON, the local date, and turning a failed statement into an answer.
 */
#ifndef MARACD_API_UTIL_H
#define MARACD_API_UTIL_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "core/date.h"
#include "core/fielderr.h"
#include "shell/http.h"

/* A positive decimal id of at most 15 digits, or false. */
bool	api_parse_id(const char *s, long long *out);
/* 422 with every field error. */
void	api_reply_invalid(struct http_req *r, const struct field_errors *errs);
/* 422 for one field. */
void	api_reply_field(struct http_req *r, const char *field, const char *reason);
/*
 * Answer a statement that did not succeed: NULL (connection lost) or a
 * server error becomes 503 or 500, named by SQLSTATE in the log only.
 */
void	api_reply_db_error(struct http_req *r, const PGresult *res);
/* The body as JSON, or NULL after answering 400. */
cJSON  *api_body_json(struct http_req *r);
/*
 * Answer with a one-column jsonb result as it is (committed first), 404
 * with not_found when it is NULL or absent, or the statement's error.
 */
void	api_reply_doc(struct http_req *r, const PGresult *res, int status,
	    const char *not_found);
/*
 * Answer 200 with {"<key>": column 0 as JSON} (a list, a number),
 * committed first, or the statement's error.
 */
void	api_reply_member(struct http_req *r, const PGresult *res, const char *key);
/*
 * A page of a list: column 0 the JSON array, column 1 the last id when the
 * page is full (NULL otherwise), as {"<key>": [...], "next_after": id}.
 */
cJSON  *api_page(const PGresult *res, const char *key);
/* Answer with that page (committed first), or the statement's error. */
void	api_reply_page(struct http_req *r, const PGresult *res, const char *key);
/* Today's date in the configured time zone (the process's TZ). */
date_t	api_today(void);

#endif

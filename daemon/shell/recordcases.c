/* The hashes of a sitting's case records; see recordcases.h. */
#include "shell/recordcases.h"
#include "shell/db.h"
#include "core/buf.h"
#include "statements/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cases {
	struct record_case_hash	*c;
	size_t			 n;
	char			 forum[8];
	struct buf		 ids;	/* bigint[] literal of the logged ids */
	struct buf		 shas;	/* text[] literal of their hashes */
	record_cases_cb		 cb;
	void			*arg;
};

static void
cases_end(struct cases *k, bool ok, const PGresult *res, const char *why,
    bool found)
{
	struct record_cases_made out = { ok, ok ? NULL : res, why, found,
	    k->c, k->n };

	k->cb(&out, k->arg);
	buf_free(&k->ids);
	buf_free(&k->shas);
	free(k->c);
	free(k);
}

static void
logged(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	cases_end(arg, db_ok(res), res, NULL, true);
}

/* One case's JSON export, as a download makes it: its hash and size kept. */
static int
case_made(struct cases *k, const PGresult *res, int row, const char **why)
{
	struct record_case_hash *h = &k->c[k->n];
	struct recordexport x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.format = RECORDEXPORT_JSON;
	buf_init(&x.body);
	rc = recordexport_make(PQgetvalue(res, row, 3), RECORDEXPORT_JSON, &x, why);
	if (rc == 0) {
		snprintf(h->referral_id, sizeof(h->referral_id), "%s",
		    PQgetvalue(res, row, 1));
		snprintf(h->reference, sizeof(h->reference), "%s",
		    PQgetvalue(res, row, 2));
		memcpy(h->sha256, x.sha256, sizeof(h->sha256));
		h->size = x.body.len;
		snprintf(k->forum, sizeof(k->forum), "%s", x.forum);
		buf_printf(&k->ids, "%s%s", k->n == 0 ? "" : ",", h->referral_id);
		buf_printf(&k->shas, "%s%s", k->n == 0 ? "" : ",", h->sha256);
		k->n++;
	}
	recordexport_free(&x);
	return rc;
}

static void
gathered(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct cases *k = arg;
	const char *why, *params[5];
	int i, rows;

	if (!db_ok(res)) {
		cases_end(k, false, res, NULL, false);
		return;
	}
	rows = PQntuples(res);
	if (rows == 0) {
		/* Absent and not yours look the same. */
		cases_end(k, true, NULL, NULL, false);
		return;
	}
	k->c = calloc((size_t)rows, sizeof(*k->c));
	if (k->c == NULL) {
		cases_end(k, false, NULL, "out of memory", false);
		return;
	}
	for (i = 0; i < rows; i++) {
		/* A sitting that heard no case: one row, its case columns NULL. */
		if (PQgetisnull(res, i, 1))
			continue;
		if (case_made(k, res, i, &why) != 0) {
			cases_end(k, false, NULL, why, false);
			return;
		}
	}
	if (k->n == 0) {
		cases_end(k, true, NULL, NULL, true);
		return;
	}
	buf_puts(&k->ids, "}");
	buf_puts(&k->shas, "}");
	if (buf_failed(&k->ids) || buf_failed(&k->shas)) {
		cases_end(k, false, NULL, "out of memory", false);
		return;
	}
	params[0] = "referral";
	params[1] = buf_str(&k->ids);
	params[2] = k->forum;
	params[3] = recordexport_format_name(RECORDEXPORT_JSON);
	params[4] = buf_str(&k->shas);
	db_query(txn, RECORDS_SQL_EXPORT_SET, 5, params, logged, k);
}

void
record_case_hashes(struct db_txn *txn, const char *sitting_id,
    record_cases_cb cb, void *arg)
{
	struct cases *k = calloc(1, sizeof(*k));
	const char *params[1];

	if (k == NULL) {
		struct record_cases_made out = { false, NULL, "out of memory",
		    false, NULL, 0 };

		cb(&out, arg);
		return;
	}
	buf_init(&k->ids);
	buf_init(&k->shas);
	buf_putc(&k->ids, '{');
	buf_putc(&k->shas, '{');
	k->cb = cb;
	k->arg = arg;
	params[0] = sitting_id;
	db_query(txn, RECORDS_SQL_SITTING_CASE_SOURCES, 1, params, gathered, k);
}

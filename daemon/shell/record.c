/* A decision record exported on the event loop; see record.h. */
#include "shell/record.h"
#include "shell/db.h"
#include "statements/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct export {
	enum record_kind	 kind;
	char			 id[24];
	bool			 log;
	struct recordexport	 x;
	record_export_cb	 cb;
	void			*arg;
};

const char *
record_kind_name(enum record_kind kind)
{
	return kind == RECORD_SITTING ? "sitting" : "referral";
}

static void
export_end(struct export *e, bool ok, const PGresult *res, const char *why,
    bool found)
{
	struct record_exported out = { e->kind, ok, ok ? NULL : res, why, found,
	    ok && found ? &e->x : NULL };

	e->cb(&out, e->arg);
	recordexport_free(&e->x);
	free(e);
}

static void
logged(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	export_end(arg, db_ok(res), res, NULL, true);
}

static void
gathered(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct export *e = arg;
	const char *why, *params[5];

	if (!db_ok(res) || PQntuples(res) != 1) {
		export_end(e, false, res, NULL, false);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		/* Absent and not yours look the same. */
		export_end(e, true, NULL, NULL, false);
		return;
	}
	if (recordexport_make(PQgetvalue(res, 0, 0), e->x.format, &e->x,
	    &why) != 0) {
		export_end(e, false, NULL, why, false);
		return;
	}
	if (!e->log) {
		export_end(e, true, NULL, NULL, true);
		return;
	}
	params[0] = record_kind_name(e->kind);
	params[1] = e->id;
	params[2] = e->x.forum;
	params[3] = recordexport_format_name(e->x.format);
	params[4] = e->x.sha256;
	db_query(txn, RECORDS_SQL_EXPORT_LOG, 5, params, logged, e);
}

void
record_export(struct db_txn *txn, enum record_kind kind, const char *id,
    enum recordexport_format f, bool log, record_export_cb cb, void *arg)
{
	struct export *e = calloc(1, sizeof(*e));
	const char *params[1];

	if (e == NULL) {
		struct record_exported out = { kind, false, NULL, "out of memory",
		    false, NULL };

		cb(&out, arg);
		return;
	}
	e->kind = kind;
	snprintf(e->id, sizeof(e->id), "%s", id);
	e->log = log;
	e->x.format = f;
	buf_init(&e->x.body);
	e->cb = cb;
	e->arg = arg;
	params[0] = e->id;
	db_query(txn, kind == RECORD_SITTING ? RECORDS_SQL_SITTING_SOURCE :
	    RECORDS_SQL_REFERRAL_SOURCE, 1, params, gathered, e);
}

/* --- verifying an export ---------------------------------------------- */

struct verify {
	struct recordexport_check c;
	char			 id[24];
	struct record_verified	 out;
	char			 first[40];
	record_verify_cb	 cb;
	void			*arg;
};

static void
verify_end(struct verify *v, bool ok, const PGresult *res, const char *why)
{
	v->out.ok = ok;
	v->out.res = ok ? NULL : res;
	v->out.why = why;
	v->out.first = v->first;
	v->cb(&v->out, v->arg);
	free(v);
}

static void
verify_current(struct record_exported *e, void *arg)
{
	struct verify *v = arg;

	v->out.current = e->ok && e->found &&
	    strcmp(e->x->sha256, v->c.computed) == 0;
	verify_end(v, e->ok, e->res, e->why);
}

static void
verify_logged(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct verify *v = arg;

	if (!db_ok(res) || PQntuples(res) != 1) {
		verify_end(v, false, res, NULL);
		return;
	}
	v->out.exports = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(v->first, sizeof(v->first), "%s", PQgetvalue(res, 0, 1));
	if (v->out.exports == 0)
		verify_end(v, true, NULL, NULL);
	else
		record_export(txn, v->c.kind, v->id, RECORDEXPORT_JSON, false,
		    verify_current, v);
}

void
record_verify(struct db_txn *txn, const struct recordexport_check *c,
    record_verify_cb cb, void *arg)
{
	struct verify *v = calloc(1, sizeof(*v));
	const char *p[3];

	if (v == NULL) {
		struct record_verified out = { false, NULL, "out of memory", 0,
		    "", false };

		cb(&out, arg);
		return;
	}
	v->c = *c;
	snprintf(v->id, sizeof(v->id), "%lld", c->id);
	v->cb = cb;
	v->arg = arg;
	p[0] = record_kind_name(c->kind);
	p[1] = v->id;
	p[2] = v->c.computed;
	db_query(txn, RECORDS_SQL_EXPORTS_OF, 3, p, verify_logged, v);
}

/*
 * Liveness and readiness.  /healthz says the loop is turning; /readyz asks
 * the database, asynchronously, whether the schema is the one this build
 * expects (every migration of this build applied, from its file as it is
 * now), so a load balancer only sends traffic to a maracd that can
 * actually serve it.
 */
#include "shell/api.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/scheduler.h"
#include "shell/migrations.h"
#include "statements/schema.h"
#include "core/sqlstate.h"

#include <stdio.h>
#include <string.h>

void
api_healthz(struct http_req *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status", "alive");
	http_reply_json(r, 200, o);
}

static void
readyz_result(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct http_req *r = arg;
	int have, want = migrations_latest();
	char msg[300], why[256];
	cJSON *o;

	db_finish(txn, false, NULL, NULL);
	if (res != NULL && strcmp(db_sqlstate(res), SQLSTATE_UNDEFINED_TABLE) == 0) {
		http_reply_error(r, 503, "schema_mismatch", "the database has no "
		    "maracd schema yet (run maracctl migrate)");
		return;
	}
	if (!db_ok(res)) {
		http_reply_error(r, 503, "database_unavailable",
		    "the database did not answer; retry");
		return;
	}
	/*
	 * The schema is the one this build describes only when every applied
	 * migration is this build's file, unchanged (migrations.h), and none
	 * is missing.
	 */
	if ((have = migrations_check_applied(res, why, sizeof(why))) < 0) {
		snprintf(msg, sizeof(msg), "%s (see maracctl(1), migrate)",
		    why);
		http_reply_error(r, 503, "schema_mismatch", msg);
		return;
	}
	if (have != want || (size_t)PQntuples(res) != migrations_count) {
		snprintf(msg, sizeof(msg), "the database schema is at version %d "
		    "(%d of %zu migrations applied); this maracd needs %d (run "
		    "maracctl migrate)", have, PQntuples(res), migrations_count, want);
		http_reply_error(r, 503, "schema_mismatch", msg);
		return;
	}
	/*
	 * Not before the first sittings run has ended: referrals taken before
	 * any sitting exists wait for one (maracd(8)), and a load balancer
	 * need not send them here while sittings are being generated.
	 */
	if (!scheduler_has_run(r->app->sched, "sittings")) {
		http_reply_error(r, 503, "starting", "the sittings job has not "
		    "run yet; retry");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", "ready");
	cJSON_AddNumberToObject(o, "schema_version", have);
	http_reply_json(r, 200, o);
}

static void
readyz_acquired(struct db_txn *txn, void *arg)
{
	struct http_req *r = arg;

	if (txn == NULL) {
		http_reply_error(r, 503, "database_unavailable",
		    "no database connection is open; retry");
		return;
	}
	db_query(txn, SCHEMA_SQL_APPLIED, 0, NULL, readyz_result, r);
}

void
api_readyz(struct http_req *r)
{
	if (db_pool_unsafe(r->app->db)) {
		http_reply_error(r, 503, "unsafe_database_role", "maracd's database "
		    "role could bypass row-level security (the log says why); it will "
		    "not serve");
		return;
	}
	if (db_acquire(r->app->db, false, readyz_acquired, r) != 0)
		http_reply_error(r, 503, "database_unavailable",
		    "no database connection is open; retry");
}

/*
 * GET /v1/attention: the coordinator's needs-attention list (admin), what
 * maracd cannot settle by itself.  Today: referrals waiting for a sitting
 * (status "waiting": no sitting exists yet that they can join).  The list
 * is attention_list() (sql/004_referrals.sql), read and audited in one
 * statement; each item names its kind, so that other kinds can join it
 * without changing this file.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no list");
}

void
api_attention_list(struct http_req *r)
{
	db_query(r->txn, "SELECT attention_list()::text", 0, NULL, listed, r);
}

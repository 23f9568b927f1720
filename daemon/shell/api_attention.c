/*
 * GET /v1/attention: the coordinator's needs-attention list (admin), what
 * maracd cannot settle by itself: referrals waiting for a sitting (status
 * "waiting": no sitting exists yet that they can join), and referrals
 * linked to a case still to be heard, whose match to confirm.  The list
 * is attention_list() (sql/004_referrals.sql), read and audited in one
 * statement; each item names its kind, so that other kinds can join it
 * without changing this file.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/db.h"
#include "core/date.h"
#include "statements/attention.h"

static void
listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	(void)txn;
	api_reply_doc(arg, res, 200, "no list");
}

void
api_attention_list(struct http_req *r)
{
	char today[DATE_STRLEN];
	const char *p[1] = { date_format(api_today(), today) };

	db_query(r->txn, ATTENTION_SQL_LIST, 1, p, listed, r);
}

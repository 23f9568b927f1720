/*
 * GET /metrics: Prometheus text format, no token, so that a scraper on
 * the operator's network needs no secret.  Counts only, never personal
 * data; restrict the path at the proxy if the counts themselves matter.
 *
 * Counters are this process's since it started (Prometheus sums them
 * across processes); the queue gauges come from the database, which all
 * processes share, and are left out when it does not answer.
 */
#include "shell/api.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/outbox.h"
#include "shell/reminders.h"
#include "core/buf.h"
#include "statements/outbox.h"

#include <stdlib.h>

static void
metrics_reply(struct http_req *r, const PGresult *res)
{
	struct outbox_counters n;
	struct reminders_counters rc;
	struct buf b;

	outbox_counters(r->app->outbox, &n);
	reminders_counts(&rc);
	buf_init(&b);
	buf_printf(&b, "# HELP maracd_mail_sent_total Messages the SMTP server "
	    "accepted (this process).\n# TYPE maracd_mail_sent_total counter\n"
	    "maracd_mail_sent_total %llu\n", n.sent);
	buf_printf(&b, "# HELP maracd_mail_failed_total Messages given up on "
	    "(this process).\n# TYPE maracd_mail_failed_total counter\n"
	    "maracd_mail_failed_total %llu\n", n.failed);
	buf_printf(&b, "# HELP maracd_mail_retried_total Failed attempts queued "
	    "again (this process).\n# TYPE maracd_mail_retried_total counter\n"
	    "maracd_mail_retried_total %llu\n", n.retried);
	if (db_ok(res) && PQntuples(res) == 1) {
		buf_printf(&b, "# HELP maracd_mail_queue_depth Messages queued or "
		    "being sent (all processes).\n# TYPE maracd_mail_queue_depth gauge\n"
		    "maracd_mail_queue_depth %s\n", PQgetvalue(res, 0, 0));
		buf_printf(&b, "# HELP maracd_mail_oldest_unsent_seconds Age of the "
		    "oldest message not yet sent.\n"
		    "# TYPE maracd_mail_oldest_unsent_seconds gauge\n"
		    "maracd_mail_oldest_unsent_seconds %s\n", PQgetvalue(res, 0, 1));
		buf_printf(&b, "# HELP maracd_mail_failed_messages Messages given "
		    "up on, in the outbox (all processes).\n"
		    "# TYPE maracd_mail_failed_messages gauge\n"
		    "maracd_mail_failed_messages %s\n", PQgetvalue(res, 0, 2));
	}
	buf_printf(&b, "# HELP maracd_reminders_enqueued_total Reminders this "
	    "process put in the outbox, by kind.\n"
	    "# TYPE maracd_reminders_enqueued_total counter\n"
	    "maracd_reminders_enqueued_total{kind=\"digest\"} %llu\n"
	    "maracd_reminders_enqueued_total{kind=\"overdue\"} %llu\n"
	    "maracd_reminders_enqueued_total{kind=\"summary\"} %llu\n",
	    rc.digest, rc.overdue, rc.summary);
	if (buf_failed(&b))
		http_reply_error(r, 503, "out_of_memory", "try again");
	else
		http_reply_body(r, 200, "text/plain; version=0.0.4; charset=utf-8",
		    buf_str(&b), b.len);
	buf_free(&b);
}

static void
backlog_result(struct db_txn *txn, const PGresult *res, void *arg)
{
	db_finish(txn, false, NULL, NULL);
	metrics_reply(arg, res);
}

static void
backlog_acquired(struct db_txn *txn, void *arg)
{
	if (txn == NULL) {
		metrics_reply(arg, NULL);
		return;
	}
	db_query(txn, OUTBOX_SQL_BACKLOG, 0, NULL, backlog_result, arg);
}

void
api_metrics(struct http_req *r)
{
	if (db_acquire(r->app->db, false, backlog_acquired, r) != 0)
		metrics_reply(r, NULL);
}

/*
 * Claim, send, acknowledge, retry with back-off.
 *
 * A claim is one autocommitted UPDATE: rows become 'sending' with a lease
 * in this process's name before a byte goes to the SMTP server, so a
 * crash leaves them to be claimed again when the lease runs out.  Each
 * outcome is recorded by a second UPDATE that checks the claim is still
 * ours (claimed_by and attempts), except "sent", which is the truth
 * whoever holds the row now.  If the database is away when an outcome is
 * known, it is kept and written at the next tick.
 *
 * At full speed the database sees few, large statements: a claim waits
 * until half the room is free (unless a sending slot would idle), and
 * carries the "sent" records of the messages finished since the last one,
 * so that one commit records several messages and claims several more.
 *
 * The log names rows by outbox id and kind, with attempt counts and reply
 * codes: never an address, a subject or a body.
 */
#include "shell/outbox.h"
#include "shell/app.h"
#include "shell/db.h"
#include "shell/jobauth.h"
#include "statements/outbox.h"
#include "shell/mailer.h"
#include "core/buf.h"
#include "core/mailfmt.h"
#include "core/mailretry.h"
#include "shell/config.h"
#include "shell/log.h"

#include <cjson/cJSON.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS		1000
#define MAX_ATTACH	10
/*
 * How long a "sent" record may wait for the next claim to carry it before
 * it is written on its own.  A crash in that window sends the message
 * again when its lease runs out (with the same Message-ID), so short.
 */
#define SENT_WAIT_MS	100

enum job_state {
	JOB_SENDING,
	JOB_ACKING,
	JOB_ACK_WAIT,		/* outcome known, database away: retry */
	JOB_SENT_WAIT,		/* sent: waits for the next batch of acks */
	JOB_SENT_ACKING,	/* sent: in batch j->batch, being recorded */
};

struct job {
	struct job	*prev, *next;
	struct outbox	*ob;
	enum job_state	 state;
	unsigned	 batch;		/* JOB_SENT_ACKING: which statement */
	char		 id[24];
	char		 attempts[12];
	int		 nattempts;
	char		 kind[40];
	enum mail_outcome outcome;
	long		 delay_ms;
	char		 error[48];
};

struct outbox {
	struct app	*app;
	struct event	*timer;
	struct event	*sent_timer;	/* SENT_WAIT_MS after a sent waits */
	struct job	*jobs;
	int		 njobs;
	bool		 claiming;
	bool		 more;		/* the last claim was full */
	int		 asked;		/* rows the last claim asked for */
	bool		 stopping;
	bool		 flushing;	/* a batch of "sent" acks is in flight */
	unsigned	 batches;	/* the last batch number given out */
	unsigned	 flush_batch;	/* the one flush_sent has in flight */
	unsigned	 claim_batch;	/* the one the claim in flight carries */
	char		 proc[128];
	char		 domain[200];
	struct outbox_counters n;
};

/* The sender's name in its statements (statements/outbox.h's $2). */
#define SENDER_NAME "job:outbox"

static void	ack_start(struct job *j);

static void
arm(struct outbox *ob, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(ob->timer, &tv);
}

void
outbox_kick(struct outbox *ob)
{
	if (!ob->stopping)
		arm(ob, 0);
}

static struct job *
job_new(struct outbox *ob)
{
	struct job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->ob = ob;
	j->next = ob->jobs;
	if (ob->jobs != NULL)
		ob->jobs->prev = j;
	ob->jobs = j;
	ob->njobs++;
	return j;
}

static void
job_free(struct job *j)
{
	struct outbox *ob = j->ob;

	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		ob->jobs = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	ob->njobs--;
	free(j);
}

static void
ack_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct job *j = arg;
	struct outbox *ob = j->ob;

	db_finish(txn, false, NULL, NULL);
	if (!db_ok(res)) {
		log_warn("outbox: %s: recording the outcome failed (SQLSTATE %s); "
		    "will retry", j->id, db_sqlstate(res));
		j->state = JOB_ACK_WAIT;
		return;
	}
	if (PQntuples(res) != 1) {
		log_error("outbox: the job token was refused (revoked?); see "
		    "[database] job_token_file");
		j->state = JOB_ACK_WAIT;
		return;
	}
	if (atoi(PQgetvalue(res, 0, 0)) == 0)
		log_info("outbox: %s: %s", j->id, j->outcome == MAIL_SENT ?
		    "already recorded as sent" : "claimed again after its lease "
		    "ran out; this outcome is not recorded");
	job_free(j);
	if (ob->more)
		outbox_kick(ob);
}

static void
ack_acquired(struct db_txn *txn, void *arg)
{
	struct job *j = arg;
	char delay[24];
	const char *p[7] = { jobauth_hash(), SENDER_NAME, j->id, j->ob->proc,
	    j->attempts, NULL, NULL };

	if (txn == NULL) {
		j->state = JOB_ACK_WAIT;
		return;
	}
	switch (j->outcome) {
	case MAIL_SENT:		/* recorded by flush_sent, never here */
		db_finish(txn, false, NULL, NULL);
		j->state = JOB_SENT_WAIT;
		break;
	case MAIL_RETRY:
		snprintf(delay, sizeof(delay), "%ld", j->delay_ms);
		p[5] = delay;
		p[6] = j->error;
		db_query(txn, OUTBOX_SQL_UNSENT, 7, p, ack_done, j);
		break;
	case MAIL_FAILED:
		p[6] = j->error;	/* p[5] NULL: given up on */
		db_query(txn, OUTBOX_SQL_UNSENT, 7, p, ack_done, j);
		break;
	}
}

static void	flush_sent(struct outbox *ob);
static void	sent_batch_done(struct outbox *ob, unsigned b, bool ok);

/*
 * Puts every sent message still to record in batch *b, written as a
 * bigint[] literal in ids ("{}" for none, which a claim still sends).
 */
static void
sent_batch_take(struct outbox *ob, unsigned *b, struct buf *ids)
{
	struct job *j;

	*b = ++ob->batches;
	buf_putc(ids, '{');
	for (j = ob->jobs; j != NULL; j = j->next) {
		if (j->state != JOB_SENT_WAIT)
			continue;
		if (ids->len > 1)
			buf_putc(ids, ',');
		buf_puts(ids, j->id);
		j->state = JOB_SENT_ACKING;
		j->batch = *b;
	}
	buf_putc(ids, '}');
	if (buf_failed(ids))
		sent_batch_done(ob, *b, false);
}

/* The statement that carried batch b committed (ok) or did not. */
static void
sent_batch_done(struct outbox *ob, unsigned b, bool ok)
{
	struct job *j, *next;

	for (j = ob->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->state != JOB_SENT_ACKING || j->batch != b)
			continue;
		if (ok)
			job_free(j);
		else
			j->state = JOB_SENT_WAIT;	/* the tick tries again */
	}
}

static void
flush_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct outbox *ob = arg;
	bool ok = db_ok(res) && PQntuples(res) == 1;

	db_finish(txn, false, NULL, NULL);
	ob->flushing = false;
	if (db_ok(res) && !ok)
		log_error("outbox: the job token was refused (revoked?); see "
		    "[database] job_token_file");
	else if (!ok)
		log_warn("outbox: recording sent messages failed (SQLSTATE %s); "
		    "will retry", db_sqlstate(res));
	sent_batch_done(ob, ob->flush_batch, ok);
	if (!ok)
		return;
	flush_sent(ob);
	if (ob->more)
		outbox_kick(ob);
}

static void
flush_acquired(struct db_txn *txn, void *arg)
{
	struct outbox *ob = arg;
	struct buf ids;
	const char *p[3] = { jobauth_hash(), SENDER_NAME, NULL };

	if (txn == NULL) {
		ob->flushing = false;
		return;
	}
	buf_init(&ids);
	sent_batch_take(ob, &ob->flush_batch, &ids);
	if (buf_failed(&ids) || ids.len == 2) {
		buf_free(&ids);
		db_finish(txn, false, NULL, NULL);
		ob->flushing = false;
		return;
	}
	p[2] = buf_str(&ids);
	db_query(txn, OUTBOX_SQL_SENT, 3, p, flush_done, ob);
	buf_free(&ids);		/* libpq has sent or copied the parameter */
}

/* Record every sent message not yet recorded, unless a batch is in flight
 * (its end starts the next). */
static void
flush_sent(struct outbox *ob)
{
	struct job *j;

	if (ob->flushing)
		return;
	for (j = ob->jobs; j != NULL && j->state != JOB_SENT_WAIT; j = j->next)
		;
	if (j == NULL)
		return;
	ob->flushing = true;
	if (db_acquire(ob->app->db, false, flush_acquired, ob) != 0)
		ob->flushing = false;
}

static void
sent_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	flush_sent(arg);
}

/*
 * A sent message is recorded by the next claim when one is coming (more
 * rows are due), or after SENT_WAIT_MS; at once when the queue is empty.
 */
static void
ack_start(struct job *j)
{
	struct outbox *ob = j->ob;
	struct timeval tv = { 0, SENT_WAIT_MS * 1000 };

	if (j->outcome == MAIL_SENT) {
		j->state = JOB_SENT_WAIT;
		if (!ob->more || ob->stopping)
			flush_sent(ob);
		else if (!evtimer_pending(ob->sent_timer, NULL))
			evtimer_add(ob->sent_timer, &tv);
		return;
	}
	j->state = JOB_ACKING;
	if (db_acquire(j->ob->app->db, false, ack_acquired, j) != 0)
		j->state = JOB_ACK_WAIT;
}

/* What happened to one message: count it, log it, record it. */
static void
job_outcome(struct job *j, bool ok, int smtp, int curl, bool permanent)
{
	struct outbox *ob = j->ob;
	const struct config *cfg = ob->app->cfg;

	j->outcome = mailretry_outcome(ok, permanent, j->nattempts,
	    cfg->mail_max_attempts);
	mailretry_error(j->error, sizeof(j->error), smtp, curl);
	switch (j->outcome) {
	case MAIL_SENT:
		ob->n.sent++;
		log_info("outbox: %s (%s) sent, attempt %d", j->id, j->kind,
		    j->nattempts);
		break;
	case MAIL_RETRY:
		ob->n.retried++;
		j->delay_ms = mailretry_delay_ms(j->nattempts,
		    cfg->mail_retry_base, cfg->mail_retry_max,
		    (double)arc4random() / 4294967296.0);
		log_warn("outbox: %s (%s) attempt %d failed (%s); next in %ld s",
		    j->id, j->kind, j->nattempts, j->error, j->delay_ms / 1000);
		break;
	case MAIL_FAILED:
		ob->n.failed++;
		log_warn("outbox: %s (%s) failed after attempt %d (%s%s); giving up",
		    j->id, j->kind, j->nattempts, j->error,
		    permanent ? ", refused" : "");
		break;
	}
	ack_start(j);
}

static void
send_done(bool ok, int smtp, int curl, bool permanent, void *arg)
{
	struct job *j = arg;

	job_outcome(j, ok, smtp, curl, permanent);
	if (j->ob->more)
		outbox_kick(j->ob);
}

/* Attachments from the row's JSON, decoded into bufs the caller frees. */
static int
attachments_parse(const char *json, struct mail_attachment *att,
    struct buf *data, size_t *natt)
{
	const cJSON *a, *list;
	cJSON *root;
	int rc = 0;

	*natt = 0;
	if ((root = cJSON_Parse(json)) == NULL || !cJSON_IsArray(root))
		rc = -1;
	list = rc == 0 ? root : NULL;
	cJSON_ArrayForEach(a, list) {
		const char *fn = cJSON_GetStringValue(cJSON_GetObjectItem(a, "filename"));
		const char *ct = cJSON_GetStringValue(cJSON_GetObjectItem(a, "content_type"));
		const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(a, "content_base64"));

		if (*natt == MAX_ATTACH || fn == NULL || ct == NULL || b == NULL ||
		    !mailfmt_base64_decode(&data[*natt], b)) {
			rc = -1;
			break;
		}
		/* The strings live in root; copy them before it goes. */
		att[*natt].filename = strdup(fn);
		att[*natt].content_type = strdup(ct);
		att[*natt].data = data[*natt].data;
		att[*natt].len = data[*natt].len;
		(*natt)++;
		if (att[*natt - 1].filename == NULL || att[*natt - 1].content_type == NULL) {
			rc = -1;
			break;
		}
	}
	cJSON_Delete(root);
	return rc;
}

/* Hands row i of a claim to the mailer; a row it cannot build fails. */
static void
row_send(struct outbox *ob, const PGresult *res, int i)
{
	struct mail_attachment att[MAX_ATTACH];
	struct buf data[MAX_ATTACH];
	const char *rcpt[64];
	struct mail_message msg;
	char *list, *p;
	size_t natt = 0, nrcpt = 0;
	struct job *j;
	int rc = -1;

	if ((j = job_new(ob)) == NULL)
		return;		/* the lease brings the row back */
	j->state = JOB_SENDING;
	snprintf(j->id, sizeof(j->id), "%s", PQgetvalue(res, i, 0));
	snprintf(j->kind, sizeof(j->kind), "%s", PQgetvalue(res, i, 1));
	snprintf(j->attempts, sizeof(j->attempts), "%s", PQgetvalue(res, i, 2));
	j->nattempts = atoi(j->attempts);
	for (size_t k = 0; k < MAX_ATTACH; k++)
		buf_init(&data[k]);
	memset(att, 0, sizeof(att));
	memset(&msg, 0, sizeof(msg));
	if ((list = strdup(PQgetvalue(res, i, 4))) == NULL)
		goto out;
	for (p = strtok(list, "\n"); p != NULL && nrcpt < 64; p = strtok(NULL, "\n"))
		rcpt[nrcpt++] = p;
	msg.message_id = PQgetvalue(res, i, 3);
	msg.rcpt = rcpt;
	msg.nrcpt = nrcpt;
	msg.subject = PQgetvalue(res, i, 5);
	msg.text = PQgetvalue(res, i, 6);
	msg.html = PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7);
	if (attachments_parse(PQgetvalue(res, i, 8), att, data, &natt) == 0) {
		msg.att = att;
		msg.natt = natt;
		rc = mailer_send(ob->app->mailer, &msg, send_done, j);
	}
out:
	free(list);
	for (size_t k = 0; k < MAX_ATTACH; k++) {
		free((char *)att[k].filename);
		free((char *)att[k].content_type);
		buf_free(&data[k]);
	}
	if (rc != 0) {
		/* Sending it again would build the same bad message. */
		log_warn("outbox: %s (%s) cannot be built as a message; giving up",
		    j->id, j->kind);
		ob->n.failed++;
		j->outcome = MAIL_FAILED;
		snprintf(j->error, sizeof(j->error), "invalid message");
		ack_start(j);
	}
}

static void
claim_done(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct outbox *ob = arg;
	int n;

	db_finish(txn, false, NULL, NULL);
	ob->claiming = false;
	sent_batch_done(ob, ob->claim_batch, db_ok(res));
	if (!db_ok(res)) {
		log_warn("outbox: claim failed (SQLSTATE %s)", db_sqlstate(res));
		ob->more = false;
		return;
	}
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		row_send(ob, res, i);
	/* A full claim suggests more are due: claim again as slots free. */
	ob->more = n > 0 && n == ob->asked;
	if (!ob->more)
		flush_sent(ob);		/* no claim is coming to carry them */
}

/*
 * Rows to claim: the mailer's free slots, and more to wait in its queue,
 * so that a slot that frees starts its next message at once instead of
 * after an acknowledgement and a claim (a round trip and a commit each,
 * longer than an SMTP transaction on a busy machine).  A message queued
 * behind k rounds of the concurrency waits at most k send timeouts for a
 * slot and then takes one more, so k rounds are claimed only while that
 * stays within the lease (with one timeout to spare): 3 with the
 * defaults (300 s lease, 60 s timeout), none when the lease is short.
 */
#define PREFETCH_ROUNDS_MAX	3

static int
prefetch_rounds(const struct outbox *ob)
{
	const struct config *cfg = ob->app->cfg;
	int k = cfg->mail_lease_seconds / cfg->mail_send_timeout - 2;

	if (k > PREFETCH_ROUNDS_MAX)
		k = PREFETCH_ROUNDS_MAX;
	return k < 0 ? 0 : k;
}

static int
claim_room(const struct outbox *ob)
{
	return mailer_free_slots(ob->app->mailer) +
	    prefetch_rounds(ob) * ob->app->cfg->mail_concurrency;
}

/*
 * Whether a claim is worth its statement now: a sending slot would
 * otherwise idle, or half of what may be claimed is free.  Claiming for
 * every slot that frees would make one statement and one commit per
 * message.
 */
static bool
claim_worth(const struct outbox *ob)
{
	int full = (1 + prefetch_rounds(ob)) * ob->app->cfg->mail_concurrency;

	return mailer_free_slots(ob->app->mailer) > 0 ||
	    claim_room(ob) >= (full + 1) / 2;
}

static void
claim_acquired(struct db_txn *txn, void *arg)
{
	struct outbox *ob = arg;
	char lease[16], limit[16];
	const char *p[7] = { jobauth_hash(), SENDER_NAME, ob->proc, lease, limit,
	    ob->domain, NULL };
	struct buf ids;

	if (txn == NULL) {
		ob->claiming = false;
		return;
	}
	if (ob->stopping) {
		db_finish(txn, false, NULL, NULL);
		ob->claiming = false;
		flush_sent(ob);
		return;
	}
	buf_init(&ids);
	sent_batch_take(ob, &ob->claim_batch, &ids);
	if (buf_failed(&ids)) {
		buf_free(&ids);
		db_finish(txn, false, NULL, NULL);
		ob->claiming = false;
		return;
	}
	snprintf(lease, sizeof(lease), "%d", ob->app->cfg->mail_lease_seconds);
	ob->asked = claim_room(ob);
	snprintf(limit, sizeof(limit), "%d", ob->asked);
	p[6] = buf_str(&ids);
	db_query(txn, OUTBOX_SQL_CLAIM, 7, p, claim_done, ob);
	buf_free(&ids);		/* libpq has sent or copied the parameter */
}

static void
claim(struct outbox *ob)
{
	if (ob->stopping || ob->claiming || claim_room(ob) <= 0 ||
	    !claim_worth(ob) || !db_pool_ready(ob->app->db))
		return;
	ob->claiming = true;
	if (db_acquire(ob->app->db, false, claim_acquired, ob) != 0)
		ob->claiming = false;
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	struct outbox *ob = arg;
	struct job *j, *next;

	(void)fd;
	(void)what;
	arm(ob, POLL_MS);
	for (j = ob->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->state == JOB_ACK_WAIT)
			ack_start(j);
	}
	/* Sent messages that wait for a claim have their own timer. */
	if (!evtimer_pending(ob->sent_timer, NULL))
		flush_sent(ob);
	claim(ob);
}

struct outbox *
outbox_new(struct app *app)
{
	const struct config *cfg = app->cfg;
	struct outbox *ob;
	char host[64] = "localhost";
	const char *at;

	if ((ob = calloc(1, sizeof(*ob))) == NULL)
		return NULL;
	ob->app = app;
	(void)gethostname(host, sizeof(host) - 1);
	snprintf(ob->proc, sizeof(ob->proc), "%s:%ld", host, (long)getpid());
	at = strchr(cfg->mail_from, '@');
	snprintf(ob->domain, sizeof(ob->domain), "%s", cfg->mail_domain[0] != '\0' ?
	    cfg->mail_domain : at != NULL ? at + 1 : "localhost");
	if ((ob->timer = evtimer_new(app->base, tick, ob)) == NULL ||
	    (ob->sent_timer = evtimer_new(app->base, sent_timeout, ob)) == NULL) {
		if (ob->timer != NULL)
			event_free(ob->timer);
		free(ob);
		return NULL;
	}
	arm(ob, 0);
	return ob;
}

void
outbox_stop(struct outbox *ob)
{
	ob->stopping = true;
}

int
outbox_busy(const struct outbox *ob)
{
	return ob->njobs + (ob->claiming ? 1 : 0);
}

void
outbox_counters(const struct outbox *ob, struct outbox_counters *c)
{
	*c = ob->n;
}

void
outbox_free(struct outbox *ob)
{
	if (ob == NULL)
		return;
	while (ob->jobs != NULL)
		job_free(ob->jobs);
	if (ob->timer != NULL)
		event_free(ob->timer);
	if (ob->sent_timer != NULL)
		event_free(ob->sent_timer);
	free(ob);
}

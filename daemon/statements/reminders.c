/*
 * Reminder rows in, outbox parameters out.  See statements/reminders.h.
 */
#include "statements/reminders.h"
#include "shell/config.h"
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The core needs a person only when the row carries one. */
static const char *
value_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int
reminders_stmt_plan(struct reminders_stmt_plan *p, const struct config *cfg,
    const char *today, int seconds, bool forced)
{
	int weekday = reminders_weekday_parse(cfg->reminders_digest_day);
	int h = 0, m = 0, s = 0;
	bool week_due;

	memset(p, 0, sizeof(*p));
	if (!date_parse(today, &p->opts.today))
		return -1;
	snprintf(p->today, sizeof(p->today), "%s", today);
	(void)sscanf(cfg->reminders_digest_time, "%d:%d:%d", &h, &m, &s);
	reminders_period(p->opts.today, p->opts.period);
	snprintf(p->base_url, sizeof(p->base_url), "%s", cfg->mail_base_url);
	p->opts.base_url = p->base_url;
	p->opts.persistent_days = cfg->reminders_persistent_days;
	snprintf(p->persistent_days, sizeof(p->persistent_days), "%d",
	    cfg->reminders_persistent_days);
	snprintf(p->summary_key, sizeof(p->summary_key), "summary:%s",
	    p->opts.period);
	p->with_people = cfg->mail_personal_data ? "true" : "false";
	snprintf(p->coordinator, sizeof(p->coordinator), "%s",
	    cfg->reminders_coordinator_email);
	week_due = forced || reminders_digest_due(p->opts.today, seconds,
	    weekday, h * 3600 + m * 60 + s);
	p->overdue = cfg->reminders_overdue;
	p->digest = cfg->reminders_digest && week_due;
	p->summary = cfg->reminders_summary && week_due && p->coordinator[0] != '\0';
	return 0;
}

void
reminders_stmt_batch_init(struct reminders_stmt_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void
reminders_stmt_batch_free(struct reminders_stmt_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		reminders_msg_free(&b->msgs[i]);
		free(b->rcpts[i]);
	}
	free(b->msgs);
	free(b->rcpts);
	free(b->nactions);
	for (int i = 0; i < 6; i++)
		free(b->params[i]);
	memset(b, 0, sizeof(*b));
}

/* A new message at the end of the batch, or NULL when out of memory. */
static struct reminders_msg *
batch_push(struct reminders_stmt_batch *b, const char *rcpt, size_t nactions)
{
	if (b->n == b->cap) {
		size_t cap = b->cap == 0 ? 16 : b->cap * 2;
		struct reminders_msg *msgs = realloc(b->msgs, cap * sizeof(*msgs));
		char **rcpts;
		size_t *na;

		if (msgs == NULL)
			return NULL;
		b->msgs = msgs;
		if ((rcpts = realloc(b->rcpts, cap * sizeof(*rcpts))) == NULL)
			return NULL;
		b->rcpts = rcpts;
		if ((na = realloc(b->nactions, cap * sizeof(*na))) == NULL)
			return NULL;
		b->nactions = na;
		b->cap = cap;
	}
	if ((b->rcpts[b->n] = strdup(rcpt)) == NULL)
		return NULL;
	b->nactions[b->n] = nactions;
	reminders_msg_init(&b->msgs[b->n]);
	return &b->msgs[b->n++];
}

/* The message just pushed could not be built: take it off again. */
static void
batch_pop(struct reminders_stmt_batch *b)
{
	b->n--;
	reminders_msg_free(&b->msgs[b->n]);
	free(b->rcpts[b->n]);
}

/* Row i of a digest or overdue result as a core action. */
static bool
action_row(const PGresult *res, int i, struct reminders_action *a)
{
	memset(a, 0, sizeof(*a));
	a->agency = PQgetvalue(res, i, 0);
	a->id = strtoll(PQgetvalue(res, i, 3), NULL, 10);
	a->reference = PQgetvalue(res, i, 4);
	a->forum = PQgetvalue(res, i, 5);
	a->area = PQgetvalue(res, i, 6);
	a->description = PQgetvalue(res, i, 7);
	a->status = PQgetvalue(res, i, 9);
	a->victim = value_or_null(res, i, 10);
	a->perpetrator = value_or_null(res, i, 11);
	return date_parse(PQgetvalue(res, i, 8), &a->due);
}

static int
bad(char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "%s", what);
	return -1;
}

#define ROW_COLS 14
#define COL_NOTICE 12	/* send its overdue notice */
#define COL_LISTED 13	/* list it in its agency's digest */

static bool
marked(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col)[0] == 't';
}

int
reminders_stmt_add_digests(struct reminders_stmt_batch *b,
    const struct reminders_stmt_plan *p, const PGresult *res, char *why,
    size_t whylen)
{
	int n = PQntuples(res), start, i;
	size_t k;
	struct reminders_action *a;
	struct reminders_agency ag;
	struct reminders_msg *m;

	if (n > 0 && PQnfields(res) != ROW_COLS)
		return bad(why, whylen, "digest rows have the wrong columns");
	if ((a = calloc(n > 0 ? (size_t)n : 1, sizeof(*a))) == NULL)
		return bad(why, whylen, "out of memory");
	/*
	 * Rows come ordered by agency: one message per run of rows, of those
	 * marked listed (an agency's are all marked, or none).
	 */
	for (start = 0; start < n; start = i) {
		ag.code = PQgetvalue(res, start, 0);
		ag.name = PQgetvalue(res, start, 1);
		k = 0;
		for (i = start; i < n && strcmp(PQgetvalue(res, i, 0), ag.code) == 0; i++) {
			if (!marked(res, i, COL_LISTED))
				continue;
			if (!action_row(res, i, &a[k++])) {
				free(a);
				return bad(why, whylen, "a due date is not a date");
			}
		}
		if (k == 0)
			continue;
		if ((m = batch_push(b, PQgetvalue(res, start, 2), k)) == NULL) {
			free(a);
			return bad(why, whylen, "out of memory");
		}
		if (!reminders_digest(&p->opts, &ag, a, k, m)) {
			batch_pop(b);
			free(a);
			return bad(why, whylen, "a digest cannot be built "
			    "(out of memory, or an agency code too long for a key)");
		}
	}
	free(a);
	return 0;
}

int
reminders_stmt_add_overdue(struct reminders_stmt_batch *b,
    const struct reminders_stmt_plan *p, const PGresult *res, char *why,
    size_t whylen)
{
	int n = PQntuples(res);
	struct reminders_action a;
	struct reminders_agency ag;
	struct reminders_msg *m;

	if (n > 0 && PQnfields(res) != ROW_COLS)
		return bad(why, whylen, "overdue rows have the wrong columns");
	for (int i = 0; i < n; i++) {
		if (!marked(res, i, COL_NOTICE))
			continue;
		ag.code = PQgetvalue(res, i, 0);
		ag.name = PQgetvalue(res, i, 1);
		if (!action_row(res, i, &a))
			return bad(why, whylen, "a due date is not a date");
		if ((m = batch_push(b, PQgetvalue(res, i, 2), 1)) == NULL)
			return bad(why, whylen, "out of memory");
		if (!reminders_overdue(&p->opts, &ag, &a, m)) {
			batch_pop(b);
			return bad(why, whylen, "an overdue notice cannot be built");
		}
	}
	return 0;
}

int
reminders_stmt_add_summary(struct reminders_stmt_batch *b,
    const struct reminders_stmt_plan *p, const PGresult *counts,
    const PGresult *persistent, const PGresult *failed, char *why,
    size_t whylen)
{
	int nc = PQntuples(counts), np = PQntuples(persistent);
	int nf = PQntuples(failed);
	struct reminders_count *c = calloc((size_t)nc + 1, sizeof(*c));
	struct reminders_action *pa = calloc((size_t)np + 1, sizeof(*pa));
	struct reminders_failed *f = calloc((size_t)nf + 1, sizeof(*f));
	struct reminders_summary_in in;
	struct reminders_msg *m;
	char rcpt[1024];
	size_t k = 0;
	int rc = -1;

	if (c == NULL || pa == NULL || f == NULL) {
		bad(why, whylen, "out of memory");
		goto out;
	}
	memset(&in, 0, sizeof(in));
	for (int i = 0; i < nc; i++) {
		c[i].code = PQgetvalue(counts, i, 0);
		c[i].name = PQgetvalue(counts, i, 1);
		c[i].has_address = PQgetvalue(counts, i, 2)[0] == 't';
		c[i].outstanding = atol(PQgetvalue(counts, i, 3));
		c[i].overdue = atol(PQgetvalue(counts, i, 4));
		c[i].persistent = atol(PQgetvalue(counts, i, 5));
		in.persistent_total += c[i].persistent;
	}
	for (int i = 0; i < np; i++) {
		pa[i].id = strtoll(PQgetvalue(persistent, i, 0), NULL, 10);
		pa[i].reference = PQgetvalue(persistent, i, 1);
		pa[i].forum = PQgetvalue(persistent, i, 2);
		pa[i].agency = PQgetvalue(persistent, i, 3);
		pa[i].not_undertaken = atoi(PQgetvalue(persistent, i, 5));
		pa[i].description = "";
		if (!date_parse(PQgetvalue(persistent, i, 4), &pa[i].due)) {
			bad(why, whylen, "a due date is not a date");
			goto out;
		}
	}
	for (int i = 0; i < nf; i++) {
		f[i].id = strtoll(PQgetvalue(failed, i, 0), NULL, 10);
		f[i].key = PQgetvalue(failed, i, 1);
		f[i].kind = PQgetvalue(failed, i, 2);
		f[i].attempts = atoi(PQgetvalue(failed, i, 3));
		f[i].error = PQgetvalue(failed, i, 4);
	}
	in.counts = c;
	in.ncounts = (size_t)nc;
	in.persistent = pa;
	in.npersistent = (size_t)np;
	in.failed = f;
	in.nfailed = (size_t)nf;
	in.failed_total = nf > 0 ? atol(PQgetvalue(failed, 0, 5)) : 0;
	/* "a@x, b@y" -> "a@x,b@y" (config.c checked each address). */
	for (const char *s = p->coordinator; *s != '\0' && k < sizeof(rcpt) - 1; s++)
		if (*s != ' ' && *s != '\t')
			rcpt[k++] = *s;
	rcpt[k] = '\0';
	if ((m = batch_push(b, rcpt, 0)) == NULL) {
		bad(why, whylen, "out of memory");
		goto out;
	}
	if (!reminders_summary(&p->opts, &in, m)) {
		batch_pop(b);
		bad(why, whylen, "the summary cannot be built");
		goto out;
	}
	rc = 0;
out:
	free(c);
	free(pa);
	free(f);
	return rc;
}

/* One text[] literal element: quoted, with " and \ escaped. */
static void
array_elem(struct buf *out, const char *s)
{
	size_t n;

	buf_putc(out, '"');
	for (;;) {
		n = strcspn(s, "\"\\");
		buf_add(out, s, n);
		if (s[n] == '\0')
			break;
		buf_putc(out, '\\');
		buf_putc(out, s[n]);
		s += n + 1;
	}
	buf_putc(out, '"');
}

long
reminders_stmt_params(struct reminders_stmt_batch *b, size_t from,
    const char *params[6])
{
	struct buf a[6];
	size_t i, bytes = 0;
	int rc = 0;

	for (int k = 0; k < 6; k++) {
		buf_init(&a[k]);
		buf_putc(&a[k], '{');
	}
	for (i = from; i < b->n; i++) {
		const char *v[6] = { b->msgs[i].key, b->msgs[i].kind, b->rcpts[i],
		    buf_str(&b->msgs[i].subject), buf_str(&b->msgs[i].text),
		    buf_str(&b->msgs[i].html) };
		size_t len = 0;

		for (int k = 0; k < 6; k++)
			len += strlen(v[k]);
		if (i > from && (bytes + len > REMINDERS_ENQUEUE_BYTES ||
		    i - from >= REMINDERS_ENQUEUE_MSGS))
			break;
		bytes += len;
		for (int k = 0; k < 6; k++) {
			if (i > from)
				buf_putc(&a[k], ',');
			array_elem(&a[k], v[k]);
		}
	}
	for (int k = 0; k < 6; k++) {
		buf_putc(&a[k], '}');
		if (buf_failed(&a[k]))
			rc = -1;
	}
	for (int k = 0; k < 6; k++) {
		free(b->params[k]);
		b->params[k] = NULL;
		if (rc == 0)
			b->params[k] = a[k].data;	/* the buf's memory, handed over */
		else
			buf_free(&a[k]);
		params[k] = b->params[k];
	}
	return rc == 0 ? (long)i : -1;
}

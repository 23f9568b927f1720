/*
 * bench/baseline_ingest: the rows bench/ingest makes maracd store, stored
 * straight through libpq, for the ratio.
 *
 *   baseline_ingest [-c CONNS] [-d SECONDS] [-w WARMUP] [-r RATE] [-t RUNTAG] \
 *       CONNINFO [AREA [TOKENFILE]]
 *
 * Each referral is validated and decided with maracd's own core (so the
 * rows are the same: same people, answers, risk, forum, repeat flag), and
 * then, on one connection per thread:
 *   raw (no TOKENFILE): one statement, one transaction, no maracd around
 *       it: SELECT referral_create($1, $2), connected as a superuser, so
 *       without the token check and row-level security;
 *   maracd's SQL (TOKENFILE given): the statements maracd sends for one
 *       referral, as the maracd role: BEGIN, maracd_authenticate, the
 *       facts query, referral_create, COMMIT.  Only HTTP and the daemon
 *       are left out, which separates their cost from the database's.
 * Durability is the server's: synchronous_commit as configured.
 */
#include "load.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tokenhash.h"
#include "core/intake.h"
#include "core/referral.h"

struct base {
	const char	*conninfo;
	const char	*area;
	char		 token[256];	/* "": raw */
};

struct sess {
	const struct base	*b;
	PGconn			*pg;
	int			 errors_shown;
};

static void *
open_sess(int thread, void *arg)
{
	struct sess *s = calloc(1, sizeof(*s));

	(void)thread;
	if (s == NULL)
		return NULL;
	s->b = arg;
	s->pg = PQconnectdb(s->b->conninfo);
	if (PQstatus(s->pg) != CONNECTION_OK) {
		fprintf(stderr, "baseline: %s", PQerrorMessage(s->pg));
		PQfinish(s->pg);
		free(s);
		return NULL;
	}
	return s;
}

static void
close_sess(void *st)
{
	struct sess *s = st;

	PQfinish(s->pg);
	free(s);
}

static date_t
local_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void
instant_now(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, cap - n, ".%06d+00:00", (int)(ts.tv_nsec / 1000 % 1000000));
}

static bool
exec_ok(struct sess *s, PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return true;
	if (s->errors_shown++ < 3)
		fprintf(stderr, "baseline: %s: %s", what, PQresultErrorMessage(res));
	return false;
}

/* maracd's statements for one referral (api_referrals.c, auth.c). */
static enum load_result
as_maracd(struct sess *s, const char *body, const char *dec, const char *victim_key,
    bool *created)
{
	const char *p[3];
	char hash[TOKENHASH_HEX];
	PGresult *res;
	bool ok;

	/* As maracd does: the token is hashed here, never sent. */
	if (tokenhash_hex(s->b->token, hash) != 0)
		return LOAD_ERROR;
	res = PQexec(s->pg, "BEGIN");
	ok = exec_ok(s, res, "BEGIN");
	PQclear(res);
	p[0] = hash;
	p[1] = "0123456789abcdef";
	p[2] = "127.0.0.1";
	res = PQexecParams(s->pg, "SELECT token_id, role, coalesce(agency, ''), "
	    "coalesce(forum, '') FROM maracd_authenticate($1, $2, $3)",
	    3, NULL, p, NULL, NULL, 0);
	ok = ok && exec_ok(s, res, "authenticate") && PQntuples(res) == 1;
	PQclear(res);
	p[0] = victim_key;
	p[1] = NULL;
	res = PQexecParams(s->pg, "SELECT to_char(t, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'), "
	    "to_char(t::date, 'YYYY-MM-DD'), "
	    "coalesce(to_char(referral_previous_marac($1, t), 'YYYY-MM-DD'), '') "
	    "FROM (SELECT coalesce($2::timestamptz, now()) AS t) x",
	    2, NULL, p, NULL, NULL, 0);
	ok = ok && exec_ok(s, res, "facts");
	PQclear(res);
	p[0] = body;
	p[1] = dec;
	res = PQexecParams(s->pg, "SELECT created, body FROM referral_create($1::jsonb, $2::jsonb)",
	    2, NULL, p, NULL, NULL, 0);
	ok = ok && exec_ok(s, res, "referral_create");
	*created = ok && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	res = PQexec(s->pg, ok ? "COMMIT" : "ROLLBACK");
	ok = exec_ok(s, res, "COMMIT") && ok;
	PQclear(res);
	return ok ? LOAD_CREATED : LOAD_ERROR;
}

static enum load_result
store(void *st, const char *body, size_t len, enum gen_kind kind, unsigned *outcome)
{
	struct sess *s = st;
	struct field_errors errs;
	struct referral ref;
	struct intake_decision d;
	struct intake_facts f;
	enum load_result result = LOAD_ERROR;
	const char *p[2];
	char *dec = NULL;
	bool created = false;
	cJSON *j;
	PGresult *res;

	field_errors_init(&errs);
	memset(&f, 0, sizeof(f));
	f.received_date = local_today();
	if (referral_parse(body, len, f.received_date, &ref, &errs) != REFERRAL_OK) {
		fprintf(stderr, "baseline: generated referral invalid: %s %s\n",
		    errs.count ? errs.items[0].field : "?", errs.count ? errs.items[0].reason : "");
		goto out;
	}
	intake_prepare(&ref, s->b->area, f.received_date, NULL, &d);
	instant_now(f.received_at, sizeof(f.received_at));
	/* The repeat fact: the generator sent this victim to MARAC earlier. */
	f.has_previous_marac = kind == GEN_REPEAT;
	f.previous_marac = f.received_date;
	intake_route(&ref, &f, &d);
	if (d.route.outcome == ROUTING_REFUSED) {
		/* maracd stores nothing for these either. */
		result = LOAD_REFUSED;
		goto out;
	}
	j = intake_decision_json(&d, &f);
	dec = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (s->b->token[0] != '\0') {
		result = as_maracd(s, body, dec, d.victim_key, &created);
	} else {
		p[0] = body;
		p[1] = dec;
		res = PQexecParams(s->pg, "SELECT created FROM referral_create($1::jsonb, $2::jsonb)",
		    2, NULL, p, NULL, NULL, 0);
		if (exec_ok(s, res, "referral_create")) {
			created = PQgetvalue(res, 0, 0)[0] == 't';
			result = LOAD_CREATED;
		}
		PQclear(res);
	}
	if (result == LOAD_CREATED && !created)
		result = LOAD_DUPLICATE;
	if (result == LOAD_CREATED) {
		if (d.route.outcome == ROUTING_BELOW_THRESHOLD)
			*outcome |= OUT_BELOW;
		else
			*outcome |= d.route.forum == FORUM_MARAC ? OUT_MARAC : OUT_MASC;
		*outcome |= (d.route.repeat ? OUT_REPEAT : 0) | (d.route.review ? OUT_REVIEW : 0);
	}
out:
	cJSON_free(dec);
	referral_free(&ref);
	return result;
}

int
main(int argc, char **argv)
{
	static const char usage[] = "baseline_ingest [-c CONNS] [-d SECONDS] "
	    "[-w WARMUP] [-r RATE] [-t RUNTAG] [-q] CONNINFO [AREA [TOKENFILE]]";
	struct load_ops ops = { "baseline", open_sess, store, close_sess };
	struct load_opts o;
	struct base b;
	FILE *f;
	int i = load_args(argc, argv, &o, usage);

	if (argc - i < 1 || argc - i > 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	memset(&b, 0, sizeof(b));
	b.conninfo = argv[i];
	b.area = argc - i > 1 ? argv[i + 1] : "cumbria";
	if (argc - i > 2) {
		if ((f = fopen(argv[i + 2], "r")) == NULL ||
		    fgets(b.token, sizeof(b.token), f) == NULL) {
			perror(argv[i + 2]);
			return 2;
		}
		fclose(f);
		b.token[strcspn(b.token, "\r\n")] = '\0';
		ops.name = "baseline-maracd-sql";
	}
	tzset();
	return load_run(&ops, &b, &o);
}

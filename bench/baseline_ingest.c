/*
 * bench/baseline_ingest: the rows bench/ingest makes maracd store, stored
 * straight through libpq, for the ratio.
 *
 *   baseline_ingest [-c CONNS] [-d SECONDS] [-w WARMUP] [-r RATE] [-t RUNTAG] \
 *       CONNINFO [AREA [TOKENFILE | plain]]
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
 *       are left out, which separates their cost from the database's;
 *   plain (the word instead of TOKENFILE): the physical limit, what any
 *       program storing the same rows would have to write: one
 *       transaction of plain INSERTs (the referral, its people in one
 *       multi-row INSERT, its answers in the referral's row, its audit row), sent in
 *       libpq's pipeline mode (one round trip), as a superuser: no
 *       function, no row-level security, no sitting or link look-up (the
 *       row is stored with the status the rules gave it and no sitting).
 * Durability is the server's: synchronous_commit as configured.
 */
#include "load.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shell/tokenhash.h"
#include "core/intake.h"
#include "core/referral.h"

struct base {
	const char	*conninfo;
	const char	*area;
	char		 token[256];	/* "": raw */
	bool		 plain;
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

/* A JSON value as a statement parameter: NULL, or its text. */
static const char *
param(const cJSON *v, char *buf, size_t cap)
{
	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		snprintf(buf, cap, "%d", v->valueint);
		return buf;
	}
	if (cJSON_IsArray(v)) {		/* of strings: a text[] literal */
		size_t n = (size_t)snprintf(buf, cap, "{");
		const cJSON *e;

		cJSON_ArrayForEach(e, v)
			if (cJSON_IsString(e) && n < cap)
				n += (size_t)snprintf(buf + n, cap - n, "%s\"%s\"",
				    n > 1 ? "," : "", e->valuestring);
		if (n < cap)
			snprintf(buf + n, cap - n, "}");
		return buf;
	}
	return NULL;
}

static const cJSON *
at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b != NULL ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

#define PLAIN_REFERRAL_COLS 33
/* Where plain_referral's $2 on come from: the request or the decision. */
struct plain_col {
	const char *from, *a, *b;
};
static const struct plain_col plain_cols[] = {
	{ "req", "external_ref", NULL }, { "req", "referring_agency", NULL },
	{ "req", "referrer", "name" }, { "req", "referrer", "email" },
	{ "req", "referrer", "phone" }, { "d", "received_at", NULL },
	{ "d", "received_date", NULL }, { "d", "area", NULL },
	{ "req", "forum_requested", NULL }, { NULL, NULL, NULL },
	{ NULL, NULL, NULL }, { "req", "domestic_abuse", NULL },
	{ "req", "stalking", NULL }, { "req", "urgent", NULL },
	{ "d", "risk_level", NULL }, { "d", "risk_bases", NULL },
	{ "req", "dash", "version" }, { "d", "dash_score", NULL },
	{ "d", "sdash_score", NULL }, { "req", "professional_judgement", "level" },
	{ "req", "professional_judgement", "reason" }, { "req", "escalation", NULL },
	{ "req", "police_callouts_12m", NULL }, { "req", "lawful_basis", NULL },
	{ "req", "consent", NULL }, { "req", "summary", NULL },
	{ "d", "repeat", NULL }, { "d", "review", NULL }, { "d", "victim_key", NULL },
	{ "d", "perpetrator_key", NULL },
};
static const char plain_referral[] =
    "INSERT INTO referrals (reference, external_ref, referring_agency, "
    "referrer_name, referrer_email, referrer_phone, received_at, received_date, "
    "area, forum_requested, forum, status, domestic_abuse, stalking, urgent, "
    "risk_level, risk_bases, dash_version, dash_score, sdash_score, "
    "judgement_level, judgement_reason, escalation, police_callouts_12m, "
    "lawful_basis, consent, summary, repeat, review, victim_key, perpetrator_key, "
    "dash_answers, sdash_answers) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
    "coalesce($15::boolean, false), $16, $17, $18, $19, $20, $21, $22, "
    "coalesce($23::boolean, false), $24, $25, $26, $27, $28, $29, $30, $31, "
    "$32, $33)";

/*
 * A checklist's answers as the referral's column stores them
 * (sql/004_referrals.sql): an array literal indexed by question, NULL
 * where not answered; NULL when the checklist was not sent.
 */
static const char *
answers_array(const cJSON *answers, char *buf, size_t size)
{
	size_t n = 0;
	char key[8];
	const cJSON *v;

	if (!cJSON_IsObject(answers))
		return NULL;
	for (int q = 1; q <= 28 && n < size; q++) {
		snprintf(key, sizeof(key), "%d", q);
		v = cJSON_GetObjectItemCaseSensitive(answers, key);
		n += (size_t)snprintf(buf + n, size - n, "%s%s", q == 1 ? "{" : ",",
		    cJSON_IsTrue(v) ? "t" : cJSON_IsFalse(v) ? "f" : "NULL");
	}
	if (n < size)
		snprintf(buf + n, size - n, "}");
	return buf;
}

/* The same rows by plain INSERTs, one pipelined transaction. */
static enum load_result
plain_store(struct sess *s, const char *body, const char *dec)
{
	cJSON		*req = cJSON_Parse(body), *d = cJSON_Parse(dec);
	const cJSON	*v, *ch;
	const char	*p[PLAIN_REFERRAL_COLS];
	char		 nb[PLAIN_REFERRAL_COLS][256], ref[96], people[4096];
	static unsigned long seq;
	const char	*forum = cJSON_GetStringValue(at(d, "forum", NULL));
	size_t		 n;
	int		 i = 0, q;
	bool		 ok = true;
	PGresult	*res;

	snprintf(ref, sizeof(ref), "PLAIN-%p-%lu", (void *)s,
	    __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	p[i] = ref;
	i++;
	for (size_t k = 0; k < sizeof(plain_cols) / sizeof(plain_cols[0]); k++) {
		const struct plain_col *c = &plain_cols[k];

		if (c->from == NULL)	/* the forum, and the status it gives */
			p[i] = k == 9 ? forum : forum != NULL ? "listed" :
			    "below_threshold";
		else
			p[i] = param(at(c->from[0] == 'r' ? req : d, c->a, c->b),
			    nb[i], sizeof(nb[i]));
		i++;
	}

	/*
	 * The people as literals of the bench's own making
	 * (generated names, no quotes), so each is one plain statement.
	 */
	n = (size_t)snprintf(people, sizeof(people), "INSERT INTO referral_people "
	    "(referral_id, role, ordinal, name, dob, gender, postcode, "
	    "relationship, identity_key) VALUES (currval(pg_get_serial_sequence("
	    "'referrals', 'id')), 'victim', 0, '%s', '%s', '%s', '%s', NULL, '%s')",
	    cJSON_GetStringValue(at(at(req, "victim", NULL), "name", NULL)),
	    cJSON_GetStringValue(at(at(req, "victim", NULL), "dob", NULL)),
	    cJSON_GetStringValue(at(at(req, "victim", NULL), "gender", NULL)),
	    cJSON_GetStringValue(at(at(req, "victim", NULL), "postcode", NULL)),
	    cJSON_GetStringValue(at(d, "victim_key", NULL)));
	if ((v = at(req, "perpetrator", NULL)) != NULL && n < sizeof(people))
		n += (size_t)snprintf(people + n, sizeof(people) - n, ", ("
		    "currval(pg_get_serial_sequence('referrals', 'id')), "
		    "'perpetrator', 0, '%s', '%s', '%s', NULL, '%s', '%s')",
		    cJSON_GetStringValue(at(v, "name", NULL)),
		    cJSON_GetStringValue(at(v, "dob", NULL)),
		    cJSON_GetStringValue(at(v, "gender", NULL)),
		    cJSON_GetStringValue(at(v, "relationship", NULL)),
		    cJSON_GetStringValue(at(d, "perpetrator_key", NULL)));
	q = 0;
	cJSON_ArrayForEach(ch, at(req, "children", NULL))
		if (n < sizeof(people))
			n += (size_t)snprintf(people + n, sizeof(people) - n, ", ("
			    "currval(pg_get_serial_sequence('referrals', 'id')), "
			    "'child', %d, '%s', '%s', NULL, NULL, NULL, NULL)", q++,
			    cJSON_GetStringValue(at(ch, "name", NULL)),
			    cJSON_GetStringValue(at(ch, "dob", NULL)));
	p[i] = answers_array(at(at(req, "dash", NULL), "answers", NULL), nb[i],
	    sizeof(nb[i]));
	i++;
	p[i] = answers_array(at(at(req, "sdash", NULL), "answers", NULL), nb[i],
	    sizeof(nb[i]));

	ok = PQenterPipelineMode(s->pg) == 1;
	ok = ok && PQsendQueryParams(s->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
	ok = ok && PQsendQueryParams(s->pg, plain_referral, PLAIN_REFERRAL_COLS,
	    NULL, p, NULL, NULL, 0);
	ok = ok && PQsendQueryParams(s->pg, people, 0, NULL, NULL, NULL, NULL, 0);
	ok = ok && PQsendQueryParams(s->pg, "INSERT INTO audit_log (action, "
	    "object_type, object_id) VALUES ('create', 'referral', currval("
	    "pg_get_serial_sequence('referrals', 'id'))::text)", 0, NULL, NULL,
	    NULL, NULL, 0);
	ok = ok && PQsendQueryParams(s->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
	ok = ok && PQpipelineSync(s->pg) == 1;
	/* Every statement's result, then the sync. */
	while (ok) {
		if ((res = PQgetResult(s->pg)) == NULL)
			continue;	/* between one statement's results and the next */
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (!exec_ok(s, res, "plain INSERT"))
			ok = false;
		PQclear(res);
	}
	if (!ok)	/* drain to the sync */
		while ((res = PQgetResult(s->pg)) != NULL ||
		    PQpipelineStatus(s->pg) != PQ_PIPELINE_OFF) {
			if (res != NULL && PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
				PQclear(res);
				break;
			}
			PQclear(res);
		}
	PQexitPipelineMode(s->pg);
	cJSON_Delete(req);
	cJSON_Delete(d);
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
	if (s->b->plain) {
		result = plain_store(s, body, dec);
		created = true;
	} else if (s->b->token[0] != '\0') {
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
	    "[-w WARMUP] [-r RATE] [-t RUNTAG] [-q] CONNINFO [AREA [TOKENFILE | plain]]";
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
	if (argc - i > 2 && strcmp(argv[i + 2], "plain") == 0) {
		b.plain = true;
		ops.name = "baseline-plain";
	} else if (argc - i > 2) {
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

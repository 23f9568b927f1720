/*
 * bench/agenda: the agenda of a 300-case sitting, from request to last
 * byte, against the bare SQL query that fetches the same rows.
 *
 *   agenda populate HOST PORT TOKENFILE N
 *	POSTs N high-risk domestic-abuse referrals (eight agencies, varied
 *	names, children, bases, repeats and urgent ones), which all join the
 *	next MARAC sitting; prints that sitting's id.
 *   agenda http HOST PORT TOKENFILE PATH N
 *	GETs PATH N times over one keep-alive connection, after 20 unmeasured
 *	requests; each time is from the first byte sent to the last byte of
 *	the body read.
 *   agenda sql DSN SITTING N [TOKENFILE]
 *	Without a token: SELECT * FROM agenda_rows(SITTING), N times, as the
 *	connecting role (the bare query: a superuser, no row-level security).
 *	With one: maracd's own statements for a draft, in its transaction
 *	(BEGIN, maracd_authenticate, agenda_sitting, the draft's rows with
 *	its audit row, COMMIT) as maracd's role.
 *
 *   agenda core DSN SITTING N
 *	maracd's own work alone, in this process: the sitting's rows fetched
 *	once, then N times the model built and rendered (draft) and the
 *	issued version 1 read back from its stored JSON and rendered, in
 *	JSON, HTML and CSV (statements/agenda.c and the core, as maracd runs them).
 *
 * Every mode prints one line
 *   RESULT name=... n=... bytes=... mean_ms=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
 */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "statements/agenda.h"
#include "shell/tokenhash.h"
#include "shell/config.h"

#define WARMUP 20

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
report(const char *name, double *t, int n, size_t bytes)
{
	double sum = 0;

	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	for (int i = 0; i < n; i++)
		sum += t[i];
	printf("RESULT name=%s n=%d bytes=%zu mean_ms=%.3f p50_ms=%.3f "
	    "p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", name, n, bytes, sum / n,
	    t[n / 2], t[n * 9 / 10], t[n * 99 / 100 < n ? n * 99 / 100 : n - 1],
	    t[n - 1]);
}

static void
read_token(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");

	if (f == NULL || fgets(out, (int)cap, f) == NULL) {
		fprintf(stderr, "agenda: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
}

/* HTTP, one keep-alive connection, Content-Length both ways. */

struct conn {
	int	 fd;
	char	*in;
	size_t	 cap, len;
};

static void
conn_open(struct conn *c, const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1;

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "agenda: %s: not an IPv4 address\n", host);
		exit(1);
	}
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		perror("agenda: connect");
		exit(1);
	}
	c->cap = 1 << 20;
	c->in = malloc(c->cap);
}

static void
send_all(struct conn *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);

		if (w <= 0) {
			perror("agenda: send");
			exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* One response; returns the status, *body and *blen its body. */
static int
recv_response(struct conn *c, char **body, size_t *blen)
{
	char *eoh = NULL, *cl;
	size_t hlen, clen;
	ssize_t r;
	int status;

	c->len = 0;
	for (;;) {
		if (c->len + 65536 > c->cap) {
			c->cap *= 2;
			c->in = realloc(c->in, c->cap);
		}
		r = recv(c->fd, c->in + c->len, c->cap - c->len - 1, 0);
		if (r <= 0) {
			fprintf(stderr, "agenda: connection closed\n");
			exit(1);
		}
		c->len += (size_t)r;
		c->in[c->len] = '\0';
		if (eoh == NULL && (eoh = strstr(c->in, "\r\n\r\n")) == NULL)
			continue;
		hlen = (size_t)(eoh - c->in) + 4;
		if ((cl = strcasestr(c->in, "\r\nContent-Length:")) == NULL ||
		    cl > eoh) {
			fprintf(stderr, "agenda: no Content-Length\n");
			exit(1);
		}
		clen = strtoul(cl + 17, NULL, 10);
		if (c->len >= hlen + clen)
			break;
	}
	status = atoi(c->in + 9);
	*body = c->in + hlen;
	*blen = clen;
	return status;
}

static int
populate(const char *host, int port, const char *tokfile, int n)
{
	static const char *const agencies[] = { "police", "probation",
	    "victim_support", "idva", "health_icb", "childrens_social_care",
	    "adult_social_care", "housing" };
	static const char *const first[] = { "Jane", "Amira", "Siobhan",
	    "Olga", "Grace", "Chloe", "Zofia", "Megan", "Aisha", "Ruth" };
	static const char *const last[] = { "Doe", "O'Neill", "Kowalska",
	    "Smith-Jones", "Ahmed", "Brown", "Nguyen", "Evans", "Walsh",
	    "Patel", "Murphy" };
	char token[256], body[4096], req[8192], *resp, *p;
	struct conn c;
	size_t blen;
	long sitting = 0, s;
	int status;

	read_token(tokfile, token, sizeof(token));
	conn_open(&c, host, port);
	for (int i = 0; i < n; i++) {
		int yes = 14 + i % 10, kids = i % 4;
		char children[512] = "";

		for (int k = 0; k < kids; k++)
			snprintf(children + strlen(children),
			    sizeof(children) - strlen(children),
			    "%s{\"name\": \"Child %d\", \"dob\": \"201%d-0%d-1%d\", "
			    "\"resident\": %s}", k ? ", " : "", k, k + 2, k + 1,
			    k, k == 3 ? "false" : "true");
		p = body;
		p += sprintf(p, "{\"external_ref\": \"AGB-%d-%ld\", "
		    "\"referring_agency\": \"%s\", \"referrer\": {\"name\": "
		    "\"Officer %d\"}, \"domestic_abuse\": true, \"stalking\": "
		    "false, \"urgent\": %s, \"victim\": {\"name\": \"%s %s\", "
		    "\"dob\": \"19%02d-%02d-%02d\"}, \"perpetrator\": {\"name\": "
		    "\"Perp %s %d\", \"dob\": \"1980-01-01\"}, \"children\": "
		    "[%s], \"dash\": {\"version\": \"dash-2009\", \"answers\": {",
		    i, (long)time(NULL), agencies[i % 8], i % 37,
		    i % 17 == 0 ? "true" : "false", first[i % 10],
		    last[(i / 10) % 11], 60 + i % 40, 1 + i % 12, 1 + i % 28,
		    last[i % 11], i, children);
		for (int q = 1; q <= 27; q++)
			p += sprintf(p, "%s\"%d\": %s", q > 1 ? ", " : "", q,
			    q <= yes ? "true" : "false");
		p += sprintf(p, "}}, \"escalation\": %s, \"lawful_basis\": "
		    "[\"crime_and_disorder_act_s115\"], \"consent\": "
		    "\"not_sought\", \"summary\": \"Bench case %d.\"}",
		    i % 5 == 0 ? "true" : "false", i);
		snprintf(req, sizeof(req), "POST /v1/referrals HTTP/1.1\r\n"
		    "Host: %s\r\nAuthorization: Bearer %s\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "\r\n%s", host, token, strlen(body), body);
		send_all(&c, req, strlen(req));
		status = recv_response(&c, &resp, &blen);
		resp[blen] = '\0';
		if (status != 201 || (p = strstr(resp, "\"sitting\":{\"id\":")) ==
		    NULL) {
			fprintf(stderr, "agenda: referral %d: %d %s\n", i,
			    status, resp);
			return 1;
		}
		s = strtol(p + 16, NULL, 10);
		if (sitting != 0 && s != sitting) {
			fprintf(stderr, "agenda: referral %d joined sitting %ld, "
			    "not %ld (a cutoff passed); run again\n", i, s,
			    sitting);
			return 1;
		}
		sitting = s;
	}
	printf("%ld\n", sitting);
	return 0;
}

static int
http(const char *host, int port, const char *tokfile, const char *path, int n)
{
	char token[256], req[1024], *body;
	struct conn c;
	double *t = calloc((size_t)n, sizeof(double)), t0;
	size_t blen = 0;
	int status;

	read_token(tokfile, token, sizeof(token));
	conn_open(&c, host, port);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n"
	    "Authorization: Bearer %s\r\n\r\n", path, host, token);
	for (int i = -WARMUP; i < n; i++) {
		t0 = now_ms();
		send_all(&c, req, strlen(req));
		status = recv_response(&c, &body, &blen);
		if (i >= 0)
			t[i] = now_ms() - t0;
		if (status != 200) {
			fprintf(stderr, "agenda: GET %s: %d\n", path, status);
			return 1;
		}
	}
	report(path, t, n, blen);
	return 0;
}

static PGresult *
exec(PGconn *db, const char *sql, int np, const char *const *p)
{
	PGresult *res = PQexecParams(db, sql, np, NULL, p, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "agenda: %s", PQerrorMessage(db));
		exit(1);
	}
	return res;
}

static int
sql(const char *dsn, const char *sitting, int n, const char *tokfile)
{
	PGconn *db = PQconnectdb(dsn);
	double *t = calloc((size_t)n, sizeof(double)), t0;
	char token[256], hash[TOKENHASH_HEX];
	const char *p[3];
	PGresult *res;
	size_t bytes = 0;

	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "agenda: %s", PQerrorMessage(db));
		return 1;
	}
	if (tokfile != NULL)
		read_token(tokfile, token, sizeof(token));
	for (int i = -WARMUP; i < n; i++) {
		t0 = now_ms();
		if (tokfile == NULL) {
			p[0] = sitting;
			res = exec(db, "SELECT * FROM agenda_rows($1::bigint)",
			    1, p);
		} else {
			PQclear(exec(db, "BEGIN", 0, NULL));
			if (tokenhash_hex(token, hash) != 0)
				exit(1);
			p[0] = hash;
			p[1] = "bench";
			p[2] = "127.0.0.1";
			PQclear(exec(db, "SELECT * FROM maracd_authenticate($1, $2, $3)",
			    3, p));
			p[0] = sitting;
			p[1] = "false";
			PQclear(exec(db, "SELECT id, forum, area, date, cutoff_date, "
			    "venue, status, held, latest, now_utc FROM "
			    "agenda_sitting($1::bigint, $2::boolean)", 2, p));
			res = exec(db, "WITH audit AS (INSERT INTO audit_log (action, "
			    "object_type, object_id) VALUES ('read_draft', 'agenda', "
			    "$1::text)) SELECT * FROM agenda_rows($1::text::bigint)",
			    1, p);
			PQclear(exec(db, "COMMIT", 0, NULL));
		}
		if (i >= 0)
			t[i] = now_ms() - t0;
		bytes = 0;
		for (int r = 0; r < PQntuples(res); r++)
			for (int f = 0; f < PQnfields(res); f++)
				bytes += (size_t)PQgetlength(res, r, f);
		if (PQntuples(res) == 0) {
			fprintf(stderr, "agenda: sitting %s has no rows\n", sitting);
			return 1;
		}
		PQclear(res);
	}
	report(tokfile == NULL ? "sql-bare" : "sql-maracd", t, n, bytes);
	PQfinish(db);
	return 0;
}

static int
core(const char *dsn, const char *sitting, int n)
{
	static const enum agenda_stmt_format fmts[] = { AGENDA_FORMAT_JSON,
	    AGENDA_FORMAT_HTML, AGENDA_FORMAT_CSV };
	static const char *const names[] = { "json", "html", "csv" };
	PGconn *db = PQconnectdb(dsn);
	const char *p[2] = { sitting, "false" };
	struct agenda_stmt_sitting s;
	struct config cfg;
	struct agenda a;
	struct buf b;
	PGresult *rows, *res, *ver;
	double *t = calloc((size_t)n, sizeof(double)), t0;
	char name[64];

	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "agenda: %s", PQerrorMessage(db));
		return 1;
	}
	config_defaults(&cfg);
	res = exec(db, AGENDA_SQL_SITTING, 2, p);
	if (agenda_stmt_read_sitting(res, &s) != 1) {
		fprintf(stderr, "agenda: no sitting %s\n", sitting);
		return 1;
	}
	PQclear(res);
	rows = exec(db, AGENDA_SQL_ROWS, 1, p);
	p[1] = "1";
	ver = exec(db, AGENDA_SQL_VERSION, 2, p);
	if (PQntuples(ver) != 1) {
		fprintf(stderr, "agenda: sitting %s has no version 1\n", sitting);
		return 1;
	}
	for (int issued = 0; issued <= 1; issued++) {
		for (size_t f = 0; f < 3; f++) {
			for (int i = -WARMUP; i < n; i++) {
				buf_init(&b);
				t0 = now_ms();
				if (issued && fmts[f] == AGENDA_FORMAT_JSON) {
					/* maracd serves the stored bytes. */
					if (agenda_stmt_stored_json(PQgetvalue(ver, 0, 1),
					    PQgetvalue(ver, 0, 2), PQgetvalue(ver, 0, 5),
					    &b) != 0)
						return 1;
					memset(&a, 0, sizeof(a));
				} else if ((issued ? agenda_stmt_load(PQgetvalue(ver, 0, 1), &a) :
				    agenda_stmt_build(rows, &s, 0, NULL, &cfg, &a)) != 0 ||
				    agenda_stmt_render(&a, fmts[f], issued ?
				    PQgetvalue(ver, 0, 2) : NULL, NULL, 0, &cfg, &b) != 0) {
					fprintf(stderr, "agenda: build or render failed\n");
					return 1;
				}
				if (i >= 0)
					t[i] = now_ms() - t0;
				agenda_free(&a);
				if (i < n - 1)
					buf_free(&b);
			}
			snprintf(name, sizeof(name), "core-%s-%s", issued ? "issued" :
			    "draft", names[f]);
			report(name, t, n, b.len);
			buf_free(&b);
		}
	}
	PQclear(rows);
	PQclear(ver);
	config_free(&cfg);
	PQfinish(db);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "core") == 0)
		return core(argv[2], argv[3], atoi(argv[4]));
	if (argc == 6 && strcmp(argv[1], "populate") == 0)
		return populate(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]));
	if (argc == 7 && strcmp(argv[1], "http") == 0)
		return http(argv[2], atoi(argv[3]), argv[4], argv[5], atoi(argv[6]));
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "sql") == 0)
		return sql(argv[2], argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	fprintf(stderr, "usage: agenda populate HOST PORT TOKENFILE N | "
	    "http HOST PORT TOKENFILE PATH N | sql DSN SITTING N [TOKENFILE] | "
	    "core DSN SITTING N\n");
	return 2;
}

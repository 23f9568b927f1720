/*
 * A GET load over keep-alive connections, for bench/reads and bench/rss:
 * one thread and one blocking connection each, the same request again
 * and again, for a time (-d) or a total count (-n).  HTTP/1.1 replies are
 * read by Content-Length, so maracd and nginx are measured by the same
 * client.  Prints a summary and one "RESULT key=value ..." line:
 * requests/s, p50 and p99 in ms, and the count of non-200 answers.
 *
 *   reads [-c CONNS] [-d SECONDS | -n REQUESTS] [-w WARMUP] [-a TOKENFILE]
 *         [-H "NAME: VALUE"] HOST PORT PATH
 *
 * -H adds one header line to the request (bench/pages: a session cookie).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXLAT	(1u << 22)	/* latencies kept per thread */

struct worker {
	pthread_t	 tid;
	double		*lat;
	size_t		 nlat;
	long		 ok, bad, reconnects;
};

static struct sockaddr_in addr;
static char	 req[4096];
static size_t	 reqlen;
static double	 start, warm_end, stop_at;
static long	 total = -1;		/* -n: requests left, shared */
static atomic_long left;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request and its reply; the HTTP status, or -1 (reconnect). */
static int
exchange(int fd, char *buf, size_t cap)
{
	size_t have = 0, body = 0, need;
	char *end, *cl;
	ssize_t n;
	int status;
	bool closing;

	for (size_t off = 0; off < reqlen; off += (size_t)n)
		if ((n = write(fd, req + off, reqlen - off)) <= 0)
			return -1;
	for (;;) {
		if ((n = read(fd, buf + have, cap - 1 - have)) <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (have == cap - 1)
			return -1;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	*end = '\0';
	if ((cl = strcasestr(buf, "\r\ncontent-length:")) == NULL)
		return -1;	/* both servers send a length */
	body = strtoul(cl + 17, NULL, 10);
	closing = strcasestr(buf, "\r\nconnection: close") != NULL;
	need = (size_t)(end + 4 - buf) + body;
	while (have < need) {
		size_t want = need - have < cap ? need - have : cap;

		if ((n = read(fd, buf, want)) <= 0)
			return -1;
		have += (size_t)n;
	}
	return closing ? -status : status;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	char *buf = malloc(1 << 16);
	int fd = dial(), st;
	double t0, t1;

	if (buf == NULL || fd == -1) {
		fprintf(stderr, "reads: cannot connect: %s\n", strerror(errno));
		exit(1);
	}
	for (;;) {
		if (total >= 0) {
			if (atomic_fetch_sub(&left, 1) <= 0)
				break;
		} else if (now() >= stop_at) {
			break;
		}
		t0 = now();
		st = exchange(fd, buf, 1 << 16);
		t1 = now();
		if (st == -1 || st < 0) {
			close(fd);
			w->reconnects++;
			if ((fd = dial()) == -1) {
				fprintf(stderr, "reads: reconnect failed: %s\n", strerror(errno));
				exit(1);
			}
			if (st == -1) {
				w->bad++;
				continue;
			}
			st = -st;
		}
		if (t0 < warm_end)
			continue;
		if (st == 200)
			w->ok++;
		else
			w->bad++;
		if (w->nlat < MAXLAT)
			w->lat[w->nlat++] = t1 - t0;
	}
	close(fd);
	free(buf);
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *usage = "usage: reads [-c CONNS] [-d SECONDS | -n REQUESTS] "
	    "[-w WARMUP] [-a TOKENFILE] [-H \"NAME: VALUE\"] HOST PORT PATH";
	int conns = 4, opt;
	double seconds = 10, warmup = 1;
	char token[512] = "";
	const char *extra = NULL;
	struct worker *w;
	double *all, elapsed;
	size_t n = 0;
	long ok = 0, bad = 0, rec = 0;
	FILE *f;

	while ((opt = getopt(argc, argv, "c:d:n:w:a:H:")) != -1) {
		switch (opt) {
		case 'c': conns = atoi(optarg); break;
		case 'd': seconds = atof(optarg); break;
		case 'n': total = atol(optarg); break;
		case 'w': warmup = atof(optarg); break;
		case 'a':
			if ((f = fopen(optarg, "r")) == NULL ||
			    fgets(token, sizeof(token), f) == NULL) {
				fprintf(stderr, "reads: cannot read %s\n", optarg);
				return 1;
			}
			fclose(f);
			token[strcspn(token, "\r\n")] = '\0';
			break;
		case 'H': extra = optarg; break;
		default: fprintf(stderr, "%s\n", usage); return 2;
		}
	}
	if (argc - optind != 3 || conns < 1) {
		fprintf(stderr, "%s\n", usage);
		return 2;
	}
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)atoi(argv[optind + 1]));
	if (inet_pton(AF_INET, argv[optind], &addr.sin_addr) != 1) {
		fprintf(stderr, "reads: bad address %s\n", argv[optind]);
		return 2;
	}
	reqlen = (size_t)snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n"
	    "%s%s%s%s%sAccept: application/json\r\n\r\n", argv[optind + 2], argv[optind],
	    token[0] ? "Authorization: Bearer " : "", token, token[0] ? "\r\n" : "",
	    extra != NULL ? extra : "", extra != NULL ? "\r\n" : "");
	if (reqlen >= sizeof(req)) {
		fprintf(stderr, "reads: request too long\n");
		return 2;
	}
	if (total >= 0) {
		warmup = 0;
		atomic_store(&left, total);
	}
	w = calloc((size_t)conns, sizeof(*w));
	start = now();
	warm_end = start + warmup;
	stop_at = warm_end + seconds;
	for (int i = 0; i < conns; i++) {
		if ((w[i].lat = malloc(MAXLAT * sizeof(double))) == NULL)
			return 1;
		pthread_create(&w[i].tid, NULL, run, &w[i]);
	}
	for (int i = 0; i < conns; i++) {
		pthread_join(w[i].tid, NULL);
		n += w[i].nlat;
	}
	elapsed = now() - warm_end;
	all = malloc((n + 1) * sizeof(double));
	n = 0;
	for (int i = 0; i < conns; i++) {
		memcpy(all + n, w[i].lat, w[i].nlat * sizeof(double));
		n += w[i].nlat;
		ok += w[i].ok;
		bad += w[i].bad;
		rec += w[i].reconnects;
	}
	qsort(all, n, sizeof(double), cmp);
	printf("%ld requests in %.1f s over %d connections: %.0f/s, p50 %.3f ms, "
	    "p99 %.3f ms, %ld not 200, %ld reconnects\n", ok + bad, elapsed, conns,
	    (ok + bad) / elapsed, n ? all[n / 2] * 1e3 : 0, n ? all[n * 99 / 100] * 1e3 : 0,
	    bad, rec);
	printf("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%ld bad=%ld seconds=%.2f\n",
	    (ok + bad) / elapsed, n ? all[n / 2] * 1e3 : 0,
	    n ? all[n * 99 / 100] * 1e3 : 0, ok + bad, bad, elapsed);
	return bad == 0 ? 0 : 1;
}

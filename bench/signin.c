/*
 * Sign-in hashing: how many Argon2id verifies per second the hash pool
 * (daemon/shell/hashpool.c, the code maracd runs) does at a given cost,
 * and whether an event loop keeps answering GET /healthz while a burst of
 * them runs.  The loop is an evhttp server in this process answering
 * /healthz as maracd's does (a small JSON body); a client thread sends
 * requests back to back over one keep-alive connection and times each.
 * The baseline is the same burst hashed on the loop itself, one verify
 * per loop turn (what a daemon without the pool would do): then /healthz
 * waits behind each hash.
 *
 *   signin [-t THREADS] [-o OPSLIMIT] [-m MEMLIMIT_KIB] [-n BURST] [-r ROUNDS]
 *
 * Defaults: maracd's ([accounts]): 2 threads, opslimit 2, 65536 KiB; a
 * burst of 40 sign-ins; 3 rounds.  Ends with one "RESULT key=value ..."
 * line for bench/signin.
 */
#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/buffer.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "shell/hashpool.h"

#define MAXREQ	(1 << 20)

static const char password[] = "correct horse battery staple";
static char encoded[crypto_pwhash_STRBYTES];
static struct event_base *base;
static int port;

/* The client's record: when each /healthz was sent and how long it took. */
static double sent_at[MAXREQ], took[MAXREQ];
static atomic_int nreq;
static atomic_bool client_stop;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, int n, double p)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[(int)(p * (n - 1))];
}

static void
on_healthz(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b = evbuffer_new();

	evbuffer_add_printf(b, "{\"status\":\"ok\"}\n");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/json");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

/* One keep-alive connection, GET /healthz back to back until told to stop. */
static void *
client(void *arg)
{
	static const char get[] = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char buf[4096];
	int fd, one = 1;

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("signin: connect");
		exit(1);
	}
	while (!atomic_load(&client_stop)) {
		double t0 = now();
		size_t got = 0;
		char *body;
		long clen;
		int i;

		if (write(fd, get, sizeof(get) - 1) != (ssize_t)(sizeof(get) - 1))
			break;
		/* Headers, then Content-Length bytes of body. */
		for (;;) {
			ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);

			if (n <= 0)
				goto out;
			got += (size_t)n;
			buf[got] = '\0';
			if ((body = strstr(buf, "\r\n\r\n")) != NULL) {
				char *cl = strcasestr(buf, "Content-Length:");

				clen = cl != NULL ? strtol(cl + 15, NULL, 10) : 0;
				if ((size_t)(body + 4 - buf) + (size_t)clen <= got)
					break;
			}
		}
		i = atomic_fetch_add(&nreq, 1);
		if (i < MAXREQ) {
			sent_at[i] = t0;
			took[i] = now() - t0;
		}
	}
out:
	close(fd);
	return NULL;
}

struct burst {
	int	 left;
	int	 matched;
	double	 t_end;
	struct event *step;	/* baseline: one verify per loop turn */
};

static void
on_verified(int ok, const char *result, void *arg)
{
	struct burst *b = arg;

	b->matched += ok == 1;
	if (--b->left == 0) {
		b->t_end = now();
		event_base_loopbreak(base);
	}
}

static void
on_loop_step(evutil_socket_t fd, short what, void *arg)
{
	struct burst *b = arg;
	static const struct timeval zero = { 0, 0 };

	on_verified(crypto_pwhash_str_verify(encoded, password,
	    strlen(password)) == 0, NULL, b);
	if (b->left > 0)
		event_add(b->step, &zero);
}

/* Latency of the /healthz requests sent in [t0, t1]: count, p50, p99, max (ms). */
static void
window(double t0, double t1, int *count, double *p50, double *p99, double *max)
{
	static double v[MAXREQ];
	int n = 0, total = atomic_load(&nreq);

	if (total > MAXREQ)
		total = MAXREQ;
	for (int i = 0; i < total; i++)
		if (sent_at[i] >= t0 && sent_at[i] <= t1)
			v[n++] = took[i] * 1e3;
	*count = n;
	*p50 = pct(v, n, 0.50);
	*p99 = pct(v, n, 0.99);
	*max = n > 0 ? v[n - 1] : 0;
}

/* One burst of n sign-ins, through the pool or on the loop; seconds taken. */
static double
burst(struct hashpool *pool, int n, struct burst *b)
{
	static const struct timeval zero = { 0, 0 };
	double t0 = now();

	b->left = n;
	b->matched = 0;
	if (pool != NULL) {
		for (int i = 0; i < n; i++)
			if (hashpool_verify(pool, encoded, password, on_verified, b) != 0) {
				fprintf(stderr, "signin: queue full\n");
				exit(1);
			}
	} else {
		b->step = evtimer_new(base, on_loop_step, b);
		event_add(b->step, &zero);
	}
	event_base_dispatch(base);
	if (b->step != NULL) {
		event_free(b->step);
		b->step = NULL;
	}
	if (b->matched != n) {
		fprintf(stderr, "signin: %d of %d verifies matched\n", b->matched, n);
		exit(1);
	}
	return b->t_end - t0;
}

/* Lets the loop serve /healthz alone for a while (the quiet figures). */
static void
idle(double seconds)
{
	struct timeval tv = { (time_t)seconds, (suseconds_t)((seconds - (time_t)seconds) * 1e6) };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

int
main(int argc, char **argv)
{
	int threads = 2, n = 40, rounds = 3, opt, count;
	unsigned long long ops = 2;
	size_t mem_kib = 65536;
	double rate[16], single[16], p50, max, t0, t1, secs;
	double pool_p99[16], pool_max[16], loop_p99[16], loop_max[16], quiet_p99;
	int pool_count[16], loop_count[16];
	struct hashpool *pool, *one;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct burst b = { 0 };
	pthread_t tid;

	while ((opt = getopt(argc, argv, "t:o:m:n:r:")) != -1) {
		switch (opt) {
		case 't': threads = atoi(optarg); break;
		case 'o': ops = strtoull(optarg, NULL, 10); break;
		case 'm': mem_kib = strtoull(optarg, NULL, 10); break;
		case 'n': n = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: signin [-t THREADS] [-o OPSLIMIT] "
			    "[-m MEMLIMIT_KIB] [-n BURST] [-r ROUNDS]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > 16 || n < 1 || sodium_init() < 0)
		return 2;
	if (crypto_pwhash_str(encoded, password, strlen(password), ops,
	    mem_kib * 1024) != 0) {
		fprintf(stderr, "signin: cannot hash at that cost\n");
		return 1;
	}
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_cb(http, "/healthz", on_healthz, NULL);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sa, &salen);
	port = ntohs(sa.sin_port);
	pool = hashpool_new(base, threads, n, ops, mem_kib * 1024);
	one = hashpool_new(base, 1, n, ops, mem_kib * 1024);
	if (pool == NULL || one == NULL)
		return 1;
	pthread_create(&tid, NULL, client, NULL);

	t0 = now();
	idle(1.0);
	window(t0, now(), &count, &p50, &quiet_p99, &max);
	printf("quiet: %d /healthz in 1 s, p50 %.3f ms, p99 %.3f ms\n", count, p50, quiet_p99);
	for (int r = 0; r < rounds; r++) {
		/* One verify alone: the latency a person sees, queue empty. */
		single[r] = burst(one, 1, &b) * 1e3;
		t0 = now();
		secs = burst(pool, n, &b);
		t1 = now();
		rate[r] = n / secs;
		window(t0, t1, &pool_count[r], &p50, &pool_p99[r], &pool_max[r]);
		printf("round %d pool: %d verifies in %.2f s (%.1f/s, one alone %.0f ms); "
		    "/healthz %d answered, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", r + 1,
		    n, secs, rate[r], single[r], pool_count[r], p50, pool_p99[r], pool_max[r]);
		idle(0.2);
		t0 = now();
		secs = burst(NULL, n, &b);
		t1 = now();
		window(t0, t1, &loop_count[r], &p50, &loop_p99[r], &loop_max[r]);
		printf("round %d on the loop: %d verifies in %.2f s (%.1f/s); "
		    "/healthz %d answered, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", r + 1,
		    n, secs, n / secs, loop_count[r], p50, loop_p99[r], loop_max[r]);
		idle(0.2);
	}
	atomic_store(&client_stop, true);
	idle(0.2);
	pthread_join(tid, NULL);
	printf("RESULT threads=%d opslimit=%llu memlimit_kib=%zu burst=%d "
	    "verify_ms=%.0f verifies_per_s=%.1f quiet_p99_ms=%.3f "
	    "pool_healthz=%.0f pool_p99_ms=%.2f pool_max_ms=%.2f "
	    "loop_healthz=%.0f loop_p99_ms=%.2f loop_max_ms=%.2f\n",
	    threads, ops, mem_kib, n, pct(single, rounds, 0.5), pct(rate, rounds, 0.5),
	    quiet_p99, (double)pool_count[0], pct(pool_p99, rounds, 0.5),
	    pct(pool_max, rounds, 0.5), (double)loop_count[0], pct(loop_p99, rounds, 0.5),
	    pct(loop_max, rounds, 0.5));
	hashpool_free(pool);
	hashpool_free(one);
	evhttp_free(http);
	event_base_free(base);
	return 0;
}

#include "load.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct worker {
	const struct load_ops	*ops;
	const struct load_opts	*o;
	void			*arg;
	int			 id;
	double			 start;	/* monotonic seconds */
	double			*lat;	/* milliseconds, after the warm-up */
	size_t			 nlat, caplat;
	unsigned long		 results[LOAD_RESULTS];
	unsigned long		 outcomes[5];
	unsigned long		 kinds[GEN_KINDS];
	unsigned long		 warm;	/* requests in the warm-up */
	double			 last;	/* when the last answer came */
	int			 failed;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int
keep(struct worker *w, double ms)
{
	if (w->nlat == w->caplat) {
		size_t cap = w->caplat ? w->caplat * 2 : 4096;
		double *p = realloc(w->lat, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		w->lat = p;
		w->caplat = cap;
	}
	w->lat[w->nlat++] = ms;
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	const struct load_opts *o = w->o;
	double end = w->start + o->warmup + o->seconds;
	double interval = o->rate > 0 ? o->conns / o->rate : 0;
	/* Paced connections are staggered so that sends interleave evenly. */
	double due = w->start + (interval > 0 ? interval * w->id / o->conns : 0);
	char body[8192];
	struct gen g;
	void *st;

	gen_init(&g, o->run, w->id);
	if ((st = w->ops->open(w->id, w->arg)) == NULL) {
		w->failed = 1;
		return NULL;
	}
	for (;;) {
		enum gen_kind kind;
		unsigned outcome = 0;
		enum load_result res;
		size_t len = gen_next(&g, body, sizeof(body), &kind);
		double t0, t1;

		if (interval > 0) {
			if (due >= end)
				break;
			sleep_until(due);
			t0 = due;
			due += interval;
		} else {
			t0 = now();
			if (t0 >= end)
				break;
		}
		res = w->ops->one(st, body, len, kind, &outcome);
		t1 = now();
		w->last = t1;
		if (t0 < w->start + o->warmup) {
			w->warm++;
			continue;
		}
		w->results[res]++;
		w->kinds[kind]++;
		for (int b = 0; b < 5; b++)
			if (outcome & (1u << b))
				w->outcomes[b]++;
		if (res == LOAD_CREATED && keep(w, (t1 - t0) * 1e3) != 0) {
			w->failed = 1;
			break;
		}
		if (res == LOAD_ERROR && w->results[res] > 100) {
			fprintf(stderr, "%s: too many errors; stopping\n", w->ops->name);
			w->failed = 1;
			break;
		}
	}
	w->ops->close(st);
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

int
load_args(int argc, char **argv, struct load_opts *o, const char *usage)
{
	int ch;

	o->conns = 4;
	o->seconds = 20;
	o->warmup = 2;
	o->rate = 0;
	o->run = "r";
	o->quiet = false;
	while ((ch = getopt(argc, argv, "c:d:w:r:t:q")) != -1) {
		switch (ch) {
		case 'c': o->conns = atoi(optarg); break;
		case 'd': o->seconds = atof(optarg); break;
		case 'w': o->warmup = atof(optarg); break;
		case 'r': o->rate = atof(optarg); break;
		case 't': o->run = optarg; break;
		case 'q': o->quiet = true; break;
		default:
			fprintf(stderr, "usage: %s\n", usage);
			exit(2);
		}
	}
	if (o->conns < 1 || o->conns > 1024 || o->seconds <= 0 || o->warmup < 0 ||
	    o->rate < 0) {
		fprintf(stderr, "usage: %s\n", usage);
		exit(2);
	}
	return optind;
}

int
load_run(const struct load_ops *ops, void *arg, const struct load_opts *o)
{
	struct worker *w = calloc((size_t)o->conns, sizeof(*w));
	pthread_t *th = calloc((size_t)o->conns, sizeof(*th));
	unsigned long res[LOAD_RESULTS] = { 0 }, outc[5] = { 0 }, kinds[GEN_KINDS] = { 0 };
	static const char *const outnames[] = {
		"marac", "masc", "below_threshold", "repeat", "review"
	};
	double start = now() + 0.05, *all = NULL, rps, last = 0, elapsed;
	size_t n = 0;
	int failed = 0;

	if (w == NULL || th == NULL)
		return 1;
	for (int i = 0; i < o->conns; i++) {
		w[i] = (struct worker){ .ops = ops, .o = o, .arg = arg, .id = i,
		    .start = start };
		if (pthread_create(&th[i], NULL, work, &w[i]) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	for (int i = 0; i < o->conns; i++) {
		pthread_join(th[i], NULL);
		failed |= w[i].failed;
		if (w[i].last > last)
			last = w[i].last;
		n += w[i].nlat;
		for (int r = 0; r < LOAD_RESULTS; r++)
			res[r] += w[i].results[r];
		for (int b = 0; b < 5; b++)
			outc[b] += w[i].outcomes[b];
		for (int k = 0; k < GEN_KINDS; k++)
			kinds[k] += w[i].kinds[k];
	}
	all = malloc((n ? n : 1) * sizeof(*all));
	n = 0;
	for (int i = 0; i < o->conns; i++) {
		memcpy(all + n, w[i].lat, w[i].nlat * sizeof(*all));
		n += w[i].nlat;
		free(w[i].lat);
	}
	qsort(all, n, sizeof(*all), cmp);
	/*
	 * Over the time the answers took to come, not the time requests were
	 * sent in: a paced run that falls behind shows what it achieved.
	 */
	elapsed = last - (start + o->warmup);
	if (elapsed < o->seconds)
		elapsed = o->seconds;
	rps = (double)res[LOAD_CREATED] / elapsed;
	if (!o->quiet) {
		printf("%s: %d connections, %.0f s (after %.0f s warm-up), %s\n",
		    ops->name, o->conns, o->seconds, o->warmup,
		    o->rate > 0 ? "paced" : "as fast as possible");
		if (o->rate > 0)
			printf("  target %.0f referrals/s\n", o->rate);
		printf("  stored %lu in %.1f s (%.1f referrals/s), refused as generated %lu, "
		    "duplicates %lu, errors %lu\n", res[LOAD_CREATED], elapsed, rps,
		    res[LOAD_REFUSED], res[LOAD_DUPLICATE], res[LOAD_ERROR]);
		printf("  latency of stored referrals, ms: p50 %.2f  p90 %.2f  p99 %.2f  "
		    "p99.9 %.2f  max %.2f\n", pct(all, n, 50), pct(all, n, 90),
		    pct(all, n, 99), pct(all, n, 99.9), n ? all[n - 1] : 0.0);
		printf("  outcomes:");
		for (int b = 0; b < 5; b++)
			printf(" %s %lu", outnames[b], outc[b]);
		printf(" (sent:");
		for (int k = 0; k < GEN_KINDS; k++)
			printf(" %s %lu", gen_kind_name((enum gen_kind)k), kinds[k]);
		printf(")\n");
	}
	/* One line for scripts. */
	printf("RESULT name=%s conns=%d seconds=%.0f rate=%.0f stored=%lu rps=%.1f "
	    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f refused=%lu duplicates=%lu "
	    "errors=%lu\n", ops->name, o->conns, o->seconds, o->rate, res[LOAD_CREATED],
	    rps, pct(all, n, 50), pct(all, n, 90), pct(all, n, 99), n ? all[n - 1] : 0.0,
	    res[LOAD_REFUSED], res[LOAD_DUPLICATE], res[LOAD_ERROR]);
	fflush(stdout);
	free(all);
	free(w);
	free(th);
	return failed || res[LOAD_ERROR] > 0 || res[LOAD_DUPLICATE] > 0;
}

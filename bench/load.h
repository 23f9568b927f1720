/*
 * The load harness both ingest benchmarks share: N threads, one
 * connection each, for a fixed time, either as fast as each connection
 * goes (closed loop) or paced to a total rate (open loop: a request's
 * latency counts from when it was due, so a stall is not hidden by the
 * requests it delayed).  Latencies after the warm-up are kept, sorted and
 * reported with the outcome counts.
 */
#ifndef BENCH_LOAD_H
#define BENCH_LOAD_H

#include <stdbool.h>

#include "gen.h"

enum load_result {
	LOAD_CREATED,		/* stored (2xx new / created = true) */
	LOAD_REFUSED,		/* refused by the rules, as generated (under 16) */
	LOAD_DUPLICATE,		/* answered as an existing referral: a bench bug */
	LOAD_ERROR,		/* anything else */
	LOAD_RESULTS
};

/* What the stored referral's decision said, for the outcome table. */
enum load_outcome {
	OUT_MARAC = 1 << 0,
	OUT_MASC = 1 << 1,
	OUT_BELOW = 1 << 2,
	OUT_REPEAT = 1 << 3,
	OUT_REVIEW = 1 << 4
};

struct load_ops {
	const char *name;
	/* Per-thread state; NULL stops the run. */
	void	*(*open)(int thread, void *arg);
	/* Sends one referral; sets *outcome (enum load_outcome bits). */
	enum load_result (*one)(void *state, const char *body, size_t len,
		    enum gen_kind kind, unsigned *outcome);
	void	 (*close)(void *state);
};

struct load_opts {
	int	 conns;
	double	 seconds;
	double	 warmup;
	double	 rate;		/* total referrals/s; 0: as fast as possible */
	const char *run;	/* run tag for external_ref */
	bool	 quiet;
};

/* Parses -c -d -w -r -t; returns the index of the first other argument. */
int	load_args(int argc, char **argv, struct load_opts *, const char *usage);
/* Runs the load and prints the report; returns 0 if there were no errors. */
int	load_run(const struct load_ops *, void *arg, const struct load_opts *);

#endif

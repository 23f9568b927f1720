#include "shell/ratelimit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

/*
 * A fixed table, so that a flood of distinct tokens cannot grow memory:
 * when it is full the stalest bucket is reused (that token simply gets a
 * fresh, full bucket, which errs on the side of serving it).
 */
#define BUCKETS 1024

struct bucket {
	long long	token_id;	/* 0: free */
	double		tokens;
	double		stamp;
};

struct ratelimit {
	int		per_minute;
	struct bucket	b[BUCKETS];
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct ratelimit *
ratelimit_new(int per_minute)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (rl != NULL)
		rl->per_minute = per_minute;
	return rl;
}

void
ratelimit_set(struct ratelimit *rl, int per_minute)
{
	rl->per_minute = per_minute;
}

static struct bucket *
bucket_for(struct ratelimit *rl, long long id, double t)
{
	size_t start = (size_t)((unsigned long long)id * 2654435761u) % BUCKETS;
	struct bucket *stalest = NULL;

	for (size_t i = 0; i < 8; i++) {
		struct bucket *b = &rl->b[(start + i) % BUCKETS];

		if (b->token_id == id)
			return b;
		if (stalest == NULL || b->token_id == 0 || b->stamp < stalest->stamp)
			if (stalest == NULL || stalest->token_id != 0)
				stalest = b;
	}
	stalest->token_id = id;
	stalest->tokens = rl->per_minute;
	stalest->stamp = t;
	return stalest;
}

static int
take(struct ratelimit *rl, long long id, bool consume)
{
	double t = now(), rate, wait;
	struct bucket *b;

	if (rl == NULL || rl->per_minute <= 0)
		return 0;
	rate = rl->per_minute / 60.0;
	b = bucket_for(rl, id, t);
	b->tokens += (t - b->stamp) * rate;
	if (b->tokens > rl->per_minute)
		b->tokens = rl->per_minute;
	b->stamp = t;
	if (b->tokens >= 1.0) {
		if (consume)
			b->tokens -= 1.0;
		return 0;
	}
	wait = (1.0 - b->tokens) / rate;
	return (int)wait + 1;
}

int
ratelimit_take(struct ratelimit *rl, long long id)
{
	return take(rl, id, true);
}

int
ratelimit_peek(struct ratelimit *rl, long long id)
{
	return take(rl, id, false);
}

void
ratelimit_free(struct ratelimit *rl)
{
	free(rl);
}

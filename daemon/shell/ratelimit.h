/*
 * Per-token request rate (and, keyed by a hash of the client's address,
 * the budget of failed token checks): a token bucket per id, refilled at
 * rate per minute up to a burst of the same size.  Per process: with N
 * maracd processes behind a balancer a token may reach N times the rate.
 */
#ifndef MARACD_RATELIMIT_H
#define MARACD_RATELIMIT_H

struct ratelimit;

struct ratelimit *ratelimit_new(int per_minute);
void	ratelimit_set(struct ratelimit *rl, int per_minute);
/* 0 if the request may go ahead, else the seconds to wait. */
int	ratelimit_take(struct ratelimit *rl, long long token_id);
/* What ratelimit_take would answer, without taking anything. */
int	ratelimit_peek(struct ratelimit *rl, long long token_id);
void	ratelimit_free(struct ratelimit *rl);

#endif

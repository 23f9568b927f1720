/*
 * Password hashing off the event loop.
 *
 * An Argon2id hash costs tens to hundreds of milliseconds of CPU and tens
 * of megabytes by design; done on the loop, one sign-in would stall every
 * other request for that long, and a burst of them would stall maracd.
 * So hashes and verifies run on a few threads of their own, fed by a
 * bounded queue (full: the caller answers 503 at once), and each answer
 * comes back to the loop thread (through a socketpair the loop watches),
 * where the callback runs like any other event.  Passwords are copied in,
 * wiped (sodium_memzero) as soon as they are hashed, and never logged.
 *
 * Everything here is called on the loop thread; the callbacks run there.
 */
#ifndef MARACD_SHELL_HASHPOOL_H
#define MARACD_SHELL_HASHPOOL_H

#include <stddef.h>

struct event_base;
struct hashpool;

/*
 * ok: for hash, 1 and result = the encoded Argon2id string (valid during
 * the call only: copy it); for verify, 1 = password matches, 0 = no match
 * (result NULL); -1 on error (out of memory, a malformed stored hash, the
 * pool shutting down).  Runs on the loop.
 */
typedef void (*hashpool_cb)(int ok, const char *result, void *arg);

/*
 * threads (1..64) workers; queue_max jobs may wait for one; new hashes use
 * opslimit and memlimit (bytes), crypto_pwhash's.  NULL on failure.
 */
struct hashpool *hashpool_new(struct event_base *base, int threads, int queue_max,
    unsigned long long opslimit, size_t memlimit);
/* 0 queued; -1: queue full (or out of memory), cb will not be called. */
int	hashpool_hash(struct hashpool *, const char *password, hashpool_cb, void *arg);
int	hashpool_verify(struct hashpool *, const char *encoded, const char *password,
	    hashpool_cb, void *arg);
/*
 * A verify against a fixed dummy hash, same cost: for unknown emails, so the
 * answer's timing does not reveal whether the account exists.  Always 0
 * (no match) unless -1.
 */
int	hashpool_verify_dummy(struct hashpool *, const char *password, hashpool_cb,
	    void *arg);
/* Jobs waiting for a thread now (for /metrics and the bench). */
int	hashpool_queued(struct hashpool *);
/*
 * Joins the threads (a hash in progress is finished first); every callback
 * not yet made is made now with ok = -1.  Not from inside a callback.
 */
void	hashpool_free(struct hashpool *);

#endif

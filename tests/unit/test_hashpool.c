/*
 * The hash pool on a real event loop: hashes complete, verifies tell
 * right from wrong, the queue is bounded, shutdown answers every caller,
 * and the loop keeps running a timer while the threads hash.
 */
#include <event2/event.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "unit.h"

#include "shell/hashpool.h"

/* Cheap for tests: the cost does not change what is being tested. */
#define OPS	1
#define MEM	(8u * 1024 * 1024)

struct tally {
	struct event_base *base;
	int	 done, ok, no, failed;
	int	 want;			/* break the loop at this many */
	int	 ticks_at_first, ticks_at_last;
	int	*ticks;
	char	 encoded[crypto_pwhash_STRBYTES];
};

static void
on_done(int ok, const char *result, void *arg)
{
	struct tally *t = arg;

	if (t->ticks != NULL) {
		if (t->done == 0)
			t->ticks_at_first = *t->ticks;
		t->ticks_at_last = *t->ticks;
	}
	t->done++;
	if (ok == 1) {
		t->ok++;
		if (result != NULL)
			snprintf(t->encoded, sizeof(t->encoded), "%s", result);
	} else if (ok == 0) {
		t->no++;
	} else {
		t->failed++;
	}
	if (t->done == t->want)
		event_base_loopbreak(t->base);
}

static void
run(struct event_base *base)
{
	/* A safety net: a lost wake-up fails the test instead of hanging it. */
	struct timeval limit = { 120, 0 };

	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
}

START_TEST(test_twenty_hashes_on_two_threads)
{
	struct event_base *base = event_base_new();
	struct hashpool *p = hashpool_new(base, 2, 32, OPS, MEM);
	struct tally t = { .base = base, .want = 20 };
	char pw[32];

	ck_assert_ptr_nonnull(p);
	for (int i = 0; i < 20; i++) {
		snprintf(pw, sizeof(pw), "password number %02d", i);
		ck_assert_int_eq(hashpool_hash(p, pw, on_done, &t), 0);
	}
	run(base);
	ck_assert_int_eq(t.done, 20);
	ck_assert_int_eq(t.ok, 20);
	/*
	 * The last answer's string is a real Argon2id hash of one of the 20
	 * passwords (which one finished last depends on the threads).
	 */
	ck_assert(strncmp(t.encoded, "$argon2id$v=19$m=8192,t=1,p=1$", 30) == 0);
	int matches = 0;
	for (int i = 0; i < 20; i++) {
		snprintf(pw, sizeof(pw), "password number %02d", i);
		matches += crypto_pwhash_str_verify(t.encoded, pw, strlen(pw)) == 0;
	}
	ck_assert_int_eq(matches, 1);
	hashpool_free(p);
	event_base_free(base);
}
END_TEST

/* Runs the loop until the tallies have n answers between them. */
static void
wait_answers(struct event_base *base, struct tally *const *t, int count, int n)
{
	for (;;) {
		int sum = 0;

		for (int i = 0; i < count; i++)
			sum += t[i]->done;
		if (sum >= n)
			return;
		event_base_loop(base, EVLOOP_ONCE);
	}
}

START_TEST(test_verify_right_wrong_dummy)
{
	struct event_base *base = event_base_new();
	struct hashpool *p = hashpool_new(base, 2, 8, OPS, MEM);
	struct tally h = { .base = base, .want = 1 };
	struct tally right = { .base = base, .want = -1 };
	struct tally wrong = right, dummy = right, corrupt = right, empty = right;
	struct tally *all[] = { &right, &wrong, &dummy, &corrupt, &empty };

	hashpool_hash(p, "correct horse battery staple", on_done, &h);
	run(base);
	ck_assert_int_eq(h.ok, 1);
	ck_assert_int_eq(hashpool_verify(p, h.encoded, "correct horse battery staple",
	    on_done, &right), 0);
	ck_assert_int_eq(hashpool_verify(p, h.encoded, "correct horse battery stapl",
	    on_done, &wrong), 0);
	ck_assert_int_eq(hashpool_verify_dummy(p, "correct horse battery staple",
	    on_done, &dummy), 0);
	ck_assert_int_eq(hashpool_verify(p, "not a hash", "whatever it is",
	    on_done, &corrupt), 0);
	ck_assert_int_eq(hashpool_verify(p, h.encoded, "", on_done, &empty), 0);
	wait_answers(base, all, N(all), N(all));
	ck_assert_int_eq(right.ok, 1);
	ck_assert_int_eq(wrong.no, 1);
	ck_assert_int_eq(dummy.no, 1);
	ck_assert_int_eq(corrupt.failed, 1);
	ck_assert_int_eq(empty.no, 1);
	hashpool_free(p);
	event_base_free(base);
}
END_TEST

START_TEST(test_queue_is_bounded_and_free_answers_all)
{
	struct event_base *base = event_base_new();
	/*
	 * One thread, two waiting: the rest of a burst is refused at once.
	 * Dear hashes (a few hundred ms), so that the thread is still on its
	 * first while the burst is submitted, however busy the machine.
	 */
	struct hashpool *p = hashpool_new(base, 1, 2, 4, 32u * 1024 * 1024);
	struct tally t = { .base = base, .want = -1 };
	int accepted = 0, refused = 0;

	for (int i = 0; i < 10; i++) {
		if (hashpool_hash(p, "a burst of sign-ins", on_done, &t) == 0)
			accepted++;
		else
			refused++;
	}
	/*
	 * 2 queued, plus 1 if the thread took one before the queue filled (and
	 * one more for each hash finished meanwhile, which a machine would need
	 * to stall this loop for a second to see).
	 */
	ck_assert_int_ge(accepted, 2);
	ck_assert_int_le(accepted, 4);
	ck_assert_int_eq(accepted + refused, 10);
	ck_assert_int_le(hashpool_queued(p), 2);
	/* Shutdown now: every accepted job gets its callback, none twice. */
	hashpool_free(p);
	ck_assert_int_eq(t.done, accepted);
	ck_assert_int_eq(t.failed, accepted);
	event_base_free(base);
}
END_TEST

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	(*(int *)arg)++;
}

START_TEST(test_loop_runs_while_hashing)
{
	struct event_base *base = event_base_new();
	/*
	 * Dearer than OPS and MEM: each hash takes tens of milliseconds, ten
	 * rounds of two, so a 5 ms timer fires many times in between.
	 */
	struct hashpool *p = hashpool_new(base, 2, 64, 2, 16u * 1024 * 1024);
	int ticks = 0;
	struct tally t = { .base = base, .want = 20, .ticks = &ticks };
	struct timeval every = { 0, 5000 };
	struct event *tick = event_new(base, -1, EV_PERSIST, on_tick, &ticks);

	event_add(tick, &every);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(hashpool_hash(p, "while the loop runs", on_done, &t), 0);
	run(base);
	ck_assert_int_eq(t.ok, 20);
	/*
	 * Hashing on the loop would have run all 20 before the first tick,
	 * or between ticks; off the loop the timer keeps firing between the
	 * first answer and the last.  Not under valgrind (tools/valgrind-unit
	 * sets MARACD_VALGRIND), which runs one thread at a time as it
	 * pleases: there it checks memory, not scheduling.
	 */
	if (getenv("MARACD_VALGRIND") == NULL)
		ck_assert_msg(t.ticks_at_last - t.ticks_at_first >= 5,
		    "only %d ticks between the first and the last answer",
		    t.ticks_at_last - t.ticks_at_first);
	event_free(tick);
	hashpool_free(p);
	event_base_free(base);
}
END_TEST

START_TEST(test_bad_parameters)
{
	struct event_base *base = event_base_new();

	ck_assert_ptr_null(hashpool_new(base, 0, 8, OPS, MEM));
	ck_assert_ptr_null(hashpool_new(base, 65, 8, OPS, MEM));
	ck_assert_ptr_null(hashpool_new(base, 1, 0, OPS, MEM));
	ck_assert_ptr_null(hashpool_new(base, 1, 8, 0, MEM));
	hashpool_free(NULL);
	event_base_free(base);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("hashpool", &tc);

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_twenty_hashes_on_two_threads);
	tcase_add_test(tc, test_verify_right_wrong_dummy);
	tcase_add_test(tc, test_queue_is_bounded_and_free_answers_all);
	tcase_add_test(tc, test_loop_runs_while_hashing);
	tcase_add_test(tc, test_bad_parameters);
	return unit_run(s);
}

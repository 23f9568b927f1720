/*
 * Worker threads take jobs from a FIFO (mutex and condition variable),
 * run crypto_pwhash_str or crypto_pwhash_str_verify, and put the job on
 * the done list; the first job to land on an empty done list writes one
 * byte to a socketpair, and the loop, woken by it, runs the callbacks.
 * Plain libevent (no evthread): the loop never sees another thread.
 */
#include "shell/hashpool.h"

#include <event2/event.h>
#include <event2/util.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_THREADS 64
#define HASH_NICE 10	/* how far behind the loop the hash threads run */

enum job_kind { JOB_HASH, JOB_VERIFY };

struct job {
	struct job	*next;
	enum job_kind	 kind;
	char		*password;	/* wiped and freed once used */
	size_t		 password_len;
	char		*encoded;	/* verify: the stored hash */
	hashpool_cb	 cb;
	void		*arg;
	int		 ok;
	char		 result[crypto_pwhash_STRBYTES];
};

struct job_list {
	struct job	*head, *tail;
	int		 n;
};

struct hashpool {
	struct event_base *base;
	unsigned long long opslimit;
	size_t		 memlimit;
	int		 queue_max;
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* signalled when todo grows or on stop */
	struct job_list	 todo;		/* under lock */
	struct job_list	 done;		/* under lock */
	bool		 stopping;	/* under lock */
	pthread_t	 threads[MAX_THREADS];
	int		 nthreads;
	evutil_socket_t	 wake[2];	/* [1] written by workers, [0] read by the loop */
	struct event	*wake_ev;
	/* An Argon2id string of the pool's cost that no password matches. */
	char		 dummy[crypto_pwhash_STRBYTES];
};

static void
list_push(struct job_list *l, struct job *j)
{
	j->next = NULL;
	if (l->tail != NULL)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	l->n++;
}

static struct job *
list_pop(struct job_list *l)
{
	struct job *j = l->head;

	if (j != NULL) {
		l->head = j->next;
		if (l->head == NULL)
			l->tail = NULL;
		l->n--;
	}
	return j;
}

static void
job_wipe(struct job *j)
{
	if (j->password != NULL) {
		sodium_memzero(j->password, j->password_len);
		free(j->password);
		j->password = NULL;
	}
}

static void
job_free(struct job *j)
{
	job_wipe(j);
	free(j->encoded);
	sodium_memzero(j->result, sizeof(j->result));
	free(j);
}

static void
job_run(struct hashpool *p, struct job *j)
{
	if (j->kind == JOB_HASH) {
		j->ok = crypto_pwhash_str(j->result, j->password, j->password_len,
		    p->opslimit, p->memlimit) == 0 ? 1 : -1;
	} else if (strncmp(j->encoded, "$argon2", 7) != 0) {
		j->ok = -1;	/* not a hash at all: a corrupt row, not a wrong password */
	} else {
		j->ok = crypto_pwhash_str_verify(j->encoded, j->password,
		    j->password_len) == 0 ? 1 : 0;
	}
	job_wipe(j);
}

static void *
worker(void *arg)
{
	struct hashpool *p = arg;
	struct job *j;
	bool was_empty;
	char byte = 1;

	/*
	 * Behind the loop for the CPU: on a small machine the hash threads
	 * would otherwise take their share of every core while the loop has a
	 * request waiting.  Linux applies nice per thread; lowering one's own
	 * needs no privilege, and if it fails the pool works as before.
	 */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), HASH_NICE);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stopping && p->todo.n == 0)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stopping)
			break;
		j = list_pop(&p->todo);
		pthread_mutex_unlock(&p->lock);
		job_run(p, j);
		pthread_mutex_lock(&p->lock);
		was_empty = p->done.n == 0;
		list_push(&p->done, j);
		/*
		 * One byte per batch: the loop takes the whole done list when
		 * it wakes, so the socket never fills however many finish.
		 */
		if (was_empty)
			(void)send(p->wake[1], &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Runs the callbacks of every finished job; ok forced to -1 when failing. */
static void
deliver(struct job_list *l, bool failing)
{
	struct job *j;

	while ((j = list_pop(l)) != NULL) {
		int ok = failing ? -1 : j->ok;

		j->cb(ok, ok == 1 && j->kind == JOB_HASH ? j->result : NULL, j->arg);
		job_free(j);
	}
}

static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct hashpool *p = arg;
	struct job_list batch;
	char buf[64];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	pthread_mutex_lock(&p->lock);
	batch = p->done;
	p->done = (struct job_list){ NULL, NULL, 0 };
	pthread_mutex_unlock(&p->lock);
	deliver(&batch, false);
}

/*
 * "$argon2id$v=19$m=KiB,t=ops,p=1$salt$hash" with random salt and hash:
 * verifying against it costs what verifying a real hash of the pool's cost
 * does, and matches nothing (it would take a preimage of random bytes).
 */
static void
make_dummy(struct hashpool *p)
{
	unsigned char salt[crypto_pwhash_SALTBYTES], hash[32];
	char salt64[sodium_base64_ENCODED_LEN(sizeof(salt),
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	char hash64[sodium_base64_ENCODED_LEN(sizeof(hash),
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];

	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(hash, sizeof(hash));
	sodium_bin2base64(salt64, sizeof(salt64), salt, sizeof(salt),
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	sodium_bin2base64(hash64, sizeof(hash64), hash, sizeof(hash),
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	snprintf(p->dummy, sizeof(p->dummy), "$argon2id$v=19$m=%zu,t=%llu,p=1$%s$%s",
	    p->memlimit / 1024, p->opslimit, salt64, hash64);
}

struct hashpool *
hashpool_new(struct event_base *base, int threads, int queue_max,
    unsigned long long opslimit, size_t memlimit)
{
	struct hashpool *p;

	if (threads < 1 || threads > MAX_THREADS || queue_max < 1 ||
	    opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_MAX ||
	    memlimit < crypto_pwhash_MEMLIMIT_MIN || sodium_init() < 0)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->base = base;
	p->opslimit = opslimit;
	p->memlimit = memlimit;
	p->queue_max = queue_max;
	p->wake[0] = p->wake[1] = -1;
	make_dummy(p);
	if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p->wake) != 0 ||
	    evutil_make_socket_nonblocking(p->wake[0]) != 0 ||
	    evutil_make_socket_nonblocking(p->wake[1]) != 0 ||
	    evutil_make_socket_closeonexec(p->wake[0]) != 0 ||
	    evutil_make_socket_closeonexec(p->wake[1]) != 0 ||
	    (p->wake_ev = event_new(base, p->wake[0], EV_READ | EV_PERSIST,
	    on_wake, p)) == NULL || event_add(p->wake_ev, NULL) != 0)
		goto fail;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	for (; p->nthreads < threads; p->nthreads++)
		if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0)
			break;
	if (p->nthreads == 0) {
		hashpool_free(p);
		return NULL;
	}
	return p;
fail:
	if (p->wake_ev != NULL)
		event_free(p->wake_ev);
	if (p->wake[0] >= 0)
		evutil_closesocket(p->wake[0]);
	if (p->wake[1] >= 0)
		evutil_closesocket(p->wake[1]);
	free(p);
	return NULL;
}

static int
submit(struct hashpool *p, enum job_kind kind, const char *encoded,
    const char *password, hashpool_cb cb, void *arg)
{
	struct job *j;
	int rc = -1;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	j->kind = kind;
	j->cb = cb;
	j->arg = arg;
	j->password_len = strlen(password);
	if ((j->password = malloc(j->password_len + 1)) == NULL ||
	    (encoded != NULL && (j->encoded = strdup(encoded)) == NULL)) {
		job_free(j);
		return -1;
	}
	memcpy(j->password, password, j->password_len + 1);
	pthread_mutex_lock(&p->lock);
	if (!p->stopping && p->todo.n < p->queue_max) {
		list_push(&p->todo, j);
		pthread_cond_signal(&p->work);
		rc = 0;
	}
	pthread_mutex_unlock(&p->lock);
	if (rc != 0)
		job_free(j);
	return rc;
}

int
hashpool_hash(struct hashpool *p, const char *password, hashpool_cb cb, void *arg)
{
	return submit(p, JOB_HASH, NULL, password, cb, arg);
}

int
hashpool_verify(struct hashpool *p, const char *encoded, const char *password,
    hashpool_cb cb, void *arg)
{
	return submit(p, JOB_VERIFY, encoded, password, cb, arg);
}

int
hashpool_verify_dummy(struct hashpool *p, const char *password, hashpool_cb cb,
    void *arg)
{
	return submit(p, JOB_VERIFY, p->dummy, password, cb, arg);
}

int
hashpool_queued(struct hashpool *p)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->todo.n;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void
hashpool_free(struct hashpool *p)
{
	struct job_list todo, done;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	/* The threads are gone: the lists are ours without the lock. */
	todo = p->todo;
	done = p->done;
	p->todo = p->done = (struct job_list){ NULL, NULL, 0 };
	deliver(&done, true);
	deliver(&todo, true);
	event_free(p->wake_ev);
	evutil_closesocket(p->wake[0]);
	evutil_closesocket(p->wake[1]);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	sodium_memzero(p->dummy, sizeof(p->dummy));
	free(p);
}

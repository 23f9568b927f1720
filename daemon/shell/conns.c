#include "shell/conns.h"
#include "shell/log.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#define SWEEP_MS 100

struct tracked {
	struct bufferevent	*bev;
	struct sockaddr_storage	 addr;		/* the peer, once known */
	socklen_t		 addrlen;	/* 0: not known yet */
	time_t			 born;
	bool			 retiring;	/* old: its next answer closes it */
	bool			 closing;
};

struct conns {
	struct event_base	*base;
	struct evhttp		*evh;
	struct evhttp_bound_socket *bound;
	SSL_CTX			*tls;
	struct event		*sweep;
	struct tracked		*t;
	int			 n, cap;
	int			 max, max_age, grace, per_address;
	bool			 paused;
	int			 refused;	/* over per_address, this sweep */
};

static time_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
listener_pause(struct conns *c, bool pause)
{
	struct evconnlistener *l;

	if (c->bound == NULL || c->paused == pause)
		return;
	l = evhttp_bound_socket_get_listener(c->bound);
	if (pause) {
		evconnlistener_disable(l);
		log_warn("http: %d connections, at max_connections: not accepting", c->n);
	} else {
		evconnlistener_enable(l);
		log_info("http: accepting connections again (%d open)", c->n);
	}
	c->paused = pause;
}

static bool
same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
	return false;
}

/*
 * A connection whose peer is newly known is counted against the others
 * from the same host; past per_address it is shut down at once (evhttp
 * sees end of file and frees it), before it has cost more than a socket.
 */
static void
limit_per_address(struct conns *c, struct tracked *t)
{
	evutil_socket_t s = bufferevent_getfd(t->bev);
	int same = 0;

	if (s < 0)
		return;
	t->addrlen = sizeof(t->addr);
	if (getpeername(s, (struct sockaddr *)&t->addr, &t->addrlen) != 0) {
		t->addrlen = 0;
		return;
	}
	if (c->per_address <= 0)
		return;
	for (int i = 0; i < c->n; i++)
		if (&c->t[i] != t && c->t[i].addrlen != 0 && !c->t[i].closing &&
		    same_host(&c->t[i].addr, &t->addr))
			same++;
	if (same < c->per_address)
		return;
	shutdown(s, SHUT_RDWR);
	t->closing = true;
	c->refused++;
}

/* evhttp frees a connection's bufferevent with its callbacks cleared. */
static bool
released(struct bufferevent *bev)
{
	bufferevent_data_cb rd = NULL, wr = NULL;
	bufferevent_event_cb ev = NULL;

	bufferevent_getcb(bev, &rd, &wr, &ev, NULL);
	return rd == NULL && wr == NULL && ev == NULL;
}

static void
sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conns *c = arg;
	time_t now = mono_now();

	(void)fd;
	(void)what;
	for (int i = 0; i < c->n; ) {
		struct tracked *t = &c->t[i];

		if (released(t->bev)) {
			bufferevent_decref(t->bev);
			c->t[i] = c->t[--c->n];
			continue;
		}
		if (t->addrlen == 0 && !t->closing)
			limit_per_address(c, t);
		/*
		 * At max_age a connection is retired: its next answer says
		 * Connection: close, so a request in flight is not cut off.
		 * One that sends no complete request (a slow-loris) is shut
		 * down grace (request_timeout) seconds later.
		 */
		if (now - t->born >= c->max_age)
			t->retiring = true;
		if (!t->closing && now - t->born >= (time_t)c->max_age + c->grace) {
			evutil_socket_t s = bufferevent_getfd(t->bev);

			/* evhttp sees end of file and frees the connection itself. */
			if (s >= 0)
				shutdown(s, SHUT_RDWR);
			t->closing = true;
		}
		i++;
	}
	if (c->refused > 0) {
		log_info("http: %d connection(s) closed: over max_connections_per_address",
		    c->refused);
		c->refused = 0;
	}
	if (c->n < c->max)
		listener_pause(c, false);
}

static struct bufferevent *
bev_new(struct event_base *base, void *arg)
{
	struct conns *c = arg;
	struct bufferevent *bev;

	if (c->tls != NULL) {
		SSL *ssl = SSL_new(c->tls);

		bev = ssl == NULL ? NULL : bufferevent_openssl_socket_new(base, -1,
		    ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	} else {
		bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	}
	if (bev == NULL)
		return NULL;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 64;
		struct tracked *t = realloc(c->t, (size_t)cap * sizeof(*t));

		if (t == NULL)
			return bev;	/* untracked, but served */
		c->t = t;
		c->cap = cap;
	}
	bufferevent_incref(bev);
	c->t[c->n].bev = bev;
	c->t[c->n].addrlen = 0;
	c->t[c->n].born = mono_now();
	c->t[c->n].retiring = false;
	c->t[c->n].closing = false;
	c->n++;
	if (c->n >= c->max)
		listener_pause(c, true);
	return bev;
}

struct conns *
conns_new(struct event_base *base, struct evhttp *evh, int max_connections,
    int max_age)
{
	struct conns *c = calloc(1, sizeof(*c));
	struct timeval tv = { 0, SWEEP_MS * 1000 };

	if (c == NULL)
		return NULL;
	c->base = base;
	c->evh = evh;
	c->max = max_connections;
	c->max_age = max_age;
	c->sweep = event_new(base, -1, EV_PERSIST, sweep_cb, c);
	if (c->sweep == NULL) {
		free(c);
		return NULL;
	}
	event_add(c->sweep, &tv);
	evhttp_set_bevcb(evh, bev_new, c);
	return c;
}

const char *
conns_enable_tls(struct conns *c, const char *cert, const char *key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL)
		return "cannot create a TLS context";
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		SSL_CTX_free(ctx);
		return "cannot read tls_cert";
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		return "cannot read tls_key, or it does not match tls_cert";
	}
	c->tls = ctx;
	return NULL;
}

void
conns_set_listener(struct conns *c, struct evhttp_bound_socket *bound)
{
	c->bound = bound;
	c->paused = false;
}

void
conns_set_limits(struct conns *c, int max_connections, int max_age, int grace,
    int per_address)
{
	c->per_address = per_address;
	c->max = max_connections;
	c->max_age = max_age;
	c->grace = grace;
	listener_pause(c, c->n >= c->max);
}

bool
conns_retiring(const struct conns *c, const struct bufferevent *bev)
{
	for (int i = 0; i < c->n; i++)
		if (c->t[i].bev == bev)
			return c->t[i].retiring;
	return false;
}

int
conns_count(const struct conns *c)
{
	return c->n;
}

void
conns_free(struct conns *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->n; i++)
		bufferevent_decref(c->t[i].bev);
	free(c->t);
	event_free(c->sweep);
	if (c->tls != NULL)
		SSL_CTX_free(c->tls);
	free(c);
}

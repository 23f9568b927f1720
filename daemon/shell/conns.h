/*
 * Client connections: how many there are, how old, and TLS.
 *
 * libevent 2.1's evhttp has no connection limit and no hook when a
 * connection ends, so every connection's bufferevent is made here (the
 * evhttp bevcb) and held by one extra reference.  A sweep notices the
 * ones evhttp has let go (their callbacks are cleared on free), drops
 * them, and closes connections older than max_connection_age.  At
 * max_connections the listening socket stops accepting: new clients wait
 * in the kernel's backlog rather than being refused.
 */
#ifndef MARACD_CONNS_H
#define MARACD_CONNS_H

#include <stdbool.h>

struct evhttp;
struct evhttp_bound_socket;
struct event_base;
struct conns;

struct conns *conns_new(struct event_base *base, struct evhttp *evh,
	    int max_connections, int max_age);
/* NULL or the reason TLS could not be set up. */
const char *conns_enable_tls(struct conns *c, const char *cert, const char *key);
void	conns_set_listener(struct conns *c, struct evhttp_bound_socket *bound);
void	conns_set_limits(struct conns *c, int max_connections, int max_age);
int	conns_count(const struct conns *c);
void	conns_free(struct conns *c);

#endif

/*
 * Client connections: how many there are, how old, and TLS.
 *
 * libevent 2.1's evhttp has no connection limit and no hook when a
 * connection ends, so every connection's bufferevent is made here (the
 * evhttp bevcb) and held by one extra reference.  A sweep notices the
 * ones evhttp has let go (their callbacks are cleared on free), drops
 * them, and retires connections older than max_connection_age: the next
 * answer on one closes it, and one still open request_timeout later is
 * shut down.  At
 * max_connections the listening socket stops accepting: new clients wait
 * in the kernel's backlog rather than being refused.  So that one address
 * cannot fill max_connections with idle sockets and make every other
 * client wait, the sweep also closes the connections an address holds
 * beyond max_connections_per_address, newest first.
 */
#ifndef MARACD_CONNS_H
#define MARACD_CONNS_H

#include <stdbool.h>

struct bufferevent;
struct evhttp;
struct evhttp_bound_socket;
struct event_base;
struct conns;

struct conns *conns_new(struct event_base *base, struct evhttp *evh,
	    int max_connections, int max_age);
/* NULL or the reason TLS could not be set up. */
const char *conns_enable_tls(struct conns *c, const char *cert, const char *key);
void	conns_set_listener(struct conns *c, struct evhttp_bound_socket *bound);
/*
 * grace: seconds a retired connection may still take to be answered;
 * per_address: connections one client address may hold (0: no limit).
 */
void	conns_set_limits(struct conns *c, int max_connections, int max_age,
	    int grace, int per_address);
/* Whether the connection of bev is past max_connection_age. */
bool	conns_retiring(const struct conns *c, const struct bufferevent *bev);
int	conns_count(const struct conns *c);
void	conns_free(struct conns *c);

#endif

/*
 * bench/ingest: POST /v1/referrals to a running maracd over keep-alive
 * connections and report referrals/s and latency (see load.h).
 *
 *   ingest [-c CONNS] [-d SECONDS] [-w WARMUP] [-r RATE] [-t RUNTAG] \
 *       HOST PORT TOKENFILE
 *
 * Plain blocking sockets, one thread per connection, HTTP/1.1 with
 * Content-Length both ways (maracd answers with Content-Length); a
 * "Connection: close" answer makes the connection reconnect.
 */
#include "load.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct target {
	struct sockaddr_in	 addr;
	char			 host[64];
	int			 port;
	char			 token[256];
};

struct conn {
	const struct target	*t;
	int			 fd;
	char			 req[16384];
	char			 in[65536];
	size_t			 inlen;
	int			 errors_shown;
};

static int
conn_open(struct conn *c)
{
	int one = 1;

	if (c->fd >= 0)
		close(c->fd);
	c->inlen = 0;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (const struct sockaddr *)&c->t->addr, sizeof(c->t->addr)) != 0) {
		perror("ingest: connect");
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static void *
open_conn(int thread, void *arg)
{
	struct conn *c = calloc(1, sizeof(*c));

	(void)thread;
	if (c == NULL)
		return NULL;
	c->t = arg;
	c->fd = -1;
	if (conn_open(c) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

static void
close_conn(void *st)
{
	struct conn *c = st;

	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Reads one response: status, whether the server will close, the body.
 * Bytes past it (none with one request at a time) are dropped.
 */
static int
read_response(struct conn *c, int *status, int *closing, char **body, size_t *blen)
{
	char *eoh = NULL, *p;
	size_t clen = 0, hlen;
	ssize_t r;

	c->inlen = 0;
	for (;;) {
		if (c->inlen > 0) {
			c->in[c->inlen] = '\0';
			eoh = strstr(c->in, "\r\n\r\n");
			if (eoh != NULL)
				break;
		}
		if (c->inlen + 1 >= sizeof(c->in))
			return -1;
		r = recv(c->fd, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen, 0);
		if (r <= 0)
			return -1;
		c->inlen += (size_t)r;
	}
	hlen = (size_t)(eoh - c->in) + 4;
	if (sscanf(c->in, "HTTP/1.%*d %d", status) != 1)
		return -1;
	*closing = 0;
	for (p = strstr(c->in, "\r\n"); p != NULL && p < eoh; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, "Content-Length:", 15) == 0)
			clen = strtoul(p + 17, NULL, 10);
		else if (strncasecmp(p + 2, "Connection: close", 17) == 0)
			*closing = 1;
	}
	if (hlen + clen >= sizeof(c->in))
		return -1;
	while (c->inlen < hlen + clen) {
		r = recv(c->fd, c->in + c->inlen, hlen + clen - c->inlen, 0);
		if (r <= 0)
			return -1;
		c->inlen += (size_t)r;
	}
	c->in[hlen + clen] = '\0';
	*body = c->in + hlen;
	*blen = clen;
	return 0;
}

static enum load_result
post(void *st, const char *body, size_t len, enum gen_kind kind, unsigned *outcome)
{
	struct conn *c = st;
	int status, closing, n;
	char *rb;
	size_t rl;

	n = snprintf(c->req, sizeof(c->req), "POST /v1/referrals HTTP/1.1\r\n"
	    "Host: %s:%d\r\nAuthorization: Bearer %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%.*s",
	    c->t->host, c->t->port, c->t->token, len, (int)len, body);
	if (n <= 0 || (size_t)n >= sizeof(c->req))
		return LOAD_ERROR;
	if (c->fd < 0 && conn_open(c) != 0)
		return LOAD_ERROR;
	if (send_all(c->fd, c->req, (size_t)n) != 0 ||
	    read_response(c, &status, &closing, &rb, &rl) != 0) {
		/* A keep-alive connection the server closed: once more, fresh. */
		if (conn_open(c) != 0 || send_all(c->fd, c->req, (size_t)n) != 0 ||
		    read_response(c, &status, &closing, &rb, &rl) != 0)
			return LOAD_ERROR;
	}
	if (closing) {
		close(c->fd);
		c->fd = -1;
	}
	if (status == 201) {
		if (strstr(rb, "\"status\":\"below_threshold\""))
			*outcome |= OUT_BELOW;
		else if (strstr(rb, "\"forum\":\"marac\""))
			*outcome |= OUT_MARAC;
		else if (strstr(rb, "\"forum\":\"masc\""))
			*outcome |= OUT_MASC;
		if (strstr(rb, "\"repeat\":true"))
			*outcome |= OUT_REPEAT;
		if (strstr(rb, "\"review\":true"))
			*outcome |= OUT_REVIEW;
		return LOAD_CREATED;
	}
	if (status == 422 && kind == GEN_UNDER16 && strstr(rb, "victim_under_16"))
		return LOAD_REFUSED;
	if (status == 200)
		return LOAD_DUPLICATE;
	if (c->errors_shown++ < 3)
		fprintf(stderr, "ingest: %s referral answered %d: %.300s\n",
		    gen_kind_name(kind), status, rb);
	return LOAD_ERROR;
}

int
main(int argc, char **argv)
{
	static const char usage[] = "ingest [-c CONNS] [-d SECONDS] [-w WARMUP] "
	    "[-r RATE] [-t RUNTAG] [-q] HOST PORT TOKENFILE";
	struct load_ops ops = { "maracd", open_conn, post, close_conn };
	struct load_opts o;
	struct target t;
	FILE *f;
	int i = load_args(argc, argv, &o, usage);

	if (argc - i != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	memset(&t, 0, sizeof(t));
	snprintf(t.host, sizeof(t.host), "%s", argv[i]);
	t.port = atoi(argv[i + 1]);
	t.addr.sin_family = AF_INET;
	t.addr.sin_port = htons((uint16_t)t.port);
	if (inet_pton(AF_INET, t.host, &t.addr.sin_addr) != 1) {
		fprintf(stderr, "ingest: %s is not an IPv4 address\n", t.host);
		return 2;
	}
	if ((f = fopen(argv[i + 2], "r")) == NULL || fgets(t.token, sizeof(t.token), f) == NULL) {
		perror(argv[i + 2]);
		return 2;
	}
	fclose(f);
	t.token[strcspn(t.token, "\r\n")] = '\0';
	return load_run(&ops, &t, &o);
}

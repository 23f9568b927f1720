/*
 * evhttp, made safe to face the outside: limits on headers, bodies and
 * time; one routing table; JSON errors; no-store and nosniff on every
 * answer; and request structs that survive a client who hangs up while
 * the database is still working for it.
 */
#include "shell/http.h"
#include "shell/app.h"
#include "shell/assets.h"
#include "shell/auth.h"
#include "shell/conns.h"
#include "shell/db.h"
#include "shell/log.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>

struct http_server {
	struct app		*app;
	struct evhttp		*evh;
	struct evhttp_bound_socket *bound;
	struct conns		*conns;
	const struct http_route	*routes;
	const struct http_pages	*pages;		/* or NULL */
	int			 inflight;
	int			 max_body_size;
	bool			 tls;		/* maracd serves TLS itself */
};

static const char *
status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Server Error" : "Status";
	}
}

static void
req_free(struct http_req *r)
{
	r->server->inflight--;
	/* An answer that was not a commit leaves nothing behind. */
	if (r->txn != NULL)
		db_finish(r->txn, false, NULL, NULL);
	free(r->commit_body);
	if (r->page_state != NULL)
		r->page_free(r->page_state);
	if (r->pre != NULL)
		r->pre_free(r->pre);
	for (int i = 0; i < r->nparams; i++)
		free(r->params[i]);
	if (r->query != NULL) {
		evhttp_clear_headers(r->query);
		free(r->query);
	}
	free(r->body);
	free((char *)r->path);
	free(r);
}

/* The client went away before we answered: remember it, answer nobody. */
static void
conn_closed(struct evhttp_connection *conn, void *arg)
{
	struct http_req *r = arg;

	(void)conn;
	r->ev = NULL;
}

static void
req_detach(struct http_req *r)
{
	if (r->ev != NULL)
		evhttp_connection_set_closecb(evhttp_request_get_connection(r->ev),
		    NULL, NULL);
}

/* Past max_connection_age: this answer is the connection's last. */
static bool
retiring(struct http_req *r)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);

	return evcon != NULL && r->server->conns != NULL &&
	    conns_retiring(r->server->conns, evhttp_connection_get_bufferevent(evcon));
}

void
http_reply_body(struct http_req *r, int status, const char *content_type,
    const char *data, size_t len)
{
	struct evkeyvalq *h;
	struct evbuffer *buf;

	if (r->ev == NULL) {
		log_debug("http: %s client gone before the %d answer", r->id, status);
		req_free(r);
		return;
	}
	req_detach(r);
	h = evhttp_request_get_output_headers(r->ev);
	evhttp_add_header(h, "Content-Type", content_type);
	/* Nothing is cached unless its handler says so (assets.c does). */
	if (evhttp_find_header(h, "Cache-Control") == NULL)
		evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	/* Pages set their own (shell/web.c: their forms must carry an Origin). */
	if (evhttp_find_header(h, "Referrer-Policy") == NULL)
		evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "X-Request-Id", r->id);
	if (status == 401)
		evhttp_add_header(h, "WWW-Authenticate", "Bearer");
	/*
	 * Over TLS, browsers are told to use nothing else for a year: a first
	 * visit by plain HTTP (a typed address, an old link) would otherwise
	 * be open to a downgrade.  Behind a TLS proxy it is the proxy's header.
	 */
	if (r->server->tls)
		evhttp_add_header(h, "Strict-Transport-Security", "max-age=31536000");
	/* Pages set their own (shell/web.c); exports get this one. */
	if (strncmp(content_type, "text/html", 9) == 0 &&
	    evhttp_find_header(h, "Content-Security-Policy") == NULL)
		evhttp_add_header(h, "Content-Security-Policy",
		    "default-src 'none'; style-src 'unsafe-inline'; "
		    "img-src data:; frame-ancestors 'none'");
	if (r->app->stopping || retiring(r))
		evhttp_add_header(h, "Connection", "close");
	buf = evbuffer_new();
	if (buf != NULL)
		evbuffer_add(buf, data, len);
	evhttp_send_reply(r->ev, status, status_reason(status), buf);
	if (buf != NULL)
		evbuffer_free(buf);
	log_debug("http: %s %d", r->id, status);
	req_free(r);
}

/*
 * The headers a handler added were for a client of the API (a Location,
 * a Retry-After, an agenda's version): a page that called it answers with
 * its own, so they all go.  All but the session's cookie, which is the
 * browser's whichever answer carries it (signing in by a page), and a
 * Connection: close the server decided on.
 */
static void
drop_handler_headers(struct http_req *r)
{
	struct evkeyvalq *h;
	struct evkeyval *kv;
	char name[64];

	if (r->ev == NULL)
		return;
	h = evhttp_request_get_output_headers(r->ev);
	for (;;) {
		for (kv = h->tqh_first; kv != NULL; kv = kv->next.tqe_next)
			if (strcasecmp(kv->key, "Set-Cookie") != 0 &&
			    strcasecmp(kv->key, "Connection") != 0)
				break;
		if (kv == NULL)
			return;
		snprintf(name, sizeof(name), "%s", kv->key);
		/* Removes the first of that name: this one or an earlier twin. */
		if (evhttp_remove_header(h, name) != 0)
			return;
	}
}

/*
 * A page called the handler that answers: the answer goes to the page
 * (http.h), without the handler's headers.  True when it did.
 */
static bool
to_page(struct http_req *r, int status, cJSON *body, bool commit)
{
	http_page_cb page = r->page;

	if (page == NULL)
		return false;
	drop_handler_headers(r);
	r->page = NULL;
	r->page_commit = commit;
	if (!commit && r->txn != NULL) {
		db_finish(r->txn, false, NULL, NULL);
		r->txn = NULL;
	}
	page(r, status, body);
	return true;
}

void
http_reply_json(struct http_req *r, int status, cJSON *body)
{
	char *text;

	if (to_page(r, status, body, false))
		return;
	text = body != NULL ? cJSON_PrintUnformatted(body) : NULL;

	cJSON_Delete(body);
	if (text == NULL) {
		static const char oom[] =
		    "{\"error\":\"internal\",\"message\":\"out of memory\"}";
		http_reply_body(r, 503, "application/json", oom, sizeof(oom) - 1);
		return;
	}
	http_reply_body(r, status, "application/json", text, strlen(text));
	cJSON_free(text);
}

void
http_reply_fields(struct http_req *r, int status, const char *code,
    const char *message, cJSON *fields)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error", code);
	cJSON_AddStringToObject(o, "message", message);
	if (fields != NULL)
		cJSON_AddItemToObject(o, "fields", fields);
	http_reply_json(r, status, o);
}

void
http_reply_error(struct http_req *r, int status, const char *code,
    const char *message)
{
	http_reply_fields(r, status, code, message, NULL);
}

void
http_add_header(struct http_req *r, const char *name, const char *value)
{
	if (r->ev != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), name, value);
}

static void
commit_done(bool ok, void *arg)
{
	struct http_req *r = arg;

	if (!ok) {
		log_warn("http: %s commit failed; answering 503", r->id);
		free(r->commit_body);
		r->commit_body = NULL;
		http_reply_error(r, 503, "database_unavailable",
		    "the change could not be committed; nothing was saved; retry");
		return;
	}
	http_reply_body(r, r->commit_status, r->commit_type, r->commit_body,
	    r->commit_len);
}

void
http_reply_commit_body(struct http_req *r, int status, const char *content_type,
    char *data, size_t len)
{
	struct db_txn *txn = r->txn;
	cJSON *doc;

	/* Only JSON goes to a page; a download passes through it. */
	if (r->page != NULL && strcmp(content_type, "application/json") == 0) {
		doc = cJSON_ParseWithLength(data, len);
		free(data);
		if (doc == NULL) {
			http_reply_error(r, 500, "internal_error", "an answer is not JSON");
			return;
		}
		to_page(r, status, doc, true);
		return;
	}
	r->commit_status = status;
	r->commit_type = content_type;
	r->commit_body = data;
	r->commit_len = len;
	r->txn = NULL;
	if (txn == NULL) {
		commit_done(true, r);
		return;
	}
	db_finish(txn, true, commit_done, r);
}

void
http_reply_commit(struct http_req *r, int status, cJSON *body)
{
	char *text, *copy;
	size_t len;

	if (to_page(r, status, body, true))
		return;
	text = cJSON_PrintUnformatted(body);
	len = text != NULL ? strlen(text) : 0;
	copy = text != NULL ? malloc(len + 1) : NULL;
	cJSON_Delete(body);
	if (copy == NULL) {
		cJSON_free(text);
		http_reply_error(r, 503, "out_of_memory", "try again later");
		return;
	}
	memcpy(copy, text, len + 1);
	cJSON_free(text);
	http_reply_commit_body(r, status, "application/json", copy, len);
}

const char *
http_query_get(struct http_req *r, const char *name)
{
	return r->query != NULL ? evhttp_find_header(r->query, name) : NULL;
}

static enum http_method
method_of(struct evhttp_request *ev)
{
	switch (evhttp_request_get_command(ev)) {
	case EVHTTP_REQ_GET:	return HTTP_GET;
	case EVHTTP_REQ_POST:	return HTTP_POST;
	case EVHTTP_REQ_PUT:	return HTTP_PUT;
	case EVHTTP_REQ_PATCH:	return HTTP_PATCH;
	case EVHTTP_REQ_DELETE:	return HTTP_DELETE;
	default:		return 0;
	}
}

/* Does path match pattern?  "{}" takes one non-empty segment. */
static bool
route_match(const char *pattern, const char *path, struct http_req *r)
{
	const char *p = pattern, *s = path;

	r->nparams = 0;
	while (*p != '\0' && *s != '\0') {
		if (p[0] == '{' && p[1] == '}') {
			size_t n = strcspn(s, "/");

			if (n == 0 || r->nparams == HTTP_MAX_PARAMS)
				return false;
			r->params[r->nparams] = strndup(s, n);
			if (r->params[r->nparams] == NULL)
				return false;
			r->nparams++;
			s += n;
			p += 2;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

static void
params_clear(struct http_req *r)
{
	for (int i = 0; i < r->nparams; i++) {
		free(r->params[i]);
		r->params[i] = NULL;
	}
	r->nparams = 0;
}

static bool
content_type_is(struct evhttp_request *ev, const char *want)
{
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(ev),
	    "Content-Type");
	size_t n = strlen(want);

	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int
req_read_body(struct http_req *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t len = evbuffer_get_length(in);

	r->body = malloc(len + 1);
	if (r->body == NULL)
		return -1;
	evbuffer_copyout(in, r->body, len);
	r->body[len] = '\0';
	r->body_len = len;
	return 0;
}

static void
req_identify(struct http_req *r)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(r->ev);
	unsigned char rnd[8];
	char *addr = NULL;
	ev_uint16_t port = 0;

	arc4random_buf(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(r->id + 2 * i, 3, "%02x", rnd[i]);
	evhttp_connection_get_peer(conn, &addr, &port);
	snprintf(r->peer, sizeof(r->peer), "%s", addr != NULL ? addr : "");
	evhttp_connection_set_closecb(conn, conn_closed, r);
}

static const struct http_route *
route_find(const struct http_route *routes, struct http_req *r, bool *path_known)
{
	*path_known = false;
	for (const struct http_route *rt = routes; rt->pattern != NULL; rt++) {
		if (!route_match(rt->pattern, r->path, r)) {
			params_clear(r);
			continue;
		}
		*path_known = true;
		if (rt->method == r->method)
			return rt;
		params_clear(r);
	}
	return NULL;
}

static void
dispatch(struct evhttp_request *ev, void *arg)
{
	struct http_server *s = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const struct http_route *rt;
	struct http_req *r;
	const char *qs;
	bool known, page = false;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		evhttp_send_error(ev, 503, NULL);
		return;
	}
	s->inflight++;
	r->app = s->app;
	r->server = s;
	r->ev = ev;
	r->method = method_of(ev);
	req_identify(r);
	r->path = evhttp_uridecode(evhttp_uri_get_path(uri) != NULL ?
	    evhttp_uri_get_path(uri) : "/", 0, NULL);
	if (r->path == NULL) {
		http_reply_error(r, 400, "bad_request", "the path cannot be decoded");
		return;
	}
	/* The web assets: files, not API operations; no token, no database. */
	if (strncmp(r->path, "/assets/", 8) == 0) {
		assets_serve(r);
		return;
	}
	if ((qs = evhttp_uri_get_query(uri)) != NULL) {
		r->query = calloc(1, sizeof(*r->query));
		if (r->query == NULL || evhttp_parse_query_str(qs, r->query) != 0) {
			http_reply_error(r, 400, "bad_query", "the query string is malformed");
			return;
		}
	}
	if (r->app->stopping) {
		http_reply_error(r, 503, "shutting_down", "maracd is shutting down; retry");
		return;
	}
	rt = route_find(s->routes, r, &known);
	/*
	 * Not the API's: a page's.  From here on a page's errors are pages
	 * too, and what it finds nowhere is the page "not found".
	 */
	if (rt == NULL && !known && s->pages != NULL &&
	    strncmp(r->path, "/v1/", 4) != 0) {
		r->page = s->pages->fallback;
		rt = route_find(s->pages->routes, r, &known);
		page = true;
	}
	if (rt == NULL) {
		if (known)
			http_reply_error(r, 405, "method_not_allowed",
			    "this method is not allowed on this path");
		else {
			/* The path is the client's: log_msg escapes it (core/logline.h). */
			log_debug("http: %s no route for %.200s", r->id, r->path);
			http_reply_error(r, 404, "not_found", "no such resource");
		}
		return;
	}
	if (rt->content_type != NULL && !content_type_is(ev, rt->content_type)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "the body must be %s", rt->content_type);
		http_reply_error(r, 415, "unsupported_media_type", msg);
		return;
	}
	if (r->method != HTTP_GET && evbuffer_get_length(
	    evhttp_request_get_input_buffer(ev)) > (size_t)s->max_body_size) {
		char msg[96];

		snprintf(msg, sizeof(msg), "the body is over the limit of %d bytes",
		    s->max_body_size);
		http_add_header(r, "Connection", "close");
		http_reply_error(r, 413, "body_too_large", msg);
		return;
	}
	if (req_read_body(r) != 0) {
		http_reply_error(r, 503, "out_of_memory", "try again later");
		return;
	}
	log_debug("http: %s %s %s from %s", r->id,
	    evhttp_request_get_command(ev) == EVHTTP_REQ_GET ? "GET" : "write",
	    rt->pattern, r->peer);
	r->handler = rt->handler;
	r->roles = rt->roles;
	if (page && !s->pages->prepare(r))
		return;
	if (rt->roles == 0) {
		rt->handler(r);
		return;
	}
	if (rt->prefetch != NULL)
		rt->prefetch(r);
	auth_request(r);
}

void
http_server_set_limits(struct http_server *s, const struct http_limits *l)
{
	s->max_body_size = l->max_body_size;
	/*
	 * evhttp answers bodies over its own limit with an HTML page.  Its
	 * limit is set at twice ours, so that a body just over ours is read
	 * and refused here with a JSON 413; only absurd ones (announced by
	 * Content-Length, never read) get evhttp's 413.  Memory stays bounded.
	 */
	evhttp_set_max_body_size(s->evh, (ev_ssize_t)l->max_body_size * 2);
	evhttp_set_max_headers_size(s->evh, l->max_header_size);
	evhttp_set_timeout(s->evh, l->request_timeout);
	if (s->conns != NULL)
		conns_set_limits(s->conns, l->max_connections, l->max_connection_age,
		    l->request_timeout, l->max_per_address);
}

/*
 * Answers leave in one write, so Nagle's algorithm only ever holds back
 * the last segment of a large one (an agenda: 100 kB) until the client's
 * delayed ACK, 40 ms later (bench/agenda).  Accepted sockets inherit the
 * option from the listener on Linux.
 */
static void
nodelay(struct evhttp_bound_socket *bound)
{
	int one = 1;

	if (setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof(one)) != 0)
		log_warn("http: TCP_NODELAY: %s", strerror(errno));
}

struct http_server *
http_server_new(struct app *app, const char *address, int port,
    const struct http_route *routes, const struct http_pages *pages,
    const struct http_limits *limits, const char *tls_cert, const char *tls_key)
{
	struct http_server *s;
	const char *why;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->app = app;
	s->routes = routes;
	s->pages = pages;
	if ((s->evh = evhttp_new(app->base)) == NULL)
		goto fail;
	evhttp_set_allowed_methods(s->evh, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
	s->conns = conns_new(app->base, s->evh, limits->max_connections,
	    limits->max_connection_age);
	if (s->conns == NULL)
		goto fail;
	if (tls_cert[0] != '\0' &&
	    (why = conns_enable_tls(s->conns, tls_cert, tls_key)) != NULL) {
		log_error("http: %s", why);
		goto fail;
	}
	s->tls = tls_cert[0] != '\0';
	http_server_set_limits(s, limits);
	evhttp_set_gencb(s->evh, dispatch, s);
	s->bound = evhttp_bind_socket_with_handle(s->evh, address, (ev_uint16_t)port);
	if (s->bound == NULL) {
		log_error("http: cannot listen on %s:%d", address, port);
		goto fail;
	}
	nodelay(s->bound);
	conns_set_listener(s->conns, s->bound);
	return s;
fail:
	http_server_free(s);
	return NULL;
}

void
http_server_stop_accepting(struct http_server *s)
{
	if (s->bound != NULL) {
		conns_set_listener(s->conns, NULL);
		evhttp_del_accept_socket(s->evh, s->bound);
		s->bound = NULL;
	}
}

int
http_server_inflight(const struct http_server *s)
{
	return s->inflight;
}

void
http_server_free(struct http_server *s)
{
	if (s == NULL)
		return;
	if (s->evh != NULL)
		evhttp_free(s->evh);
	conns_free(s->conns);
	free(s);
}

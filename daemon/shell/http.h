/*
 * The HTTP server: evhttp with limits, a routing table, JSON errors and
 * the headers every answer carries.  A handler gets a struct http_req and
 * must answer it exactly once with one of the http_reply_* calls, now or
 * from a database callback later; the struct stays valid until then even
 * if the client goes away meanwhile.
 */
#ifndef MARACD_HTTP_H
#define MARACD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

struct app;
struct evhttp_request;
struct http_server;
struct evkeyvalq;

#define HTTP_MAX_PARAMS 4
#define HTTP_PREFETCH_PARAMS 3
#define HTTP_PREFETCH_COL 7	/* the caller check's columns come first */

struct db_txn;
struct pg_result;		/* libpq's PGresult */

/*
 * Roles a token can have; a route lists those it admits.  Which rows each
 * may reach is the database's business (its areas, forum and agency).
 */
enum role {
	ROLE_ADMIN = 1,		/* runs the cycle in its areas; will manage people */
	ROLE_CHAIR = 2,		/* the cases, decisions and exports of one forum */
	ROLE_AGENCY = 4,	/* its own referrals and its own actions */
	ROLE_COORDINATOR = 8,	/* runs the cycle in its areas */
};
/* Those who run the cycle: every coordinator's route. */
#define ROLES_STAFF (ROLE_ADMIN | ROLE_COORDINATOR)
#define ROLES_ANY (ROLES_STAFF | ROLE_CHAIR | ROLE_AGENCY)

/* Who is asking, as the database established it from the bearer token. */
struct caller {
	long long	token_id;	/* 0 for a person's session */
	long long	user_id;	/* 0 for a token */
	enum role	role;
	char		agency[33];	/* "" unless role is agency */
	char		forum[8];	/* "" unless role is chair */
	char		areas[400];	/* comma-separated; "": every area */
};

enum http_method {
	HTTP_GET = 1,
	HTTP_POST = 2,
	HTTP_PUT = 4,
	HTTP_PATCH = 8,
	HTTP_DELETE = 16,
};

/*
 * Pages (shell/web.c) call the API's handlers themselves, so that a form
 * and the JSON API share one validation: with page set, the handler's
 * answer (http_reply_json, _fields, _error, _commit, and _commit_body of
 * JSON) goes to page as (status, JSON) instead of to the client.  page is
 * cleared before it is called, and takes the JSON.  An answer that asked
 * for a commit leaves the transaction open for the page to commit with
 * its own reply (page_commit says so); any other rolls it back first, so
 * that nothing a refused request did can be committed by what follows.
 */
struct http_req;
typedef void (*http_page_cb)(struct http_req *r, int status, cJSON *answer);

struct http_req {
	struct app	*app;
	struct http_server *server;
	struct evhttp_request *ev;	/* NULL once the client has gone */
	enum http_method method;
	char		 id[17];	/* request id, in logs and X-Request-Id */
	char		 peer[64];
	const char	*path;		/* decoded path, without the query */
	char		*params[HTTP_MAX_PARAMS];	/* {id} segments */
	int		 nparams;
	struct evkeyvalq *query;	/* parsed query string */
	char		*body;		/* NUL-terminated copy, or NULL */
	size_t		 body_len;
	/*
	 * On a route with roles: the caller, and a transaction in which the
	 * database knows the caller (row-level security applies).  Answer
	 * with http_reply_commit to commit it; any other reply rolls it back.
	 */
	struct caller	 caller;
	bool		 session;	/* by session cookie, not bearer token */
	struct db_txn	*txn;
	void		(*handler)(struct http_req *);
	unsigned	 roles;
	/*
	 * What a route's prefetch hook (struct http_route) left for its
	 * handler: pre, freed with pre_free unless the handler takes it, and
	 * the token check's result, whose columns from HTTP_PREFETCH_COL on
	 * are the prefetched subquery's: valid during the handler's call
	 * only, and cleared by the handler.
	 */
	const char	*pre_sql;
	const char	*pre_params[HTTP_PREFETCH_PARAMS];
	int		 pre_nparams;
	void		*pre;
	void		(*pre_free)(void *);
	const struct pg_result *prefetched;
	/* The page calling a handler, and the page layer's own state. */
	http_page_cb	 page;
	bool		 page_commit;
	void		*page_state;
	void		(*page_free)(void *);
	/* A form's csrf_token field: checked as X-CSRF-Token is (auth.c). */
	const char	*csrf_form;
	/* A reply waiting for its COMMIT. */
	int		 commit_status;
	const char	*commit_type;
	char		*commit_body;
	size_t		 commit_len;
};

typedef void (*http_handler)(struct http_req *r);

/*
 * A route's first statement may ride with the token check, in its round
 * trip (auth.c): before the caller is known, the hook reads what it needs
 * from the request and sets pre_sql, a subquery joined LATERAL to the
 * caller's row (its parameters, pre_params, are $4 on), and whatever it
 * parsed in pre.  The subquery runs only for a valid token, and the
 * handler, called as usual once the caller is known and allowed, still
 * decides everything; a hook that sets nothing changes nothing.
 */
typedef void (*http_prefetch)(struct http_req *r);

struct http_route {
	enum http_method method;
	const char	*pattern;	/* "/v1/referrals/{}" */
	const char	*content_type;	/* required body type, or NULL */
	http_handler	 handler;
	unsigned	 roles;		/* 0: public; else a token with one of these */
	http_prefetch	 prefetch;	/* or NULL */
};

/*
 * The pages' own table (shell/web_routes.c), consulted for paths that are
 * not the API's.  A page route's errors before its handler runs (no such
 * page, a body too large, authentication) go to fallback as a page
 * call's would; prepare runs once the body is read, before
 * authentication, and returns false when it has answered.  Pages
 * authenticate by the session cookie only.
 */
struct http_pages {
	const struct http_route	*routes;
	http_page_cb	 fallback;
	bool		(*prepare)(struct http_req *r);
};

struct http_limits {
	int	max_body_size;
	int	max_header_size;
	int	request_timeout;
	int	max_connections;
	int	max_connection_age;
	int	max_per_address;	/* 0: no limit */
};

/* tls_cert and tls_key: both "" for plain HTTP. */
struct http_server *http_server_new(struct app *app, const char *address,
	    int port, const struct http_route *routes,
	    const struct http_pages *pages, const struct http_limits *limits, const char *tls_cert,
	    const char *tls_key);
void	http_server_set_limits(struct http_server *s, const struct http_limits *l);
/* Close the listening socket; requests in flight go on. */
void	http_server_stop_accepting(struct http_server *s);
int	http_server_inflight(const struct http_server *s);
void	http_server_free(struct http_server *s);

/* The value of a query parameter, or NULL; the string lives with r. */
const char *http_query_get(struct http_req *r, const char *name);

/* Each of these answers r and frees it. */
void	http_reply_json(struct http_req *r, int status, cJSON *body);
void	http_reply_error(struct http_req *r, int status, const char *code,
	    const char *message);
/* fields: a cJSON array of {"field", "reason"}; taken over. */
void	http_reply_fields(struct http_req *r, int status, const char *code,
	    const char *message, cJSON *fields);
void	http_reply_body(struct http_req *r, int status, const char *content_type,
	    const char *data, size_t len);
/*
 * Commit r->txn, then answer with body; if the commit fails, answer 503
 * instead: nothing is acknowledged that is not committed.
 */
void	http_reply_commit(struct http_req *r, int status, cJSON *body);
/* The same for a body that is already text (CSV, HTML, ...). */
void	http_reply_commit_body(struct http_req *r, int status,
	    const char *content_type, char *data, size_t len);
/* Add a response header (before the reply). */
void	http_add_header(struct http_req *r, const char *name, const char *value);

#endif

/*
 * libcurl multi on libevent, after curl's docs/examples/hiperfifo.c: curl
 * tells us through sock_cb which sockets to watch and through timer_cb
 * when to call it back; both paths call curl_multi_socket_action and then
 * collect finished transfers.  There is no polling loop and nothing
 * blocks (curl resolves names in its own thread).
 *
 * The server's reply text is never logged or returned: it may quote
 * addresses.  Only reply codes and curl codes leave this file.
 */
#include "shell/mailer.h"
#include "shell/clock.h"
#include "core/buf.h"
#include "core/mailfmt.h"
#include "core/mailretry.h"
#include "shell/log.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Renamed in curl 8.2; 7.88 (Debian 12) has only the misspelt name. */
#if LIBCURL_VERSION_NUM >= 0x080200
#define RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLOWFAILS
#else
#define RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLLOWFAILS
#endif

struct sock {
	struct sock	*prev, *next;
	struct event	*ev;
};

struct xfer {
	struct xfer	*next;
	CURL		*easy;
	curl_mime	*mime;
	struct curl_slist *rcpt;
	struct curl_slist *headers;
	mailer_done_cb	 cb;
	void		*arg;
};

struct mailer {
	struct event_base *base;
	CURLM		*multi;
	struct event	*timer;
	struct sock	*socks;
	struct xfer	*active;	/* handed to curl */
	struct xfer	*wait_head, *wait_tail;
	int		 nactive;
	int		 concurrency;
	long		 timeout;
	enum mail_tls	 tls;
	char		*url;
	char		*user;
	char		*ca_file;	/* "" for the system's bundle */
	char		*password;
	char		*from;
	char		*envelope_from;	/* "<from>" */
};

static void	check_done(struct mailer *m);

bool
mailer_tls_parse(const char *s, enum mail_tls *out)
{
	if (strcmp(s, "none") == 0)
		*out = MAIL_TLS_NONE;
	else if (strcmp(s, "try") == 0)
		*out = MAIL_TLS_TRY;
	else if (strcmp(s, "all") == 0)
		*out = MAIL_TLS_ALL;
	else
		return false;
	return true;
}

static void
event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mailer *m = arg;
	int action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
	    ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	int running;

	curl_multi_socket_action(m->multi, fd, action, &running);
	/*
	 * Before check_done, not after: it starts waiting messages, and the
	 * timer curl arms for them must not be taken away again.
	 */
	if (running <= 0)
		evtimer_del(m->timer);
	check_done(m);
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mailer *m = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(m);
}

/* CURLMOPT_TIMERFUNCTION: one timer; curl asks for it, we only arm it. */
static int
multi_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	struct mailer *m = arg;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	(void)multi;
	if (timeout_ms < 0)
		evtimer_del(m->timer);
	else
		evtimer_add(m->timer, &tv);
	return 0;
}

static void
sock_free(struct mailer *m, struct sock *k)
{
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		m->socks = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	if (k->ev != NULL)
		event_free(k->ev);
	free(k);
}

/* CURLMOPT_SOCKETFUNCTION: watch, rewatch or forget one socket. */
static int
sock_cb(CURL *easy, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct mailer *m = arg;
	struct sock *k = sockp;
	short kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (k != NULL)
			sock_free(m, k);
		return 0;
	}
	if (k == NULL) {
		if ((k = calloc(1, sizeof(*k))) == NULL)
			return -1;
		k->next = m->socks;
		if (m->socks != NULL)
			m->socks->prev = k;
		m->socks = k;
		curl_multi_assign(m->multi, s, k);
	}
	kind = EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
	if (k->ev != NULL)
		event_free(k->ev);
	if ((k->ev = event_new(m->base, s, kind, event_cb, m)) == NULL ||
	    event_add(k->ev, NULL) != 0)
		return -1;
	return 0;
}

static void
xfer_free(struct xfer *x)
{
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	curl_mime_free(x->mime);
	curl_slist_free_all(x->rcpt);
	curl_slist_free_all(x->headers);
	free(x);
}

static void
active_unlink(struct mailer *m, struct xfer *x)
{
	for (struct xfer **p = &m->active; *p != NULL; p = &(*p)->next) {
		if (*p == x) {
			*p = x->next;
			m->nactive--;
			return;
		}
	}
}

static int
xfer_start(struct mailer *m, struct xfer *x)
{
	if (curl_multi_add_handle(m->multi, x->easy) != CURLM_OK)
		return -1;
	x->next = m->active;
	m->active = x;
	m->nactive++;
	return 0;
}

/* Start what waits, up to the limit; called after a transfer ends. */
static void
start_waiting(struct mailer *m)
{
	struct xfer *x;

	while (m->nactive < m->concurrency && (x = m->wait_head) != NULL) {
		if ((m->wait_head = x->next) == NULL)
			m->wait_tail = NULL;
		x->next = NULL;
		if (xfer_start(m, x) != 0) {
			log_error("mailer: curl refused a transfer");
			x->cb(false, 0, CURLE_OUT_OF_MEMORY, false, x->arg);
			xfer_free(x);
		}
	}
}

static void
check_done(struct mailer *m)
{
	CURLMsg *msg;
	struct xfer *x;
	CURLcode res;
	long code = 0;
	int left;
	mailer_done_cb cb;
	void *arg;
	bool ok;

	while ((msg = curl_multi_info_read(m->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		res = msg->data.result;
		x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		curl_multi_remove_handle(m->multi, msg->easy_handle);
		if (x == NULL)
			continue;
		active_unlink(m, x);
		cb = x->cb;
		arg = x->arg;
		xfer_free(x);
		/* With curl_mime, CURLE_OK means the final dot got its 250. */
		ok = res == CURLE_OK;
		start_waiting(m);
		cb(ok, (int)code, (int)res, !ok && mailretry_permanent((int)code,
		    res == CURLE_LOGIN_DENIED), arg);
	}
}

static bool
message_id_ok(const char *id)
{
	size_t n = strlen(id);

	if (n < 5 || n > 250 || id[0] != '<' || id[n - 1] != '>' ||
	    strchr(id, '@') == NULL)
		return false;
	for (const char *p = id; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* Appends a header line; a buf that failed yields a NULL list later. */
static struct curl_slist *
header_add(struct curl_slist *list, struct buf *b, bool *failed)
{
	struct curl_slist *next;

	if (*failed || buf_failed(b) ||
	    (next = curl_slist_append(list, buf_str(b))) == NULL) {
		*failed = true;
		buf_reset(b);
		return list;
	}
	buf_reset(b);
	return next;
}

static int
build_headers(struct mailer *m, struct xfer *x, const struct mail_message *msg)
{
	char date[MAILFMT_DATELEN];
	struct buf b;
	bool failed = false;

	buf_init(&b);
	buf_printf(&b, "Date: %s", mailfmt_date((long long)clock_time(), date));
	x->headers = header_add(x->headers, &b, &failed);
	buf_printf(&b, "From: %s", m->from);
	x->headers = header_add(x->headers, &b, &failed);
	buf_puts(&b, "To: ");
	mailfmt_address_list(&b, "To: ", msg->rcpt, msg->nrcpt);
	x->headers = header_add(x->headers, &b, &failed);
	buf_puts(&b, "Subject: ");
	mailfmt_subject(&b, msg->subject);
	x->headers = header_add(x->headers, &b, &failed);
	buf_printf(&b, "Message-ID: %s", msg->message_id);
	x->headers = header_add(x->headers, &b, &failed);
	/* RFC 3834: no vacation replies or bounces loops to a robot. */
	buf_puts(&b, "Auto-Submitted: auto-generated");
	x->headers = header_add(x->headers, &b, &failed);
	buf_free(&b);
	return failed ? -1 : 0;
}

/* A text part with CRLF line ends, quoted-printable for the 7-bit path. */
static int
text_part(curl_mime *mime, const char *text, const char *type)
{
	curl_mimepart *part;
	struct buf b;
	int rc = -1;

	buf_init(&b);
	mailfmt_crlf(&b, text);
	if (!buf_failed(&b) && (part = curl_mime_addpart(mime)) != NULL &&
	    curl_mime_data(part, buf_str(&b), b.len) == CURLE_OK &&
	    curl_mime_type(part, type) == CURLE_OK &&
	    curl_mime_encoder(part, "quoted-printable") == CURLE_OK)
		rc = 0;
	buf_free(&b);
	return rc;
}

static int
build_body(CURL *easy, curl_mime *mime, const struct mail_message *msg)
{
	curl_mime *alt;
	curl_mimepart *part;
	struct curl_slist *inl;
	char name[128];

	if (msg->html == NULL) {
		if (text_part(mime, msg->text, "text/plain; charset=utf-8") != 0)
			return -1;
	} else {
		/* Plain first: a reader shows the last alternative it can. */
		if ((alt = curl_mime_init(easy)) == NULL)
			return -1;
		if (text_part(alt, msg->text, "text/plain; charset=utf-8") != 0 ||
		    text_part(alt, msg->html, "text/html; charset=utf-8") != 0 ||
		    (part = curl_mime_addpart(mime)) == NULL ||
		    curl_mime_subparts(part, alt) != CURLE_OK) {
			curl_mime_free(alt);
			return -1;
		}
		if (curl_mime_type(part, "multipart/alternative") != CURLE_OK ||
		    (inl = curl_slist_append(NULL, "Content-Disposition: inline")) == NULL)
			return -1;
		if (curl_mime_headers(part, inl, 1) != CURLE_OK) {
			curl_slist_free_all(inl);
			return -1;
		}
	}
	for (size_t i = 0; i < msg->natt; i++) {
		const struct mail_attachment *a = &msg->att[i];

		mailfmt_filename(name, sizeof(name), a->filename);
		if ((part = curl_mime_addpart(mime)) == NULL ||
		    curl_mime_data(part, a->data, a->len) != CURLE_OK ||
		    curl_mime_type(part, a->content_type) != CURLE_OK ||
		    curl_mime_filename(part, name) != CURLE_OK ||
		    curl_mime_encoder(part, "base64") != CURLE_OK)
			return -1;
	}
	return 0;
}

static int
build_envelope(struct xfer *x, const struct mail_message *msg)
{
	char addr[300];
	struct curl_slist *next;

	if (msg->nrcpt == 0)
		return -1;
	for (size_t i = 0; i < msg->nrcpt; i++) {
		if (!mailfmt_address_ok(msg->rcpt[i]))
			return -1;
		snprintf(addr, sizeof(addr), "<%s>", msg->rcpt[i]);
		if ((next = curl_slist_append(x->rcpt, addr)) == NULL)
			return -1;
		x->rcpt = next;
	}
	return 0;
}

static int
set_options(struct mailer *m, struct xfer *x)
{
	CURL *e = x->easy;
	CURLcode rc = CURLE_OK;

#define SET(opt, val) if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val)
	SET(CURLOPT_URL, m->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT, m->timeout);
	SET(CURLOPT_CONNECTTIMEOUT, m->timeout < 30 ? m->timeout : 30L);
	SET(CURLOPT_PRIVATE, (char *)x);
	SET(CURLOPT_MAIL_FROM, m->envelope_from);
	SET(CURLOPT_MAIL_RCPT, x->rcpt);
	/*
	 * A refused recipient fails the whole message.  Sending to the
	 * others would make any retry a duplicate for them; all or nothing
	 * keeps a row's fate single.
	 */
	SET(RCPT_ALLOWFAILS, 0L);
	SET(CURLOPT_HTTPHEADER, x->headers);
	SET(CURLOPT_MIMEPOST, x->mime);
	if (m->tls != MAIL_TLS_NONE)
		SET(CURLOPT_USE_SSL, m->tls == MAIL_TLS_ALL ? (long)CURLUSESSL_ALL :
		    (long)CURLUSESSL_TRY);
	/* A relay with a private CA (the tests' sink, an internal relay). */
	if (m->ca_file[0] != '\0')
		SET(CURLOPT_CAINFO, m->ca_file);
	if (m->user[0] != '\0') {
		SET(CURLOPT_USERNAME, m->user);
		SET(CURLOPT_PASSWORD, m->password);
	}
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

int
mailer_send(struct mailer *m, const struct mail_message *msg,
    mailer_done_cb cb, void *arg)
{
	struct xfer *x;

	if (!message_id_ok(msg->message_id) || msg->text == NULL)
		return -1;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->cb = cb;
	x->arg = arg;
	if ((x->easy = curl_easy_init()) == NULL ||
	    (x->mime = curl_mime_init(x->easy)) == NULL ||
	    build_envelope(x, msg) != 0 ||
	    build_headers(m, x, msg) != 0 ||
	    build_body(x->easy, x->mime, msg) != 0 ||
	    set_options(m, x) != 0)
		goto fail;
	if (m->wait_head == NULL && m->nactive < m->concurrency) {
		if (xfer_start(m, x) != 0)
			goto fail;
		return 0;
	}
	if (m->wait_tail != NULL)
		m->wait_tail->next = x;
	else
		m->wait_head = x;
	m->wait_tail = x;
	return 0;
fail:
	xfer_free(x);
	return -1;
}

int
mailer_free_slots(const struct mailer *m)
{
	int queued = 0;

	for (const struct xfer *x = m->wait_head; x != NULL; x = x->next)
		queued++;
	return m->concurrency - m->nactive - queued;
}

/* The SMTP password lives in a file of its own, never in maracd.conf. */
static char *
read_secret(const char *path)
{
	char buf[1024];
	struct stat st;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		log_error("mailer: cannot open [mail] smtp_password_file %s", path);
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
		log_warn("mailer: %s is readable by group or others", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		log_error("mailer: [mail] smtp_password_file %s is empty", path);
		return NULL;
	}
	return strdup(buf);
}

struct mailer *
mailer_new(struct event_base *base, const struct mailer_settings *s)
{
	struct mailer *m;
	size_t n;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		curl_global_cleanup();
		return NULL;
	}
	m->base = base;
	m->tls = s->tls;
	m->concurrency = s->concurrency;
	m->timeout = s->timeout;
	m->url = strdup(s->url);
	m->user = strdup(s->user);
	m->ca_file = strdup(s->ca_file != NULL ? s->ca_file : "");
	m->from = strdup(s->from);
	n = strlen(s->from) + 3;
	if ((m->envelope_from = malloc(n)) != NULL)
		snprintf(m->envelope_from, n, "<%s>", s->from);
	if (s->user[0] != '\0' && s->password_file[0] != '\0')
		m->password = read_secret(s->password_file);
	else
		m->password = strdup("");
	m->multi = curl_multi_init();
	m->timer = evtimer_new(base, timer_cb, m);
	if (m->url == NULL || m->user == NULL || m->ca_file == NULL || m->from == NULL ||
	    m->envelope_from == NULL || m->password == NULL ||
	    m->multi == NULL || m->timer == NULL) {
		mailer_free(m);
		return NULL;
	}
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
	curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb);
	curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
	/* Keep as many idle SMTP connections as may be busy at once. */
	curl_multi_setopt(m->multi, CURLMOPT_MAXCONNECTS, (long)m->concurrency);
	return m;
}

void
mailer_free(struct mailer *m)
{
	struct xfer *x;

	if (m == NULL)
		return;
	if (m->timer != NULL)
		evtimer_del(m->timer);
	while ((x = m->active) != NULL) {
		m->active = x->next;
		curl_multi_remove_handle(m->multi, x->easy);
		xfer_free(x);
	}
	while ((x = m->wait_head) != NULL) {
		m->wait_head = x->next;
		xfer_free(x);
	}
	if (m->multi != NULL)
		curl_multi_cleanup(m->multi);
	while (m->socks != NULL)
		sock_free(m, m->socks);
	if (m->timer != NULL)
		event_free(m->timer);
	if (m->password != NULL) {
		explicit_bzero(m->password, strlen(m->password));
		free(m->password);
	}
	free(m->url);
	free(m->user);
	free(m->ca_file);
	free(m->from);
	free(m->envelope_from);
	free(m);
	curl_global_cleanup();
}

/*
 * SMTP submission through libcurl's multi interface, on the libevent loop.
 *
 * mailer_send builds the whole message at once (curl copies what it is
 * given, so the caller's strings may go as soon as it returns) and hands
 * it to curl; curl's socket and timer callbacks drive it from the loop,
 * and done_cb reports the outcome later, never from inside mailer_send.
 * At most concurrency messages are in flight; more wait in order.
 */
#ifndef MARACD_MAILER_H
#define MARACD_MAILER_H

#include <stdbool.h>
#include <stddef.h>

struct event_base;
struct mailer;

enum mail_tls {
	MAIL_TLS_NONE,		/* plain smtp:// (a relay on loopback) */
	MAIL_TLS_TRY,		/* STARTTLS when the server offers it */
	MAIL_TLS_ALL,		/* STARTTLS or nothing */
};

struct mailer_settings {
	const char	*url;		/* smtp://host:port or smtps://... */
	enum mail_tls	 tls;
	const char	*user;		/* "" for no authentication */
	const char	*password_file;
	const char	*from;		/* bare address, for MAIL FROM and From: */
	int		 concurrency;
	int		 timeout;	/* seconds for one whole message */
	const char	*ca_file;	/* "" for the system's CA bundle */
};

struct mail_attachment {
	const char	*filename;
	const char	*content_type;
	const void	*data;
	size_t		 len;
};

struct mail_message {
	const char	*message_id;	/* "<...@...>", the same on every attempt */
	const char *const *rcpt;	/* bare addresses */
	size_t		 nrcpt;
	const char	*subject;	/* UTF-8 */
	const char	*text;		/* text/plain part */
	const char	*html;		/* text/html alternative, or NULL */
	const struct mail_attachment *att;
	size_t		 natt;
};

/*
 * ok: the server answered 250 to the message.  smtp_code is the last
 * reply (0 when there was none), curl_code curl's result; permanent: a
 * refusal that sending again would not change.
 */
typedef void (*mailer_done_cb)(bool ok, int smtp_code, int curl_code,
	    bool permanent, void *arg);

bool	mailer_tls_parse(const char *s, enum mail_tls *out);

/* NULL, with the reason logged, if the password file cannot be read. */
struct mailer *mailer_new(struct event_base *base, const struct mailer_settings *s);
/* Drops messages in flight without calling their callbacks. */
void	mailer_free(struct mailer *m);

/*
 * 0: the message is on its way and done_cb will be called once.
 * -1: it could not be built (an address or Message-ID mailfmt refuses,
 * out of memory); done_cb is not called.
 */
int	mailer_send(struct mailer *m, const struct mail_message *msg,
	    mailer_done_cb done_cb, void *arg);

/* Messages that could start now without waiting. */
int	mailer_free_slots(const struct mailer *m);

#endif

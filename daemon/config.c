/*
 * The settings table.  Parsing is Debian's libinih; what a setting means,
 * its default and its range live here and nowhere else.
 */
#include "config.h"
#include "log.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

enum setting_type { SET_STR, SET_INT, SET_BOOL, SET_LOGLEVEL };

struct setting {
	const char	*section;
	const char	*name;
	enum setting_type type;
	size_t		 offset;
	const char	*defval;
	long		 min, max;
	bool		 reloadable;
	const char	*doc;
};

#define OFF(f) offsetof(struct config, f)

static const struct setting settings[] = {
	{ "server", "listen_address", SET_STR, OFF(listen_address), "127.0.0.1", 0, 0, false,
	  "Address to listen on for HTTP(S)." },
	{ "server", "listen_port", SET_INT, OFF(listen_port), "8080", 1, 65535, false,
	  "TCP port to listen on." },
	{ "server", "max_body_size", SET_INT, OFF(max_body_size), "1048576", 1024, 268435456, true,
	  "Largest request body in bytes; larger is refused with 413." },
	{ "server", "max_header_size", SET_INT, OFF(max_header_size), "16384", 1024, 1048576, true,
	  "Largest request header block in bytes." },
	{ "server", "request_timeout", SET_INT, OFF(request_timeout), "30", 1, 3600, true,
	  "Seconds a client may take to send a request or read a reply." },
	{ "server", "shutdown_timeout", SET_INT, OFF(shutdown_timeout), "10", 0, 600, true,
	  "Seconds SIGTERM waits for requests in flight before exiting." },
	{ "server", "tls_cert", SET_STR, OFF(tls_cert), "", 0, 0, false,
	  "PEM certificate chain; with tls_key, maracd serves HTTPS itself." },
	{ "server", "tls_key", SET_STR, OFF(tls_key), "", 0, 0, false,
	  "PEM private key for tls_cert." },
	{ "server", "max_connections", SET_INT, OFF(max_connections), "512", 1, 100000, true,
	  "Client connections held at once; beyond it new ones wait in the kernel's backlog." },
	{ "server", "max_connection_age", SET_INT, OFF(max_connection_age), "300", 5, 86400, true,
	  "Seconds after which a client connection is closed, busy or not." },
	{ "server", "rate_limit", SET_INT, OFF(rate_limit), "600", 0, 1000000, true,
	  "Requests per minute one token may make (per maracd process); 0 turns it off." },
	{ "database", "dsn", SET_STR, OFF(dsn), "dbname=maracd", 0, 0, false,
	  "libpq connection string of the application role (owns nothing, no BYPASSRLS)." },
	{ "database", "owner_dsn", SET_STR, OFF(owner_dsn), "", 0, 0, false,
	  "libpq connection string of the schema owner, used by maracctl migrate; empty means dsn." },
	{ "database", "pool_size", SET_INT, OFF(pool_size), "4", 1, 64, false,
	  "Connections maracd keeps open to PostgreSQL." },
	{ "database", "queue_max", SET_INT, OFF(queue_max), "1024", 1, 1000000, true,
	  "Requests that may wait for a free connection; beyond it, 503." },
	{ "database", "reconnect_max_delay_ms", SET_INT, OFF(reconnect_max_delay_ms), "2000", 100, 60000, true,
	  "Longest pause between reconnection attempts (the pause doubles up to it)." },
	{ "database", "statement_timeout_ms", SET_INT, OFF(statement_timeout_ms), "10000", 0, 3600000, false,
	  "PostgreSQL statement_timeout for maracd's connections; 0 disables it." },
	{ "log", "level", SET_LOGLEVEL, OFF(log_level), "info", 0, 0, true,
	  "error, warn, info or debug." },
	{ "log", "syslog", SET_BOOL, OFF(log_syslog), "no", 0, 0, false,
	  "Log to syslog (facility daemon) instead of stderr." },
	{ "calendar", "timezone", SET_STR, OFF(timezone), "Europe/London", 0, 0, false,
	  "IANA time zone in which sitting dates, cutoffs and due dates are local dates." },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

struct load_ctx {
	struct config	*cfg;
	char		*err;
	size_t		 errlen;
};

static char **
str_at(struct config *cfg, const struct setting *s)
{
	return (char **)((char *)cfg + s->offset);
}

static bool
parse_bool(const char *v, bool *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, true;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, true;
	}
	return false;
}

/* Sets one value; returns NULL or the reason it was refused. */
static const char *
setting_apply(struct config *cfg, const struct setting *s, const char *v)
{
	char *end, **sp;
	long n;
	bool b;
	enum log_level lvl;

	switch (s->type) {
	case SET_LOGLEVEL:
		if (!log_level_parse(v, &lvl))
			return "must be error, warn, info or debug";
		/* FALLTHROUGH */
	case SET_STR:
		sp = str_at(cfg, s);
		free(*sp);
		*sp = strdup(v);
		return *sp == NULL ? "out of memory" : NULL;
	case SET_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0')
			return "must be a whole number";
		if (n < s->min || n > s->max)
			return "is out of range";
		*(int *)((char *)cfg + s->offset) = (int)n;
		return NULL;
	case SET_BOOL:
		if (!parse_bool(v, &b))
			return "must be yes or no";
		*(bool *)((char *)cfg + s->offset) = b;
		return NULL;
	}
	return "has an unknown type";
}

static const struct setting *
setting_find(const char *section, const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].section, section) == 0 &&
		    strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

static int
on_setting(void *user, const char *section, const char *name,
    const char *value)
{
	struct load_ctx *ctx = user;
	const struct setting *s;
	const char *why;

	if (name == NULL)	/* a bare [section] line */
		return 1;
	if (ctx->err[0] != '\0')	/* keep the first error only */
		return 0;
	s = setting_find(section, name);
	if (s == NULL) {
		snprintf(ctx->err, ctx->errlen, "unknown setting [%s] %s",
		    section, name);
		return 0;
	}
	if ((why = setting_apply(ctx->cfg, s, value)) != NULL) {
		if (s->type == SET_INT)
			snprintf(ctx->err, ctx->errlen, "[%s] %s %s (%ld..%ld)",
			    section, name, why, s->min, s->max);
		else
			snprintf(ctx->err, ctx->errlen, "[%s] %s %s",
			    section, name, why);
		return 0;
	}
	return 1;
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < NSETTINGS; i++)
		(void)setting_apply(cfg, &settings[i], settings[i].defval);
}

static int
validate(struct config *cfg, char *err, size_t errlen)
{
	if ((cfg->tls_cert[0] == '\0') != (cfg->tls_key[0] == '\0')) {
		snprintf(err, errlen, "[server] tls_cert and tls_key go together");
		return -1;
	}
	return 0;
}

int
config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	struct load_ctx ctx = { cfg, err, errlen };
	char why[CONFIG_ERRLEN];
	int rc;

	config_defaults(cfg);
	err[0] = '\0';
	rc = ini_parse(path, on_setting, &ctx);
	if (rc == -1) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (rc != 0) {
		/* ini_parse returns the line of the first error. */
		snprintf(why, sizeof(why), "%s", err[0] != '\0' ? err :
		    "not a setting, a [section] or a comment");
		snprintf(err, errlen, "%s:%d: %s", path, rc, why);
		return -1;
	}
	return validate(cfg, err, errlen);
}

void
config_free(struct config *cfg)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		if (settings[i].type == SET_STR || settings[i].type == SET_LOGLEVEL) {
			char **sp = str_at(cfg, &settings[i]);
			free(*sp);
			*sp = NULL;
		}
	}
}

static bool
setting_equal(struct config *a, struct config *b, const struct setting *s)
{
	switch (s->type) {
	case SET_STR:
	case SET_LOGLEVEL:
		return strcmp(*str_at(a, s), *str_at(b, s)) == 0;
	case SET_INT:
		return *(int *)((char *)a + s->offset) == *(int *)((char *)b + s->offset);
	case SET_BOOL:
		return *(bool *)((char *)a + s->offset) == *(bool *)((char *)b + s->offset);
	}
	return true;
}

void
config_reload(struct config *cur, struct config *next,
    void (*warn)(const char *, const char *))
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		char **a, **b, *tmp;

		if (setting_equal(cur, next, s))
			continue;
		if (!s->reloadable) {
			if (warn != NULL)
				warn(s->section, s->name);
			continue;
		}
		if (s->type == SET_STR || s->type == SET_LOGLEVEL) {
			/* Swap, so that next frees the old value. */
			a = str_at(cur, s);
			b = str_at(next, s);
			tmp = *a;
			*a = *b;
			*b = tmp;
		} else if (s->type == SET_INT) {
			*(int *)((char *)cur + s->offset) = *(int *)((char *)next + s->offset);
		} else {
			*(bool *)((char *)cur + s->offset) = *(bool *)((char *)next + s->offset);
		}
	}
}

void
config_print_sample(FILE *out)
{
	const char *section = "";

	fprintf(out, "# maracd.conf: see maracd.conf(5).  Generated by maracd -C;\n"
	    "# every line shows the default.\n");
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, "\n[%s]\n", section);
		}
		fprintf(out, "# %s", s->doc);
		if (s->type == SET_INT)
			fprintf(out, " Range %ld..%ld.", s->min, s->max);
		fprintf(out, "%s\n", s->reloadable ? " Reloaded on SIGHUP." : "");
		fprintf(out, "%s = %s\n", s->name, s->defval);
	}
}

const char *
config_default_path(void)
{
	const char *env = getenv("MARACD_CONF");

	return env != NULL && env[0] != '\0' ? env : SYSCONFDIR "/maracd.conf";
}

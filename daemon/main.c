/*
 * maracd: start-up, options, signals and wiring.  Nothing else lives here.
 */
#include "shell/breachfile.h"
#include "shell/clock.h"
#include "shell/config.h"
#include "shell/log.h"
#include "core/checklist.h"
#include "shell/checklists.h"
#include "shell/api.h"
#include "shell/app.h"
#include "shell/assets.h"
#include "shell/calendar.h"
#include "shell/drivejob.h"
#include "shell/purgejob.h"
#include "shell/reportjob.h"
#include "shell/db.h"
#include "shell/hashpool.h"
#include "shell/http.h"
#include "shell/jobauth.h"
#include "shell/mailer.h"
#include "shell/outbox.h"
#include "shell/ratelimit.h"
#include "shell/reminders.h"
#include "shell/scheduler.h"
#include "shell/web.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct config cfg;
static struct app app;
static struct event *drain_timer;
static struct timespec drain_deadline;

static void
usage(void)
{
	fprintf(stderr, "usage: maracd [-fC] [-c file]\n");
	exit(2);
}

static void
settings_from(const struct config *c, struct db_settings *db,
    struct http_limits *lim)
{
	db->dsn = c->dsn;
	db->pool_size = c->pool_size;
	db->queue_max = c->queue_max;
	db->reconnect_max_delay_ms = c->reconnect_max_delay_ms;
	db->statement_timeout_ms = c->statement_timeout_ms;
	db->timezone = c->timezone;
	lim->max_body_size = c->max_body_size;
	lim->max_header_size = c->max_header_size;
	lim->request_timeout = c->request_timeout;
	lim->max_connections = c->max_connections;
	lim->max_connection_age = c->max_connection_age;
	lim->max_per_address = c->max_connections_per_address;
}

/* The mailer and the outbox sender, after the database pool. */
static int
mailer_start(const struct config *c)
{
	struct mailer_settings ms;

	ms.url = c->smtp_url;
	(void)mailer_tls_parse(c->smtp_tls, &ms.tls);
	ms.user = c->smtp_user;
	ms.password_file = c->smtp_password_file;
	ms.from = c->mail_from;
	ms.concurrency = c->mail_concurrency;
	ms.timeout = c->mail_send_timeout;
	ms.ca_file = c->smtp_ca_file;
	if ((app.mailer = mailer_new(app.base, &ms)) == NULL ||
	    (app.outbox = outbox_new(&app)) == NULL) {
		log_error("cannot start the mailer");
		return -1;
	}
	return 0;
}

static void
apply_log_level(const struct config *c)
{
	enum log_level lvl = LOG_LVL_INFO;

	(void)log_level_parse(c->log_level, &lvl);
	log_set_level(lvl);
}

static void
warn_restart(const char *section, const char *name)
{
	log_warn("reload: [%s] %s changed; it takes effect on restart", section, name);
}

/*
 * The checklists' wording, read again with the settings; a file that
 * cannot be read or is not valid leaves the wording in use.
 */
static void
wording_reload(void)
{
	struct checklist_wording *w = NULL;
	char err[300];

	if (cfg.checklist_wording[0] != '\0' &&
	    (w = checklists_load(cfg.checklist_wording, err, sizeof(err))) == NULL) {
		log_error("[referrals] checklist_wording: %s; keeping the wording in use", err);
		return;
	}
	checklist_wording_free(app.wording);
	app.wording = w;
}

static void
reload(void)
{
	struct config next;
	struct db_settings dbs;
	struct http_limits lim;
	char err[CONFIG_ERRLEN];

	if (config_load(app.config_path, &next, err, sizeof(err)) != 0) {
		log_error("reload refused, keeping the running settings: %s", err);
		config_free(&next);
		return;
	}
	config_reload(&cfg, &next, warn_restart);
	config_free(&next);
	wording_reload();
	apply_log_level(&cfg);
	settings_from(&cfg, &dbs, &lim);
	db_pool_update(app.db, &dbs);
	http_server_set_limits(app.http, &lim);
	ratelimit_set(app.limiter, cfg.rate_limit);
	ratelimit_set(app.authfail, cfg.auth_failures_per_minute);
	(void)assets_load(cfg.web_assets);
	log_info("reloaded %s (log level %s)", app.config_path, cfg.log_level);
}

static bool
deadline_passed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > drain_deadline.tv_sec ||
	    (now.tv_sec == drain_deadline.tv_sec && now.tv_nsec >= drain_deadline.tv_nsec);
}

/* Wait for requests in flight, but not for ever. */
static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	int left = http_server_inflight(app.http) + outbox_busy(app.outbox) +
	    scheduler_running(app.sched);

	(void)fd;
	(void)what;
	(void)arg;
	if (left == 0 || deadline_passed()) {
		if (left > 0)
			log_warn("shutdown: %d requests still in flight, giving up on them", left);
		event_base_loopexit(app.base, NULL);
	}
}

static void
begin_shutdown(void)
{
	struct timeval tick = { 0, 50 * 1000 };

	if (app.stopping)
		return;
	app.stopping = true;
	outbox_stop(app.outbox);
	log_info("shutting down: no new connections, %d requests in flight",
	    http_server_inflight(app.http));
	http_server_stop_accepting(app.http);
	clock_gettime(CLOCK_MONOTONIC, &drain_deadline);
	drain_deadline.tv_sec += cfg.shutdown_timeout;
	drain_timer = event_new(app.base, -1, EV_PERSIST, drain_cb, NULL);
	event_add(drain_timer, &tick);
	drain_cb(-1, 0, NULL);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	if (sig == SIGHUP)
		reload();
	else
		begin_shutdown();
}

int
main(int argc, char **argv)
{
	struct event *sigs[3];
	const int signums[3] = { SIGTERM, SIGINT, SIGHUP };
	struct db_settings dbs;
	struct http_limits lim;
	char err[CONFIG_ERRLEN];
	bool foreground = false;
	int ch;

	app.config_path = config_default_path();
	while ((ch = getopt(argc, argv, "c:fC")) != -1) {
		switch (ch) {
		case 'c':
			app.config_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'C':
			config_print_sample(stdout);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (clock_init(err, sizeof(err)) != 0 ||
	    config_load(app.config_path, &cfg, err, sizeof(err)) != 0 ||
	    jobauth_load(cfg.job_token_file, err, sizeof(err)) != 0) {
		fprintf(stderr, "maracd: %s\n", err);
		return 1;
	}
	app.cfg = &cfg;
	/* Local dates (today, for validation) come from the C library's zone
	 * database, in the same zone PostgreSQL uses for our sessions. */
	setenv("TZ", cfg.timezone, 1);
	tzset();
	log_init("maracd", cfg.log_syslog || !foreground, LOG_LVL_INFO);
	apply_log_level(&cfg);
	if (!foreground && daemon(0, 0) != 0) {
		fprintf(stderr, "maracd: cannot detach\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((app.base = event_base_new()) == NULL) {
		log_error("cannot create the event loop");
		return 1;
	}
	/* After daemon(): threads do not survive a fork. */
	if ((app.hashpool = hashpool_new(app.base, cfg.accounts.hash_threads,
	    cfg.accounts.hash_queue_max, (unsigned long long)cfg.accounts.argon2_opslimit,
	    (size_t)cfg.accounts.argon2_memlimit_kib * 1024)) == NULL) {
		log_error("cannot start the password hashing threads");
		return 1;
	}
	if (cfg.accounts.breached_passwords[0] != '\0') {
		app.breached = breachfile_load(cfg.accounts.breached_passwords,
		    BREACHFILE_MAX_LINES, err, sizeof(err));
		if (app.breached == NULL) {
			log_error("[accounts] breached_passwords: %s", err);
			return 1;
		}
		log_info("breached passwords: %zu loaded", breached_count(app.breached));
	}
	if (cfg.checklist_wording[0] != '\0') {
		app.wording = checklists_load(cfg.checklist_wording, err, sizeof(err));
		if (app.wording == NULL) {
			log_error("[referrals] checklist_wording: %s", err);
			return 1;
		}
		log_info("checklist wording: %d questions worded",
		    checklist_wording_count(app.wording));
	}
	/* Without them maracd still serves its API and unstyled pages. */
	(void)assets_load(cfg.web_assets);
	settings_from(&cfg, &dbs, &lim);
	if ((app.db = db_pool_new(app.base, &dbs)) == NULL) {
		log_error("cannot create the database pool");
		return 1;
	}
	if (mailer_start(&cfg) != 0)
		return 1;
	if ((app.sched = scheduler_new(&app)) == NULL ||
	    scheduler_add(app.sched, "sittings", cfg.sittings_job_interval,
	    calendar_job_sittings, &app) != 0 ||
	    scheduler_add(app.sched, "drive", cfg.drive_job_interval,
	    drivejob_run, &app) != 0 ||
	    scheduler_add(app.sched, "reminders", cfg.reminders_interval,
	    reminders_job, &app) != 0 ||
	    scheduler_add(app.sched, "purge", cfg.retention_interval,
	    purgejob_run, &app) != 0 ||
	    scheduler_add(app.sched, "report", cfg.statistics.report_interval,
	    reportjob_run, &app) != 0) {
		log_error("cannot start the scheduler");
		return 1;
	}
	app.limiter = ratelimit_new(cfg.rate_limit);
	app.authfail = ratelimit_new(cfg.auth_failures_per_minute);
	if (web_init(&app) != 0)
		return 1;
	app.http = http_server_new(&app, cfg.listen_address, cfg.listen_port,
	    api_routes, &web_pages, &lim, cfg.tls_cert, cfg.tls_key);
	if (app.http == NULL)
		return 1;
	if (cfg.tls_cert[0] == '\0')
		log_warn("serving plain HTTP on %s:%d: put maracd behind a TLS proxy",
		    cfg.listen_address, cfg.listen_port);
	for (int i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(app.base, signums[i], signal_cb, NULL);
		evsignal_add(sigs[i], NULL);
	}
	log_info("maracd listening on %s:%d", cfg.listen_address, cfg.listen_port);
	event_base_dispatch(app.base);

	/*
	 * First: a hash still waiting is answered (ok = -1) while the
	 * requests, the database pool and the outbox it may touch still exist.
	 */
	hashpool_free(app.hashpool);
	breached_free(app.breached);
	checklist_wording_free(app.wording);
	http_server_free(app.http);
	web_free();
	/* The pool calls back waiters as it goes: the outbox must still be
	 * there, and it frees its records of them last. */
	db_pool_free(app.db);
	scheduler_free(app.sched);
	mailer_free(app.mailer);
	outbox_free(app.outbox);
	ratelimit_free(app.limiter);
	ratelimit_free(app.authfail);
	assets_free();
	for (int i = 0; i < 3; i++)
		event_free(sigs[i]);
	if (drain_timer != NULL)
		event_free(drain_timer);
	event_base_free(app.base);
	config_free(&cfg);
	log_info("maracd stopped");
	return 0;
}

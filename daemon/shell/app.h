/*
 * What every handler and job needs: the loop, the settings, the pool.
 */
#ifndef MARACD_APP_H
#define MARACD_APP_H

#include <stdbool.h>

struct event_base;
struct config;
struct db_pool;
struct http_server;
struct ratelimit;
struct mailer;
struct outbox;
struct scheduler;
struct hashpool;
struct breached;
struct checklist_wording;

struct app {
	struct event_base	*base;
	struct config		*cfg;
	const char		*config_path;
	struct db_pool		*db;
	struct http_server	*http;
	struct ratelimit	*limiter;
	struct ratelimit	*authfail;	/* failed token checks, per address */
	struct mailer		*mailer;
	struct outbox		*outbox;
	struct scheduler	*sched;		/* periodic jobs */
	struct hashpool		*hashpool;	/* Argon2id off the loop */
	struct breached		*breached;	/* [accounts] breached_passwords; NULL: none */
	/* [referrals] checklist_wording; NULL: maracd's labels (core/checklist.h) */
	struct checklist_wording *wording;
	bool			 stopping;
};

#endif

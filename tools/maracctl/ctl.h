/*
 * maracctl: the administrator's command.  Each command is a row of
 * main.c's table (its words, options, usage and handler); the handler
 * finds its arguments parsed (ctl_arg, ctl->pos).  Administration
 * (migrate, token, user, agency, purge, subject-access) sends the
 * statements the API sends, with plain blocking libpq; the daily
 * workflows run maracd's own code on an event loop of maracctl's
 * (ctl_loop.c).  Either way the connection is the schema owner's.
 */
#ifndef MARACCTL_CTL_H
#define MARACCTL_CTL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "shell/config.h"
#include "core/buf.h"
#include "core/date.h"

#define CTL_OK		0
#define CTL_FAIL	1
#define CTL_USAGE	2

#define CTL_OPTS_MAX	8

struct ctl;
struct event_base;
struct db_pool;
struct db_txn;

struct ctl_cmd {
	const char	*verb;		/* one word, or two ("token create") */
	/* Without "--": "name=" takes a value, "name!" must, "name" is a flag. */
	const char	*opts[CTL_OPTS_MAX];
	int		 pos_min, pos_max;	/* arguments that are not options */
	const char	*label;		/* the audit's "who", or NULL */
	int		(*run)(struct ctl *ctl);
	const char	*usage;		/* what follows the verb */
};

struct ctl {
	struct config	 cfg;
	const char	*config_path;
	const struct ctl_cmd *cmd;
	const char	*pos[2];
	int		 npos;
	const char	*opt[CTL_OPTS_MAX];	/* as cmd->opts lists them */
	struct buf	 out;		/* printed once the command succeeded */
	PGconn		*db;
	/* ctl_loop.c */
	struct event_base *base;
	struct db_pool	*pool;
	struct db_txn	*txn;
	int		 rc;
};

/* The value of option name ("" for a flag given), NULL when not given. */
const char *ctl_arg(const struct ctl *ctl, const char *name);

/* Prints "maracctl: <reason>" on stderr and returns CTL_FAIL. */
int	ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints why a statement failed (NULL: the connection was lost): CTL_FAIL. */
int	ctl_fail_res(const PGresult *res);
/* Prints the command's usage line and returns CTL_USAGE. */
int	ctl_usage(const struct ctl *ctl);

/*
 * Connects as the schema owner (MARACCTL_OWNER_DSN, else [database] dsn);
 * with the command's label, the session is maracd's (the [calendar]
 * timezone) and names the command in the audit (maracd.system, believed
 * from the owner only: sql/002_access.sql).
 */
int	ctl_connect(struct ctl *ctl);
/* Runs one statement, connecting first; on failure prints why: NULL. */
PGresult *ctl_exec(struct ctl *ctl, const char *sql, int nparams,
	    const char *const *params);
/* As ctl_exec, for a statement whose rows do not matter. */
bool	ctl_do(struct ctl *ctl, const char *sql, int nparams,
	    const char *const *params);
/* Adds header (unless NULL), then res's rows tab-separated, to ctl->out. */
int	ctl_rows(struct ctl *ctl, const char *header, PGresult *res);

/* s is an id: digits, at most 15, not 0. */
bool	ctl_id(const char *s, long long *id);
/* s is a date YYYY-MM-DD within the years core/date.h knows. */
bool	ctl_date(const char *s, date_t *d);

/*
 * Writes path whole or not at all (a temporary file, synced and renamed
 * into place), created with mode (before the umask).
 */
int	ctl_write_file(const char *path, const void *data, size_t len, int mode);

/*
 * The loop (ctl_loop.c).  ctl_run connects, opens a transaction in
 * ctl->txn and calls fn with it; the workflow's last callback calls
 * ctl_done, which commits (rc CTL_OK) or rolls back, and ctl_run then
 * returns rc (CTL_FAIL when the commit fails).  Output follows the
 * commit: the callbacks add it to ctl->out.
 */
typedef void (*ctl_start_fn)(struct ctl *ctl, struct db_txn *txn, void *arg);
int	ctl_run(struct ctl *ctl, ctl_start_fn fn, void *arg);
void	ctl_done(struct ctl *ctl, int rc);
/* ctl_done(CTL_FAIL) saying why, else why res failed. */
void	ctl_done_fail(struct ctl *ctl, const char *why, const PGresult *res);
void	ctl_loop_close(struct ctl *ctl);

/* The handlers of main.c's table. */
int	ctl_migrate(struct ctl *);
int	ctl_token_create(struct ctl *);
int	ctl_token_list(struct ctl *);
int	ctl_token_revoke(struct ctl *);
int	ctl_user_invite(struct ctl *);
int	ctl_user_list(struct ctl *);
int	ctl_user_state(struct ctl *);
int	ctl_user_reset_2fa(struct ctl *);
int	ctl_agency_add(struct ctl *);
int	ctl_agency_list(struct ctl *);
int	ctl_holidays_year(struct ctl *);
int	ctl_holidays_change(struct ctl *);
int	ctl_calendar(struct ctl *);
int	ctl_import(struct ctl *);
int	ctl_drive(struct ctl *);
int	ctl_record(struct ctl *);
int	ctl_reminders(struct ctl *);
int	ctl_agenda(struct ctl *);
int	ctl_purge(struct ctl *);
int	ctl_subject(struct ctl *);

#endif

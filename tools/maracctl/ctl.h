/*
 * maracctl: the administrator's command, as the schema owner.  Each
 * command is a row of main.c's table; its handler finds its arguments
 * parsed and checked.  Administration sends the statements the API
 * sends, blocking; the daily workflows are maracd's own, run on a loop of
 * maracctl's (both in ctl_db.c).
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

#define CTL_OPTS_MAX	8	/* the most options a command has */

struct ctl;
struct event_base;
struct db_pool;
struct db_txn;

/* The argument that is not an option, checked before the handler runs. */
enum ctl_pos {
	CTL_NONE,
	CTL_ID,			/* an id, in ctl->id */
	CTL_ID_OR_NONE,
	CTL_DATE,		/* YYYY-MM-DD, in ctl->date */
	CTL_WORD,		/* any */
};

struct ctl_cmd {
	const char	*verb;		/* one word, or two ("token create") */
	enum ctl_pos	 pos;
	const char	*label;		/* the audit's "who", or NULL */
	int		(*run)(struct ctl *ctl);
	const char	*usage;		/* what follows the verb; names the options */
};

struct ctl {
	struct config	 cfg;
	const char	*config_path;
	const struct ctl_cmd *cmd;
	const char	*pos[1];	/* the argument, as cmd->pos says */
	int		 npos;
	long long	 id;
	date_t		 date;
	const char	*opt[CTL_OPTS_MAX];	/* in the order of cmd->usage */
	char		 what[64];	/* "sitting 3", before a workflow's why */
	struct buf	 out;		/* printed once the command succeeded */
	PGconn		*db;
	PGresult	*res;		/* ctl_value's */
	/* the loop, ctl_begin's */
	struct event_base *base;
	struct db_pool	*pool;
	struct db_txn	*txn;
	bool		 answered;	/* the pool answered ctl_begin */
	bool		 ended;		/* ctl_done's commit or rollback is over */
	int		 rc;
};

/* The value of option name ("" for a flag given), NULL when not given. */
const char *ctl_arg(const struct ctl *ctl, const char *name);

/* "maracctl: <reason>" on stderr: CTL_FAIL. */
int	ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Why a statement failed (NULL: the connection was lost): CTL_FAIL. */
int	ctl_fail_res(const PGresult *res);
/* The command's usage line: CTL_USAGE. */
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
/* As ctl_exec, for one value (NULL: none), valid until the next call. */
bool	ctl_value(struct ctl *ctl, const char **value, const char *sql,
	    int nparams, const char *const *params);
/* Adds header (unless NULL), then res's rows tab-separated, to ctl->out. */
int	ctl_rows(struct ctl *ctl, const char *header, PGresult *res);

/* s is a whole number from min to max. */
bool	ctl_number(const char *s, long min, long max, long *n);

/* Writes path whole or not at all, created with mode (before the umask). */
int	ctl_write_file(const char *path, const void *data, size_t len, int mode);

/*
 * The loop (ctl_db.c).  ctl_begin connects and begins ctl->txn on
 * maracctl's loop (false, having said why, when it cannot); the command
 * starts one of maracd's workflows in it, whose last callback calls
 * ctl_done: commit when rc is CTL_OK, else roll back.  ctl_wait runs the
 * loop until that is over and returns rc (CTL_FAIL when the commit
 * failed).  Output follows the commit: the callbacks add it to ctl->out.
 */
bool	ctl_begin(struct ctl *ctl);
int	ctl_wait(struct ctl *ctl);
void	ctl_done(struct ctl *ctl, int rc);
/* ctl_done(CTL_FAIL) saying why (after ctl->what), else why res failed. */
void	ctl_done_fail(struct ctl *ctl, const char *why, const PGresult *res);
void	ctl_loop_close(struct ctl *ctl);

/* The handlers of main.c's table. */
int	ctl_migrate(struct ctl *);
int	ctl_token_create(struct ctl *);
int	ctl_token_revoke(struct ctl *);
int	ctl_user_invite(struct ctl *);
int	ctl_user_state(struct ctl *);
int	ctl_user_reset_2fa(struct ctl *);
int	ctl_agency_add(struct ctl *);
int	ctl_list(struct ctl *);
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

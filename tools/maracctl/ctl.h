/*
 * maracctl: the administrator's command.  Administration (migrate, token,
 * user, agency, purge, subject-access) talks to PostgreSQL with plain
 * blocking libpq; the daily workflows run maracd's own code on an event
 * loop of maracctl's (ctl_loop.c).
 */
#ifndef MARACCTL_CTL_H
#define MARACCTL_CTL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "shell/config.h"

#define CTL_OK		0
#define CTL_FAIL	1
#define CTL_USAGE	2

struct event_base;
struct db_pool;
struct db_txn;

struct ctl {
	struct config	 cfg;
	const char	*config_path;
	PGconn		*db;
	/* ctl_loop.c */
	struct event_base *base;
	struct db_pool	*pool;
	struct db_txn	*txn;
	int		 rc;
};

/* Prints "maracctl: <reason>" on stderr and returns CTL_FAIL. */
int	ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	ctl_usage(const char *line);

/* Connects as the schema owner (MARACCTL_OWNER_DSN, else [database] dsn). */
int	ctl_connect(struct ctl *ctl);
/* Runs one statement; on failure prints the reason and returns NULL. */
PGresult *ctl_exec(struct ctl *ctl, const char *sql, int nparams,
	    const char *const *params);

/*
 * The loop (ctl_loop.c).  ctl_run connects as the owner with session
 * label (the audit's "who", e.g. "maracctl agenda"), opens a transaction
 * in ctl->txn and calls fn with it; the workflow's last callback calls
 * ctl_done, which commits (rc CTL_OK) or rolls back, and ctl_run then
 * returns rc (CTL_FAIL when the commit fails).  Output follows the
 * commit: the callbacks keep what is to be printed.
 */
typedef void (*ctl_start_fn)(struct ctl *ctl, struct db_txn *txn, void *arg);
int	ctl_run(struct ctl *ctl, const char *label, ctl_start_fn fn, void *arg);
void	ctl_done(struct ctl *ctl, int rc);
void	ctl_loop_close(struct ctl *ctl);
/* Prints why a statement failed (NULL: the connection was lost): CTL_FAIL. */
int	ctl_fail_res(const PGresult *res);

/* Prints header, then res's rows tab-separated, and clears res. */
void	ctl_print_rows(const char *header, PGresult *res);

/*
 * Writes path whole or not at all (a temporary file, synced and renamed
 * into place), created with mode (before the umask).
 */
int	ctl_write_file(const char *path, const void *data, size_t len, int mode);

/* getopt_long-free option lookup: "--name VALUE" pairs after the verb. */
const char *ctl_opt(int argc, char **argv, const char *name);
bool	ctl_opts_known(int argc, char **argv, const char *const *known);

int	ctl_migrate(struct ctl *ctl, int argc, char **argv);
int	ctl_token(struct ctl *ctl, int argc, char **argv);
int	ctl_user(struct ctl *ctl, int argc, char **argv);
int	ctl_agency(struct ctl *ctl, int argc, char **argv);
int	ctl_holidays(struct ctl *ctl, int argc, char **argv);
int	ctl_calendar(struct ctl *ctl, int argc, char **argv);
int	ctl_import(struct ctl *ctl, int argc, char **argv);
int	ctl_drive(struct ctl *ctl, int argc, char **argv);
int	ctl_record(struct ctl *ctl, int argc, char **argv);
int	ctl_reminders(struct ctl *ctl, int argc, char **argv);
int	ctl_agenda(struct ctl *ctl, int argc, char **argv);
int	ctl_purge(struct ctl *ctl, int argc, char **argv);
int	ctl_subject(struct ctl *ctl, int argc, char **argv);

#endif

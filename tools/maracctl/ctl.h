/*
 * maracctl: the administrator's command.  It talks to PostgreSQL with
 * plain blocking libpq: it is a short-lived tool, not the event loop.
 */
#ifndef MARACCTL_CTL_H
#define MARACCTL_CTL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "shell/config.h"

#define CTL_OK		0
#define CTL_FAIL	1
#define CTL_USAGE	2

struct ctl {
	struct config	 cfg;
	const char	*config_path;
	PGconn		*db;
};

/* Prints "maracctl: <reason>" on stderr and returns CTL_FAIL. */
int	ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	ctl_usage(const char *line);

/* Connects as the schema owner (MARACCTL_OWNER_DSN, else [database] dsn). */
int	ctl_connect(struct ctl *ctl);
/* Runs one statement; on failure prints the reason and returns NULL. */
PGresult *ctl_exec(struct ctl *ctl, const char *sql, int nparams,
	    const char *const *params);

/* Prints header, then res's rows tab-separated, and clears res. */
void	ctl_print_rows(const char *header, PGresult *res);

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

/* Connection, statement, argument and file helpers shared by the commands. */
#include "ctl.h"
#include "shell/db.h"
#include "statements/schema.h"

#include <event2/event.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
ctl_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("maracctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CTL_FAIL;
}

/* libpq error messages end with a newline; keep the reason to one line. */
int
ctl_fail_res(const PGresult *res)
{
	const char *msg = res != NULL ? PQresultErrorMessage(res) : NULL;

	if (msg == NULL)
		return ctl_fail("the connection to the database was lost");
	return ctl_fail("%.*s", (int)strcspn(msg, "\n"), msg);
}

int
ctl_connect(struct ctl *ctl)
{
	/*
	 * The schema owner's connection comes from the operator's environment
	 * (a libpq service name is a good value), never from maracd.conf,
	 * which the daemon reads too.
	 */
	const char *owner = getenv("MARACCTL_OWNER_DSN");
	const char *dsn = owner != NULL && owner[0] != '\0' ? owner : ctl->cfg.dsn;
	const char *p[2] = { ctl->cfg.timezone, ctl->cmd->label }, *why;

	ctl->db = PQconnectdb(dsn);
	why = PQerrorMessage(ctl->db);
	if (PQstatus(ctl->db) != CONNECTION_OK)
		return ctl_fail("cannot connect to the database: %.*s",
		    (int)strcspn(why, "\n"), why);
	PQclear(PQexec(ctl->db, "SET client_min_messages = warning"));
	if (p[1] != NULL && !ctl_do(ctl, SCHEMA_SQL_CTL_SESSION, 2, p))
		return CTL_FAIL;
	return CTL_OK;
}

PGresult *
ctl_exec(struct ctl *ctl, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;

	if (ctl->db == NULL && ctl_connect(ctl) != CTL_OK)
		return NULL;
	res = PQexecParams(ctl->db, sql, nparams, NULL, params, NULL, NULL, 0);
	if (db_ok(res))
		return res;
	ctl_fail_res(res);
	PQclear(res);
	return NULL;
}

bool
ctl_do(struct ctl *ctl, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = ctl_exec(ctl, sql, nparams, params);

	PQclear(res);
	return res != NULL;
}

bool
ctl_value(struct ctl *ctl, const char **value, const char *sql, int nparams,
    const char *const *params)
{
	PQclear(ctl->res);
	if ((ctl->res = ctl_exec(ctl, sql, nparams, params)) == NULL)
		return false;
	*value = PQntuples(ctl->res) > 0 && !PQgetisnull(ctl->res, 0, 0) ?
	    PQgetvalue(ctl->res, 0, 0) : NULL;
	return true;
}

int
ctl_rows(struct ctl *ctl, const char *header, PGresult *res)
{
	if (res == NULL)
		return CTL_FAIL;
	if (header != NULL)
		buf_printf(&ctl->out, "%s\n", header);
	for (int i = 0; i < PQntuples(res); i++)
		for (int j = 0; j < PQnfields(res); j++)
			buf_printf(&ctl->out, "%s%s", PQgetvalue(res, i, j),
			    j + 1 < PQnfields(res) ? "\t" : "\n");
	PQclear(res);
	return CTL_OK;
}

bool
ctl_number(const char *s, long min, long max, long *n)
{
	char *end;

	*n = strtol(s, &end, 10);
	return s[0] != '\0' && *end == '\0' && *n >= min && *n <= max;
}

int
ctl_write_file(const char *path, const void *data, size_t len, int mode)
{
	char tmp[1100];
	ssize_t n;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return ctl_fail("cannot write %s: the name is too long", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0)
		return ctl_fail("cannot write %s", tmp);
	n = len > 0 ? write(fd, data, len) : 0;
	if (n < 0 || (size_t)n != len || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		unlink(tmp);
		return ctl_fail("cannot write %s", path);
	}
	return CTL_OK;
}

/*
 * The daily commands (agenda, holidays, drive, import, record,
 * reminders) run maracd's own workflows (daemon/shell) on an event loop
 * of maracctl's, with the same database layer (shell/db.h): one
 * connection, the schema owner's (ctl_connect), handed to a pool of one.
 */

/* Runs the loop until *flag, or until nothing is left to wait for. */
static void
run_until(struct ctl *ctl, const bool *flag)
{
	while (!*flag && event_base_loop(ctl->base, EVLOOP_ONCE) == 0)
		;
}

static void
acquired(struct db_txn *txn, void *arg)
{
	struct ctl *ctl = arg;

	ctl->txn = txn;
	ctl->answered = true;
}

bool
ctl_begin(struct ctl *ctl)
{
	if (ctl->db == NULL && ctl_connect(ctl) != CTL_OK)
		return false;
	if ((ctl->base = event_base_new()) == NULL ||
	    (ctl->pool = db_pool_adopt(ctl->base, ctl->db)) == NULL) {
		ctl_fail("out of memory");
		return false;
	}
	ctl->db = NULL;		/* the pool's now */
	if (db_acquire(ctl->pool, true, acquired, ctl) == 0)
		run_until(ctl, &ctl->answered);
	if (ctl->txn == NULL)
		ctl_fail_res(NULL);
	return ctl->txn != NULL;
}

int
ctl_wait(struct ctl *ctl)
{
	run_until(ctl, &ctl->ended);
	return ctl->ended ? ctl->rc : ctl_fail("the workflow stopped half way");
}

static void
finished(bool ok, void *arg)
{
	struct ctl *ctl = arg;

	if (!ok && ctl->rc == CTL_OK)
		ctl->rc = ctl_fail("the transaction could not be committed");
	ctl->txn = NULL;
	ctl->ended = true;
}

void
ctl_done(struct ctl *ctl, int rc)
{
	ctl->rc = rc;
	if (ctl->txn == NULL)
		ctl->ended = true;
	else
		db_finish(ctl->txn, rc == CTL_OK, finished, ctl);
}

void
ctl_done_fail(struct ctl *ctl, const char *why, const PGresult *res)
{
	if (why == NULL)
		ctl_done(ctl, ctl_fail_res(res));
	else
		ctl_done(ctl, ctl_fail("%s%s%s", ctl->what, ctl->what[0] != '\0' ?
		    ": " : "", why));
}

void
ctl_loop_close(struct ctl *ctl)
{
	db_pool_free(ctl->pool);
	if (ctl->base != NULL)
		event_base_free(ctl->base);
}

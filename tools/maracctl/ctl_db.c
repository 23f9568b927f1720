/* Connection, statement, option and file helpers shared by maracctl's verbs. */
#include "ctl.h"

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

int
ctl_usage(const char *line)
{
	fprintf(stderr, "usage: maracctl [-c file] %s\n", line);
	return CTL_USAGE;
}

/* libpq error messages end with a newline; keep the reason to one line. */
static const char *
one_line(const char *msg, char *buf, size_t len)
{
	snprintf(buf, len, "%s", msg);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
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
	char buf[256];

	ctl->db = PQconnectdb(dsn);
	if (PQstatus(ctl->db) != CONNECTION_OK)
		return ctl_fail("cannot connect to the database: %s",
		    one_line(PQerrorMessage(ctl->db), buf, sizeof(buf)));
	PQclear(PQexec(ctl->db, "SET client_min_messages = warning"));
	return CTL_OK;
}

PGresult *
ctl_exec(struct ctl *ctl, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;
	ExecStatusType st;
	char buf[256];

	res = PQexecParams(ctl->db, sql, nparams, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	ctl_fail("%s", one_line(PQresultErrorMessage(res), buf, sizeof(buf)));
	PQclear(res);
	return NULL;
}

int
ctl_fail_res(const PGresult *res)
{
	char buf[256];

	if (res == NULL)
		return ctl_fail("the connection to the database was lost");
	return ctl_fail("%s", one_line(PQresultErrorMessage(res), buf, sizeof(buf)));
}

void
ctl_print_rows(const char *header, PGresult *res)
{
	printf("%s\n", header);
	for (int i = 0; i < PQntuples(res); i++) {
		for (int j = 0; j < PQnfields(res); j++)
			printf("%s%s", j ? "\t" : "", PQgetvalue(res, i, j));
		putchar('\n');
	}
	PQclear(res);
}

const char *
ctl_opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* Every "--x" is one we know and has a value. */
bool
ctl_opts_known(int argc, char **argv, const char *const *known)
{
	for (int i = 0; i < argc; i++) {
		bool ok = false;

		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		for (const char *const *k = known; *k != NULL; k++)
			if (strcmp(argv[i], *k) == 0)
				ok = true;
		if (!ok || i + 1 >= argc)
			return false;
		i++;
	}
	return true;
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

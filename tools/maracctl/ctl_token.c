/*
 * maracctl token create|list|revoke.  A token is 256 random bits with
 * check digits (core/token.h), shown once; the database keeps only its
 * SHA-256, computed here as maracd computes it (tokenhash.h), so that the
 * token never reaches the server or its logs.
 */
#include "ctl.h"
#include "shell/tokenhash.h"
#include "core/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int
token_create(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--role", "--agency", "--forum",
	    "--name", "--areas", "--owner", "--days", NULL };
	const char *role = ctl_opt(argc, argv, "--role");
	const char *name = ctl_opt(argc, argv, "--name");
	const char *areas = ctl_opt(argc, argv, "--areas");
	bool all = areas != NULL && strcmp(areas, "all") == 0;
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	char token[TOKEN_LEN + 1], hash[TOKENHASH_HEX];
	const char *p[8];
	PGresult *res;

	if (!ctl_opts_known(argc, argv, known) || role == NULL || name == NULL)
		return ctl_usage("token create --role admin|coordinator|chair|agency|job "
		    "[--agency CODE] [--forum marac|masc] [--areas A,B|all] "
		    "--name TEXT [--owner EMAIL] [--days N]");
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return ctl_fail("no randomness available");
	token_format(rnd, token);
	if (tokenhash_hex(token, hash) != 0)
		return ctl_fail("cannot hash the token");
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = name;
	p[1] = role;
	p[2] = ctl_opt(argc, argv, "--agency");
	p[3] = ctl_opt(argc, argv, "--forum");
	p[4] = hash;
	p[5] = all ? NULL : areas;
	p[6] = ctl_opt(argc, argv, "--owner");
	p[7] = ctl_opt(argc, argv, "--days");
	/*
	 * Least privilege: an admin, coordinator or chair sees the areas it is
	 * given ("all": every one).  Without --areas, a deployment serving
	 * one area gives that one (every area is the same thing there); one
	 * serving several refuses, rather than guess.
	 */
	if (areas == NULL && strcmp(role, "agency") != 0 &&
	    strcmp(role, "job") != 0) {
		res = ctl_exec(ctl, "SELECT count(DISTINCT area) FROM series", 0, NULL);
		if (res == NULL)
			return CTL_FAIL;
		if (atoi(PQgetvalue(res, 0, 0)) > 1) {
			PQclear(res);
			return ctl_fail("this deployment serves several areas: give "
			    "--areas A,B or --areas all");
		}
		PQclear(res);
	}
	/*
	 * A token answers to a named person, and runs out (a year by default),
	 * but for maracd's own job token, which would otherwise stop every job
	 * a year on: it lasts until it is revoked, unless --days says.
	 */
	res = ctl_exec(ctl, "INSERT INTO api_tokens (name, role, agency, forum, "
	    "token_hash, areas, owner, expires_at) SELECT $1, $2, $3, $4, "
	    "decode($5, 'hex'), string_to_array($6, ','), u.id, "
	    "CASE WHEN $8::integer IS NULL AND $2 = 'job' THEN 'infinity' "
	    "ELSE now() + coalesce($8::integer, 365) * interval '1 day' END "
	    "FROM (SELECT 1) x LEFT JOIN users u ON lower(u.email) = lower($7) "
	    "WHERE $7::text IS NULL OR u.id IS NOT NULL RETURNING id", 8, p);
	if (res == NULL)
		return CTL_FAIL;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return ctl_fail("no account with the email %s", p[6]);
	}
	fprintf(stderr, "token %s created; it is shown only once\n",
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	printf("%s\n", token);
	return CTL_OK;
}

static int
token_list(struct ctl *ctl, int argc, char **argv)
{
	PGresult *res;

	(void)argv;
	if (argc != 0)
		return ctl_usage("token list");
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	res = ctl_exec(ctl, "SELECT t.id, t.name, t.role, coalesce(t.agency, '-'), "
	    "coalesce(t.forum, '-'), coalesce(array_to_string(t.areas, ','), '*'), "
	    "to_char(t.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), "
	    "coalesce(to_char(t.last_used_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), 'never'), "
	    "CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' "
	    "WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END, "
	    "to_char(t.expires_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), coalesce(u.email, '-') "
	    "FROM api_tokens t LEFT JOIN users u ON u.id = t.owner ORDER BY t.id", 0, NULL);
	if (res == NULL)
		return CTL_FAIL;
	ctl_print_rows("id\tname\trole\tagency\tforum\tareas\tcreated\tlast_used\tstate"
	    "\texpires\towner", res);
	return CTL_OK;
}

static int
token_revoke(struct ctl *ctl, int argc, char **argv)
{
	const char *p[1];
	PGresult *res;
	char *end;

	if (argc != 1 || strtol(argv[0], &end, 10) <= 0 || *end != '\0')
		return ctl_usage("token revoke ID");
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = argv[0];
	res = ctl_exec(ctl, "UPDATE api_tokens SET revoked_at = now() "
	    "WHERE id = $1 AND revoked_at IS NULL", 1, p);
	if (res == NULL)
		return CTL_FAIL;
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		PQclear(res);
		return ctl_fail("no active token with id %s", argv[0]);
	}
	PQclear(res);
	printf("token %s revoked\n", argv[0]);
	return CTL_OK;
}

int
ctl_token(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 1)
		return ctl_usage("token create|list|revoke ...");
	if (strcmp(argv[0], "create") == 0)
		return token_create(ctl, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0)
		return token_list(ctl, argc - 1, argv + 1);
	if (strcmp(argv[0], "revoke") == 0)
		return token_revoke(ctl, argc - 1, argv + 1);
	return ctl_usage("token create|list|revoke ...");
}

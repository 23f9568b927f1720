/*
 * maracctl token create|list|revoke.  A token is 256 random bits with
 * check digits (core/token.h), shown once; the database keeps only its
 * SHA-256, computed here as maracd computes it (tokenhash.h), so that the
 * token never reaches the server or its logs.
 */
#include "ctl.h"
#include "shell/tokenhash.h"
#include "core/token.h"
#include "statements/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <cjson/cJSON.h>

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
	const char *p[9];
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
	/*
	 * What the token gets (its areas, its expiry, its owner) is
	 * api_token_create's, as for POST /v1/tokens (sql/018_admin.sql).
	 */
	p[0] = name;
	p[1] = role;
	p[2] = ctl_opt(argc, argv, "--agency");
	p[3] = ctl_opt(argc, argv, "--forum");
	p[4] = hash;
	p[5] = all ? NULL : areas;
	p[6] = all ? "true" : "false";
	p[7] = ctl_opt(argc, argv, "--owner");
	p[8] = ctl_opt(argc, argv, "--days");
	res = ctl_exec(ctl, TOKENS_SQL_CREATE, 9, p);
	if (res == NULL)
		return CTL_FAIL;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return ctl_fail("no account with the email %s", p[7]);
	}
	{
		cJSON *o = cJSON_Parse(PQgetvalue(res, 0, 0));

		fprintf(stderr, "token %.0f created; it is shown only once\n",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(o, "id")));
		cJSON_Delete(o);
	}
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
	/* As GET /v1/tokens shows them (api_token_list, sql/018_admin.sql). */
	res = ctl_exec(ctl, "SELECT x->>'id', x->>'name', x->>'role', "
	    "coalesce(x->>'agency', '-'), coalesce(x->>'forum', '-'), "
	    "CASE WHEN jsonb_typeof(x->'areas') = 'array' THEN (SELECT string_agg(a, ',') "
	    "FROM jsonb_array_elements_text(x->'areas') a) ELSE '*' END, "
	    "to_char((x->>'created_at')::timestamptz, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), "
	    "coalesce(to_char((x->>'last_used_at')::timestamptz, "
	    "'YYYY-MM-DD\"T\"HH24:MI:SSOF'), 'never'), x->>'state', "
	    "coalesce(to_char((x->>'expires_at')::timestamptz, "
	    "'YYYY-MM-DD\"T\"HH24:MI:SSOF'), 'never'), coalesce(x->>'owner', '-') "
	    "FROM jsonb_array_elements(api_token_list()) x", 0, NULL);
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
	res = ctl_exec(ctl, TOKENS_SQL_REVOKE, 1, p);
	if (res == NULL)
		return CTL_FAIL;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
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

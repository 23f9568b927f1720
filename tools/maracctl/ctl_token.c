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

int
ctl_token_create(struct ctl *ctl)
{
	const char *areas = ctl_arg(ctl, "areas");
	bool all = areas != NULL && strcmp(areas, "all") == 0;
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	char token[TOKEN_LEN + 1], hash[TOKENHASH_HEX];
	/*
	 * What the token gets (its areas, its expiry, its owner) is
	 * api_token_create's, as for POST /v1/tokens (sql/018_admin.sql).
	 */
	const char *p[9] = { ctl_arg(ctl, "name"), ctl_arg(ctl, "role"),
	    ctl_arg(ctl, "agency"), ctl_arg(ctl, "forum"), hash,
	    all ? NULL : areas, all ? "true" : "false", ctl_arg(ctl, "owner"),
	    ctl_arg(ctl, "days") };
	PGresult *res;
	cJSON *o;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return ctl_fail("no randomness available");
	token_format(rnd, token);
	if (tokenhash_hex(token, hash) != 0)
		return ctl_fail("cannot hash the token");
	if ((res = ctl_exec(ctl, TOKENS_SQL_CREATE, 9, p)) == NULL)
		return CTL_FAIL;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return ctl_fail("no account with the email %s", p[7]);
	}
	o = cJSON_Parse(PQgetvalue(res, 0, 0));
	fprintf(stderr, "token %.0f created; it is shown only once\n",
	    cJSON_GetNumberValue(cJSON_GetObjectItem(o, "id")));
	cJSON_Delete(o);
	PQclear(res);
	buf_printf(&ctl->out, "%s\n", token);
	return CTL_OK;
}

/* As GET /v1/tokens shows them (api_token_list, sql/018_admin.sql). */
#define TIME(x) "to_char((" x ")::timestamptz, 'YYYY-MM-DD\"T\"HH24:MI:SSOF')"

int
ctl_token_list(struct ctl *ctl)
{
	return ctl_rows(ctl, "id\tname\trole\tagency\tforum\tareas\tcreated\t"
	    "last_used\tstate\texpires\towner", ctl_exec(ctl, "SELECT x->>'id', "
	    "x->>'name', x->>'role', coalesce(x->>'agency', '-'), "
	    "coalesce(x->>'forum', '-'), CASE WHEN jsonb_typeof(x->'areas') = "
	    "'array' THEN (SELECT string_agg(a, ',') FROM "
	    "jsonb_array_elements_text(x->'areas') a) ELSE '*' END, "
	    TIME("x->>'created_at'") ", coalesce(" TIME("x->>'last_used_at'")
	    ", 'never'), x->>'state', coalesce(" TIME("x->>'expires_at'")
	    ", 'never'), coalesce(x->>'owner', '-') "
	    "FROM jsonb_array_elements(api_token_list()) x", 0, NULL));
}

int
ctl_token_revoke(struct ctl *ctl)
{
	PGresult *res;
	long long id;
	bool ok;

	if (!ctl_id(ctl->pos[0], &id))
		return ctl_usage(ctl);
	if ((res = ctl_exec(ctl, TOKENS_SQL_REVOKE, 1, ctl->pos)) == NULL)
		return CTL_FAIL;
	ok = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);
	PQclear(res);
	if (!ok)
		return ctl_fail("no active token with id %s", ctl->pos[0]);
	buf_printf(&ctl->out, "token %s revoked\n", ctl->pos[0]);
	return CTL_OK;
}

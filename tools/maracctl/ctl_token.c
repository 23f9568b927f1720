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

#define TIME(col) "to_char(" col ", 'YYYY-MM-DD\"T\"HH24:MI:SSOF')"

int
ctl_token_create(struct ctl *ctl)
{
	const char *role = ctl_arg(ctl, "role");
	const char *areas = ctl_arg(ctl, "areas");
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	char token[TOKEN_LEN + 1], hash[TOKENHASH_HEX];
	const char *p[8] = { ctl_arg(ctl, "name"), role, ctl_arg(ctl, "agency"),
	    ctl_arg(ctl, "forum"), hash, areas != NULL &&
	    strcmp(areas, "all") == 0 ? NULL : areas, ctl_arg(ctl, "owner"),
	    ctl_arg(ctl, "days") };
	PGresult *res;
	bool several;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return ctl_fail("no randomness available");
	token_format(rnd, token);
	if (tokenhash_hex(token, hash) != 0)
		return ctl_fail("cannot hash the token");
	/*
	 * Least privilege: an admin, coordinator or chair sees the areas it is
	 * given ("all": every one).  Without --areas, a deployment serving
	 * one area gives that one (every area is the same thing there); one
	 * serving several refuses, rather than guess.
	 */
	if (areas == NULL && strcmp(role, "agency") != 0 &&
	    strcmp(role, "job") != 0) {
		if ((res = ctl_exec(ctl, "SELECT count(DISTINCT area) > 1 FROM "
		    "series", 0, NULL)) == NULL)
			return CTL_FAIL;
		several = PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
		if (several)
			return ctl_fail("this deployment serves several areas: give "
			    "--areas A,B or --areas all");
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
	buf_printf(&ctl->out, "%s\n", token);
	return CTL_OK;
}

int
ctl_token_list(struct ctl *ctl)
{
	return ctl_rows(ctl, "id\tname\trole\tagency\tforum\tareas\tcreated\t"
	    "last_used\tstate\texpires\towner", ctl_exec(ctl, "SELECT t.id, "
	    "t.name, t.role, coalesce(t.agency, '-'), coalesce(t.forum, '-'), "
	    "coalesce(array_to_string(t.areas, ','), '*'), " TIME("t.created_at")
	    ", coalesce(" TIME("t.last_used_at") ", 'never'), "
	    "CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' "
	    "WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END, "
	    TIME("t.expires_at") ", coalesce(u.email, '-') FROM api_tokens t "
	    "LEFT JOIN users u ON u.id = t.owner ORDER BY t.id", 0, NULL));
}

int
ctl_token_revoke(struct ctl *ctl)
{
	PGresult *res;
	long long id;
	bool ok;

	if (!ctl_id(ctl->pos[0], &id))
		return ctl_usage(ctl);
	if ((res = ctl_exec(ctl, "UPDATE api_tokens SET revoked_at = now() "
	    "WHERE id = $1 AND revoked_at IS NULL", 1, ctl->pos)) == NULL)
		return CTL_FAIL;
	ok = strcmp(PQcmdTuples(res), "1") == 0;
	PQclear(res);
	if (!ok)
		return ctl_fail("no active token with id %s", ctl->pos[0]);
	buf_printf(&ctl->out, "token %s revoked\n", ctl->pos[0]);
	return CTL_OK;
}

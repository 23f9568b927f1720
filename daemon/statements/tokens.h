/*
 * The API tokens (sql/018_admin.sql): listed, made and revoked by an
 * admin over HTTP or by maracctl, through the same functions.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_TOKENS_H
#define MARACD_STATEMENTS_TOKENS_H

/* Every token, oldest first: one jsonb array. */
#define TOKENS_SQL_LIST "SELECT api_token_list()"

/*
 * A token made: $1 name, $2 role, $3 agency, $4 forum, $5 the hex
 * SHA-256 of its secret (tokenhash.h), $6 areas ("a,b"; NULL none
 * given), $7 true for every area, $8 the owner's email (NULL: the
 * caller), $9 days it lasts (NULL: the default).  One jsonb, NULL when
 * $8 is nobody's.
 */
#define TOKENS_SQL_CREATE \
	"SELECT api_token_create($1, $2, $3, $4, $5, string_to_array($6, ','), " \
	"$7::boolean, $8, $9::integer)"

/* $1 the token's id: one jsonb, NULL when none in force has it. */
#define TOKENS_SQL_REVOKE "SELECT api_token_revoke($1::bigint)"

/* maracctl token create: the new token's id, NULL as for TOKENS_SQL_CREATE. */
#define TOKENS_SQL_CREATE_ID "SELECT (" TOKENS_SQL_CREATE ")->>'id'"

/*
 * maracctl token list: TOKENS_SQL_LIST as rows of text (id, name, role,
 * agency, forum, areas, created, last used, state, expires, owner).
 */
#define TOKENS_TIME(x) \
	"to_char((" x ")::timestamptz, 'YYYY-MM-DD\"T\"HH24:MI:SSOF')"
#define TOKENS_SQL_LIST_ROWS \
	"SELECT x->>'id', x->>'name', x->>'role', coalesce(x->>'agency', '-'), " \
	"coalesce(x->>'forum', '-'), CASE WHEN jsonb_typeof(x->'areas') = " \
	"'array' THEN (SELECT string_agg(a, ',') FROM " \
	"jsonb_array_elements_text(x->'areas') a) ELSE '*' END, " \
	TOKENS_TIME("x->>'created_at'") ", " \
	"coalesce(" TOKENS_TIME("x->>'last_used_at'") ", 'never'), x->>'state', " \
	"coalesce(" TOKENS_TIME("x->>'expires_at'") ", 'never'), " \
	"coalesce(x->>'owner', '-') FROM jsonb_array_elements((" TOKENS_SQL_LIST ")) x"

#endif

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

#endif

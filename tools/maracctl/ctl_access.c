/*
 * maracctl token, user and agency: how a deployment gets its first admin
 * and maracd's job token.  Each sends the statement the API's handler
 * sends, so what a token, an account or an agency gets is decided once,
 * in the database (sql/012_accounts.sql, 018_admin.sql).  A token is
 * hashed here, as maracd hashes it, so that it never reaches the server.
 */
#include "ctl.h"
#include "shell/accountlink.h"
#include "shell/tokenhash.h"
#include "statements/accounts.h"
#include "statements/agencies.h"
#include "statements/tokens.h"

#include <stdio.h>
#include <string.h>

/* --areas A,B or all, as the statements take them. */
static const char *
areas(const struct ctl *ctl)
{
	const char *a = ctl_arg(ctl, "areas");

	return a != NULL && strcmp(a, "all") == 0 ? NULL : a;
}

int
ctl_token_create(struct ctl *ctl)
{
	char token[TOKEN_LEN + 1], hash[TOKENHASH_HEX];
	/* All areas: "--areas all"; none given: the database's default. */
	const char *p[9] = { ctl_arg(ctl, "name"), ctl_arg(ctl, "role"),
	    ctl_arg(ctl, "agency"), ctl_arg(ctl, "forum"), hash, areas(ctl),
	    ctl_arg(ctl, "areas") != NULL && areas(ctl) == NULL ? "true" :
	    "false", ctl_arg(ctl, "owner"), ctl_arg(ctl, "days") };
	const char *id;

	if (tokenhash_new(token) != 0 || tokenhash_hex(token, hash) != 0)
		return ctl_fail("cannot make the token");
	if (!ctl_value(ctl, &id, TOKENS_SQL_CREATE_ID, 9, p))
		return CTL_FAIL;
	if (id == NULL)
		return ctl_fail("no account with the email %s", p[7]);
	fprintf(stderr, "token %s created; it is shown only once\n", id);
	buf_printf(&ctl->out, "%s\n", token);
	return CTL_OK;
}

int
ctl_token_revoke(struct ctl *ctl)
{
	const char *revoked;

	if (!ctl_value(ctl, &revoked, TOKENS_SQL_REVOKE, 1, ctl->pos))
		return CTL_FAIL;
	if (revoked == NULL)
		return ctl_fail("no active token with id %s", ctl->pos[0]);
	buf_printf(&ctl->out, "token %s revoked\n", ctl->pos[0]);
	return CTL_OK;
}

/*
 * Sends sql with p[0] to p[n - 1] and then the link's: its token, where
 * the database mails it (NULL with --print-link, to print it instead),
 * how many hours it lasts.
 */
static bool
link_send(struct ctl *ctl, struct accountlink *l, const char *sql,
    const char **p, int n, const char **value)
{
	if (accountlink_new(l, &ctl->cfg) != 0) {
		ctl_fail("no randomness available");
		return false;
	}
	if (ctl_arg(ctl, "print-link") != NULL)
		l->origin = NULL;
	p[n] = l->token;
	p[n + 1] = l->origin;
	p[n + 2] = l->hours;
	return ctl_value(ctl, value, sql, n + 3, p);
}

/* Print the link unless the database mailed it. */
static int
link_show(struct ctl *ctl, const struct accountlink *l)
{
	const char *p[2] = { l->token, ctl->cfg.accounts.public_origin };

	if (l->origin != NULL) {
		fprintf(stderr, "the link has been mailed\n");
		return CTL_OK;
	}
	return ctl_rows(ctl, NULL, ctl_exec(ctl, ACCOUNTS_SQL_LINK_URL, 2, p));
}

int
ctl_user_invite(struct ctl *ctl)
{
	struct accountlink l;
	const char *p[9] = { ctl_arg(ctl, "email"), ctl_arg(ctl, "name"),
	    ctl_arg(ctl, "role"), ctl_arg(ctl, "agency"), ctl_arg(ctl, "forum"),
	    areas(ctl) }, *id;

	if (!link_send(ctl, &l, ACCOUNTS_SQL_INVITE, p, 6, &id))
		return CTL_FAIL;
	fprintf(stderr, "user %s invited\n", id);
	return link_show(ctl, &l);
}

/* user enable, user disable. */
int
ctl_user_state(struct ctl *ctl)
{
	const char *p[2] = { ctl->pos[0], strcmp(ctl->cmd->verb,
	    "user enable") == 0 ? "active" : "disabled" }, *state;

	if (!ctl_value(ctl, &state, ACCOUNTS_SQL_USER_STATE, 2, p))
		return CTL_FAIL;
	if (state == NULL)
		return ctl_fail("no user with id %s", ctl->pos[0]);
	buf_printf(&ctl->out, "user %s %s\n", ctl->pos[0], state);
	return CTL_OK;
}

int
ctl_user_reset_2fa(struct ctl *ctl)
{
	struct accountlink l;
	const char *p[4] = { ctl->pos[0] }, *done;

	if (!link_send(ctl, &l, ACCOUNTS_SQL_RESET_2FA, p, 1, &done))
		return CTL_FAIL;
	if (done == NULL || done[0] != 't')
		return ctl_fail("no enabled user with id %s", ctl->pos[0]);
	fprintf(stderr, "user %s must enrol a second factor again\n", ctl->pos[0]);
	return link_show(ctl, &l);
}

/*
 * "agency add" of an existing code updates its name and reminder
 * address, so seeding twice is harmless; --core-of sets the forums it is
 * a core agency of (agency_save, as POST and PATCH /v1/agencies).
 */
int
ctl_agency_add(struct ctl *ctl)
{
	const char *core = ctl_arg(ctl, "core-of");
	const char *p[6] = { ctl->pos[0], ctl_arg(ctl, "name"),
	    ctl_arg(ctl, "email"), "true",
	    core != NULL && strcmp(core, "none") == 0 ? "" : core, NULL };

	if (!ctl_do(ctl, AGENCIES_SQL_SAVE, 6, p))
		return CTL_FAIL;
	buf_printf(&ctl->out, "agency %s saved\n", p[0]);
	return CTL_OK;
}

/* token list, user list, agency list: a statement's rows under a header. */
int
ctl_list(struct ctl *ctl)
{
	static const struct { const char *verb, *sql, *header; } lists[] = {
		{ "token list", TOKENS_SQL_LIST_ROWS, "id\tname\trole\tagency\t"
		    "forum\tareas\tcreated\tlast_used\tstate\texpires\towner" },
		{ "user list", ACCOUNTS_SQL_USERS_ROWS,
		    "id\temail\tname\tstate\tsecond_factor\troles" },
		{ "agency list", AGENCIES_SQL_LIST_ROWS, NULL },
	};
	size_t i = 0;

	while (strcmp(lists[i].verb, ctl->cmd->verb) != 0)
		i++;
	return ctl_rows(ctl, lists[i].header,
	    ctl_exec(ctl, lists[i].sql, 0, NULL));
}

/*
 * maracctl user invite|list|disable|enable|reset-2fa: named accounts
 * (sql/012_accounts.sql), through the statements the API's handlers send
 * (statements/accounts.h), as the schema owner.  This is how a
 * deployment gets its first admin: the operator invites one.
 *
 * An invitation is a one-time link (256 random bits in the shape of
 * core/token.h, kept hashed) that the database mails through the outbox
 * to the person, with [accounts] public_origin as the address to open;
 * with --print-link (or no public_origin) nothing is mailed and the link
 * is printed instead, for the operator to hand over.
 */
#include "ctl.h"
#include "statements/accounts.h"
#include "core/token.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* A link's token, where its mail points and how long it lasts. */
struct link {
	char		 tok[TOKEN_LEN + 1];
	const char	*base;		/* NULL: printed, not mailed */
	char		 hours[16];
};

static int
link_make(struct ctl *ctl, struct link *l)
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];
	const char *o = ctl->cfg.accounts.public_origin;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return ctl_fail("no randomness available");
	token_format(rnd, l->tok);
	l->base = ctl_arg(ctl, "print-link") != NULL || o == NULL ||
	    o[0] == '\0' ? NULL : o;
	snprintf(l->hours, sizeof(l->hours), "%d",
	    ctl->cfg.accounts.invitation_hours);
	return CTL_OK;
}

/* Print the link unless the database mailed it. */
static int
link_show(struct ctl *ctl, const struct link *l)
{
	const char *p[2] = { l->tok, ctl->cfg.accounts.public_origin };

	if (l->base != NULL) {
		fprintf(stderr, "the link has been mailed\n");
		return CTL_OK;
	}
	return ctl_rows(ctl, NULL, ctl_exec(ctl,
	    "SELECT account_link_url('invite', $1, $2)", 2, p));
}

int
ctl_user_invite(struct ctl *ctl)
{
	const char *areas = ctl_arg(ctl, "areas");
	struct link l;
	const char *p[9] = { ctl_arg(ctl, "email"), ctl_arg(ctl, "name"),
	    ctl_arg(ctl, "role"), ctl_arg(ctl, "agency"), ctl_arg(ctl, "forum"),
	    areas != NULL && strcmp(areas, "all") == 0 ? NULL : areas, l.tok,
	    NULL, l.hours };
	PGresult *res;

	if (link_make(ctl, &l) != CTL_OK)
		return CTL_FAIL;
	p[7] = l.base;
	if ((res = ctl_exec(ctl, ACCOUNTS_SQL_INVITE, 9, p)) == NULL)
		return CTL_FAIL;
	fprintf(stderr, "user %s invited\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return link_show(ctl, &l);
}

int
ctl_user_list(struct ctl *ctl)
{
	return ctl_rows(ctl, "id\temail\tname\tstate\tsecond_factor\troles",
	    ctl_exec(ctl, "SELECT x->>'id', x->>'email', x->>'display_name', "
	    "x->>'state', CASE WHEN (x->>'second_factor')::boolean THEN 'yes' "
	    "ELSE 'no' END, coalesce((SELECT string_agg(concat(r->>'role', "
	    "',agency=' || (r->>'agency'), ',forum=' || (r->>'forum'), "
	    "',areas=' || (SELECT string_agg(a, '+') FROM "
	    "jsonb_array_elements_text(CASE WHEN jsonb_typeof(r->'areas') = "
	    "'array' THEN r->'areas' END) a)), ' ') "
	    "FROM jsonb_array_elements(x->'roles') r), '-') "
	    "FROM jsonb_array_elements((" ACCOUNTS_SQL_USERS ")) x", 0, NULL));
}

int
ctl_user_state(struct ctl *ctl)
{
	const char *p[4] = { ctl->pos[0], strcmp(ctl->cmd->verb,
	    "user enable") == 0 ? "active" : "disabled", NULL, NULL };
	PGresult *res;
	long long id;
	int rc;

	if (!ctl_id(ctl->pos[0], &id))
		return ctl_usage(ctl);
	if ((res = ctl_exec(ctl, "SELECT (" ACCOUNTS_SQL_USER_UPDATE ")->>'state'",
	    4, p)) == NULL)
		return CTL_FAIL;
	rc = PQgetisnull(res, 0, 0) ? CTL_FAIL : CTL_OK;
	if (rc == CTL_OK)
		buf_printf(&ctl->out, "user %s %s\n", ctl->pos[0],
		    PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc == CTL_OK ? rc : ctl_fail("no user with id %s", ctl->pos[0]);
}

int
ctl_user_reset_2fa(struct ctl *ctl)
{
	struct link l;
	const char *p[4] = { ctl->pos[0], l.tok, NULL, l.hours };
	PGresult *res;
	long long id;
	bool done;

	if (!ctl_id(ctl->pos[0], &id))
		return ctl_usage(ctl);
	if (link_make(ctl, &l) != CTL_OK)
		return CTL_FAIL;
	p[2] = l.base;
	if ((res = ctl_exec(ctl, ACCOUNTS_SQL_RESET_2FA, 4, p)) == NULL)
		return CTL_FAIL;
	done = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!done)
		return ctl_fail("no enabled user with id %s", ctl->pos[0]);
	fprintf(stderr, "user %s must enrol a second factor again\n", ctl->pos[0]);
	return link_show(ctl, &l);
}

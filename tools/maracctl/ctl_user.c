/*
 * maracctl user invite|list|disable|enable|reset-2fa: named accounts
 * (sql/012_accounts.sql), run as the schema owner.  This is how a
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
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const char usage_line[] = "user invite --email ADDRESS --name TEXT "
    "--role admin|coordinator|chair|agency [--agency CODE] [--forum marac|masc] "
    "[--areas A,B|all] [--print-link] | user list | user disable ID | "
    "user enable ID | user reset-2fa ID [--print-link]";

/* A fresh link token. */
static int
link_token(char out[TOKEN_LEN + 1])
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return ctl_fail("no randomness available");
	token_format(rnd, out);
	return CTL_OK;
}

/* Where the mail's link points, or NULL for none (the link is printed). */
static const char *
link_base(struct ctl *ctl, bool print)
{
	const char *o = ctl->cfg.accounts.public_origin;

	return print || o == NULL || o[0] == '\0' ? NULL : o;
}

/* Print the link for tok unless the database mailed it. */
static int
link_show(struct ctl *ctl, const char *tok, bool mailed)
{
	const char *p[2];
	PGresult *res;

	if (mailed) {
		fprintf(stderr, "the link has been mailed\n");
		return CTL_OK;
	}
	p[0] = tok;
	p[1] = ctl->cfg.accounts.public_origin;
	res = ctl_exec(ctl, "SELECT account_link_url('invite', $1, $2)", 2, p);
	if (res == NULL)
		return CTL_FAIL;
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return CTL_OK;
}

static int
user_invite(struct ctl *ctl, int argc, char **argv)
{
	const char *email = NULL, *name = NULL, *role = NULL, *agency = NULL,
	    *forum = NULL, *p[9];
	const char *areas = NULL;
	char tok[TOKEN_LEN + 1], hours[16];
	bool print = false;
	PGresult *res;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--print-link") == 0) {
			print = true;
			continue;
		}
		if (v == NULL)
			return ctl_usage(usage_line);
		if (strcmp(argv[i], "--email") == 0)
			email = v;
		else if (strcmp(argv[i], "--name") == 0)
			name = v;
		else if (strcmp(argv[i], "--role") == 0)
			role = v;
		else if (strcmp(argv[i], "--agency") == 0)
			agency = v;
		else if (strcmp(argv[i], "--forum") == 0)
			forum = v;
		else if (strcmp(argv[i], "--areas") == 0)
			areas = strcmp(v, "all") == 0 ? NULL : v;
		else
			return ctl_usage(usage_line);
		i++;
	}
	if (email == NULL || name == NULL || role == NULL)
		return ctl_usage(usage_line);
	if ((rc = link_token(tok)) != CTL_OK || (rc = ctl_connect(ctl)) != CTL_OK)
		return rc;
	snprintf(hours, sizeof(hours), "%d", ctl->cfg.accounts.invitation_hours);
	p[0] = email;
	p[1] = name;
	p[2] = role;
	p[3] = agency;
	p[4] = forum;
	p[5] = areas;
	p[6] = tok;
	p[7] = link_base(ctl, print);
	p[8] = hours;
	res = ctl_exec(ctl, "SELECT account_invite($1, $2, $3, $4, $5, "
	    "string_to_array($6, ','), $7, $8, $9::integer)", 9, p);
	if (res == NULL)
		return CTL_FAIL;
	fprintf(stderr, "user %s invited\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return link_show(ctl, tok, p[7] != NULL);
}

static int
user_list(struct ctl *ctl, int argc, char **argv)
{
	PGresult *res;

	(void)argv;
	if (argc != 0)
		return ctl_usage(usage_line);
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	res = ctl_exec(ctl, "SELECT x->>'id', x->>'email', x->>'display_name', "
	    "x->>'state', CASE WHEN (x->>'second_factor')::boolean THEN 'yes' ELSE 'no' END, "
	    "coalesce((SELECT string_agg(concat(r->>'role', ',agency=' || (r->>'agency'), "
	    "',forum=' || (r->>'forum'), ',areas=' || (SELECT string_agg(a, '+') FROM "
	    "jsonb_array_elements_text(CASE WHEN jsonb_typeof(r->'areas') = 'array' "
	    "THEN r->'areas' END) a)), ' ') "
	    "FROM jsonb_array_elements(x->'roles') r), '-') "
	    "FROM jsonb_array_elements(account_users()) x", 0, NULL);
	if (res == NULL)
		return CTL_FAIL;
	ctl_print_rows("id\temail\tname\tstate\tsecond_factor\troles", res);
	return CTL_OK;
}

static bool
id_ok(const char *s)
{
	char *end;

	return strtoll(s, &end, 10) > 0 && *end == '\0';
}

static int
user_set_state(struct ctl *ctl, int argc, char **argv, const char *state)
{
	const char *p[2];
	PGresult *res;
	int rc;

	if (argc != 1 || !id_ok(argv[0]))
		return ctl_usage(usage_line);
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	p[0] = argv[0];
	p[1] = state;
	res = ctl_exec(ctl, "SELECT account_user_update($1::bigint, $2, NULL)->>'state'",
	    2, p);
	if (res == NULL)
		return CTL_FAIL;
	if (PQgetisnull(res, 0, 0))
		rc = ctl_fail("no user with id %s", argv[0]);
	else {
		printf("user %s %s\n", argv[0], PQgetvalue(res, 0, 0));
		rc = CTL_OK;
	}
	PQclear(res);
	return rc;
}

static int
user_reset_2fa(struct ctl *ctl, int argc, char **argv)
{
	char tok[TOKEN_LEN + 1], hours[16];
	const char *p[4];
	bool print = argc == 2 && strcmp(argv[1], "--print-link") == 0;
	PGresult *res;
	int rc;

	if ((argc != 1 && !print) || !id_ok(argv[0]))
		return ctl_usage(usage_line);
	if ((rc = link_token(tok)) != CTL_OK || (rc = ctl_connect(ctl)) != CTL_OK)
		return rc;
	snprintf(hours, sizeof(hours), "%d", ctl->cfg.accounts.invitation_hours);
	p[0] = argv[0];
	p[1] = tok;
	p[2] = link_base(ctl, print);
	p[3] = hours;
	res = ctl_exec(ctl, ACCOUNTS_SQL_RESET_2FA, 4, p);
	if (res == NULL)
		return CTL_FAIL;
	rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? CTL_OK :
	    ctl_fail("no enabled user with id %s", argv[0]);
	PQclear(res);
	if (rc != CTL_OK)
		return rc;
	fprintf(stderr, "user %s must enrol a second factor again\n", argv[0]);
	return link_show(ctl, tok, p[2] != NULL);
}

int
ctl_user(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 1)
		return ctl_usage(usage_line);
	if (strcmp(argv[0], "invite") == 0)
		return user_invite(ctl, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0)
		return user_list(ctl, argc - 1, argv + 1);
	if (strcmp(argv[0], "disable") == 0)
		return user_set_state(ctl, argc - 1, argv + 1, "disabled");
	if (strcmp(argv[0], "enable") == 0)
		return user_set_state(ctl, argc - 1, argv + 1, "active");
	if (strcmp(argv[0], "reset-2fa") == 0)
		return user_reset_2fa(ctl, argc - 1, argv + 1);
	return ctl_usage(usage_line);
}

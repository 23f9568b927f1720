/*
 * Named accounts: sign-in, second factor, enrolment,
 * invitations, resets, memberships and the users an admin manages.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_ACCOUNTS_H
#define MARACD_STATEMENTS_ACCOUNTS_H

/* The signed-in person, their memberships and the one in use. */
#define ACCOUNTS_SQL_WHOAMI "SELECT account_whoami()"

/*
 * The outcome of password attempt $1 ($2: the password matched, $3:
 * the hash of the session it opens).
 */
#define ACCOUNTS_SQL_SIGNIN_PASSWORD \
	"SELECT account_signin_password($1::bigint, $2::boolean, $3)"

/*
 * A password attempt begins: its id, the stored hash and how long the
 * caller must wait ($1 email, $2 client address, $3 request id, $4 and
 * $5 the failures allowed and the lock they bring).
 */
#define ACCOUNTS_SQL_SIGNIN_BEGIN \
	"SELECT attempt_id, password_hash, wait_seconds FROM " \
	"account_signin_begin($1, $2, $3, $4::integer, $5::integer)"

/* The second factor's outcome, and the session it opens. */
#define ACCOUNTS_SQL_SIGNIN_SECOND \
	"SELECT account_signin_second($1, $2::bigint, $3, $4, $5, " \
	"$6::integer, $7)"

/* The account a pending second-factor step ($1: its token hash) is for. */
#define ACCOUNTS_SQL_SIGNIN_KEY \
	"SELECT user_id, totp_secret, totp_last_step FROM " \
	"account_signin_key($1)"

/* This session ends. */
#define ACCOUNTS_SQL_SIGNOUT "SELECT account_signout(false)"

/* Every session of the caller ends. */
#define ACCOUNTS_SQL_SIGNOUT_ALL "SELECT account_signout(true)"

/*
 * The session acts in membership $1 from now on ($2, $3: the hashes of
 * the session and CSRF tokens that replace it).
 */
#define ACCOUNTS_SQL_SWITCH_MEMBERSHIP \
	"SELECT account_switch_membership($1::bigint, $2, $3)"

/* The invitation behind link hash $1, if it can still be used. */
#define ACCOUNTS_SQL_INVITATION "SELECT account_invitation($1)"

/* An invitation accepted: the password hash and the enrolment secret. */
#define ACCOUNTS_SQL_INVITATION_ACCEPT \
	"SELECT account_invitation_accept($1, $2, decode($3, 'hex'), " \
	"$4, $5, $6)"

/* The account an enrolment ($1: its token hash) is for. */
#define ACCOUNTS_SQL_ENROL_KEY \
	"SELECT user_id, email, totp_secret, csrf_ok FROM " \
	"account_enrol_key($1, NULL)"

/* Enrolment done: the TOTP step seen and the recovery codes' hashes. */
#define ACCOUNTS_SQL_ENROL_FINISH \
	"SELECT account_enrol_finish($1, $2::bigint, $3::text[], $4, $5, " \
	"$6::integer)"

/* As ACCOUNTS_SQL_ENROL_KEY, checking the form's CSRF token $2 too. */
#define ACCOUNTS_SQL_ENROL_KEY_CSRF \
	"SELECT user_id, email, totp_secret, csrf_ok FROM " \
	"account_enrol_key($1, $2)"

/*
 * A password reset asked for ($1 email, $2 the link token, $3 the public
 * origin, $4 the hours the link lasts); the answer names nobody.
 */
#define ACCOUNTS_SQL_RESET_REQUEST \
	"SELECT account_reset_request($1, $2, $3, $4::integer)"

/* A password reset done with link hash $1 and new hash $2. */
#define ACCOUNTS_SQL_RESET_FINISH "SELECT account_reset_finish($1, $2)"

/* The accounts the caller may manage. */
#define ACCOUNTS_SQL_USERS "SELECT account_users()"

/*
 * An account invited: $1 email, $2 name, $3 role, $4 agency, $5 forum,
 * $6 areas (comma-separated), $7 the link token, $8 the public origin,
 * $9 the hours the link lasts.
 */
#define ACCOUNTS_SQL_INVITE \
	"SELECT account_invite($1, $2, $3, $4, $5, " \
	"string_to_array($6, ','), $7, $8, $9::integer)"

/*
 * Account $1 changed: $2 state, $3 name, $4 the whole new set of
 * memberships as JSON (each NULL: unchanged).
 */
#define ACCOUNTS_SQL_USER_UPDATE \
	"SELECT account_user_update($1::bigint, $2, $3, $4::jsonb)"

/* maracctl user enable|disable: account $1 to state $2; its new state. */
#define ACCOUNTS_SQL_USER_STATE \
	"SELECT account_user_update($1::bigint, $2, NULL, NULL)->>'state'"

/*
 * Account $1 must enrol a second factor again: $2 the link token, $3 the
 * public origin (NULL: the link is not mailed), $4 the hours it lasts.
 */
#define ACCOUNTS_SQL_RESET_2FA \
	"SELECT account_reset_2fa($1::bigint, $2, $3, $4::integer)"

/* The link of token $1 at public origin $2, for maracctl to print. */
#define ACCOUNTS_SQL_LINK_URL "SELECT account_link_url('invite', $1, $2)"

/*
 * maracctl user list: ACCOUNTS_SQL_USERS as rows of text (id, email,
 * name, state, second factor yes or no, roles as
 * "role,agency=A,forum=F,areas=a+b" separated by spaces, or "-").
 */
#define ACCOUNTS_SQL_USERS_ROWS \
	"SELECT x->>'id', x->>'email', x->>'display_name', x->>'state', " \
	"CASE WHEN (x->>'second_factor')::boolean THEN 'yes' ELSE 'no' END, " \
	"coalesce((SELECT string_agg(concat(r->>'role', " \
	"',agency=' || (r->>'agency'), ',forum=' || (r->>'forum'), " \
	"',areas=' || (SELECT string_agg(a, '+') FROM " \
	"jsonb_array_elements_text(CASE WHEN jsonb_typeof(r->'areas') = " \
	"'array' THEN r->'areas' END) a)), ' ') " \
	"FROM jsonb_array_elements(x->'roles') r), '-') " \
	"FROM jsonb_array_elements((" ACCOUNTS_SQL_USERS ")) x"

#endif

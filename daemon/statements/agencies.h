/*
 * The agencies of the deployment.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_AGENCIES_H
#define MARACD_STATEMENTS_AGENCIES_H

/* Every agency of the deployment, by code: one jsonb array. */
#define AGENCIES_SQL_LIST "SELECT agency_list()"
/* The same as rows of text for maracctl: code, name, reminder address. */
#define AGENCIES_SQL_LIST_ROWS "SELECT code, name, coalesce(reminder_email, " \
	"'-') FROM agencies ORDER BY code"

/*
 * An agency added or changed (sql/018_admin.sql, agency_save): $1 code,
 * $2 name, $3 reminder address, $4 whether $3 is to be set (a change),
 * $5 the forums it is a core agency of ("marac,masc"; NULL: as it is),
 * $6 true to add, false to change, NULL either.  One jsonb, NULL when a
 * change finds no such agency.
 */
#define AGENCIES_SQL_SAVE \
	"SELECT agency_save($1, $2, $3, $4::boolean, string_to_array($5, ','), $6::boolean)"

#endif

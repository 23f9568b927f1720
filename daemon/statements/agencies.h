/*
 * The agencies of the deployment.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_AGENCIES_H
#define MARACD_STATEMENTS_AGENCIES_H

/* Every agency of the deployment, by code. */
#define AGENCIES_SQL_LIST "SELECT code, name FROM agencies ORDER BY code"

#endif

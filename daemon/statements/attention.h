/*
 * What needs a caller's attention.
 *
 * The text of each statement, once: the handlers (and maracctl) send
 * it and read its rows.
 */
#ifndef MARACD_STATEMENTS_ATTENTION_H
#define MARACD_STATEMENTS_ATTENTION_H

/* What needs the caller's attention on day $1 (the clock's today). */
#define ATTENTION_SQL_LIST "SELECT attention_list($1::date)::text"

#endif

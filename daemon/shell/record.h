/*
 * A decision record exported on the event loop, as GET
 * /v1/sittings/{id}/record and /v1/referrals/{id}/record and maracctl
 * record make it: in the caller's transaction, the database gathers the
 * source as the caller (row-level security decides what is in it),
 * recordexport.c renders and hashes it, and the export is logged
 * (record_exports and audit_log) before the caller commits: a record
 * nobody logged is never handed out.
 */
#ifndef MARACD_SHELL_RECORD_H
#define MARACD_SHELL_RECORD_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "shell/recordexport.h"

struct db_txn;

/*
 * ok false: res is the failed statement's result (NULL: the connection
 * was lost, or with why set, the record could not be made).  ok true:
 * found false when there is no such record for this caller; else x is
 * the export (the callback may take x->body's bytes).
 */
struct record_exported {
	enum record_kind	 kind;
	bool			 ok;
	const PGresult		*res;
	const char		*why;
	bool			 found;
	struct recordexport	*x;
};

typedef void (*record_export_cb)(struct record_exported *e, void *arg);

/*
 * The record of sitting or referral id (digits) in format f; with log
 * false it is made and not logged (maracctl record --verify compares it).
 */
void	record_export(struct db_txn *txn, enum record_kind kind, const char *id,
	    enum recordexport_format f, bool log, record_export_cb cb, void *arg);
const char *record_kind_name(enum record_kind kind);

/*
 * What the export log and the database say of an export read back
 * (recordexport_check): how many exports with its hash are logged, the
 * first's instant, and whether the record is still what the database
 * holds (made now, not logged).  ok false as for record_exported.
 */
struct record_verified {
	bool		 ok;
	const PGresult	*res;
	const char	*why;
	long long	 exports;
	const char	*first;
	bool		 current;
};

typedef void (*record_verify_cb)(const struct record_verified *v, void *arg);

void	record_verify(struct db_txn *txn, const struct recordexport_check *c,
	    record_verify_cb cb, void *arg);

#endif

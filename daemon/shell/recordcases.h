/*
 * The hash of the record of every case heard at a sitting, in one
 * transaction of the caller's (GET /v1/sittings/{id}/record/cases, the
 * sitting's records page): one statement gathers every case's source with
 * record_referral_docs, the function a download of that case's record
 * uses, set-wise (each sitting read once for all its cases; row-level
 * security decides which cases are there, and each read is audited as a
 * download's is); recordexport.c makes each case's
 * JSON export as a download does, so its hash and size are the
 * download's; one statement logs every export (record_exports and
 * audit_log) before the caller commits.
 */
#ifndef MARACD_SHELL_RECORDCASES_H
#define MARACD_SHELL_RECORDCASES_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

#include "shell/recordexport.h"

struct db_txn;

struct record_case_hash {
	char		 referral_id[24];
	char		 reference[64];
	char		 sha256[RECORD_SHA256_HEXLEN];
	size_t		 size;		/* bytes of the JSON download */
};

/*
 * ok false: res is the failed statement's result (NULL: the connection
 * was lost, or with why set, a record could not be made).  ok true: found
 * false when the caller may not see the sitting; else the n cases, in
 * referral id order.
 */
struct record_cases_made {
	bool				 ok;
	const PGresult			*res;
	const char			*why;
	bool				 found;
	const struct record_case_hash	*cases;
	size_t				 n;
};

typedef void (*record_cases_cb)(const struct record_cases_made *m, void *arg);

/* The cases of sitting sitting_id (digits), their exports logged. */
void	record_case_hashes(struct db_txn *txn, const char *sitting_id,
	    record_cases_cb cb, void *arg);

#endif

/* Import statements' results, for maracd and maracctl alike. */
#include "statements/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Row i of a facts statement's result, from column col on. */
static bool
read_facts(const PGresult *res, int i, int col, struct intake_facts *f)
{
	memset(f, 0, sizeof(*f));
	if (PQgetisnull(res, i, col) ||
	    !date_parse(PQgetvalue(res, i, col + 1), &f->received_date))
		return false;
	snprintf(f->received_at, sizeof(f->received_at), "%s",
	    PQgetvalue(res, i, col));
	f->has_previous_marac = date_parse(PQgetvalue(res, i, col + 2),
	    &f->previous_marac);
	return true;
}

bool
importstore_read_facts(const PGresult *res, int col, struct intake_facts *f)
{
	memset(f, 0, sizeof(*f));
	return res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1 && PQnfields(res) == col + 3 &&
	    read_facts(res, 0, col, f);
}

bool
importstore_read_wave_facts(const PGresult *res, int col,
    struct import_batch *b, struct import *imp)
{
	struct intake_facts f;

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != (int)b->nwave || PQnfields(res) != col + 3)
		return false;
	for (size_t i = 0; i < b->nwave; i++) {
		if (!read_facts(res, (int)i, col, &f))
			return false;
		import_batch_route(b, imp, i, &f);
	}
	return true;
}

static const char *
text_or_null(const PGresult *res, int i, int col)
{
	return PQgetisnull(res, i, col) ? NULL : PQgetvalue(res, i, col);
}

bool
importstore_read_wave_store(const PGresult *res, struct import_batch *b,
    struct import *imp)
{
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != (int)b->nsent || PQnfields(res) != 7)
		return false;
	for (size_t k = 0; k < b->nsent; k++) {
		int i = (int)k;

		if (strtoul(PQgetvalue(res, i, 0), NULL, 10) != k + 1)
			return false;
		if (!PQgetisnull(res, i, 6))
			import_batch_store_failed(b, imp, k, PQgetvalue(res, i, 6));
		else
			import_batch_stored(b, imp, k, PQgetvalue(res, i, 1)[0] == 't',
			    strtoll(PQgetvalue(res, i, 2), NULL, 10),
			    text_or_null(res, i, 3), text_or_null(res, i, 4),
			    text_or_null(res, i, 5));
	}
	return true;
}

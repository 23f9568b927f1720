/* Import statements' results, for maracd and maracctl alike. */
#include "importstore.h"

#include <stdio.h>
#include <string.h>

bool
importstore_read_facts(const PGresult *res, int col, struct intake_facts *f)
{
	memset(f, 0, sizeof(*f));
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != 1 || PQnfields(res) != col + 3 ||
	    PQgetisnull(res, 0, col) ||
	    !date_parse(PQgetvalue(res, 0, col + 1), &f->received_date))
		return false;
	snprintf(f->received_at, sizeof(f->received_at), "%s",
	    PQgetvalue(res, 0, col));
	f->has_previous_marac = date_parse(PQgetvalue(res, 0, col + 2),
	    &f->previous_marac);
	return true;
}

bool
importstore_read_store(struct import *imp, const PGresult *res)
{
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != 1 || PQnfields(res) != 3)
		return false;
	if (!PQgetisnull(res, 0, 2))
		import_store_failed(imp, PQgetvalue(res, 0, 2));
	else
		import_stored(imp, PQgetvalue(res, 0, 0)[0] == 't',
		    PQgetvalue(res, 0, 1));
	return true;
}

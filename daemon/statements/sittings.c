/* Sitting rows as the API shows them: see sittings.h. */
#include "statements/sittings.h"

#include <stdlib.h>

cJSON *
sittings_row_json(const PGresult *res, int i)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", (double)strtoll(PQgetvalue(res, i, 0),
	    NULL, 10));
	cJSON_AddStringToObject(o, "forum", PQgetvalue(res, i, 1));
	cJSON_AddStringToObject(o, "area", PQgetvalue(res, i, 2));
	cJSON_AddStringToObject(o, "date", PQgetvalue(res, i, 3));
	cJSON_AddStringToObject(o, "cutoff", PQgetvalue(res, i, 4));
	cJSON_AddStringToObject(o, "cutoff_date", PQgetvalue(res, i, 5));
	cJSON_AddStringToObject(o, "status", PQgetvalue(res, i, 6));
	cJSON_AddStringToObject(o, "origin", PQgetvalue(res, i, 7));
	if (PQgetisnull(res, i, 8))
		cJSON_AddNullToObject(o, "venue");
	else
		cJSON_AddStringToObject(o, "venue", PQgetvalue(res, i, 8));
	cJSON_AddNumberToObject(o, "cases", atof(PQgetvalue(res, i, 9)));
	return o;
}

/*
 * The MASC indicators of one area and quarter (docs/statistics.md): time
 * from referral to hearing (median and 90th percentile), actions done by
 * their due date by agency, agencies' attendance at sittings.  Made here
 * from the groups the database counted set-based (statistics_masc,
 * sql/011_statistics.sql).  Pure: no clock, no I/O.
 */
#ifndef MARACD_CORE_MASC_INDICATORS_H
#define MARACD_CORE_MASC_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/date.h"

/*
 * The median of n values sorted ascending (the mean of the middle two
 * when n is even) and their 90th percentile by nearest rank (the
 * ceil(0.9 n)-th smallest).  False when n is 0.
 */
bool	masc_median(const int *sorted, size_t n, double *out);
bool	masc_p90(const int *sorted, size_t n, int *out);

/*
 * The indicators, as GET /v1/statistics/masc answers them, from the
 * database's counts; NULL if counts is not of their shape.
 */
cJSON  *masc_indicators_json(const cJSON *counts, const char *area, int year,
	    int quarter, date_t from, date_t to);

#endif

/*
 * MASC indicators: see masc_indicators.h.  Percentages to one decimal;
 * an agency with nothing due (or a quarter with no meeting) has none.
 */
#include "core/masc_indicators.h"
#include "core/decision.h"

#include <stdio.h>
#include <stdlib.h>

bool
masc_median(const int *v, size_t n, double *out)
{
	if (n == 0)
		return false;
	*out = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
	return true;
}

bool
masc_p90(const int *v, size_t n, int *out)
{
	size_t rank;

	if (n == 0)
		return false;
	rank = (9 * n + 9) / 10;	/* ceil(0.9 n), in whole numbers */
	*out = v[rank - 1];
	return true;
}

static double
percent(long part, long whole)
{
	return (double)(long)(1000.0 * (double)part / (double)whole + 0.5) / 10;
}

static int
ascending(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* {"days": [..]} -> {"cases", "median", "p90"}. */
static cJSON *
to_hearing(const cJSON *days)
{
	cJSON	*o = cJSON_CreateObject(), *d;
	size_t	 n = 0;
	int	*v, p90;
	double	 median;

	v = calloc((size_t)cJSON_GetArraySize(days) + 1, sizeof(*v));
	if (v == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_ArrayForEach(d, days)
		if (cJSON_IsNumber(d))
			v[n++] = d->valueint;
	qsort(v, n, sizeof(*v), ascending);
	cJSON_AddNumberToObject(o, "cases", (double)n);
	if (masc_median(v, n, &median) && masc_p90(v, n, &p90)) {
		cJSON_AddNumberToObject(o, "median_days", median);
		cJSON_AddNumberToObject(o, "p90_days", p90);
	} else {
		cJSON_AddNullToObject(o, "median_days");
		cJSON_AddNullToObject(o, "p90_days");
	}
	free(v);
	return o;
}

static long
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}

/* {names[i]: the count of counts[names[i]], 0 when absent}, in names' order. */
static cJSON *
by_name(const cJSON *counts, const char *const names[])
{
	cJSON *o = cJSON_CreateObject();

	for (int i = 0; names[i] != NULL; i++)
		cJSON_AddNumberToObject(o, names[i], (double)num(counts, names[i]));
	return o;
}

/* The structured outcomes of the cases decided at the meetings. */
static cJSON *
outcomes(const cJSON *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "cases_decided", (double)num(c, "decided"));
	cJSON_AddNumberToObject(o, "recorded", (double)num(c, "recorded"));
	cJSON_AddItemToObject(o, "spo", by_name(
	    cJSON_GetObjectItemCaseSensitive(c, "spo"), decision_spo_stages));
	cJSON_AddItemToObject(o, "onward_referrals", by_name(
	    cJSON_GetObjectItemCaseSensitive(c, "onward_referrals"),
	    decision_onward_referrals));
	return o;
}

cJSON *
masc_indicators_json(const cJSON *c, const char *area, int year, int quarter,
    date_t from, date_t to)
{
	char	 q[16], d[DATE_STRLEN];
	cJSON	*o, *a, *x, *m;
	long	 meetings;

	if (!cJSON_IsObject(c))
		return NULL;
	meetings = num(c, "meetings");
	o = cJSON_CreateObject();
	snprintf(q, sizeof(q), "%04dQ%d", year, quarter);
	cJSON_AddStringToObject(o, "area", area);
	cJSON_AddStringToObject(o, "quarter", q);
	cJSON_AddStringToObject(o, "from", date_format(from, d));
	cJSON_AddStringToObject(o, "to", date_format(to, d));
	cJSON_AddNumberToObject(o, "meetings", (double)meetings);
	cJSON_AddItemToObject(o, "referral_to_hearing", to_hearing(
	    cJSON_GetObjectItemCaseSensitive(c, "days_to_hearing")));
	/* By agency, in the order the database gives. */
	a = cJSON_AddArrayToObject(o, "actions_by_due_date");
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(c, "actions")) {
		long due = num(m, "due"), done = num(m, "on_time");

		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "agency", m->string);
		cJSON_AddNumberToObject(x, "due", (double)due);
		cJSON_AddNumberToObject(x, "completed_by_due_date", (double)done);
		if (due > 0)
			cJSON_AddNumberToObject(x, "percent", percent(done, due));
		else
			cJSON_AddNullToObject(x, "percent");
		cJSON_AddItemToArray(a, x);
	}
	cJSON_AddItemToObject(o, "outcomes", outcomes(c));
	a = cJSON_AddArrayToObject(o, "attendance");
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(c, "attendance")) {
		long n = cJSON_IsNumber(m) ? (long)m->valuedouble : 0;

		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "agency", m->string);
		cJSON_AddNumberToObject(x, "meetings_attended", (double)n);
		if (meetings > 0)
			cJSON_AddNumberToObject(x, "percent", percent(n, meetings));
		else
			cJSON_AddNullToObject(x, "percent");
		cJSON_AddItemToArray(a, x);
	}
	return o;
}

/*
 * Calendar rows in, core structs out, and the sittings plan back to
 * statement parameters (PostgreSQL array literals).  See statements/calendar.h.
 */
#include "statements/calendar.h"
#include "core/sitplan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
calendar_stmt_init(struct calendar_stmt *cs)
{
	memset(cs, 0, sizeof(*cs));
}

static void
overrides_free(struct holiday_override *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)o[i].name);
	free(o);
}

void
calendar_stmt_free(struct calendar_stmt *cs)
{
	overrides_free(cs->overrides, cs->noverrides);
	free(cs->series);
	calendar_stmt_init(cs);
}

static bool
kind_parse(const char *s, enum holiday_change *out)
{
	if (strcmp(s, "add") == 0)
		*out = HOLIDAY_ADD;
	else if (strcmp(s, "move") == 0)
		*out = HOLIDAY_MOVE;
	else if (strcmp(s, "remove") == 0)
		*out = HOLIDAY_REMOVE;
	else
		return false;
	return true;
}

int
calendar_stmt_read_overrides(struct calendar_stmt *cs, const PGresult *res, char *why,
    size_t whylen)
{
	struct holiday_override *o;
	struct calendar cal;
	size_t n = (size_t)PQntuples(res), bad = 0;

	if ((o = calloc(n + 1, sizeof(*o))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int row = (int)i;

		if (!kind_parse(PQgetvalue(res, row, 0), &o[i].kind) ||
		    !date_parse(PQgetvalue(res, row, 1), &o[i].date) ||
		    (o[i].kind == HOLIDAY_MOVE &&
		    !date_parse(PQgetvalue(res, row, 2), &o[i].from))) {
			snprintf(why, whylen, "holiday override %zu is malformed", i + 1);
			overrides_free(o, n);
			return -1;
		}
		if (!PQgetisnull(res, row, 3) &&
		    (o[i].name = strdup(PQgetvalue(res, row, 3))) == NULL) {
			snprintf(why, whylen, "out of memory");
			overrides_free(o, n);
			return -1;
		}
	}
	if (workdays_init(&cal, o, n, &bad) != 0) {
		int y, m, d;

		date_to_ymd(o[bad].date, &y, &m, &d);
		snprintf(why, whylen, "the holiday overrides make no calendar "
		    "(too many holidays in %d, or a date out of range)", y);
		overrides_free(o, n);
		return -1;
	}
	overrides_free(cs->overrides, cs->noverrides);
	cs->overrides = o;
	cs->noverrides = n;
	cs->cal = cal;		/* it borrows the array just kept */
	return 0;
}

static bool
series_row(const PGresult *res, int row, struct calendar_stmt_series *s)
{
	const char *policy = PQgetvalue(res, row, 7);

	if (snprintf(s->forum, sizeof(s->forum), "%s", PQgetvalue(res, row, 1)) >=
	    (int)sizeof(s->forum) ||
	    snprintf(s->area, sizeof(s->area), "%s", PQgetvalue(res, row, 2)) >=
	    (int)sizeof(s->area) ||
	    !date_parse(PQgetvalue(res, row, 3), &s->rule.anchor))
		return false;
	s->rule.interval_days = atoi(PQgetvalue(res, row, 4));
	s->rule.cutoff_workdays = atoi(PQgetvalue(res, row, 5));
	s->rule.cutoff_seconds = atoi(PQgetvalue(res, row, 6));
	s->rule.policy = strcmp(policy, "skip") == 0 ? SITTING_SKIP : SITTING_MOVE;
	return sittings_series_valid(&s->rule);
}

int
calendar_stmt_read_series(struct calendar_stmt *cs, const PGresult *res, char *why,
    size_t whylen)
{
	int n = PQntuples(res);
	struct calendar_stmt_series *s;
	size_t count = 0;

	if (n < 1 || !date_parse(PQgetvalue(res, 0, 0), &cs->today)) {
		snprintf(why, whylen, "the database did not say what day it is");
		return -1;
	}
	if ((s = calloc((size_t)n, sizeof(*s))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (PQgetisnull(res, i, 1))	/* no series at all */
			continue;
		if (!series_row(res, i, &s[count])) {
			snprintf(why, whylen, "series %d is out of range", i + 1);
			free(s);
			return -1;
		}
		count++;
	}
	free(cs->series);
	cs->series = s;
	cs->nseries = count;
	return 0;
}

const char *
calendar_stmt_movable(const struct calendar_stmt *cs, date_t from)
{
	struct holiday_override *o;
	struct calendar cal;
	const char *name = NULL;
	size_t n = 0;

	if ((o = calloc(cs->noverrides + 1, sizeof(*o))) == NULL)
		return NULL;
	for (size_t i = 0; i < cs->noverrides; i++)
		if (cs->overrides[i].kind != HOLIDAY_MOVE ||
		    cs->overrides[i].from != from)
			o[n++] = cs->overrides[i];
	if (workdays_init(&cal, o, n, NULL) == 0)
		name = workdays_holiday_name(&cal, from);
	free(o);
	return name;
}

const struct calendar_stmt_series *
calendar_stmt_series_find(const struct calendar_stmt *cs, const char *forum,
    const char *area)
{
	for (size_t i = 0; i < cs->nseries; i++)
		if (strcmp(cs->series[i].forum, forum) == 0 &&
		    strcmp(cs->series[i].area, area) == 0)
			return &cs->series[i];
	return NULL;
}

/* --- the plan ------------------------------------------------------- */

/* One PostgreSQL array literal being written: "{a,b,c}". */
struct arr {
	FILE	*f;
	char	*text;
	size_t	 len;
	size_t	 n;
};

static int
arrs_open(struct arr *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		a[i].n = 0;
		a[i].text = NULL;
		if ((a[i].f = open_memstream(&a[i].text, &a[i].len)) == NULL)
			return -1;
		fputc('{', a[i].f);
	}
	return 0;
}

/* Closes the literals into out[]; -1 if any stream failed. */
static int
arrs_close(struct arr *a, size_t n, char **out)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (a[i].f == NULL) {
			rc = -1;
			out[i] = NULL;
			continue;
		}
		fputc('}', a[i].f);
		if (ferror(a[i].f))
			rc = -1;
		if (fclose(a[i].f) != 0)
			rc = -1;
		out[i] = a[i].text;
	}
	return rc;
}

static void
arr_sep(struct arr *a)
{
	if (a->n++ > 0)
		fputc(',', a->f);
}

static void
arr_date(struct arr *a, date_t d)
{
	char buf[DATE_STRLEN];

	arr_sep(a);
	fputs(date_format(d, buf), a->f);
}

static void
arr_text(struct arr *a, const char *s)
{
	/* Codes only ([a-z0-9_]): quoting keeps them text whatever they are. */
	arr_sep(a);
	fprintf(a->f, "\"%s\"", s);
}

static void
arr_int(struct arr *a, long long v)
{
	arr_sep(a);
	fprintf(a->f, "%lld", v);
}

static void
arr_bool(struct arr *a, bool v)
{
	arr_sep(a);
	fputc(v ? 't' : 'f', a->f);
}

static bool
row_read(const PGresult *res, int i, struct sitplan_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = strtoll(PQgetvalue(res, i, 2), NULL, 10);
	r->generated = PQgetvalue(res, i, 3)[0] == 't';
	if (r->generated && !date_parse(PQgetvalue(res, i, 4), &r->scheduled))
		return false;
	r->pinned = PQgetvalue(res, i, 5)[0] == 't';
	r->cutoff_open = PQgetvalue(res, i, 6)[0] == 't';
	r->stored.cancelled = PQgetvalue(res, i, 8)[0] == 't';
	r->stored.cutoff_seconds = atoi(PQgetvalue(res, i, 10));
	return date_parse(PQgetvalue(res, i, 7), &r->stored.date) &&
	    date_parse(PQgetvalue(res, i, 9), &r->stored.cutoff_date);
}

/* The stored rows of one series, from a result sorted by forum, area. */
static struct sitplan_row *
rows_of(const PGresult *res, const struct calendar_stmt_series *s, size_t *n)
{
	struct sitplan_row *rows;
	int total = PQntuples(res);

	*n = 0;
	if ((rows = calloc((size_t)total + 1, sizeof(*rows))) == NULL)
		return NULL;
	for (int i = 0; i < total; i++) {
		if (strcmp(PQgetvalue(res, i, 0), s->forum) != 0 ||
		    strcmp(PQgetvalue(res, i, 1), s->area) != 0)
			continue;
		if (!row_read(res, i, &rows[*n])) {
			free(rows);
			return NULL;
		}
		(*n)++;
	}
	return rows;
}

enum { I_FORUM, I_AREA, I_SLOT, I_DATE, I_CUTOFF };
enum { U_ID, U_DATE, U_CANCELLED, U_CUTOFF, U_SECS, U_RECUT };

static int
plan_series(struct calendar_stmt_plan *plan, const struct calendar_stmt *cs,
    const struct calendar_stmt_series *s, const PGresult *res, int horizon_days,
    struct arr *ins, struct arr *upd, struct arr *re)
{
	date_t from = cs->today, to = cs->today + horizon_days;
	struct sitting_date *exp = NULL, *add = NULL;
	struct sitplan_row *rows;
	size_t nexp, nadd, nrows;
	int rc = -1;

	if ((rows = rows_of(res, s, &nrows)) == NULL)
		return -1;
	nexp = sittings_generate(&cs->cal, &s->rule, from, to, NULL, 0);
	exp = calloc(nexp + 1, sizeof(*exp));
	add = calloc(nexp + 1, sizeof(*add));
	if (exp == NULL || add == NULL)
		goto done;
	sittings_generate(&cs->cal, &s->rule, from, to, exp, nexp);
	nadd = sitplan_make(&cs->cal, &s->rule, from, to, exp, nexp, rows,
	    nrows, add);
	for (size_t i = 0; i < nadd; i++) {
		arr_text(&ins[I_FORUM], s->forum);
		arr_text(&ins[I_AREA], s->area);
		arr_date(&ins[I_SLOT], add[i].scheduled);
		arr_date(&ins[I_DATE], add[i].date);
		arr_date(&ins[I_CUTOFF], add[i].cutoff);
	}
	plan->ninsert += nadd;
	for (size_t i = 0; i < nrows; i++) {
		const struct sitplan_row *r = &rows[i];

		if (!r->moved && !r->recut)
			continue;
		arr_int(&upd[U_ID], r->id);
		arr_date(&upd[U_DATE], r->plan.date);
		arr_bool(&upd[U_CANCELLED], r->plan.cancelled);
		arr_date(&upd[U_CUTOFF], r->plan.cutoff_date);
		arr_int(&upd[U_SECS], r->plan.cutoff_seconds);
		arr_bool(&upd[U_RECUT], r->recut);
		arr_int(re, r->id);
		plan->nupdate++;
		plan->nreassign++;
	}
	rc = 0;
done:
	free(exp);
	free(add);
	free(rows);
	return rc;
}

int
calendar_stmt_plan_make(struct calendar_stmt_plan *plan, const struct calendar_stmt *cs,
    const PGresult *rows, int horizon_days)
{
	struct arr ins[5], upd[6], re[1];
	int rc = 0;

	memset(plan, 0, sizeof(*plan));
	memset(ins, 0, sizeof(ins));
	memset(upd, 0, sizeof(upd));
	memset(re, 0, sizeof(re));
	if (arrs_open(ins, 5) != 0 || arrs_open(upd, 6) != 0 ||
	    arrs_open(re, 1) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < cs->nseries; i++)
		rc = plan_series(plan, cs, &cs->series[i], rows, horizon_days,
		    ins, upd, re);
	if (arrs_close(ins, 5, plan->insert) != 0)
		rc = -1;
	if (arrs_close(upd, 6, plan->update) != 0)
		rc = -1;
	if (arrs_close(re, 1, plan->reassign) != 0)
		rc = -1;
	if (rc != 0)
		calendar_stmt_plan_free(plan);
	return rc;
}

void
calendar_stmt_plan_free(struct calendar_stmt_plan *plan)
{
	for (size_t i = 0; i < 5; i++)
		free(plan->insert[i]);
	for (size_t i = 0; i < 6; i++)
		free(plan->update[i]);
	free(plan->reassign[0]);
	memset(plan, 0, sizeof(*plan));
}

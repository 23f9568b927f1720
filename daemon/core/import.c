/*
 * The import's rows through the intake: CSV record -> referral_csv_row
 * (validation) -> intake_prepare -> [facts] -> intake_route -> [store].
 */
#include "core/import.h"
#include "core/sqlstate.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Internal to record(): a record that is not a data row. */
#define IMPORT_SKIP	(-1)

void
import_init(struct import *imp, date_t today, const char *default_area,
    const struct intake_params *params)
{
	memset(imp, 0, sizeof(*imp));
	referral_init(&imp->row.ref);
	field_errors_init(&imp->row.errs);
	csvread_init(&imp->csv, IMPORT_FIELD_MAX, IMPORT_FIELDS_MAX);
	imp->today = today;
	imp->default_area = default_area;
	if (params != NULL)
		imp->params = *params;
	else
		intake_params_default(&imp->params);
	imp->served = (struct intake_served){ default_area, true, true };
}

void
import_serve(struct import *imp, const struct intake_served *srv,
    const char *coordinator)
{
	imp->served = *srv;
	imp->coordinator = coordinator;
}

static void
row_clear(struct import_row *row)
{
	referral_free(&row->ref);
	free(row->req);
	memset(row, 0, sizeof(*row));
	referral_init(&row->ref);
	field_errors_init(&row->errs);
}

void
import_free(struct import *imp)
{
	row_clear(&imp->row);
	csvread_free(&imp->csv);
	buf_free(&imp->json);
}

static void
finish(struct import *imp, struct import_row *row, enum import_status status)
{
	row->status = status;
	switch (status) {
	case IMPORT_CREATED:	imp->totals.imported++; break;
	case IMPORT_DUPLICATE:	imp->totals.duplicates++; break;
	case IMPORT_REFUSED:	imp->totals.refused++; break;
	case IMPORT_INVALID:	imp->totals.invalid++; break;
	case IMPORT_PENDING:	break;
	}
	/* Nothing of a finished row is needed but what it reports. */
	referral_free(&row->ref);
	free(row->req);
	row->req = NULL;
}

/*
 * item's JSON added to out, written in place: cJSON's own buffer would
 * grow by realloc and then be copied (a bulk import prints two a row).
 */
static bool
print_into(cJSON *item, struct buf *out)
{
	char *p;

	for (size_t room = 16384; room <= 64 * 1024 * 1024; room *= 4) {
		if ((p = buf_room(out, room)) == NULL)
			return false;
		if (cJSON_PrintPreallocated(item, p, (int)room, false)) {
			buf_grew(out, strlen(p));
			return true;
		}
	}
	return false;
}

static int
record(struct import *imp, enum csvread_result res)
{
	struct import_row	*row = &imp->row;
	struct csvread		*csv = &imp->csv;
	cJSON			*req;
	bool			 ok;

	row_clear(row);
	row->line = csv->line;
	if (res == CSVREAD_NOMEM)
		return IMPORT_NOMEM;
	if (res == CSVREAD_BAD) {
		field_errors_add(&row->errs, "", "%s", csv->error);
		if (!imp->have_header)
			return IMPORT_BAD_HEADER;
		imp->totals.rows++;
		finish(imp, row, IMPORT_INVALID);
		return IMPORT_ROW;
	}
	if (referral_csv_blank(csv->fields, csv->nfields))
		return IMPORT_SKIP;
	if (!imp->have_header) {
		if (!referral_csv_header(&imp->cols, csv->fields, csv->nfields,
		    &row->errs))
			return IMPORT_BAD_HEADER;
		imp->have_header = true;
		return IMPORT_SKIP;
	}
	imp->totals.rows++;
	if ((req = referral_csv_row(&imp->cols, csv->fields, csv->nfields,
	    imp->today, &row->ref, &row->errs)) == NULL) {
		finish(imp, row, IMPORT_INVALID);
		return IMPORT_ROW;
	}
	buf_reset(&imp->json);
	ok = print_into(req, &imp->json) &&
	    (row->req = strdup(buf_str(&imp->json))) != NULL;
	cJSON_Delete(req);
	if (!ok) {
		field_errors_add(&row->errs, "", "could not be stored: out of memory");
		finish(imp, row, IMPORT_INVALID);
		return IMPORT_ROW;
	}
	intake_prepare(&row->ref, imp->default_area, imp->today, &imp->params, &row->d);
	row->d.coordinator = imp->coordinator;
	row->status = IMPORT_PENDING;
	return IMPORT_ROW;
}

enum import_event
import_feed(struct import *imp, const void *data, size_t len, size_t *used)
{
	const char		*p = data;
	enum csvread_result	 res;
	size_t			 n;
	int			 ev;

	*used = 0;
	for (;;) {
		res = csvread_feed(&imp->csv, p + *used, len - *used, &n);
		*used += n;
		if (res == CSVREAD_MORE)
			return IMPORT_MORE;
		if ((ev = record(imp, res)) != IMPORT_SKIP)
			return (enum import_event)ev;
	}
}

enum import_event
import_end(struct import *imp)
{
	enum csvread_result	res;
	int			ev;

	while (!imp->ended) {
		if ((res = csvread_finish(&imp->csv)) == CSVREAD_END) {
			imp->ended = true;
			if (imp->have_header)
				break;
			row_clear(&imp->row);
			imp->row.line = 1;
			field_errors_add(&imp->row.errs, "", "there is no header "
			    "row: the first row must name the columns");
			return IMPORT_BAD_HEADER;
		}
		if ((ev = record(imp, res)) != IMPORT_SKIP)
			return (enum import_event)ev;
	}
	return IMPORT_END;
}

void
import_take(struct import *imp, struct import_row *out)
{
	const struct import_row	*row = &imp->row;
	size_t			 items = offsetof(struct import_row, errs.items),
				 tail = offsetof(struct import_row, errs.count);

	/*
	 * The row, but of its list of errors (20 kB, most rows have none)
	 * only the ones it has: the rest of out is never written, so a batch
	 * of rows costs the memory its rows use, not 500 lists.
	 */
	memcpy(out, row, items);
	memcpy(out->errs.items, row->errs.items,
	    row->errs.count * sizeof(row->errs.items[0]));
	memcpy((char *)out + tail, (const char *)row + tail, sizeof(*row) - tail);
	memset(&imp->row, 0, sizeof(imp->row));
	referral_init(&imp->row.ref);
	field_errors_init(&imp->row.errs);
}

void
import_row_free(struct import_row *row)
{
	referral_free(&row->ref);
	free(row->req);
	row->req = NULL;
}

void
import_row_facts_params(const struct import_row *row, const char *params[2])
{
	params[0] = row->d.victim_key;
	params[1] = row->ref.received_at;	/* NULL: now */
}

bool
import_row_route(struct import *imp, struct import_row *row,
    const struct intake_facts *f)
{
	char why[FIELD_REASON_MAX];

	row->f = *f;
	intake_route(&row->ref, &row->f, &row->d);
	if (row->d.route.outcome != ROUTING_REFUSED) {
		if (intake_unserved(&row->d, &imp->served, why, sizeof(why)) == 0)
			return true;
		field_errors_add(&row->errs, "area", "%s", why);
		finish(imp, row, IMPORT_INVALID);
		return false;
	}
	row->error = row->d.route.error;
	snprintf(row->message, sizeof(row->message), "%s",
	    row->d.route.message);
	finish(imp, row, IMPORT_REFUSED);
	return false;
}

bool
import_row_store_json(struct import *imp, struct import_row *row,
    struct buf *out)
{
	cJSON	*d = intake_decision_json(&row->d, &row->f);
	char	 today[DATE_STRLEN];
	size_t	 len = out->len;
	bool	 ok;

	/* The import's date: which waiting case a row links to. */
	if (d != NULL)
		cJSON_AddStringToObject(d, "today",
		    date_format(imp->today, today));
	buf_putc(out, '[');
	ok = d != NULL;
	buf_puts(out, row->req);
	buf_putc(out, ',');
	ok = ok && print_into(d, out);
	buf_putc(out, ']');
	cJSON_Delete(d);
	if (ok && !buf_failed(out))
		return true;
	buf_truncate(out, len);
	field_errors_add(&row->errs, "", "could not be stored: out of memory");
	finish(imp, row, IMPORT_INVALID);
	return false;
}

void
import_row_stored(struct import *imp, struct import_row *row, bool created,
    long long id, const char *reference, const char *forum, const char *status)
{
	row->id = id;
	snprintf(row->reference, sizeof(row->reference), "%s",
	    reference != NULL ? reference : "");
	snprintf(row->forum, sizeof(row->forum), "%s", forum != NULL ? forum : "");
	snprintf(row->referral_status, sizeof(row->referral_status), "%s",
	    status != NULL ? status : "");
	if (created && strcmp(row->referral_status, "waiting") == 0)
		imp->totals.waiting++;
	finish(imp, row, created ? IMPORT_CREATED : IMPORT_DUPLICATE);
}

void
import_row_store_failed(struct import *imp, struct import_row *row,
    const char *sqlstate)
{
	/* The one foreign key a valid row can break. */
	if (strcmp(sqlstate, SQLSTATE_FOREIGN_KEY_VIOLATION) == 0)
		field_errors_add(&row->errs, "referring_agency",
		    "is not an agency of this deployment");
	else
		field_errors_add(&row->errs, "", "could not be stored "
		    "(database error %s); nothing of this row was kept",
		    sqlstate);
	finish(imp, row, IMPORT_INVALID);
}

/* The current row's versions of the above (one row at a time). */
void
import_facts_params(const struct import *imp, const char *params[2])
{
	import_row_facts_params(&imp->row, params);
}

bool
import_route(struct import *imp, const struct intake_facts *f)
{
	return import_row_route(imp, &imp->row, f);
}

bool
import_store_json(struct import *imp, struct buf *out)
{
	return import_row_store_json(imp, &imp->row, out);
}

void
import_stored(struct import *imp, bool created, const char *body)
{
	cJSON		*o = cJSON_Parse(body);
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(o, "id");

	import_row_stored(imp, &imp->row, created,
	    cJSON_IsNumber(id) ? (long long)id->valuedouble : 0,
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "reference")),
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "forum")),
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "status")));
	cJSON_Delete(o);
}

void
import_store_failed(struct import *imp, const char *sqlstate)
{
	import_row_store_failed(imp, &imp->row, sqlstate);
}

static const char *
status_name(enum import_status s)
{
	switch (s) {
	case IMPORT_CREATED:	return "created";
	case IMPORT_DUPLICATE:	return "duplicate";
	case IMPORT_REFUSED:	return "refused";
	case IMPORT_INVALID:	return "invalid";
	case IMPORT_PENDING:	break;
	}
	return "pending";
}

static void
add_error(cJSON *errors, const char *field, const char *reason)
{
	cJSON *e = cJSON_CreateObject();

	if (field[0] != '\0')
		cJSON_AddStringToObject(e, "field", field);
	else
		cJSON_AddNullToObject(e, "field");
	cJSON_AddStringToObject(e, "reason", reason);
	cJSON_AddItemToArray(errors, e);
}

cJSON *
import_row_json(const struct import_row *row)
{
	cJSON	*o = cJSON_CreateObject(), *errors;
	bool	 stored = row->status == IMPORT_CREATED ||
		    row->status == IMPORT_DUPLICATE;

	cJSON_AddNumberToObject(o, "row", (double)row->line);
	cJSON_AddStringToObject(o, "status", status_name(row->status));
	if (stored) {
		cJSON_AddNumberToObject(o, "id", (double)row->id);
		cJSON_AddStringToObject(o, "reference", row->reference);
		cJSON_AddStringToObject(o, "referral_status",
		    row->referral_status);
	} else {
		cJSON_AddNullToObject(o, "id");
		cJSON_AddNullToObject(o, "reference");
	}
	if (row->forum[0] != '\0')
		cJSON_AddStringToObject(o, "forum", row->forum);
	else
		cJSON_AddNullToObject(o, "forum");
	errors = cJSON_AddArrayToObject(o, "errors");
	if (row->status == IMPORT_REFUSED) {
		cJSON_AddStringToObject(o, "error", row->error);
		add_error(errors, "victim_dob", row->message);
	}
	for (size_t i = 0; i < row->errs.count; i++)
		add_error(errors, row->errs.items[i].field,
		    row->errs.items[i].reason);
	if (row->errs.overflow)
		add_error(errors, "", "there are more errors than are listed");
	return o;
}

void
import_row_text(const struct import_row *row, struct buf *out)
{
	if (row->status == IMPORT_REFUSED)
		buf_printf(out, "victim_dob: %s", row->message);
	for (size_t i = 0; i < row->errs.count; i++) {
		const struct field_error *e = &row->errs.items[i];

		if (i > 0)
			buf_puts(out, "; ");
		if (e->field[0] != '\0')
			buf_printf(out, "%s: ", e->field);
		buf_puts(out, e->reason);
	}
	if (row->errs.overflow)
		buf_puts(out, "; and more");
}

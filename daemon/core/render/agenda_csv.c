/*
 * The agenda as CSV, for coordinators who keep their own spreadsheets.
 * Codes rather than labels, so that a filter written once keeps working.
 */
#include "core/render/agenda.h"

#include <stdio.h>

#include "core/render/csv.h"

static void
join_bases(struct buf *out, const struct agenda_case *c)
{
	for (size_t i = 0; i < c->nbases; i++) {
		if (i > 0)
			buf_puts(out, "; ");
		buf_puts(out, c->bases[i]);
	}
}

static void
case_row(struct csv *csv, const struct agenda *a, const struct agenda_case *c,
    struct buf *tmp)
{
	char	num[24], day[DATE_STRLEN], instant[INSTANT_STRLEN];

	csv_field(csv, c->agency);
	csv_field(csv, c->agency_name);
	csv_field(csv, c->reference);
	csv_field(csv, c->victim_initials);
	if (c->victim_age >= 0)
		snprintf(num, sizeof(num), "%d", c->victim_age);
	else
		num[0] = '\0';
	csv_field(csv, num);
	csv_field(csv, c->perpetrator_initials);
	if (a->full_names) {
		csv_field(csv, c->victim_name);
		csv_field(csv, c->has_victim_dob ?
		    date_format(c->victim_dob, day) : NULL);
		csv_field(csv, c->perpetrator_name);
	}
	snprintf(num, sizeof(num), "%d", c->children);
	csv_field(csv, num);
	csv_field(csv, agenda_risk_name(c->risk));
	buf_reset(tmp);
	join_bases(tmp, c);
	if (buf_failed(tmp))
		csv->out->failed = true;
	csv_field(csv, buf_str(tmp));
	csv_field(csv, c->repeat ? "yes" : "no");
	csv_field(csv, c->urgent ? "yes" : "no");
	csv_field(csv, agenda_drive_name(c->drive));
	csv_field(csv, c->officer);
	csv_field(csv, instant_format(c->received, instant));
	/* "agency reference risk" of each linked referral, "; " between. */
	buf_reset(tmp);
	for (size_t i = 0; i < c->nlinked; i++)
		buf_printf(tmp, "%s%s %s %s", i > 0 ? "; " : "",
		    c->linked[i].agency, c->linked[i].reference,
		    agenda_risk_name(c->linked[i].risk));
	if (buf_failed(tmp))
		csv->out->failed = true;
	csv_field(csv, buf_str(tmp));
	csv_end_row(csv);
}

int
render_agenda_csv(const struct agenda *a, struct buf *out)
{
	static const char *const head[] = {
		"agency", "agency_name", "reference", "victim_initials",
		"victim_age", "perpetrator_initials"
	};
	static const char *const names[] = {
		"victim_name", "victim_dob", "perpetrator_name"
	};
	static const char *const tail[] = {
		"children", "risk", "bases", "repeat", "urgent", "drive",
		"officer", "received_at", "linked"
	};
	struct csv	csv;
	struct buf	tmp;

	csv_init(&csv, out);
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_field(&csv, head[i]);
	for (size_t i = 0; a->full_names && i < sizeof(names) /
	    sizeof(names[0]); i++)
		csv_field(&csv, names[i]);
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		csv_field(&csv, tail[i]);
	csv_end_row(&csv);
	buf_init(&tmp);
	for (size_t i = 0; i < a->ncases; i++)
		case_row(&csv, a, &a->cases[i], &tmp);
	buf_free(&tmp);
	return buf_failed(out) ? -1 : 0;
}

/* An agenda's words for people.  See agenda_text.h. */
#include "core/render/agenda_text.h"

#include "core/words.h"

void
agenda_text_date(struct buf *b, date_t d)
{
	char w[WORDS_MAX];

	if (words_day(d, w, sizeof(w)))
		buf_puts(b, w);
}

void
agenda_text_version(struct buf *b, const struct agenda *a)
{
	if (agenda_is_draft(a))
		buf_puts(b, "Draft");
	else
		buf_printf(b, "%d, issued %s", a->version, a->issued_at);
}

void
agenda_text_group(struct buf *b, const struct agenda_group *g)
{
	buf_printf(b, "%s (%zu %s)", g->agency_name, g->count,
	    words_plural((long long)g->count, "case", "cases"));
}

void
agenda_text_victim(struct buf *b, const struct agenda_case *c)
{
	char dob[DATE_STRLEN];

	if (c->victim_name == NULL) {
		buf_puts(b, c->victim_initials);
		return;
	}
	buf_puts(b, c->victim_name);
	if (c->has_victim_dob)
		buf_printf(b, " (born %s)", date_format(c->victim_dob, dob));
}

const char *
agenda_text_perpetrator(const struct agenda_case *c)
{
	if (c->perpetrator_name != NULL)
		return c->perpetrator_name;
	return c->perpetrator_initials != NULL ? c->perpetrator_initials :
	    "not recorded";
}

/* Basis codes are snake_case; on paper they read better as words. */
void
agenda_text_bases(struct buf *b, const struct agenda_case *c)
{
	for (size_t i = 0; i < c->nbases; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		for (const char *p = c->bases[i]; *p != '\0'; p++)
			buf_putc(b, *p == '_' ? ' ' : *p);
	}
}

void
agenda_text_linked(struct buf *b, const struct agenda_link *l)
{
	buf_printf(b, "also referred by %s: %s, %s risk", l->agency_name,
	    l->reference, agenda_risk_label(l->risk));
}

void
agenda_text_own_risk(struct buf *b, const struct agenda_case *c)
{
	buf_printf(b, "own risk: %s", agenda_risk_label(c->own_risk));
}

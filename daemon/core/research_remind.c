/*
 * The research reminder's words (core/research_remind.h).
 */
#include "core/research_remind.h"
#include "core/forum.h"
#include "core/render/html.h"

#include <stdbool.h>
#include <stdio.h>

void
research_remind_key(const struct research_remind *m,
    char out[RESEARCH_REMIND_KEY_MAX])
{
	snprintf(out, RESEARCH_REMIND_KEY_MAX, "research:%lld:%s:%s",
	    m->sitting_id, m->agency, m->due);
}

static const char *
forum_words(const char *code)
{
	const char *l = forum_label_of(code);

	return l != NULL ? l : code;
}

int
research_remind_build(const struct research_remind *m, struct buf *subject,
    struct buf *text, struct buf *html)
{
	const char *fw = forum_words(m->forum);
	bool link = m->base_url != NULL && m->base_url[0] != '\0';

	buf_printf(subject, "Research due %s: %zu case%s for the %s of %s",
	    m->due, m->nrefs, m->nrefs == 1 ? "" : "s", fw, m->sitting_date);

	buf_printf(text, "To %s,\n\n"
	    "Your agency was sent the agenda of the %s sitting on %s. By %s, "
	    "the information deadline, record for each case what your records "
	    "hold, or that they hold nothing.\n\n"
	    "Still to return (%zu):\n", m->agency_name, fw, m->sitting_date,
	    m->due, m->nrefs);
	for (size_t i = 0; i < m->nrefs; i++)
		buf_printf(text, "  - %s\n", m->refs[i]);
	if (link)
		buf_printf(text, "\nReturn them at %s/research/%lld\n",
		    m->base_url, m->sitting_id);
	buf_puts(text, "\nThis is the only reminder for this deadline.\n");

	buf_puts(html, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>Research due</title></head><body><p>To ");
	html_escape(html, m->agency_name);
	buf_puts(html, ",</p><p>Your agency was sent the agenda of the ");
	html_escape(html, fw);
	buf_puts(html, " sitting on ");
	html_escape(html, m->sitting_date);
	buf_puts(html, ". By <strong>");
	html_escape(html, m->due);
	buf_printf(html, "</strong>, the information deadline, record for each "
	    "case what your records hold, or that they hold nothing.</p>"
	    "<p>Still to return (%zu):</p><ul>", m->nrefs);
	for (size_t i = 0; i < m->nrefs; i++) {
		buf_puts(html, "<li>");
		html_escape(html, m->refs[i]);
		buf_puts(html, "</li>");
	}
	buf_puts(html, "</ul>");
	if (link) {
		buf_puts(html, "<p><a href=\"");
		html_escape(html, m->base_url);
		buf_printf(html, "/research/%lld\">Return them</a></p>", m->sitting_id);
	}
	buf_puts(html, "<p>This is the only reminder for this deadline.</p>"
	    "</body></html>");
	return buf_failed(subject) || buf_failed(text) || buf_failed(html) ? -1 : 0;
}

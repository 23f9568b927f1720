/*
 * The circulation message of an issued agenda.  See agenda_mail.h.
 */
#include "core/agenda_mail.h"

#include <stdio.h>
#include <string.h>

#include "core/render/html.h"

static const char *const weekdays[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};
static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* "Monday 7 December 2026", as the HTML agenda writes it. */
static void
long_date(struct buf *b, date_t d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	buf_printf(b, "%s %d %s %d", weekdays[date_weekday(d) - 1], day,
	    months[m - 1], y);
}

void
agenda_filename(const struct agenda *a, const char *ext,
    char out[AGENDA_FILENAME_SIZE])
{
	char day[DATE_STRLEN];

	date_format(a->date, day);
	if (agenda_is_draft(a))
		snprintf(out, AGENDA_FILENAME_SIZE, "agenda-%s-%s-draft.%s",
		    forum_code(a->forum), day, ext);
	else
		snprintf(out, AGENDA_FILENAME_SIZE, "agenda-%s-%s-v%d.%s",
		    forum_code(a->forum), day, a->version, ext);
}

/* "  Added: A, B, C and 3 more" */
static void
refs_text(struct buf *b, const char *what, char *const *refs, size_t n)
{
	size_t shown = n < AGENDA_MAIL_REFS_MAX ? n : AGENDA_MAIL_REFS_MAX;

	if (n == 0)
		return;
	buf_printf(b, "  %s: ", what);
	for (size_t i = 0; i < shown; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", refs[i]);
	if (n > shown)
		buf_printf(b, " and %zu more", n - shown);
	buf_putc(b, '\n');
}

static void
refs_html(struct buf *b, const char *what, char *const *refs, size_t n)
{
	size_t shown = n < AGENDA_MAIL_REFS_MAX ? n : AGENDA_MAIL_REFS_MAX;

	if (n == 0)
		return;
	buf_printf(b, "<li>%s: ", what);
	for (size_t i = 0; i < shown; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		html_escape(b, refs[i]);
	}
	if (n > shown)
		buf_printf(b, " and %zu more", n - shown);
	buf_puts(b, "</li>");
}

static void
subject(struct buf *b, const struct agenda *a)
{
	buf_printf(b, "%s agenda, ", forum_label(a->forum));
	long_date(b, a->date);
	buf_printf(b, " (version %d)", a->version);
}

static void
text(struct buf *b, const struct agenda *a, const struct agenda_diff *d,
    const char *link, const char *const *attached, size_t nattached)
{
	const char *forum = forum_label(a->forum);

	buf_puts(b, "OFFICIAL-SENSITIVE\n\n");
	buf_printf(b, "The %s agenda for the sitting of ", forum);
	long_date(b, a->date);
	buf_printf(b, " (%s) has been issued: version %d.\n\n", a->area_name,
	    a->version);
	if (a->venue != NULL)
		buf_printf(b, "Venue: %s\n", a->venue);
	buf_printf(b, "Cases on the agenda: %zu\n", a->ncases);
	if (d != NULL && a->version > 1) {
		buf_printf(b, "Changes since version %d: %zu added, "
		    "%zu removed, %zu changed\n", a->version - 1, d->nadded,
		    d->nremoved, d->nchanged);
		refs_text(b, "Added", d->added, d->nadded);
		refs_text(b, "Removed", d->removed, d->nremoved);
		refs_text(b, "Changed", d->changed, d->nchanged);
	}
	buf_putc(b, '\n');
	if (link != NULL)
		buf_printf(b, "Read the agenda (sign-in needed): %s\n", link);
	else
		buf_puts(b, "Sign in to maracd to read the agenda.\n");
	for (size_t i = 0; i < nattached; i++)
		buf_printf(b, "%s %s\n", i == 0 ? "Attached:" : "         ",
		    attached[i]);
	buf_printf(b, "\nEach agency presents the cases it referred. This "
	    "message names cases by reference only; handle the agenda as "
	    "OFFICIAL-SENSITIVE and share it only with those attending the "
	    "%s.\n", forum);
}

static void
html(struct buf *b, const struct agenda *a, const struct agenda_diff *d,
    const char *link, const char *const *attached, size_t nattached)
{
	const char *forum = forum_label(a->forum);

	buf_puts(b, "<p><strong>OFFICIAL-SENSITIVE</strong></p>\n<p>The ");
	buf_printf(b, "%s agenda for the sitting of ", forum);
	long_date(b, a->date);
	buf_puts(b, " (");
	html_escape(b, a->area_name);
	buf_printf(b, ") has been issued: version %d.</p>\n<ul>", a->version);
	if (a->venue != NULL) {
		buf_puts(b, "<li>Venue: ");
		html_escape(b, a->venue);
		buf_puts(b, "</li>");
	}
	buf_printf(b, "<li>Cases on the agenda: %zu</li>", a->ncases);
	if (d != NULL && a->version > 1) {
		buf_printf(b, "<li>Changes since version %d: %zu added, "
		    "%zu removed, %zu changed<ul>", a->version - 1, d->nadded,
		    d->nremoved, d->nchanged);
		refs_html(b, "Added", d->added, d->nadded);
		refs_html(b, "Removed", d->removed, d->nremoved);
		refs_html(b, "Changed", d->changed, d->nchanged);
		buf_puts(b, "</ul></li>");
	}
	buf_puts(b, "</ul>\n");
	if (link != NULL) {
		buf_puts(b, "<p><a href=\"");
		html_escape(b, link);
		buf_puts(b, "\">Read the agenda</a> (sign-in needed).</p>\n");
	} else {
		buf_puts(b, "<p>Sign in to maracd to read the agenda.</p>\n");
	}
	if (nattached > 0) {
		buf_puts(b, "<p>Attached:");
		for (size_t i = 0; i < nattached; i++) {
			buf_puts(b, i == 0 ? " " : ", ");
			html_escape(b, attached[i]);
		}
		buf_puts(b, "</p>\n");
	}
	buf_printf(b, "<p>Each agency presents the cases it referred. This "
	    "message names cases by reference only; handle the agenda as "
	    "OFFICIAL-SENSITIVE and share it only with those attending the "
	    "%s.</p>\n", forum);
}

int
agenda_mail_build(const struct agenda *a, const struct agenda_diff *d,
    const char *link, const char *const *attached, size_t nattached,
    struct agenda_mail *m)
{
	buf_init(&m->subject);
	buf_init(&m->text);
	buf_init(&m->html);
	subject(&m->subject, a);
	text(&m->text, a, d, link, attached, nattached);
	html(&m->html, a, d, link, attached, nattached);
	if (buf_failed(&m->subject) || buf_failed(&m->text) ||
	    buf_failed(&m->html)) {
		agenda_mail_free(m);
		return -1;
	}
	return 0;
}

void
agenda_mail_free(struct agenda_mail *m)
{
	buf_free(&m->subject);
	buf_free(&m->text);
	buf_free(&m->html);
}

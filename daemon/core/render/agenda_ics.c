/*
 * The sitting as an iCalendar event, so that agencies can put it in
 * their calendars.  Calendars sync to phones and get shared, so the event
 * says which meeting it is and nothing about any case.
 */
#include "core/render/agenda.h"

#include "core/render/ics.h"

int
render_agenda_ics(const struct agenda *a, int64_t dtstamp,
    const char *uid_domain, struct buf *out)
{
	const char	*forum = forum_label(a->forum);
	char		 day[9], utc[17], cutoff[DATE_STRLEN];
	struct buf	 text;

	buf_init(&text);
	ics_line(out, "BEGIN", "VCALENDAR");
	ics_line(out, "VERSION", "2.0");
	ics_line(out, "PRODID", "-//maracd//agenda//EN");
	ics_line(out, "CALSCALE", "GREGORIAN");
	ics_line(out, "METHOD", "PUBLISH");
	ics_line(out, "BEGIN", "VEVENT");

	/* Stable across versions and re-exports: one sitting, one UID. */
	buf_printf(&text, "sitting-%lld-%s@%s", (long long)a->sitting_id,
	    forum_code(a->forum),
	    uid_domain != NULL ? uid_domain : "maracd");
	ics_line_text(out, "UID", buf_str(&text));
	ics_utc(utc, dtstamp);
	ics_line(out, "DTSTAMP", utc);
	if (a->has_times) {
		ics_utc(utc, a->starts_at);
		ics_line(out, "DTSTART", utc);
		ics_utc(utc, a->ends_at);
		ics_line(out, "DTEND", utc);
	} else {
		/* An all-day event ends, exclusively, the next day. */
		ics_date(day, a->date);
		ics_line(out, "DTSTART;VALUE=DATE", day);
		ics_date(day, a->date + 1);
		ics_line(out, "DTEND;VALUE=DATE", day);
	}

	buf_reset(&text);
	buf_printf(&text, "%s sitting \xe2\x80\x94 %s", forum, a->area_name);
	ics_line_text(out, "SUMMARY", buf_str(&text));
	if (a->venue != NULL)
		ics_line_text(out, "LOCATION", a->venue);
	buf_reset(&text);
	buf_printf(&text, "%s (%s), %s.\nReferral cutoff: %s.",
	    forum_name(a->forum), forum, a->area_name,
	    date_format(a->cutoff, cutoff));
	ics_line_text(out, "DESCRIPTION", buf_str(&text));
	ics_line(out, "STATUS", "CONFIRMED");
	ics_line(out, "TRANSP", "OPAQUE");
	ics_line(out, "END", "VEVENT");
	ics_line(out, "END", "VCALENDAR");
	if (buf_failed(&text))
		out->failed = true;
	buf_free(&text);
	return buf_failed(out) ? -1 : 0;
}

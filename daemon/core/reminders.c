/*
 * Reminder messages: keys, subjects, text and HTML.  See reminders.h.
 */
#include "core/reminders.h"
#include "core/render/html.h"
#include "core/forum.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Subjects stay well inside outbox.subject's 500 characters. */
#define SUBJECT_NAME_MAX	120

static const char footer_text[] =
    "This message carries no victim or perpetrator details unless your\n"
    "deployment has turned them on. Sign in to maracd to see the cases.\n"
    "It was sent automatically; please do not reply to it.\n";
static const char footer_html[] =
    "<p style=\"color:#555\">This message carries no victim or perpetrator "
    "details unless your deployment has turned them on. Sign in to maracd to "
    "see the cases. It was sent automatically; please do not reply to it.</p>\n";

void
reminders_msg_init(struct reminders_msg *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->subject);
	buf_init(&m->text);
	buf_init(&m->html);
}

void
reminders_msg_free(struct reminders_msg *m)
{
	buf_free(&m->subject);
	buf_free(&m->text);
	buf_free(&m->html);
}

char *
reminders_period(date_t d, char out[REMINDERS_PERIOD_LEN])
{
	date_t thursday = d - date_weekday(d) + 4;
	int y, m, day, week;

	/* The ISO week belongs to the year of its Thursday. */
	date_to_ymd(thursday, &y, &m, &day);
	week = (int)((thursday - date_from_ymd(y, 1, 1)) / 7 + 1);
	/* Dates are DATE_MIN_YEAR..DATE_MAX_YEAR: four digits, 1..53. */
	snprintf(out, REMINDERS_PERIOD_LEN, "%04d-W%02d", (y % 10000 + 10000) % 10000,
	    (week % 100 + 100) % 100);
	return out;
}

bool
reminders_digest_due(date_t today, int seconds, int weekday, int at)
{
	int wd = date_weekday(today);

	return wd > weekday || (wd == weekday && seconds >= at);
}

int
reminders_weekday_parse(const char *s)
{
	static const char *names[] = { "monday", "tuesday", "wednesday",
	    "thursday", "friday", "saturday", "sunday" };

	for (int i = 0; i < 7; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i + 1;
	return 0;
}

static bool
has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/*
 * s on one line, for a subject: control characters become spaces and
 * the text stops at max bytes, never inside a UTF-8 sequence.
 */
static void
one_line(struct buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++)
		buf_putc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i]);
}

/* Free text in the plain part: every line indented, CRs dropped. */
static void
indented(struct buf *b, const char *s, const char *indent)
{
	buf_puts(b, indent);
	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		buf_putc(b, *s);
		if (*s == '\n' && s[1] != '\0')
			buf_puts(b, indent);
	}
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		buf_putc(b, '\n');
}

/* Free text in the HTML part: escaped, line breaks kept. */
static void
html_lines(struct buf *b, const char *s)
{
	char line[512];
	const char *nl;

	while (*s != '\0') {
		nl = strchr(s, '\n');
		size_t n = nl != NULL ? (size_t)(nl - s) : strlen(s);

		while (n > 0) {
			size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;

			memcpy(line, s, k);
			line[k] = '\0';
			line[strcspn(line, "\r")] = '\0';
			html_escape(b, line);
			s += k;
			n -= k;
		}
		if (nl == NULL)
			break;
		buf_puts(b, "<br>");
		s = nl + 1;
	}
}

static const char *
status_label(const char *status)
{
	if (status != NULL && strcmp(status, "in_progress") == 0)
		return "in progress";
	return status != NULL ? status : "";
}

/* The link to an API path, or nothing when no base_url is set. */
static void
link_to(struct buf *b, const struct reminders_opts *o, const char *fmt,
    const char *arg)
{
	size_t n = strlen(o->base_url);

	buf_add(b, o->base_url, n > 0 && o->base_url[n - 1] == '/' ? n - 1 : n);
	buf_printf(b, fmt, arg);
}

static void
link_text(struct buf *b, const struct reminders_opts *o, const char *label,
    const char *fmt, const char *arg)
{
	if (!has(o->base_url))
		return;
	buf_puts(b, label);
	link_to(b, o, fmt, arg);
	buf_putc(b, '\n');
}

/* <a href="...">label</a>, or the label alone without a base_url. */
static void
link_html(struct buf *b, const struct reminders_opts *o, const char *label,
    const char *fmt, const char *arg)
{
	struct buf url;

	if (!has(o->base_url)) {
		html_escape(b, label);
		return;
	}
	buf_init(&url);
	link_to(&url, o, fmt, arg);
	buf_puts(b, "<a href=\"");
	html_escape(b, buf_str(&url));
	buf_puts(b, "\">");
	html_escape(b, label);
	buf_puts(b, "</a>");
	if (buf_failed(&url))
		b->failed = true;
	buf_free(&url);
}

static long
days_late(const struct reminders_opts *o, const struct reminders_action *a)
{
	return (long)(o->today - a->due);
}

static void
people_text(struct buf *b, const struct reminders_action *a)
{
	if (has(a->victim))
		buf_printf(b, "    Victim: %s\n", a->victim);
	if (has(a->perpetrator))
		buf_printf(b, "    Perpetrator: %s\n", a->perpetrator);
}

static void
people_html(struct buf *b, const struct reminders_action *a)
{
	if (has(a->victim)) {
		buf_puts(b, "<br>Victim: ");
		html_escape(b, a->victim);
	}
	if (has(a->perpetrator)) {
		buf_puts(b, "<br>Perpetrator: ");
		html_escape(b, a->perpetrator);
	}
}

/* One action in the plain part. */
static void
action_text(struct buf *b, const struct reminders_opts *o,
    const struct reminders_action *a)
{
	char due[DATE_STRLEN], id[24];
	long late = days_late(o, a);

	date_format(a->due, due);
	buf_printf(b, "* %s (%s), due %s", a->reference, forum_label_of(a->forum), due);
	if (late > 0)
		buf_printf(b, ", %ld day%s overdue", late, late == 1 ? "" : "s");
	buf_printf(b, ", %s\n    Area: %s\n    Action:\n", status_label(a->status),
	    a->area);
	indented(b, a->description, "      ");
	people_text(b, a);
	snprintf(id, sizeof(id), "%lld", a->id);
	/* The agency's page of the action (web_agency.c), not the API's JSON. */
	link_text(b, o, "    Link: ", "/actions/%s", id);
}

static void
table_head(struct buf *b, bool overdue)
{
	buf_puts(b, "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" "
	    "style=\"border-collapse:collapse\">\n<tr><th>Case</th><th>Forum</th>"
	    "<th>Area</th><th>Action</th><th>Due</th>");
	if (overdue)
		buf_puts(b, "<th>Days overdue</th>");
	buf_puts(b, "<th>Status</th></tr>\n");
}

static void
action_row(struct buf *b, const struct reminders_opts *o,
    const struct reminders_action *a, bool overdue)
{
	char due[DATE_STRLEN], id[24];

	snprintf(id, sizeof(id), "%lld", a->id);
	buf_puts(b, "<tr><td>");
	link_html(b, o, a->reference, "/actions/%s", id);
	buf_puts(b, "</td><td>");
	html_escape(b, forum_label_of(a->forum));
	buf_puts(b, "</td><td>");
	html_escape(b, a->area);
	buf_puts(b, "</td><td>");
	html_lines(b, a->description);
	people_html(b, a);
	buf_printf(b, "</td><td>%s</td>", date_format(a->due, due));
	if (overdue)
		buf_printf(b, "<td>%ld</td>", days_late(o, a));
	buf_puts(b, "<td>");
	html_escape(b, status_label(a->status));
	buf_puts(b, "</td></tr>\n");
}

static void
html_start(struct buf *b, const char *title)
{
	buf_puts(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	html_escape(b, title);
	buf_puts(b, "</title></head>\n<body>\n");
}

static bool
finished(struct reminders_msg *m)
{
	return !buf_failed(&m->subject) && !buf_failed(&m->text) &&
	    !buf_failed(&m->html);
}

static bool
key_set(struct reminders_msg *m, const char *fmt, const char *a, const char *b)
{
	int n = snprintf(m->key, sizeof(m->key), fmt, a, b);

	return n > 0 && (size_t)n < sizeof(m->key);
}

/* --- the digest ------------------------------------------------------- */

bool
reminders_digest(const struct reminders_opts *o,
    const struct reminders_agency *ag, const struct reminders_action *a,
    size_t n, struct reminders_msg *out)
{
	size_t late = 0;
	struct buf *t = &out->text, *h = &out->html;

	out->kind = "digest";
	if (!key_set(out, "digest:%s:%s", ag->code, o->period))
		return false;
	for (size_t i = 0; i < n; i++)
		if (a[i].due < o->today)
			late++;

	buf_printf(&out->subject, "%zu outstanding action%s for ", n,
	    n == 1 ? "" : "s");
	one_line(&out->subject, ag->name, SUBJECT_NAME_MAX);
	if (late > 0)
		buf_printf(&out->subject, " (%zu overdue)", late);
	buf_printf(&out->subject, ", week %s", o->period);

	buf_printf(t, "Outstanding actions for %s, week %s\n\n", ag->name, o->period);
	buf_printf(t, "Your agency has %zu outstanding action%s from MARAC and "
	    "MASC sittings", n, n == 1 ? "" : "s");
	if (late > 0)
		buf_printf(t, ", %zu of them overdue", late);
	buf_puts(t, ".\nPlease update each one in maracd as it moves on: in "
	    "progress, completed,\nor no longer relevant (with a note).\n");
	for (int pass = 0; pass < 2; pass++) {
		size_t count = pass == 0 ? late : n - late;

		if (count == 0)
			continue;
		buf_puts(t, pass == 0 ? "\nOverdue\n-------\n" : "\nDue\n---\n");
		for (size_t i = 0; i < n; i++)
			if ((a[i].due < o->today) == (pass == 0))
				action_text(t, o, &a[i]);
	}
	buf_putc(t, '\n');
	link_text(t, o, "All your outstanding actions: ",
	    "/actions?status=%s", "outstanding");
	buf_puts(t, "\n");
	buf_puts(t, footer_text);

	html_start(h, buf_str(&out->subject));
	buf_puts(h, "<h1>Outstanding actions for ");
	html_escape(h, ag->name);
	buf_printf(h, ", week %s</h1>\n<p>Your agency has %zu outstanding action%s "
	    "from MARAC and MASC sittings", o->period, n, n == 1 ? "" : "s");
	if (late > 0)
		buf_printf(h, ", <strong>%zu of them overdue</strong>", late);
	buf_puts(h, ". Please update each one in maracd as it moves on: in "
	    "progress, completed, or no longer relevant (with a note).</p>\n");
	for (int pass = 0; pass < 2; pass++) {
		size_t count = pass == 0 ? late : n - late;

		if (count == 0)
			continue;
		buf_puts(h, pass == 0 ? "<h2>Overdue</h2>\n" : "<h2>Due</h2>\n");
		table_head(h, pass == 0);
		for (size_t i = 0; i < n; i++)
			if ((a[i].due < o->today) == (pass == 0))
				action_row(h, o, &a[i], pass == 0);
		buf_puts(h, "</table>\n");
	}
	if (has(o->base_url)) {
		buf_puts(h, "<p>");
		link_html(h, o, "All your outstanding actions",
		    "/actions?status=%s", "outstanding");
		buf_puts(h, "</p>\n");
	}
	buf_puts(h, footer_html);
	buf_puts(h, "</body></html>\n");
	return finished(out);
}

/* --- one overdue action ----------------------------------------------- */

bool
reminders_overdue(const struct reminders_opts *o,
    const struct reminders_agency *ag, const struct reminders_action *a,
    struct reminders_msg *out)
{
	char due[DATE_STRLEN], id[24];
	struct buf *t = &out->text, *h = &out->html;
	long late = days_late(o, a);

	out->kind = "overdue";
	snprintf(id, sizeof(id), "%lld", a->id);
	date_format(a->due, due);
	if (!key_set(out, "overdue:%s:%s", id, due))
		return false;

	buf_puts(&out->subject, "Overdue action on ");
	one_line(&out->subject, a->reference, 40);
	buf_puts(&out->subject, " for ");
	one_line(&out->subject, ag->name, SUBJECT_NAME_MAX);
	buf_printf(&out->subject, ": due %s", due);

	buf_printf(t, "An action your agency (%s) holds passed its due date.\n\n",
	    ag->name);
	action_text(t, o, a);
	buf_printf(t, "\nIt is %ld day%s overdue. Please complete it, or update "
	    "it in maracd:\nin progress, completed, or no longer relevant (with a "
	    "note).\n\n", late, late == 1 ? "" : "s");
	buf_puts(t, footer_text);

	html_start(h, buf_str(&out->subject));
	buf_puts(h, "<h1>Overdue action on ");
	html_escape(h, a->reference);
	buf_puts(h, "</h1>\n<p>An action your agency (");
	html_escape(h, ag->name);
	buf_puts(h, ") holds passed its due date.</p>\n");
	table_head(h, true);
	action_row(h, o, a, true);
	buf_puts(h, "</table>\n<p>Please complete it, or update it in maracd: in "
	    "progress, completed, or no longer relevant (with a note).</p>\n");
	buf_puts(h, footer_html);
	buf_puts(h, "</body></html>\n");
	return finished(out);
}

/* --- the coordinator's summary ---------------------------------------- */

static void
summary_text(struct buf *t, const struct reminders_opts *o,
    const struct reminders_summary_in *in, long out_total, long late_total)
{
	char due[DATE_STRLEN];

	buf_printf(t, "Actions summary, week %s\n\n", o->period);
	buf_printf(t, "Outstanding actions: %ld, overdue: %ld, persistent "
	    "non-completion: %ld.\n", out_total, late_total, in->persistent_total);
	buf_printf(t, "Messages maracd gave up on since the last summary: %ld.\n",
	    in->failed_total);
	if (in->ncounts > 0) {
		buf_puts(t, "\nBy agency (outstanding / overdue / persistent)\n"
		    "-----------------------------------------------\n");
		for (size_t i = 0; i < in->ncounts; i++) {
			const struct reminders_count *c = &in->counts[i];

			buf_printf(t, "* %s (%s): %ld / %ld / %ld%s\n", c->name,
			    c->code, c->outstanding, c->overdue, c->persistent,
			    c->has_address ? "" : "  [no reminder address: "
			    "this agency is not reminded]");
		}
	}
	if (in->npersistent > 0) {
		buf_printf(t, "\nPersistent non-completion (not undertaken at a "
		    "review, or over %d days overdue)\n", o->persistent_days);
		buf_puts(t, "--------------------------------------------------\n");
		for (size_t i = 0; i < in->npersistent; i++) {
			const struct reminders_action *a = &in->persistent[i];

			buf_printf(t, "* %s (%s), %s, due %s, %ld days overdue, "
			    "not undertaken at %d review%s, action %lld\n",
			    a->reference, forum_label_of(a->forum), a->agency,
			    date_format(a->due, due), days_late(o, a),
			    a->not_undertaken, a->not_undertaken == 1 ? "" : "s",
			    a->id);
		}
		if ((long)in->npersistent < in->persistent_total)
			buf_printf(t, "... and %ld more.\n",
			    in->persistent_total - (long)in->npersistent);
	}
	if (in->nfailed > 0) {
		buf_puts(t, "\nMessages given up on\n--------------------\n");
		for (size_t i = 0; i < in->nfailed; i++) {
			const struct reminders_failed *f = &in->failed[i];

			buf_printf(t, "* outbox %lld, %s, %s, %d attempt%s, %s\n",
			    f->id, f->kind, f->key, f->attempts,
			    f->attempts == 1 ? "" : "s", has(f->error) ? f->error :
			    "no error recorded");
		}
		if ((long)in->nfailed < in->failed_total)
			buf_printf(t, "... and %ld more.\n",
			    in->failed_total - (long)in->nfailed);
		buf_puts(t, "Check the agencies' reminder addresses (maracctl agency "
		    "list) and the SMTP server.\n");
	}
	buf_putc(t, '\n');
	link_text(t, o, "Overdue actions: ", "/v1/actions?status=%s", "overdue");
	buf_putc(t, '\n');
	buf_puts(t, footer_text);
}

static void
summary_html(struct buf *h, const struct reminders_opts *o,
    const struct reminders_summary_in *in, long out_total, long late_total)
{
	char due[DATE_STRLEN], id[24];

	buf_printf(h, "<h1>Actions summary, week %s</h1>\n<ul><li>Outstanding "
	    "actions: %ld</li><li>Overdue: %ld</li><li>Persistent non-completion: "
	    "%ld</li><li>Messages maracd gave up on since the last summary: "
	    "%ld</li></ul>\n", o->period, out_total, late_total,
	    in->persistent_total, in->failed_total);
	if (in->ncounts > 0) {
		buf_puts(h, "<h2>By agency</h2>\n<table border=\"1\" cellpadding=\"4\" "
		    "cellspacing=\"0\" style=\"border-collapse:collapse\">\n<tr><th>"
		    "Agency</th><th>Outstanding</th><th>Overdue</th><th>Persistent"
		    "</th><th>Reminded</th></tr>\n");
		for (size_t i = 0; i < in->ncounts; i++) {
			const struct reminders_count *c = &in->counts[i];

			buf_puts(h, "<tr><td>");
			html_escape(h, c->name);
			buf_puts(h, " (");
			html_escape(h, c->code);
			buf_printf(h, ")</td><td>%ld</td><td>%ld</td><td>%ld</td>"
			    "<td>%s</td></tr>\n", c->outstanding, c->overdue,
			    c->persistent, c->has_address ? "yes" :
			    "<strong>no reminder address</strong>");
		}
		buf_puts(h, "</table>\n");
	}
	if (in->npersistent > 0) {
		buf_printf(h, "<h2>Persistent non-completion</h2>\n<p>Not undertaken "
		    "at a review, or over %d days overdue.</p>\n<table border=\"1\" "
		    "cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:"
		    "collapse\">\n<tr><th>Case</th><th>Forum</th><th>Agency</th>"
		    "<th>Due</th><th>Days overdue</th><th>Not undertaken</th></tr>\n",
		    o->persistent_days);
		for (size_t i = 0; i < in->npersistent; i++) {
			const struct reminders_action *a = &in->persistent[i];

			snprintf(id, sizeof(id), "%lld", a->id);
			buf_puts(h, "<tr><td>");
			link_html(h, o, a->reference, "/v1/actions/%s", id);
			buf_puts(h, "</td><td>");
			html_escape(h, forum_label_of(a->forum));
			buf_puts(h, "</td><td>");
			html_escape(h, a->agency);
			buf_printf(h, "</td><td>%s</td><td>%ld</td><td>%d</td></tr>\n",
			    date_format(a->due, due), days_late(o, a),
			    a->not_undertaken);
		}
		buf_puts(h, "</table>\n");
		if ((long)in->npersistent < in->persistent_total)
			buf_printf(h, "<p>... and %ld more.</p>\n",
			    in->persistent_total - (long)in->npersistent);
	}
	if (in->nfailed > 0) {
		buf_puts(h, "<h2>Messages given up on</h2>\n<table border=\"1\" "
		    "cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:"
		    "collapse\">\n<tr><th>Outbox</th><th>Kind</th><th>Key</th>"
		    "<th>Attempts</th><th>Error</th></tr>\n");
		for (size_t i = 0; i < in->nfailed; i++) {
			const struct reminders_failed *f = &in->failed[i];

			buf_printf(h, "<tr><td>%lld</td><td>", f->id);
			html_escape(h, f->kind);
			buf_puts(h, "</td><td>");
			html_escape(h, f->key);
			buf_printf(h, "</td><td>%d</td><td>", f->attempts);
			html_escape(h, has(f->error) ? f->error : "");
			buf_puts(h, "</td></tr>\n");
		}
		buf_puts(h, "</table>\n");
		if ((long)in->nfailed < in->failed_total)
			buf_printf(h, "<p>... and %ld more.</p>\n",
			    in->failed_total - (long)in->nfailed);
		buf_puts(h, "<p>Check the agencies' reminder addresses (maracctl "
		    "agency list) and the SMTP server.</p>\n");
	}
	if (has(o->base_url)) {
		buf_puts(h, "<p>");
		link_html(h, o, "Overdue actions", "/v1/actions?status=%s", "overdue");
		buf_puts(h, "</p>\n");
	}
	buf_puts(h, footer_html);
	buf_puts(h, "</body></html>\n");
}

bool
reminders_summary(const struct reminders_opts *o,
    const struct reminders_summary_in *in, struct reminders_msg *out)
{
	long out_total = 0, late_total = 0;

	out->kind = "summary";
	if (!key_set(out, "summary:%s%s", o->period, ""))
		return false;
	for (size_t i = 0; i < in->ncounts; i++) {
		out_total += in->counts[i].outstanding;
		late_total += in->counts[i].overdue;
	}
	buf_printf(&out->subject, "Actions summary, week %s: %ld outstanding, "
	    "%ld overdue", o->period, out_total, late_total);
	if (in->failed_total > 0)
		buf_printf(&out->subject, ", %ld message%s failed", in->failed_total,
		    in->failed_total == 1 ? "" : "s");
	summary_text(&out->text, o, in, out_total, late_total);
	html_start(&out->html, buf_str(&out->subject));
	summary_html(&out->html, o, in, out_total, late_total);
	return finished(out);
}

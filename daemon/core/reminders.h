/*
 * Reminder messages: the weekly digest of an agency's outstanding
 * actions, the notice that one action is overdue, and the coordinator's
 * summary (docs/domain.md, Decisions, minutes, actions and reminders).
 *
 * Pure: the shell selects the rows (sql/010_reminders.sql) and hands them
 * in as these structs; this builds the outbox key, the subject and both
 * bodies, and decides when a week's digest is due.  Nothing here reads the
 * clock: "today" and the time of day are arguments.
 *
 * What goes in: case references, forum, area, the action's text, due
 * dates, statuses and a link.  Victim and perpetrator names only when the
 * rows carry them, which they do only with [mail] personal_data = yes.
 * Every value from the database is escaped in the HTML part and kept to
 * one line in the subject.
 */
#ifndef MARACD_CORE_REMINDERS_H
#define MARACD_CORE_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/date.h"

#define REMINDERS_PERIOD_LEN	9	/* "2026-W48" and its NUL */
#define REMINDERS_KEY_MAX	200	/* outbox.key's limit */

struct reminders_opts {
	const char	*base_url;	/* "https://maracd.example"; "" or NULL: no links */
	char		 period[REMINDERS_PERIOD_LEN];	/* the ISO week */
	date_t		 today;		/* local date the messages speak of */
	int		 persistent_days;	/* summary: overdue this long is persistent */
};

struct reminders_action {
	long long	 id;
	const char	*reference;
	const char	*forum;		/* marac | masc */
	const char	*area;
	const char	*description;
	date_t		 due;
	const char	*status;	/* open | in_progress */
	const char	*agency;	/* its code (summary lists) */
	const char	*victim;	/* NULL or "": left out */
	const char	*perpetrator;
	int		 not_undertaken;	/* reviews saying so (summary) */
};

struct reminders_agency {
	const char	*code;
	const char	*name;
};

/* One agency's line in the coordinator's summary. */
struct reminders_count {
	const char	*code;
	const char	*name;
	bool		 has_address;	/* false: it hears nothing from maracd */
	long		 outstanding;
	long		 overdue;
	long		 persistent;
};

/* An outbox row that was given up on. */
struct reminders_failed {
	long long	 id;
	const char	*key;
	const char	*kind;
	int		 attempts;
	const char	*error;		/* codes only ("smtp 550 curl 55") */
};

struct reminders_summary_in {
	const struct reminders_count	*counts;
	size_t				 ncounts;
	const struct reminders_action	*persistent;	/* the first few */
	size_t				 npersistent;
	long				 persistent_total;
	const struct reminders_failed	*failed;	/* the first few */
	size_t				 nfailed;
	long				 failed_total;
};

struct reminders_msg {
	char		 key[REMINDERS_KEY_MAX + 1];
	const char	*kind;		/* "digest", "overdue", "summary" */
	struct buf	 subject;
	struct buf	 text;
	struct buf	 html;
};

void	reminders_msg_init(struct reminders_msg *m);
void	reminders_msg_free(struct reminders_msg *m);

/* "YYYY-Www", the ISO 8601 week of d (the week-year may differ from d's). */
char   *reminders_period(date_t d, char out[REMINDERS_PERIOD_LEN]);

/*
 * Is this week's digest due at local date today, second of the day
 * seconds?  weekday: 1 = Monday .. 7 = Sunday; at: second of that day.
 * True from that instant to the end of the ISO week, so a process that
 * was down at the hour still sends the week's digest when it comes back
 * (the outbox key keeps it to one).
 */
bool	reminders_digest_due(date_t today, int seconds, int weekday, int at);

/* "monday".."sunday" (any case) to 1..7; 0 if it is none of them. */
int	reminders_weekday_parse(const char *s);

/*
 * The digest of an agency's outstanding actions, ordered as given (the
 * SQL orders by due date).  n >= 1.  Returns false when out of memory.
 */
bool	reminders_digest(const struct reminders_opts *o,
	    const struct reminders_agency *ag, const struct reminders_action *a,
	    size_t n, struct reminders_msg *out);

/* The notice that one action passed its due date (o->today > a->due). */
bool	reminders_overdue(const struct reminders_opts *o,
	    const struct reminders_agency *ag, const struct reminders_action *a,
	    struct reminders_msg *out);

/* The coordinator's summary of o->period. */
bool	reminders_summary(const struct reminders_opts *o,
	    const struct reminders_summary_in *in, struct reminders_msg *out);

#endif

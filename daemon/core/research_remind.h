/*
 * The research reminder (docs/domain.md, Research): before a sitting's
 * information deadline, each invited agency that still owes a return on
 * one of its cases gets one message saying so.
 *
 * Pure: the shell selects the rows (sql/014_research.sql) and
 * decides the day; this builds the outbox key, the subject and both
 * bodies, and says from which day a deadline is near enough.  What goes
 * in: the forum, the sitting's date, the deadline, the references of the
 * cases still owing and a link to the return pages.  No names, dates of
 * birth or free text: the rows carry none.
 */
#ifndef MARACD_CORE_RESEARCH_REMIND_H
#define MARACD_CORE_RESEARCH_REMIND_H

#include <stddef.h>

#include "core/buf.h"
#include "core/date.h"

#define RESEARCH_REMIND_KIND	"research"
#define RESEARCH_REMIND_KEY_MAX	200	/* outbox.key's limit */

struct research_remind {
	long long		 sitting_id;
	const char		*forum;		/* marac | masc */
	const char		*sitting_date;	/* YYYY-MM-DD */
	const char		*due;		/* the information deadline */
	const char		*agency;	/* code */
	const char		*agency_name;
	const char *const	*refs;		/* the cases owing, by reference */
	size_t			 nrefs;
	const char		*base_url;	/* "" or NULL: no link */
};

/* research:<sitting>:<agency>:<deadline>: one message per deadline. */
void	research_remind_key(const struct research_remind *m,
	    char out[RESEARCH_REMIND_KEY_MAX]);
/* The subject, the text and the HTML body; 0, or -1 out of memory. */
int	research_remind_build(const struct research_remind *m,
	    struct buf *subject, struct buf *text, struct buf *html);

#endif

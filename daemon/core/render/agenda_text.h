/*
 * What an agenda says in words, decided once for every renderer that
 * prints it for people (agenda_html.c, agenda_pdf.c): each appends plain
 * UTF-8 to a buffer, which the HTML then escapes and the PDF encodes.
 * They print what the model holds, so minimisation is already done.
 */
#ifndef MARACD_CORE_RENDER_AGENDA_TEXT_H
#define MARACD_CORE_RENDER_AGENDA_TEXT_H

#include "core/agenda.h"
#include "core/buf.h"

#define AGENDA_MARKING	"OFFICIAL-SENSITIVE"

/* "Monday 7 December 2026": no room for misreading 07/12 as July. */
void	agenda_text_date(struct buf *, date_t);
/* "Draft", or "2, issued 2026-12-01T10:00:00Z". */
void	agenda_text_version(struct buf *, const struct agenda *);
/* "Police (1 case)". */
void	agenda_text_group(struct buf *, const struct agenda_group *);
/* The name and "(born ...)" with full names, else the initials. */
void	agenda_text_victim(struct buf *, const struct agenda_case *);
/* The name with full names, else the initials; "not recorded" if none. */
const char *agenda_text_perpetrator(const struct agenda_case *);
/* The case's risk bases, codes as words, ", " between. */
void	agenda_text_bases(struct buf *, const struct agenda_case *);
/* "also referred by Police: MARAC-2026-0002, High risk". */
void	agenda_text_linked(struct buf *, const struct agenda_link *);
/* "own risk: Medium", for a case with linked referrals. */
void	agenda_text_own_risk(struct buf *, const struct agenda_case *);

#endif

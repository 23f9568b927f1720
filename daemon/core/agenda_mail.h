/*
 * The circulation message of an issued agenda (docs/domain.md, Agendas: the
 * mail carries the sitting, the case count and a link or an attachment,
 * per configuration).
 *
 * It names the sitting, counts the cases and lists the references that
 * were added, removed or changed since the previous version: references
 * are not personal data, and nothing else about a case is in the message
 * itself.  What the attachments hold is the shell's choice ([agenda]
 * attach); this only says which are attached.
 */
#ifndef MARACD_CORE_AGENDA_MAIL_H
#define MARACD_CORE_AGENDA_MAIL_H

#include "core/agenda.h"
#include "core/buf.h"

/* At most this many references are listed per kind; then "and N more". */
#define AGENDA_MAIL_REFS_MAX	50

/* "agenda-masc-2026-12-07-v2.html" (version 0: "-draft"). */
#define AGENDA_FILENAME_SIZE	64

struct agenda_mail {
	struct buf	subject;
	struct buf	text;
	struct buf	html;
};

/*
 * a: the issued version; d: its diff against the previous version (NULL:
 * none to compare with); link: where the agenda can be read (NULL: none
 * configured); attached: file names of the attachments, nattached of
 * them.  Returns 0, or -1 when out of memory (m is then freed).
 */
int	agenda_mail_build(const struct agenda *a, const struct agenda_diff *d,
	    const char *link, const char *const *attached, size_t nattached,
	    struct agenda_mail *m);
void	agenda_mail_free(struct agenda_mail *m);

/* The file name of an agenda's rendering with extension ext ("html"). */
void	agenda_filename(const struct agenda *a, const char *ext,
	    char out[AGENDA_FILENAME_SIZE]);

#endif

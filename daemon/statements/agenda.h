/*
 * An agenda between the database and the core, for maracd (asynchronous,
 * daemon/shell/api_agenda.c) and maracctl (blocking, ctl_agenda.c) alike:
 * the statements (sql/008_agenda.sql), reading their results into the
 * core's model, rendering it, and preparing an issue.  Nothing here talks
 * to the database: callers run the statements and hand in the results.
 */
#ifndef MARACD_STATEMENTS_AGENDA_H
#define MARACD_STATEMENTS_AGENDA_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>
#include <cjson/cJSON.h>

#include "shell/config.h"
#include "core/agenda.h"
#include "core/agenda_mail.h"
#include "core/buf.h"

/*
 * $1 sitting id, $2 lock it ("true" when issuing), $3 now by the clock
 * (clock_rfc3339): whether the sitting has been held, and the issue time.
 */
#define AGENDA_SQL_SITTING \
	"SELECT id, forum, area, date, cutoff_date, venue, status, held, " \
	"latest, now_utc FROM agenda_sitting($1::bigint, $2::boolean, $3::timestamptz)"

/* $1 sitting id: a draft's rows, its read audited. */
#define AGENDA_SQL_DRAFT \
	"WITH audit AS (INSERT INTO audit_log (action, object_type, object_id) " \
	"VALUES ('read_draft', 'agenda', $1::text)) " \
	"SELECT * FROM agenda_rows($1::text::bigint)"

/* $1 sitting id: the rows of a version being issued (audited as such). */
#define AGENDA_SQL_ROWS "SELECT * FROM agenda_rows($1::bigint)"

/* $1 sitting id, $2 version or NULL for the latest: an issued version. */
#define AGENDA_SQL_VERSION \
	"SELECT version, content, diff, issued_at, issued_via, content_sha256 " \
	"FROM agenda_version_get($1::bigint, $2::integer)"

/*
 * $1 sitting, $2 version, $3 content, $4 diff, $5..$7 mail, $8 attachments,
 * $9 the issue time (the sitting's now_utc, as in the content).
 */
#define AGENDA_SQL_ISSUE \
	"SELECT to_json(invited)::text, to_json(mailed)::text " \
	"FROM agenda_issue($1::bigint, $2::integer, $3, $4::jsonb, $5, $6, " \
	"$7, $8::jsonb, $9::timestamptz)"

#define AGENDA_VENUE_MAX	200

struct agenda_stmt_sitting {
	long long	id;
	enum forum	forum;
	char		area[33];
	date_t		date;
	date_t		cutoff;
	bool		has_venue;
	char		venue[AGENDA_VENUE_MAX + 1];
	bool		cancelled;
	bool		held;		/* its date is past */
	int		latest;		/* latest issued version, 0: none */
	char		now_utc[INSTANT_STRLEN];
};

/*
 * The result of AGENDA_SQL_SITTING: 1 with s filled, 0 when there is
 * no such sitting (for this caller), -1 when res is not what it returns.
 */
int	agenda_stmt_read_sitting(const PGresult *res,
	    struct agenda_stmt_sitting *s);

/*
 * Builds the agenda of s from the rows of AGENDA_SQL_ROWS or _DRAFT,
 * as version (0 for a draft) issued at issued_at (NULL for a draft), with
 * the [agenda] settings of cfg.  Returns 0, or -1 (a is then empty).
 */
int	agenda_stmt_build(const PGresult *rows,
	    const struct agenda_stmt_sitting *s, int version,
	    const char *issued_at, const struct config *cfg, struct agenda *a);

/* Reads a stored version's canonical JSON back.  0, or -1. */
int	agenda_stmt_load(const char *content, struct agenda *a);

enum agenda_stmt_format {
	AGENDA_FORMAT_JSON,
	AGENDA_FORMAT_HTML,
	AGENDA_FORMAT_CSV,
	AGENDA_FORMAT_ICS,
	AGENDA_FORMAT_PDF,
};

/* "json", "html", "csv", "ics", "pdf"; false for anything else. */
bool	agenda_stmt_format(const char *name, enum agenda_stmt_format *f);
const char *agenda_stmt_content_type(enum agenda_stmt_format f);
const char *agenda_stmt_extension(enum agenda_stmt_format f);

/*
 * Renders a in format f into out.  JSON is the canonical JSON plus
 * "status" ("issued" or "draft") and, when given, "changes" (diff_json:
 * the stored diff) and "sha256".  now is the ICS DTSTAMP.
 */
int	agenda_stmt_render(const struct agenda *a, enum agenda_stmt_format f,
	    const char *diff_json, const char *sha256, int64_t now,
	    const struct config *cfg, struct buf *out);

/*
 * The JSON answer for an issued version straight from its stored text:
 * the same bytes agenda_stmt_render would print from the model read back,
 * without parsing and rebuilding 300 cases (bench/agenda).  -1 when
 * stored is not a JSON object.
 */
int	agenda_stmt_stored_json(const char *stored, const char *diff_json,
	    const char *sha256, struct buf *out);

/* What AGENDA_SQL_ISSUE is given. */
struct agenda_stmt_issue {
	char			*content;	/* canonical JSON */
	char			*diff;		/* agenda_diff_to_json */
	struct agenda_diff	 d;
	struct agenda_mail	 mail;
	char			*attachments;	/* JSON array, see sql */
	char			 version[16];
	bool			 unchanged;	/* agenda_unchanged: nothing to issue */
};

/*
 * Everything an issue of next stores and sends: prev_content is the
 * latest stored version's JSON (NULL for the first).  Returns 0, or -1
 * with *why saying what failed.
 */
int	agenda_stmt_issue_prepare(const struct agenda *next,
	    const char *prev_content, const struct config *cfg, int64_t now,
	    struct agenda_stmt_issue *out, const char **why);
/*
 * A draft's changes since the latest issued version (its stored JSON and
 * number): agenda_diff_to_json's object plus "since" (that number) and
 * "unchanged" (agenda_unchanged: an issue now would issue nothing new,
 * and is refused).  NULL when out of memory or the version cannot be
 * read back; cJSON_free it.
 */
char	*agenda_stmt_draft_changes(const struct agenda *draft,
	    const char *latest_content, int latest);
/* The nine parameters of AGENDA_SQL_ISSUE, sitting id in id. */
void	agenda_stmt_issue_params(const struct agenda_stmt_issue *iss,
	    const char *id, const char *issued_at, const char *params[9]);
void	agenda_stmt_issue_free(struct agenda_stmt_issue *iss);

/*
 * The sittings with an issued agenda version the caller may read, newest
 * first (after sitting $1, $2 at most), with the latest such version;
 * audited once.
 */
#define AGENDA_SQL_LIST \
	"WITH audit AS (INSERT INTO audit_log (action, object_type) " \
	"VALUES ('list', 'agenda')), " \
	"page AS (SELECT DISTINCT ON (v.sitting_id) v.sitting_id AS id, v.version, " \
	"v.issued_at, v.case_count FROM agenda_versions v " \
	"WHERE $1::bigint IS NULL OR v.sitting_id < $1::bigint " \
	"ORDER BY v.sitting_id DESC, v.version DESC LIMIT $2::int) " \
	"SELECT coalesce(jsonb_agg(jsonb_build_object('sitting_id', p.id, " \
	"'forum', s.forum, 'area', s.area, 'date', to_char(s.date, 'YYYY-MM-DD'), " \
	"'sitting_status', s.status, 'version', p.version, 'case_count', p.case_count, " \
	"'issued_at', to_char(p.issued_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')) " \
	"ORDER BY p.id DESC), '[]')::text, " \
	"CASE WHEN count(*) = $2::int THEN min(p.id) END " \
	"FROM page p JOIN sittings s ON s.id = p.id"

#endif

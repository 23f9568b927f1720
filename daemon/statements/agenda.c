/* Agendas between the database and the core.  See statements/agenda.h. */
#include "statements/agenda.h"

#include "core/render/agenda.h"
#include "core/forum.h"
#include "core/canonjson.h"
#include "core/words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns of agenda_rows(). */
enum {
	C_ID, C_REFERENCE, C_AGENCY, C_AGENCY_NAME, C_OFFICER, C_VICTIM,
	C_DOB, C_PERPETRATOR, C_CHILDREN, C_RISK, C_BASES, C_REPEAT, C_URGENT,
	C_DRIVE, C_RECEIVED, C_LINKED_TO, C_COUNT
};

static const char *
value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static bool
parse_ll(const char *s, long long *out)
{
	char *end;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0';
}

int
agenda_stmt_read_sitting(const PGresult *res, struct agenda_stmt_sitting *s)
{
	long long n;
	const char *forum, *venue;

	memset(s, 0, sizeof(*s));
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQnfields(res) != 10)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	forum = PQgetvalue(res, 0, 1);
	if (!parse_ll(value(res, 0, 0), &s->id) ||
	    !date_parse(PQgetvalue(res, 0, 3), &s->date) ||
	    !date_parse(PQgetvalue(res, 0, 4), &s->cutoff))
		return -1;
	if ((s->forum = forum_of(forum)) == FORUM_NONE)
		return -1;
	snprintf(s->area, sizeof(s->area), "%s", PQgetvalue(res, 0, 2));
	if ((venue = value(res, 0, 5)) != NULL) {
		s->has_venue = true;
		snprintf(s->venue, sizeof(s->venue), "%s", venue);
	}
	s->cancelled = strcmp(PQgetvalue(res, 0, 6), "cancelled") == 0;
	s->held = PQgetvalue(res, 0, 7)[0] == 't';
	s->latest = parse_ll(value(res, 0, 8), &n) ? (int)n : 0;
	snprintf(s->now_utc, sizeof(s->now_utc), "%s", PQgetvalue(res, 0, 9));
	return 1;
}

static bool
risk_from(const char *s, enum risk_level *r)
{
	for (int i = RISK_STANDARD; i <= RISK_HIGH; i++) {
		if (strcmp(agenda_risk_name((enum risk_level)i), s) == 0) {
			*r = (enum risk_level)i;
			return true;
		}
	}
	return false;
}

static bool
drive_from(const char *s, enum agenda_drive *d)
{
	const char *name;

	for (int i = 0; (name = agenda_drive_name((enum agenda_drive)i)) !=
	    NULL; i++) {
		if (strcmp(name, s) == 0) {
			*d = (enum agenda_drive)i;
			return true;
		}
	}
	return false;
}

/* "a,b,c" split in place into up to max pointers. */
static size_t
split(char *s, const char **out, size_t max)
{
	size_t n = 0;
	char *p;

	if (s == NULL || *s == '\0')
		return 0;
	while (n < max) {
		out[n++] = s;
		if ((p = strchr(s, ',')) == NULL)
			break;
		*p = '\0';
		s = p + 1;
	}
	return n;
}

/* Risk bases per case: there are four; room for a few more. */
#define BASES_MAX 8
#define ORDER_MAX 64

struct rowbuf {
	char		*bases;
	const char	*ptrs[BASES_MAX];
};

static bool
row_read(const PGresult *res, int i, struct agenda_row *r, struct rowbuf *rb)
{
	long long id, children, received, linked = 0;

	memset(r, 0, sizeof(*r));
	/* NULL: a case; otherwise the case it is linked to. */
	if (value(res, i, C_LINKED_TO) != NULL &&
	    !parse_ll(value(res, i, C_LINKED_TO), &linked))
		return false;
	r->linked_to = linked;
	if (!parse_ll(value(res, i, C_ID), &id) ||
	    !parse_ll(value(res, i, C_CHILDREN), &children) ||
	    !parse_ll(value(res, i, C_RECEIVED), &received) ||
	    value(res, i, C_DOB) == NULL ||
	    !date_parse(value(res, i, C_DOB), &r->victim_dob) ||
	    !risk_from(PQgetvalue(res, i, C_RISK), &r->risk) ||
	    !drive_from(PQgetvalue(res, i, C_DRIVE), &r->drive) ||
	    children < 0 || children > INT32_MAX)
		return false;
	r->referral_id = id;
	r->children = (int)children;
	r->received = received;
	r->reference = PQgetvalue(res, i, C_REFERENCE);
	r->agency = PQgetvalue(res, i, C_AGENCY);
	r->agency_name = value(res, i, C_AGENCY_NAME);
	r->officer = value(res, i, C_OFFICER);
	r->victim_name = PQgetvalue(res, i, C_VICTIM);
	r->perpetrator_name = value(res, i, C_PERPETRATOR);
	r->repeat = PQgetvalue(res, i, C_REPEAT)[0] == 't';
	r->urgent = PQgetvalue(res, i, C_URGENT)[0] == 't';
	if ((rb->bases = strdup(PQgetvalue(res, i, C_BASES))) == NULL)
		return false;
	r->nbases = split(rb->bases, rb->ptrs, BASES_MAX);
	r->bases = rb->ptrs;
	return true;
}

int
agenda_stmt_build(const PGresult *res, const struct agenda_stmt_sitting *s,
    int version, const char *issued_at, const struct config *cfg,
    struct agenda *a)
{
	char			 area_name[WORDS_MAX];
	struct agenda_sitting	 as = {
		.id = s->id, .forum = s->forum, .area = s->area,
		.date = s->date, .cutoff = s->cutoff,
		.venue = s->has_venue ? s->venue : NULL,
		.version = version, .issued_at = issued_at,
	};
	struct agenda_options	 opt = { .full_names = cfg->agenda_full_names };
	const char		*order[ORDER_MAX];
	char			*orderbuf;
	struct agenda_row	*rows = NULL;
	struct rowbuf		*rbs = NULL;
	int			 n, rc = -1;

	memset(a, 0, sizeof(*a));
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQnfields(res) != C_COUNT)
		return -1;
	/* Areas are codes in the schema; the agenda names them in words. */
	if (words_code("area", s->area, area_name, sizeof(area_name)))
		as.area_name = area_name;
	n = PQntuples(res);
	if ((orderbuf = strdup(cfg->agenda_agency_order)) == NULL)
		return -1;
	opt.nagency_order = split(orderbuf, order, ORDER_MAX);
	opt.agency_order = order;
	if (n > 0 && ((rows = calloc((size_t)n, sizeof(*rows))) == NULL ||
	    (rbs = calloc((size_t)n, sizeof(*rbs))) == NULL))
		goto done;
	for (int i = 0; i < n; i++)
		if (!row_read(res, i, &rows[i], &rbs[i]))
			goto done;
	rc = agenda_build(a, &as, rows, (size_t)n, &opt, NULL);
done:
	for (int i = 0; rbs != NULL && i < n; i++)
		free(rbs[i].bases);
	free(rbs);
	free(rows);
	free(orderbuf);
	return rc;
}

int
agenda_stmt_load(const char *content, struct agenda *a)
{
	cJSON	*root = cJSON_Parse(content);
	int	 rc;

	memset(a, 0, sizeof(*a));
	if (root == NULL)
		return -1;
	rc = agenda_from_json(root, a, NULL);
	cJSON_Delete(root);
	return rc;
}

/*
 * mime: the bare type, for an attachment (the outbox takes no parameters;
 * the HTML names its charset inside, and UTF-8 is text/calendar's own).
 */
static const struct {
	const char	*name;
	const char	*type;
	const char	*mime;
} formats[] = {
	[AGENDA_FORMAT_JSON] = { "json", "application/json", "application/json" },
	[AGENDA_FORMAT_HTML] = { "html", "text/html; charset=utf-8", "text/html" },
	[AGENDA_FORMAT_CSV] = { "csv", "text/csv; charset=utf-8; header=present",
	    "text/csv" },
	[AGENDA_FORMAT_ICS] = { "ics", "text/calendar; charset=utf-8",
	    "text/calendar" },
	[AGENDA_FORMAT_PDF] = { "pdf", "application/pdf", "application/pdf" },
};

bool
agenda_stmt_format(const char *name, enum agenda_stmt_format *f)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(formats[i].name, name) == 0) {
			*f = (enum agenda_stmt_format)i;
			return true;
		}
	}
	return false;
}

const char *
agenda_stmt_content_type(enum agenda_stmt_format f)
{
	return formats[f].type;
}

const char *
agenda_stmt_extension(enum agenda_stmt_format f)
{
	return formats[f].name;
}

/* The ICS UID's domain: [mail] mail_domain, else mail_from's. */
static const char *
uid_domain(const struct config *cfg)
{
	const char *at;

	if (cfg->mail_domain[0] != '\0')
		return cfg->mail_domain;
	at = strchr(cfg->mail_from, '@');
	return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

static int
render_json(const struct agenda *a, const char *diff_json,
    const char *sha256, struct buf *out)
{
	cJSON	*root = agenda_to_json(a), *changes = NULL;
	char	*text;
	bool	 ok;

	if (root == NULL)
		return -1;
	ok = cJSON_AddStringToObject(root, "status",
	    agenda_is_draft(a) ? "draft" : "issued") != NULL;
	if (ok && diff_json != NULL) {
		ok = (changes = cJSON_Parse(diff_json)) != NULL &&
		    cJSON_AddItemToObject(root, "changes", changes);
		if (!ok)
			cJSON_Delete(changes);
	}
	if (ok && sha256 != NULL)
		ok = cJSON_AddStringToObject(root, "sha256", sha256) != NULL;
	/* Sized up front: growing by doubling copied 100 kB several times. */
	text = ok ? cJSON_PrintBuffered(root, (int)(a->ncases * 320 + 1024),
	    false) : NULL;
	cJSON_Delete(root);
	if (text == NULL)
		return -1;
	buf_puts(out, text);
	cJSON_free(text);
	return buf_failed(out) ? -1 : 0;
}

int
agenda_stmt_stored_json(const char *stored, const char *diff_json,
    const char *sha256, struct buf *out)
{
	size_t n = strlen(stored);

	/* Our own canonical JSON: an object, printed unformatted, no NUL. */
	if (n < 2 || stored[0] != '{' || stored[n - 1] != '}' ||
	    strspn(sha256, "0123456789abcdef") != strlen(sha256))
		return -1;
	buf_add(out, stored, n - 1);
	buf_puts(out, n > 2 ? ",\"status\":\"issued\"" : "\"status\":\"issued\"");
	if (diff_json != NULL) {
		buf_puts(out, ",\"changes\":");
		buf_puts(out, diff_json);
	}
	buf_printf(out, ",\"sha256\":\"%s\"}", sha256);
	return buf_failed(out) ? -1 : 0;
}

int
agenda_stmt_render(const struct agenda *a, enum agenda_stmt_format f,
    const char *diff_json, const char *sha256, int64_t now,
    const struct config *cfg, struct buf *out)
{
	switch (f) {
	case AGENDA_FORMAT_JSON:
		return render_json(a, diff_json, sha256, out);
	case AGENDA_FORMAT_HTML:
		return render_agenda_html(a, out);
	case AGENDA_FORMAT_CSV:
		return render_agenda_csv(a, out);
	case AGENDA_FORMAT_ICS:
		return render_agenda_ics(a, now, uid_domain(cfg), out);
	case AGENDA_FORMAT_PDF:
		return render_agenda_pdf(a, out);
	}
	return -1;
}

/*
 * Attachments as agenda_issue() takes them: [{"filename", "content_type",
 * "content"}] with the text itself; the database base64-encodes it.
 */
static int
attachments(const struct agenda *a, const struct config *cfg, int64_t now,
    cJSON *arr, const char **names, size_t *nnames,
    char names_buf[][AGENDA_FILENAME_SIZE])
{
	enum agenda_stmt_format	 f;
	unsigned		 seen = 0;
	char			*list, *p, *tok;
	struct buf		 b;
	cJSON			*o;
	int			 rc = 0;

	if ((list = strdup(cfg->agenda_attach)) == NULL)
		return -1;
	for (p = list; rc == 0 && (tok = strsep(&p, ",")) != NULL;) {
		/* A PDF's bytes cannot travel in agenda_issue()'s JSON text. */
		if (!agenda_stmt_format(tok, &f) || f == AGENDA_FORMAT_JSON ||
		    f == AGENDA_FORMAT_PDF || (seen & 1u << f) != 0)
			continue;	/* "none", or named twice */
		seen |= 1u << f;
		/* Names travel by mail only where [mail] allows it. */
		if (a->full_names && !cfg->mail_personal_data &&
		    f != AGENDA_FORMAT_ICS)
			continue;
		buf_init(&b);
		agenda_filename(a, agenda_stmt_extension(f), names_buf[*nnames]);
		if (agenda_stmt_render(a, f, NULL, NULL, now, cfg, &b) != 0 ||
		    (o = cJSON_CreateObject()) == NULL) {
			buf_free(&b);
			rc = -1;
			break;
		}
		cJSON_AddItemToArray(arr, o);
		if (cJSON_AddStringToObject(o, "filename",
		    names_buf[*nnames]) == NULL ||
		    cJSON_AddStringToObject(o, "content_type",
		    formats[f].mime) == NULL ||
		    cJSON_AddStringToObject(o, "content", buf_str(&b)) == NULL)
			rc = -1;
		names[*nnames] = names_buf[*nnames];
		(*nnames)++;
		buf_free(&b);
	}
	free(list);
	return rc;
}

/*
 * [agenda] link_base came first; [mail] base_url is the same address for
 * the reminders.  One setting is enough, so an empty link_base uses it.
 */
static const char *
link_base(const struct config *cfg)
{
	return cfg->agenda_link_base[0] != '\0' ? cfg->agenda_link_base :
	    cfg->mail_base_url;
}

static char *
link_to(const struct agenda *a, const struct config *cfg)
{
	const char	*base = link_base(cfg);
	size_t		 n = strlen(base);
	char		*s;

	if (n == 0)
		return NULL;
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (asprintf(&s, "%.*s/v1/sittings/%lld/agenda?format=html&version=%d",
	    (int)n, base, (long long)a->sitting_id, a->version) == -1)
		return NULL;
	return s;
}

int
agenda_stmt_issue_prepare(const struct agenda *next, const char *prev_content,
    const struct config *cfg, int64_t now, struct agenda_stmt_issue *out,
    const char **why)
{
	struct agenda	 prev;
	struct buf	 canon;
	cJSON		*j = NULL, *att = NULL;
	const char	*names[3];
	char		 names_buf[3][AGENDA_FILENAME_SIZE];
	size_t		 nnames = 0;
	char		*link = NULL;
	bool		 have_prev = false;

	memset(out, 0, sizeof(*out));
	*why = "out of memory";
	snprintf(out->version, sizeof(out->version), "%d", next->version);
	if (prev_content != NULL) {
		if (agenda_stmt_load(prev_content, &prev) != 0) {
			*why = "the latest stored version cannot be read back";
			goto fail;
		}
		have_prev = true;
	}
	if (agenda_diff(have_prev ? &prev : NULL, next, &out->d) != 0)
		goto fail;
	out->unchanged = have_prev && agenda_unchanged(&prev, next, &out->d);
	/* The bytes content_sha256 is taken over: canonical JSON. */
	buf_init(&canon);
	if ((j = agenda_to_json(next)) == NULL || canonjson_tree(&canon, j, NULL) != 0 ||
	    (out->content = strdup(buf_str(&canon))) == NULL) {
		buf_free(&canon);
		goto fail;
	}
	buf_free(&canon);
	cJSON_Delete(j);
	if ((j = agenda_diff_to_json(&out->d)) == NULL ||
	    (out->diff = cJSON_PrintUnformatted(j)) == NULL)
		goto fail;
	cJSON_Delete(j);
	j = NULL;
	if ((att = cJSON_CreateArray()) == NULL ||
	    attachments(next, cfg, now, att, names, &nnames, names_buf) != 0 ||
	    (out->attachments = cJSON_PrintUnformatted(att)) == NULL)
		goto fail;
	if (link_base(cfg)[0] != '\0' && (link = link_to(next, cfg)) == NULL)
		goto fail;
	if (agenda_mail_build(next, have_prev ? &out->d : NULL, link, names,
	    nnames, &out->mail) != 0)
		goto fail;
	free(link);
	cJSON_Delete(att);
	if (have_prev)
		agenda_free(&prev);
	return 0;
fail:
	free(link);
	cJSON_Delete(j);
	cJSON_Delete(att);
	if (have_prev)
		agenda_free(&prev);
	agenda_stmt_issue_free(out);
	return -1;
}

char *
agenda_stmt_draft_changes(const struct agenda *draft, const char *latest_content,
    int latest)
{
	struct agenda		 prev;
	struct agenda_diff	 d;
	cJSON			*j = NULL;
	char			*text = NULL;

	if (agenda_stmt_load(latest_content, &prev) != 0)
		return NULL;
	if (agenda_diff(&prev, draft, &d) == 0) {
		if ((j = agenda_diff_to_json(&d)) != NULL &&
		    cJSON_AddNumberToObject(j, "since", latest) != NULL &&
		    cJSON_AddBoolToObject(j, "unchanged",
		    agenda_unchanged(&prev, draft, &d)) != NULL)
			text = cJSON_PrintUnformatted(j);
		cJSON_Delete(j);
		agenda_diff_free(&d);
	}
	agenda_free(&prev);
	return text;
}

void
agenda_stmt_issue_params(const struct agenda_stmt_issue *iss, const char *id,
    const char *issued_at, const char *params[9])
{
	params[0] = id;
	params[1] = iss->version;
	params[2] = iss->content;
	params[3] = iss->diff;
	params[4] = buf_str(&iss->mail.subject);
	params[5] = buf_str(&iss->mail.text);
	params[6] = buf_str(&iss->mail.html);
	params[7] = iss->attachments;
	params[8] = issued_at;
}

void
agenda_stmt_issue_free(struct agenda_stmt_issue *iss)
{
	free(iss->content);	/* canonjson_tree's, strdup'ed */
	cJSON_free(iss->diff);
	cJSON_free(iss->attachments);
	agenda_diff_free(&iss->d);
	agenda_mail_free(&iss->mail);
	memset(iss, 0, sizeof(*iss));
}

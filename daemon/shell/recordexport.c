/* Source to rendered record with its hash; see recordexport.h. */
#include "shell/recordexport.h"

#include <stdio.h>
#include <string.h>

#include "core/render/record.h"
#include "shell/digest.h"

static const struct {
	const char	*name;
	const char	*type;
	int		(*render)(const struct record *, const char *,
			    struct buf *);
} formats[] = {
	[RECORDEXPORT_JSON] = { "json", "application/json", render_record_json },
	[RECORDEXPORT_HTML] = { "html", "text/html; charset=utf-8",
	    render_record_html },
	[RECORDEXPORT_CSV] = { "csv", "text/csv; charset=utf-8",
	    render_record_csv },
	[RECORDEXPORT_PDF] = { "pdf", "application/pdf", render_record_pdf },
};
#define NFORMATS	(sizeof(formats) / sizeof(formats[0]))

bool
recordexport_format_parse(const char *s, enum recordexport_format *f)
{
	if (s == NULL) {
		*f = RECORDEXPORT_JSON;
		return true;
	}
	for (size_t i = 0; i < NFORMATS; i++) {
		if (strcmp(s, formats[i].name) == 0) {
			*f = (enum recordexport_format)i;
			return true;
		}
	}
	return false;
}

const char *
recordexport_format_name(enum recordexport_format f)
{
	return formats[f].name;
}

const char *
recordexport_content_type(enum recordexport_format f)
{
	return formats[f].type;
}

int
recordexport_make(const char *source, enum recordexport_format f,
    struct recordexport *x, const char **why)
{
	struct record rec;
	struct buf canon;
	cJSON *src;
	int rc = -1;

	memset(x, 0, sizeof(*x));
	x->format = f;
	buf_init(&x->body);
	buf_init(&canon);
	if ((src = cJSON_Parse(source)) == NULL) {
		*why = "the record source is not JSON";
		return -1;
	}
	if (record_build(src, &rec, why) != 0) {
		if (strcmp(*why, WHY_NOMEM) != 0)
			*why = "the record source is not a record";
		cJSON_Delete(src);
		return -1;
	}
	cJSON_Delete(src);
	snprintf(x->forum, sizeof(x->forum), "%s", rec.forum);
	if (record_canonical(&rec, &canon) != 0) {
		*why = "out of memory";
		goto out;
	}
	if (digest_sha256_hex(canon.data, canon.len, x->sha256) != 0) {
		*why = "SHA-256 failed";
		goto out;
	}
	if (formats[f].render(&rec, x->sha256, &x->body) != 0) {
		*why = "the record could not be rendered";
		goto out;
	}
	rc = 0;
out:
	buf_free(&canon);
	record_free(&rec);
	return rc;
}

void
recordexport_free(struct recordexport *x)
{
	buf_free(&x->body);
}

int
recordexport_check(const char *text, size_t len, struct recordexport_check *c,
    const char **why)
{
	struct record rec;
	struct buf canon;
	const cJSON *sha;
	cJSON *j;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if ((j = cJSON_ParseWithLength(text, len)) == NULL) {
		*why = "not JSON";
		return -1;
	}
	sha = cJSON_GetObjectItemCaseSensitive(j, "sha256");
	if (!cJSON_IsString(sha) || strlen(sha->valuestring) != 64) {
		*why = "no sha256 member: not a JSON record export";
		cJSON_Delete(j);
		return -1;
	}
	snprintf(c->stated, sizeof(c->stated), "%s", sha->valuestring);
	if (record_build(j, &rec, why) != 0) {
		if (strcmp(*why, WHY_NOMEM) != 0)
			*why = "not a decision record";
		cJSON_Delete(j);
		return -1;
	}
	cJSON_Delete(j);
	c->kind = rec.kind;
	c->id = (long long)rec.id;
	buf_init(&canon);
	if (record_canonical(&rec, &canon) != 0)
		*why = "out of memory";
	else if (digest_sha256_hex(canon.data, canon.len, c->computed) != 0)
		*why = "SHA-256 failed";
	else
		rc = 0;
	buf_free(&canon);
	record_free(&rec);
	return rc;
}

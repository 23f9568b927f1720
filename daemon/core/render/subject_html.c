#include "core/render/subject_html.h"
#include "core/render/html.h"

#include <stdio.h>

/* Deep enough for referral > actions > history > row; deeper is flattened. */
#define DEPTH_MAX	8

static void value(struct buf *b, const cJSON *v, int depth);

static void
scalar(struct buf *b, const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v)) {
		html_escape(b, v->valuestring);
	} else if (cJSON_IsNull(v)) {
		buf_puts(b, "<i>none</i>");
	} else if ((s = cJSON_PrintUnformatted(v)) != NULL) {
		html_escape(b, s);
		cJSON_free(s);
	}
}

static void
object(struct buf *b, const cJSON *o, int depth)
{
	const cJSON *m;

	buf_puts(b, "<table>\n");
	cJSON_ArrayForEach(m, o) {
		buf_puts(b, "<tr><th>");
		html_escape(b, m->string);
		buf_puts(b, "</th><td>");
		value(b, m, depth + 1);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n");
}

static void
array(struct buf *b, const cJSON *a, int depth)
{
	const cJSON *e;

	if (cJSON_GetArraySize(a) == 0) {
		buf_puts(b, "<i>none</i>");
		return;
	}
	buf_puts(b, "<ol>\n");
	cJSON_ArrayForEach(e, a) {
		buf_puts(b, "<li>");
		value(b, e, depth + 1);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ol>\n");
}

static void
value(struct buf *b, const cJSON *v, int depth)
{
	if (depth >= DEPTH_MAX && (cJSON_IsObject(v) || cJSON_IsArray(v)))
		scalar(b, v);
	else if (cJSON_IsObject(v))
		object(b, v, depth);
	else if (cJSON_IsArray(v))
		array(b, v, depth);
	else
		scalar(b, v);
}

int
subject_html(const cJSON *doc, const char *title, struct buf *out)
{
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>");
	html_escape(out, title);
	buf_puts(out, "</title><style>body{font-family:sans-serif;font-size:11pt}"
	    "table{border-collapse:collapse;margin:2px 0}th,td{border:1px solid #999;"
	    "padding:2px 6px;text-align:left;vertical-align:top}th{background:#eee}"
	    "</style></head><body>\n<h1>");
	html_escape(out, title);
	buf_puts(out, "</h1>\n<p>OFFICIAL-SENSITIVE. Everything maracd holds on this "
	    "person, as victim, perpetrator or child: referrals, decisions, actions, "
	    "agendas and mail.</p>\n");
	value(out, doc, 0);
	buf_puts(out, "</body></html>\n");
	return buf_failed(out) ? -1 : 0;
}

/*
 * A subject access answer as PDF.  See subject_pdf.h.
 */
#include "core/render/subject_pdf.h"
#include "core/render/pdf.h"
#include "core/render/winansi.h"

#include <stdio.h>
#include <stdlib.h>

/* As subject_html.c: deep enough for referral > actions > history > row. */
#define DEPTH_MAX	8
/* Nesting shown by indent, up to a point: the column must stay wide. */
#define INDENT_STEP	12.0f
#define INDENT_MAX	6

static void value(struct pdf *p, const char *label, const cJSON *v,
    int depth);

static float
indent(int depth)
{
	int steps = depth - 2;

	steps = steps < 0 ? 0 : steps > INDENT_MAX ? INDENT_MAX : steps;
	return (float)steps * INDENT_STEP;
}

/* The members of the document are its sections, the elements of its
 * arrays (each referral) sub-sections; deeper, a bold line. */
static void
heading(struct pdf *p, int depth, const char *text)
{
	if (depth <= 1) {
		pdf_heading(p, 12, text);
	} else if (depth == 2) {
		pdf_heading(p, 11, text);
	} else {
		pdf_gap(p, 2);
		pdf_para(p, p->bold, PDF_TEXT_SIZE, indent(depth), text);
	}
}

/* "label: text", or the text alone when label is NULL. */
static void
line(struct pdf *p, const char *label, const char *text, int depth)
{
	char *s;

	if (asprintf(&s, "%s%s%s", label != NULL ? label : "",
	    label != NULL ? ": " : "", text) < 0) {
		p->failed = true;
		return;
	}
	pdf_para(p, p->regular, PDF_TEXT_SIZE, indent(depth), s);
	free(s);
}

static void
scalar(struct pdf *p, const char *label, const cJSON *v, int depth)
{
	char *json;

	if (cJSON_IsString(v)) {
		line(p, label, v->valuestring, depth);
	} else if (cJSON_IsNull(v)) {
		line(p, label, "none", depth);
	} else if ((json = cJSON_PrintUnformatted(v)) != NULL) {
		line(p, label, json, depth);
		cJSON_free(json);
	} else {
		p->failed = true;
	}
}

static void
object(struct pdf *p, const char *label, const cJSON *o, int depth)
{
	const cJSON *m;

	if (label != NULL)
		heading(p, depth, label);
	cJSON_ArrayForEach(m, o)
		value(p, m->string, m, depth + 1);
}

/* Each element numbered: "referrals 2", or "2" under no label. */
static void
array(struct pdf *p, const char *label, const cJSON *a, int depth)
{
	const cJSON *e;
	char *name;
	int i = 0;

	if (label != NULL)
		heading(p, depth, label);
	cJSON_ArrayForEach(e, a) {
		if (asprintf(&name, "%s%s%d", label != NULL ? label : "",
		    label != NULL ? " " : "", ++i) < 0) {
			p->failed = true;
			return;
		}
		value(p, name, e, depth + 1);
		free(name);
	}
}

static void
value(struct pdf *p, const char *label, const cJSON *v, int depth)
{
	if (p->failed)
		return;
	if ((!cJSON_IsObject(v) && !cJSON_IsArray(v)) || depth >= DEPTH_MAX)
		scalar(p, label, v, depth);
	else if (cJSON_GetArraySize(v) == 0)
		line(p, label, "none", depth);
	else if (cJSON_IsObject(v))
		object(p, label, v, depth);
	else
		array(p, label, v, depth);
}

int
subject_pdf(const cJSON *doc, const char *title, struct buf *out)
{
	struct pdf p;
	struct buf foot;

	if (pdf_begin(&p, title, NULL, false, NULL) != 0)
		return -1;
	pdf_para(&p, p.bold, 14, 0, title);
	pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0, "OFFICIAL-SENSITIVE. Everything "
	    "maracd holds on this person, as victim, perpetrator or child: "
	    "referrals, decisions, actions, agendas and mail.");
	value(&p, NULL, doc, 0);
	/* The running foot is drawn as it is given: encode it here. */
	buf_init(&foot);
	winansi_encode(&foot, title);
	if (buf_failed(&foot))
		p.failed = true;
	else
		pdf_running(&p, "OFFICIAL-SENSITIVE", buf_str(&foot));
	buf_free(&foot);
	return pdf_finish(&p, out);
}

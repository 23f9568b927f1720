/*
 * The SafeLives return as PDF (core/render/pdf.c): the same figures and
 * small-number rule as the CSV and HTML of core/safelives.c, one line a
 * figure.  It leaves the coordinator's hands, so it shows what they show.
 */
#include "core/render/pdf.h"
#include "core/safelives.h"

#include <stdio.h>

int
sl_pdf(const struct sl_return *r, struct buf *out)
{
	struct pdf	 p;
	char		 head[128], d1[DATE_STRLEN], d2[DATE_STRLEN];
	char		 n[64], v[64], line[512];

	if (pdf_begin(&p, "SafeLives MARAC quarterly return", NULL, true, NULL) != 0)
		return -1;
	snprintf(head, sizeof(head), "SafeLives MARAC quarterly return: %s, %04d Q%d",
	    r->area, r->year, r->quarter);
	pdf_heading(&p, 14, head);
	snprintf(line, sizeof(line), "Meetings held from %s to %s.",
	    date_format(r->from, d1), date_format(r->to, d2));
	pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0, line);
	if (r->suppress_below > 0) {
		snprintf(line, sizeof(line), "Counts from 1 to %d are shown as "
		    "\"fewer than %d\".", r->suppress_below - 1, r->suppress_below);
		pdf_para(&p, p.regular, PDF_TEXT_SIZE, 0, line);
	}
	pdf_gap(&p, 6);
	for (size_t i = 0; i < r->nfigures; i++) {
		const struct sl_figure *f = &r->figures[i];
		const char *rag = sl_rag_name(f->rag);
		char exp[64];

		sl_shown_count(r, f, n, sizeof(n));
		sl_shown_value(r, f, v, sizeof(v));
		sl_expected_text(f, exp, sizeof(exp));
		/* No value shown (none, or its count hidden): no RAG either. */
		if (v[0] == '\0')
			snprintf(line, sizeof(line), "%s", n[0] != '\0' ? n : "-");
		else if (rag == NULL)
			snprintf(line, sizeof(line), "%s%s%s", n, n[0] != '\0' ?
			    ", " : "", v);
		else
			snprintf(line, sizeof(line), "%s%s%s (expected %s: %s)", n,
			    n[0] != '\0' ? ", " : "", v, exp, rag);
		pdf_field(&p, f->label, line);
	}
	pdf_running(&p, "OFFICIAL", "maracd: SafeLives MARAC return");
	return pdf_finish(&p, out);
}

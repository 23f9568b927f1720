/*
 * Charts as SVG: the drawing of core/chart.c, element for element.
 */
#include "core/render/chart_svg.h"
#include "core/render/html.h"

void
chart_svg(const struct chart *c, double width, struct buf *out)
{
	struct chart_drawing d;

	chart_layout(c, width, &d);
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-labelledby=\"%s-title\" width=\"%.0f\" height=\"%.0f\" "
	    "viewBox=\"0 0 %.0f %.0f\" font-family=\"Arial, Helvetica, sans-serif\" "
	    "font-size=\"%.0f\"><title id=\"%s-title\">", c->id, d.width, d.height,
	    d.width, d.height, CHART_TEXT_SIZE, c->id);
	html_escape(out, c->title);
	buf_puts(out, "</title>\n");
	for (size_t i = 0; i < d.n; i++) {
		const struct chart_prim *p = &d.p[i];

		if (p->kind == CHART_RECT) {
			buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"/>\n", p->x, p->y, p->w, p->h,
			    chart_colour_rgb(p->colour));
			continue;
		}
		buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\"%s%s>", p->x,
		    p->y, chart_colour_rgb(p->colour), p->end ?
		    " text-anchor=\"end\"" : "", p->bold ? " font-weight=\"bold\"" : "");
		html_escape(out, p->text);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</svg>\n");
}

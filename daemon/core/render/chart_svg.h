/*
 * A chart (core/chart.h) as an SVG element for HTML: role="img", named by
 * its title; text escaped; no style attribute or element (the pages' CSP
 * allows no inline style), colours as presentation attributes.
 */
#ifndef MARACD_CORE_RENDER_CHART_SVG_H
#define MARACD_CORE_RENDER_CHART_SVG_H

#include "core/buf.h"
#include "core/chart.h"

void	chart_svg(const struct chart *, double width, struct buf *out);

#endif

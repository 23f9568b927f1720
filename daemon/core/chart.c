/*
 * Bar charts laid out as rectangles and text: see chart.h.  One row a
 * bar: its label right-aligned in the left column, the bar from the axis,
 * its value after it.  An expected range is a shaded band behind the rows,
 * named in a line under the title.
 */
#include "core/chart.h"

#include <stdio.h>
#include <string.h>

#define TITLE_Y		16.0
#define ROW_H		22.0
#define BAR_H		14.0
#define LABEL_W		0.36	/* of the width: the labels' column */
#define VALUE_W		110.0	/* room after the longest bar for its text */

/* GOV.UK Design System colours: contrast 3:1 or more on white. */
static const struct { const char *hex; unsigned char r, g, b; } colours[] = {
	[CHART_BLUE] = { "#1d70b8", 0x1d, 0x70, 0xb8 },
	[CHART_PURPLE] = { "#4c2c92", 0x4c, 0x2c, 0x92 },
	[CHART_GREY] = { "#505a5f", 0x50, 0x5a, 0x5f },
	[CHART_RED] = { "#d4351c", 0xd4, 0x35, 0x1c },
	[CHART_AMBER] = { "#b36200", 0xb3, 0x62, 0x00 },
	[CHART_GREEN] = { "#00703c", 0x00, 0x70, 0x3c },
	[CHART_BAND] = { "#dbe8f3", 0xdb, 0xe8, 0xf3 },
	[CHART_INK] = { "#0b0c0c", 0x0b, 0x0c, 0x0c },
};

const char *
chart_colour_rgb(enum chart_colour c)
{
	return colours[c].hex;
}

void
chart_colour_components(enum chart_colour c, float *r, float *g, float *b)
{
	*r = colours[c].r / 255.0f;
	*g = colours[c].g / 255.0f;
	*b = colours[c].b / 255.0f;
}

void
chart_init(struct chart *c, const char *id, const char *title)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->title, sizeof(c->title), "%s", title);
}

bool
chart_add(struct chart *c, const char *label, double value, bool hidden,
    const char *shown, enum chart_colour colour)
{
	struct chart_bar *b;

	if (c->nbars == CHART_BARS_MAX)
		return false;
	b = &c->bars[c->nbars++];
	snprintf(b->label, sizeof(b->label), "%s", label);
	b->value = value < 0 ? 0 : value;
	b->hidden = hidden;
	snprintf(b->shown, sizeof(b->shown), "%s", shown);
	b->colour = colour;
	return true;
}

static struct chart_prim *
prim(struct chart_drawing *d, enum chart_prim_kind kind, double x, double y,
    enum chart_colour colour)
{
	struct chart_prim *p = &d->p[d->n++];

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->x = x;
	p->y = y;
	p->colour = colour;
	return p;
}

static struct chart_prim *
text(struct chart_drawing *d, double x, double y, const char *s)
{
	struct chart_prim *p = prim(d, CHART_TEXT, x, y, CHART_INK);

	p->text = s;
	return p;
}

/*
 * The scale's end: c->max, else the largest value or band bound (never 0).
 * A hidden bar's value must not stretch the scale: that would give it back.
 */
static double
scale_max(const struct chart *c)
{
	double m = c->max;

	if (m <= 0) {
		for (size_t i = 0; i < c->nbars; i++)
			if (!c->bars[i].hidden && c->bars[i].value > m)
				m = c->bars[i].value;
		if (c->band && c->band_low > m)
			m = c->band_low;
		if (c->band && c->band_high > m)
			m = c->band_high;
	}
	return m > 0 ? m : 1;
}

void
chart_layout(const struct chart *c, double width, struct chart_drawing *d)
{
	double axis = width * LABEL_W, span = width - axis - VALUE_W;
	double max = scale_max(c), top = TITLE_Y + 12, y;
	struct chart_prim *p;

	memset(d, 0, sizeof(*d));
	d->width = width;
	text(d, 0, TITLE_Y - 3, c->title)->bold = true;
	if (c->band) {
		top += ROW_H;
		text(d, 0, TITLE_Y + ROW_H - 3, c->band_label);
		p = prim(d, CHART_RECT, axis + span * c->band_low / max, top,
		    CHART_BAND);
		p->w = span * ((c->band_high >= 0 ? c->band_high : max) -
		    c->band_low) / max;
		p->h = ROW_H * (double)c->nbars;
	}
	for (size_t i = 0; i < c->nbars; i++) {
		const struct chart_bar *b = &c->bars[i];
		double len = b->hidden ? 0 : span * b->value / max;

		y = top + ROW_H * (double)i;
		text(d, axis - 6, y + BAR_H - 2, b->label)->end = true;
		if (len > 0) {
			p = prim(d, CHART_RECT, axis, y + (ROW_H - BAR_H) / 2,
			    b->colour);
			p->w = len;
			p->h = BAR_H;
		}
		text(d, axis + len + 6, y + BAR_H - 2, b->shown);
	}
	/* The axis: a thin rule where the bars start. */
	p = prim(d, CHART_RECT, axis - 1, top, CHART_INK);
	p->w = 1;
	p->h = ROW_H * (double)(c->nbars > 0 ? c->nbars : 1);
	d->height = top + p->h + 6;
}

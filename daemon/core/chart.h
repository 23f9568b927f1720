/*
 * The quarterly report's charts (docs/statistics.md, The quarterly
 * report): horizontal bar charts, laid out once here as rectangles and
 * text (a chart_drawing), which core/render/chart_svg.c writes as SVG for
 * the HTML and core/render/report_pdf.c draws on a PDF page, so that both
 * show the same chart.  Pure: no I/O.
 *
 * Every bar carries its value as text at its end, and the colours have a
 * legend in words: colour never carries a figure alone (WCAG 1.4.1).  A
 * bar whose count is a small number is drawn without a bar (its length
 * would give the count back) and says so in its text.
 */
#ifndef MARACD_CORE_CHART_H
#define MARACD_CORE_CHART_H

#include <stdbool.h>
#include <stddef.h>

#define CHART_BARS_MAX		48
#define CHART_LABEL_MAX		64
#define CHART_TITLE_MAX		96
#define CHART_ID_MAX		24
#define CHART_PRIMS_MAX		(CHART_BARS_MAX * 3 + 8)

/* Colours by meaning; chart_colour_rgb gives each its RGB. */
enum chart_colour {
	CHART_BLUE,		/* MARAC, or a single series */
	CHART_PURPLE,		/* MASC */
	CHART_GREY,		/* below threshold, closed */
	CHART_RED,
	CHART_AMBER,
	CHART_GREEN,
	CHART_BAND,		/* an expected range, behind the bars */
	CHART_INK		/* text */
};

struct chart_bar {
	char			label[CHART_LABEL_MAX];
	double			value;
	bool			hidden;		/* no bar: a small number */
	char			shown[48];	/* the text at the bar's end */
	enum chart_colour	colour;
};

struct chart {
	char			id[CHART_ID_MAX];	/* [a-z0-9-]: the SVG's ids */
	char			title[CHART_TITLE_MAX];
	size_t			nbars;
	struct chart_bar	bars[CHART_BARS_MAX];
	/* An expected range, shaded: high < 0 is open above. */
	bool			band;
	double			band_low;
	double			band_high;
	char			band_label[CHART_TITLE_MAX];
	double			max;	/* the scale's end; 0: from the data */
};

enum chart_prim_kind { CHART_RECT, CHART_TEXT };

/* A rectangle (x, y, w, h) or a line of text (baseline at x, y). */
struct chart_prim {
	enum chart_prim_kind	 kind;
	double			 x, y, w, h;
	enum chart_colour	 colour;
	const char		*text;		/* into the chart */
	bool			 end;		/* text ends at x (right-aligned) */
	bool			 bold;
};

/* Units are points (PDF) or pixels (SVG); y grows downwards. */
struct chart_drawing {
	double			 width;
	double			 height;
	size_t			 n;
	struct chart_prim	 p[CHART_PRIMS_MAX];
};

#define CHART_TEXT_SIZE	11.0

/* A chart with its id and title, no bars. */
void	chart_init(struct chart *, const char *id, const char *title);
/* Adds a bar; false (nothing added) when the chart is full. */
bool	chart_add(struct chart *, const char *label, double value, bool hidden,
	    const char *shown, enum chart_colour);
void	chart_layout(const struct chart *, double width, struct chart_drawing *);
/* "#1d70b8" */
const char *chart_colour_rgb(enum chart_colour);
/* The same as 0..1 components, for PDF. */
void	chart_colour_components(enum chart_colour, float *r, float *g, float *b);

#endif

/*
 * A QR code as SVG, for the second-factor enrolment page: the otpauth://
 * URI (core/totp.h) becomes an image the person scans with their phone.
 *
 * libqrencode makes the modules (error correction level M: a screen is
 * not a crumpled label); the SVG is built here as text: one <path> of the
 * dark modules, a white background, a quiet zone of 4 modules, a <title>
 * for screen readers, and shape-rendering="crispEdges".  Attributes only,
 * no style: the pages' Content-Security-Policy forbids inline style.
 * The SVG may be served as image/svg+xml or put inline in an HTML page.
 */
#ifndef MARACD_CORE_QRSVG_H
#define MARACD_CORE_QRSVG_H

#include <stdbool.h>

#include "core/buf.h"

#define QRSVG_QUIET	4	/* modules of white border, as ISO 18004 asks */
#define QRSVG_SCALE	4	/* CSS pixels per module of the width/height */

/*
 * Appends the SVG of text's QR code to out; title is XML-escaped.  False
 * if the text does not fit a QR code (more than about 2 300 bytes at level
 * M) or on a failed allocation.  *modules, if not NULL, is the code's width
 * in modules, quiet zone excluded.
 */
bool	qrsvg_render(struct buf *out, const char *text, const char *title,
	    int *modules);

#endif

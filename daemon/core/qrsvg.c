/*
 * Text -> libqrencode -> SVG.  Each horizontal run of dark modules is one
 * rectangle of the path (M x y h n v 1 h -n z): a typical enrolment URI
 * (version 6 or 7) stays a few kilobytes.
 */
#include "core/qrsvg.h"

#include <qrencode.h>
#include <stddef.h>

#include "core/render/html.h"

bool
qrsvg_render(struct buf *out, const char *text, const char *title, int *modules)
{
	QRcode *qr;
	int w, side;

	/* Version 0: the smallest that fits; case-sensitive 8-bit data. */
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return false;
	w = qr->width;
	side = w + 2 * QRSVG_QUIET;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\">", side, side,
	    side * QRSVG_SCALE, side * QRSVG_SCALE);
	buf_puts(out, "<title>");
	html_escape(out, title);
	buf_puts(out, "</title>");
	/* White under the code: a dark page theme must not eat the quiet zone. */
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
	    side, side);
	buf_puts(out, "<path fill=\"#000\" d=\"");
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w; ) {
			int run = 0;

			/* Bit 0 of each module byte: dark. */
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			if (run == 0) {
				x++;
				continue;
			}
			buf_printf(out, "M%d %dh%dv1h-%dz", x + QRSVG_QUIET,
			    y + QRSVG_QUIET, run, run);
			x += run;
		}
	}
	buf_puts(out, "\"/></svg>");
	if (modules != NULL)
		*modules = w;
	QRcode_free(qr);
	return !buf_failed(out);
}

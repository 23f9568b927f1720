/*
 * QR SVG: the image drawn is exactly libqrencode's code (every module,
 * quiet zone around it), the markup is balanced and has no style.
 */
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "core/qrsvg.h"

static const char uri[] = "otpauth://totp/maracd:jo.bloggs%40police.example?"
    "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=maracd&algorithm=SHA1"
    "&digits=6&period=30";

/*
 * Element nesting of the simple XML we write (no comments, no CDATA, no
 * '>' inside attribute values): every start tag is closed, in order.
 */
static bool
balanced(const char *s)
{
	char stack[16][16];
	int depth = 0;

	for (const char *p = strchr(s, '<'); p != NULL; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>');
		size_t n;

		if (end == NULL)
			return false;
		if (p[1] == '/') {
			n = strcspn(p + 2, " >");
			if (depth == 0 || n >= 16 || strncmp(stack[depth - 1], p + 2, n) != 0 ||
			    stack[depth - 1][n] != '\0')
				return false;
			depth--;
		} else if (end[-1] != '/') {
			n = strcspn(p + 1, " >/");
			if (depth == 16 || n >= 16)
				return false;
			memcpy(stack[depth], p + 1, n);
			stack[depth++][n] = '\0';
		}
	}
	return depth == 0;
}

START_TEST(test_drawn_modules_are_the_code)
{
	static unsigned char grid[200][200];
	struct buf b;
	QRcode *qr;
	const char *d, *p;
	char viewbox[64];
	int modules = 0, x, y, run, k, side;

	buf_init(&b);
	ck_assert(qrsvg_render(&b, uri, "Scan with your authenticator app", &modules));
	qr = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(qr);
	ck_assert_int_eq(modules, qr->width);
	side = qr->width + 2 * QRSVG_QUIET;
	snprintf(viewbox, sizeof(viewbox), "viewBox=\"0 0 %d %d\"", side, side);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), viewbox));

	/* Draw the path's rectangles and compare module by module. */
	memset(grid, 0, sizeof(grid));
	d = strstr(buf_str(&b), " d=\"");
	ck_assert_ptr_nonnull(d);
	for (p = d + 4; *p == 'M'; p += k) {
		int run2;

		ck_assert_int_eq(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &run2, &k), 4);
		ck_assert_int_eq(run, run2);
		ck_assert(x >= QRSVG_QUIET && y >= QRSVG_QUIET);
		ck_assert(x + run <= QRSVG_QUIET + qr->width && y < QRSVG_QUIET + qr->width);
		for (int i = 0; i < run; i++) {
			ck_assert_int_eq(grid[y][x + i], 0);	/* no overlap */
			grid[y][x + i] = 1;
		}
	}
	ck_assert_int_eq(*p, '"');
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x++)
			ck_assert_int_eq(grid[y + QRSVG_QUIET][x + QRSVG_QUIET],
			    qr->data[y * qr->width + x] & 1);
	QRcode_free(qr);
	buf_free(&b);
}
END_TEST

START_TEST(test_markup)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	ck_assert(qrsvg_render(&b, uri, "Key for <Jo> & \"co\"", NULL));
	s = buf_str(&b);
	ck_assert(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
	ck_assert(balanced(s));
	ck_assert_ptr_nonnull(strstr(s, "shape-rendering=\"crispEdges\""));
	ck_assert_ptr_nonnull(strstr(s, "<title>Key for &lt;Jo&gt; &amp; &quot;co&quot;</title>"));
	/* One path; CSP forbids inline style. */
	ck_assert_ptr_null(strstr(strstr(s, "<path") + 1, "<path"));
	ck_assert_ptr_null(strstr(s, "style"));
	ck_assert(strcmp(s + strlen(s) - 6, "</svg>") == 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_too_long_is_refused)
{
	static char big[8000];
	struct buf b;

	memset(big, 'x', sizeof(big) - 1);
	buf_init(&b);
	ck_assert(!qrsvg_render(&b, big, "t", NULL));
	buf_free(&b);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("qrsvg", &tc);

	tcase_add_test(tc, test_drawn_modules_are_the_code);
	tcase_add_test(tc, test_markup);
	tcase_add_test(tc, test_too_long_is_refused);
	return unit_run(s);
}

/*
 * The record as JSON: its canonical form and the hash of it.
 */
#include "core/render/record.h"

int
render_record_json(const struct record *rec, const char *sha256,
    struct buf *out)
{
	size_t start = out->len;

	if (record_canonical(rec, out) != 0)
		return -1;
	/* The canonical form is an object: reopen it for one member. */
	if (out->len == start || out->data[out->len - 1] != '}')
		return -1;
	out->len--;
	buf_printf(out, ",\"sha256\":\"%s\"}", sha256);
	return buf_failed(out) ? -1 : 0;
}

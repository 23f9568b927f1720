/* An import's batch, in waves of rows with distinct victims. */
#include "core/importbatch.h"

#include <stdlib.h>
#include <string.h>

bool
import_batch_init(struct import_batch *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
	b->nseen = 2 * cap;
	b->rows = calloc(cap, sizeof(*b->rows));
	b->wave = calloc(cap, sizeof(*b->wave));
	b->sent = calloc(cap, sizeof(*b->sent));
	b->seen = calloc(b->nseen, sizeof(*b->seen));
	if (b->rows != NULL && b->wave != NULL && b->sent != NULL &&
	    b->seen != NULL)
		return true;
	import_batch_free(b);
	return false;
}

void
import_batch_free(struct import_batch *b)
{
	if (b->rows != NULL)
		import_batch_clear(b);
	free(b->rows);
	free(b->wave);
	free(b->sent);
	free(b->seen);
	memset(b, 0, sizeof(*b));
}

bool
import_batch_full(const struct import_batch *b)
{
	return b->n == b->cap;
}

void
import_batch_add(struct import_batch *b, struct import *imp)
{
	import_take(imp, &b->rows[b->n++]);
}

void
import_batch_clear(struct import_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		import_row_free(&b->rows[i]);
	b->n = b->nwave = b->nsent = 0;
}

/* FNV-1a: the slot to start looking for key at. */
static size_t
slot_of(const struct import_batch *b, const char *key)
{
	unsigned long h = 2166136261UL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619UL;
	return (size_t)(h % b->nseen);
}

/* True when key was seen already; remembers it otherwise. */
static bool
seen(struct import_batch *b, const char *key)
{
	size_t s = slot_of(b, key);

	while (b->seen[s] != NULL) {
		if (strcmp(b->seen[s], key) == 0)
			return true;
		s = (s + 1) % b->nseen;
	}
	b->seen[s] = key;
	return false;
}

bool
import_batch_wave(struct import_batch *b)
{
	memset(b->seen, 0, b->nseen * sizeof(*b->seen));
	b->nwave = b->nsent = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct import_row *row = &b->rows[i];

		/* A later row of a victim waits for the earlier ones. */
		if (row->status == IMPORT_PENDING && !seen(b, row->d.victim_key))
			b->wave[b->nwave++] = i;
	}
	return b->nwave > 0;
}

void
import_batch_facts_param(const struct import_batch *b, const char *now,
    struct buf *out)
{
	cJSON	*a = cJSON_CreateArray();
	char	*text;

	for (size_t i = 0; a != NULL && i < b->nwave; i++) {
		const struct import_row	*row = &b->rows[b->wave[i]];
		const char		*p[2];
		cJSON			*e = cJSON_CreateArray();

		import_row_facts_params(row, p);
		cJSON_AddItemToArray(e, cJSON_CreateString(p[0]));
		cJSON_AddItemToArray(e, p[1] != NULL ? cJSON_CreateString(p[1]) :
		    cJSON_CreateNull());
		cJSON_AddItemToArray(e, cJSON_CreateString(now));
		cJSON_AddItemToArray(a, e);
	}
	buf_reset(out);
	if ((text = cJSON_PrintUnformatted(a)) != NULL)
		buf_puts(out, text);
	else
		out->failed = true;
	cJSON_free(text);
	cJSON_Delete(a);
}

void
import_batch_route(struct import_batch *b, struct import *imp, size_t i,
    const struct intake_facts *f)
{
	(void)import_row_route(imp, &b->rows[b->wave[i]], f);
}

bool
import_batch_store_param(struct import_batch *b, struct import *imp,
    struct buf *out)
{
	size_t mark;

	buf_reset(out);
	buf_putc(out, '[');
	b->nsent = 0;
	for (size_t i = 0; i < b->nwave; i++) {
		struct import_row *row = &b->rows[b->wave[i]];

		/* Refused or unserved rows are finished already. */
		if (row->status != IMPORT_PENDING)
			continue;
		mark = out->len;
		if (b->nsent > 0)
			buf_putc(out, ',');
		if (!import_row_store_json(imp, row, out)) {
			buf_truncate(out, mark);
			continue;
		}
		/* Its text is all the rest needs: the memory goes now. */
		import_row_free(row);
		b->sent[b->nsent++] = b->wave[i];
	}
	buf_putc(out, ']');
	return b->nsent > 0;
}

bool
import_batch_last_wave(const struct import_batch *b)
{
	size_t pending = 0;

	/* The rows sent are the only ones still pending, or there are others. */
	for (size_t i = 0; i < b->n; i++)
		if (b->rows[i].status == IMPORT_PENDING)
			pending++;
	return pending == b->nsent;
}

void
import_batch_stored(struct import_batch *b, struct import *imp, size_t k,
    bool created, long long id, const char *reference, const char *forum,
    const char *status)
{
	import_row_stored(imp, &b->rows[b->sent[k]], created, id, reference,
	    forum, status);
}

void
import_batch_store_failed(struct import_batch *b, struct import *imp,
    size_t k, const char *sqlstate)
{
	import_row_store_failed(imp, &b->rows[b->sent[k]], sqlstate);
}

/*
 * Field errors: a bounded list of (path, reason) pairs.
 */
#include "core/fielderr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
field_errors_init(struct field_errors *fe)
{
	fe->count = 0;
	fe->total = 0;
	fe->overflow = false;
}

void
field_errors_add(struct field_errors *fe, const char *field,
    const char *fmt, ...)
{
	struct field_error	*e;
	va_list			 ap;

	fe->total++;
	if (fe->count == FIELD_ERRORS_MAX) {
		fe->overflow = true;
		return;
	}
	e = &fe->items[fe->count++];
	snprintf(e->field, sizeof(e->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

bool
field_errors_any(const struct field_errors *fe)
{
	return fe->count > 0 || fe->overflow;
}

const struct field_error *
field_errors_find(const struct field_errors *fe, const char *field)
{
	for (size_t i = 0; i < fe->count; i++)
		if (strcmp(fe->items[i].field, field) == 0)
			return &fe->items[i];
	return NULL;
}

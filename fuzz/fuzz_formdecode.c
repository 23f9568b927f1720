/*
 * libFuzzer target: a form post as a page receives it (core/formdecode.h).
 *
 * The input is the body of an application/x-www-form-urlencoded POST.
 * Beyond not crashing, the target checks what the page layer and the API
 * handlers behind it rely on: a refusal says why; an accepted form is an
 * object whose leaves are non-empty strings of valid UTF-8, whose arrays
 * have no holes and hold only strings or only objects, with no more
 * values than the form had fields; and the object, written back as a form
 * (names with [] and [n] as the header describes), decodes to itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/formdecode.h"
#include "core/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_formdecode: %s\n", #c); abort(); } } while (0)

/* Checks v's shape; the number of string leaves below it. */
static size_t
check_shape(const cJSON *v)
{
	const cJSON *e;
	size_t n = 0;
	int kind = 0;

	if (cJSON_IsString(v)) {
		CHECK(v->valuestring[0] != '\0');
		CHECK(utf8_count(v->valuestring, strlen(v->valuestring)) > 0);
		return 1;
	}
	CHECK(cJSON_IsObject(v) || cJSON_IsArray(v));
	cJSON_ArrayForEach(e, v) {
		CHECK(!cJSON_IsNull(e));
		if (cJSON_IsArray(v)) {
			CHECK(cJSON_IsString(e) || cJSON_IsObject(e));
			CHECK(kind == 0 || kind == (e->type & 0xff));
			kind = e->type & 0xff;
		} else
			CHECK(e->string != NULL && e->string[0] != '\0');
		n += check_shape(e);
	}
	return n;
}

static void
put_value(struct buf *b, const char *name, const char *s)
{
	buf_printf(b, "&%s=", name);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		buf_printf(b, "%%%02X", *p);
}

/* v as form pairs named from name ("": the top). */
static void
encode(struct buf *b, const char *name, const cJSON *v)
{
	const cJSON *e;
	char sub[512];
	int i = 0;

	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(e, v) {
			snprintf(sub, sizeof(sub), "%s%s%s", name, name[0] ? "." : "",
			    e->string);
			encode(b, sub, e);
		}
	} else if (cJSON_IsArray(v)) {
		/* Two values or more: the name repeated, as a checkbox group sends. */
		bool repeat = cJSON_GetArraySize(v) > 1;

		cJSON_ArrayForEach(e, v) {
			if (cJSON_IsString(e)) {
				snprintf(sub, sizeof(sub), "%s%s", name, repeat ? "" : "[]");
				put_value(b, sub, e->valuestring);
			} else {
				snprintf(sub, sizeof(sub), "%s[%d]", name, i);
				encode(b, sub, e);
			}
			i++;
		}
	} else
		put_value(b, name, v->valuestring);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL, *why2 = NULL;
	size_t fields = 1;
	cJSON *o, *back;
	struct buf b;

	o = formdecode((const char *)data, size, &why);
	if (o == NULL) {
		CHECK(why != NULL && why[0] != '\0');
		return 0;
	}
	CHECK(why == NULL && cJSON_IsObject(o));
	for (size_t i = 0; i < size; i++)
		fields += data[i] == '&';
	CHECK(check_shape(o) <= fields);
	buf_init(&b);
	encode(&b, "", o);
	CHECK(!buf_failed(&b));
	back = formdecode(buf_str(&b), b.len, &why2);
	if (back == NULL)
		fprintf(stderr, "fuzz_formdecode: %s: %s\n", why2, buf_str(&b));
	CHECK(back != NULL && cJSON_Compare(o, back, true));
	cJSON_Delete(back);
	buf_free(&b);
	cJSON_Delete(o);
	return 0;
}

/*
 * libFuzzer target: a browser's file upload as the import page receives
 * it (core/multipart.h).
 *
 * The input's first line is the Content-Type's boundary parameter, the
 * rest the body.  Beyond not crashing, the target checks what the page
 * layer relies on: a refusal says why; an accepted body is an object of
 * strings, no more of them than two for each part allowed (a file's
 * name beside its bytes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/multipart.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_multipart: %s\n", #c); abort(); } } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size < 100 ? size : 100);
	size_t blen = nl != NULL ? (size_t)(nl - data) : 0;
	char ctype[160];
	const char *why = NULL;
	const cJSON *m;
	cJSON *form;
	char *body;
	int n = 0;

	if (nl == NULL)
		return 0;
	snprintf(ctype, sizeof(ctype), "multipart/form-data; boundary=%.*s",
	    (int)blen, (const char *)data);
	CHECK(multipart_is_form(ctype));
	size -= blen + 1;
	/* The body as the http layer hands it over: its own bytes, NUL after. */
	if ((body = malloc(size + 1)) == NULL)
		return 0;
	memcpy(body, nl + 1, size);
	body[size] = '\0';
	form = multipart_decode(ctype, body, size, &why);
	if (form == NULL) {
		CHECK(why != NULL && why[0] != '\0');
	} else {
		CHECK(cJSON_IsObject(form));
		cJSON_ArrayForEach(m, form) {
			CHECK(m->string != NULL && cJSON_IsString(m));
			n++;
		}
		CHECK(n <= 2 * MULTIPART_PARTS_MAX);
	}
	cJSON_Delete(form);
	free(body);
	return 0;
}

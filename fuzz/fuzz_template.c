/*
 * libFuzzer target: the page templates' engine (core/render/template.h).
 *
 * The input is a template, then optionally a NUL byte and a JSON context
 * (a fixed one, with hostile strings, arrays and nested objects, when
 * there is none or it does not parse).  The template is parsed among a
 * few fixed partials (one of them recursive) and rendered with a small
 * bound on the work.  Beyond not crashing, the target checks what the
 * pages rely on: a refusal names the template and a line within it;
 * output never holds a < > " or ' that no template's text holds (values
 * are always escaped); a template with no tag renders as itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/render/template.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_template: %s\n", #c); abort(); } } while (0)

static const char fixed_ctx[] =
    "{\"title\":\"<script>alert('x')</script>\",\"n\":42,\"f\":0.5,\"t\":true,"
    "\"z\":null,\"empty\":\"\",\"none\":[],"
    "\"user\":{\"name\":\"O'Brien \\\"Jo\\\" <jo@x>\",\"role\":\"agency\"},"
    "\"errors\":[{\"href\":\"#a\",\"text\":\"a > b\"},{\"href\":\"#b\",\"text\":\"&\"}],"
    "\"xs\":[1,\"two\",{\"name\":\"<three>\",\"xs\":[]}],\"page\":\"item\"}";

/* Partials the input may name; their texts have none of < > " '. */
static const struct { const char *name, *text; } partials[] = {
	{ "item", "[{{name}}|{{.}}]" },
	{ "tree", "({{name}}{{#xs}}{{>tree}}{{/xs}})" },
	{ "self", "{{>self}}" },
};

static int
lines_of(const char *s, size_t n)
{
	int k = 1;

	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static void
check_error(const char *err, const char *text, size_t len)
{
	char *end;
	long line;

	CHECK(strncmp(err, "fuzz:", 5) == 0);
	line = strtol(err + 5, &end, 10);
	CHECK(*end == ':' && line >= 1 && line <= lines_of(text, len));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nul = memchr(data, '\0', size);
	size_t len = nul != NULL ? (size_t)(nul - text) : size;
	struct template_set *set = template_set_new();
	char err[TEMPLATE_ERR_MAX];
	cJSON *ctx = NULL;
	struct buf out;

	if (set == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(partials) / sizeof(partials[0]); i++)
		CHECK(template_set_add(set, partials[i].name, partials[i].text,
		    strlen(partials[i].text), err));
	if (!template_set_add(set, "fuzz", text, len, err)) {
		check_error(err, text, len);
		CHECK(!template_exists(set, "fuzz"));
		template_set_free(set);
		return 0;
	}
	if (nul != NULL)
		ctx = cJSON_ParseWithLength(nul + 1, size - len - 1);
	if (ctx == NULL)
		ctx = cJSON_Parse(fixed_ctx);
	CHECK(ctx != NULL);
	buf_init(&out);
	if (template_render_steps(set, "fuzz", ctx, &out, 20000, err)) {
		CHECK(!buf_failed(&out));
		for (const char *c = "<>\"'"; *c != '\0'; c++)
			if (memchr(text, *c, len) == NULL)
				CHECK(strchr(buf_str(&out), *c) == NULL);
		if (memmem(text, len, "{{", 2) == NULL)
			CHECK(out.len == len && memcmp(buf_str(&out), text, len) == 0);
	} else
		CHECK(err[0] != '\0');
	buf_free(&out);
	cJSON_Delete(ctx);
	template_set_free(set);
	return 0;
}

/*
 * The page templates' engine: what each tag renders, that every value is
 * escaped, Mustache's lookup through the context stack, partials, and
 * that every mistake in a template is refused at parse time with the
 * template's name and line.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "core/render/template.h"

/* Renders text as template "t" against JSON ctx; "ERROR: ..." on failure. */
static char *
render_with(struct template_set *set, const char *text, const char *ctx)
{
	static char result[4096];
	char err[TEMPLATE_ERR_MAX];
	cJSON *c = cJSON_Parse(ctx);
	struct buf b;

	ck_assert_msg(c != NULL, "bad JSON in the test: %s", ctx);
	ck_assert_msg(template_set_add(set, "t", text, strlen(text), err), "%s", err);
	buf_init(&b);
	if (template_render(set, "t", c, &b, err))
		snprintf(result, sizeof(result), "%s", buf_str(&b));
	else
		snprintf(result, sizeof(result), "ERROR: %s", err);
	buf_free(&b);
	cJSON_Delete(c);
	return result;
}

static char *
render(const char *text, const char *ctx)
{
	struct template_set *set = template_set_new();
	char *s = render_with(set, text, ctx);

	template_set_free(set);
	return s;
}

/* The parse error for text, or "" if it parses. */
static char *
parse_error(const char *text)
{
	static char err[TEMPLATE_ERR_MAX];
	struct template_set *set = template_set_new();

	err[0] = '\0';
	if (template_set_add(set, "page", text, strlen(text), err))
		err[0] = '\0';
	else
		ck_assert_msg(!template_exists(set, "page"), "a refused template was kept");
	template_set_free(set);
	return err;
}

START_TEST(test_values)
{
	ck_assert_str_eq(render("Hello {{name}}!", "{\"name\":\"Jo\"}"), "Hello Jo!");
	ck_assert_str_eq(render("[{{missing}}]", "{}"), "[]");
	ck_assert_str_eq(render("{{ n }} {{f}} {{big}} {{neg}}",
	    "{\"n\":42,\"f\":2.5,\"big\":1e20,\"neg\":-7}"), "42 2.5 1e+20 -7");
	ck_assert_str_eq(render("{{t}} {{f}} {{z}}", "{\"t\":true,\"f\":false,\"z\":null}"),
	    "true false ");
	/* Objects and arrays print nothing: only sections descend into them. */
	ck_assert_str_eq(render("[{{o}}{{a}}]", "{\"o\":{\"x\":1},\"a\":[1,2]}"), "[]");
	ck_assert_str_eq(render("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}"), "deep");
	ck_assert_str_eq(render("[{{a.x}}]", "{\"a\":\"string\"}"), "[]");
	/* Digits index an array after the first part. */
	ck_assert_str_eq(render("{{xs.1}}/{{xs.7}}/{{#xs.0}}any{{/xs.0}}{{#ys.0}}none{{/ys.0}}",
	    "{\"xs\":[\"a\",\"b\"],\"ys\":[]}"), "b//any");
	ck_assert_str_eq(render("no tags at all", "{}"), "no tags at all");
	ck_assert_str_eq(render("", "{}"), "");
}
END_TEST

START_TEST(test_escaping)
{
	ck_assert_str_eq(render("<p title=\"{{v}}\">{{v}}</p>",
	    "{\"v\":\"<script>alert('x')</script> & \\\"q\\\"\"}"),
	    "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\">"
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>");
	/* A value that looks like a tag is text, never parsed again. */
	ck_assert_str_eq(render("{{v}}", "{\"v\":\"{{other}}\",\"other\":\"no\"}"),
	    "{{other}}");
	/* UTF-8 passes as it is. */
	ck_assert_str_eq(render("{{v}}", "{\"v\":\"Siobh\\u00e1n \\u2014 \\ud83d\\ude00\"}"),
	    "Siobh\xc3\xa1n \xe2\x80\x94 \xf0\x9f\x98\x80");
}
END_TEST

START_TEST(test_sections)
{
	const char *t = "{{#s}}yes{{/s}}{{^s}}no{{/s}}";

	ck_assert_str_eq(render(t, "{\"s\":true}"), "yes");
	ck_assert_str_eq(render(t, "{\"s\":false}"), "no");
	ck_assert_str_eq(render(t, "{\"s\":null}"), "no");
	ck_assert_str_eq(render(t, "{}"), "no");
	ck_assert_str_eq(render(t, "{\"s\":\"\"}"), "no");
	ck_assert_str_eq(render(t, "{\"s\":\"x\"}"), "yes");
	ck_assert_str_eq(render(t, "{\"s\":0}"), "no");
	ck_assert_str_eq(render(t, "{\"s\":3}"), "yes");
	ck_assert_str_eq(render(t, "{\"s\":[]}"), "no");
	ck_assert_str_eq(render(t, "{\"s\":{}}"), "yes");
	ck_assert_str_eq(render(t, "{\"s\":[1,2,3]}"), "yesyesyes");
	/* An array's elements become the context in turn. */
	ck_assert_str_eq(render("<ul>{{#xs}}<li>{{.}}</li>{{/xs}}</ul>",
	    "{\"xs\":[\"a\",\"<b>\",3]}"), "<ul><li>a</li><li>&lt;b&gt;</li><li>3</li></ul>");
	ck_assert_str_eq(render("{{#people}}{{name}} ({{role}}), {{/people}}",
	    "{\"people\":[{\"name\":\"A\",\"role\":\"chair\"},{\"name\":\"B\"}],"
	    "\"role\":\"outer\"}"), "A (chair), B (outer), ");
	/* An object is pushed once; a string section's {{.}} is the string. */
	ck_assert_str_eq(render("{{#user}}{{name}}{{/user}}",
	    "{\"user\":{\"name\":\"Jo\"}}"), "Jo");
	ck_assert_str_eq(render("{{#css}}<link href=\"{{.}}\">{{/css}}",
	    "{\"css\":\"/assets/a.css\"}"), "<link href=\"/assets/a.css\">");
	/* Dotted section names, and nested sections. */
	ck_assert_str_eq(render("{{#a.b}}{{c}}{{/a.b}}", "{\"a\":{\"b\":{\"c\":1}}}"), "1");
	ck_assert_str_eq(render("{{#xs}}{{#ys}}{{x}}{{.}} {{/ys}}{{/xs}}",
	    "{\"xs\":[{\"x\":\"a\",\"ys\":[1,2]},{\"x\":\"b\",\"ys\":[3]}]}"), "a1 a2 b3 ");
}
END_TEST

START_TEST(test_lookup_walks_outward)
{
	/* Found in an outer context. */
	ck_assert_str_eq(render("{{#item}}{{title}}/{{id}}{{/item}}",
	    "{\"title\":\"T\",\"item\":{\"id\":7}}"), "T/7");
	/* The innermost context that has the name wins, even when its value is null. */
	ck_assert_str_eq(render("{{#item}}[{{title}}]{{/item}}",
	    "{\"title\":\"T\",\"item\":{\"title\":null}}"), "[]");
	/* Only the first part walks outward: a.b is not looked for in outer a's. */
	ck_assert_str_eq(render("{{#inner}}[{{a.b}}]{{/inner}}",
	    "{\"a\":{\"b\":\"outer\"},\"inner\":{\"a\":{\"c\":1}}}"), "[]");
	/* An element that is not an object: names go to the outer contexts. */
	ck_assert_str_eq(render("{{#xs}}{{sep}}{{.}}{{/xs}}",
	    "{\"sep\":\"-\",\"xs\":[1,2]}"), "-1-2");
}
END_TEST

START_TEST(test_partials_and_comments)
{
	struct template_set *set = template_set_new();
	char err[TEMPLATE_ERR_MAX];
	static const char item[] = "<li>{{name}}</li>";
	static const char layout[] = "<main>{{>*page}}</main>";
	static const char page[] = "<h1>{{title}}</h1>";

	ck_assert(template_set_add(set, "partials/item", item, strlen(item), err));
	ck_assert(template_set_add(set, "layout", layout, strlen(layout), err));
	ck_assert(template_set_add(set, "home", page, strlen(page), err));
	ck_assert_str_eq(render_with(set, "{{! a comment\nover two lines }}<ul>"
	    "{{#xs}}{{> partials/item }}{{/xs}}</ul>",
	    "{\"xs\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}"),
	    "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
	ck_assert(template_set_check(set, err));
	/* {{>*page}}: the page's template is named by the context. */
	{
		cJSON *c = cJSON_Parse("{\"page\":\"home\",\"title\":\"Home\"}");
		struct buf b;

		buf_init(&b);
		ck_assert(template_render(set, "layout", c, &b, err));
		ck_assert_str_eq(buf_str(&b), "<main><h1>Home</h1></main>");
		buf_reset(&b);
		cJSON_ReplaceItemInObject(c, "page", cJSON_CreateString("nonesuch"));
		ck_assert(!template_render(set, "layout", c, &b, err));
		ck_assert_str_eq(err, "layout:1: no template called by this value");
		buf_free(&b);
		cJSON_Delete(c);
	}
	template_set_free(set);
}
END_TEST

START_TEST(test_check_finds_missing_partials)
{
	struct template_set *set = template_set_new();
	char err[TEMPLATE_ERR_MAX];
	static const char t[] = "line 1\n{{#x}}\n  {{>footer}}\n{{/x}}";

	ck_assert(template_set_add(set, "page", t, strlen(t), err));
	ck_assert(!template_set_check(set, err));
	ck_assert_str_eq(err, "page:3: no template called footer");
	ck_assert(template_set_add(set, "footer", "f", 1, err));
	ck_assert(template_set_check(set, err));
	/* Names are unique and well formed. */
	ck_assert(!template_set_add(set, "footer", "g", 1, err));
	ck_assert_str_eq(err, "footer:0: a template of this name exists already");
	ck_assert(!template_set_add(set, "bad name", "g", 1, err));
	ck_assert(!template_set_add(set, "", "g", 1, err));
	template_set_free(set);
}
END_TEST

START_TEST(test_parse_errors_name_the_line)
{
	ck_assert_str_eq(parse_error("<p>\n{{name</p>"), "page:2: '{{' is not closed by '}}'");
	ck_assert_str_eq(parse_error("a\nb\n{{{raw}}}"),
	    "page:3: unescaped output ({{{...}}}, {{&...}}) is not supported");
	ck_assert_str_eq(parse_error("{{& raw}}"),
	    "page:1: unescaped output ({{{...}}}, {{&...}}) is not supported");
	ck_assert_str_eq(parse_error("{{=<% %>=}}"),
	    "page:1: changing delimiters is not supported");
	ck_assert_str_eq(parse_error("x\n{{#a}}\n{{#b}}\n{{/a}}"),
	    "page:4: {{/a}} does not close the section opened on line 3");
	ck_assert_str_eq(parse_error("x\n{{#a}}\n\n"),
	    "page:2: the section opened here is not closed");
	ck_assert_str_eq(parse_error("{{/a}}"), "page:1: {{/a}} closes no section");
	ck_assert_str_eq(parse_error("{{}}"), "page:1: the tag has no name");
	ck_assert_str_eq(parse_error("{{#}}{{/}}"), "page:1: the tag has no name");
	ck_assert_str_eq(parse_error("{{a..b}}"), "page:1: a name has an empty part");
	ck_assert_str_eq(parse_error("{{.a}}"), "page:1: a name has an empty part");
	ck_assert_str_eq(parse_error("{{a b}}"),
	    "page:1: a name may have only letters, digits, '_', '-' and '.'");
	ck_assert_str_eq(parse_error("{{a\n}}"), "page:1: a tag may not span lines");
	ck_assert_str_eq(parse_error("{{> ../etc/passwd}}"),
	    "page:1: a partial's name is 1 to 64 letters, digits, '_', '-' or '/'");
	/* Lines count the comments' and the texts' line breaks. */
	ck_assert_str_eq(parse_error("{{! one\ntwo }}\n{{{x}}}"),
	    "page:3: unescaped output ({{{...}}}, {{&...}}) is not supported");
	/* What parses. */
	ck_assert_str_eq(parse_error("{{#a.b}}{{.}}{{/a.b}}{{#.}}{{/.}}{{ x }}{{^y}}{{/y}}"), "");
	ck_assert_str_eq(parse_error("{ {a} } }} {"), "");
}
END_TEST

START_TEST(test_depth_is_bounded)
{
	char open[TEMPLATE_DEPTH_MAX * 8 + 64] = "", close[sizeof(open)] = "";
	char text[2 * sizeof(open)];

	/* TEMPLATE_DEPTH_MAX sections parse; one more does not. */
	for (int i = 0; i < TEMPLATE_DEPTH_MAX; i++) {
		strcat(open, "{{#a}}");
		strcat(close, "{{/a}}");
	}
	snprintf(text, sizeof(text), "%s%s", open, close);
	ck_assert_str_eq(parse_error(text), "");
	snprintf(text, sizeof(text), "%s{{#a}}x{{/a}}%s", open, close);
	ck_assert_str_eq(parse_error(text), "page:1: sections nest deeper than 32");
	/* At render time the contexts are bounded too: a.a.a... is true. */
	ck_assert_str_eq(render("{{#a}}{{#a}}{{#a}}ok{{/a}}{{/a}}{{/a}}", "{\"a\":true}"), "ok");
}
END_TEST

START_TEST(test_recursion_is_bounded)
{
	struct template_set *set = template_set_new();
	char err[TEMPLATE_ERR_MAX];
	static const char tree[] = "<li>{{name}}<ul>{{#kids}}{{>tree}}{{/kids}}</ul></li>";
	static const char self[] = "{{>self}}";
	cJSON *c = cJSON_Parse("{\"name\":\"r\",\"kids\":[{\"name\":\"k\",\"kids\":[]}]}");
	struct buf b;

	buf_init(&b);
	ck_assert(template_set_add(set, "tree", tree, strlen(tree), err));
	ck_assert(template_set_add(set, "self", self, strlen(self), err));
	ck_assert(template_set_check(set, err));
	/* A recursive partial over recursive data: fine. */
	ck_assert(template_render(set, "tree", c, &b, err));
	ck_assert_str_eq(buf_str(&b), "<li>r<ul><li>k<ul></ul></li></ul></li>");
	/* A partial that includes itself for ever: refused, not a crash. */
	buf_reset(&b);
	ck_assert(!template_render(set, "self", c, &b, err));
	ck_assert_str_eq(err, "self:1: contexts and partials nest deeper than 32");
	/* Unknown template. */
	ck_assert(!template_render(set, "nonesuch", c, &b, err));
	ck_assert_str_eq(err, "nonesuch:0: no such template");
	buf_free(&b);
	cJSON_Delete(c);
	template_set_free(set);
}
END_TEST

START_TEST(test_work_is_bounded)
{
	struct template_set *set = template_set_new();
	char err[TEMPLATE_ERR_MAX];
	/* 4^11 = 4 million passes through the innermost text: over the limit. */
	static const char t[] = "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
	    "{{#a}}{{#a}}x{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}"
	    "{{/a}}{{/a}}";
	/* 4^8: within it. */
	static const char t8[] = "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
	    "x{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}";
	cJSON *c = cJSON_Parse("{\"a\":[1,2,3,4]}");
	struct buf b;

	buf_init(&b);
	ck_assert(template_set_add(set, "t", t, strlen(t), err));
	ck_assert(!template_render(set, "t", c, &b, err));
	ck_assert_str_eq(err, "t:1: the page is too much work (over the limit of steps)");
	buf_reset(&b);
	ck_assert(template_set_add(set, "t8", t8, strlen(t8), err));
	ck_assert(template_render(set, "t8", c, &b, err));
	ck_assert_uint_eq(b.len, 1u << 16);
	buf_reset(&b);
	ck_assert(!template_render_steps(set, "t8", c, &b, 1000, err));
	buf_free(&b);
	cJSON_Delete(c);
	template_set_free(set);
}
END_TEST

int
main(void)
{
	TCase *tc;
	Suite *s = unit_suite("template", &tc);

	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_lookup_walks_outward);
	tcase_add_test(tc, test_partials_and_comments);
	tcase_add_test(tc, test_check_finds_missing_partials);
	tcase_add_test(tc, test_parse_errors_name_the_line);
	tcase_add_test(tc, test_depth_is_bounded);
	tcase_add_test(tc, test_recursion_is_bounded);
	tcase_add_test(tc, test_work_is_bounded);
	return unit_run(s);
}

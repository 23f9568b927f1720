/*
 * import_csv [-n VALID] [-t TAG]: a CSV file for maracctl import on
 * stdout, the rows bench/gen.c makes for the ingest benchmarks (the same
 * cycle of 50 kinds, so the same mix of MARAC, MASC, below threshold,
 * repeats, reviews and under-16 victims), written in the import's columns
 * (maracctl(8), COLUMNS) the way tests/integration/test_import.py's
 * cells() writes a JSON referral.  VALID rows that can be stored (the
 * under-16 rows the cycle makes, refused by both sides, come on top).
 */
#include "gen.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const columns[] = {
	"external_ref", "referring_agency", "referrer_name", "referrer_email",
	"referrer_phone", "forum_requested", "domestic_abuse", "stalking",
	"urgent", "victim_name", "victim_dob", "victim_gender",
	"victim_postcode", "perpetrator_name", "perpetrator_dob",
	"perpetrator_gender", "perpetrator_relationship",
	"perpetrator_in_custody", "perpetrator_mappa_level",
	"perpetrator_on_drive", "perpetrator_in_area",
	"child1_name", "child1_dob", "child1_resident",
	"child2_name", "child2_dob", "child2_resident",
	"child3_name", "child3_dob", "child3_resident",
	"dash_version", "judgement_level", "judgement_reason", "escalation",
	"police_callouts_12m", "lawful_basis", "consent", "summary",
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

/* A cell, quoted when it must be. */
static void
cell(const char *s, int first)
{
	if (!first)
		putchar(',');
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* A JSON value as the cell cells() writes for it. */
static void
value(const cJSON *v, int first)
{
	char num[32];

	if (v == NULL || cJSON_IsNull(v))
		cell("", first);
	else if (cJSON_IsBool(v))
		cell(cJSON_IsTrue(v) ? "yes" : "no", first);
	else if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof(num), "%d", v->valueint);
		cell(num, first);
	} else if (cJSON_IsString(v))
		cell(v->valuestring, first);
	else
		cell("", first);
}

static const cJSON *
at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b != NULL ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

/* The import's columns before the children, and where each is in the JSON. */
static const char *const head[][2] = {
	{ "external_ref", NULL }, { "referring_agency", NULL },
	{ "referrer", "name" }, { "referrer", "email" }, { "referrer", "phone" },
	{ "forum_requested", NULL }, { "domestic_abuse", NULL },
	{ "stalking", NULL }, { "urgent", NULL },
	{ "victim", "name" }, { "victim", "dob" }, { "victim", "gender" },
	{ "victim", "postcode" },
	{ "perpetrator", "name" }, { "perpetrator", "dob" },
	{ "perpetrator", "gender" }, { "perpetrator", "relationship" },
	{ "perpetrator", "in_custody" }, { "perpetrator", "mappa_level" },
	{ "perpetrator", "on_drive" }, { "perpetrator", "in_area" },
};
/* And after them. */
static const char *const tail[][2] = {
	{ "dash", "version" }, { "professional_judgement", "level" },
	{ "professional_judgement", "reason" }, { "escalation", NULL },
	{ "police_callouts_12m", NULL },
};

static void
row(const cJSON *r)
{
	const cJSON *children = at(r, "children", NULL), *lb;
	char name[32], basis[256];
	size_t off = 0;

	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		value(at(r, head[i][0], head[i][1]), i == 0);
	for (int c = 0; c < 3; c++) {
		const cJSON *ch = cJSON_GetArrayItem(children, c);

		value(at(ch, "name", NULL), 0);
		value(at(ch, "dob", NULL), 0);
		value(at(ch, "resident", NULL), 0);
	}
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		value(at(r, tail[i][0], tail[i][1]), 0);
	basis[0] = '\0';
	cJSON_ArrayForEach(lb, at(r, "lawful_basis", NULL))
		off += (size_t)snprintf(basis + off, sizeof(basis) - off, "%s%s",
		    off > 0 ? ";" : "", lb->valuestring);
	cell(basis, 0);
	value(at(r, "consent", NULL), 0);
	value(at(r, "summary", NULL), 0);
	for (int q = 1; q <= 38; q++) {
		snprintf(name, sizeof(name), "%d", q <= 27 ? q : q - 27);
		value(at(at(r, q <= 27 ? "dash" : "sdash", NULL), "answers", name), 0);
	}
	fputs("\r\n", stdout);
}

int
main(int argc, char **argv)
{
	unsigned long	 want = 120000, valid = 0;
	const char	*tag = "imp";
	struct gen	 g;
	enum gen_kind	 kind;
	char		 buf[8192];
	int		 c;

	while ((c = getopt(argc, argv, "n:t:")) != -1) {
		switch (c) {
		case 'n': want = strtoul(optarg, NULL, 10); break;
		case 't': tag = optarg; break;
		default:
			fprintf(stderr, "usage: import_csv [-n VALID] [-t TAG]\n");
			return 2;
		}
	}
	gen_init(&g, tag, 0);
	for (size_t i = 0; i < NCOLS; i++)
		cell(columns[i], i == 0);
	for (int q = 1; q <= 27; q++)
		printf(",dash_%d", q);
	for (int q = 1; q <= 11; q++)
		printf(",sdash_%d", q);
	fputs("\r\n", stdout);
	while (valid < want) {
		cJSON *r;

		if (gen_next(&g, buf, sizeof(buf), &kind) == 0 ||
		    (r = cJSON_Parse(buf)) == NULL) {
			fprintf(stderr, "import_csv: the generator failed\n");
			return 1;
		}
		row(r);
		cJSON_Delete(r);
		if (kind != GEN_UNDER16)
			valid++;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

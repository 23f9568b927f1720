/*
 * CSV row -> referral JSON -> referral_from_json(), and its error paths
 * back to column names.
 *
 * Columns are numbered: the fixed ones first (in the order of the table
 * below), then child1_name, child1_dob, child1_resident, ... child20_*,
 * then dash_1 .. dash_28, then sdash_1 .. sdash_11.  The CSV layer only
 * decides what the CSV's own conventions mean (blank cells, yes/no, lists);
 * a cell it cannot read as a number is passed on as text, so that the
 * validator's own message (with its range) is the one reported.
 */
#include "core/referral_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dash.h"
#include "core/jsonfield.h"

enum kind {
	TEXT,		/* a string, as written */
	FLAG,		/* yes/no */
	NUMBER,		/* a whole number, else the text for the validator */
	LIST		/* codes separated by semicolons */
};

struct column {
	const char	*name;
	const char	*path;		/* "member" or "object.member" */
	enum kind	 kind;
	bool		 required;	/* the header must have it */
};

static const struct column fixed[] = {
	{ "external_ref",		"external_ref",		TEXT,	true },
	{ "referring_agency",		"referring_agency",	TEXT,	true },
	{ "referrer_name",		"referrer.name",	TEXT,	false },
	{ "referrer_email",		"referrer.email",	TEXT,	false },
	{ "referrer_phone",		"referrer.phone",	TEXT,	false },
	{ "received_at",		"received_at",		TEXT,	false },
	{ "area",			"area",			TEXT,	false },
	{ "forum_requested",		"forum_requested",	TEXT,	false },
	{ "domestic_abuse",		"domestic_abuse",	FLAG,	true },
	{ "stalking",			"stalking",		FLAG,	true },
	{ "urgent",			"urgent",		FLAG,	false },
	{ "victim_name",		"victim.name",		TEXT,	true },
	{ "victim_dob",			"victim.dob",		TEXT,	true },
	{ "victim_gender",		"victim.gender",	TEXT,	false },
	{ "victim_postcode",		"victim.postcode",	TEXT,	false },
	{ "perpetrator_name",		"perpetrator.name",	TEXT,	false },
	{ "perpetrator_dob",		"perpetrator.dob",	TEXT,	false },
	{ "perpetrator_gender",		"perpetrator.gender",	TEXT,	false },
	{ "perpetrator_relationship",	"perpetrator.relationship", TEXT, false },
	{ "perpetrator_in_custody",	"perpetrator.in_custody", FLAG,	false },
	{ "perpetrator_mappa_level",	"perpetrator.mappa_level", NUMBER, false },
	{ "perpetrator_on_drive",	"perpetrator.on_drive",	FLAG,	false },
	{ "perpetrator_in_area",	"perpetrator.in_area",	FLAG,	false },
	{ "dash_version",		"dash.version",		TEXT,	false },
	{ "judgement_level",	"professional_judgement.level",	TEXT,	false },
	{ "judgement_reason",	"professional_judgement.reason", TEXT,	false },
	{ "escalation",			"escalation",		FLAG,	false },
	{ "police_callouts_12m",	"police_callouts_12m",	NUMBER,	false },
	{ "lawful_basis",		"lawful_basis",		LIST,	true },
	{ "consent",			"consent",		TEXT,	true },
	{ "summary",			"summary",		TEXT,	false },
	/* The optional equality fields (docs/statistics.md). */
	{ "victim_gender_description",	"victim.gender_description", TEXT, false },
	{ "victim_ethnicity",		"victim.ethnicity",	TEXT,	false },
	{ "victim_disability",		"victim.disability",	TEXT,	false },
	{ "victim_lgbt",		"victim.lgbt",		TEXT,	false },
	{ "victim_informed",	"victim.informed_of_referral",	FLAG,	false },
	{ "perpetrator_gender_description", "perpetrator.gender_description",
									TEXT,	false },
	{ "perpetrator_age",		"perpetrator.age",	NUMBER,	false },
	{ "children_in_household",	"children_in_household", NUMBER, false },
};
#define NFIXED		((unsigned)(sizeof(fixed) / sizeof(fixed[0])))
#define COL_EXTERNAL_REF 0
#define COL_REFERRER	2
#define COL_VICTIM	11
#define COL_PERPETRATOR	15
#define COL_DASH_VERSION 23
#define COL_JUDGEMENT	24
#define COL_LAWFUL_BASIS 28

static const char *const child_parts[] = { "name", "dob", "resident" };
#define CHILD_PARTS	3
#define CHILD0		NFIXED
#define DASH0		(CHILD0 + REFERRAL_CHILDREN_MAX * CHILD_PARTS)
#define SDASH0		(DASH0 + DASH_QUESTIONS_MAX)
#define NCOLUMNS	(SDASH0 + SDASH_QUESTIONS)

_Static_assert(NCOLUMNS == REFERRAL_CSV_COLUMNS, "column count");
_Static_assert(NCOLUMNS <= 255, "column numbers fit in a byte");

void
referral_csv_column_name(unsigned i, char name[REFERRAL_CSV_NAME_MAX])
{
	if (i < CHILD0)
		snprintf(name, REFERRAL_CSV_NAME_MAX, "%s", fixed[i].name);
	else if (i < DASH0)
		snprintf(name, REFERRAL_CSV_NAME_MAX, "child%u_%s",
		    (i - CHILD0) / CHILD_PARTS + 1,
		    child_parts[(i - CHILD0) % CHILD_PARTS]);
	else if (i < SDASH0)
		snprintf(name, REFERRAL_CSV_NAME_MAX, "dash_%u", i - DASH0 + 1);
	else if (i < NCOLUMNS)
		snprintf(name, REFERRAL_CSV_NAME_MAX, "sdash_%u",
		    i - SDASH0 + 1);
	else
		name[0] = '\0';
}

/* Names match in any case, without the spaces around them. */
static int
column_find(const char *s)
{
	char	 name[REFERRAL_CSV_NAME_MAX];
	size_t	 n;

	s += strspn(s, " \t");
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'); n--)
		;
	for (unsigned i = 0; i < NCOLUMNS; i++) {
		referral_csv_column_name(i, name);
		if (strlen(name) == n && strncasecmp(s, name, n) == 0)
			return (int)i;
	}
	return -1;
}

bool
referral_csv_header(struct referral_csv *h, const char *const *names,
    size_t n, struct field_errors *fe)
{
	bool	 seen[NCOLUMNS] = { false };
	char	 shown[FIELD_PATH_MAX];
	size_t	 before = fe->total;
	int	 c;

	h->ncolumns = 0;
	if (n > NCOLUMNS) {
		field_errors_add(fe, "", "has %zu columns; there are only %u",
		    n, NCOLUMNS);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '\0') {
			field_errors_add(fe, "", "column %zu has no name", i + 1);
			continue;
		}
		jsonfield_path(shown, "", names[i]);
		if ((c = column_find(names[i])) < 0)
			field_errors_add(fe, shown, "is not a known column "
			    "(see maracctl(1), COLUMNS)");
		else if (seen[c])
			field_errors_add(fe, shown, "appears more than once");
		else {
			seen[c] = true;
			h->column[i] = (unsigned char)c;
		}
	}
	for (size_t i = 0; i < NFIXED; i++)
		if (fixed[i].required && !seen[i])
			field_errors_add(fe, fixed[i].name,
			    "is a required column");
	if (fe->total != before)
		return false;
	h->ncolumns = n;
	return true;
}

static bool
blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

bool
referral_csv_blank(const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!blank(fields[i]))
			return false;
	return true;
}

/* The row being built. */
struct row {
	cJSON	*root;
	cJSON	*child[REFERRAL_CHILDREN_MAX];	/* by N - 1 */
	int	 child_n[REFERRAL_CHILDREN_MAX];	/* array index -> N */
	bool	 bad[NCOLUMNS];			/* the CSV layer objected */
	bool	 oom;
	cJSON	*answers[2];			/* dash's, sdash's, once made */
};

static cJSON *
add(struct row *b, cJSON *obj, const char *key, cJSON *item)
{
	if (item == NULL || obj == NULL ||
	    !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->oom = true;
		return NULL;
	}
	return item;
}

/* The object member key of obj, made if need be. */
static cJSON *
object(struct row *b, cJSON *obj, const char *key)
{
	cJSON *o;

	if (obj == NULL)
		return NULL;
	if ((o = cJSON_GetObjectItemCaseSensitive(obj, key)) != NULL)
		return o;
	return add(b, obj, key, cJSON_CreateObject());
}

/* "  Yes " -> 1, "0" -> 0, anything else -> -1. */
static int
flag_value(const char *s)
{
	static const char *const yes[] = { "yes", "true", "y", "1" };
	static const char *const no[] = { "no", "false", "n", "0" };
	char	 w[8];
	size_t	 n;

	s += strspn(s, " \t");
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'); n--)
		;
	if (n >= sizeof(w))
		return -1;
	memcpy(w, s, n);
	w[n] = '\0';
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(w, yes[i]) == 0)
			return 1;
		if (strcasecmp(w, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* A whole number written plainly, or the text itself for the validator. */
static cJSON *
number_value(const char *s)
{
	const char	*p = s + strspn(s, " \t");
	char		*end;
	size_t		 digits;
	long		 v;

	digits = strspn(p + (*p == '-'), "0123456789");
	if (digits == 0 || digits > 9)
		return cJSON_CreateString(s);
	v = strtol(p, &end, 10);
	if (end[strspn(end, " \t")] != '\0')
		return cJSON_CreateString(s);
	return cJSON_CreateNumber((double)v);
}

/* "a; b;c" -> ["a", "b", "c"]; empty pieces stay, for the validator. */
static cJSON *
list_value(const char *s)
{
	cJSON		*a = cJSON_CreateArray();
	const char	*p = s;

	while (a != NULL) {
		size_t	 n = strcspn(p, ";");
		size_t	 lead = strspn(p, " \t");
		char	*piece;
		cJSON	*item;

		if (lead > n)
			lead = n;
		while (n > lead && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if ((piece = strndup(p + lead, n - lead)) == NULL ||
		    (item = cJSON_CreateString(piece)) == NULL ||
		    !cJSON_AddItemToArray(a, item)) {
			free(piece);
			cJSON_Delete(a);
			return NULL;
		}
		free(piece);
		p += strcspn(p, ";");
		if (*p == '\0')
			break;
		p++;
	}
	return a;
}

static void
flag_error(struct row *b, unsigned col, struct field_errors *fe)
{
	char name[REFERRAL_CSV_NAME_MAX];

	referral_csv_column_name(col, name);
	field_errors_add(fe, name,
	    "must be yes or no (or true/false, y/n, 1/0), or left blank");
	b->bad[col] = true;
}

static cJSON *
cell_value(struct row *b, unsigned col, enum kind kind, const char *s,
    struct field_errors *fe)
{
	int f;

	switch (kind) {
	case FLAG:
		if ((f = flag_value(s)) < 0) {
			flag_error(b, col, fe);
			return NULL;
		}
		return cJSON_CreateBool(f);
	case NUMBER:
		return number_value(s);
	case LIST:
		return list_value(s);
	case TEXT:
	default:
		return cJSON_CreateString(s);
	}
}

static void
put_fixed(struct row *b, unsigned col, const char *s, struct field_errors *fe)
{
	const struct column	*c = &fixed[col];
	const char		*dot = strchr(c->path, '.');
	char			 parent[32];
	cJSON			*obj = b->root, *v;
	size_t			 n;

	if (dot != NULL) {
		n = (size_t)(dot - c->path);
		n = n < sizeof(parent) ? n : sizeof(parent) - 1;
		memcpy(parent, c->path, n);
		parent[n] = '\0';
		obj = object(b, b->root, parent);
		if (col == COL_DASH_VERSION)
			object(b, obj, "answers");
	}
	if ((v = cell_value(b, col, c->kind, s, fe)) != NULL)
		add(b, obj, dot != NULL ? dot + 1 : c->path, v);
	else if (!b->bad[col])
		b->oom = true;
}

static void
put_child(struct row *b, unsigned col, const char *s, struct field_errors *fe)
{
	unsigned	 i = (col - CHILD0) / CHILD_PARTS;
	unsigned	 part = (col - CHILD0) % CHILD_PARTS;
	cJSON		*v;

	if (b->child[i] == NULL && (b->child[i] = cJSON_CreateObject()) == NULL) {
		b->oom = true;
		return;
	}
	if ((v = cell_value(b, col, part == 2 ? FLAG : TEXT, s, fe)) != NULL)
		add(b, b->child[i], child_parts[part], v);
	else if (!b->bad[col])
		b->oom = true;
}

static void
put_answer(struct row *b, unsigned col, const char *s, struct field_errors *fe)
{
	bool	 sdash = col >= SDASH0;
	unsigned q = col - (sdash ? SDASH0 : DASH0) + 1;
	char	 key[4] = { (char)('0' + q / 10), (char)('0' + q % 10), '\0' };
	cJSON	*answers, *v;

	/* Looked up once a row: a row has up to 27 answers of each. */
	if ((answers = b->answers[sdash]) == NULL)
		answers = b->answers[sdash] = object(b, object(b, b->root,
		    sdash ? "sdash" : "dash"), "answers");
	if (q < 10)
		memmove(key, key + 1, 2);
	if ((v = cell_value(b, col, FLAG, s, fe)) != NULL)
		add(b, answers, key, v);
	else if (!b->bad[col])
		b->oom = true;
}

/* Children in the order of their numbers, whatever gaps there are. */
static void
put_children(struct row *b)
{
	cJSON	*a = NULL;
	int	 n = 0;

	for (int i = 0; i < REFERRAL_CHILDREN_MAX; i++) {
		if (b->child[i] == NULL)
			continue;
		if (a == NULL && (a = add(b, b->root, "children",
		    cJSON_CreateArray())) == NULL)
			return;
		cJSON_AddItemToArray(a, b->child[i]);
		b->child[i] = NULL;
		b->child_n[n++] = i + 1;
	}
}

/* "children[3].dob": the index and what follows "]". */
static int
child_index(const char *path, const char **rest)
{
	const char	*p = path + strlen("children[");
	int		 i = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9' && i < REFERRAL_CHILDREN_MAX; p++)
		i = i * 10 + (*p - '0');
	if (*p != ']' || i >= REFERRAL_CHILDREN_MAX)
		return -1;
	*rest = p + 1;
	return i;
}

static int
answer_column(const char *key, unsigned first, unsigned count)
{
	char	*end;
	long	 q = strtol(key, &end, 10);

	if (*end != '\0' || q < 1 || q > (long)count)
		return -1;
	return (int)(first + (unsigned)q - 1);
}

/* The column a validator path comes from, or -1 for none. */
static int
column_of(const char *path, const struct row *b)
{
	static const struct { const char *path; int col; } parents[] = {
		{ "referrer", COL_REFERRER },
		{ "victim", COL_VICTIM },
		{ "perpetrator", COL_PERPETRATOR },
		{ "dash", COL_DASH_VERSION },
		{ "dash.answers", COL_DASH_VERSION },
		{ "sdash", (int)SDASH0 },
		{ "sdash.answers", (int)SDASH0 },
		{ "professional_judgement", COL_JUDGEMENT },
		{ "children", (int)CHILD0 },
	};
	const char	*rest;
	int		 i;

	if (strncmp(path, "children[", 9) == 0) {
		if ((i = child_index(path, &rest)) < 0)
			return -1;
		i = (b->child_n[i] > 0 ? b->child_n[i] : i + 1) - 1;
		for (int k = 0; rest[0] == '.' && k < CHILD_PARTS; k++)
			if (strcmp(rest + 1, child_parts[k]) == 0)
				return (int)CHILD0 + i * CHILD_PARTS + k;
		return (int)CHILD0 + i * CHILD_PARTS;
	}
	if (strncmp(path, "lawful_basis", 12) == 0 &&
	    (path[12] == '\0' || path[12] == '['))
		return COL_LAWFUL_BASIS;
	if (strncmp(path, "dash.answers.", 13) == 0)
		return answer_column(path + 13, DASH0, DASH_QUESTIONS_MAX);
	if (strncmp(path, "sdash.answers.", 14) == 0)
		return answer_column(path + 14, SDASH0, SDASH_QUESTIONS);
	for (size_t k = 0; k < NFIXED; k++)
		if (strcmp(path, fixed[k].path) == 0)
			return (int)k;
	for (size_t k = 0; k < sizeof(parents) / sizeof(parents[0]); k++)
		if (strcmp(path, parents[k].path) == 0)
			return parents[k].col;
	return -1;
}

/* The validator's errors, by column; one error per column is enough. */
static void
map_errors(const struct field_errors *vfe, const struct row *b,
    struct field_errors *fe)
{
	char name[REFERRAL_CSV_NAME_MAX];

	for (size_t i = 0; i < vfe->count; i++) {
		const struct field_error *e = &vfe->items[i];
		int col = column_of(e->field, b);

		if (col < 0) {
			field_errors_add(fe, "", "%s %s", e->field, e->reason);
			continue;
		}
		if (b->bad[col])
			continue;
		referral_csv_column_name((unsigned)col, name);
		if (strcmp(e->field, "dash") == 0)
			/* The one error on the dash object itself. */
			field_errors_add(fe, name, "a risk assessment is "
			    "required: dash_version with dash_N answers, "
			    "sdash_N answers, or judgement_level");
		else
			field_errors_add(fe, name, "%s", e->reason);
	}
	if (vfe->overflow)
		field_errors_add(fe, "", "has more errors than are listed");
}

cJSON *
referral_csv_row(const struct referral_csv *h, const char *const *fields,
    size_t n, date_t today, struct referral *r, struct field_errors *fe)
{
	struct row		 b;
	struct field_errors	 vfe;
	size_t			 before = fe->total;

	referral_init(r);
	if (n != h->ncolumns) {
		field_errors_add(fe, "", "has %zu cells; the header has %zu",
		    n, h->ncolumns);
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.root = cJSON_CreateObject();
	/* Always there, so that a missing name or date names its column. */
	object(&b, b.root, "victim");
	for (size_t i = 0; i < n; i++) {
		unsigned col = h->column[i];

		if (blank(fields[i]))
			continue;
		if (col < CHILD0)
			put_fixed(&b, col, fields[i], fe);
		else if (col < DASH0)
			put_child(&b, col, fields[i], fe);
		else
			put_answer(&b, col, fields[i], fe);
	}
	put_children(&b);
	for (int i = 0; i < REFERRAL_CHILDREN_MAX; i++)
		cJSON_Delete(b.child[i]);	/* left over after a failure */
	if (cJSON_GetObjectItemCaseSensitive(b.root, "external_ref") == NULL) {
		field_errors_add(fe, "external_ref", "is required in an import: "
		    "it lets an import run again without storing rows twice");
		b.bad[COL_EXTERNAL_REF] = true;
	}
	if (b.oom) {
		field_errors_add(fe, "", "could not be read: out of memory");
	} else {
		field_errors_init(&vfe);
		if (!referral_from_json(b.root, today, r, &vfe))
			map_errors(&vfe, &b, fe);
	}
	if (fe->total == before)
		return b.root;
	referral_free(r);
	cJSON_Delete(b.root);
	return NULL;
}

/*
 * The SafeLives quarterly MARAC return: figures from counts, expected
 * levels and RAG, small numbers, and the three renderings.
 *
 * Decisions worth knowing (docs/statistics.md says them for people):
 *  - Percentages are of the cases discussed in the quarter, one decimal;
 *    with no case discussed there is none ("-").
 *  - RAG: green within the expected range, amber outside it by at most a
 *    fifth of the bound it misses, red beyond; no range, no RAG.
 *  - The expected cases per 10,000 adult women is configured a year (as
 *    SafeLives gives it, 40) and compared a quarter: a quarter of it.
 *  - A hidden count hides the percentage or rate made from it, and its
 *    RAG in the exports, so that none can give the count back.
 */
#include "core/safelives.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/referral.h"
#include "core/render/csv.h"
#include "core/render/html.h"

/* Index is the enum sl_agency: codes, then what the return calls them. */
static const char *const agency_names[SL_AGENCY_COUNT] = {
	"police", "idva", "health", "childrens_social_care",
	"adult_social_care", "housing", "probation", "education",
	"substance_misuse", "mental_health", "other"
};
static const char *const agency_labels[SL_AGENCY_COUNT] = {
	"Police", "IDVA", "Health", "Children's social care",
	"Adult social care", "Housing", "Probation", "Education",
	"Substance misuse", "Mental health", "Other"
};

/* The amber band: how far outside its range a value may be, relatively. */
#define AMBER_MARGIN	0.2

bool
sl_quarter_parse(const char *s, int *year, int *quarter, date_t *from,
    date_t *to)
{
	int y = 0;

	if (s == NULL || strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') ||
	    s[5] < '1' || s[5] > '4')
		return false;
	for (int i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		y = y * 10 + (s[i] - '0');
	}
	if (y < 1900)
		return false;
	*year = y;
	*quarter = s[5] - '0';
	*from = date_from_ymd(y, (*quarter - 1) * 3 + 1, 1);
	*to = date_add_months(*from, 3) - 1;
	return true;
}

void
sl_quarter_last(date_t today, int *year, int *quarter, date_t *from,
    date_t *to)
{
	int y, m, d;

	date_to_ymd(today, &y, &m, &d);
	/* The first day of this quarter, then the quarter before it. */
	*from = date_add_months(date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1), -3);
	*to = date_add_months(*from, 3) - 1;
	date_to_ymd(*from, year, &m, &d);
	*quarter = (m - 1) / 3 + 1;
}

/* A number written plainly: digits with at most one decimal point. */
static bool
number(const char *s, size_t n, double *out)
{
	char	 tmp[32];
	char	*end;

	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(tmp) || strspn(s, "0123456789.") < n)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*out = strtod(tmp, &end);
	return *end == '\0';
}

bool
sl_range_parse(const char *s, struct sl_range *r)
{
	const char *dash;

	memset(r, 0, sizeof(*r));
	if (s == NULL || s[strspn(s, " \t")] == '\0')
		return true;
	if ((dash = strchr(s, '-')) == NULL) {
		/* One number: at least that. */
		r->has_low = number(s, strlen(s), &r->low);
		return r->has_low;
	}
	if (dash[strspn(dash + 1, " \t") + 1] != '\0' &&
	    !(r->has_high = number(dash + 1, strlen(dash + 1), &r->high)))
		return false;
	if (dash > s + strspn(s, " \t") &&
	    !(r->has_low = number(s, (size_t)(dash - s), &r->low)))
		return false;
	if (!r->has_low && !r->has_high)
		return false;
	return !(r->has_low && r->has_high && r->low > r->high);
}

enum sl_rag
sl_rag(const struct sl_range *r, double v)
{
	if (!r->has_low && !r->has_high)
		return SL_RAG_NONE;
	if (r->has_low && v < r->low)
		return v >= r->low * (1 - AMBER_MARGIN) ? SL_RAG_AMBER : SL_RAG_RED;
	if (r->has_high && v > r->high)
		return v <= r->high * (1 + AMBER_MARGIN) ? SL_RAG_AMBER : SL_RAG_RED;
	return SL_RAG_GREEN;
}

const char *
sl_rag_name(enum sl_rag g)
{
	switch (g) {
	case SL_RAG_GREEN:	return "green";
	case SL_RAG_AMBER:	return "amber";
	case SL_RAG_RED:	return "red";
	default:		return NULL;
	}
}

const char *
sl_agency_name(enum sl_agency a)
{
	return a >= 0 && a < SL_AGENCY_COUNT ? agency_names[a] : NULL;
}

static int
agency_index(const char *s, size_t n)
{
	for (int i = 0; i < SL_AGENCY_COUNT; i++)
		if (strlen(agency_names[i]) == n && strncmp(s, agency_names[i], n) == 0)
			return i;
	return -1;
}

/*
 * Walks a "key:value, key:value" list; calls f for each pair (trimmed),
 * stopping when it answers true.  False when the list is malformed.
 */
static bool
pairs(const char *list, bool (*f)(const char *, size_t, const char *,
    size_t, void *), void *arg, bool *stopped)
{
	const char *p = list;

	*stopped = false;
	if (list == NULL)
		return true;
	while (*p != '\0') {
		const char	*colon, *val;
		size_t		 n, k, v;

		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		n = strcspn(p, ",");
		if ((colon = memchr(p, ':', n)) == NULL)
			return false;
		for (k = (size_t)(colon - p); k > 0 && isspace((unsigned char)p[k - 1]); k--)
			;
		val = colon + 1 + strspn(colon + 1, " \t");
		for (v = (size_t)(p + n - val); v > 0 && isspace((unsigned char)val[v - 1]); v--)
			;
		if (k == 0 || v == 0)
			return false;
		if (f(p, k, val, v, arg)) {
			*stopped = true;
			return true;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return true;
}

struct lookup {
	const char	*key;
	const char	*value;
	size_t		 vlen;
};

static bool
find_key(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	struct lookup *l = arg;

	if (strlen(l->key) != kn || strncmp(l->key, k, kn) != 0)
		return false;
	l->value = v;
	l->vlen = vn;
	return true;
}

enum sl_agency
sl_agency_type(const char *code, const char *agency_types)
{
	struct lookup	 l = { code, NULL, 0 };
	bool		 found;
	int		 i;

	if (pairs(agency_types, find_key, &l, &found) && found &&
	    (i = agency_index(l.value, l.vlen)) >= 0)
		return (enum sl_agency)i;
	for (i = 0; i < SL_OTHER; i++) {
		size_t n = strlen(agency_names[i]);

		if (strncmp(code, agency_names[i], n) == 0 &&
		    (code[n] == '\0' || code[n] == '_'))
			return (enum sl_agency)i;
	}
	return SL_OTHER;
}

static bool
whole(const char *s, size_t n, long *out)
{
	long v = 0;

	if (n == 0 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

long
sl_population(const char *list, const char *area)
{
	struct lookup	 l = { area, NULL, 0 };
	bool		 found;
	long		 n;

	if (!pairs(list, find_key, &l, &found) || !found ||
	    !whole(l.value, l.vlen, &n))
		return 0;
	return n;
}

static bool
check_population(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	long n;

	(void)k;
	(void)kn;
	(void)arg;
	return !whole(v, vn, &n) || n <= 0;
}

static bool
check_type(const char *k, size_t kn, const char *v, size_t vn, void *arg)
{
	(void)k;
	(void)kn;
	(void)arg;
	return agency_index(v, vn) < 0;
}

/* Which [statistics] value is not well-formed, or NULL. */
static const char *
params_bad(const struct sl_params *p)
{
	static const char *const keys[SL_EXPECT_COUNT] = {
		"expected_cases_per_10k", "expected_repeat_rate",
		"expected_partner_share", "expected_minoritised",
		"expected_lgbt", "expected_disabled", "expected_male",
		"expected_aged_16_17", "expected_perpetrators_under_18"
	};
	struct sl_range	 r;
	bool		 bad;

	if (!pairs(p->population, check_population, NULL, &bad) || bad)
		return "population must be area:number pairs separated by commas";
	if (!pairs(p->agency_types, check_type, NULL, &bad) || bad)
		return "agency_types must be agency:type pairs separated by commas, "
		    "each type one of police, idva, health, childrens_social_care, "
		    "adult_social_care, housing, probation, education, "
		    "substance_misuse, mental_health, other";
	for (int i = 0; i < SL_EXPECT_COUNT; i++)
		if (!sl_range_parse(p->expected[i], &r))
			return keys[i];
	return NULL;
}

int
sl_params_check(const struct sl_params *p, const char **why)
{
	const char *bad = params_bad(p);

	return bad == NULL ? 0 : why_fail(why, bad);
}

static long
member_long(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (long)v->valuedouble : 0;
}

bool
sl_counts_from_json(const cJSON *doc, const char *agency_types,
    struct sl_counts *c)
{
	const cJSON *o, *m;

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(doc))
		return false;
	c->meetings = member_long(doc, "meetings");
	c->cases = member_long(doc, "cases");
	c->repeats = member_long(doc, "repeats");
	c->children = member_long(doc, "children");
	o = cJSON_GetObjectItemCaseSensitive(doc, "by_agency");
	cJSON_ArrayForEach(m, o)
		if (cJSON_IsNumber(m))
			c->by_agency[sl_agency_type(m->string, agency_types)] +=
			    (long)m->valuedouble;
	o = cJSON_GetObjectItemCaseSensitive(doc, "by_ethnicity");
	for (int e = 0; e < ETHNICITY_COUNT; e++)
		if (referral_ethnicity_minoritised((enum ethnicity)e))
			c->minoritised += member_long(o,
			    referral_ethnicity_name((enum ethnicity)e));
	c->male = member_long(cJSON_GetObjectItemCaseSensitive(doc, "by_gender"),
	    referral_gender_name(GENDER_MALE));
	c->disabled = member_long(cJSON_GetObjectItemCaseSensitive(doc,
	    "by_disability"), referral_answer4_name(ANSWER4_YES));
	c->lgbt = member_long(cJSON_GetObjectItemCaseSensitive(doc, "by_lgbt"),
	    referral_answer4_name(ANSWER4_YES));
	o = cJSON_GetObjectItemCaseSensitive(doc, "victim_ages");
	c->aged_16_17 = member_long(o, "16") + member_long(o, "17");
	o = cJSON_GetObjectItemCaseSensitive(doc, "perpetrator_ages");
	cJSON_ArrayForEach(m, o)
		if (cJSON_IsNumber(m) && atoi(m->string) < 18)
			c->perpetrators_under_18 += (long)m->valuedouble;
	return true;
}

static struct sl_figure *
add(struct sl_return *r, const char *key, const char *label, long count,
    bool people)
{
	struct sl_figure *f = &r->figures[r->nfigures++];

	memset(f, 0, sizeof(*f));
	f->key = key;
	f->label = label;
	f->has_count = true;
	f->count = count;
	f->people = people;
	return f;
}

/* A count of the cases discussed, with its percentage of them. */
static struct sl_figure *
share(struct sl_return *r, long cases, const char *key, const char *label,
    long count)
{
	struct sl_figure *f = add(r, key, label, count, true);

	if (cases > 0) {
		f->has_percent = true;
		f->percent = 100.0 * (double)count / (double)cases;
	}
	return f;
}

static void
expect(struct sl_figure *f, const struct sl_params *p, enum sl_expect e,
    double scale)
{
	if (!sl_range_parse(p->expected[e], &f->expected) ||
	    (!f->expected.has_low && !f->expected.has_high))
		return;
	f->has_expected = true;
	f->expected.low *= scale;
	f->expected.high *= scale;
	if (f->has_percent)
		f->rag = sl_rag(&f->expected, f->percent);
	else if (f->has_rate)
		f->rag = sl_rag(&f->expected, f->rate);
}

void
sl_compute(const struct sl_counts *c, const struct sl_params *p,
    const char *area, int year, int quarter, date_t from, date_t to,
    struct sl_return *r)
{
	static const char *const referred_keys[SL_AGENCY_COUNT] = {
		"referred_police", "referred_idva", "referred_health",
		"referred_childrens_social_care", "referred_adult_social_care",
		"referred_housing", "referred_probation", "referred_education",
		"referred_substance_misuse", "referred_mental_health",
		"referred_other"
	};
	struct sl_figure *f;
	long partners;

	memset(r, 0, sizeof(*r));
	snprintf(r->area, sizeof(r->area), "%s", area);
	r->year = year;
	r->quarter = quarter;
	r->from = from;
	r->to = to;
	r->population = sl_population(p->population, area);
	r->suppress_below = p->suppress_below;

	add(r, "meetings", "MARAC meetings held", c->meetings, false);
	add(r, "cases", "Cases discussed", c->cases, true);
	f = add(r, "cases_per_10k", "Cases per 10,000 adult women", c->cases,
	    true);
	f->has_count = false;
	if (r->population > 0) {
		f->has_rate = true;
		f->rate = 10000.0 * (double)c->cases / (double)r->population;
		expect(f, p, SL_EXPECT_CASES_PER_10K, 0.25);
	}
	f = share(r, c->cases, "repeat_cases", "Repeat cases (repeat rate)",
	    c->repeats);
	expect(f, p, SL_EXPECT_REPEAT_RATE, 1);
	for (int i = 0; i < SL_AGENCY_COUNT; i++)
		share(r, c->cases, referred_keys[i], agency_labels[i],
		    c->by_agency[i]);
	partners = c->cases - c->by_agency[SL_POLICE];
	f = share(r, c->cases, "referred_partners",
	    "Referred by partner agencies (not police)", partners);
	expect(f, p, SL_EXPECT_PARTNER_SHARE, 1);
	f = share(r, c->cases, "victims_minoritised",
	    "Victims who are Black, Asian or racially minoritised",
	    c->minoritised);
	expect(f, p, SL_EXPECT_MINORITISED, 1);
	f = share(r, c->cases, "victims_lgbt", "Victims who are LGBT+", c->lgbt);
	expect(f, p, SL_EXPECT_LGBT, 1);
	f = share(r, c->cases, "victims_disabled", "Victims who are disabled",
	    c->disabled);
	expect(f, p, SL_EXPECT_DISABLED, 1);
	f = share(r, c->cases, "victims_male", "Victims who are male", c->male);
	expect(f, p, SL_EXPECT_MALE, 1);
	f = share(r, c->cases, "victims_aged_16_17", "Victims aged 16 or 17",
	    c->aged_16_17);
	expect(f, p, SL_EXPECT_AGED_16_17, 1);
	f = share(r, c->cases, "perpetrators_under_18",
	    "Perpetrators under 18", c->perpetrators_under_18);
	expect(f, p, SL_EXPECT_PERPETRATORS_UNDER_18, 1);
	add(r, "children", "Children in the households", c->children, true);
}

bool
sl_hidden(const struct sl_return *r, const struct sl_figure *f)
{
	return f->people && r->suppress_below > 0 && f->count >= 1 &&
	    f->count < r->suppress_below;
}

void
sl_shown_count(const struct sl_return *r, const struct sl_figure *f,
    char *buf, size_t len)
{
	if (!f->has_count)
		snprintf(buf, len, "%s", "");
	else if (sl_hidden(r, f))
		snprintf(buf, len, "fewer than %d", r->suppress_below);
	else
		snprintf(buf, len, "%ld", f->count);
}

void
sl_shown_value(const struct sl_return *r, const struct sl_figure *f,
    char *buf, size_t len)
{
	if ((!f->has_percent && !f->has_rate) || sl_hidden(r, f))
		snprintf(buf, len, "%s", "");
	else if (f->has_percent)
		snprintf(buf, len, "%.1f%%", f->percent);
	else
		snprintf(buf, len, "%.1f", f->rate);
}

void
sl_expected_text(const struct sl_figure *f, char *buf, size_t len)
{
	const char *unit = f->has_rate ? "" : "%";

	if (!f->has_expected)
		snprintf(buf, len, "%s", "");
	else if (f->expected.has_low && f->expected.has_high)
		snprintf(buf, len, "%.1f%s to %.1f%s", f->expected.low, unit,
		    f->expected.high, unit);
	else if (f->expected.has_low)
		snprintf(buf, len, "at least %.1f%s", f->expected.low, unit);
	else
		snprintf(buf, len, "at most %.1f%s", f->expected.high, unit);
}

static double
rounded(double v)
{
	return (double)(long)(v * 10 + 0.5) / 10;
}

cJSON *
sl_json(const struct sl_return *r)
{
	char	 q[16], d[DATE_STRLEN], shown[32];
	cJSON	*o = cJSON_CreateObject(), *a, *x, *e;

	snprintf(q, sizeof(q), "%04dQ%d", r->year, r->quarter);
	cJSON_AddStringToObject(o, "area", r->area);
	cJSON_AddStringToObject(o, "quarter", q);
	cJSON_AddStringToObject(o, "from", date_format(r->from, d));
	cJSON_AddStringToObject(o, "to", date_format(r->to, d));
	if (r->population > 0)
		cJSON_AddNumberToObject(o, "population", (double)r->population);
	else
		cJSON_AddNullToObject(o, "population");
	cJSON_AddNumberToObject(o, "suppress_below", r->suppress_below);
	a = cJSON_AddArrayToObject(o, "figures");
	for (size_t i = 0; i < r->nfigures; i++) {
		const struct sl_figure *f = &r->figures[i];

		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "key", f->key);
		cJSON_AddStringToObject(x, "label", f->label);
		if (f->has_count) {
			cJSON_AddNumberToObject(x, "count", (double)f->count);
			sl_shown_count(r, f, shown, sizeof(shown));
			cJSON_AddStringToObject(x, "shown", shown);
		}
		if (f->has_percent)
			cJSON_AddNumberToObject(x, "percent", rounded(f->percent));
		if (f->has_rate)
			cJSON_AddNumberToObject(x, "rate", rounded(f->rate));
		if (f->has_expected) {
			e = cJSON_AddObjectToObject(x, "expected");
			if (f->expected.has_low)
				cJSON_AddNumberToObject(e, "low", f->expected.low);
			if (f->expected.has_high)
				cJSON_AddNumberToObject(e, "high", f->expected.high);
		}
		if (f->rag != SL_RAG_NONE)
			cJSON_AddStringToObject(x, "rag", sl_rag_name(f->rag));
		cJSON_AddItemToArray(a, x);
	}
	return o;
}

void
sl_csv(const struct sl_return *r, struct buf *out)
{
	struct csv	 c;
	char		 s[64], d[DATE_STRLEN];

	csv_init(&c, out);
	csv_field(&c, "SafeLives MARAC quarterly return");
	csv_end_row(&c);
	csv_field(&c, "Area");
	csv_field(&c, r->area);
	csv_end_row(&c);
	snprintf(s, sizeof(s), "%04dQ%d", r->year, r->quarter);
	csv_field(&c, "Quarter");
	csv_field(&c, s);
	csv_end_row(&c);
	csv_field(&c, "From");
	csv_field(&c, date_format(r->from, d));
	csv_end_row(&c);
	csv_field(&c, "To");
	csv_field(&c, date_format(r->to, d));
	csv_end_row(&c);
	csv_field(&c, "Figure");
	csv_field(&c, "Number");
	csv_field(&c, "Percentage or rate");
	csv_field(&c, "Expected");
	csv_field(&c, "RAG");
	csv_end_row(&c);
	for (size_t i = 0; i < r->nfigures; i++) {
		const struct sl_figure *f = &r->figures[i];
		/* A RAG beside a hidden count would narrow it down. */
		const char *rag = sl_hidden(r, f) ? NULL : sl_rag_name(f->rag);

		csv_field(&c, f->label);
		sl_shown_count(r, f, s, sizeof(s));
		csv_field(&c, s);
		sl_shown_value(r, f, s, sizeof(s));
		csv_field(&c, s);
		sl_expected_text(f, s, sizeof(s));
		csv_field(&c, s);
		csv_field(&c, rag != NULL ? rag : "");
		csv_end_row(&c);
	}
}

void
sl_html_table(const struct sl_return *r, struct buf *out)
{
	char s[64];

	buf_puts(out, "<table>\n<tr><th>Figure</th><th>Number</th>"
	    "<th>Percentage or rate</th><th>Expected</th><th>RAG</th></tr>\n");
	for (size_t i = 0; i < r->nfigures; i++) {
		const struct sl_figure *f = &r->figures[i];
		const char *rag = sl_hidden(r, f) ? NULL : sl_rag_name(f->rag);

		buf_puts(out, "<tr><td>");
		html_escape(out, f->label);
		sl_shown_count(r, f, s, sizeof(s));
		buf_puts(out, "</td><td>");
		html_escape(out, s);
		sl_shown_value(r, f, s, sizeof(s));
		buf_puts(out, "</td><td>");
		html_escape(out, s);
		sl_expected_text(f, s, sizeof(s));
		buf_puts(out, "</td><td>");
		html_escape(out, s);
		if (rag != NULL)
			buf_printf(out, "</td><td class=\"%s\">%s</td></tr>\n", rag, rag);
		else
			buf_puts(out, "</td><td></td></tr>\n");
	}
	buf_puts(out, "</table>\n");
}

void
sl_html(const struct sl_return *r, struct buf *out)
{
	char d1[DATE_STRLEN], d2[DATE_STRLEN];

	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>SafeLives MARAC return</title><style>"
	    "body{font-family:sans-serif}table{border-collapse:collapse}"
	    "td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
	    ".green{background:#cfc}.amber{background:#fe9}.red{background:#f99}"
	    "</style></head><body>\n<h1>SafeLives MARAC quarterly return</h1>\n<p>Area ");
	html_escape(out, r->area);
	buf_printf(out, ", %04d Q%d (%s to %s).", r->year, r->quarter,
	    date_format(r->from, d1), date_format(r->to, d2));
	if (r->suppress_below > 0)
		buf_printf(out, " Counts from 1 to %d are shown as \"fewer than %d\".",
		    r->suppress_below - 1, r->suppress_below);
	buf_puts(out, "</p>\n");
	sl_html_table(r, out);
	buf_puts(out, "</body></html>\n");
}

/*
 * Words for codes and instants (words.h).
 */
#include "core/words.h"
#include "core/date.h"
#include "core/forum.h"
#include "core/instant.h"

#include <stdio.h>
#include <string.h>

static const char *const month_names[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };
static const char *const day_names[] = { "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday" };

/* The keys whose string values are codes a person should read as words. */
static const char *const code_keys[] = { "forum", "area", "level", "status",
    "state", "kind", "role", "outcome", "result", "consent", NULL };

/* The keys whose arrays hold codes, each worded like a code under the key. */
static const char *const list_keys[] = { "bases", "lawful_basis", NULL };

/* The keys whose whole numbers count something, and its nouns. */
static const struct {
	const char	*key;
	const char	*one;
	const char	*many;
} count_keys[] = {
	{ "case_count",	"case",	"cases" },
	{ "cases",	"case",	"cases" },
	{ "present",	"agency", "agencies" },	/* the chair's attendance */
	{ "rows",	"row",	"rows" },	/* an import's */
};

/* Risk bases (core/dash.c's names) say more than their codes. */
static const struct {
	const char	*code;
	const char	*words;
} meanings[] = {
	{ "visible_high_risk",	"Visible high risk (DASH questions ticked yes)" },
	{ "sdash_all",		"Every S-DASH answer yes" },
	{ "professional_judgement", "Professional judgement" },
	{ "escalation",		"Escalation (declared, or police call-outs)" },
	{ "below_threshold",	"Below the threshold" },
	{ "drive",		"DRIVE" },
	{ "idva",		"IDVA" },
	{ "isva",		"ISVA" },
	{ "mappa",		"MAPPA" },
	/*
	 * The lawful bases for sharing (core/referral.c's names), as the
	 * referral's sharing step labels them.
	 */
	{ "crime_and_disorder_act_s115", "Crime and Disorder Act 1998, section 115" },
	{ "dpa_2018_part3",	"Data Protection Act 2018, Part 3 (law enforcement)" },
	{ "dpa_2018_sch8_safeguarding",
	    "Data Protection Act 2018, Schedule 8 (safeguarding)" },
	{ "care_act_2014",	"Care Act 2014" },
	{ "human_rights_act_art2_art3", "Human Rights Act 1998, Articles 2 and 3" },
	{ "common_law",		"Common law duty of care" },
};

bool
words_day(date_t d, char *out, size_t len)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	return (size_t)snprintf(out, len, "%s %d %s %d",
	    day_names[date_weekday(d) - 1], dd, month_names[m - 1], y) < len;
}

bool
words_date(const char *s, char *out, size_t len)
{
	date_t d;

	return s != NULL && date_parse(s, &d) && words_day(d, out, len);
}

bool
words_instant(const char *s, char *out, size_t len)
{
	char day[WORDS_MAX];
	date_t d;
	int n;

	/* The hour and minute as written: s[11..15] once the form is known. */
	if (s == NULL || !instant_parse(s, INSTANT_RFC3339, NULL, &d) ||
	    !words_day(d, day, sizeof(day)))
		return false;
	n = snprintf(out, len, "%.5s on %s", s + 11, day);
	return n > 0 && (size_t)n < len;
}

const char *
words_plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

bool
words_count(long long n, const char *one, const char *many, char *out,
    size_t len)
{
	int w = snprintf(out, len, "%lld %s", n, words_plural(n, one, many));

	return w > 0 && (size_t)w < len;
}

/* "west_cumbria" as "West Cumbria": value is a code of n bytes. */
static void
area_words(const char *value, size_t n, char *out)
{
	bool start = true;

	for (size_t i = 0; i <= n; i++) {
		out[i] = value[i] == '_' ? ' ' : value[i];
		if (start && out[i] >= 'a' && out[i] <= 'z')
			out[i] = (char)(out[i] - 'a' + 'A');
		start = out[i] == ' ';
	}
}

/* The count's words when m is a whole number under a counting key. */
static bool
count_words(const cJSON *m, char *out, size_t len)
{
	double v = m->valuedouble;

	if (!cJSON_IsNumber(m) || v < 0 || v > 1e15 || v != (double)(long long)v)
		return false;
	for (size_t i = 0; i < sizeof(count_keys) / sizeof(count_keys[0]); i++)
		if (strcmp(count_keys[i].key, m->string) == 0)
			return words_count((long long)v, count_keys[i].one,
			    count_keys[i].many, out, len);
	return false;
}

bool
words_code(const char *key, const char *value, char *out, size_t len)
{
	size_t n = value != NULL ? strlen(value) : 0;

	if (n == 0 || n >= len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((value[i] >= 'a' && value[i] <= 'z') ||
		    (value[i] >= '0' && value[i] <= '9') || value[i] == '_'))
			return false;
	if (key != NULL && strcmp(key, "forum") == 0 &&
	    forum_of(value) != FORUM_NONE)
		return (size_t)snprintf(out, len, "%s",
		    forum_label(forum_of(value))) < len;
	if (key != NULL && strcmp(key, "area") == 0) {
		area_words(value, n, out);
		return true;
	}
	for (size_t i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (strcmp(meanings[i].code, value) == 0)
			return (size_t)snprintf(out, len, "%s",
			    meanings[i].words) < len;
	for (size_t i = 0; i <= n; i++)
		out[i] = value[i] == '_' ? ' ' : value[i];
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return true;
}

static bool
is_key_of(const char *const keys[], const char *key)
{
	for (int i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/* The words for one string member, if any, into out. */
static bool
member_words(const cJSON *m, char *out, size_t len)
{
	const char *v = m->valuestring;

	if (words_date(v, out, len) || words_instant(v, out, len))
		return true;
	return is_key_of(code_keys, m->string) && words_code(m->string, v, out, len);
}

static void
add_sibling(cJSON *obj, const char *key, cJSON *item)
{
	char name[128];

	if (item == NULL || (size_t)snprintf(name, sizeof(name), "%s_words",
	    key) >= sizeof(name) ||
	    cJSON_GetObjectItemCaseSensitive(obj, name) != NULL ||
	    !cJSON_AddItemToObject(obj, name, item))
		cJSON_Delete(item);
}

void
words_add(cJSON *tree)
{
	char w[WORDS_MAX];
	cJSON *m, *e, *list;

	if (tree == NULL)
		return;
	if (cJSON_IsArray(tree)) {
		cJSON_ArrayForEach(e, tree)
			words_add(e);
		return;
	}
	if (!cJSON_IsObject(tree))
		return;
	/* Siblings are added at the end: the walk stops at the first added. */
	for (m = tree->child; m != NULL; m = m->next) {
		if (m->string == NULL || strstr(m->string, "_words") != NULL)
			continue;
		if ((cJSON_IsString(m) && member_words(m, w, sizeof(w))) ||
		    count_words(m, w, sizeof(w))) {
			add_sibling(tree, m->string, cJSON_CreateString(w));
		} else if (cJSON_IsArray(m) && is_key_of(list_keys, m->string)) {
			list = cJSON_CreateArray();
			cJSON_ArrayForEach(e, m)
				if (cJSON_IsString(e) &&
				    words_code(m->string, e->valuestring, w, sizeof(w)))
					cJSON_AddItemToArray(list, cJSON_CreateString(w));
			add_sibling(tree, m->string, list);
		} else {
			words_add(m);
		}
	}
}

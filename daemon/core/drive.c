/*
 * DRIVE screening (docs/domain.md, DRIVE screening); the rules and the
 * meaning of every setting are in drive.h.
 */
#include "core/drive.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Where each gravity key sits in each checklist version, in enum
 * drive_gravity_key order.  The versions are named by their API strings
 * so that this file stands apart from dash.c; a version missing here
 * makes its referrals' gravity gravity_other, with a caution.
 */
static const struct checklist {
	const char	*name;
	int		 question[DRIVE_GRAVITY_KEYS];
} checklists[] = {
	/*		  strangulation, weapons, threat to kill, sexual, injury */
	{ "dash-2009",		{ 18, 16, 17, 19, 1 } },
	{ "glos-2018",		{ 18, 16, 17, 19, 1 } },
	{ "safelives-ric",	{ 15, 13, 14, 16, 1 } },
};

static const char *const component_names[DRIVE_COMPONENTS] = {
	"recency", "frequency", "gravity", "victims"
};

static const char *const gravity_key_names[DRIVE_GRAVITY_KEYS] = {
	"strangulation", "weapons", "threat_to_kill", "sexual", "injury"
};

/* The settings, in documentation order. */
enum setting_kind { S_VERSION, S_INTS };

static const struct setting {
	const char		*key;
	enum setting_kind	 kind;
	size_t			 offset;	/* of the first int */
	int			 n;		/* ints in the value */
	int			 min, max;
	bool			 ascending;	/* strictly */
	const char		*refusal;
} settings[] = {
#define OFF(f)	offsetof(struct drive_rubric, f)
	{ "drive_rubric_version", S_VERSION, 0, 0, 0, 0, false,
	  "must be 1 to 31 characters of letters, digits, '.', '_', '+', '-'" },
	{ "drive_threshold", S_INTS, OFF(threshold), 1, 0, 400, false,
	  "must be a whole number from 0 to 400" },
	{ "drive_min_age", S_INTS, OFF(min_age), 1, 16, 30, false,
	  "must be a whole number from 16 to 30" },
	{ "drive_window_months", S_INTS, OFF(window_months), 1, 1, 120, false,
	  "must be a whole number from 1 to 120" },
	{ "drive_weight_recency", S_INTS, OFF(weight[DRIVE_RECENCY]), 1,
	  0, DRIVE_WEIGHT_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_weight_frequency", S_INTS, OFF(weight[DRIVE_FREQUENCY]), 1,
	  0, DRIVE_WEIGHT_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_weight_gravity", S_INTS, OFF(weight[DRIVE_GRAVITY]), 1,
	  0, DRIVE_WEIGHT_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_weight_victims", S_INTS, OFF(weight[DRIVE_VICTIMS]), 1,
	  0, DRIVE_WEIGHT_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_recency_days", S_INTS, OFF(recency_days),
	  DRIVE_RECENCY_BANDS - 1, 0, 3650, true,
	  "must be 4 ascending whole numbers of days from 0 to 3650" },
	{ "drive_recency_points", S_INTS, OFF(recency_points),
	  DRIVE_RECENCY_BANDS, 0, DRIVE_POINTS_MAX, false,
	  "must be 5 whole numbers from 0 to 10" },
	{ "drive_frequency_from", S_INTS, OFF(frequency_from),
	  DRIVE_FREQUENCY_BANDS, 1, 1000, true,
	  "must be 5 ascending whole numbers from 1 to 1000" },
	{ "drive_frequency_points", S_INTS, OFF(frequency_points),
	  DRIVE_FREQUENCY_BANDS, 0, DRIVE_POINTS_MAX, false,
	  "must be 5 whole numbers from 0 to 10" },
	{ "drive_victims_from", S_INTS, OFF(victims_from),
	  DRIVE_VICTIMS_BANDS, 1, 1000, true,
	  "must be 3 ascending whole numbers from 1 to 1000" },
	{ "drive_victims_points", S_INTS, OFF(victims_points),
	  DRIVE_VICTIMS_BANDS, 0, DRIVE_POINTS_MAX, false,
	  "must be 3 whole numbers from 0 to 10" },
	{ "drive_gravity_strangulation", S_INTS,
	  OFF(gravity_points[DRIVE_GRAVITY_STRANGULATION]), 1,
	  0, DRIVE_POINTS_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_gravity_weapons", S_INTS,
	  OFF(gravity_points[DRIVE_GRAVITY_WEAPONS]), 1,
	  0, DRIVE_POINTS_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_gravity_threat_to_kill", S_INTS,
	  OFF(gravity_points[DRIVE_GRAVITY_THREAT_TO_KILL]), 1,
	  0, DRIVE_POINTS_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_gravity_sexual", S_INTS,
	  OFF(gravity_points[DRIVE_GRAVITY_SEXUAL]), 1,
	  0, DRIVE_POINTS_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_gravity_injury", S_INTS,
	  OFF(gravity_points[DRIVE_GRAVITY_INJURY]), 1,
	  0, DRIVE_POINTS_MAX, false, "must be a whole number from 0 to 10" },
	{ "drive_gravity_other", S_INTS, OFF(gravity_other), 1,
	  0, DRIVE_POINTS_MAX, false, "must be a whole number from 0 to 10" },
#undef OFF
};

/* The most ints one setting holds. */
#define SETTING_INTS_MAX	5

void
drive_rubric_defaults(struct drive_rubric *r)
{
	static const struct drive_rubric defaults = {
		.version = "maracd-rfgv-1",
		.threshold = 12,
		.min_age = 18,
		.window_months = 36,
		.weight = { 1, 1, 1, 1 },
		.recency_days = { 30, 90, 180, 365 },
		.recency_points = { 5, 4, 3, 2, 1 },
		.frequency_from = { 1, 2, 3, 5, 7 },
		.frequency_points = { 1, 2, 3, 4, 5 },
		.victims_from = { 1, 2, 3 },
		.victims_points = { 1, 3, 5 },
		.gravity_points = { 5, 4, 4, 4, 3 },
		.gravity_other = 1,
	};

	*r = defaults;
}

const char *
drive_rubric_key(size_t i)
{
	return i < NELEM(settings) ? settings[i].key : NULL;
}

static const struct setting *
setting_find(const char *key)
{
	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < NELEM(settings); i++)
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

static int *
ints_at(struct drive_rubric *r, const struct setting *s)
{
	return (int *)(void *)((char *)r + s->offset);
}

static const int *
cints_at(const struct drive_rubric *r, const struct setting *s)
{
	return (const int *)(const void *)((const char *)r + s->offset);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Exactly s->n comma-separated whole numbers, each in range and, where
 * asked, strictly ascending.  No signs: every setting is non-negative.
 */
static bool
parse_ints(const struct setting *s, const char *v, int *out)
{
	for (int i = 0; i < s->n; i++) {
		long n = 0;
		bool any = false;

		while (is_blank(*v))
			v++;
		for (; *v >= '0' && *v <= '9'; v++) {
			any = true;
			if (n <= s->max)	/* stop growing well before overflow */
				n = n * 10 + (*v - '0');
		}
		if (!any || n < s->min || n > s->max)
			return false;
		if (s->ascending && i > 0 && n <= out[i - 1])
			return false;
		out[i] = (int)n;
		while (is_blank(*v))
			v++;
		if (i + 1 < s->n && *v++ != ',')
			return false;
	}
	return *v == '\0';
}

static bool
version_valid(const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len >= DRIVE_VERSION_MAX)
		return false;
	for (; *v != '\0'; v++) {
		char c = *v;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '+' || c == '-'))
			return false;
	}
	return true;
}

/* Why value is refused for key, or NULL once it is set. */
static const char *
rubric_set(struct drive_rubric *r, const char *key, const char *value)
{
	const struct setting *s;
	int tmp[SETTING_INTS_MAX];

	if ((s = setting_find(key)) == NULL)
		return "is not a DRIVE rubric setting";
	if (value == NULL)
		return s->refusal;
	switch (s->kind) {
	case S_VERSION:
		if (!version_valid(value))
			return s->refusal;
		/* Length checked above. */
		memcpy(r->version, value, strlen(value) + 1);
		return NULL;
	case S_INTS:
		/* Into tmp first, so a refused value changes nothing. */
		if (!parse_ints(s, value, tmp))
			return s->refusal;
		memcpy(ints_at(r, s), tmp, (size_t)s->n * sizeof(int));
		return NULL;
	}
	return s->refusal;
}

bool
drive_rubric_get(const struct drive_rubric *r, const char *key, char *buf,
    size_t size)
{
	const struct setting *s;
	const int *v;
	size_t len = 0;
	int w;

	if ((s = setting_find(key)) == NULL || size == 0)
		return false;
	if (s->kind == S_VERSION)
		return (size_t)snprintf(buf, size, "%s", r->version) < size;
	v = cints_at(r, s);
	buf[0] = '\0';
	for (int i = 0; i < s->n; i++) {
		w = snprintf(buf + len, size - len, "%s%d", i ? "," : "", v[i]);
		if (w < 0 || (size_t)w >= size - len)
			return false;
		len += (size_t)w;
	}
	return true;
}

bool
drive_rubric_format(const struct drive_rubric *r, char *buf, size_t size)
{
	char value[64];
	size_t len = 0;
	int w;

	if (size == 0)
		return false;
	buf[0] = '\0';
	for (size_t i = 0; i < NELEM(settings); i++) {
		if (!drive_rubric_get(r, settings[i].key, value, sizeof(value)))
			return false;
		w = snprintf(buf + len, size - len, "%s%s=%s", i ? " " : "",
		    settings[i].key, value);
		if (w < 0 || (size_t)w >= size - len)
			return false;
		len += (size_t)w;
	}
	return true;
}

static int
max_of(const int *v, int n)
{
	int m = v[0];

	for (int i = 1; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

int
drive_rubric_max_score(const struct drive_rubric *r)
{
	int gravity = max_of(r->gravity_points, DRIVE_GRAVITY_KEYS);

	if (r->gravity_other > gravity)
		gravity = r->gravity_other;
	return r->weight[DRIVE_RECENCY] *
	    max_of(r->recency_points, DRIVE_RECENCY_BANDS) +
	    r->weight[DRIVE_FREQUENCY] *
	    max_of(r->frequency_points, DRIVE_FREQUENCY_BANDS) +
	    r->weight[DRIVE_GRAVITY] * gravity +
	    r->weight[DRIVE_VICTIMS] *
	    max_of(r->victims_points, DRIVE_VICTIMS_BANDS);
}

int
drive_rubric_set(struct drive_rubric *r, const char *key, const char *value,
    const char **why)
{
	const char *reason = rubric_set(r, key, value);

	return reason == NULL ? 0 : why_fail(why, reason);
}

/* Why the rubric as a whole is refused, or NULL. */
static const char *
rubric_check(const struct drive_rubric *r)
{
	/* Each setting was range-checked as it was set; only sums remain. */
	if (r->threshold > drive_rubric_max_score(r))
		return "drive_threshold is higher than any score the weights "
		    "and points can give: nobody could be a DRIVE candidate";
	return NULL;
}

int
drive_rubric_check(const struct drive_rubric *r, const char **why)
{
	const char *reason = rubric_check(r);

	return reason == NULL ? 0 : why_fail(why, reason);
}

static const struct checklist *
checklist_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < NELEM(checklists); i++)
		if (strcmp(checklists[i].name, name) == 0)
			return &checklists[i];
	return NULL;
}

bool
drive_checklist_known(const char *checklist)
{
	return checklist_find(checklist) != NULL;
}

int
drive_gravity_question(const char *checklist, enum drive_gravity_key key)
{
	const struct checklist *c = checklist_find(checklist);

	if (c == NULL || (unsigned)key >= DRIVE_GRAVITY_KEYS)
		return 0;
	return c->question[key];
}

unsigned
drive_gravity_keys(const char *checklist, uint64_t yes)
{
	const struct checklist *c = checklist_find(checklist);
	unsigned keys = 0;

	if (c == NULL)
		return 0;
	for (int k = 0; k < DRIVE_GRAVITY_KEYS; k++)
		if (yes & (UINT64_C(1) << c->question[k]))
			keys |= 1u << k;
	return keys;
}

static int
gravity_of_keys(const struct drive_rubric *r, unsigned keys)
{
	int points = -1;

	for (int k = 0; k < DRIVE_GRAVITY_KEYS; k++)
		if ((keys & (1u << k)) && r->gravity_points[k] > points)
			points = r->gravity_points[k];
	return points < 0 ? r->gravity_other : points;
}

int
drive_gravity(const struct drive_rubric *r, const char *checklist,
    uint64_t yes)
{
	return gravity_of_keys(r, drive_gravity_keys(checklist, yes));
}

const char *
drive_component_name(enum drive_component c)
{
	return (unsigned)c < DRIVE_COMPONENTS ? component_names[c] : NULL;
}

const char *
drive_gravity_key_name(enum drive_gravity_key k)
{
	return (unsigned)k < DRIVE_GRAVITY_KEYS ? gravity_key_names[k] : NULL;
}

const struct drive_reason *
drive_result_reason(const struct drive_result *res, const char *code)
{
	for (size_t i = 0; i < res->nreasons; i++)
		if (strcmp(res->reasons[i].code, code) == 0)
			return &res->reasons[i];
	return NULL;
}

static void reason(struct drive_result *, const char *code, bool excludes,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
reason(struct drive_result *out, const char *code, bool excludes,
    const char *fmt, ...)
{
	struct drive_reason *rs;
	va_list ap;

	if (excludes)
		out->eligible = false;
	/* Cannot happen (at most 8 apply), but never write past the end. */
	if (out->nreasons >= DRIVE_REASONS_MAX)
		return;
	rs = &out->reasons[out->nreasons++];
	rs->code = code;
	rs->excludes = excludes;
	va_start(ap, fmt);
	vsnprintf(rs->text, sizeof(rs->text), fmt, ap);
	va_end(ap);
}

static void
check_age(const struct drive_rubric *r, const struct drive_perpetrator *p,
    date_t sitting, struct drive_result *out)
{
	out->age = p->has_dob ? date_age_on(p->dob, sitting) : -1;
	if (!p->has_dob)
		reason(out, "age_unknown", true, "perpetrator's date of birth "
		    "not known: age on the sitting date unconfirmed");
	else if (out->age < 0)
		reason(out, "age_unknown", true, "perpetrator's date of birth "
		    "is after the sitting date");
	else if (out->age < r->min_age)
		reason(out, "under_18", true, "perpetrator under %d on the "
		    "sitting date (aged %d)", r->min_age, out->age);
}

static void
check_forum(const struct drive_case *c, struct drive_result *out)
{
	if (c->at_marac)
		return;
	if (c->on_demand)
		reason(out, "screened_on_demand", false, "not heard at MARAC: "
		    "screened on demand as a serial medium-risk perpetrator");
	else
		reason(out, "not_at_marac", true, "case not heard at MARAC");
}

static void
check_flags(const struct drive_perpetrator *p, struct drive_result *out)
{
	if (p->in_custody == DRIVE_YES)
		reason(out, "in_custody", true, "perpetrator in custody");
	else if (p->in_custody != DRIVE_NO)
		reason(out, "custody_unknown", false, "custody not stated: "
		    "check before the panel");

	if (p->mappa_level == 2 || p->mappa_level == 3)
		reason(out, "mappa_2_3", true, "perpetrator managed at MAPPA "
		    "level %d", p->mappa_level);
	else if (p->mappa_level != 0 && p->mappa_level != 1)
		reason(out, "mappa_unknown", false, "MAPPA level not stated: "
		    "check before the panel");

	if (p->on_drive == DRIVE_YES)
		reason(out, "already_on_drive", true, "perpetrator already on "
		    "DRIVE");
	else if (p->on_drive != DRIVE_NO)
		reason(out, "drive_status_unknown", false, "whether already "
		    "on DRIVE not stated: check before the panel");

	if (p->in_area == DRIVE_NO)
		reason(out, "out_of_area", true, "perpetrator does not live "
		    "in the area");
	else if (p->in_area != DRIVE_YES)
		reason(out, "in_area_unknown", false, "whether the perpetrator "
		    "lives in the area not stated: check before the panel");
}

static bool
has_victim(const struct drive_referral *h)
{
	return h->victim_key != NULL && h->victim_key[0] != '\0';
}

static bool
in_window(const struct drive_referral *h, date_t start, date_t sitting)
{
	return h->received >= start && h->received <= sitting;
}

/* Whether an earlier referral in the window named the same victim. */
static bool
victim_seen(const struct drive_referral *h, size_t i, date_t start,
    date_t sitting)
{
	for (size_t j = 0; j < i; j++)
		if (in_window(&h[j], start, sitting) && has_victim(&h[j]) &&
		    strcmp(h[j].victim_key, h[i].victim_key) == 0)
			return true;
	return false;
}

static int
recency_points(const struct drive_rubric *r, int days)
{
	for (int i = 0; i < DRIVE_RECENCY_BANDS - 1; i++)
		if (days <= r->recency_days[i])
			return r->recency_points[i];
	return r->recency_points[DRIVE_RECENCY_BANDS - 1];
}

/* The points of the highest band whose start count has been reached. */
static int
count_points(const int *from, const int *points, int nbands, int count)
{
	int p = 0;

	for (int i = 0; i < nbands && count >= from[i]; i++)
		p = points[i];
	return p;
}

static void
score_history(const struct drive_rubric *r, date_t sitting,
    const struct drive_referral *h, size_t n, struct drive_result *out)
{
	date_t start = date_add_months(sitting, -r->window_months);
	bool any = false;
	date_t latest = 0;
	int g, gravity = 0, no_checklist = 0, no_victim = 0;

	out->window_start = start;
	out->recency_days = -1;
	for (size_t i = 0; i < n; i++) {
		if (h[i].received > sitting)
			continue;
		if (!any || h[i].received > latest)
			latest = h[i].received;
		any = true;
		if (!in_window(&h[i], start, sitting))
			continue;
		out->referrals++;
		if (!drive_checklist_known(h[i].checklist))
			no_checklist++;
		else
			out->gravity_keys |=
			    drive_gravity_keys(h[i].checklist, h[i].yes);
		g = drive_gravity(r, h[i].checklist, h[i].yes);
		if (g > gravity)
			gravity = g;
		if (!has_victim(&h[i]))
			no_victim++;
		else if (!victim_seen(h, i, start, sitting))
			out->victims++;
	}

	if (any) {
		out->recency_days = sitting - latest;
		out->component[DRIVE_RECENCY] =
		    recency_points(r, out->recency_days);
	} else
		reason(out, "no_history", false, "no DA referral naming the "
		    "perpetrator up to the sitting date");
	out->component[DRIVE_FREQUENCY] = count_points(r->frequency_from,
	    r->frequency_points, DRIVE_FREQUENCY_BANDS, out->referrals);
	out->component[DRIVE_GRAVITY] = gravity;
	out->component[DRIVE_VICTIMS] = count_points(r->victims_from,
	    r->victims_points, DRIVE_VICTIMS_BANDS, out->victims);

	if (no_checklist > 0)
		reason(out, "checklist_unknown", false, "%d referral(s) in the "
		    "window without a known risk checklist: gravity may be "
		    "understated", no_checklist);
	if (no_victim > 0)
		reason(out, "victim_unknown", false, "%d referral(s) in the "
		    "window without a victim identity: victims may be "
		    "understated", no_victim);
}

void
drive_screen(const struct drive_rubric *r, const struct drive_perpetrator *p,
    const struct drive_case *c, const struct drive_referral *history,
    size_t nhistory, struct drive_result *out)
{
	memset(out, 0, sizeof(*out));
	out->eligible = true;
	out->threshold = r->threshold;
	memcpy(out->rubric_version, r->version, sizeof(out->rubric_version));
	out->rubric_version[sizeof(out->rubric_version) - 1] = '\0';

	check_age(r, p, c->sitting, out);
	check_forum(c, out);
	check_flags(p, out);
	score_history(r, c->sitting, history, nhistory, out);

	for (int i = 0; i < DRIVE_COMPONENTS; i++)
		out->score += r->weight[i] * out->component[i];
	out->candidate = out->eligible && out->score >= r->threshold;
}

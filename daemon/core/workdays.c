/*
 * England and Wales bank holidays: the rules of the Banking and Financial
 * Dealings Act 1971 as practised today, then the proclaimed overrides.
 * A year's list is recomputed when asked for; it is a dozen integer
 * operations, cheaper and simpler than keeping a cache in the calendar.
 */
#include "core/workdays.h"

#include <limits.h>

/* Holidays one year can have from the rules alone. */
#define RULE_MAX 8

/*
 * date_from_ymd() as an integer constant expression (same algorithm, for
 * years after 1970), so the known overrides can be a constant table.
 */
#define CIVIL_Y(y, m)	((y) - ((m) <= 2))
#define CIVIL_YOE(y, m)	(CIVIL_Y(y, m) % 400)
#define CIVIL_DOY(m, d)	((153 * ((m) > 2 ? (m) - 3 : (m) + 9) + 2) / 5 + (d) - 1)
#define YMD(y, m, d)	((date_t)(CIVIL_Y(y, m) / 400 * 146097 +	\
	CIVIL_YOE(y, m) * 365 + CIVIL_YOE(y, m) / 4 -			\
	CIVIL_YOE(y, m) / 100 + CIVIL_DOY(m, d) - 719468))

const struct holiday_override workdays_known_overrides[] = {
	{ HOLIDAY_MOVE, YMD(2020, 5, 8), YMD(2020, 5, 4),
	    "Early May bank holiday (VE day)" },
	{ HOLIDAY_MOVE, YMD(2022, 6, 2), YMD(2022, 5, 30), NULL },
	{ HOLIDAY_ADD, YMD(2022, 6, 3), 0, "Platinum Jubilee bank holiday" },
	{ HOLIDAY_ADD, YMD(2022, 9, 19), 0,
	    "Bank Holiday for the State Funeral of Queen Elizabeth II" },
	{ HOLIDAY_ADD, YMD(2023, 5, 8), 0,
	    "Bank holiday for the coronation of King Charles III" },
};
const size_t workdays_nknown_overrides =
    sizeof(workdays_known_overrides) / sizeof(workdays_known_overrides[0]);

/* Fixed-date holidays, in the order their substitutes are chosen. */
static const struct fixed {
	int		 month, day;
	const char	*name, *substitute;
} fixed[] = {
	{ 1, 1, "New Year's Day", "New Year's Day (substitute day)" },
	{ 12, 25, "Christmas Day", "Christmas Day (substitute day)" },
	{ 12, 26, "Boxing Day", "Boxing Day (substitute day)" },
};

static int
year_of(date_t d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	return y;
}

static bool
is_weekend(date_t d)
{
	return date_weekday(d) >= 6;
}

/* Easter Sunday: the anonymous Gregorian algorithm (Meeus, Jones, Butcher). */
static date_t
easter_sunday(int y)
{
	int a, b, c, d, e, f, g, h, i, k, l, m, month, day;

	a = y % 19;
	b = y / 100;
	c = y % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	month = (h + l - 7 * m + 114) / 31;
	day = (h + l - 7 * m + 114) % 31 + 1;
	return date_from_ymd(y, month, day);
}

static date_t
first_monday(int y, int m)
{
	date_t d = date_from_ymd(y, m, 1);

	return d + (8 - date_weekday(d)) % 7;
}

static date_t
last_monday(int y, int m)
{
	date_t d = date_from_ymd(y, m, date_days_in_month(y, m));

	return d - (date_weekday(d) - 1);
}

static struct holiday *
find(struct holiday *h, size_t n, date_t d)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].date == d)
			return &h[i];
	return NULL;
}

/* Adds d, or renames it when it is already there: one entry per date. */
static void
put(struct holiday *h, size_t *n, date_t d, const char *name)
{
	struct holiday *old = find(h, *n, d);

	if (old != NULL) {
		old->name = name;
		return;
	}
	h[*n].date = d;
	h[*n].name = name;
	(*n)++;
}

/* Takes d out; returns its name, or NULL when it was not there. */
static const char *
take(struct holiday *h, size_t *n, date_t d)
{
	struct holiday *old = find(h, *n, d);
	const char *name;

	if (old == NULL)
		return NULL;
	name = old->name;
	*old = h[--(*n)];
	return name;
}

/*
 * A fixed holiday on a weekend gives a substitute on the next weekday
 * that is not already a holiday.  Weekday holidays are placed first, so
 * Christmas on a Sunday yields Boxing Day on Monday 26th and the
 * Christmas substitute on Tuesday 27th, as gov.uk lists them.
 */
static size_t
rule_year(int y, struct holiday *h)
{
	date_t easter = easter_sunday(y), d;
	size_t n = 0;

	put(h, &n, easter - 2, "Good Friday");
	put(h, &n, easter + 1, "Easter Monday");
	put(h, &n, first_monday(y, 5), "Early May bank holiday");
	put(h, &n, last_monday(y, 5), "Spring bank holiday");
	put(h, &n, last_monday(y, 8), "Summer bank holiday");
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		d = date_from_ymd(y, fixed[i].month, fixed[i].day);
		if (!is_weekend(d))
			put(h, &n, d, fixed[i].name);
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		d = date_from_ymd(y, fixed[i].month, fixed[i].day);
		if (!is_weekend(d))
			continue;
		while (is_weekend(d) || find(h, n, d) != NULL)
			d++;
		put(h, &n, d, fixed[i].substitute);
	}
	return n;
}

/* The name the rules give d, for a holiday moved across a year end. */
static const char *
rule_name(date_t d)
{
	struct holiday h[RULE_MAX], *found;
	size_t n;

	n = rule_year(year_of(d), h);
	found = find(h, n, d);
	return found != NULL ? found->name : NULL;
}

static void
apply(const struct holiday_override *o, int y, struct holiday *h, size_t *n)
{
	const char *name;

	switch (o->kind) {
	case HOLIDAY_REMOVE:
		take(h, n, o->date);
		break;
	case HOLIDAY_MOVE:
		name = take(h, n, o->from);
		if (year_of(o->date) != y)
			break;
		if (o->name != NULL)
			name = o->name;
		if (name == NULL)
			name = rule_name(o->from);
		put(h, n, o->date, name != NULL ? name : "Bank holiday");
		break;
	case HOLIDAY_ADD:
		if (year_of(o->date) == y)
			put(h, n, o->date, o->name);
		break;
	}
}

static void
sort_by_date(struct holiday *h, size_t n)
{
	struct holiday t;
	size_t j;

	for (size_t i = 1; i < n; i++) {
		t = h[i];
		for (j = i; j > 0 && h[j - 1].date > t.date; j--)
			h[j] = h[j - 1];
		h[j] = t;
	}
}

static bool
override_valid(const struct holiday_override *o)
{
	int y;

	y = year_of(o->date);
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
		return false;
	switch (o->kind) {
	case HOLIDAY_ADD:
		return o->name != NULL && o->name[0] != '\0';
	case HOLIDAY_MOVE:
		y = year_of(o->from);
		return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR;
	case HOLIDAY_REMOVE:
		return true;
	}
	return false;
}

/*
 * Whether o[i] leaves its year room in a WORKDAYS_YEAR_MAX list, counting
 * every earlier day added to that year as if none replaced another.
 */
static bool
override_fits(const struct holiday_override *o, size_t i)
{
	size_t added = 0;
	int y = year_of(o[i].date);

	for (size_t j = 0; j <= i; j++)
		if (o[j].kind != HOLIDAY_REMOVE && year_of(o[j].date) == y)
			added++;
	return RULE_MAX + added <= WORKDAYS_YEAR_MAX;
}

int
workdays_init(struct calendar *cal, const struct holiday_override *o,
    size_t n, size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		if (!override_valid(&o[i]) || !override_fits(o, i)) {
			if (bad != NULL)
				*bad = i;
			return -1;
		}
	}
	cal->overrides = o;
	cal->noverrides = n;
	return 0;
}

size_t
workdays_year(const struct calendar *cal, int y, struct holiday *out)
{
	size_t n;

	n = rule_year(y, out);
	for (size_t i = 0; i < cal->noverrides; i++)
		apply(&cal->overrides[i], y, out, &n);
	sort_by_date(out, n);
	return n;
}

size_t
workdays_holidays_in(const struct calendar *cal, date_t from, date_t to,
    struct holiday *out, size_t max)
{
	struct holiday h[WORKDAYS_YEAR_MAX];
	size_t n, total = 0;

	if (to < from)
		return 0;
	for (int y = year_of(from); y <= year_of(to); y++) {
		n = workdays_year(cal, y, h);
		for (size_t i = 0; i < n; i++) {
			if (h[i].date < from || h[i].date > to)
				continue;
			if (total < max)
				out[total] = h[i];
			total++;
		}
	}
	return total;
}

/*
 * Walking day by day recomputes a year's list only when the year
 * changes; the cursor keeps the current one.
 */
struct cursor {
	const struct calendar	*cal;
	int			 year;
	size_t			 n;
	struct holiday		 h[WORKDAYS_YEAR_MAX];
};

static void
cursor_init(struct cursor *c, const struct calendar *cal)
{
	c->cal = cal;
	c->year = INT_MIN;
	c->n = 0;
}

static const char *
cursor_name(struct cursor *c, date_t d)
{
	struct holiday *found;
	int y = year_of(d);

	if (y != c->year) {
		c->n = workdays_year(c->cal, y, c->h);
		c->year = y;
	}
	found = find(c->h, c->n, d);
	return found != NULL ? found->name : NULL;
}

static bool
cursor_working(struct cursor *c, date_t d)
{
	return !is_weekend(d) && cursor_name(c, d) == NULL;
}

const char *
workdays_holiday_name(const struct calendar *cal, date_t d)
{
	struct cursor c;

	cursor_init(&c, cal);
	return cursor_name(&c, d);
}

bool
workdays_is_holiday(const struct calendar *cal, date_t d)
{
	return workdays_holiday_name(cal, d) != NULL;
}

bool
workdays_is_working_day(const struct calendar *cal, date_t d)
{
	struct cursor c;

	cursor_init(&c, cal);
	return cursor_working(&c, d);
}

date_t
workdays_add(const struct calendar *cal, date_t d, int n)
{
	struct cursor c;
	int step = n > 0 ? 1 : -1;

	cursor_init(&c, cal);
	while (n != 0) {
		d += step;
		if (cursor_working(&c, d))
			n -= step;
	}
	return d;
}

date_t
workdays_next(const struct calendar *cal, date_t d)
{
	struct cursor c;

	cursor_init(&c, cal);
	while (!cursor_working(&c, d))
		d++;
	return d;
}

int
workdays_count_between(const struct calendar *cal, date_t a, date_t b)
{
	struct cursor c;
	int count = 0;

	if (b < a)
		return -workdays_count_between(cal, b, a);
	cursor_init(&c, cal);
	for (date_t d = a + 1; d <= b; d++)
		count += cursor_working(&c, d);
	return count;
}

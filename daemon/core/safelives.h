/*
 * The SafeLives quarterly MARAC return of one area: every figure decided
 * here, from counts the database made set-based (statistics_safelives,
 * sql/011_statistics.sql), and rendered as JSON, CSV laid out as the
 * return, and HTML.  docs/statistics.md defines each figure; this file is
 * where the definitions live in code.
 *
 * Pure: the counts, the configured numbers and the quarter come in; no
 * clock, no I/O.  Small numbers (1 to suppress_below - 1) are shown as
 * "fewer than N" in the CSV and HTML, which leave the coordinator's
 * hands; the JSON carries each exact count beside what is shown.
 */
#ifndef MARACD_CORE_SAFELIVES_H
#define MARACD_CORE_SAFELIVES_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/why.h"

/* SafeLives' agency types, in the order of the return. */
enum sl_agency {
	SL_POLICE = 0,
	SL_IDVA,
	SL_HEALTH,
	SL_CHILDRENS_SOCIAL_CARE,
	SL_ADULT_SOCIAL_CARE,
	SL_HOUSING,
	SL_PROBATION,
	SL_EDUCATION,
	SL_SUBSTANCE_MISUSE,
	SL_MENTAL_HEALTH,
	SL_OTHER,
	SL_AGENCY_COUNT
};

/* An expected level: "28-40", "40-" (at least), "-10" (at most), "". */
struct sl_range {
	bool	has_low;
	bool	has_high;
	double	low;
	double	high;
};

enum sl_rag {
	SL_RAG_NONE = 0,	/* no expected level configured */
	SL_RAG_GREEN,
	SL_RAG_AMBER,
	SL_RAG_RED
};

/* The figures with a configurable expected level ([statistics]). */
enum sl_expect {
	SL_EXPECT_CASES_PER_10K = 0,	/* a year; the quarter's is a quarter */
	SL_EXPECT_REPEAT_RATE,
	SL_EXPECT_PARTNER_SHARE,
	SL_EXPECT_MINORITISED,
	SL_EXPECT_LGBT,
	SL_EXPECT_DISABLED,
	SL_EXPECT_MALE,
	SL_EXPECT_AGED_16_17,
	SL_EXPECT_PERPETRATORS_UNDER_18,
	SL_EXPECT_COUNT
};

/* The deployment's numbers (maracd.conf [statistics]), as text. */
struct sl_params {
	const char	*population;	/* "area:adult women, ..." */
	const char	*agency_types;	/* "agency code:type, ..." */
	const char	*expected[SL_EXPECT_COUNT];
	int		 suppress_below; /* 0: show every count */
};

/* Counts as the database made them (see sl_counts_from_json). */
struct sl_counts {
	long	meetings;
	long	cases;
	long	repeats;
	long	by_agency[SL_AGENCY_COUNT];
	long	minoritised;
	long	lgbt;
	long	disabled;
	long	male;
	long	aged_16_17;
	long	perpetrators_under_18;
	long	children;
};

struct sl_figure {
	const char	*key;
	const char	*label;
	bool		 has_count;
	long		 count;
	bool		 people;	/* a count of people: small numbers hidden */
	bool		 has_percent;	/* of the cases discussed */
	double		 percent;
	bool		 has_rate;	/* cases per 10,000 adult women */
	double		 rate;
	bool		 has_expected;
	struct sl_range	 expected;
	enum sl_rag	 rag;
};

#define SL_FIGURES_MAX	32
#define SL_AREA_MAX	33

struct sl_return {
	char		 area[SL_AREA_MAX];
	int		 year;
	int		 quarter;	/* 1..4: January-March is 1 */
	date_t		 from;
	date_t		 to;
	long		 population;	/* 0: not configured */
	int		 suppress_below;
	size_t		 nfigures;
	struct sl_figure figures[SL_FIGURES_MAX];
};

/* "2026Q4" -> 2026, 4, 2026-10-01, 2026-12-31. */
bool	sl_quarter_parse(const char *s, int *year, int *quarter,
	    date_t *from, date_t *to);
/* The last quarter that ended before today. */
void	sl_quarter_last(date_t today, int *year, int *quarter, date_t *from,
	    date_t *to);
bool	sl_range_parse(const char *s, struct sl_range *);
enum sl_rag sl_rag(const struct sl_range *, double value);
const char *sl_rag_name(enum sl_rag);
const char *sl_agency_name(enum sl_agency);
/*
 * The SafeLives type of an agency: as [statistics] agency_types says, else
 * the type whose name the code is or begins with ("health_icb": health),
 * else other.
 */
enum sl_agency sl_agency_type(const char *code, const char *agency_types);
/* The adult women of area in a "area:n, ..." list; 0 when not there. */
long	sl_population(const char *list, const char *area);
/*
 * Whether the [statistics] values are well-formed: 0, or -1 with why
 * naming which is not (for the configuration's error message).
 */
int	sl_params_check(const struct sl_params *, const char **why);

/*
 * The database's counts (statistics_safelives) into c: the groups it
 * counted (by agency code, ethnicity, gender, answers, ages) become the
 * figures' counts here, by the rules of referral.c and sl_agency_type.
 * False if the document is not of that shape.
 */
bool	sl_counts_from_json(const cJSON *doc, const char *agency_types,
	    struct sl_counts *c);

void	sl_compute(const struct sl_counts *, const struct sl_params *,
	    const char *area, int year, int quarter, date_t from, date_t to,
	    struct sl_return *out);

/* What is shown for a figure's count ("fewer than 5" when small). */
void	sl_shown_count(const struct sl_return *, const struct sl_figure *,
	    char *buf, size_t len);
/* Its percentage or rate, one decimal; "" when none or its count is hidden. */
void	sl_shown_value(const struct sl_return *, const struct sl_figure *,
	    char *buf, size_t len);

/* Its expected level as text ("28.0% to 40.0%", "at least 10.0"), or "". */
void	sl_expected_text(const struct sl_figure *, char *buf, size_t len);

cJSON  *sl_json(const struct sl_return *);
void	sl_csv(const struct sl_return *, struct buf *);
void	sl_html(const struct sl_return *, struct buf *);
/* The figures' table of sl_html alone, for a page of its own (core/report.c). */
void	sl_html_table(const struct sl_return *, struct buf *);
/* Whether a figure's count is a small number, shown as "fewer than N". */
bool	sl_hidden(const struct sl_return *, const struct sl_figure *);
/* The PDF (core/render/safelives_pdf.c); 0, or -1 on failure. */
int	sl_pdf(const struct sl_return *, struct buf *);

#endif

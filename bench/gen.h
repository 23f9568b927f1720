/*
 * Realistic referral bodies for the ingest benchmarks, the same for the
 * HTTP client and the libpq baseline.
 *
 * Each generator (one per connection) walks a fixed cycle of 50 kinds so
 * that every routing outcome occurs in known proportions; external_ref is
 * unique per run, generator and sequence number.  A repeat names the
 * victim of the last MARAC referral the same generator sent (one is sent
 * instead if there was none yet), so the repeat rule fires without any
 * coordination between connections.
 */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include <stddef.h>

enum gen_kind {
	GEN_MARAC,		/* DA, high risk (DASH >= 14 or judgement): MARAC */
	GEN_MASC,		/* stalking, not DA, medium risk: MASC */
	GEN_BELOW,		/* DA, standard risk: below threshold */
	GEN_REPEAT,		/* DA, standard risk, victim at MARAC before: MARAC, repeat */
	GEN_REVIEW,		/* stalking, asks for MARAC: MASC, review */
	GEN_UNDER16,		/* victim under 16: refused (422) */
	GEN_KINDS
};

struct gen {
	char		 run[16];	/* distinguishes runs in one database */
	int		 id;		/* generator (connection) number */
	unsigned long	 seq;
	int		 have_marac;	/* a GEN_MARAC was sent */
	char		 last_marac[96];	/* victim name of the last GEN_MARAC */
	char		 last_marac_dob[24];
	int		 this_year;
};

void	gen_init(struct gen *, const char *run, int id);
/*
 * Writes the next body to buf (cap bytes, 4096 is plenty); returns its
 * length and the kind.
 */
size_t	gen_next(struct gen *, char *buf, size_t cap, enum gen_kind *kind);
const char *gen_kind_name(enum gen_kind);

#endif

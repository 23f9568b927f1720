#include "gen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const agencies[] = {
	"police", "probation", "victim_support", "health_icb",
	"childrens_social_care", "adult_social_care", "housing", "idva"
};

/*
 * One cycle of 50 slots: 21 MARAC, 10 MASC, 10 below, 5 repeat, 3 review,
 * 1 refused.  Each generator visits the slots in its own order (7 is
 * prime to 50), so that even a short run of a few referrals per
 * connection sends a mix.
 */
static enum gen_kind
kind_of(unsigned n)
{
	if (n < 20 || n == 49)
		return GEN_MARAC;
	if (n < 30)
		return GEN_MASC;
	if (n < 40)
		return GEN_BELOW;
	if (n < 45)
		return GEN_REPEAT;
	if (n < 48)
		return GEN_REVIEW;
	return GEN_UNDER16;
}

const char *
gen_kind_name(enum gen_kind k)
{
	static const char *const names[] = {
		"marac", "masc", "below_threshold", "repeat", "review", "under16"
	};
	return k < GEN_KINDS ? names[k] : "?";
}

void
gen_init(struct gen *g, const char *run, int id)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(g, 0, sizeof(*g));
	snprintf(g->run, sizeof(g->run), "%s", run);
	g->id = id;
	gmtime_r(&now, &tm);
	g->this_year = tm.tm_year + 1900;
}

/* "answers": {"1": true, ...} with the first yes of n questions true. */
static int
answers(char *p, size_t cap, int n, int yes)
{
	size_t off = 0;

	off += (size_t)snprintf(p + off, cap - off, "{");
	for (int q = 1; q <= n && off < cap; q++)
		off += (size_t)snprintf(p + off, cap - off, "%s\"%d\":%s",
		    q > 1 ? "," : "", q, q <= yes ? "true" : "false");
	if (off < cap)
		off += (size_t)snprintf(p + off, cap - off, "}");
	return (int)off;
}

size_t
gen_next(struct gen *g, char *buf, size_t cap, enum gen_kind *kindp)
{
	unsigned long seq = g->seq++;
	unsigned slot = (unsigned)((seq * 7 + (unsigned long)g->id * 11) % 50);
	enum gen_kind kind = kind_of(slot);
	const char *agency = agencies[(seq + (unsigned long)g->id) % 8];
	char victim[96], dob[24], dash[512], sdash[256], extra[512], children[512];
	int da = 1, stalking = 0, dash_yes = 3;
	const char *forum_req = "null";
	int n;

	snprintf(victim, sizeof(victim), "Jane Bench %s g%d n%lu", g->run, g->id, seq);
	snprintf(dob, sizeof(dob), "%04d-%02lu-%02lu", 1960 + (int)(seq % 40),
	    1 + seq % 12, 1 + seq % 28);
	extra[0] = '\0';
	sdash[0] = '\0';
	snprintf(children, sizeof(children), "[]");
	/* A repeat needs an earlier MARAC referral of this generator's. */
	if (kind == GEN_REPEAT && !g->have_marac)
		kind = GEN_MARAC;
	switch (kind) {
	case GEN_MARAC:
		if (seq % 2 == 0) {
			dash_yes = 14 + (int)(seq % 10);
		} else {
			/* Judgement and escalation: a high risk DASH alone misses. */
			dash_yes = 6;
			snprintf(extra, sizeof(extra), ",\"professional_judgement\":"
			    "{\"level\":\"high\",\"reason\":\"Threats to kill since his "
			    "release; victim believes he will carry them out.\"},"
			    "\"escalation\":true,\"police_callouts_12m\":%lu", 3 + seq % 4);
		}
		snprintf(children, sizeof(children), "[{\"name\":\"A Bench\","
		    "\"dob\":\"2015-01-01\",\"resident\":true}%s]",
		    slot == 49 ? ",{\"name\":\"B Bench\",\"dob\":\"2017-07-07\","
		    "\"resident\":true},{\"name\":\"C Bench\",\"dob\":\"2020-02-29\","
		    "\"resident\":false}" : "");
		snprintf(g->last_marac, sizeof(g->last_marac), "%s", victim);
		snprintf(g->last_marac_dob, sizeof(g->last_marac_dob), "%s", dob);
		g->have_marac = 1;
		break;
	case GEN_MASC:
		da = 0;
		stalking = 1;
		dash_yes = 8;
		n = snprintf(sdash, sizeof(sdash), ",\"sdash\":{\"answers\":");
		n += answers(sdash + n, sizeof(sdash) - (size_t)n, 11, 6);
		snprintf(sdash + n, sizeof(sdash) - (size_t)n, "}");
		break;
	case GEN_BELOW:
		dash_yes = (int)(seq % 6);
		break;
	case GEN_REPEAT:
		dash_yes = 2;
		snprintf(victim, sizeof(victim), "%s", g->last_marac);
		snprintf(dob, sizeof(dob), "%s", g->last_marac_dob);
		break;
	case GEN_REVIEW:
		da = 0;
		stalking = 1;
		dash_yes = 10;
		forum_req = "\"marac\"";
		break;
	case GEN_UNDER16:
		snprintf(dob, sizeof(dob), "%04d-01-01", (g->this_year - 12) % 10000);
		break;
	case GEN_KINDS:
		break;
	}
	answers(dash, sizeof(dash), 27, dash_yes);
	n = snprintf(buf, cap,
	    "{\"external_ref\":\"BENCH-%s-%d-%lu\","
	    "\"referring_agency\":\"%s\","
	    "\"referrer\":{\"name\":\"DC Bench\",\"email\":\"dc.bench@%s.example\","
	    "\"phone\":\"01234 567890\"},"
	    "\"forum_requested\":%s,"
	    "\"domestic_abuse\":%s,\"stalking\":%s,\"urgent\":false,"
	    "\"victim\":{\"name\":\"%s\",\"dob\":\"%s\",\"gender\":\"female\","
	    "\"postcode\":\"CA1 1AA\"},"
	    "\"perpetrator\":{\"name\":\"John Bench %s g%d\",\"dob\":\"1985-05-05\","
	    "\"gender\":\"male\",\"relationship\":\"%s\",\"in_custody\":false,"
	    "\"mappa_level\":%lu,\"on_drive\":false,\"in_area\":true},"
	    "\"children\":%s,"
	    "\"dash\":{\"version\":\"dash-2009\",\"answers\":%s}%s%s,"
	    "\"lawful_basis\":[\"crime_and_disorder_act_s115\",\"dpa_2018_sch8_safeguarding\"],"
	    "\"consent\":\"%s\","
	    "\"summary\":\"Referred after a call-out on %lu. Victim reports coercive "
	    "control, monitoring of her phone and threats made to her family; she is "
	    "staying with a friend. IDVA engaged; safety plan in place.\"}",
	    g->run, g->id, seq, agency, agency, forum_req,
	    da ? "true" : "false", stalking ? "true" : "false",
	    victim, dob, g->run, g->id,
	    /* An ex-partner's stalking is DA by the Act: MASC's are not. */
	    da ? "ex-partner" : "acquaintance",
	    seq % 4, children, dash, sdash, extra,
	    seq % 3 == 0 ? "given" : "not_sought", seq);
	*kindp = kind;
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

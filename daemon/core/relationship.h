/*
 * Who is "personally connected" under the Domestic Abuse Act 2021 (s.2):
 * a perpetrator relationship label read as the Act reads it.
 *
 * perpetrator.relationship is free text (up to REFERRAL_LABEL_MAX bytes):
 * referrers write "ex-partner", "Ex Partner", "husband", "father of her
 * child".  Only labels that say plainly one way or the other are
 * classified; anything else (friend, carer, housemate, a typo) is
 * RELATIONSHIP_UNKNOWN and the referral's own domestic_abuse answer
 * stands.  Routing overrides a referrer only on a label it is sure of.
 */
#ifndef MARACD_CORE_RELATIONSHIP_H
#define MARACD_CORE_RELATIONSHIP_H

/* The Act's age: both people must be 16 or over.  Law, not a setting. */
#define RELATIONSHIP_DA_ACT_MIN_AGE	16

enum relationship_kind {
	RELATIONSHIP_UNKNOWN = 0,	/* absent or not recognised */
	RELATIONSHIP_CONNECTED,		/* partner, ex-partner, relative, co-parent */
	RELATIONSHIP_NOT_CONNECTED	/* stranger, acquaintance, neighbour, ... */
};

/* NULL is RELATIONSHIP_UNKNOWN. */
enum relationship_kind relationship_classify(const char *label);

#endif
